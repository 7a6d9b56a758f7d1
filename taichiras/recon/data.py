"""The ShapeNet renderings of SoftRas and the Neural 3D Mesh Renderer, in their file format,
memory-mapped.

Per class (a ShapeNet synset id, e.g. 02691156 for airplanes) and split (train, val, test):

- ``<synset>_<split>_images.npz``: (N, 24, 4, 64, 64) uint8 RGBA; view v of each object is seen
  from distance 2.732, elevation 30 deg, azimuth -15*v deg through SoftRas's look_at camera
  (``dataset_cameras``);
- ``<synset>_<split>_voxels.npz``: (N, 32, 32, 32) occupancy (any numeric dtype, nonzero =
  occupied) in SoftRas's evaluation convention (``dataset_voxels``).

Each npz holds one array; the first is read, as SoftRas does. Arrays are memory-mapped straight
out of uncompressed npz files (SoftRas loads everything into RAM); compressed members are
extracted once into a cache (keyed on the file's size, mtime and the member's CRC-32, which the
extraction verifies) and mapped from there. Headers are checked before anything is mapped: a
file of another layout or dtype is refused with its name, the shape found and the one expected.
"""
import glob
import hashlib
import os
import shutil
import zipfile

import numpy as np
import torch

from ..cameras import Camera
from ..ops.voxelize import voxelize

VIEWS, CHANNELS, IMAGE_SIZE, VOXEL_SIZE = 24, 4, 64, 32
SPLITS = ("train", "val", "test")
DISTANCE, ELEVATION, AZIMUTH_STEP = 2.732, 30.0, -15.0
SYNSETS = {  # the 13 classes of SoftRas's reconstruction experiments
    "02691156": "airplane", "02828884": "bench", "02933112": "cabinet", "02958343": "car",
    "03001627": "chair", "03211117": "display", "03636649": "lamp", "03691459": "loudspeaker",
    "04090263": "rifle", "04256520": "sofa", "04379243": "table", "04401088": "telephone",
    "04530566": "watercraft",
}


class DataFormatError(ValueError):
    """A data file that is not in the format; the message names the file."""


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


def dataset_voxels(vertices, faces):
    """Voxels (B, 32, 32, 32) bool of meshes in the model's [-0.5, 0.5] box, in the data set's
    convention: SoftRas's evaluation (examples/recon/models.py) voxelizes v * 31/32 + 0.5 over
    [0, 1]^3 by its surface + fill rule and compares ``.transpose(0, 2, 1, 3)[..., ::-1]``."""
    vertices = vertices[None] if vertices.ndim == 2 else vertices
    grid = voxelize(vertices * 1.0 * (VOXEL_SIZE - 1) / VOXEL_SIZE + 0.5, faces, VOXEL_SIZE,
                    bounds=(0.0, 1.0), mode="fill")
    return grid.permute(0, 2, 1, 3).flip(-1)


def _read_header(f, path):
    try:
        version = np.lib.format.read_magic(f)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        return read(f)
    except ValueError as e:
        raise DataFormatError(f"{path}: not an npz of numpy arrays ({e})") from None


def _describe(shape):
    return "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"


