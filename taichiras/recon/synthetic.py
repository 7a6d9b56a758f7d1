"""A synthetic stand-in for the ShapeNet renderings: procedural shape families (airplanes, chairs,
tables made of boxes and cylinders with random proportions) rendered by taichiras at the 24
views of the data set, with voxels in its convention, written in its exact file format (synset
ids as class names; train, val and test splits).

    python -m taichiras.recon.synthetic --out data/synthetic --train 200 --val 30 --test 30
"""
import argparse

import numpy as np
import torch
import trimesh
from tqdm import tqdm

from .. import cli
from ..imaging import to_uint8
from ..lighting import Lighting
from ..mesh import Mesh
from ..renderer import SoftRenderer
from .arguments import count
from .data import IMAGE_SIZE, SPLITS, VIEWS, VOXEL_SIZE, dataset_cameras, dataset_voxels, save_split

SYNSET_OF = {"airplane": "02691156", "chair": "03001627", "table": "04379243"}
FAMILIES = tuple(SYNSET_OF)
DEFAULT_COUNTS = {"train": 200, "val": 30, "test": 30}


def _box(extents, centre):
    b = trimesh.creation.box(extents=extents)
    b.apply_translation(centre)
    return b


def _cylinder(radius, height, centre, axis):
    c = trimesh.creation.cylinder(radius=radius, height=height, sections=16)
    if axis == "x":
        c.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [0, 1, 0]))
    elif axis == "y":
        c.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [1, 0, 0]))
    c.apply_translation(centre)
    return c


def make_shape(family, rng):
    """A list of closed trimesh parts, in about [-0.5, 0.5]^3."""
    u = rng.uniform
    if family == "chair":
        w, d, h, t = u(0.5, 0.8), u(0.5, 0.8), u(0.35, 0.55), u(0.06, 0.12)
        leg = u(0.05, 0.09)
        back = u(0.4, 0.7)
        parts = [_box((w, t, d), (0, h, 0)), _box((w, back, t), (0, h + back / 2, -d / 2 + t / 2))]
        for sx in (-1, 1):
            for sz in (-1, 1):
                parts.append(_box((leg, h, leg), (sx * (w - leg) / 2, h / 2, sz * (d - leg) / 2)))
    elif family == "table":
        w, d, h, t = u(0.7, 1.0), u(0.4, 0.9), u(0.35, 0.6), u(0.05, 0.1)
        parts = [_box((w, t, d), (0, h, 0))]
        if rng.random() < 0.3:
            parts.append(_cylinder(u(0.05, 0.12), h, (0, h / 2, 0), "y"))
        else:
            leg = u(0.05, 0.1)
            for sx in (-1, 1):
                for sz in (-1, 1):
                    parts.append(_box((leg, h, leg), (sx * (w - leg) / 2, h / 2, sz * (d - leg) / 2)))
    else:
        length, radius, span, chord = u(0.8, 1.0), u(0.05, 0.09), u(0.7, 1.0), u(0.12, 0.25)
        parts = [_cylinder(radius, length, (0, 0, 0), "z"),
                 _box((span, 0.03, chord), (0, 0, u(-0.05, 0.1))),
                 _box((span * u(0.3, 0.45), 0.025, chord * 0.6), (0, 0, -length / 2 + chord * 0.3)),
                 _box((0.025, u(0.12, 0.22), chord * 0.7), (0, 0.1, -length / 2 + chord * 0.35))]
    mesh = trimesh.util.concatenate(parts)
    centre = (mesh.bounds[0] + mesh.bounds[1]) / 2
    scale = 0.9 / (mesh.bounds[1] - mesh.bounds[0]).max()
    for p in parts:
        p.apply_translation(-centre)
        p.apply_scale(scale)
    return parts


def object_mesh(family, split, index, seed=0):
    """(trimesh of object ``index`` of a family's split, its RGB colour); the same arguments give
    the same object, so the generated data set's true meshes can be rebuilt."""
    rng = np.random.default_rng([seed, FAMILIES.index(family), SPLITS.index(split), index])
    mesh = trimesh.util.concatenate(make_shape(family, rng))
    return mesh, rng.uniform(0.3, 0.95, size=3)


def render_views(mesh, colour, renderer):
    """(24, 4, 64, 64) uint8 RGBA of a trimesh from the data set's 24 views."""
    v = torch.tensor(mesh.vertices, dtype=torch.float32)
    f = torch.tensor(mesh.faces)
    tex = torch.tensor(colour, dtype=torch.float32).expand(1, len(f), 1, 3)
    with torch.no_grad():
        return to_uint8(renderer(Mesh(v, f, tex)))


def object_voxels(mesh):
    """(32, 32, 32) uint8 voxels of a trimesh in the data set's convention."""
    v = torch.tensor(mesh.vertices, dtype=torch.float32)
    return dataset_voxels(v, torch.tensor(mesh.faces))[0].numpy().astype(np.uint8)


def generate(out, families=FAMILIES, counts=None, seed=0, progress=True):
    """Write <synset>_<split>_{images,voxels}.npz for each family and split in the real format;
    counts: objects per split, {"train": 200, "val": 30, "test": 30} by default. Returns the
    synset ids written."""
    counts = dict(DEFAULT_COUNTS, **(counts or {}))
    renderer = SoftRenderer(IMAGE_SIZE, camera=dataset_cameras(torch.arange(VIEWS)), lighting=Lighting(),
                            sigma_val=1e-7, aggr_func_rgb="hard")
    for family in families:
        for split in SPLITS:
            n = counts[split]
            images = np.zeros((n, VIEWS, 4, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
            voxels = np.zeros((n, VOXEL_SIZE, VOXEL_SIZE, VOXEL_SIZE), np.uint8)
            for k in tqdm(range(n), desc=f"{family} {split}", disable=not progress):
                mesh, colour = object_mesh(family, split, k, seed)
                images[k] = render_views(mesh, colour, renderer)
                voxels[k] = object_voxels(mesh)
            save_split(out, SYNSET_OF[family], split, images, voxels)
    return [SYNSET_OF[f] for f in families]


def _family(name):
    """A family name or its synset id -> the family name (argparse type)."""
    name = {v: k for k, v in SYNSET_OF.items()}.get(name, name)
    if name not in FAMILIES:
        raise argparse.ArgumentTypeError(f"unknown class {name!r}; choose from "
                                         f"{', '.join(f'{f} ({SYNSET_OF[f]})' for f in FAMILIES)}")
    return name


def main(argv=None):
    ap = cli.parser(__doc__)
    cli.runtime_arguments(ap)
    ap.add_argument("--classes", nargs="+", type=_family, default=list(FAMILIES), metavar="CLASS",
                    help="shape families to generate, by name or synset id")
    for split in SPLITS:
        ap.add_argument(f"--{split}", type=count, default=DEFAULT_COUNTS[split],
                        help=f"{split} objects per class")
    args = ap.parse_args(argv)
    cli.start(args)
    ids = generate(args.out, args.classes, {s: getattr(args, s) for s in SPLITS}, args.seed)
    print(f"wrote classes {', '.join(ids)} ({', '.join(f'{getattr(args, s)} {s}' for s in SPLITS)} "
          f"objects each) to {args.out}")


if __name__ == "__main__":
    main()
