"""taichiras: a differentiable soft rasterizer (Liu et al., ICCV 2019) on Taichi, for PyTorch."""
import os

# Idle OpenMP workers that spin-wait starve the other library's CPU threads (taichi's and
# torch's pools run back to back in a training step); passive waiting avoids it. It only takes
# effect before torch's OpenMP runtime starts, hence here, at import.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .ops import RasterDepth, RasterSettings, rasterize, soft_rasterize  # noqa: E402
from .runtime import init  # noqa: E402

__all__ = ["init", "soft_rasterize", "rasterize", "RasterSettings", "RasterDepth"]
__version__ = "0.1.0"
