"""Taichi kernels of the soft rasterizer (no torch here)."""
from .binning import binning_kernels
from .config import (ACC_ALPHA, ACC_CHANNELS, ACC_DEPTH, ACC_RGB, ACC_WEIGHT, RasterConfig,
                     clear_kernel_caches)
from .fragment import fragment_library
from .raster import pair_kernel, resolve_kernel

__all__ = ["ACC_ALPHA", "ACC_CHANNELS", "ACC_DEPTH", "ACC_RGB", "ACC_WEIGHT", "RasterConfig",
           "binning_kernels", "fragment_library", "pair_kernel", "resolve_kernel",
           "clear_kernel_caches"]
