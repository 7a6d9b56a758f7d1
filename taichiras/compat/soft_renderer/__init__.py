"""Drop-in for SoftRas 1.0: ``import taichiras.compat.soft_renderer as sr``.

The API of ../shared/spec/softras-api.md over taichiras' native modules; SoftRas scripts run
with that import and ``.to(device)`` in place of ``.cuda()``. Its look_at keeps SoftRas's
left-right mirrored camera so SoftRas data and models line up.
"""
from . import functional
from .lighting import AmbientLighting, DirectionalLighting, Lighting
from .losses import FlattenLoss, LaplacianLoss
from .mesh import Mesh
from .renderer import Renderer, SoftRasterizer, SoftRenderer
from .transform import Look, LookAt, Projection, Transform

__all__ = ["functional", "Mesh", "SoftRenderer", "Renderer", "Projection", "LookAt", "Look",
           "Transform", "AmbientLighting", "DirectionalLighting", "Lighting", "SoftRasterizer",
           "LaplacianLoss", "FlattenLoss"]
