"""SoftRas's ``soft_renderer.functional`` (both generations: upstream dropped perspective,
orthogonal and projection from it; they stay here), as adapters over taichiras' native API."""
import numbers
import os

import numpy as np
import torch
import trimesh

from taichiras import cameras
from taichiras.io import load_mesh
from taichiras.io import save_obj as _save_obj
from taichiras.lighting import Lighting as _Lighting
from taichiras.mesh import Mesh as _Mesh
from taichiras.mesh import gather_faces
from taichiras.ops import soft_rasterize
from taichiras.ops.voxelize import voxelize

__all__ = ["soft_rasterize", "load_obj", "save_obj", "look_at", "look", "perspective", "orthogonal",
           "projection", "get_points_from_angles", "ambient_lighting", "directional_lighting",
           "face_vertices", "vertex_normals", "voxelization", "save_voxel"]


def _batched(x):
    return x[None] if x.ndim == 2 else x


def load_obj(filename_obj, normalization=False, load_texture=False, texture_res=4,
             texture_type="surface"):
    """(vertices (V, 3), faces (F, 3) int32[, textures]) as SoftRas: textures (F, R*R, 3) for
    'surface', (V, 3) for 'vertex'. Tensors stay on the CPU (SoftRas: CUDA)."""
    mesh = load_mesh(filename_obj, texture_res=texture_res, texture_type=texture_type,
                     normalize=normalization, load_textures=load_texture)
    vertices, faces = mesh.vertices[0], mesh.faces.int()
    if load_texture:
        return vertices, faces, mesh.textures[0]
    return vertices, faces


def save_obj(filename, vertices, faces, textures=None, texture_res=16, texture_type="surface"):
    """Write an OBJ: geometry only when textures is None; surface textures go to an MTL and a
    PNG atlas beside it, vertex textures into 'v x y z r g b' lines."""
    if vertices.ndim != 2 or faces.ndim != 2:
        raise ValueError(f"vertices (V, 3) and faces (F, 3) of one mesh; got {tuple(vertices.shape)} and "
                         f"{tuple(faces.shape)}")
    if texture_type not in ("surface", "vertex"):
        raise ValueError(f"texture_type must be 'surface' or 'vertex'; got {texture_type!r}")
    mesh = _Mesh(vertices, faces, textures, texture_type)
    _save_obj(filename, mesh, texture_res_out=texture_res, textures=textures is not None)


def look_at(vertices, eye, at=(0.0, 0.0, 0.0), up=(0.0, 1.0, 0.0)):
    """SoftRas look_at: x = normalize(up x z), the native camera with mirror_x."""
    return cameras.look_at(_batched(vertices), eye, at, up, mirror_x=True)


def look(vertices, eye, direction=(0.0, 1.0, 0.0), up=None):
    """SoftRas look; ``up`` defaults to +y (SoftRas's default crashes)."""
    return cameras.look(_batched(vertices), eye, direction, (0.0, 1.0, 0.0) if up is None else up, mirror_x=True)


def perspective(vertices, angle=30.0):
    """x / (z tan(angle)), y / (z tan(angle)), z: SoftRas's angle is the half field of view."""
    return cameras.perspective(vertices, fov=2 * angle)


def orthogonal(vertices, scale=1.0):
    """x * scale, y * scale, z."""
    return cameras.orthographic(vertices, scale)


def projection(vertices, P, dist_coeffs, orig_size):
    """SoftRas projection: P (B, 3, 4) [v, 1], divide by z + 1e-5, OpenCV distortion, then
    pixels (u, v) to 2 (u - orig_size / 2) / orig_size. As SoftRas, v is not flipped: image row
    v = 0 of the calibrated camera comes out at the bottom of the render."""
    vertices = _batched(vertices)
    h = torch.cat([vertices, torch.ones_like(vertices[..., :1])], -1) @ P.transpose(1, 2)
    z = h[..., 2]
    x, y = h[..., 0] / (z + 1e-5), h[..., 1] / (z + 1e-5)
    if dist_coeffs is not None:
        x, y = cameras.distort(x, y, dist_coeffs)
    return torch.stack([2 * (x - orig_size / 2) / orig_size, 2 * (y - orig_size / 2) / orig_size, z], -1)


def _is_scalar(x):
    return isinstance(x, numbers.Number) or (isinstance(x, (np.ndarray, torch.Tensor)) and x.ndim == 0)


def get_points_from_angles(distance, elevation, azimuth, degrees=True):
    """(d cos(el) sin(az), d sin(el), -d cos(el) cos(az)): (3,) when all three are scalars,
    else (N, 3) over the broadcast of the three (lists, arrays or tensors)."""
    points = cameras.eye_from_angles(distance, elevation, azimuth, degrees)
    return points[0] if all(_is_scalar(v) for v in (distance, elevation, azimuth)) else points


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
    """SoftRas's voxelization: int32 voxels (B, size, size, size) of face vertices (B, F, 3, 3),
    indexed like the coordinates, surface voxels + everything the exterior flood fill cannot
    reach. normalize=False: faces are in [0, 1] (scaled by size); True: already in voxel units."""
    faces = faces.detach()
    B, F = faces.shape[:2]
    tri = torch.arange(F * 3, device=faces.device).reshape(F, 3)
    hi = float(size) if normalize else 1.0
    grids = [voxelize(v, tri, size, bounds=(0.0, hi), mode="fill") for v in faces.reshape(B, F * 3, 3)]
    return torch.cat(grids).to(device=faces.device, dtype=torch.int32)


def save_voxel(filename, voxel):
    """Write occupied voxels (N, N, N) as an OBJ of cubes of side 1/N, voxel (i, j, k) centred at
    (i, j, k) / N (SoftRas writes a bare vertex there)."""
    grid = np.asarray(voxel.detach().cpu().numpy() != 0)
    boxes = trimesh.voxel.VoxelGrid(grid).as_boxes()
    boxes.apply_scale(1.0 / grid.shape[0])
    folder = os.path.dirname(os.path.abspath(filename))
    os.makedirs(folder, exist_ok=True)
    boxes.export(filename)
