"""Deform a sphere into the silhouettes of a target mesh: SoftRas's current API."""
import json
import os

import torch
import tqdm

from soft_renderer import functional as srf
import soft_renderer as sr
from common import Model, neg_iou_loss, parse_deform_args


def main():
    args = parse_deform_args()
    os.makedirs(args.output_dir, exist_ok=True)

    model = Model(args.template_mesh, average=True).cuda()
    transform = sr.LookAt(viewing_angle=15)
    lighting = sr.Lighting()
    rasterizer = sr.SoftRasterizer(image_size=64, sigma_val=1e-4, aggr_func_rgb='hard', dist_eps=1e-10)

    azimuths = torch.arange(args.num_views).float() * 360. / args.num_views
    transform.set_eyes(srf.get_points_from_angles(torch.ones(args.num_views) * 2.732,
                                                  torch.ones(args.num_views) * 30., azimuths))
    target = sr.Mesh.from_obj(args.target_mesh, normalization=True)
    target = sr.Mesh(target.vertices.repeat(args.num_views, 1, 1) * 0.4, target.faces.repeat(args.num_views, 1, 1))
    with torch.no_grad():
        images_gt = rasterizer(transform(lighting(target)))[:, 3]

    optimizer = torch.optim.Adam(model.parameters(), 0.01, betas=(0.5, 0.99))
    ious = []
    for i in tqdm.tqdm(list(range(args.num_iterations))):
        mesh, laplacian_loss, flatten_loss = model(args.num_views)
        mesh = lighting(mesh)
        mesh = transform(mesh)
        images_pred = rasterizer(mesh)
        iou_loss = neg_iou_loss(images_pred[:, 3], images_gt)
        loss = iou_loss + 0.03 * laplacian_loss + 0.0003 * flatten_loss
        ious.append(1 - iou_loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    mesh, _, _ = model(1)
    mesh.save_obj(os.path.join(args.output_dir, 'final.obj'))
    with open(os.path.join(args.output_dir, 'metrics.json'), 'w') as f:
        json.dump({'iou_first': ious[0], 'iou_last': ious[-1]}, f)


if __name__ == '__main__':
    main()
