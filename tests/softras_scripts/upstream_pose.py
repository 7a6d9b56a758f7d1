"""Recover a camera's elevation and azimuth from an image of a colour cube: SoftRas's current API
(meshes through LookAt, Lighting and SoftRasterizer, eyes set on the transform)."""
import torch

import soft_renderer as sr
from common import colour_cube, fit_angles, parse_pose_args
from soft_renderer.functional import get_points_from_angles


def main():
    args = parse_pose_args()
    vertices, faces, colours = (torch.from_numpy(x).cuda() for x in colour_cube())
    mesh = sr.Mesh(vertices, faces, colours, texture_type='vertex')
    transform = sr.LookAt()
    lighting = sr.Lighting(intensity_ambient=1.0, intensity_directionals=0.0)
    rasterizer = sr.SoftRasterizer(image_size=64, sigma_val=3e-4, gamma_val=1e-3, texture_type='vertex')

    def render(elevation, azimuth):
        transform.set_eyes(get_points_from_angles(torch.tensor([2.732]), elevation, azimuth))
        return rasterizer(transform(lighting(mesh)))

    fit_angles(render, [15., 50.], [25., 30.], args.num_iterations, args.output)


if __name__ == '__main__':
    main()
