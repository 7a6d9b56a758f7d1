"""taichiras: a differentiable soft rasterizer (Liu et al., ICCV 2019) on Taichi, for PyTorch."""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .ops.soft_rasterize import RasterDepth, soft_rasterize  # noqa: E402
from .runtime import init  # noqa: E402

__all__ = ["init", "soft_rasterize", "RasterDepth"]
__version__ = "0.1.0"
