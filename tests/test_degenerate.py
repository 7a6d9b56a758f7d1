"""Outputs and gradients stay finite where the official op gives NaN."""
import pytest
import torch
from reference import reference_soft_rasterize
from scenes import random_scene

import taichiras

DISTS = ["euclidean", "barycentric", "hard"]


def finite_everywhere(fv, tex, **kw):
    f = fv.clone().requires_grad_()
    t = tex.clone().requires_grad_()
    image, depth = taichiras.soft_rasterize(f, t, return_depth=True, **kw)
    (image.sum() + depth.soft.sum()).backward()
    for name, x in (("image", image), ("soft depth", depth.soft), ("zbuf", depth.zbuf),
                    ("grad face_vertices", f.grad), ("grad textures", t.grad)):
        assert torch.isfinite(x).all(), f"{name} has non-finite values"
    return image


def with_faces(faces, device):
    fv, tex = random_scene(F=4, seed=31, device=device)
    fv = torch.cat([fv[:, :2], torch.tensor(faces, dtype=fv.dtype, device=device).expand(2, -1, -1, -1)], 1)
    tex = torch.rand(2, fv.shape[1], 4, 3, dtype=fv.dtype).to(device)
    return fv, tex


CASES = {
    "zero_area_collinear": [[[-0.5, -0.5, 2.0], [0.0, 0.0, 2.0], [0.5, 0.5, 2.0]]],
    "all_vertices_equal": [[[0.1, 0.1, 2.0], [0.1, 0.1, 2.0], [0.1, 0.1, 2.0]]],
    "zero_length_edge": [[[-0.5, -0.5, 2.0], [-0.5, -0.5, 2.0], [0.5, 0.0, 2.0]]],
    "vertex_at_camera": [[[-0.5, -0.5, 0.0], [0.0, 0.5, 2.0], [0.5, -0.5, 2.0]]],
    "behind_camera": [[[-0.5, -0.5, -2.0], [0.0, 0.5, -1.0], [0.5, -0.5, -3.0]]],
    "crossing_camera_plane": [[[-0.5, -0.5, -1.0], [0.0, 0.5, 2.0], [0.5, -0.5, 0.5]]],
    "nearly_at_camera": [[[-0.5, -0.5, 1e-8], [0.0, 0.5, 2.0], [0.5, -0.5, 2.0]]],
}


@pytest.mark.parametrize("dist", DISTS)
@pytest.mark.parametrize("case", list(CASES))
def test_degenerate_faces_stay_finite(case, dist, device):
    fv, tex = with_faces(CASES[case], device)
    for dtype in (torch.float64, torch.float32):
        kw = dict(image_size=(16, 20), dist_func=dist, sigma_val=1e-3, gamma_val=1e-2)
        finite_everywhere(fv.to(dtype), tex.to(dtype), **kw)
    image = taichiras.soft_rasterize(fv, tex, **kw)
    torch.testing.assert_close(image, reference_soft_rasterize(fv, tex, **kw),
                               rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("dist", DISTS)
@pytest.mark.parametrize("sigma", [1e-10, 1e-7, 1e-4, 1e-2, 1.0])
def test_sigma_range_stays_finite(sigma, dist, device):
    fv, tex = random_scene(seed=32, device=device)
    for dtype in (torch.float64, torch.float32):
        image = finite_everywhere(fv.to(dtype), tex.to(dtype), image_size=16, sigma_val=sigma,
                                  dist_func=dist, dist_eps=1e-10 if sigma < 1 else 1e-4)
        assert image[:, 3].max() > 0.5


def test_no_faces(device):
    fv = torch.zeros(2, 0, 3, 3, device=device, requires_grad=True)
    tex = torch.zeros(2, 0, 1, 3, device=device, requires_grad=True)
    image, depth = taichiras.soft_rasterize(fv, tex, image_size=(5, 7),
                                            background_color=(0.2, 0.4, 0.6), return_depth=True)
    assert image.shape == (2, 4, 5, 7)
    assert torch.allclose(image[:, :3], torch.tensor([0.2, 0.4, 0.6], device=device)[None, :, None, None])
    assert image[:, 3].abs().max() == 0
    assert bool((depth.face_index == -1).all())
    image.sum().backward()
    assert fv.grad.shape == fv.shape


def test_huge_coordinates(device):
    fv = torch.tensor([[[[-1e30, -1e30, 2.0], [0.0, 1e30, 2.0], [1e30, -1e30, 2.0]]]], device=device)
    image = taichiras.soft_rasterize(fv, None, image_size=8, sigma_val=1e-4)
    assert torch.isfinite(image).all()
