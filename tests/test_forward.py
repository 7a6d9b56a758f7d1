"""The op's forward equals the dense pure-torch reference, for every option combination."""
import itertools

import pytest
import torch
from conftest import random_scene
from reference import reference_soft_rasterize

import taichiras

COMBOS = list(itertools.product(["euclidean", "barycentric", "hard"], ["prod", "sum", "hard"],
                                ["softmax", "hard"], ["surface", "vertex"], [True, False]))


@pytest.mark.parametrize("size", [16, (13, 17)], ids=["square", "nonsquare"])
@pytest.mark.parametrize("dist,alpha,rgb,tex_type,fill_back", COMBOS)
def test_matches_reference(dist, alpha, rgb, tex_type, fill_back, size):
    fv, tex = random_scene(vertex=tex_type == "vertex", R=3, seed=COMBOS.index((dist, alpha, rgb, tex_type, fill_back)))
    kw = dict(image_size=size, dist_func=dist, aggr_func_alpha=alpha, aggr_func_rgb=rgb,
              texture_type=tex_type, fill_back=fill_back, sigma_val=3e-3, gamma_val=0.05,
              background_color=(0.1, 0.2, 0.3), return_depth=True)
    image, depth = taichiras.soft_rasterize(fv, tex, **kw)
    ref_image, ref_depth = reference_soft_rasterize(fv, tex, **kw)
    H, W = (size, size) if isinstance(size, int) else size
    assert image.shape == (2, 4, H, W)
    assert image[:, 3].max() > 0 and image[:, 3].min() == 0
    torch.testing.assert_close(image, ref_image, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(depth.soft, ref_depth[0], rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(depth.zbuf, ref_depth[1], rtol=1e-9, atol=1e-9)
    assert torch.equal(depth.face_index, ref_depth[2])


@pytest.mark.parametrize("cull", [False, True])
@pytest.mark.parametrize("dist", ["euclidean", "barycentric", "hard"])
def test_cull_backfaces(dist, cull):
    fv, tex = random_scene(F=10, seed=3)
    kw = dict(image_size=(12, 20), dist_func=dist, sigma_val=1e-2, gamma_val=0.1,
              cull_backfaces=cull)
    torch.testing.assert_close(taichiras.soft_rasterize(fv, tex, **kw),
                               reference_soft_rasterize(fv, tex, **kw), rtol=1e-9, atol=1e-10)


def test_cull_backfaces_removes_back_faces_entirely():
    front = torch.tensor([[[-0.5, -0.5, 2.0], [0.0, 0.5, 2.0], [0.5, -0.5, 2.0]]], dtype=torch.float64)
    back = front[:, [0, 2, 1]]
    tex = torch.ones(1, 1, 1, 3, dtype=torch.float64)
    for faces, visible in ((front, True), (back, False)):
        image = taichiras.soft_rasterize(faces[None], tex, image_size=16, cull_backfaces=True)
        assert (image[0, 3].max() > 0.99) == visible
        assert (image[0, :3].max() > 0.99) == visible
    image = taichiras.soft_rasterize(back[None], tex, image_size=16, fill_back=False)
    assert image[0, 3].max() > 0.99 and image[0, :3].max() == 0


def test_silhouette_only_matches_alpha_of_full_render():
    fv, tex = random_scene(seed=4)
    kw = dict(image_size=(10, 14), sigma_val=1e-2)
    full = taichiras.soft_rasterize(fv, tex, **kw)
    sil = taichiras.soft_rasterize(fv, None, **kw)
    torch.testing.assert_close(sil[:, 3], full[:, 3], rtol=1e-14, atol=1e-14)
    assert sil[:, :3].abs().max() == 0


def test_pixel_convention_row0_is_top_col0_is_left():
    tri = torch.tensor([[[[-1.0, 1.0, 2.0], [-1.0, 0.5, 2.0], [-0.5, 1.0, 2.0]]]], dtype=torch.float64)
    image = taichiras.soft_rasterize(tri, None, image_size=(8, 12), dist_func="hard")
    alpha = image[0, 3]
    assert alpha[0, 0] == 1 and alpha[-1, -1] == 0 and alpha[0, -1] == 0 and alpha[-1, 0] == 0


def test_float32_default_fast_math_close_to_reference(tmp_path):
    """The shipped configuration (float32, fast_math on) in a fresh process, against the
    reference in float32 (nearest-texel choices flip with rounding, so compare like with like)."""
    import subprocess
    import sys
    script = tmp_path / "f32.py"
    script.write_text(
        "import sys, torch, taichiras\n"
        f"sys.path.insert(0, {str(__import__('os').path.dirname(__file__))!r})\n"
        "from conftest import random_scene\n"
        "from reference import reference_soft_rasterize\n"
        "fv, tex = random_scene(seed=7)\n"
        "kw = dict(image_size=(24, 32), sigma_val=1e-3, gamma_val=1e-2)\n"
        "a = taichiras.soft_rasterize(fv.float(), tex.float(), **kw)\n"
        "b = reference_soft_rasterize(fv.float(), tex.float(), **kw)\n"
        "err = (a - b).abs().max().item()\n"
        "print(err); sys.exit(0 if err < 1e-4 else 1)\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
