"""Deform a sphere into the silhouettes of a target mesh: SoftRas's current API."""
import argparse
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import tqdm

from soft_renderer import functional as srf
import soft_renderer as sr


class Model(nn.Module):
    def __init__(self, template_path):
        super(Model, self).__init__()
        self.template_mesh = sr.Mesh.from_obj(template_path)
        self.register_buffer('vertices', self.template_mesh.vertices * 0.5)
        self.register_buffer('faces', self.template_mesh.faces)
        self.register_parameter('displace', nn.Parameter(torch.zeros_like(self.template_mesh.vertices)))
        self.register_parameter('center', nn.Parameter(torch.zeros(1, 1, 3)))
        self.laplacian_loss = sr.LaplacianLoss(self.vertices[0].cpu(), self.faces[0].cpu(), average=True)
        self.flatten_loss = sr.FlattenLoss(self.faces[0].cpu(), average=True)

    def forward(self, batch_size):
        base = torch.log(self.vertices.abs() / (1 - self.vertices.abs()))
        centroid = torch.tanh(self.center)
        vertices = torch.sigmoid(base + self.displace) * torch.sign(self.vertices)
        vertices = F.relu(vertices) * (1 - centroid) - F.relu(-vertices) * (centroid + 1)
        vertices = vertices + centroid
        return sr.Mesh(vertices.repeat(batch_size, 1, 1), self.faces.repeat(batch_size, 1, 1)), \
            self.laplacian_loss(vertices), self.flatten_loss(vertices)


def neg_iou_loss(predict, target):
    dims = tuple(range(predict.ndimension())[1:])
    intersect = (predict * target).sum(dims)
    union = (predict + target - predict * target).sum(dims) + 1e-6
    return 1. - (intersect / union).sum() / intersect.nelement()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('-t', '--template-mesh', type=str, required=True)
    parser.add_argument('-g', '--target-mesh', type=str, required=True)
    parser.add_argument('-o', '--output-dir', type=str, required=True)
    parser.add_argument('-n', '--num-iterations', type=int, default=40)
    parser.add_argument('-v', '--num-views', type=int, default=4)
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)

    model = Model(args.template_mesh).cuda()
    transform = sr.LookAt(viewing_angle=15)
    lighting = sr.Lighting()
    rasterizer = sr.SoftRasterizer(image_size=64, sigma_val=1e-4, aggr_func_rgb='hard', dist_eps=1e-10)

    azimuths = torch.arange(args.num_views).float() * 360. / args.num_views
    transform.set_eyes(srf.get_points_from_angles(torch.ones(args.num_views) * 2.732,
                                                  torch.ones(args.num_views) * 30., azimuths))
    target = sr.Mesh.from_obj(args.target_mesh, normalization=True)
    target = sr.Mesh(target.vertices.repeat(args.num_views, 1, 1) * 0.4, target.faces.repeat(args.num_views, 1, 1))
    with torch.no_grad():
        images_gt = rasterizer(transform(lighting(target)))[:, 3]

    optimizer = torch.optim.Adam(model.parameters(), 0.01, betas=(0.5, 0.99))
    ious = []
    for i in tqdm.tqdm(list(range(args.num_iterations))):
        mesh, laplacian_loss, flatten_loss = model(args.num_views)
        mesh = lighting(mesh)
        mesh = transform(mesh)
        images_pred = rasterizer(mesh)
        iou_loss = neg_iou_loss(images_pred[:, 3], images_gt)
        loss = iou_loss + 0.03 * laplacian_loss + 0.0003 * flatten_loss
        ious.append(1 - iou_loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    mesh, _, _ = model(1)
    mesh.save_obj(os.path.join(args.output_dir, 'final.obj'))
    with open(os.path.join(args.output_dir, 'metrics.json'), 'w') as f:
        json.dump({'iou_first': ious[0], 'iou_last': ious[-1]}, f)


if __name__ == '__main__':
    main()
