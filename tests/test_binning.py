"""Binning never drops a face, whatever the mesh; the reach box is exact for the culling rule."""
import pytest
import torch
from reference import reference_soft_rasterize
from scenes import random_scene, tiny_faces_in_one_tile

import taichiras
from taichiras.kernels import RasterConfig
from taichiras.ops import RasterSettings
from taichiras.ops.soft_rasterize import _bin_faces


def test_all_faces_in_one_tile_nothing_dropped(device):
    F = 2000
    fv = tiny_faces_in_one_tile(F).to(device)
    bin_tile, bin_face, _, _ = _bin_faces(fv, RasterConfig(real="f64"), RasterSettings(image_size=64))
    assert bin_tile.numel() == F and bool((bin_tile == 0).all())
    assert torch.equal(torch.sort(bin_face).values, torch.arange(F, dtype=torch.int32, device=device))
    tex = torch.rand(1, F, 1, 3, dtype=torch.float64).to(device)
    kw = dict(image_size=64, sigma_val=1e-5, gamma_val=1e-2, return_depth=True)
    image, depth = taichiras.soft_rasterize(fv, tex, **kw)
    ref, ref_depth = reference_soft_rasterize(fv, tex, **kw)
    torch.testing.assert_close(image, ref, rtol=1e-9, atol=1e-10)
    assert torch.equal(depth.face_index, ref_depth[2].to(depth.face_index))
    assert image[0, 3, :8, :8].max() > 0.99
    assert image[0, 3, 8:].max() == 0 and image[0, 3, :, 8:].max() == 0


def test_faces_larger_than_image_and_offscreen(device):
    big = torch.tensor([[[-5.0, -5.0, 3.0], [0.0, 9.0, 3.0], [5.0, -5.0, 3.0]]], dtype=torch.float64)
    off = torch.tensor([[[3.0, 3.0, 3.0], [3.5, 4.0, 3.0], [4.0, 3.0, 3.0]]], dtype=torch.float64)
    fv = torch.stack([big, off], 1).reshape(1, 2, 3, 3).to(device)
    bin_tile, bin_face, _, _ = _bin_faces(fv, RasterConfig(real="f64"), RasterSettings(image_size=20))
    assert bin_face.unique().tolist() == [0]
    image = taichiras.soft_rasterize(fv, None, image_size=20)
    assert bool((image[0, 3] > 0.99).all())


@pytest.mark.parametrize("dist", ["euclidean", "barycentric"])
def test_reach_box_contains_every_counting_pixel(dist, device):
    """With a large cull margin faces reach far past their triangle; the op still matches the
    dense reference, which tests every (pixel, face) pair."""
    fv, tex = random_scene(F=8, seed=12, spread=0.6, device=device)
    kw = dict(image_size=(40, 56), dist_func=dist, sigma_val=5e-3, dist_eps=1e-8, gamma_val=0.1)
    torch.testing.assert_close(taichiras.soft_rasterize(fv, tex, **kw),
                               reference_soft_rasterize(fv, tex, **kw), rtol=1e-9, atol=1e-10)


def test_batch_of_views_equals_views_one_by_one(device):
    fv, tex = random_scene(B=5, F=7, seed=13, device=device)
    kw = dict(image_size=(9, 11), sigma_val=1e-2, gamma_val=0.05)
    batched = taichiras.soft_rasterize(fv, tex, **kw)
    single = torch.cat([taichiras.soft_rasterize(fv[i:i + 1], tex[i:i + 1], **kw) for i in range(5)])
    torch.testing.assert_close(batched, single, rtol=1e-12, atol=1e-12)
