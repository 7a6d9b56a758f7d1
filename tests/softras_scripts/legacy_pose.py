"""Recover a camera's elevation and azimuth from an image of a colour cube: SoftRas 1.0 API."""
import torch

import soft_renderer as sr
from common import colour_cube, fit_angles, parse_pose_args


def main():
    args = parse_pose_args()
    vertices, faces, colours = colour_cube()
    mesh = sr.Mesh(vertices, faces, colours, texture_type='vertex')
    renderer = sr.SoftRenderer(image_size=64, sigma_val=3e-4, gamma_val=1e-3, camera_mode='look_at',
                               texture_type='vertex', light_mode='vertex',
                               light_intensity_ambient=1.0, light_intensity_directionals=0.0).cuda()

    def render(elevation, azimuth):
        renderer.transform.set_eyes_from_angles(torch.tensor([2.732]), elevation, azimuth)
        return renderer.render_mesh(mesh)

    fit_angles(render, [15., 50.], [25., 30.], args.num_iterations, args.output)


if __name__ == '__main__':
    main()
