"""Render a mesh with the soft rasterizer: a ring of views and how sigma/gamma blur the edges.

Writes a PNG grid (top row: views around the mesh; bottom row: one view at growing blur) to
--out. Runs headless. The default mesh is generated (a torus); --mesh takes any file trimesh
reads (e.g. ../shared/data/spot/spot_triangulated.obj).
"""
import argparse
import os
import time

import imageio.v3 as iio
import numpy as np
import torch
import trimesh

import taichiras
from taichiras.cameras import eye_from_angles, face_vertices, look_at, perspective


def load_mesh(path):
    if path is None:
        mesh = trimesh.creation.torus(major_radius=0.7, minor_radius=0.3, major_sections=64,
                                      minor_sections=32)
        mesh.apply_transform(trimesh.transformations.rotation_matrix(np.radians(60), [1, 0, 0]))
        return mesh
    if not os.path.exists(path):
        raise SystemExit(f"--mesh: no such file: {path}")
    mesh = trimesh.load(path, force="mesh")
    mesh.apply_translation(-mesh.bounds.mean(0))
    mesh.apply_scale(1.0 / np.abs(mesh.vertices).max())
    return mesh


def shaded_face_colours(mesh, light=(0.4, 0.8, -0.6)):
    """Per-face colour: a colour from the face normal, Lambert-shaded (lighting is not the op's job)."""
    n = torch.tensor(mesh.face_normals, dtype=torch.float32)
    base = 0.55 + 0.45 * n.abs()
    lam = (n @ torch.nn.functional.normalize(torch.tensor(light), dim=0)).abs()
    return (base * (0.35 + 0.65 * lam)[:, None])[None, :, None, :]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mesh", help="mesh file to render (default: a generated torus)")
    ap.add_argument("--out", default="out", help="output folder (default: out)")
    ap.add_argument("--size", type=int, default=192, help="image size in pixels (default: 192)")
    ap.add_argument("--views", type=int, default=6, help="number of views around the mesh")
    ap.add_argument("--arch", default="auto", choices=["auto", "cpu", "cuda"])
    args = ap.parse_args(argv)

    taichiras.init(args.arch)
    mesh = load_mesh(args.mesh)
    verts = torch.tensor(mesh.vertices, dtype=torch.float32)
    faces = torch.tensor(mesh.faces)
    colours = shaded_face_colours(mesh)
    n = args.views
    eyes = eye_from_angles(3.4, 25.0, torch.linspace(0, 360, n + 1)[:n])
    fv = face_vertices(perspective(look_at(verts.expand(n, -1, -1), eyes), fov=40), faces)
    t0 = time.perf_counter()
    ring = taichiras.soft_rasterize(fv, colours.expand(n, -1, -1, -1).contiguous(),
                                    image_size=args.size, sigma_val=1e-6, gamma_val=1e-4,
                                    background_color=(1, 1, 1))
    t_ring = time.perf_counter() - t0
    blurs = []
    for x in np.linspace(-4, -2.2, n):
        gamma = 10.0 ** x
        blurs.append(taichiras.soft_rasterize(fv[:1], colours, image_size=args.size,
                                              sigma_val=gamma / 10, gamma_val=gamma,
                                              background_color=(1, 1, 1)))
    rows = [ring, torch.cat(blurs)]
    grid = torch.cat([torch.cat(list(r[:, :3]), dim=2) for r in rows], dim=1)
    image = (grid.permute(1, 2, 0).clamp(0, 1).numpy() * 255).astype(np.uint8)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "render.png")
    iio.imwrite(path, image)
    print(f"{len(mesh.faces)} faces, {n} views at {args.size}px in {t_ring:.3f}s "
          f"(first call includes kernel compilation); wrote {path}")


if __name__ == "__main__":
    main()
