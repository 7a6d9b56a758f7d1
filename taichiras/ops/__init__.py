"""Ops: torch autograd functions over the taichi kernels."""
from .soft_rasterize import RasterDepth, soft_rasterize

__all__ = ["soft_rasterize", "RasterDepth"]
