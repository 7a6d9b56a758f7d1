"""The ShapeNet renderings format: the generator writes exactly what SoftRas's loader reads, the
loader maps it and refuses anything else, and the stored voxels are in SoftRas's evaluation
convention (a generated object's true mesh scores >= 0.95 IoU under SoftRas's own computation)."""
import os
import zipfile

import numpy as np
import pytest
import torch
from recon_data import COUNTS, FAMILIES, SEED, data_file, generate_tiny, synsets
from softras_reference import softras_evaluate_iou

from taichiras.ops.voxelize import voxel_iou
from taichiras.recon import synthetic
from taichiras.recon.data import (VIEWS, DataFormatError, ShapeNetRenderings, classes_in, dataset_cameras,
                                  dataset_voxels, open_npz_array)
from taichiras.renderer import SoftRenderer
from taichiras.mesh import Mesh


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    return generate_tiny(tmp_path_factory.mktemp("synthetic"))


def softras_load(path):
    """How SoftRas's examples/recon/datasets.py reads a file: the first array of the npz."""
    return list(np.load(path).items())[0][1]


def test_generator_writes_the_real_format(tiny_data):
    names = sorted(os.listdir(tiny_data))
    expected = sorted(f"{s}_{split}_{kind}.npz" for s in synsets() for split in ("train", "val", "test")
                      for kind in ("images", "voxels"))
    assert [n for n in names if n.endswith(".npz")] == expected
    assert classes_in(tiny_data) == sorted(synsets()) and classes_in(tiny_data, "val") == sorted(synsets())
    for family in FAMILIES:
        for split, n in COUNTS.items():
            images = softras_load(data_file(tiny_data, family, split, "images"))
            voxels = softras_load(data_file(tiny_data, family, split, "voxels"))
            assert images.shape == (n, 24, 4, 64, 64) and images.dtype == np.uint8
            assert voxels.shape == (n, 32, 32, 32)
            # SoftRas: num_data = images.shape[0]; images.reshape((-1, 4, 64, 64))[object * 24 + view]
            flat = images.reshape((-1, 4, 64, 64))
            assert np.array_equal(flat[1 * 24 + 5] if n > 1 else flat[5], images[min(1, n - 1), 5])
    with zipfile.ZipFile(data_file(tiny_data, "chair", "train", "images")) as z:
        assert z.infolist()[0].compress_type == zipfile.ZIP_STORED  # so it memory-maps


def test_images_are_views_of_the_true_mesh_through_the_dataset_cameras(tiny_data):
    images = softras_load(data_file(tiny_data, "airplane", "val", "images"))
    mesh, _ = synthetic.object_mesh("airplane", "val", 1, SEED)
    views = torch.tensor([0, 7, 13])
    alpha = SoftRenderer(64, camera=dataset_cameras(views), sigma_val=1e-7, aggr_func_rgb="hard")(
        Mesh(torch.tensor(mesh.vertices, dtype=torch.float32), torch.tensor(mesh.faces)), silhouette=True)[:, 3]
    stored = torch.from_numpy(images[1, views.numpy(), 3] / 255.0).float()
    assert (stored > 0.5).sum() > 100
    assert ((alpha > 0.5) != (stored > 0.5)).float().mean() < 0.002


def test_true_meshes_score_at_least_095_under_softras_evaluation_and_ours(tiny_data):
    for family in FAMILIES:
        voxels = softras_load(data_file(tiny_data, family, "val", "voxels"))
        for k in range(COUNTS["val"]):
            mesh, _ = synthetic.object_mesh(family, "val", k, SEED)
            v = torch.tensor(mesh.vertices, dtype=torch.float32)
            f = torch.tensor(mesh.faces)
            softras = softras_evaluate_iou(v[f][None].numpy(), voxels[k:k + 1])[0]
            ours = voxel_iou(dataset_voxels(v, f), torch.from_numpy(voxels[k:k + 1] != 0))[0].item()
            assert softras >= 0.95 and ours >= 0.95, (family, k, softras, ours)
            # Another view of the same object in a plain [x, y, z] grid would not line up.
            plain = dataset_voxels(v, f).flip(-1).permute(0, 2, 1, 3).numpy()
            assert (voxels[k] * plain[0]).sum() / ((voxels[k] + plain[0]) > 0).sum() < 0.9


