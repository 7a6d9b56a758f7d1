"""The op's forward equals the dense pure-torch reference, for every option combination."""
import pytest
import torch
from isolated import run_isolated
from reference import OPTION_COMBOS, reference_soft_rasterize
from scenes import random_scene

import taichiras


@pytest.mark.parametrize("size", [16, (13, 17)], ids=["square", "nonsquare"])
@pytest.mark.parametrize("dist,alpha,rgb,tex_type,fill_back", OPTION_COMBOS)
def test_matches_reference(dist, alpha, rgb, tex_type, fill_back, size, device):
    fv, tex = random_scene(vertex=tex_type == "vertex", R=3, device=device,
                           seed=OPTION_COMBOS.index((dist, alpha, rgb, tex_type, fill_back)))
    kw = dict(image_size=size, dist_func=dist, aggr_func_alpha=alpha, aggr_func_rgb=rgb,
              texture_type=tex_type, fill_back=fill_back, sigma_val=3e-3, gamma_val=0.05,
              background_color=(0.1, 0.2, 0.3), return_depth=True)
    image, depth = taichiras.soft_rasterize(fv, tex, **kw)
    ref_image, ref_depth = reference_soft_rasterize(fv, tex, **kw)
    H, W = (size, size) if isinstance(size, int) else size
    assert image.shape == (2, 4, H, W) and image.device == fv.device
    assert image[:, 3].max() > 0 and image[:, 3].min() == 0
    torch.testing.assert_close(image, ref_image, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(depth.soft, ref_depth[0], rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(depth.zbuf, ref_depth[1], rtol=1e-9, atol=1e-9)
    assert torch.equal(depth.face_index, ref_depth[2])


@pytest.mark.parametrize("cull", [False, True])
@pytest.mark.parametrize("dist", ["euclidean", "barycentric", "hard"])
def test_cull_backfaces(dist, cull, device):
    fv, tex = random_scene(F=10, seed=3, device=device)
    kw = dict(image_size=(12, 20), dist_func=dist, sigma_val=1e-2, gamma_val=0.1,
              cull_backfaces=cull)
    torch.testing.assert_close(taichiras.soft_rasterize(fv, tex, **kw),
                               reference_soft_rasterize(fv, tex, **kw), rtol=1e-9, atol=1e-10)


def test_cull_backfaces_removes_back_faces_entirely(device):
    front = torch.tensor([[[-0.5, -0.5, 2.0], [0.0, 0.5, 2.0], [0.5, -0.5, 2.0]]], dtype=torch.float64,
                         device=device)
    back = front[:, [0, 2, 1]]
    tex = torch.ones(1, 1, 1, 3, dtype=torch.float64, device=device)
    for faces, visible in ((front, True), (back, False)):
        image = taichiras.soft_rasterize(faces[None], tex, image_size=16, cull_backfaces=True)
        assert (image[0, 3].max() > 0.99) == visible
        assert (image[0, :3].max() > 0.99) == visible
    image = taichiras.soft_rasterize(back[None], tex, image_size=16, fill_back=False)
    assert image[0, 3].max() > 0.99 and image[0, :3].max() == 0


def test_silhouette_only_matches_alpha_of_full_render(device):
    fv, tex = random_scene(seed=4, device=device)
    kw = dict(image_size=(10, 14), sigma_val=1e-2)
    full = taichiras.soft_rasterize(fv, tex, **kw)
    sil = taichiras.soft_rasterize(fv, None, **kw)
    torch.testing.assert_close(sil[:, 3], full[:, 3], rtol=1e-14, atol=1e-14)
    assert sil[:, :3].abs().max() == 0


def test_pixel_convention_row0_is_top_col0_is_left(device):
    tri = torch.tensor([[[[-1.0, 1.0, 2.0], [-1.0, 0.5, 2.0], [-0.5, 1.0, 2.0]]]], dtype=torch.float64,
                       device=device)
    image = taichiras.soft_rasterize(tri, None, image_size=(8, 12), dist_func="hard")
    alpha = image[0, 3]
    assert alpha[0, 0] == 1 and alpha[-1, -1] == 0 and alpha[0, -1] == 0 and alpha[-1, 0] == 0


def float32_fast_math_matches(arch):
    """In a fresh process: taichiras as shipped (float32, fast_math) against the reference in
    float32 (nearest-texel choices flip with rounding, so like is compared with like)."""
    taichiras.init(arch)
    device = "cuda" if arch == "cuda" else "cpu"
    fv, tex = random_scene(seed=7, dtype=torch.float32, device=device)
    kw = dict(image_size=(24, 32), sigma_val=1e-3, gamma_val=1e-2)
    err = (taichiras.soft_rasterize(fv, tex, **kw) - reference_soft_rasterize(fv, tex, **kw)).abs().max()
    assert err < 1e-4, err


def test_float32_default_fast_math_close_to_reference(device):
    run_isolated("test_forward:float32_fast_math_matches", device.type)
