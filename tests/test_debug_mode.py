"""Under taichi's debug mode (bounds-checked ndarray access) every kernel path runs clean."""
import torch
from isolated import run_isolated
from scenes import random_scene

import taichiras


def render_under_debug_mode(arch):
    taichiras.init(arch, debug=True, fast_math=False)
    device = "cuda" if arch == "cuda" else "cpu"
    for tex_type, rgb, dist in (("surface", "softmax", "euclidean"), ("vertex", "hard", "barycentric"),
                                ("surface", "hard", "hard")):
        fv, tex = random_scene(F=12, R=3, vertex=tex_type == "vertex", spread=1.3, device=device)
        fv.requires_grad_()
        tex.requires_grad_()
        image, depth = taichiras.soft_rasterize(fv, tex, image_size=(19, 23), texture_type=tex_type,
                                                aggr_func_rgb=rgb, dist_func=dist, sigma_val=1e-2,
                                                return_depth=True, cull_backfaces=dist == "hard")
        (image.sum() + depth.soft.sum()).backward()
        assert torch.isfinite(fv.grad).all()


def test_debug_mode_bounds_checks_pass(device):
    run_isolated("test_debug_mode:render_under_debug_mode", device.type)