def _cache_folder(path):
    folder = os.path.join(os.path.dirname(os.path.abspath(path)), ".npz_cache")
    try:
        os.makedirs(folder, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    key = hashlib.sha1(os.path.dirname(os.path.abspath(path)).encode()).hexdigest()[:16]
    folder = os.path.join(os.path.expanduser("~"), ".cache", "taichiras", "npz", key)
    os.makedirs(folder, exist_ok=True)
    return folder


def write_replacing(path, write, suffix=".tmp"):
    """Call ``write(temporary path)`` and rename the result onto ``path``: readers see the old
    file or the whole new one; on any failure (or interruption) the temporary is removed."""
    tmp = f"{path}.{os.getpid()}{suffix}"
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _extracted(path, z, info):
    """A cached .npy copy of a compressed member, keyed on the npz's size and mtime and the
    member's CRC (zipfile checks the CRC while extracting; a mismatch raises)."""
    st = os.stat(path)
    folder = _cache_folder(path)
    stem = f"{os.path.basename(path)}.{info.filename[:-4]}"
    target = os.path.join(folder, f"{stem}.{st.st_size}-{st.st_mtime_ns}-{info.CRC:08x}.npy")
    if not os.path.exists(target):
        def extract(tmp):
            with open(tmp, "wb") as out, z.open(info) as member:
                shutil.copyfileobj(member, out, 1 << 24)
        try:
            write_replacing(target, extract)
        except zipfile.BadZipFile as e:
            raise DataFormatError(f"{path}: corrupt member {info.filename} ({e})") from None
        for old in glob.glob(os.path.join(glob.escape(folder), glob.escape(stem) + ".*.npy")):
            if old != target:
                os.unlink(old)
    return target


def open_npz_array(path, shape, dtype=None):
    """A read-only memory map of the (first) array in the npz at ``path``.

    shape: the expected shape, None for a free dimension; dtype: the expected numpy dtype, or
    None for any numeric (bool, int, uint, float) dtype. Checked from the header, before
    anything is mapped; anything else raises DataFormatError naming the file.
    """
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataFormatError(f"{path}: not an npz file (not a zip archive)") from None
    with z:
        members = [i for i in z.infolist() if i.filename.endswith(".npy")]
        if not members:
            raise DataFormatError(f"{path}: holds no numpy array")
        info = members[0]
        with z.open(info) as f:
            found, fortran, found_dtype = _read_header(f, path)
        expected = _describe(shape) + (f" {np.dtype(dtype)}" if dtype is not None else "")
        if found_dtype.hasobject or found_dtype.kind not in "buif" or found_dtype.subdtype is not None \
                or (dtype is not None and found_dtype != np.dtype(dtype)):
            raise DataFormatError(f"{path}: array of dtype {found_dtype}; expected {expected}"
                                  + ("" if dtype is not None else " of a numeric dtype"))
        if len(found) != len(shape) or any(e is not None and e != s for e, s in zip(shape, found)):
            raise DataFormatError(f"{path}: array of shape {tuple(found)}; expected {expected}")
        if info.compress_type != zipfile.ZIP_STORED:
            return np.load(_extracted(path, z, info), mmap_mode="r")
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        local = f.read(30)
        start = info.header_offset + 30 + int.from_bytes(local[26:28], "little") \
            + int.from_bytes(local[28:30], "little")
        f.seek(start)
        _read_header(f, path)
        offset = f.tell()
    nbytes = int(np.prod(found)) * found_dtype.itemsize
    if offset - start + nbytes > info.file_size:
        raise DataFormatError(f"{path}: array data truncated ({info.file_size - (offset - start)} of "
                              f"{nbytes} bytes)")
    if nbytes == 0:
        return np.zeros(found, found_dtype)
    return np.memmap(path, dtype=found_dtype, mode="r", offset=offset, shape=tuple(found),
                     order="F" if fortran else "C")


def split_paths(root, class_id, split):
    """(images path, voxels path) of one class and split."""
    base = os.path.join(root, f"{class_id}_{split}")
    return f"{base}_images.npz", f"{base}_voxels.npz"


def classes_in(root, split="train"):
    """The class ids that have files for ``split`` in ``root``, sorted."""
    suffix = f"_{split}_images.npz"
    return sorted(f[:-len(suffix)] for f in os.listdir(root) if f.endswith(suffix))


class ShapeNetRenderings(torch.utils.data.Dataset):
    """Objects of one split of some classes. Item i: dict with ``images`` (24, 4, 64, 64) float in
    [0, 1], ``voxels`` (32, 32, 32) bool, ``class_id`` and ``index`` (within its class)."""

    def __init__(self, root, class_ids, split):
        if not class_ids:
            raise ValueError("class_ids: give at least one class")
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}; got {split!r}")
        self.root, self.split = root, split
        self.class_ids = list(class_ids)
        self.images, self.voxels, self.items = {}, {}, []
        for c in self.class_ids:
            images_path, voxels_path = split_paths(root, c, split)
            for p in (images_path, voxels_path):
                if not os.path.isfile(p):
                    raise FileNotFoundError(f"missing {p}")
            images = open_npz_array(images_path, (None, VIEWS, CHANNELS, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
            voxels = open_npz_array(voxels_path, (None, VOXEL_SIZE, VOXEL_SIZE, VOXEL_SIZE))
            if images.shape[0] != voxels.shape[0]:
                raise DataFormatError(f"{images_path} holds {images.shape[0]} objects but {voxels_path} "
                                      f"holds {voxels.shape[0]}")
            self.images[c], self.voxels[c] = images, voxels
            self.items += [(c, i) for i in range(voxels.shape[0])]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        c, k = self.items[i]
        images = np.asarray(self.images[c][k], dtype=np.float32) / 255.0
        return {"images": torch.from_numpy(images), "voxels": torch.from_numpy(np.asarray(self.voxels[c][k]) != 0),
                "class_id": c, "index": k}

    def views(self, indices, view_ids):
        """(B, 4, 64, 64) images of objects ``indices`` at views ``view_ids`` (lazy reads)."""
        out = []
        for i, v in zip(indices, view_ids):
            c, k = self.items[int(i)]
            out.append(np.asarray(self.images[c][k, int(v)], dtype=np.float32) / 255.0)
        return torch.from_numpy(np.stack(out))


def save_split(root, class_id, split, images, voxels):
    """Write one class and split in the format (uncompressed npz, so it memory-maps), each file
    written to a temporary name and renamed into place."""
    images = np.ascontiguousarray(images, dtype=np.uint8)
    voxels = np.ascontiguousarray(voxels, dtype=np.uint8)
    if images.shape[1:] != (VIEWS, CHANNELS, IMAGE_SIZE, IMAGE_SIZE) or \
            voxels.shape[1:] != (VOXEL_SIZE,) * 3 or len(images) != len(voxels):
        raise ValueError(f"images {images.shape} and voxels {voxels.shape}: expected (N, {VIEWS}, {CHANNELS}, "
                         f"{IMAGE_SIZE}, {IMAGE_SIZE}) and (N, {VOXEL_SIZE}, {VOXEL_SIZE}, {VOXEL_SIZE})")
    os.makedirs(root, exist_ok=True)
    for path, array in zip(split_paths(root, class_id, split), (images, voxels)):
        write_replacing(path, lambda tmp: np.savez(tmp, array), suffix=".tmp.npz")
