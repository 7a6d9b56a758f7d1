"""Taichi kernels of the soft rasterizer (no torch here)."""
from .binning import binning_kernels
from .config import ACC_ALPHA, ACC_CHANNELS, ACC_DEPTH, ACC_RGB, ACC_WEIGHT, RasterConfig
from .fragment import fragment_library
from .raster import pair_kernel, resolve_kernel


def clear_kernel_caches():
    """Forget compiled kernels (after taichi is re-initialised)."""
    for factory in (binning_kernels, fragment_library, pair_kernel, resolve_kernel):
        factory.cache_clear()