def test_loader_maps_the_files_and_reads_objects_and_views(tiny_data):
    data = ShapeNetRenderings(tiny_data, synsets(), "train")
    assert len(data) == 6
    chair, airplane = synsets()
    assert isinstance(data.images[chair], np.memmap) and isinstance(data.voxels[chair], np.memmap)
    item = data[4]
    assert item["class_id"] == airplane and item["index"] == 1
    assert item["images"].shape == (VIEWS, 4, 64, 64) and item["images"].dtype == torch.float32
    assert 0 <= item["images"].min() and item["images"].max() <= 1 and 0.02 < item["images"][:, 3].mean() < 0.5
    assert item["voxels"].shape == (32, 32, 32) and item["voxels"].dtype == torch.bool and item["voxels"].sum() > 50
    views = data.views([0, 4], [3, 7])
    torch.testing.assert_close(views[1], item["images"][7])
    with pytest.raises(FileNotFoundError, match="missing"):
        ShapeNetRenderings(tiny_data, ["04256520"], "train")
    with pytest.raises(ValueError, match="class_ids"):
        ShapeNetRenderings(tiny_data, [], "train")
    with pytest.raises(ValueError, match="split"):
        ShapeNetRenderings(tiny_data, synsets(), "validation")


def test_compressed_files_map_from_a_cache_that_follows_the_file(tmp_path):
    images = np.random.default_rng(0).integers(0, 255, (2, 24, 4, 64, 64), dtype=np.uint8)
    path = tmp_path / "02691156_train_images.npz"
    np.savez_compressed(path, images)
    first = open_npz_array(str(path), (None, 24, 4, 64, 64), np.uint8)
    assert isinstance(first, np.memmap) and np.array_equal(first, images)
    del first
    np.savez_compressed(path, images[::-1])  # regenerated in place: same name, same size
    again = open_npz_array(str(path), (None, 24, 4, 64, 64), np.uint8)
    assert np.array_equal(again, images[::-1])
    assert len(os.listdir(tmp_path / ".npz_cache")) == 1


def test_bad_files_are_refused_naming_the_file_and_shapes(tmp_path):
    def npz(name, array, compressed=False):
        path = tmp_path / name
        (np.savez_compressed if compressed else np.savez)(path, array)
        return str(path)

    shape = (None, 24, 4, 64, 64)
    p = npz("objects.npz", np.array([1, 2], dtype=object))  # would be mapped as raw pointers
    with pytest.raises(DataFormatError, match=r"objects\.npz: array of dtype object"):
        open_npz_array(p, shape, np.uint8)
    with pytest.raises(DataFormatError, match=r"objects_c\.npz: array of dtype object"):
        open_npz_array(npz("objects_c.npz", np.array([1, 2], dtype=object), True), (None,))
    p = npz("old_layout.npz", np.zeros((48, 4, 64, 64), np.uint8))  # (24 N, 4, 64, 64)
    with pytest.raises(DataFormatError, match=r"old_layout\.npz: array of shape \(48, 4, 64, 64\); "
                                              r"expected \(N, 24, 4, 64, 64\) uint8"):
        open_npz_array(p, shape, np.uint8)
    with pytest.raises(DataFormatError, match=r"floats\.npz: array of dtype float32; expected"):
        open_npz_array(npz("floats.npz", np.zeros((1, 24, 4, 64, 64), np.float32)), shape, np.uint8)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not a zip file at all" * 10)
    with pytest.raises(DataFormatError, match=r"garbage\.npz: not an npz file"):
        open_npz_array(str(garbage), shape, np.uint8)
    p = npz("truncated.npz", np.zeros((2, 24, 4, 64, 64), np.uint8))
    data = open(p, "rb").read()
    with zipfile.ZipFile(p) as z:
        info = z.infolist()[0]
    with open(p, "wb") as f:  # a header that promises 3 objects in a member holding 2
        f.write(data.replace(b"(2, 24, 4, 64, 64)", b"(3, 24, 4, 64, 64)", 1))
    assert info.compress_type == zipfile.ZIP_STORED
    with pytest.raises(DataFormatError, match=r"truncated\.npz: array data truncated"):
        open_npz_array(p, shape, np.uint8)
    # A pair whose object counts differ names both files.
    np.savez(tmp_path / "02691156_train_images.npz", np.zeros((2, 24, 4, 64, 64), np.uint8))
    np.savez(tmp_path / "02691156_train_voxels.npz", np.zeros((3, 32, 32, 32), np.uint8))
    with pytest.raises(DataFormatError, match=r"images\.npz holds 2 objects but .*voxels\.npz holds 3"):
        ShapeNetRenderings(str(tmp_path), ["02691156"], "train")
