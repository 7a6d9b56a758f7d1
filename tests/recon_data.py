"""A tiny generated data set in the real ShapeNet renderings format, for the recon tests."""
import os

from taichiras.recon import synthetic

FAMILIES = ("chair", "airplane")
COUNTS = {"train": 3, "val": 2, "test": 1}
SEED = 1


def generate_tiny(root):
    """Write the tiny data set into ``root``; returns root as a str."""
    synthetic.generate(str(root), FAMILIES, COUNTS, seed=SEED, progress=False)
    return str(root)


def synsets():
    return [synthetic.SYNSET_OF[f] for f in FAMILIES]


def data_file(root, family, split, kind):
    """Path of a family's ``images`` or ``voxels`` npz for a split."""
    return os.path.join(root, f"{synthetic.SYNSET_OF[family]}_{split}_{kind}.npz")
