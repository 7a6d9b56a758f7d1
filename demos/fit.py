"""Fit shape and texture to RGB images of a textured mesh seen from many views.

A sphere template is deformed (as in deform.py) and its per-vertex colours are learnt, from
--views RGB images of the target, with an image loss, a silhouette IoU loss and Laplacian and
flatten regularisers. Prints image and silhouette losses; writes the fitted OBJ (vertex
colours), fit.gif (the viewer) and metrics.json into --out.

Default target: a generated blob with smooth procedural colours. --target takes a mesh file
with its colours or texture (e.g. ../shared/data/spot/spot_triangulated.obj).
"""
import os

import torch

from common import Run, load_or, parser
from shapes import SphereDeformer, blob, position_colours
from taichiras.cameras import Camera
from taichiras.io import save_obj
from taichiras.losses import silhouette_iou_loss
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer
from taichiras.templates import icosphere


def default_target():
    shape = blob()
    return Mesh(shape.vertices, shape.faces, position_colours(shape.vertices), texture_type="vertex")


def main(argv=None):
    ap = parser(__doc__, iters=300)
    ap.add_argument("--target", help="target mesh file (default: a generated coloured blob)")
    ap.add_argument("--views", type=int, default=16)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    args = ap.parse_args(argv)
    run = Run(args, "fit")

    target = load_or(args.target, default_target, texture_res=2)
    target = Mesh(target.vertices * 0.8, target.faces, target.textures, target.texture_type)
    azimuths = torch.arange(args.views) * (360.0 / args.views)
    elevations = torch.where(torch.arange(args.views) % 2 == 0, 30.0, -25.0)
    renderer = SoftRenderer(args.size, camera=Camera.from_angles(2.732, elevations, azimuths, fov=30),
                            sigma_val=1e-4, gamma_val=1e-4, dist_eps=1e-10, cull_backfaces=True)
    with torch.no_grad():
        images = renderer(target)

    model = SphereDeformer(*icosphere(3, radius=0.5))
    colour_logits = torch.nn.Parameter(torch.zeros(1, len(model.base), 3))
    optimizer = torch.optim.Adam([*model.parameters(), colour_logits], args.lr, betas=(0.5, 0.99))
    history = []
    for i in run.steps():
        vertices = model()
        mesh = Mesh(vertices, model.faces, torch.sigmoid(colour_logits), texture_type="vertex")
        pred = renderer(mesh)
        image_loss = ((pred[:, :3] - images[:, :3]) ** 2).mean()
        sil_loss = silhouette_iou_loss(pred[:, 3], images[:, 3])
        loss = image_loss + sil_loss + 0.03 * model.laplacian(vertices).mean() \
            + 0.0003 * model.flatten(vertices).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append((image_loss.item(), 1 - sil_loss.item()))
        run.postfix.update(image=history[-1][0], iou=history[-1][1])
        run.show(i, vertices, model.faces, {"rendered": pred[0], "target": images[0]}, loss.item(),
                 colours=torch.sigmoid(colour_logits)[0], last=i == args.iters - 1)

    with torch.no_grad():
        final = Mesh(model(), model.faces, torch.sigmoid(colour_logits), texture_type="vertex")
        pred = renderer(final)
        image_loss = ((pred[:, :3] - images[:, :3]) ** 2).mean().item()
        iou = 1 - silhouette_iou_loss(pred[:, 3], images[:, 3]).item()
    save_obj(os.path.join(args.out, "fitted.obj"), final)
    return run.finish({"initial_image_mse": round(history[0][0], 5), "final_image_mse": round(image_loss, 5),
                       "initial_silhouette_iou": round(history[0][1], 4), "final_silhouette_iou": round(iou, 4)},
                      "fit.gif")


if __name__ == "__main__":
    main()
