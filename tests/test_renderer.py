"""The renderer module: multi-view, lighting, anti-aliasing, settings and per-call overrides."""
import pytest
import torch
from scenes import sphere_mesh

from taichiras.cameras import Camera
from taichiras.lighting import Lighting
from taichiras.ops import RasterSettings
from taichiras.renderer import SoftRenderer


def test_renderer_multiview_lit_and_antialiased():
    cams = Camera.from_angles(3.0, 15.0, torch.tensor([0.0, 90.0, 180.0]))
    r = SoftRenderer(32, camera=cams, lighting=Lighting(), sigma_val=1e-5)
    image = r(sphere_mesh())
    assert image.shape == (3, 4, 32, 32)
    alpha = image[:, 3]
    assert alpha[:, 16, 16].min() > 0.99 and alpha[:, 0, 0].max() < 1e-3
    r_aa = SoftRenderer(32, camera=cams, anti_aliasing=True)
    aa = r_aa(sphere_mesh())
    assert aa.shape == (3, 4, 32, 32)
    edge = (aa[:, 3] > 0.05) & (aa[:, 3] < 0.95)
    assert edge.sum() > 0
    r.set_sigma(1e-3)
    r.set_gamma(1e-2)
    assert r.settings.sigma_val == 1e-3 and r.settings.gamma_val == 1e-2
    sil = r(sphere_mesh(), silhouette=True)
    assert sil[:, :3].abs().max() == 0


def test_renderer_requires_a_camera():
    with pytest.raises(ValueError, match="camera"):
        SoftRenderer(16)(sphere_mesh())


def test_settings_defaults_overrides_and_errors():
    r = SoftRenderer(24, camera=Camera.from_angles(8.0, 0.0, 0.0), sigma_val=1e-4)
    assert r.settings == RasterSettings(image_size=24, sigma_val=1e-4)
    assert RasterSettings().sigma_val == 1e-5 and RasterSettings().fill_back is True
    sharp = r(sphere_mesh(), silhouette=True)
    blurred = r(sphere_mesh(), silhouette=True, sigma_val=1e-2)
    assert r.settings.sigma_val == 1e-4  # the override was for that call only
    edge = lambda a: ((a[:, 3] > 0.05) & (a[:, 3] < 0.95)).sum()
    assert edge(blurred) > edge(sharp)
    wide = r(sphere_mesh(), silhouette=True, image_size=(24, 48))
    assert wide.shape == (1, 4, 24, 48)
    for kw, match in ((dict(image_size=0), "image_size"), (dict(image_size=32.0), "image_size"),
                      (dict(sigma_val=-1.0), "sigma_val"), (dict(bogus=1), "bogus")):
        with pytest.raises((ValueError, TypeError), match=match):
            SoftRenderer(**kw)


def test_anti_aliased_depth_is_pooled():
    cams = Camera.from_angles(8.0, 15.0, torch.tensor([0.0, 90.0]))
    image, depth = SoftRenderer(16, camera=cams, anti_aliasing=True, return_depth=True)(sphere_mesh())
    assert image.shape == (2, 4, 16, 16)
    assert depth.soft.shape == depth.zbuf.shape == depth.face_index.shape == (2, 16, 16)
    assert (depth.face_index[:, 8, 8] >= 0).all() and (depth.face_index[:, 0, 0] == -1).all()
