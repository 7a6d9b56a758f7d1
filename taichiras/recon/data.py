"""The ShapeNet renderings format of SoftRas and the Neural 3D Mesh Renderer, loaded lazily.

Per class: ``<class_id>_<split>_images.npz`` holding (N*24, 4, 64, 64) uint8 RGBA renders (24 views
per object, view v from distance 2.732, elevation 30 deg, azimuth -15*v deg, SoftRas's look_at
camera) and ``<class_id>_<split>_voxels.npz`` holding (N, 32, 32, 32) occupancies. Arrays are
memory-mapped straight out of uncompressed npz files (SoftRas loaded everything into RAM);
compressed members are extracted once into a cache folder beside the data, then mapped.
"""
import os
import zipfile

import numpy as np
import torch

from ..cameras import Camera

VIEWS = 24
DISTANCE, ELEVATION, AZIMUTH_STEP = 2.732, 30.0, -15.0


def view_angles(view_ids):
    """(distance, elevation, azimuth) tensors for view indices."""
    view_ids = torch.as_tensor(view_ids, dtype=torch.float32)
    return (torch.full_like(view_ids, DISTANCE), torch.full_like(view_ids, ELEVATION),
            view_ids * AZIMUTH_STEP)


def dataset_cameras(view_ids):
    """The data set's cameras for view indices: SoftRas's look_at camera (mirror_x), fov 30 deg,
    distance 2.732, elevation 30 deg, azimuth -15 deg * view."""
    distance, elevation, azimuth = view_angles(view_ids)
    return Camera.from_angles(distance, elevation, azimuth, fov=2 * 15.0, mirror_x=True)


def open_npz_member(path, key="arr_0"):
    """A read-only memory map of one array inside an .npz, without loading it."""
    with zipfile.ZipFile(path) as z:
        name = key + ".npy"
        if name not in z.namelist():
            raise KeyError(f"{path}: no array {key!r} (has {[n[:-4] for n in z.namelist()]})")
        info = z.getinfo(name)
        if info.compress_type == zipfile.ZIP_STORED:
            with open(path, "rb") as f:
                f.seek(info.header_offset)
                local = f.read(30)
                name_len = int.from_bytes(local[26:28], "little")
                extra_len = int.from_bytes(local[28:30], "little")
                start = info.header_offset + 30 + name_len + extra_len
                f.seek(start)
                version = np.lib.format.read_magic(f)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, fortran, dtype = read_header(f)
                offset = f.tell()
            return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape,
                             order="F" if fortran else "C")
    cache = os.path.join(os.path.dirname(os.path.abspath(path)), ".npz_cache")
    os.makedirs(cache, exist_ok=True)
    target = os.path.join(cache, os.path.basename(path) + f".{key}.npy")
    if not os.path.exists(target):
        with np.load(path) as data:
            np.save(target + ".tmp.npy", data[key])
        os.replace(target + ".tmp.npy", target)
    return np.load(target, mmap_mode="r")


class ShapeNetRenderings(torch.utils.data.Dataset):
    """Objects of one split of some classes. Item i: dict with ``images`` (24, 4, 64, 64) float in
    [0, 1], ``voxels`` (32, 32, 32) bool, ``class_id`` and ``index`` (within its class)."""

    def __init__(self, root, class_ids, split):
        if not class_ids:
            raise ValueError("class_ids: give at least one class")
        self.root, self.split = root, split
        self.class_ids = list(class_ids)
        self.images, self.voxels, self.items = {}, {}, []
        for c in self.class_ids:
            base = os.path.join(root, f"{c}_{split}")
            for kind in ("images", "voxels"):
                if not os.path.exists(f"{base}_{kind}.npz"):
                    raise FileNotFoundError(f"missing {base}_{kind}.npz")
            images = open_npz_member(f"{base}_images.npz")
            voxels = open_npz_member(f"{base}_voxels.npz")
            if images.ndim != 4 or images.shape[1] != 4 or images.shape[0] != VIEWS * voxels.shape[0]:
                raise ValueError(f"{base}_images.npz: expected ({VIEWS}*N, 4, H, W) for the N={voxels.shape[0]} "
                                 f"objects in its voxels file; got {images.shape}")
            self.images[c], self.voxels[c] = images, voxels
            self.items += [(c, i) for i in range(voxels.shape[0])]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        c, k = self.items[i]
        images = np.asarray(self.images[c][k * VIEWS:(k + 1) * VIEWS], dtype=np.float32) / 255.0
        return {"images": torch.from_numpy(images), "voxels": torch.from_numpy(np.asarray(self.voxels[c][k]) > 0),
                "class_id": c, "index": k}

    def views(self, indices, view_ids):
        """(B, 4, H, W) images of objects ``indices`` at views ``view_ids`` (lazy reads)."""
        out = []
        for i, v in zip(indices, view_ids):
            c, k = self.items[int(i)]
            out.append(np.asarray(self.images[c][k * VIEWS + int(v)], dtype=np.float32) / 255.0)
        return torch.from_numpy(np.stack(out))


def save_split(root, class_id, split, images, voxels):
    """Write one class/split in the format (uncompressed npz, so it memory-maps)."""
    os.makedirs(root, exist_ok=True)
    np.savez(os.path.join(root, f"{class_id}_{split}_images.npz"), np.ascontiguousarray(images, dtype=np.uint8))
    np.savez(os.path.join(root, f"{class_id}_{split}_voxels.npz"), np.ascontiguousarray(voxels, dtype=np.uint8))
