"""Deform a sphere into a target shape from multi-view silhouettes only.

The SoftRas recipe: a sphere template whose vertices move (bounded, per vertex) and a centre,
fitted to silhouettes of the target from --views cameras around it with a silhouette IoU loss
plus Laplacian and flatten regularisers. Prints silhouette IoU as it goes; writes the final OBJ,
a GIF of the progress (the viewer's frames), and metrics.json into --out.

Default target: a generated blob. --target takes a mesh file (e.g. ../shared/data/spot/spot_triangulated.obj).
"""
import os

import torch

from common import Run, load_or, parser
from shapes import SphereDeformer, blob
from taichiras.cameras import Camera
from taichiras.io import save_obj
from taichiras.losses import silhouette_iou_loss
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer
from taichiras.templates import icosphere


def main(argv=None):
    ap = parser(__doc__, iters=300)
    ap.add_argument("--target", help="target mesh file (default: a generated blob)")
    ap.add_argument("--views", type=int, default=12, help="number of silhouette views")
    ap.add_argument("--size", type=int, default=64, help="silhouette size in pixels")
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args(argv)
    run = Run(args, "deform")

    target = load_or(args.target, blob, load_textures=False)
    target = Mesh(target.vertices * 0.8, target.faces)
    azimuths = torch.arange(args.views) * (360.0 / args.views)
    elevations = torch.where(torch.arange(args.views) % 2 == 0, 30.0, -20.0)
    cameras = Camera.from_angles(2.732, elevations, azimuths, fov=30)
    renderer = SoftRenderer(args.size, camera=cameras, sigma_val=1e-4, dist_eps=1e-10)
    with torch.no_grad():
        target_alpha = renderer(target, silhouette=True)[:, 3]

    model = SphereDeformer(*icosphere(3, radius=0.5))
    optimizer = torch.optim.Adam(model.parameters(), args.lr, betas=(0.5, 0.99))
    ious = []
    for i in run.steps():
        vertices = model()
        mesh = Mesh(vertices, model.faces)
        alpha = renderer(mesh, silhouette=True)[:, 3]
        iou_loss = silhouette_iou_loss(alpha, target_alpha)
        loss = iou_loss + 0.03 * model.laplacian(vertices).mean() + 0.0003 * model.flatten(vertices).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ious.append(1 - iou_loss.item())
        run.postfix["iou"] = ious[-1]
        run.show(i, vertices, model.faces, {"rendered": alpha[0], "target": target_alpha[0]},
                 loss.item(), last=i == args.iters - 1)

    with torch.no_grad():
        final = Mesh(model(), model.faces)
        final_iou = 1 - silhouette_iou_loss(renderer(final, silhouette=True)[:, 3], target_alpha).item()
    save_obj(os.path.join(args.out, "deformed.obj"), final, textures=False)
    return run.finish({"initial_iou": round(ious[0], 4), "final_iou": round(final_iou, 4)}, "deform.gif")


if __name__ == "__main__":
    main()
