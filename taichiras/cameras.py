"""Look-at perspective projection into soft_rasterize's input space (x, y in NDC, z = depth).

Right-handed: a camera on the -z axis looking at the origin with +y up sees +x on the right.
Differentiable in the vertices and the camera position.
"""
import math

import torch


def eye_from_angles(distance, elevation, azimuth, degrees=True):
    """Camera positions (N, 3) on a sphere around the origin; azimuth 0 is the -z axis."""
    d, el, az = (torch.as_tensor(v, dtype=torch.get_default_dtype()) for v in (distance, elevation, azimuth))
    if degrees:
        el, az = torch.deg2rad(el), torch.deg2rad(az)
    d, el, az = torch.broadcast_tensors(d, el, az)
    return torch.stack([d * torch.cos(el) * torch.sin(az), d * torch.sin(el),
                        -d * torch.cos(el) * torch.cos(az)], -1).reshape(-1, 3)


def look_at(vertices, eye, at=(0.0, 0.0, 0.0), up=(0.0, 1.0, 0.0)):
    """Camera-space vertices (B, V, 3): x right, y up, z depth along the view direction."""
    eye = torch.as_tensor(eye, dtype=vertices.dtype, device=vertices.device).reshape(-1, 3)
    at = torch.as_tensor(at, dtype=vertices.dtype, device=vertices.device).reshape(-1, 3)
    up = torch.as_tensor(up, dtype=vertices.dtype, device=vertices.device).reshape(-1, 3)
    forward = torch.nn.functional.normalize(at - eye, dim=-1)
    right = torch.nn.functional.normalize(torch.cross(up.expand_as(forward), forward, dim=-1), dim=-1)
    true_up = torch.cross(forward, right, dim=-1)
    rotation = torch.stack([right, true_up, forward], 1)  # (B, 3, 3), rows are camera axes
    if vertices.ndim == 2:
        vertices = vertices[None]
    return torch.einsum("bij,bvj->bvi", rotation, vertices - eye[:, None])


def perspective(camera_vertices, fov=30.0, aspect=1.0):
    """Perspective divide of camera-space vertices: (x, y) in NDC, z kept as depth.

    fov is the vertical field of view in degrees; aspect = width / height.
    """
    t = math.tan(math.radians(fov) / 2)
    z = camera_vertices[..., 2]
    safe = torch.where(z.abs() > 1e-12, z, torch.full_like(z, 1e-12))
    return torch.stack([camera_vertices[..., 0] / (safe * t * aspect),
                        camera_vertices[..., 1] / (safe * t), z], -1)


def face_vertices(vertices, faces):
    """(B, V, 3) vertices and (F, 3) faces to (B, F, 3, 3) per-face vertices."""
    return vertices[:, faces.long()]
