"""Render a textured mesh from a ring of views and with a blur sweep: SoftRas 1.0 API."""
import json
import os

import imageio
import numpy as np
import tqdm

import soft_renderer as sr
from common import parse_render_args, partial_pixels


def main():
    args = parse_render_args()
    camera_distance = 2.732
    elevation = 30

    mesh = sr.Mesh.from_obj(args.filename_input, load_texture=True, texture_res=5, texture_type='surface')
    renderer = sr.SoftRenderer(image_size=args.image_size, camera_mode='look_at').cuda()
    os.makedirs(args.output_dir, exist_ok=True)

    frames = []
    for azimuth in tqdm.tqdm(list(range(0, 360, 60))):
        mesh.reset_()
        renderer.transform.set_eyes_from_angles(camera_distance, elevation, azimuth)
        images = renderer.render_mesh(mesh)
        frames.append((255 * images.detach().cpu().numpy()[0].transpose((1, 2, 0))).astype(np.uint8))
    imageio.mimsave(os.path.join(args.output_dir, 'rotation.gif'), [f[..., :3] for f in frames])

    partial = []
    renderer.transform.set_eyes_from_angles(camera_distance, elevation, 45)
    for gamma_pow in np.arange(-4, -2, 0.6):
        mesh.reset_()
        renderer.set_gamma(10 ** gamma_pow)
        renderer.set_sigma(10 ** (gamma_pow - 1))
        partial.append(partial_pixels(renderer.render_mesh(mesh)[0, 3].detach().cpu().numpy()))

    mesh.reset_()
    mesh.save_obj(os.path.join(args.output_dir, 'saved_spot.obj'), save_texture=True)
    np.save(os.path.join(args.output_dir, 'frames.npy'), np.stack(frames))
    with open(os.path.join(args.output_dir, 'metrics.json'), 'w') as f:
        json.dump({'partial_pixels': partial}, f)


if __name__ == '__main__':
    main()
