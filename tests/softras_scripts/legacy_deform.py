"""Deform a sphere into the silhouettes of a target mesh: SoftRas 1.0 API (SoftRenderer)."""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import tqdm

import soft_renderer as sr
import soft_renderer.functional as srf


class Model(nn.Module):
    def __init__(self, template_path):
        super(Model, self).__init__()
        self.template_mesh = sr.Mesh.from_obj(template_path)
        self.register_buffer('vertices', self.template_mesh.vertices * 0.5)
        self.register_buffer('faces', self.template_mesh.faces)
        self.register_parameter('displace', nn.Parameter(torch.zeros_like(self.template_mesh.vertices)))
        self.register_parameter('center', nn.Parameter(torch.zeros(1, 1, 3)))
        self.laplacian_loss = sr.LaplacianLoss(self.vertices[0].cpu(), self.faces[0].cpu())
        self.flatten_loss = sr.FlattenLoss(self.faces[0].cpu())

    def forward(self, batch_size):
        base = torch.log(self.vertices.abs() / (1 - self.vertices.abs()))
        centroid = torch.tanh(self.center)
        vertices = torch.sigmoid(base + self.displace) * torch.sign(self.vertices)
        vertices = F.relu(vertices) * (1 - centroid) - F.relu(-vertices) * (centroid + 1)
        vertices = vertices + centroid
        laplacian_loss = self.laplacian_loss(vertices).mean()
        flatten_loss = self.flatten_loss(vertices).mean()
        return sr.Mesh(vertices.repeat(batch_size, 1, 1), self.faces.repeat(batch_size, 1, 1)), \
            laplacian_loss, flatten_loss


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
    renderer = sr.SoftRenderer(image_size=64, sigma_val=1e-4, aggr_func_rgb='hard',
                               camera_mode='look_at', viewing_angle=15, dist_eps=1e-10)

    # target silhouettes: the target mesh seen from views around it
    azimuths = torch.arange(args.num_views).float() * 360. / args.num_views
    elevations = torch.ones(args.num_views) * 30.
    distances = torch.ones(args.num_views) * 2.732
    renderer.transform.set_eyes_from_angles(distances, elevations, azimuths)
    target = sr.Mesh.from_obj(args.target_mesh, normalization=True)
    target.vertices = target.vertices * 0.4
    with torch.no_grad():
        images_gt = renderer.render_mesh(sr.Mesh(target.vertices.repeat(args.num_views, 1, 1),
                                                 target.faces.repeat(args.num_views, 1, 1)))[:, 3].cuda()

    optimizer = torch.optim.Adam(model.parameters(), 0.01, betas=(0.5, 0.99))
    ious = []
    loop = tqdm.tqdm(list(range(args.num_iterations)))
    for i in loop:
        mesh, laplacian_loss, flatten_loss = model(args.num_views)
        images_pred = renderer.render_mesh(mesh)
        iou_loss = neg_iou_loss(images_pred[:, 3], images_gt)
        loss = iou_loss + 0.03 * laplacian_loss + 0.0003 * flatten_loss
        ious.append(1 - iou_loss.item())
        loop.set_description('Loss: %.4f' % loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    mesh, _, _ = model(1)
    mesh.save_obj(os.path.join(args.output_dir, 'final.obj'), save_texture=False)
    voxels = mesh.voxelize(32)
    np.save(os.path.join(args.output_dir, 'final_voxels.npy'), voxels.cpu().numpy())
    eye = srf.get_points_from_angles(2.732, 30, 0)
    with open(os.path.join(args.output_dir, 'metrics.json'), 'w') as f:
        json.dump({'iou_first': ious[0], 'iou_last': ious[-1], 'eye': [float(x) for x in eye],
                   'voxels_dtype': str(voxels.dtype)}, f)


if __name__ == '__main__':
    main()
