"""SoftRas's camera modules: Projection, LookAt, Look and Transform."""
import math

import torch

from . import functional as srf


def _default_eye(viewing_angle):
    return [0.0, 0.0, -(1.0 / math.tan(math.radians(viewing_angle)) + 1)]


class _Projector(torch.nn.Module):
    def __init__(self, perspective=True, viewing_angle=30, viewing_scale=1.0, eye=None):
        super().__init__()
        self.perspective, self.viewing_angle, self.viewing_scale = perspective, viewing_angle, viewing_scale
        self._eye = eye if eye is not None else _default_eye(viewing_angle)

    def _project(self, vertices):
        if self.perspective:
            return srf.perspective(vertices, angle=self.viewing_angle)
        return srf.orthogonal(vertices, scale=self.viewing_scale)


class LookAt(_Projector):
    def forward(self, vertices):
        eye = torch.as_tensor(self._eye, dtype=vertices.dtype, device=vertices.device)
        return self._project(srf.look_at(vertices, eye))


class Look(_Projector):
    def __init__(self, camera_direction=(0, 0, 1), perspective=True, viewing_angle=30,
                 viewing_scale=1.0, eye=None):
        super().__init__(perspective, viewing_angle, viewing_scale, eye)
        self.camera_direction = camera_direction

    def forward(self, vertices):
        eye = torch.as_tensor(self._eye, dtype=vertices.dtype, device=vertices.device)
        return self._project(srf.look(vertices, eye, self.camera_direction))


class Projection(torch.nn.Module):
    def __init__(self, P, dist_coeffs=None, orig_size=512):
        super().__init__()
        if P is None:
            raise ValueError("P: camera_mode='projection' needs a projection matrix P of shape (B, 3, 4)")
        self.P = torch.as_tensor(P)
        self.P = self.P[None] if self.P.ndim == 2 else self.P
        self.dist_coeffs = None if dist_coeffs is None else torch.as_tensor(dist_coeffs).reshape(-1, 5)
        self.orig_size = orig_size

    def forward(self, vertices):
        P = self.P.to(device=vertices.device, dtype=vertices.dtype)
        d = None if self.dist_coeffs is None else self.dist_coeffs.to(device=vertices.device, dtype=vertices.dtype)
        return srf.projection(vertices, P, d, self.orig_size)


class Transform(torch.nn.Module):
    """Transform(camera_mode='projection'|'look'|'look_at', ...): forward(mesh) projects the
    mesh's vertices in place of its world ones and returns it."""

    def __init__(self, camera_mode="projection", P=None, dist_coeffs=None, orig_size=512,
                 perspective=True, viewing_angle=30, viewing_scale=1.0, eye=None,
                 camera_direction=(0, 0, 1)):
        super().__init__()
        self.camera_mode = camera_mode
        if camera_mode == "projection":
            self.transformer = Projection(P, dist_coeffs, orig_size)
        elif camera_mode == "look":
            self.transformer = Look(camera_direction, perspective, viewing_angle, viewing_scale, eye)
        elif camera_mode == "look_at":
            self.transformer = LookAt(perspective, viewing_angle, viewing_scale, eye)
        else:
            raise ValueError(f"camera_mode must be 'projection', 'look' or 'look_at'; got {camera_mode!r}")

    def forward(self, mesh):
        mesh.vertices = self.transformer(mesh.vertices)
        return mesh

    def set_eyes_from_angles(self, distances, elevations, azimuths):
        if self.camera_mode not in ("look", "look_at"):
            raise ValueError("set_eyes_from_angles: camera_mode must be 'look' or 'look_at'")
        self.transformer._eye = srf.get_points_from_angles(distances, elevations, azimuths)

    def set_eyes(self, eyes):
        if self.camera_mode not in ("look", "look_at"):
            raise ValueError("set_eyes: camera_mode must be 'look' or 'look_at'")
        self.transformer._eye = eyes

    @property
    def eyes(self):
        return self.transformer._eye
