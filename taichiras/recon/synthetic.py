"""A synthetic stand-in for the ShapeNet renderings: procedural shape families (chairs, tables,
airplanes made of boxes and cylinders with random proportions) rendered by taichiras at the 24
views of the data set, with solid 32^3 voxels, written in the same npz format.

    python -m taichiras.recon.synthetic --out data/synthetic --train 200 --test 30
"""

import numpy as np
import torch
import trimesh
from tqdm import tqdm

from .. import cli
from ..imaging import to_uint8
from ..lighting import Lighting
from ..mesh import Mesh
from ..ops.voxelize import voxelize
from ..renderer import SoftRenderer
from .data import VIEWS, dataset_cameras, save_split

FAMILIES = ("chair", "table", "airplane")


def _box(rng, extents, centre):
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
        parts = [_box(rng, (w, t, d), (0, h, 0)), _box(rng, (w, back, t), (0, h + back / 2, -d / 2 + t / 2))]
        for sx in (-1, 1):
            for sz in (-1, 1):
                parts.append(_box(rng, (leg, h, leg), (sx * (w - leg) / 2, h / 2, sz * (d - leg) / 2)))
    elif family == "table":
        w, d, h, t = u(0.7, 1.0), u(0.4, 0.9), u(0.35, 0.6), u(0.05, 0.1)
        parts = [_box(rng, (w, t, d), (0, h, 0))]
        if rng.random() < 0.3:
            parts.append(_cylinder(u(0.05, 0.12), h, (0, h / 2, 0), "y"))
        else:
            leg = u(0.05, 0.1)
            for sx in (-1, 1):
                for sz in (-1, 1):
                    parts.append(_box(rng, (leg, h, leg), (sx * (w - leg) / 2, h / 2, sz * (d - leg) / 2)))
    else:
        length, radius, span, chord = u(0.8, 1.0), u(0.05, 0.09), u(0.7, 1.0), u(0.12, 0.25)
        parts = [_cylinder(radius, length, (0, 0, 0), "z"),
                 _box(rng, (span, 0.03, chord), (0, 0, u(-0.05, 0.1))),
                 _box(rng, (span * u(0.3, 0.45), 0.025, chord * 0.6), (0, 0, -length / 2 + chord * 0.3)),
                 _box(rng, (0.025, u(0.12, 0.22), chord * 0.7), (0, 0.1, -length / 2 + chord * 0.35))]
    mesh = trimesh.util.concatenate(parts)
    centre = (mesh.bounds[0] + mesh.bounds[1]) / 2
    scale = 0.9 / (mesh.bounds[1] - mesh.bounds[0]).max()
    for p in parts:
        p.apply_translation(-centre)
        p.apply_scale(scale)
    return parts


def render_views(parts, renderer, colour):
    """(24, 4, 64, 64) uint8 RGBA of the parts from the data set's 24 views."""
    mesh = trimesh.util.concatenate(parts)
    v = torch.tensor(mesh.vertices, dtype=torch.float32)
    f = torch.tensor(mesh.faces)
    tex = torch.tensor(colour, dtype=torch.float32).expand(1, len(f), 1, 3)
    with torch.no_grad():
        images = renderer(Mesh(v, f, tex))
    return to_uint8(images)


def voxels_of(parts, size=32):
    """Union of the parts' solid voxels over [-0.5, 0.5]^3, indexed [x, y, z]."""
    grid = torch.zeros(size, size, size, dtype=torch.bool)
    for p in parts:
        grid |= voxelize(torch.tensor(p.vertices, dtype=torch.float32), torch.tensor(p.faces), size,
                         bounds=(-0.5, 0.5))[0]
    return grid.numpy()


def generate(out, families=FAMILIES, n_train=200, n_test=30, seed=0, image_size=64, progress=True):
    """Write <family>_<split>_{images,voxels}.npz for each family; returns the class ids."""
    rng = np.random.default_rng(seed)
    renderer = SoftRenderer(image_size, camera=dataset_cameras(torch.arange(VIEWS)), lighting=Lighting(),
                            sigma_val=1e-7, aggr_func_rgb="hard")
    for family in families:
        for split, n in (("train", n_train), ("test", n_test)):
            images = np.zeros((n * VIEWS, 4, image_size, image_size), np.uint8)
            voxels = np.zeros((n, 32, 32, 32), np.uint8)
            for k in tqdm(range(n), desc=f"{family} {split}", disable=not progress):
                parts = make_shape(family, rng)
                colour = rng.uniform(0.3, 0.95, size=3)
                images[k * VIEWS:(k + 1) * VIEWS] = render_views(parts, renderer, colour)
                voxels[k] = voxels_of(parts)
            save_split(out, family, split, images, voxels)
    return list(families)


def main(argv=None):
    ap = cli.parser(__doc__)
    cli.runtime_arguments(ap)
    ap.add_argument("--classes", nargs="+", default=list(FAMILIES), choices=FAMILIES,
                    help="shape families to generate")
    ap.add_argument("--train", type=int, default=200, help="training objects per class")
    ap.add_argument("--test", type=int, default=30, help="test objects per class")
    args = ap.parse_args(argv)
    cli.start(args)
    generate(args.out, args.classes, args.train, args.test, args.seed)
    print(f"wrote {len(args.classes)} classes to {args.out}")


if __name__ == "__main__":
    main()
