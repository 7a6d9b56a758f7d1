"""SoftRas 1.0's ``soft_renderer.functional``, as adapters over taichiras' native API."""
import os

import numpy as np
import torch
import trimesh

from ... import cameras
from ...io import load_mesh, save_obj as _save_obj
from ...lighting import Lighting as _Lighting
from ...mesh import Mesh as _Mesh, gather_faces
from ...ops import soft_rasterize
from ...ops.voxelize import voxelize

__all__ = ["soft_rasterize", "load_obj", "save_obj", "look_at", "look", "perspective", "orthogonal",
           "projection", "get_points_from_angles", "ambient_lighting", "directional_lighting",
           "face_vertices", "vertex_normals", "voxelization", "save_voxel"]


def _batched(x):
    return x[None] if x.ndim == 2 else x


def load_obj(filename_obj, normalization=False, load_texture=False, texture_res=4,
             texture_type="surface"):
    """(vertices (V, 3), faces (F, 3) int32[, textures]) as SoftRas: textures (F, R*R, 3) for
    'surface', (V, 3) for 'vertex'."""
    mesh = load_mesh(filename_obj, texture_res=texture_res, texture_type=texture_type,
                     normalize=normalization, load_textures=load_texture)
    vertices, faces = mesh.vertices[0], mesh.faces.int()
    if load_texture:
        return vertices, faces, mesh.textures[0]
    return vertices, faces


def save_obj(filename, vertices, faces, textures=None, texture_res=16, texture_type="surface"):
    mesh = _Mesh(vertices, faces, None if textures is None else _batched(textures) if texture_type == "vertex"
                 else (textures[None] if textures.ndim == 3 else textures), texture_type)
    _save_obj(filename, mesh, texture_res_out=texture_res if textures is not None else None)


def look_at(vertices, eye, at=(0.0, 0.0, 0.0), up=(0.0, 1.0, 0.0)):
    """SoftRas look_at: x = normalize(up x z), the native camera with mirror_x."""
    return cameras.look_at(_batched(vertices), eye, at, up, mirror_x=True)


def look(vertices, eye, direction=(0.0, 1.0, 0.0), up=None):
    """SoftRas look; ``up`` defaults to +y (SoftRas's default crashes)."""
    return cameras.look(_batched(vertices), eye, direction, (0.0, 1.0, 0.0) if up is None else up, mirror_x=True)


def perspective(vertices, angle=30.0):
    """x / (z tan(angle)), y / (z tan(angle)), z: SoftRas's angle is the half field of view."""
    return cameras.perspective(vertices, fov=2 * angle)


def orthogonal(vertices, scale):
    return cameras.orthographic(vertices, scale)


def projection(vertices, P, dist_coeffs, orig_size):
    """SoftRas projection: P (B, 3, 4) [v, 1], divide by z + 1e-5, distort, pixels to NDC."""
    vertices = _batched(vertices)
    h = torch.cat([vertices, torch.ones_like(vertices[..., :1])], -1) @ P.transpose(1, 2)
    z = h[..., 2]
    x, y = h[..., 0] / (z + 1e-5), h[..., 1] / (z + 1e-5)
    if dist_coeffs is not None:
        x, y = cameras.distort(x, y, dist_coeffs)
    y = orig_size - y
    return torch.stack([2 * (x - orig_size / 2) / orig_size, 2 * (y - orig_size / 2) / orig_size, z], -1)


def get_points_from_angles(distance, elevation, azimuth, degrees=True):
    """(d cos(el) sin(az), d sin(el), -d cos(el) cos(az)); (3,) for scalars, else (N, 3)."""
    points = cameras.eye_from_angles(distance, elevation, azimuth, degrees)
    scalar = all(not isinstance(v, torch.Tensor) or v.ndim == 0 for v in (distance, elevation, azimuth))
    return points[0] if scalar else points


def ambient_lighting(light, light_intensity=0.5, light_color=(1, 1, 1)):
    """light + I c (light (B, N, 3))."""
    lit, _ = _Lighting(light_intensity, light_color, 0.0, directions=()).light(
        torch.zeros_like(light), torch.zeros_like(light))
    return light + lit


def directional_lighting(light, normals, light_intensity=0.5, light_color=(1, 1, 1),
                         light_direction=(0, 1, 0)):
    """light + I c max(0, n . l)."""
    lit, _ = _Lighting(0.0, (0, 0, 0), light_intensity, light_color, directions=[light_direction]).light(
        normals, torch.zeros_like(normals))
    return light + lit


def face_vertices(vertices, faces):
    """(B, V, C) and (B, F, 3) to (B, F, 3, C)."""
    faces = _batched(faces).long()
    return gather_faces(_batched(vertices), faces.expand(vertices.shape[0] if vertices.ndim == 3 else 1, -1, -1))


def vertex_normals(vertices, faces):
    """Area-weighted unit vertex normals (B, V, 3)."""
    return _Mesh(_batched(vertices), _batched(faces)).vertex_normals


def voxelization(faces, size, normalize=False):
    """Voxels (B, size, size, size) of face vertices (B, F, 3, 3) in the [0, 1] box (SoftRas's
    convention; normalize=True fits them into it first): surface + exterior flood fill."""
    faces = faces.detach()
    if normalize:
        lo = faces.flatten(1, 2).min(1).values[:, None, None]
        hi = faces.flatten(1, 2).max(1).values[:, None, None]
        faces = (faces - lo) / (hi - lo).amax(-1, keepdim=True)
    B, F = faces.shape[:2]
    verts = faces.reshape(B, F * 3, 3)
    tri = torch.arange(F * 3, device=faces.device).reshape(F, 3)
    return torch.cat([voxelize(v, tri, size, bounds=(0.0, 1.0), mode="fill") for v in verts])


def save_voxel(filename, voxel):
    """Write occupied voxels (N, N, N) as an OBJ of cubes."""
    grid = trimesh.voxel.VoxelGrid(np.asarray(voxel.detach().cpu().numpy(), dtype=bool))
    os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
    grid.as_boxes().export(filename)
