"""Binning never drops a face, whatever the mesh; the reach box is exact for the culling rule."""
import pytest
import torch
from conftest import random_scene
from reference import reference_soft_rasterize

import taichiras
from taichiras.kernels import RasterConfig
from taichiras.ops.options import check_options
from taichiras.ops.soft_rasterize import _bin_faces


def options(**kw):
    base = dict(image_size=64, background_color=(0, 0, 0), near=1, far=100, fill_back=True,
                eps=1e-3, sigma_val=1e-5, dist_func="euclidean", dist_eps=1e-4, gamma_val=1e-4,
                aggr_func_rgb="softmax", aggr_func_alpha="prod", texture_type="surface",
                cull_backfaces=False, return_depth=False)
    base.update(kw)
    return check_options(**base)


def tiny_faces_in_one_tile(F, dtype=torch.float64, seed=0):
    """F small faces whose pixels all lie in the first 8 x 8 tile of a 64 x 64 image."""
    g = torch.Generator().manual_seed(seed)
    centre = torch.tensor([-1 + 4 / 64, 1 - 4 / 64], dtype=dtype)
    xy = centre + (torch.rand(1, F, 3, 2, generator=g, dtype=dtype) - 0.5) * (4 / 64)
    z = torch.rand(1, F, 3, 1, generator=g, dtype=dtype) * 2 + 2
    return torch.cat([xy, z], -1)


def test_all_faces_in_one_tile_nothing_dropped():
    F = 2000
    fv = tiny_faces_in_one_tile(F)
    bin_tile, bin_face, _, _ = _bin_faces(fv, RasterConfig(real="f64"), options())
    assert bin_tile.numel() == F and bool((bin_tile == 0).all())
    assert torch.equal(torch.sort(bin_face).values, torch.arange(F, dtype=torch.int32))
    tex = torch.rand(1, F, 1, 3, dtype=torch.float64)
    kw = dict(image_size=64, sigma_val=1e-5, gamma_val=1e-2, return_depth=True)
    image, depth = taichiras.soft_rasterize(fv, tex, **kw)
    ref, ref_depth = reference_soft_rasterize(fv, tex, **kw)
    torch.testing.assert_close(image, ref, rtol=1e-9, atol=1e-10)
    assert torch.equal(depth.face_index, ref_depth[2])
    assert image[0, 3, :8, :8].max() > 0.99
    assert image[0, 3, 8:].max() == 0 and image[0, 3, :, 8:].max() == 0


def test_faces_larger_than_image_and_offscreen():
    big = torch.tensor([[[-5.0, -5.0, 3.0], [0.0, 9.0, 3.0], [5.0, -5.0, 3.0]]], dtype=torch.float64)
    off = torch.tensor([[[3.0, 3.0, 3.0], [3.5, 4.0, 3.0], [4.0, 3.0, 3.0]]], dtype=torch.float64)
    fv = torch.stack([big, off], 1).reshape(1, 2, 3, 3)
    bin_tile, bin_face, _, _ = _bin_faces(fv, RasterConfig(real="f64"), options(image_size=20))
    assert torch.equal(bin_face.unique(), torch.tensor([0], dtype=torch.int32))
    image = taichiras.soft_rasterize(fv, None, image_size=20)
    assert bool((image[0, 3] > 0.99).all())


@pytest.mark.parametrize("dist", ["euclidean", "barycentric"])
def test_reach_box_contains_every_counting_pixel(dist):
    """With a large cull margin faces reach far past their triangle; the op still matches the
    dense reference, which tests every (pixel, face) pair."""
    fv, tex = random_scene(F=8, seed=12, spread=0.6)
    kw = dict(image_size=(40, 56), dist_func=dist, sigma_val=5e-3, dist_eps=1e-8, gamma_val=0.1)
    torch.testing.assert_close(taichiras.soft_rasterize(fv, tex, **kw),
                               reference_soft_rasterize(fv, tex, **kw), rtol=1e-9, atol=1e-10)


def test_batch_of_views_equals_views_one_by_one():
    fv, tex = random_scene(B=5, F=7, seed=13)
    kw = dict(image_size=(9, 11), sigma_val=1e-2, gamma_val=0.05)
    batched = taichiras.soft_rasterize(fv, tex, **kw)
    single = torch.cat([taichiras.soft_rasterize(fv[i:i + 1], tex[i:i + 1], **kw) for i in range(5)])
    torch.testing.assert_close(batched, single, rtol=1e-12, atol=1e-12)
