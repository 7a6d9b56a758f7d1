"""Evaluation gives the IoU of SoftRas's examples/recon/test.py on the same predictions."""
import os

import numpy as np
import pytest
import torch
from recon_data import COUNTS, generate_tiny, synsets
from softras_reference import softras_evaluate_iou, softras_voxelization

from taichiras.ops.voxelize import voxel_iou, voxelize
from taichiras.recon.data import ShapeNetRenderings, dataset_voxels
from taichiras.recon.evaluate import evaluate, main, table
from taichiras.templates import icosphere


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    return generate_tiny(tmp_path_factory.mktemp("synthetic"))


def predicted_meshes(n=4, seed=0):
    """Meshes like the model's: a deformed, shifted 642-vertex sphere inside [-0.5, 0.5]^3."""
    vertices, faces = icosphere(3, radius=0.5)
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(n):
        scale = 0.4 + 0.6 * torch.rand(1, 3, generator=g)
        v = vertices * scale + 0.06 * torch.randn(vertices.shape, generator=g) + 0.1 * (torch.rand(1, 3, generator=g) - 0.5)
        out.append(v.clamp(-0.5, 0.5))
    return torch.stack(out), faces


def test_voxelization_is_softras_exactly():
    vertices, faces = predicted_meshes()
    for v in vertices:
        reference = softras_voxelization((v[faces] * 31 / 32 + 0.5).numpy())
        ours = voxelize(v * 31 / 32 + 0.5, faces, 32, bounds=(0.0, 1.0), mode="fill")[0]
        assert 2000 < reference.sum() and np.array_equal(ours.numpy(), reference.astype(bool))


def test_iou_equals_softras_test_computation_on_a_handful_of_meshes():
    vertices, faces = predicted_meshes(6, seed=1)
    truth, _ = predicted_meshes(6, seed=2)
    gt = dataset_voxels(truth, faces).numpy().astype(np.float32)  # any voxels in the data's layout
    softras = softras_evaluate_iou(vertices[:, faces].numpy(), gt)
    ours = voxel_iou(dataset_voxels(vertices, faces), torch.from_numpy(gt > 0))
    assert 0.2 < softras.min() and softras.max() < 0.95
    np.testing.assert_allclose(ours.numpy(), softras, rtol=0, atol=1e-7)


class PickMesh(torch.nn.Module):
    """A stand-in model: each input image selects one of a few fixed meshes by its silhouette."""

    def __init__(self):
        super().__init__()
        vertices, faces = predicted_meshes(5, seed=3)
        self.register_buffer("bank", vertices)
        self.register_buffer("faces", faces)

    @staticmethod
    def choice(images):
        return (images[:, 3].sum((1, 2)) * 7).long() % 5

    def forward(self, images):
        return self.bank[self.choice(images)], None


def test_evaluate_means_softras_per_view_ious_over_objects_and_views(tiny_data):
    model = PickMesh()
    results = evaluate(model, tiny_data, synsets(), views=24, progress=False, split="val")
    for c in synsets():
        data = ShapeNetRenderings(tiny_data, [c], "val")
        ious, cache = [], {}
        for k in range(COUNTS["val"]):
            voxels = np.asarray(data.voxels[c][k:k + 1], np.float32)
            for p in PickMesh.choice(data[k]["images"]).tolist():
                if (p, k) not in cache:
                    cache[p, k] = softras_evaluate_iou(model.bank[p][model.faces][None].numpy(), voxels)[0]
                ious.append(cache[p, k])
        assert len(cache) > 2  # the images select different meshes
        # SoftRas: iou_cls = sum of the per-view IoUs / 24 / num_data
        expected = np.sum(ious) / 24.0 / COUNTS["val"]
        assert abs(results[c][0] - expected) < 1e-6, (c, results[c][0], expected)
        assert 0 < results[c][1] < 1  # the mean-shape baseline


def test_evaluation_of_a_perfect_prediction_is_one(tiny_data):
    results = evaluate(None, tiny_data, synsets(), views=3, progress=False,
                       predict=lambda images, item: (item["voxels"][None].expand(len(images), -1, -1, -1), None))
    for ours, baseline in results.values():
        assert ours == 1.0 and 0 < baseline < 1
    assert "| **mean** | **100.0** |" in table(results) and "(chair)" in table(results)


def test_evaluate_cli_refuses_bad_views(tmp_path, capsys):
    for views in ("0", "25", "-1", "two"):
        with pytest.raises(SystemExit) as exit:
            main(["--data", str(tmp_path), "--checkpoint", "x.pt", "--out", str(tmp_path), "--views", views])
        assert exit.value.code == 2 and "--views" in capsys.readouterr().err
    assert not os.listdir(tmp_path)
