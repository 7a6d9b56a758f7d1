"""taichiras.compat.soft_renderer: SoftRas scripts run with only the import (and .to(device))
changed. The two scripts below are written the way SoftRas's examples are."""
import math

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import taichiras.compat.soft_renderer as sr
from taichiras import data
from taichiras.cameras import eye_from_angles, look_at

SPOT = data.path("spot")
SPHERE = data.path("sphere_1352")
device = torch.device("cpu")


def test_module_layout():
    for name in ["functional", "Mesh", "SoftRenderer", "Renderer", "Projection", "LookAt", "Look",
                 "Transform", "AmbientLighting", "DirectionalLighting", "Lighting", "SoftRasterizer",
                 "LaplacianLoss", "FlattenLoss"]:
        assert hasattr(sr, name), name
    for name in ["soft_rasterize", "load_obj", "save_obj", "look_at", "look", "perspective",
                 "orthogonal", "projection", "get_points_from_angles", "ambient_lighting",
                 "directional_lighting", "face_vertices", "vertex_normals", "voxelization", "save_voxel"]:
        assert hasattr(sr.functional, name), name


def test_look_at_is_softras_mirrored_and_native_right_handed():
    p = torch.tensor([[[1.0, 0.0, 0.0]]])
    eye = sr.functional.get_points_from_angles(3.0, 0.0, 0.0)
    torch.testing.assert_close(eye, torch.tensor([0.0, 0.0, -3.0]))
    compat = sr.functional.look_at(p, eye)
    native = look_at(p, eye_from_angles(3.0, 0.0, 0.0))
    assert compat[0, 0, 0] > 0 and native[0, 0, 0] < 0  # SoftRas: +x on the right; native: left
    torch.testing.assert_close(compat[..., 1:], native[..., 1:])
    # SoftRas's formulas written out: z = at - eye, x = up x z, y = z x x.
    z = torch.tensor([0.0, 0.0, 1.0])
    x = torch.linalg.cross(torch.tensor([0.0, 1.0, 0.0]), z)
    torch.testing.assert_close(compat[0, 0], torch.stack([(p[0, 0] - eye) @ x, torch.tensor(0.0), (p[0, 0] - eye) @ z]))


def test_projection_functional_and_missing_P():
    P = torch.tensor([[[100.0, 0, 64, 128], [0, 100.0, 64, 128], [0, 0, 1, 2]]])  # K [I | (0, 0, 2)]
    v = torch.tensor([[[0.0, 0.0, 0.0], [0.2, 0.0, 0.0]]])
    out = sr.functional.projection(v, P, torch.zeros(1, 5), 128)
    torch.testing.assert_close(out[0, 0], torch.tensor([0.0, 0.0, 2.0]), atol=1e-4, rtol=0)
    assert out[0, 1, 0] > 0
    with pytest.raises(ValueError, match="P"):
        sr.SoftRenderer(camera_mode="projection")
    r = sr.SoftRenderer(image_size=32, camera_mode="projection", P=P, orig_size=128)
    mesh = sr.Mesh(torch.tensor([[-0.3, -0.3, 0.0], [0.3, -0.3, 0.0], [0.0, 0.3, 0.0]]), torch.tensor([[0, 1, 2]]))
    assert r.render_mesh(mesh)[0, 3].max() > 0.99


def test_lighting_values():
    light = torch.zeros(1, 2, 3)
    normals = torch.tensor([[[0.0, 1.0, 0.0], [0.0, -1.0, 0.0]]])
    out = sr.functional.directional_lighting(sr.functional.ambient_lighting(light), normals)
    torch.testing.assert_close(out, torch.tensor([[[1.0] * 3, [0.5] * 3]]))


