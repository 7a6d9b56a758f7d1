"""Under taichi's debug mode (bounds-checked ndarray access) every kernel path runs clean."""
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys, torch, taichiras
    sys.path.insert(0, {tests!r})
    from conftest import random_scene
    taichiras.init("cpu", debug=True, fast_math=False)
    for tex_type, rgb, dist in (("surface", "softmax", "euclidean"), ("vertex", "hard", "barycentric"),
                                ("surface", "hard", "hard")):
        fv, tex = random_scene(F=12, R=3, vertex=tex_type == "vertex", spread=1.3)
        fv.requires_grad_(); tex.requires_grad_()
        image, depth = taichiras.soft_rasterize(fv, tex, image_size=(19, 23), texture_type=tex_type,
                                                aggr_func_rgb=rgb, dist_func=dist, sigma_val=1e-2,
                                                return_depth=True, cull_backfaces=dist == "hard")
        (image.sum() + depth.soft.sum()).backward()
        assert torch.isfinite(fv.grad).all()
    print("debug ok")
""")


def test_debug_mode_bounds_checks_pass():
    tests = os.path.dirname(os.path.abspath(__file__))
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(tests=tests)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "debug ok" in run.stdout, run.stdout + run.stderr
