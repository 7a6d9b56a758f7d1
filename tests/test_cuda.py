"""CUDA backend: same results and gradients as the CPU reference (runs only with a GPU)."""
import os
import subprocess
import sys
import textwrap

import pytest
import torch

pytestmark = [pytest.mark.cuda, pytest.mark.skipif(
    not torch.cuda.is_available(), reason="no CUDA device here: CUDA tests skipped")]

SCRIPT = textwrap.dedent("""
    import itertools, sys, torch, taichiras
    sys.path.insert(0, {tests!r})
    from conftest import random_scene
    from reference import reference_soft_rasterize
    taichiras.init("cuda", fast_math=False)
    for dist, alpha, rgb, tex_type in itertools.product(
            ["euclidean", "barycentric", "hard"], ["prod", "sum", "hard"], ["softmax", "hard"],
            ["surface", "vertex"]):
        fv, tex = random_scene(vertex=tex_type == "vertex")
        kw = dict(image_size=(13, 17), dist_func=dist, aggr_func_alpha=alpha, aggr_func_rgb=rgb,
                  texture_type=tex_type, sigma_val=3e-3, gamma_val=0.05)
        outs = []
        for fn, dev in ((taichiras.soft_rasterize, "cuda"), (reference_soft_rasterize, "cpu")):
            f = fv.clone().to(dev).requires_grad_()
            t = tex.clone().to(dev).requires_grad_()
            image = fn(f, t, **kw)
            assert image.device.type == dev
            w = torch.linspace(0, 1, image.numel(), dtype=image.dtype).reshape(image.shape)
            (image * w.to(dev)).sum().backward()
            g = t.grad if t.grad is not None else torch.zeros_like(t)
            outs.append([x.detach().cpu() for x in (image, f.grad, g)])
        for a, b in zip(*outs):
            torch.testing.assert_close(a, b, rtol=1e-7, atol=1e-9)
    cpu_inputs = random_scene()[0].float()
    image = taichiras.soft_rasterize(cpu_inputs, None, image_size=8)
    assert image.device.type == "cpu"
    print("cuda ok")
""")


def test_cuda_matches_reference():
    tests = os.path.dirname(os.path.abspath(__file__))
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(tests=tests)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "cuda ok" in run.stdout, run.stdout + run.stderr
