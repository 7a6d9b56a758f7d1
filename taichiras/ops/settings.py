"""RasterSettings: soft_rasterize's options, their defaults (the official SoftRas op's) and checks,
written once. Renderers hold one and take per-call overrides with ``settings.replace(...)``."""
import dataclasses
import math
import numbers

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
    """(H, W) from an int or an (H, W) pair: the one image-size rule."""
    size = (image_size, image_size) if isinstance(image_size, numbers.Integral) else image_size
    try:
        H, W = size
    except (TypeError, ValueError):
        raise TypeError(f"image_size must be an int or an (H, W) pair; got {image_size!r}") from None
    for v in (H, W):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
            raise ValueError(f"image_size must hold positive ints; got {image_size!r}")
    return int(H), int(W)


@dataclasses.dataclass(frozen=True, kw_only=True)
class RasterSettings:
    """How faces become pixels; the defaults are the official SoftRas op's (see the spec).

    Constructing one checks every field and raises ValueError/TypeError naming the bad one.
    """

    image_size: object = 256            # int or (H, W)
    background_color: tuple = (0.0, 0.0, 0.0)  # RGB where nothing is coloured
    near: float = 1.0                   # faces nearer than this get no colour
    far: float = 100.0                  # nor farther than this; depth normalisation
    fill_back: bool = True              # back faces coloured too (alpha always counts them)
    eps: float = 1e-3                   # background softmax weight exp(2 eps / gamma)
    sigma_val: float = 1e-5             # edge sharpness, squared NDC units
    dist_func: str = "euclidean"        # 'euclidean' | 'barycentric' | 'hard'
    dist_eps: float = 1e-4              # coverage below which a face is culled
    gamma_val: float = 1e-4             # depth softmax temperature
    aggr_func_rgb: str = "softmax"      # 'softmax' | 'hard' (z-buffer)
    aggr_func_alpha: str = "prod"       # 'prod' | 'sum' | 'hard'
    texture_type: str = "surface"       # 'surface' (R*R texels per face) | 'vertex'
    cull_backfaces: bool = False        # drop back faces entirely (not SoftRas)
    return_depth: bool = False          # also return a RasterDepth (not SoftRas)

    def __post_init__(self):
        image_shape(self.image_size)
        bg = self.background_color
        if isinstance(bg, torch.Tensor):
            bg = bg.detach().cpu().tolist()
        try:
            bg = tuple(_real("background_color", v) for v in bg)
        except TypeError:
            raise TypeError(f"background_color must be 3 numbers; got {self.background_color!r}") from None
        if len(bg) != 3:
            raise ValueError(f"background_color must be 3 numbers (RGB); got {self.background_color!r}")
        values = dict(background_color=bg)
        for name in ("near", "far", "eps", "sigma_val", "dist_eps", "gamma_val"):
            values[name] = _real(name, getattr(self, name))
        for name in ("fill_back", "cull_backfaces", "return_depth"):
            values[name] = _flag(name, getattr(self, name))
        for name, allowed in (("dist_func", DIST_FUNCS), ("aggr_func_rgb", AGGR_RGB),
                              ("aggr_func_alpha", AGGR_ALPHA), ("texture_type", TEXTURE_TYPES)):
            values[name] = _choice(name, getattr(self, name), allowed)
        if values["near"] >= values["far"]:
            raise ValueError(f"near must be less than far; got near={values['near']}, far={values['far']}")
        for name in ("sigma_val", "gamma_val"):
            if values[name] <= 0:
                raise ValueError(f"{name} must be > 0; got {values[name]}")
        if not 0 < values["dist_eps"] < 0.5:
            raise ValueError(f"dist_eps must lie in (0, 0.5); got {values['dist_eps']}")
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes):
        """A copy with some fields changed (and checked)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown raster setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    @property
    def shape(self):
        """(H, W)."""
        return image_shape(self.image_size)

    @property
    def cull_threshold(self):
        """ln(1/dist_eps - 1) * sigma: squared NDC distance (or -s) beyond which a face is culled."""
        return math.log(1.0 / self.dist_eps - 1.0) * self.sigma_val

    @property
    def reach(self):
        """(scale, margin) of the box a face can reach: exact bounds of the culling rule."""
        if self.dist_func == "euclidean":
            return 1.0, math.sqrt(self.cull_threshold)
        if self.dist_func == "barycentric":
            return 1.0 + 3.0 * math.sqrt(self.cull_threshold), 0.0
        return 1.0, 0.0


def check_tensor(name, t, ndim, trailing=None):
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(t).__name__}")
    if t.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"{name} must be float32 or float64; got {t.dtype}")
    if t.ndim != ndim or (trailing is not None and tuple(t.shape[-len(trailing):]) != trailing):
        want = ", ".join(["?"] * (ndim - len(trailing or ())) + [str(s) for s in trailing or ()])
        raise ValueError(f"{name} must have shape ({want}); got {tuple(t.shape)}")


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