def test_render_spot_turntable_and_sigma_gamma_sweep(tmp_path):
    # --- as SoftRas's examples/demo_render.py ---
    mesh = sr.Mesh.from_obj(SPOT, load_texture=True, texture_res=5, texture_type="surface")
    renderer = sr.SoftRenderer(image_size=64, camera_mode="look_at")
    mesh.to(device)
    renderer.to(device)
    views = []
    for num, azimuth in enumerate(range(0, 360, 90)):
        mesh.reset_()
        renderer.transform.set_eyes_from_angles(2.732, 30, azimuth)
        images = renderer.render_mesh(mesh)
        views.append(images.detach().cpu().numpy()[0].transpose((1, 2, 0)))
    soft = []
    for x in np.linspace(-4, -2.2, 3):
        mesh.reset_()
        renderer.transform.set_eyes_from_angles(2.732, 30, 0)
        renderer.set_gamma(10 ** x)
        renderer.set_sigma(10 ** (x - 1))
        soft.append(renderer.render_mesh(mesh).detach().cpu().numpy()[0])
    # --- checks ---
    for v in views:
        assert v.shape == (64, 64, 4) and 0.05 < v[..., 3].mean() < 0.6
        assert v[..., :3][v[..., 3] > 0.99].std() > 0.02  # textured, not flat
    assert np.abs(views[0] - views[1]).max() > 0.5
    partial = [((s[3] > 0.05) & (s[3] < 0.95)).sum() for s in soft]
    assert partial[0] < partial[1] < partial[2]
    mesh.save_obj(str(tmp_path / "spot_out.obj"), save_texture=True, texture_res_out=5)
    again = sr.Mesh.from_obj(str(tmp_path / "spot_out.obj"), load_texture=True, texture_res=5)
    assert (again.textures - mesh.textures).abs().max() < 2 / 255


class Model(nn.Module):
    """SoftRas's deform model (examples/demo_deform.py)."""

    def __init__(self, template_path):
        super().__init__()
        self.template_mesh = sr.Mesh.from_obj(template_path)
        self.register_buffer("vertices", self.template_mesh.vertices * 0.5)
        self.register_buffer("faces", self.template_mesh.faces)
        self.register_buffer("textures", torch.ones(1, self.faces.shape[1], 1, 3))
        self.register_parameter("displace", nn.Parameter(torch.zeros_like(self.template_mesh.vertices)))
        self.register_parameter("center", nn.Parameter(torch.zeros(1, 1, 3)))
        self.laplacian_loss = sr.LaplacianLoss(self.vertices[0].cpu(), self.faces[0].cpu())
        self.flatten_loss = sr.FlattenLoss(self.faces[0].cpu())

    def forward(self, batch_size):
        base = torch.log(self.vertices.abs() / (1 - self.vertices.abs()))
        centroid = torch.tanh(self.center)
        vertices = torch.sigmoid(base + self.displace) * torch.sign(self.vertices)
        vertices = F.relu(vertices) * (1 - centroid) - F.relu(-vertices) * (centroid + 1)
        vertices = vertices + centroid
        laplacian_loss = self.laplacian_loss(vertices).mean()
        flatten_loss = self.flatten_loss(vertices).mean()
        return sr.Mesh(vertices.repeat(batch_size, 1, 1), self.faces.repeat(batch_size, 1, 1)), \
            laplacian_loss, flatten_loss


def neg_iou_loss(predict, target):
    dims = tuple(range(predict.ndimension())[1:])
    intersect = (predict * target).sum(dims)
    union = (predict + target - predict * target).sum(dims) + 1e-6
    return 1. - (intersect / union).sum() / intersect.nelement()


