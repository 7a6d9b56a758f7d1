"""SoftRas's camera transforms, both generations in one set of classes.

``LookAt``, ``Look`` and ``Projection`` take what they are given: a vertex tensor (B, V, 3) gives
projected vertices (legacy), a Mesh gives a new Mesh with projected vertices (upstream).
``Transform(camera_mode=...)`` is legacy's wrapper (it projects a Mesh in place and returns it);
``Transform`` without a camera_mode is upstream's base class (subclasses define ``transform``).
"""
import math

import numpy as np
import torch
import torch.nn as nn

import taichiras.compat.soft_renderer.functional as srf
from taichiras.compat.soft_renderer.mesh import with_vertices

perspective = srf.perspective  # upstream moved these here from functional
orthogonal = srf.orthogonal
CAMERA_MODES = ("projection", "look", "look_at")


def _check_viewing_angle(viewing_angle, perspective, eye):
    """viewing_angle is SoftRas's half field of view; it sets the perspective and the default eye."""
    if (perspective or eye is None) and not 0 < viewing_angle < 90:
        raise ValueError(f"viewing_angle must be in (0, 90) degrees (the half field of view); got {viewing_angle!r}")


class Transform(nn.Module):
    """Legacy: Transform(camera_mode='projection'|'look'|'look_at', P=None, dist_coeffs=None,
    orig_size=512, perspective=True, viewing_angle=30, viewing_scale=1.0, eye=None,
    camera_direction=(0, 0, 1)); forward(mesh) projects the mesh's vertices in place and
    returns it. Upstream: the base class, forward(mesh) -> a new Mesh of transform(vertices)."""

    def __init__(self, camera_mode=None, P=None, dist_coeffs=None, orig_size=512, perspective=True,
                 viewing_angle=30, viewing_scale=1.0, eye=None, camera_direction=(0, 0, 1)):
        super().__init__()
        self.camera_mode = None
        if camera_mode is None and type(self).transform is not Transform.transform:
            return
        camera_mode = "projection" if camera_mode is None else camera_mode
        if camera_mode == "projection":
            self.transformer = Projection(P, dist_coeffs, orig_size)
        elif camera_mode == "look":
            self.transformer = Look(camera_direction, perspective, viewing_angle, viewing_scale, eye)
        elif camera_mode == "look_at":
            self.transformer = LookAt(perspective, viewing_angle, viewing_scale, eye)
        else:
            raise ValueError(f"camera_mode must be one of {CAMERA_MODES}; got {camera_mode!r}")
        self.camera_mode = camera_mode

    def transform(self, vertices):
        if self.camera_mode is None:
            raise NotImplementedError("Transform subclasses define transform(vertices)")
        return self.transformer.transform(vertices)

    def forward(self, x):
        if torch.is_tensor(x):
            return self.transform(x)
        if self.camera_mode is not None:
            x.vertices = self.transform(x.vertices)
            return x
        return with_vertices(x, self.transform(x.vertices))

    def _camera(self, what):
        camera = self.transformer if self.camera_mode is not None else self
        if not isinstance(camera, (Look, LookAt)):
            raise ValueError(f"{what}: only 'look' and 'look_at' cameras have eyes; this one is a projection")
        return camera

    def set_eyes_from_angles(self, distances, elevations, azimuths):
        self._camera("set_eyes_from_angles")._eye = srf.get_points_from_angles(distances, elevations, azimuths)

    def set_eyes(self, eyes):
        self._camera("set_eyes")._eye = eyes

    @property
    def eyes(self):
        return self._camera("eyes")._eye


class _Viewer(Transform):
    """A camera at an eye (look_at / look), then perspective or orthographic projection."""

    def __init__(self, perspective=True, viewing_angle=30, viewing_scale=1.0, eye=None):
        super().__init__()
        _check_viewing_angle(viewing_angle, perspective, eye)
        self.perspective, self.viewing_angle, self.viewing_scale = perspective, viewing_angle, viewing_scale
        self._eye = eye if eye is not None else [0.0, 0.0, -(1.0 / math.tan(math.radians(viewing_angle)) + 1)]

    def _project(self, vertices):
        if self.perspective:
            return srf.perspective(vertices, angle=self.viewing_angle)
        return srf.orthogonal(vertices, scale=self.viewing_scale)


class LookAt(_Viewer):
    """LookAt(perspective=True, viewing_angle=30, viewing_scale=1.0, eye=None): SoftRas's
    mirrored look_at towards the origin from eye (default (0, 0, -(1/tan(viewing_angle) + 1)))."""

    def transform(self, vertices):
        return self._project(srf.look_at(vertices, self._eye))


class Look(_Viewer):
    """Look(camera_direction=(0, 0, 1), perspective=True, viewing_angle=30, viewing_scale=1.0,
    eye=None): a camera at eye looking along camera_direction."""

    def __init__(self, camera_direction=(0, 0, 1), perspective=True, viewing_angle=30, viewing_scale=1.0,
                 eye=None):
        super().__init__(perspective, viewing_angle, viewing_scale, eye)
        self.camera_direction = camera_direction

    def transform(self, vertices):
        return self._project(srf.look(vertices, self._eye, self.camera_direction))


class Projection(Transform):
    """Projection(P (B, 3, 4), dist_coeffs=None (B, 5), orig_size=512): functional.projection."""

    def __init__(self, P, dist_coeffs=None, orig_size=512):
        super().__init__()
        P = torch.from_numpy(P) if isinstance(P, np.ndarray) else P
        P = P[None] if isinstance(P, torch.Tensor) and P.ndim == 2 else P
        if not isinstance(P, torch.Tensor) or P.ndim != 3 or tuple(P.shape[1:]) != (3, 4):
            got = "None" if P is None else tuple(P.shape) if hasattr(P, "shape") else type(P).__name__
            raise ValueError(f"P: camera_mode='projection' needs a projection matrix P of shape (B, 3, 4) or (3, 4); got {got}")
        self.P = P
        self.dist_coeffs = None if dist_coeffs is None else torch.as_tensor(dist_coeffs).reshape(-1, 5)
        self.orig_size = orig_size

    def transform(self, vertices):
        P = self.P.to(device=vertices.device, dtype=vertices.dtype)
        d = None if self.dist_coeffs is None else self.dist_coeffs.to(device=vertices.device, dtype=vertices.dtype)
        return srf.projection(vertices, P, d, self.orig_size)
