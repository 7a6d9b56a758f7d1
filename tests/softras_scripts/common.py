"""What the example scripts here share, as SoftRas's example folders share models.py and
losses.py: the deformable sphere model, the IoU loss, a colour cube and the arguments."""
import argparse
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import tqdm

import soft_renderer as sr


class Model(nn.Module):
    """A template sphere moved by per-vertex offsets and a centre, kept inside the unit box."""

    def __init__(self, template_path, average=False):
        super(Model, self).__init__()
        self.template_mesh = sr.Mesh.from_obj(template_path)
        self.register_buffer('vertices', self.template_mesh.vertices * 0.5)
        self.register_buffer('faces', self.template_mesh.faces)
        self.register_parameter('displace', nn.Parameter(torch.zeros_like(self.template_mesh.vertices)))
        self.register_parameter('center', nn.Parameter(torch.zeros(1, 1, 3)))
        self.laplacian_loss = sr.LaplacianLoss(self.vertices[0].cpu(), self.faces[0].cpu(), average=average)
        self.flatten_loss = sr.FlattenLoss(self.faces[0].cpu(), average=average)

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


def colour_cube():
    """(vertices (8, 3), faces (12, 3) int32, vertex colours (8, 3)) of a cube of side 0.8."""
    vertices = np.array([[x, y, z] for x in (-.4, .4) for y in (-.4, .4) for z in (-.4, .4)], 'float32')
    faces = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                      [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]], 'int32')
    return vertices, faces, (vertices + .4) / .8


def parse_render_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('-i', '--filename-input', type=str, required=True)
    parser.add_argument('-o', '--output-dir', type=str, required=True)
    parser.add_argument('-s', '--image-size', type=int, default=64)
    return parser.parse_args()


def parse_deform_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('-t', '--template-mesh', type=str, required=True)
    parser.add_argument('-g', '--target-mesh', type=str, required=True)
    parser.add_argument('-o', '--output-dir', type=str, required=True)
    parser.add_argument('-n', '--num-iterations', type=int, default=40)
    parser.add_argument('-v', '--num-views', type=int, default=4)
    return parser.parse_args()


def parse_pose_args():
    parser = argparse.ArgumentParser()
    parser.add_argument('-o', '--output', type=str, required=True)
    parser.add_argument('-n', '--num-iterations', type=int, default=40)
    return parser.parse_args()


def partial_pixels(alpha):
    """Pixels of a (H, W) alpha image that are neither background nor covered."""
    return int(((alpha > 0.05) & (alpha < 0.95)).sum())


def fit_angles(render, start, truth, num_iterations, output):
    """Fit (elevation, azimuth) so that render(elevation (1,), azimuth (1,)) matches the image at
    ``truth``, from ``start``; write the first and last error (degrees, summed) to ``output``."""
    image_ref = render(torch.tensor(truth[:1]), torch.tensor(truth[1:])).detach()
    angles = torch.tensor(start, requires_grad=True)
    optimizer = torch.optim.Adam([angles], lr=1.0)
    errors = []
    for i in tqdm.tqdm(range(num_iterations)):
        loss = ((render(angles[:1], angles[1:]) - image_ref) ** 2).mean()
        errors.append(float((angles.detach() - torch.tensor(truth)).abs().sum()))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with open(output, 'w') as f:
        json.dump({'error_first': errors[0], 'error_last': errors[-1]}, f)
