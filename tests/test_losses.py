"""Losses against dense references."""
import itertools

import torch
import trimesh
from scenes import small_mesh

from taichiras.losses import (FlattenLoss, LaplacianLoss, edge_length_loss, mesh_edges,
                              normal_consistency_loss, silhouette_iou_loss)


def test_iou_loss():
    p = torch.tensor([[[1.0, 0.0], [1.0, 0.0]]])
    t = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    torch.testing.assert_close(silhouette_iou_loss(p, t), torch.tensor(1 - 1 / 3), atol=1e-5, rtol=0)
    assert silhouette_iou_loss(t, t) < 1e-5


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
    top = torch.tensor([[0, 1, 2], [1, 3, 2]])
    flat = torch.tensor([[[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]], dtype=torch.float64)
    assert FlattenLoss(top)(flat).item() < 1e-9


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
