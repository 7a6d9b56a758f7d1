"""The static choices that select one compiled variant of the rasterization kernels, and the
registry of cached kernel factories."""
import functools
from dataclasses import dataclass

import taichi as ti

nd = ti.types.ndarray
_FACTORIES = []


def kernel_factory(make):
    """Cache a function that builds taichi kernels, per argument value, and register it so
    ``clear_kernel_caches`` forgets them when taichi is re-initialised."""
    cached = functools.lru_cache(maxsize=None)(make)
    _FACTORIES.append(cached)
    return cached


def clear_kernel_caches():
    """Forget compiled kernels (after taichi is re-initialised)."""
    for factory in _FACTORIES:
        factory.cache_clear()

DIST_FUNCS = ("euclidean", "barycentric", "hard")
AGGR_ALPHA = ("prod", "sum", "hard")
AGGR_RGB = ("softmax", "hard")
TEXTURE_TYPES = ("surface", "vertex")

ACC_ALPHA, ACC_RGB, ACC_WEIGHT, ACC_DEPTH = 0, 1, 4, 5
ACC_CHANNELS = 6


@dataclass(frozen=True)
class RasterConfig:
    """Compile-time options; each distinct value is one cached kernel set.

    colour: accumulate softmax-weighted colour; depth: accumulate softmax-weighted depth.
    """

    real: str = "f32"
    dist_func: str = "euclidean"
    aggr_func_alpha: str = "prod"
    texture_type: str = "surface"
    fill_back: bool = True
    cull_backfaces: bool = False
    colour: bool = True
    depth: bool = False
    tile: int = 8

    @property
    def ti_real(self):
        return {"f32": ti.f32, "f64": ti.f64}[self.real]
