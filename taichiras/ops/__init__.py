"""Ops: torch autograd functions over the taichi kernels."""
from .settings import RasterSettings
from .soft_rasterize import RasterDepth, rasterize, soft_rasterize

__all__ = ["soft_rasterize", "rasterize", "RasterSettings", "RasterDepth"]
