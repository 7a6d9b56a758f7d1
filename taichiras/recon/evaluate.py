"""Evaluate single-view reconstruction as SoftRas's examples/recon/test.py does: per-class and
mean 32^3 voxel IoU on the val split (--split), against the baseline that predicts each class's
mean training shape; a table like the paper's.

    python -m taichiras.recon.evaluate --data data/synthetic --checkpoint runs/recon/checkpoint.pt

Each object is reconstructed from every one of its 24 views (or --views of them); the predicted
mesh is voxelized in the data set's convention (data.dataset_voxels: SoftRas's voxelization and
axis order) and scored |A and B| / |A or B| against the object's voxels; a class's IoU is the
mean over its objects and views. Saves a few reconstructions as OBJ + input PNG into --out.
"""
import argparse
import json
import os

import numpy as np
import torch
from tqdm import tqdm

from .. import cli
from ..imaging import save_image
from ..io import save_obj
from ..mesh import Mesh
from ..ops.voxelize import voxel_iou
from .arguments import count
from .data import SPLITS, SYNSETS, VIEWS, DataFormatError, ShapeNetRenderings, dataset_voxels
from .model import Reconstructor


def mean_shape(root, class_id):
    """The class's mean training shape: voxels occupied in at least half the training objects."""
    data = ShapeNetRenderings(root, [class_id], "train")
    total = np.zeros(data.voxels[class_id].shape[1:], np.float64)
    for k in range(len(data)):
        total += np.asarray(data.voxels[class_id][k]) != 0
    return torch.from_numpy(total / len(data) >= 0.5)


@torch.no_grad()
def predict_voxels(model, images):
    """The model's meshes for images, voxelized in the data set's convention: (voxels, vertices)."""
    vertices, _ = model(images)
    return dataset_voxels(vertices, model.faces), vertices


def evaluate(model, root, classes, views=VIEWS, out=None, n_save=2, batch=24, progress=True,
             predict=None, split="val"):
    """{class: (model IoU, baseline IoU)} over a split (means over objects and views).

    predict(images, item) -> (voxels (B, 32, 32, 32), vertices (B, V, 3) or None) replaces the
    model's prediction (tests feed the ground truth through it)."""
    if not 1 <= views <= VIEWS:
        raise ValueError(f"views must be in [1, {VIEWS}]; got {views}")
    if model is not None:
        model.eval()
    predict = predict or (lambda images, item: predict_voxels(model, images))
    results = {}
    for c in classes:
        data = ShapeNetRenderings(root, [c], split)
        base = mean_shape(root, c)
        ious, base_ious = [], []
        for k in tqdm(range(len(data)), desc=f"eval {c}", disable=not progress):
            item = data[k]
            images = item["images"][torch.linspace(0, VIEWS - 1, views).round().long()]
            gt = item["voxels"][None]
            for s in range(0, len(images), batch):
                pred, vertices = predict(images[s:s + batch], item)
                ious += voxel_iou(pred, gt.expand_as(pred)).tolist()
                if out is not None and k < n_save and s == 0 and vertices is not None:
                    stem = os.path.join(out, f"{c}_{k:03d}")
                    save_obj(stem + ".obj", Mesh(vertices[:1], model.faces), textures=False)
                    save_image(stem + ".png", images[0], background=(1, 1, 1))
            base_ious.append(voxel_iou(base[None], gt).item())
        results[c] = (float(np.mean(ious)), float(np.mean(base_ious)))
    return results


def table(results):
    rows = ["| class | ours (IoU) | mean-shape baseline (IoU) |", "|---|---:|---:|"]
    for c, (ours, base) in results.items():
        name = f"{c} ({SYNSETS[c]})" if c in SYNSETS else c
        rows.append(f"| {name} | {100 * ours:.1f} | {100 * base:.1f} |")
    ours = np.mean([r[0] for r in results.values()])
    base = np.mean([r[1] for r in results.values()])
    rows.append(f"| **mean** | **{100 * ours:.1f}** | **{100 * base:.1f}** |")
    return "\n".join(rows)


def _views(text):
    views = count(text)
    if views > VIEWS:
        raise argparse.ArgumentTypeError(f"{text!r} is more than the {VIEWS} views of an object")
    return views


def main(argv=None):
    ap = cli.parser(__doc__)
    ap.add_argument("--data", required=True, help="folder of <class>_<split>_{images,voxels}.npz")
    ap.add_argument("--checkpoint", required=True, help="checkpoint.pt written by train")
    cli.runtime_arguments(ap)
    ap.add_argument("--views", type=_views, default=VIEWS, help=f"input views per object (1 to {VIEWS})")
    ap.add_argument("--split", default="val", choices=SPLITS, help="split to evaluate (SoftRas: val)")
    args = ap.parse_args(argv)
    cli.start(args)
    if not os.path.exists(args.checkpoint):
        raise SystemExit(f"--checkpoint: no such file: {args.checkpoint}")
    state = torch.load(args.checkpoint, map_location="cpu")
    model = Reconstructor(colour=state.get("colour", False))
    model.load_state_dict(state["model"])
    try:
        results = evaluate(model, args.data, state["classes"], args.views, args.out, split=args.split)
    except (FileNotFoundError, DataFormatError) as e:
        raise SystemExit(f"--data: {e}") from None
    text = table(results)
    print(text)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({c: {"iou": r[0], "baseline_iou": r[1]} for c, r in results.items()}, f, indent=2)


if __name__ == "__main__":
    main()
