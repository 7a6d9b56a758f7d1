"""Render a textured mesh with the soft rasterizer: a turntable GIF and the sigma/gamma sweep.

Writes into --out: turntable.gif (--iters frames around the mesh), render.png (top row: views
around the mesh; bottom row: one view with gamma = 10^x for x from -4 to -2.2 and
sigma = gamma / 10, the paper's rendering figure) and metrics.json. The viewer shows the
turntable as it renders. Runs headless where there is no display. The default mesh is generated
(a striped torus); --mesh takes any file trimesh reads, with its textures
(e.g. ../shared/data/spot/spot_triangulated.obj).
"""
import os

import imageio.v2 as imageio
import numpy as np
import torch
import trimesh

from common import Run, load_or, parser
from taichiras.cameras import Camera
from taichiras.imaging import image_grid, save_image, to_rgb8
from taichiras.lighting import Lighting
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer


def striped_torus(texture_res):
    """A tilted torus with stripes in its surface texels."""
    tm = trimesh.creation.torus(major_radius=0.7, minor_radius=0.3, major_sections=64, minor_sections=32)
    tm.apply_transform(trimesh.transformations.rotation_matrix(np.radians(60), [1, 0, 0]))
    centres = torch.tensor(tm.triangles_center, dtype=torch.float32)
    stripe = (torch.sin(torch.atan2(centres[:, 1], centres[:, 0]) * 6) > 0).float()[:, None]
    colour = stripe * torch.tensor([0.95, 0.55, 0.2]) + (1 - stripe) * torch.tensor([0.25, 0.5, 0.9])
    return Mesh(torch.tensor(tm.vertices, dtype=torch.float32), torch.tensor(tm.faces),
                colour[None, :, None].expand(1, -1, texture_res ** 2, 3))


def main(argv=None):
    ap = parser(__doc__, iters=36)
    ap.add_argument("--mesh", help="mesh file to render (default: a generated torus)")
    ap.add_argument("--size", type=int, default=192, help="image size in pixels (default: 192)")
    ap.add_argument("--views", type=int, default=6, help="views in each row of render.png")
    ap.add_argument("--texture-res", type=int, default=4, help="surface texels per face side")
    args = ap.parse_args(argv)
    args.frame_every = 1
    run = Run(args, "render")

    mesh = load_or(args.mesh, lambda: striped_torus(args.texture_res), texture_res=args.texture_res)
    lighting = Lighting(0.45, directions=[[0.4, 0.8, -0.6]], intensity_directionals=0.6,
                        specular=0.25, shininess=24)
    renderer = SoftRenderer(args.size, lighting=lighting, sigma_val=1e-6, gamma_val=1e-4,
                            background_color=(1, 1, 1))
    turntable = []
    for i in run.steps():
        image = renderer(mesh, camera=Camera.from_angles(3.4, 25.0, 360.0 * i / args.iters, fov=40))
        turntable.append(to_rgb8(image[0]))
        run.show(i, mesh.vertices, mesh.faces, {"rendered": image[0]}, loss=None, last=i == args.iters - 1)
    imageio.mimsave(os.path.join(args.out, "turntable.gif"), turntable, duration=0.08, loop=0)

    n = args.views
    azimuths = torch.linspace(0, 360, n + 1)[:n]
    ring = renderer(mesh, camera=Camera.from_angles(3.4, 25.0, azimuths, fov=40))
    front = Camera.from_angles(3.4, 25.0, 0.0, fov=40)
    exponents = np.linspace(-4, -2.2, n)
    blurs = [renderer(mesh, camera=front, gamma_val=10.0 ** x, sigma_val=10.0 ** x / 10)[0]
             for x in exponents]
    grid = image_grid([list(ring), blurs],
                      titles=[[f"azimuth {a:.0f}" for a in azimuths.tolist()],
                              [f"g 1e{x:.1f} s 1e{x - 1:.1f}" for x in exponents]])
    save_image(os.path.join(args.out, "render.png"), grid)
    print(f"{mesh.num_faces} faces; wrote {os.path.join(args.out, 'render.png')} and turntable.gif")
    return run.finish({"faces": mesh.num_faces, "size": args.size})


if __name__ == "__main__":
    main()
