"""Sphere templates and their bounded deformation (SoftRas's parametrisation), shared by
single-view reconstruction and the fitting demos.

A vertex v of the template moves as ``sigmoid(logit(|v|) + offset) * sign(v)``, so each
coordinate stays inside (-1, 1), then the mesh is shifted by a centre c in (-1, 1)^3 that keeps
it in the box: ``relu(v) (1 - c) - relu(-v) (1 + c) + c``.
"""
import torch
import torch.nn.functional as nnf
import trimesh


def icosphere(subdivisions=3, radius=1.0):
    """(vertices (V, 3) float32, faces (F, 3) int64) of an icosphere; 3 subdivisions give 642
    vertices (SoftRas's reconstruction template)."""
    s = trimesh.creation.icosphere(subdivisions=subdivisions, radius=radius)
    return torch.tensor(s.vertices, dtype=torch.float32), torch.tensor(s.faces, dtype=torch.int64)


def bounded_logit(vertices, floor=1e-3):
    """(log(|v| / (1 - |v|)), sign) with |v| kept in [floor, 1 - floor] and sign +-1, so
    coordinates that are exactly 0 on the template can still move."""
    sign = torch.where(vertices >= 0, 1.0, -1.0).to(vertices.dtype)
    a = vertices.abs().clamp(min=floor, max=1 - floor)
    return torch.log(a / (1 - a)), sign


def deform(base, offsets, centre):
    """Template vertices ``base`` (V, 3) in (-1, 1)^3 moved by per-vertex logit ``offsets``
    (B, V, 3) and a ``centre`` (B, 1, 3) already in (-1, 1): (B, V, 3), inside the box."""
    logit, sign = bounded_logit(base)
    v = torch.sigmoid(logit + offsets) * sign
    return nnf.relu(v) * (1 - centre) - nnf.relu(-v) * (centre + 1) + centre
