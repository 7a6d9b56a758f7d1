"""Gradients are the exact gradient of the forward: equal to autograd of the reference, and to
finite differences (gradcheck) in float64."""
import pytest
import torch
from reference import OPTION_COMBOS, reference_soft_rasterize
from scenes import random_scene

import taichiras


def weighted_grads(fn, fv, tex, **kw):
    f = fv.clone().requires_grad_()
    t = tex.clone().requires_grad_()
    image, depth = fn(f, t, return_depth=True, **kw)
    g = torch.Generator().manual_seed(11)
    weights = [torch.rand(x.shape, generator=g, dtype=torch.float64).to(x) for x in (image, depth[0])]
    loss = (image * weights[0]).sum() + (depth[0] * weights[1]).sum()
    loss.backward()
    return f.grad, (t.grad if t.grad is not None else torch.zeros_like(t))


@pytest.mark.parametrize("dist,alpha,rgb,tex_type,fill_back", OPTION_COMBOS)
def test_gradients_equal_reference_autograd(dist, alpha, rgb, tex_type, fill_back, device):
    fv, tex = random_scene(vertex=tex_type == "vertex", device=device, seed=OPTION_COMBOS.index(
        (dist, alpha, rgb, tex_type, fill_back)))
    kw = dict(image_size=(13, 17), dist_func=dist, aggr_func_alpha=alpha, aggr_func_rgb=rgb,
              texture_type=tex_type, fill_back=fill_back, sigma_val=3e-3, gamma_val=0.05)
    gf, gt = weighted_grads(taichiras.soft_rasterize, fv, tex, **kw)
    rf, rt = weighted_grads(reference_soft_rasterize, fv, tex, **kw)
    assert rf.abs().max() > 0
    torch.testing.assert_close(gf, rf, rtol=1e-7, atol=1e-7 * rf.abs().max().item())
    torch.testing.assert_close(gt, rt, rtol=1e-8, atol=1e-10)


def test_gradients_reach_z_and_xy(device):
    fv, tex = random_scene(vertex=True, seed=5, device=device)
    gf, _ = weighted_grads(taichiras.soft_rasterize, fv, tex, image_size=16, sigma_val=1e-2,
                           gamma_val=0.05, texture_type="vertex")
    assert gf[..., 0].abs().max() > 0 and gf[..., 1].abs().max() > 0 and gf[..., 2].abs().max() > 0


@pytest.mark.parametrize("dist,tex_type,alpha", [
    ("euclidean", "vertex", "prod"), ("barycentric", "vertex", "sum"),
    ("euclidean", "surface", "prod"), ("barycentric", "surface", "prod")])
def test_gradcheck(dist, tex_type, alpha, device):
    """Surface textures use R = 1: nearest-texel switches are true jumps of the forward model,
    which finite differences straddle (R > 1 is covered against the reference above)."""
    fv, tex = random_scene(B=1, F=3, R=1, vertex=tex_type == "vertex", seed=21, device=device)
    fv.requires_grad_()
    tex.requires_grad_()

    def render(f, t):
        image, depth = taichiras.soft_rasterize(
            f, t, image_size=(6, 8), dist_func=dist, texture_type=tex_type, aggr_func_alpha=alpha,
            sigma_val=2e-2, gamma_val=0.1, return_depth=True)
        return image, depth.soft

    assert torch.autograd.gradcheck(render, (fv, tex), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_silhouette_loss_backward_skips_colour_but_matches(device):
    fv, tex = random_scene(seed=8, device=device)
    kw = dict(image_size=(12, 12), sigma_val=1e-2, gamma_val=0.05)
    f1 = fv.clone().requires_grad_()
    taichiras.soft_rasterize(f1, tex, **kw)[:, 3].sum().backward()
    f2 = fv.clone().requires_grad_()
    reference_soft_rasterize(f2, tex, **kw)[:, 3].sum().backward()
    torch.testing.assert_close(f1.grad, f2.grad, rtol=1e-8, atol=1e-10)


def test_float32_gradients_close_to_float64(device):
    fv, tex = random_scene(seed=9, vertex=True, device=device)
    kw = dict(image_size=(12, 16), sigma_val=1e-2, gamma_val=0.05, texture_type="vertex")
    g64, t64 = weighted_grads(taichiras.soft_rasterize, fv, tex, **kw)
    g32, t32 = weighted_grads(taichiras.soft_rasterize, fv.float(), tex.float(), **kw)
    assert g32.dtype == torch.float32
    torch.testing.assert_close(g32.double(), g64, rtol=1e-3, atol=1e-3 * g64.abs().max().item())