def test_deform_sphere_to_multiview_silhouettes():
    torch.manual_seed(0)
    n_views = 8
    azimuths = torch.arange(n_views) * (360.0 / n_views)
    elevations = torch.full((n_views,), 30.0)
    distances = torch.full((n_views,), 2.732)
    # Target silhouettes: spot, rendered by the same renderer (SoftRas ships them as images).
    target = sr.Mesh.from_obj(SPOT, normalization=True)
    target.vertices = target.vertices * 0.8
    renderer = sr.SoftRenderer(image_size=64, sigma_val=1e-4, aggr_func_rgb="hard",
                               camera_mode="look_at", viewing_angle=15, dist_eps=1e-10)
    renderer.transform.set_eyes_from_angles(distances, elevations, azimuths)
    with torch.no_grad():
        images_gt = renderer.render_mesh(sr.Mesh(target.vertices.repeat(n_views, 1, 1),
                                                 target.faces.repeat(n_views, 1, 1)))
    model = Model(SPHERE).to(device)
    optimizer = torch.optim.Adam(model.parameters(), 0.01, betas=(0.5, 0.99))
    ious = []
    for i in range(80):
        mesh, laplacian_loss, flatten_loss = model(n_views)
        images_pred = renderer.render_mesh(mesh)
        iou_loss = neg_iou_loss(images_pred[:, 3], images_gt[:, 3])
        loss = iou_loss + 0.03 * laplacian_loss + 0.0003 * flatten_loss
        ious.append(1 - iou_loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert ious[0] < 0.6 and ious[-1] > 0.78, (ious[0], ious[-1])
    assert math.isfinite(loss.item())


def test_mesh_api_and_voxels(tmp_path):
    mesh = sr.Mesh.from_obj(SPHERE, normalization=True)
    assert mesh.vertices.shape == (1, 1352, 3) and mesh.faces.shape == (1, 2700, 3)
    assert mesh.face_vertices.shape == (1, 2700, 3, 3) and mesh.surface_normals.shape == (1, 2700, 3)
    assert mesh.vertex_normals.shape == (1, 1352, 3) and mesh.face_textures.shape == (1, 2700, 1, 3)
    mesh.fill_back_()
    assert mesh.faces.shape == (1, 5400, 3)
    mesh.reset_()
    assert mesh.faces.shape == (1, 2700, 3)
    vox = mesh.voxelize(32)
    assert vox.shape == (1, 32, 32, 32)
    volume = vox.sum().item() * (2 / 32) ** 3
    assert 3.8 < volume < 4.9  # the unit sphere: 4.19, grown by SoftRas-style surface voxels
    fv = sr.functional.face_vertices(mesh.vertices * 0.45 + 0.5, mesh.faces)
    v2 = sr.functional.voxelization(fv, 32)
    assert v2.shape == (1, 32, 32, 32) and v2.sum() > 0.8 * vox.sum() * 0.45 ** 3
    sr.functional.save_voxel(str(tmp_path / "vox.obj"), v2[0])
    assert (tmp_path / "vox.obj").stat().st_size > 0
    v, f = sr.functional.load_obj(SPHERE)
    assert v.shape == (1352, 3) and f.dtype == torch.int32
    sr.functional.save_obj(str(tmp_path / "s.obj"), v, f)
    v3, f3 = sr.functional.load_obj(str(tmp_path / "s.obj"))
    torch.testing.assert_close(v3, v)


def test_renderer_forward_vertex_textures_and_modes():
    mesh = sr.Mesh.from_obj(SPHERE, normalization=True)
    r = sr.SoftRenderer(image_size=32, camera_mode="look_at", texture_type="vertex", light_mode="vertex",
                        anti_aliasing=True)
    colours = torch.rand(1, 1352, 3)
    img = r(mesh.vertices, mesh.faces, colours, texture_type="vertex")
    assert img.shape == (1, 4, 32, 32) and img[0, 3, 16, 16] > 0.99
    sil = r(mesh.vertices, mesh.faces, colours, mode="silhouettes", texture_type="vertex")
    torch.testing.assert_close(sil[:, 3], img[:, 3], atol=1e-6, rtol=0)
    depth = r(mesh.vertices, mesh.faces, colours, mode="depth", texture_type="vertex")
    assert depth.shape == (1, 32, 32) and 1.5 < depth[0, 16, 16] < 4.0
