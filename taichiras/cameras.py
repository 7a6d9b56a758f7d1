"""Cameras: world vertices to soft_rasterize's input space (x, y in NDC, z = depth).

Right-handed, as gluLookAt: the camera looks along ``at - eye`` with ``up`` up, and its right is
forward x up. So a camera on the -z axis looking at the origin sees world +x on the LEFT of the
image. ``mirror_x=True`` gives SoftRas's camera instead, the mirror image (right = up x forward,
world +x on the RIGHT from the -z axis): SoftRas's data sets and trained models are in it.
Everything is batched and differentiable (vertices, eye, at, rotation, intrinsics).
"""

import torch
import torch.nn.functional as nnf

from .ops.settings import image_shape


def _vec(x, like):
    return torch.as_tensor(x, dtype=like.dtype, device=like.device).reshape(-1, 3)


def eye_from_angles(distance, elevation, azimuth, degrees=True):
    """Camera positions (N, 3) on a sphere around the origin; azimuth 0 is on the -z axis,
    elevation lifts towards +y: (d cos(el) sin(az), d sin(el), -d cos(el) cos(az))."""
    d, el, az = (v if isinstance(v, torch.Tensor) else torch.as_tensor(v, dtype=torch.get_default_dtype())
                 for v in (distance, elevation, azimuth))
    if degrees:
        el, az = torch.deg2rad(el), torch.deg2rad(az)
    d, el, az = torch.broadcast_tensors(d, el, az)
    return torch.stack([d * torch.cos(el) * torch.sin(az), d * torch.sin(el),
                        -d * torch.cos(el) * torch.cos(az)], -1).reshape(-1, 3)


def look_at_rotation(eye, at, up, mirror_x=False):
    """(B, 3, 3) world-to-camera rotation whose rows are the camera's right, up and forward;
    mirror_x negates the right row (SoftRas's handedness)."""
    forward = nnf.normalize(at - eye, dim=-1)
    up = up.expand_as(forward)
    right = torch.cross(forward, up, dim=-1)
    # When up is parallel to the view direction, fall back to another up (+z, then +x).
    for alt in ((0.0, 0.0, 1.0), (1.0, 0.0, 0.0)):
        bad = right.norm(dim=-1, keepdim=True) < 1e-8
        right = torch.where(bad, torch.cross(forward, _vec(alt, forward).expand_as(forward), dim=-1), right)
    right = nnf.normalize(right, dim=-1)
    return torch.stack([-right if mirror_x else right, torch.cross(right, forward, dim=-1), forward], 1)


def world_to_camera(vertices, rotation, eye):
    """Camera-space vertices (B, V, 3) = R (v - eye)."""
    if vertices.ndim == 2:
        vertices = vertices[None]
    return torch.einsum("bij,bvj->bvi", rotation, vertices - eye[:, None])


def look_at(vertices, eye, at=(0.0, 0.0, 0.0), up=(0.0, 1.0, 0.0), mirror_x=False):
    """Camera-space vertices (B, V, 3): x right, y up, z depth along the view direction
    (mirror_x: SoftRas's handedness)."""
    eye = _vec(eye, vertices)
    rotation = look_at_rotation(eye, _vec(at, vertices), _vec(up, vertices), mirror_x)
    return world_to_camera(vertices, rotation, eye)


def look(vertices, eye, direction=(0.0, 0.0, 1.0), up=(0.0, 1.0, 0.0), mirror_x=False):
    """Camera-space vertices for a camera at ``eye`` looking along ``direction``."""
    eye = _vec(eye, vertices)
    return look_at(vertices, eye, eye + _vec(direction, vertices), up, mirror_x)


def _safe_depth(z):
    """z with |z| < 1e-12 replaced by 1e-12 (the rasterizer never colours faces with z <= 0)."""
    return torch.where(z.abs() > 1e-12, z, torch.full_like(z, 1e-12))


def perspective(camera_vertices, fov=30.0, aspect=1.0):
    """Perspective divide: x / (z tan(fov/2) aspect), y / (z tan(fov/2)), z kept as depth.

    fov is the vertical field of view in degrees; aspect = width / height.
    """
    t = torch.tan(torch.deg2rad(torch.as_tensor(fov, dtype=camera_vertices.dtype,
                                                device=camera_vertices.device)) / 2)
    t = t.reshape(-1, 1) if t.ndim else t
    z = camera_vertices[..., 2]
    safe = _safe_depth(z)
    return torch.stack([camera_vertices[..., 0] / (safe * t * aspect),
                        camera_vertices[..., 1] / (safe * t), z], -1)


def orthographic(camera_vertices, scale=1.0, aspect=1.0):
    """Orthographic: x * scale / aspect, y * scale, z kept as depth."""
    return torch.stack([camera_vertices[..., 0] * scale / aspect, camera_vertices[..., 1] * scale,
                        camera_vertices[..., 2]], -1)


