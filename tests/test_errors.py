"""Bad input raises a clear error that names the argument."""
import pytest
import torch

import taichiras


def good():
    fv = torch.rand(2, 3, 3, 3)
    fv[..., 2] += 2
    return fv, torch.rand(2, 3, 4, 3)


@pytest.mark.parametrize("make,exc,match", [
    (lambda fv, tex: (fv[0], tex), ValueError, "face_vertices must have shape"),
    (lambda fv, tex: (fv[..., :2], tex), ValueError, "face_vertices must have shape"),
    (lambda fv, tex: (fv.numpy(), tex), TypeError, "face_vertices must be a torch.Tensor"),
    (lambda fv, tex: (fv.int(), tex), TypeError, "face_vertices must be float32 or float64"),
    (lambda fv, tex: (fv, tex.long()), TypeError, "textures must be float32 or float64"),
    (lambda fv, tex: (fv, tex[:1]), ValueError, "textures has batch size 1"),
    (lambda fv, tex: (fv, tex[:, :2]), ValueError, "textures has 2 faces"),
    (lambda fv, tex: (fv, tex[:, :, :3]), ValueError, "R\\*R"),
    (lambda fv, tex: (fv, tex[..., :2]), ValueError, "textures must have shape"),
    (lambda fv, tex: (fv.masked_fill(fv > 0.9, float("nan")), tex), ValueError, "finite"),
])
def test_bad_tensors(make, exc, match):
    fv, tex = make(*good())
    with pytest.raises(exc, match=match):
        taichiras.soft_rasterize(fv, tex, image_size=8)


def test_vertex_textures_need_three_colours():
    fv, tex = good()
    with pytest.raises(ValueError, match="textures must have shape"):
        taichiras.soft_rasterize(fv, tex, image_size=8, texture_type="vertex")


@pytest.mark.parametrize("kw,exc,match", [
    (dict(dist_func="gaussian"), ValueError, "dist_func must be one of"),
    (dict(aggr_func_rgb="max"), ValueError, "aggr_func_rgb must be one of"),
    (dict(aggr_func_alpha="mean"), ValueError, "aggr_func_alpha must be one of"),
    (dict(texture_type="uv"), ValueError, "texture_type must be one of"),
    (dict(sigma_val=0), ValueError, "sigma_val must be > 0"),
    (dict(sigma_val=-1e-4), ValueError, "sigma_val must be > 0"),
    (dict(gamma_val=0.0), ValueError, "gamma_val must be > 0"),
    (dict(near=5, far=5), ValueError, "near must be less than far"),
    (dict(near=10, far=1), ValueError, "near must be less than far"),
    (dict(dist_eps=0), ValueError, "dist_eps must lie in"),
    (dict(dist_eps=0.5), ValueError, "dist_eps must lie in"),
    (dict(sigma_val="big"), TypeError, "sigma_val must be a real number"),
    (dict(sigma_val=float("nan")), ValueError, "sigma_val must be finite"),
    (dict(image_size=0), ValueError, "image_size"),
    (dict(image_size=(4, 5, 6)), TypeError, "image_size"),
    (dict(image_size=2.5), TypeError, "image_size"),
    (dict(background_color=(0, 0)), ValueError, "background_color"),
    (dict(fill_back="yes"), TypeError, "fill_back must be a bool"),
])
def test_bad_options(kw, exc, match):
    fv, tex = good()
    with pytest.raises(exc, match=match):
        taichiras.soft_rasterize(fv, tex, **{"image_size": 8, **kw})


def test_bad_arch():
    with pytest.raises(ValueError, match="arch must be one of"):
        taichiras.init("metal")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="mixed-device check needs a CUDA device")
def test_mixed_devices():
    fv, tex = good()
    with pytest.raises(ValueError, match="on one device"):
        taichiras.soft_rasterize(fv, tex.cuda(), image_size=8)
