"""Procedural meshes and textures for the demos (no files needed)."""
import torch
import trimesh

from taichiras.losses import FlattenLoss, LaplacianLoss
from taichiras.mesh import Mesh
from taichiras.templates import deform, icosphere


def blob(subdivisions=4, scale=0.75):
    """A star-shaped organic blob: a sphere with three lobes round y and a waist."""
    d, faces = icosphere(subdivisions)
    theta = torch.atan2(d[:, 2], d[:, 0])
    r = 1 + 0.3 * torch.cos(3 * theta) * (1 - d[:, 1] ** 2) + 0.15 * d[:, 1] ** 3
    v = d * r[:, None] * torch.tensor([1.1, 0.8, 1.0])
    return Mesh(v * scale / v.abs().max(), faces)


def position_colours(vertices):
    """Smooth colours from positions (per vertex)."""
    v = vertices / vertices.abs().max()
    return torch.stack([0.55 + 0.45 * torch.sin(3 * v[..., 0]), 0.5 + 0.4 * torch.cos(2.5 * v[..., 1] + 1),
                        0.55 + 0.45 * torch.sin(2 * v[..., 2] + 2)], -1).clamp(0, 1)


def colour_cube():
    """A unit cube with a different colour on each side (12 faces, flat colours)."""
    box = trimesh.creation.box(extents=(1.0, 1.0, 1.0))
    normals = torch.tensor(box.face_normals, dtype=torch.float32)
    palette = torch.tensor([[0.9, 0.2, 0.2], [0.2, 0.8, 0.3], [0.2, 0.4, 0.9],
                            [0.95, 0.85, 0.2], [0.8, 0.3, 0.8], [0.2, 0.85, 0.85]])
    side = (normals.abs().argmax(1) * 2 + (normals.sum(1) < 0).long())
    return Mesh(torch.tensor(box.vertices, dtype=torch.float32), torch.tensor(box.faces),
                palette[side][None, :, None, :])


def rotation_matrix(axis_angle):
    """Rodrigues: (3,) axis-angle -> (3, 3), differentiable."""
    theta = axis_angle.norm() + 1e-12
    x, y, z = axis_angle / theta
    zero = torch.zeros_like(x)
    K = torch.stack([zero, -z, y, z, zero, -x, -y, x, zero]).reshape(3, 3)
    return torch.eye(3, dtype=axis_angle.dtype) + torch.sin(theta) * K + (1 - torch.cos(theta)) * K @ K


class SphereDeformer(torch.nn.Module):
    """A template deformed by free per-vertex offsets and a centre (taichiras.templates.deform)."""

    def __init__(self, vertices, faces):
        super().__init__()
        self.register_buffer("base", vertices)
        self.register_buffer("faces", faces)
        self.displace = torch.nn.Parameter(torch.zeros_like(vertices))
        self.centre = torch.nn.Parameter(torch.zeros(1, 1, 3))
        self.laplacian = LaplacianLoss(len(vertices), faces)
        self.flatten = FlattenLoss(faces)

    def forward(self):
        return deform(self.base, self.displace[None], torch.tanh(self.centre))