def distort(x, y, dist_coeffs):
    """OpenCV radial/tangential distortion of normalised image coordinates; dist_coeffs (B, 5) =
    (k1, k2, p1, p2, k3)."""
    k1, k2, p1, p2, k3 = (dist_coeffs[:, i:i + 1] for i in range(5))
    r2 = x * x + y * y
    radial = 1 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2
    xd = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x)
    yd = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
    return xd, yd


def pixel_to_ndc(u, v, H, W):
    """Pixel coordinates (u right, v down, pixel centres at integers) to NDC (x right, y up):
    the rasterizer's one pixel rule, column c at x = (2c + 1 - W) / W, row r at
    y = (H - 1 - 2r) / H."""
    return (2 * u + 1 - W) / W, (H - 1 - 2 * v) / H


def ndc_to_pixel(x, y, H, W):
    """Inverse of pixel_to_ndc."""
    return (x * W + W - 1) / 2, (H - 1 - y * H) / 2


def project_opencv(vertices, K, R, t, dist_coeffs=None, image_size=(256, 256)):
    """OpenCV pinhole projection K [R | t] (+ distortion) into NDC and depth.

    K (B, 3, 3), R (B, 3, 3), t (B, 3) map world to OpenCV camera space (x right, y DOWN, z
    forward); pixel (u, v) has its centre at integers, v down. Returns (B, V, 3): x, y in the
    rasterizer's NDC for an image of image_size = (H, W), z = depth.
    """
    H, W = image_shape(image_size)
    if vertices.ndim == 2:
        vertices = vertices[None]
    cam = torch.einsum("bij,bvj->bvi", R, vertices) + t[:, None]
    z = cam[..., 2]
    safe = _safe_depth(z)
    x, y = cam[..., 0] / safe, cam[..., 1] / safe
    if dist_coeffs is not None:
        x, y = distort(x, y, dist_coeffs)
    u = K[:, 0, 0, None] * x + K[:, 0, 1, None] * y + K[:, 0, 2, None]
    v = K[:, 1, 1, None] * y + K[:, 1, 2, None]
    return torch.stack([*pixel_to_ndc(u, v, H, W), z], -1)


class Camera(torch.nn.Module):
    """A batch of look-at cameras: perspective (fov, degrees) or orthographic (scale).

    eye (N, 3) or (3,), at, up: tensors may require grad (camera pose optimisation). mirror_x:
    SoftRas's handedness (see the module docstring).
    ``forward(vertices (B, V, 3), image_size=(H, W))`` returns projected vertices (N or B, V, 3);
    the image size sets the aspect ratio (square when not given).
    """

    def __init__(self, eye, at=(0.0, 0.0, 0.0), up=(0.0, 1.0, 0.0), fov=30.0,
                 projection="perspective", scale=1.0, mirror_x=False):
        super().__init__()
        if projection not in ("perspective", "orthographic"):
            raise ValueError(f"projection must be 'perspective' or 'orthographic'; got {projection!r}")
        self.eye = torch.as_tensor(eye, dtype=torch.get_default_dtype()).reshape(-1, 3) \
            if not isinstance(eye, torch.Tensor) else eye.reshape(-1, 3)
        self.at, self.up, self.fov, self.projection, self.scale = at, up, fov, projection, scale
        self.mirror_x = mirror_x

    @classmethod
    def from_angles(cls, distance, elevation, azimuth, **kw):
        return cls(eye_from_angles(distance, elevation, azimuth), **kw)

    def __len__(self):
        return self.eye.shape[0]

    def forward(self, vertices, image_size=None):
        H, W = image_shape(image_size) if image_size is not None else (1, 1)
        aspect = W / H
        eye = self.eye.to(device=vertices.device, dtype=vertices.dtype)
        cam = look_at(vertices, eye, self.at, self.up, self.mirror_x)
        if self.projection == "perspective":
            return perspective(cam, self.fov, aspect)
        return orthographic(cam, self.scale, aspect)


class OpenCVCamera(torch.nn.Module):
    """Cameras from calibration: K (N, 3, 3), R (N, 3, 3), t (N, 3), dist_coeffs (N, 5) or None.

    image_size: the calibration's (H, W). NDC do not depend on resolution, so rendering at
    another size shows the same view scaled; None takes the render's size.
    """

    def __init__(self, K, R, t, dist_coeffs=None, image_size=None):
        super().__init__()
        self.K, self.R, self.t = K.reshape(-1, 3, 3), R.reshape(-1, 3, 3), t.reshape(-1, 3)
        self.dist_coeffs = None if dist_coeffs is None else dist_coeffs.reshape(-1, 5)
        self.image_size = image_size

    def __len__(self):
        return self.K.shape[0]

    def forward(self, vertices, image_size=None):
        size = self.image_size if self.image_size is not None else image_size
        if size is None:
            raise ValueError("image_size: OpenCVCamera needs the calibration's (H, W), in the "
                             "constructor or from the renderer")
        return project_opencv(vertices, self.K, self.R, self.t, self.dist_coeffs, size)
