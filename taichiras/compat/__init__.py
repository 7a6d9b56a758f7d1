"""Compatibility layers for other renderers' APIs.

``soft_renderer``: SoftRas's Python API, both generations (taichiras.compat.soft_renderer).
``install()`` registers it as ``soft_renderer`` (with its submodules) so SoftRas scripts import
it unchanged; ``python -m taichiras.compat.run script.py`` does that and runs a script.
"""
import importlib
import sys

SUBMODULES = ("functional", "mesh", "transform", "lighting", "rasterizer", "renderer", "losses")


def install(name="soft_renderer"):
    """Make ``import soft_renderer`` and ``soft_renderer.functional``, ``.mesh``, ... give the
    compat layer, in every import form (``import a.b as c``, ``from a.b import x``, ``from a
    import b``), one module object each. Returns the package."""
    package = importlib.import_module("taichiras.compat.soft_renderer")
    sys.modules[name] = package
    for sub in SUBMODULES:
        sys.modules[f"{name}.{sub}"] = importlib.import_module(f"taichiras.compat.soft_renderer.{sub}")
    return package
