"""Recover a camera's azimuth and elevation from an image of a colour cube: SoftRas 1.0 API."""
import argparse
import json

import numpy as np
import torch
import tqdm

import soft_renderer as sr


def colour_cube():
    vertices = np.array([[x, y, z] for x in (-.4, .4) for y in (-.4, .4) for z in (-.4, .4)], 'float32')
    faces = np.array([[0, 1, 3], [0, 3, 2], [4, 6, 7], [4, 7, 5], [0, 4, 5], [0, 5, 1],
                      [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 5, 7], [1, 7, 3]], 'int32')
    colours = (vertices + .4) / .8
    return vertices, faces, colours


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('-o', '--output', type=str, required=True)
    parser.add_argument('-n', '--num-iterations', type=int, default=40)
    args = parser.parse_args()

    vertices, faces, colours = colour_cube()
    mesh = sr.Mesh(vertices, faces, colours, texture_type='vertex')
    renderer = sr.SoftRenderer(image_size=64, sigma_val=3e-4, gamma_val=1e-3, camera_mode='look_at',
                               texture_type='vertex', light_mode='vertex',
                               light_intensity_ambient=1.0, light_intensity_directionals=0.0).cuda()

    renderer.transform.set_eyes_from_angles(2.732, 25., 30.)
    image_ref = renderer.render_mesh(mesh).detach()

    elevation = torch.tensor(15., requires_grad=True)
    azimuth = torch.tensor(50., requires_grad=True)
    optimizer = torch.optim.Adam([elevation, azimuth], lr=1.0)
    errors = []
    for i in tqdm.tqdm(range(args.num_iterations)):
        renderer.transform.set_eyes_from_angles(torch.tensor([2.732]), elevation[None], azimuth[None])
        images = renderer.render_mesh(mesh)
        loss = ((images - image_ref) ** 2).mean()
        errors.append(float(abs(elevation.item() - 25.) + abs(azimuth.item() - 30.)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    with open(args.output, 'w') as f:
        json.dump({'error_first': errors[0], 'error_last': errors[-1]}, f)


if __name__ == '__main__':
    main()
