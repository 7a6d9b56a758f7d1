"""Rigid pose fitting of a colour cube to a target image in which a wall hides part of it.

The cube's rotation (axis-angle) and translation are fitted to the target by an image loss.
Each of --trials random starts (--start-angle degrees off, moved --start-offset across the view so
the start and target silhouettes do not overlap) is fitted twice: with a sharp renderer (tiny
sigma and gamma), whose image has no gradient towards a target it does not overlap, so it stays
where it starts; and with scheduled blur (large sigma/gamma shrinking over the run), whose soft
edges reach the target and pull the cube in. Prints every
run's rotation/translation error and how many each renderer solved; writes pose.gif (the first
scheduled run in the viewer), pose_compare.png (target | sharp | scheduled, first start) and
metrics.json into --out.
"""
import math
import os

import numpy as np
import torch
import trimesh

from common import Run, parser
from shapes import colour_cube, rotation_matrix
from taichiras.cameras import Camera
from taichiras.imaging import image_grid, save_image
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer

WALL_COLOUR = (0.55, 0.55, 0.55)


def wall():
    """A grey slab between the camera and the cube's left half."""
    box = trimesh.creation.box(extents=(1.0, 2.4, 0.1))
    box.apply_translation((0.85, 0.0, -1.2))
    colours = torch.tensor(WALL_COLOUR).expand(1, len(box.faces), 1, 3)
    return Mesh(torch.tensor(box.vertices, dtype=torch.float32), torch.tensor(box.faces), colours)


def scene(cube, occluder, axis_angle, translation):
    """Cube posed by (axis_angle, translation) plus the fixed occluder, as one mesh."""
    v = cube.vertices[0] @ rotation_matrix(axis_angle).T + translation
    vertices = torch.cat([v, occluder.vertices[0]])[None]
    faces = torch.cat([cube.faces, occluder.faces + cube.num_vertices])
    return Mesh(vertices, faces, torch.cat([cube.textures, occluder.textures], 1))


def rotation_error_deg(a, b):
    R = rotation_matrix(a) @ rotation_matrix(b).T
    return math.degrees(math.acos(max(-1.0, min(1.0, (R.trace().item() - 1) / 2))))


def fit(run, renderer, cube, occluder, target, start, truth, schedule, iters, lr, show):
    axis_angle = start[0].clone().requires_grad_()
    translation = start[1].clone().requires_grad_()
    optimizer = torch.optim.Adam([axis_angle, translation], lr)
    for i in run.steps(iters):
        sigma, gamma = schedule(i / max(iters - 1, 1))
        renderer.set_sigma(sigma)
        renderer.set_gamma(gamma)
        image = renderer(scene(cube, occluder, axis_angle, translation))
        loss = ((image - target) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        run.postfix["rot_err"] = rotation_error_deg(axis_angle.detach(), truth[0])
        if show:
            posed = scene(cube, occluder, axis_angle.detach(), translation.detach())
            run.show(i, posed.vertices, posed.faces, {"rendered": image[0], "target": target[0]},
                     loss.item(), colours=None, last=i == iters - 1)
    renderer.set_sigma(1e-7)
    renderer.set_gamma(1e-5)
    with torch.no_grad():
        final = renderer(scene(cube, occluder, axis_angle, translation))
    return (axis_angle.detach(), translation.detach(), final,
            rotation_error_deg(axis_angle.detach(), truth[0]), (translation - truth[1]).norm().item())


def start_pose(truth, angle_deg, offset, generator):
    """A pose rotated by angle_deg about a random axis from the truth and moved ``offset`` across
    the view, so the start and target silhouettes do not overlap."""
    axis = torch.nn.functional.normalize(torch.randn(3, generator=generator), dim=0)
    R = rotation_matrix(axis * math.radians(angle_deg)) @ rotation_matrix(truth[0])
    angle = math.acos(max(-1.0, min(1.0, (R.trace().item() - 1) / 2)))
    w = torch.stack([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])
    phi = torch.rand((), generator=generator).item() * 2 * math.pi
    shift = torch.tensor([math.cos(phi), math.sin(phi), 0.0]) * offset
    return torch.nn.functional.normalize(w, dim=0) * angle, truth[1] + shift


def main(argv=None):
    ap = parser(__doc__, iters=150)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.03)
    ap.add_argument("--start-angle", type=float, default=60.0, help="initial rotation error, degrees")
    ap.add_argument("--start-offset", type=float, default=0.9,
                    help="initial translation error across the view (world units)")
    ap.add_argument("--trials", type=int, default=6, help="random starts fitted by each renderer")
    ap.add_argument("--success", type=float, default=5.0, help="rotation error counted as solved, degrees")
    args = ap.parse_args(argv)
    run = Run(args, "pose")

    cube, occluder = colour_cube(), wall()
    cube = Mesh(cube.vertices * 0.6, cube.faces, cube.textures)
    camera = Camera.from_angles(3.5, 20.0, 0.0, fov=35)
    renderer = SoftRenderer(args.size, camera=camera, background_color=(1.0, 1.0, 1.0),
                            sigma_val=1e-7, gamma_val=1e-5, dist_eps=1e-8, cull_backfaces=True)
    g = torch.Generator().manual_seed(args.seed)
    truth = (torch.nn.functional.normalize(torch.randn(3, generator=g), dim=0) * 0.6,
             torch.tensor([0.1, -0.05, 0.0]))
    with torch.no_grad():
        target = renderer(scene(cube, occluder, *truth))
    schedules = {"sharp": lambda s: (1e-7, 1e-5),
                 "scheduled": lambda s: (10 ** (-1.5 - 5.5 * s), 10 ** (-1.5 - 3.5 * s))}
    results = {name: [] for name in schedules}
    finals = {}
    for trial in range(args.trials):
        start = start_pose(truth, args.start_angle, args.start_offset, g)
        for name, schedule in schedules.items():
            show = name == "scheduled" and trial == 0
            out = fit(run, renderer, cube, occluder, target, start, truth, schedule, args.iters, args.lr, show)
            results[name].append((out[3], out[4]))
            finals.setdefault(name, out[2])
            print(f"trial {trial}: {name:9s} rotation error {out[3]:6.2f} deg, translation error {out[4]:.3f}")

    save_image(os.path.join(args.out, "pose_compare.png"),
               image_grid([[target[0], finals["sharp"][0], finals["scheduled"][0]]],
                          titles=[["target", "sharp", "scheduled blur"]]))
    metrics = {"start_rotation_error_deg": args.start_angle, "start_offset": args.start_offset,
               "trials": args.trials}
    for name, errs in results.items():
        rot = np.array([e[0] for e in errs])
        metrics[f"{name}_solved"] = int((rot < args.success).sum())
        metrics[f"{name}_median_rotation_error_deg"] = round(float(np.median(rot)), 2)
        metrics[f"{name}_median_translation_error"] = round(float(np.median([e[1] for e in errs])), 4)
        print(f"{name:9s}: solved {metrics[f'{name}_solved']}/{args.trials} (rotation error < "
              f"{args.success:g} deg), median rotation error {metrics[f'{name}_median_rotation_error_deg']} deg")
    return run.finish(metrics, "pose.gif")


if __name__ == "__main__":
    main()
