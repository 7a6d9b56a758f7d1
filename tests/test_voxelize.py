"""Voxelized volumes against analytic ones; IoU."""
import math

import pytest
import torch
import trimesh

from taichiras.mesh import Mesh
from taichiras.ops.voxelize import mesh_voxel_iou, voxel_iou, voxelize


def tm(mesh):
    return torch.tensor(mesh.vertices, dtype=torch.float32), torch.tensor(mesh.faces)


@pytest.mark.parametrize("size", [32, 48])
def test_sphere_volume(size):
    v, f = tm(trimesh.creation.icosphere(subdivisions=4, radius=0.8))
    solid = voxelize(v, f, size)[0]
    volume = solid.sum().item() * (2 / size) ** 3
    assert abs(volume / (4 / 3 * math.pi * 0.8 ** 3) - 1) < 0.02


@pytest.mark.parametrize("angles", [(0, 0, 0), (30, 45, 10)])
def test_cube_volume(angles):
    box = trimesh.creation.box(extents=(1.25, 1.25, 1.25))
    box.apply_transform(trimesh.transformations.euler_matrix(*[math.radians(a) for a in angles]))
    v, f = tm(box)
    solid = voxelize(v, f, 32)[0]
    volume = solid.sum().item() * (2 / 32) ** 3
    assert abs(volume / 1.25 ** 3 - 1) < 0.02


def test_hollow_shell_keeps_its_cavity():
    outer = trimesh.creation.icosphere(subdivisions=3, radius=0.9)
    inner = trimesh.creation.icosphere(subdivisions=3, radius=0.5)
    inner.invert()
    shell = trimesh.util.concatenate([outer, inner])
    v, f = tm(shell)
    solid = voxelize(v, f, 32)[0]
    assert not solid[16, 16, 16] and solid[16, 16, 2]
    volume = solid.sum().item() * (2 / 32) ** 3
    assert abs(volume / (4 / 3 * math.pi * (0.9 ** 3 - 0.5 ** 3)) - 1) < 0.03


def test_iou_of_a_mesh_with_itself_is_one_and_shifted_less():
    v, f = tm(trimesh.creation.icosphere(subdivisions=3, radius=0.7))
    m = Mesh(v, f)
    assert mesh_voxel_iou(m, m).item() == 1.0
    shifted = Mesh(v + torch.tensor([0.2, 0.0, 0.0]), f)
    iou = mesh_voxel_iou(m, shifted).item()
    assert 0.5 < iou < 0.9
    assert voxel_iou(torch.zeros(1, 4, 4, 4), torch.zeros(1, 4, 4, 4)).item() == 1.0


def test_bad_size():
    v, f = tm(trimesh.creation.box())
    with pytest.raises(ValueError, match="size"):
        voxelize(v, f, 1)


def test_fill_mode_is_surface_plus_unreached():
    v, f = tm(trimesh.creation.icosphere(subdivisions=3, radius=0.7))
    fill = voxelize(v, f, 32, mode="fill")[0]
    solid = voxelize(v, f, 32)[0]
    assert bool((fill | solid).eq(fill).all()) and fill.sum() > solid.sum() * 1.05


def test_per_mesh_faces():
    v, f = tm(trimesh.creation.icosphere(subdivisions=2, radius=0.6))
    shared = voxelize(torch.stack([v, v * 0.5]), f, 16)
    batched = voxelize(torch.stack([v, v * 0.5]), torch.stack([f, f]), 16)
    assert torch.equal(shared, batched) and shared[0].sum() > shared[1].sum() > 0
