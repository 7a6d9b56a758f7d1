"""SoftRas's Python API on taichiras: ``import taichiras.compat.soft_renderer as sr``, or
``taichiras.compat.install()`` and ``import soft_renderer as sr``.

Both API generations in one package, dispatching on what is passed: SoftRas 1.0 ("legacy":
``SoftRenderer``, ``Transform``, transforms of vertex tensors, lighting in place) and upstream
master after June 2021 (``LookAt``/``Look``/``Projection``/``Lighting`` take and return a Mesh,
``SoftRasterizer`` renders it). An adapter over taichiras' native modules; its cameras keep
SoftRas's left-right mirrored look_at so SoftRas data and models line up. Submodules import
each other absolutely, so aliasing this package under another name works.
"""
from taichiras.compat.soft_renderer import functional
from taichiras.compat.soft_renderer.lighting import AmbientLighting, DirectionalLighting, Lighting
from taichiras.compat.soft_renderer.losses import FlattenLoss, LaplacianLoss
from taichiras.compat.soft_renderer.mesh import Mesh
from taichiras.compat.soft_renderer.rasterizer import SoftRasterizer
from taichiras.compat.soft_renderer.renderer import Renderer, SoftRenderer
from taichiras.compat.soft_renderer.transform import Look, LookAt, Projection, Transform

__version__ = "1.0.0"
__all__ = ["functional", "Mesh", "SoftRenderer", "Renderer", "Projection", "LookAt", "Look",
           "Transform", "AmbientLighting", "DirectionalLighting", "Lighting", "SoftRasterizer",
           "LaplacianLoss", "FlattenLoss"]
