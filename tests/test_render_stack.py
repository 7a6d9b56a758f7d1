"""Lighting against hand-computed values, the renderer module, and the losses against dense
references."""
import itertools

import pytest
import torch
import trimesh

from taichiras.cameras import Camera
from taichiras.lighting import Lighting
from taichiras.losses import (FlattenLoss, LaplacianLoss, edge_length_loss, mesh_edges,
                              normal_consistency_loss, silhouette_iou_loss)
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer


def one_face():
    return Mesh(torch.tensor([[0.0, 0, 0], [1, 0, 0], [0, 0, 1]]), torch.tensor([[0, 2, 1]]),
                torch.full((1, 1, 1, 3), 0.5))  # normal +y


def test_ambient_and_directional_by_hand():
    lit = Lighting(0.5, (1, 0.5, 0.25), 0.5, (1, 1, 1), directions=[[0, 1, 1]])(one_face())
    cos = 1 / 2 ** 0.5
    expected = 0.5 * (0.5 * torch.tensor([1, 0.5, 0.25]) + 0.5 * cos)
    torch.testing.assert_close(lit.textures[0, 0, 0], expected)
    away = Lighting(0.0, directions=[[0, -1, 0]])(one_face())
    assert away.textures.abs().max() == 0


def test_point_light_and_blinn_phong_by_hand():
    m = one_face()
    light = Lighting(0.0, intensity_directionals=0.0, point_positions=[[1.0, 2.0, 1.0]],
                     intensity_points=1.0, specular=0.5, shininess=4)
    centre = torch.tensor([1 / 3, 0, 1 / 3])
    to_light = torch.nn.functional.normalize(torch.tensor([1.0, 2.0, 1.0]) - centre, dim=0)
    eye = torch.tensor([[0.0, 3.0, 0.0]])
    view = torch.nn.functional.normalize(eye[0] - centre, dim=0)
    half = torch.nn.functional.normalize(to_light + view, dim=0)
    expected = 0.5 * to_light[1] + 0.5 * half[1] ** 4
    torch.testing.assert_close(light(m, eye=eye).textures[0, 0, 0], expected.expand(3))


def test_vertex_lighting_uses_vertex_normals():
    m = Mesh(one_face().vertices, one_face().faces, torch.ones(1, 3, 3), texture_type="vertex")
    lit = Lighting(0.2, directions=[[0, 1, 0]], intensity_directionals=0.8)(m)
    torch.testing.assert_close(lit.textures, torch.ones(1, 3, 3))


def sphere_mesh():
    s = trimesh.creation.icosphere(subdivisions=2)
    return Mesh(torch.tensor(s.vertices, dtype=torch.float32), torch.tensor(s.faces))


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
    assert r.options["sigma_val"] == 1e-3 and r.options["gamma_val"] == 1e-2
    sil = r(sphere_mesh(), silhouette=True)
    assert sil[:, :3].abs().max() == 0


def test_renderer_requires_a_camera():
    with pytest.raises(ValueError, match="camera"):
        SoftRenderer(16)(sphere_mesh())


def test_iou_loss():
    p = torch.tensor([[[1.0, 0.0], [1.0, 0.0]]])
    t = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    torch.testing.assert_close(silhouette_iou_loss(p, t), torch.tensor(1 - 1 / 3), atol=1e-5, rtol=0)
    assert silhouette_iou_loss(t, t) < 1e-5


def small_mesh(seed=0):
    s = trimesh.creation.icosphere(subdivisions=1)
    g = torch.Generator().manual_seed(seed)
    v = torch.tensor(s.vertices, dtype=torch.float64)[None] + 0.1 * torch.rand(2, len(s.vertices), 3, generator=g, dtype=torch.float64)
    return v, torch.tensor(s.faces)


def test_laplacian_matches_dense():
    v, f = small_mesh()
    V = v.shape[1]
    adj = torch.zeros(V, V, dtype=torch.float64)
    for a, b, c in f.tolist():
        for i, j in itertools.permutations((a, b, c), 2):
            adj[i, j] = 1
    L = torch.eye(V, dtype=torch.float64) - adj / adj.sum(1, keepdim=True)
    dense = ((L @ v) ** 2).sum((1, 2))
    loss = LaplacianLoss(V, f)
    assert loss.laplacian.is_sparse
    torch.testing.assert_close(loss(v), dense)


def test_flatten_matches_loop_and_flat_is_zero():
    v, f = small_mesh()
    expected = torch.zeros(2, dtype=torch.float64)
    faces = f.tolist()
    for i, fa in enumerate(faces):
        for j, fb in enumerate(faces):
            shared = set(fa) & set(fb)
            if j <= i or len(shared) != 2:
                continue
            a0, a1 = sorted(shared)
            (o2,), (o3,) = set(fa) - shared, set(fb) - shared
            e = v[:, a1] - v[:, a0]
            e = e / e.norm(dim=-1, keepdim=True)
            p, q = v[:, o2] - v[:, a0], v[:, o3] - v[:, a0]
            p = p - (p * e).sum(-1, keepdim=True) * e
            q = q - (q * e).sum(-1, keepdim=True) * e
            cos = (p * q).sum(-1) / (p.norm(dim=-1) * q.norm(dim=-1) + 1e-6)
            expected += (cos + 1) ** 2
    torch.testing.assert_close(FlattenLoss(f)(v), expected)
    grid = trimesh.creation.box(extents=(1, 1, 0.0))
    plane = torch.tensor(trimesh.Trimesh(grid.vertices, grid.faces).vertices[None], dtype=torch.float64)
    top = torch.tensor([[0, 1, 2], [1, 3, 2]])
    flat = torch.tensor([[[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]], dtype=torch.float64)
    assert FlattenLoss(top)(flat).item() < 1e-9
    assert plane.shape[0] == 1


def test_mesh_edges_counts():
    s = trimesh.creation.icosphere(subdivisions=1)
    edges, quads = mesh_edges(torch.tensor(s.faces))
    assert len(edges) == len(s.edges_unique) and len(quads) == len(edges)


def test_edge_length_and_normal_consistency():
    v = torch.tensor([[[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]])
    f = torch.tensor([[0, 1, 2], [1, 3, 2]])
    torch.testing.assert_close(edge_length_loss(v, f), torch.tensor([(1 + 1 + 2 + 1 + 1) / 5]))
    assert normal_consistency_loss(v, f).abs().max() < 1e-6
    folded = v.clone()
    folded[0, 3, 2] = 1.0
    assert normal_consistency_loss(folded, f).item() > 0.1
