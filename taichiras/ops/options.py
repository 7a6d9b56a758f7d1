"""Checking soft_rasterize's arguments: clear errors naming the argument, then a typed plan."""
import math
import numbers
from dataclasses import dataclass

import torch

from ..kernels.config import AGGR_ALPHA, AGGR_RGB, DIST_FUNCS, TEXTURE_TYPES


def _choice(name, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def _real(name, value):
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"{name} must be a number; got a tensor of shape {tuple(value.shape)}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return value


def _flag(name, value):
    if not isinstance(value, (bool, int)) or isinstance(value, float):
        raise TypeError(f"{name} must be a bool; got {type(value).__name__}")
    return bool(value)


def image_shape(image_size):
    """(H, W) from an int or an (H, W) pair."""
    size = (image_size, image_size) if isinstance(image_size, numbers.Integral) else image_size
    try:
        H, W = size
    except (TypeError, ValueError):
        raise TypeError(f"image_size must be an int or an (H, W) pair; got {image_size!r}") from None
    for v in (H, W):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
            raise ValueError(f"image_size must hold positive ints; got {image_size!r}")
    return int(H), int(W)


def check_tensor(name, t, ndim, trailing=None):
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(t).__name__}")
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{name} must be float32 or float64; got {t.dtype}")
    if t.ndim != ndim or (trailing is not None and tuple(t.shape[-len(trailing):]) != trailing):
        want = ", ".join(["?"] * (ndim - len(trailing or ())) + [str(s) for s in trailing or ()])
        raise ValueError(f"{name} must have shape ({want}); got {tuple(t.shape)}")


@dataclass
class RasterOptions:
    """soft_rasterize's options after checking."""

    H: int
    W: int
    background: tuple
    near: float
    far: float
    eps: float
    sigma: float
    gamma: float
    dist_eps: float
    fill_back: bool
    dist_func: str
    aggr_func_rgb: str
    aggr_func_alpha: str
    texture_type: str
    cull_backfaces: bool
    return_depth: bool

    @property
    def cull_threshold(self):
        """ln(1/dist_eps - 1) * sigma: squared NDC distance (or -s) beyond which a face is culled."""
        return math.log(1.0 / self.dist_eps - 1.0) * self.sigma

    @property
    def reach(self):
        """(scale, margin) of the box a face can reach: exact bounds of the culling rule."""
        if self.dist_func == "euclidean":
            return 1.0, math.sqrt(self.cull_threshold)
        if self.dist_func == "barycentric":
            return 1.0 + 3.0 * math.sqrt(self.cull_threshold), 0.0
        return 1.0, 0.0


def check_options(image_size, background_color, near, far, fill_back, eps, sigma_val, dist_func,
                  dist_eps, gamma_val, aggr_func_rgb, aggr_func_alpha, texture_type,
                  cull_backfaces, return_depth):
    H, W = image_shape(image_size)
    if isinstance(background_color, torch.Tensor):
        background_color = background_color.detach().cpu().tolist()
    try:
        background = tuple(_real("background_color", v) for v in background_color)
    except TypeError:
        raise TypeError(f"background_color must be 3 numbers; got {background_color!r}") from None
    if len(background) != 3:
        raise ValueError(f"background_color must be 3 numbers (RGB); got {background_color!r}")
    near, far = _real("near", near), _real("far", far)
    if near >= far:
        raise ValueError(f"near must be less than far; got near={near}, far={far}")
    sigma, gamma = _real("sigma_val", sigma_val), _real("gamma_val", gamma_val)
    if sigma <= 0:
        raise ValueError(f"sigma_val must be > 0; got {sigma}")
    if gamma <= 0:
        raise ValueError(f"gamma_val must be > 0; got {gamma}")
    dist_eps = _real("dist_eps", dist_eps)
    if not 0 < dist_eps < 0.5:
        raise ValueError(f"dist_eps must lie in (0, 0.5); got {dist_eps}")
    return RasterOptions(
        H=H, W=W, background=background, near=near, far=far, eps=_real("eps", eps),
        sigma=sigma, gamma=gamma, dist_eps=dist_eps, fill_back=_flag("fill_back", fill_back),
        dist_func=_choice("dist_func", dist_func, DIST_FUNCS),
        aggr_func_rgb=_choice("aggr_func_rgb", aggr_func_rgb, AGGR_RGB),
        aggr_func_alpha=_choice("aggr_func_alpha", aggr_func_alpha, AGGR_ALPHA),
        texture_type=_choice("texture_type", texture_type, TEXTURE_TYPES),
        cull_backfaces=_flag("cull_backfaces", cull_backfaces),
        return_depth=_flag("return_depth", return_depth))


def check_inputs(face_vertices, textures, texture_type):
    """Shapes, dtypes and devices of face_vertices (B, F, 3, 3) and textures; returns R."""
    check_tensor("face_vertices", face_vertices, 4, (3, 3))
    if not torch.isfinite(face_vertices.detach()).all():
        raise ValueError("face_vertices must be finite (found NaN or inf)")
    if textures is None:
        return 1
    B, F = face_vertices.shape[:2]
    if texture_type == "vertex":
        check_tensor("textures", textures, 4, (3, 3))
    else:
        check_tensor("textures", textures, 4, (3,))
    if textures.device != face_vertices.device:
        raise ValueError(f"face_vertices is on {face_vertices.device} but textures is on "
                         f"{textures.device}; put both on one device")
    if textures.shape[0] != B:
        raise ValueError(f"textures has batch size {textures.shape[0]} but face_vertices has {B}")
    if textures.shape[1] != F:
        raise ValueError(f"textures has {textures.shape[1]} faces but face_vertices has {F}")
    if texture_type == "vertex":
        return 1
    R = math.isqrt(textures.shape[2])
    if R * R != textures.shape[2] or R == 0:
        raise ValueError(f"surface textures need R*R texels per face (a square number); got "
                         f"{textures.shape[2]} in textures of shape {tuple(textures.shape)}")
    return R
