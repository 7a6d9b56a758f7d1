"""Deform a sphere into the silhouettes of a target mesh: SoftRas 1.0 API (SoftRenderer)."""
import json
import os

import numpy as np
import torch
import tqdm

import soft_renderer as sr
import soft_renderer.functional as srf
from common import Model, neg_iou_loss, parse_deform_args


def main():
    args = parse_deform_args()
    os.makedirs(args.output_dir, exist_ok=True)

    model = Model(args.template_mesh).cuda()
    renderer = sr.SoftRenderer(image_size=64, sigma_val=1e-4, aggr_func_rgb='hard',
                               camera_mode='look_at', viewing_angle=15, dist_eps=1e-10)

    # target silhouettes: the target mesh seen from views around it
    azimuths = torch.arange(args.num_views).float() * 360. / args.num_views
    elevations = torch.ones(args.num_views) * 30.
    distances = torch.ones(args.num_views) * 2.732
    renderer.transform.set_eyes_from_angles(distances, elevations, azimuths)
    target = sr.Mesh.from_obj(args.target_mesh, normalization=True)
    target.vertices = target.vertices * 0.4
    with torch.no_grad():
        images_gt = renderer.render_mesh(sr.Mesh(target.vertices.repeat(args.num_views, 1, 1),
                                                 target.faces.repeat(args.num_views, 1, 1)))[:, 3].cuda()

    optimizer = torch.optim.Adam(model.parameters(), 0.01, betas=(0.5, 0.99))
    ious = []
    loop = tqdm.tqdm(list(range(args.num_iterations)))
    for i in loop:
        mesh, laplacian_loss, flatten_loss = model(args.num_views)
        images_pred = renderer.render_mesh(mesh)
        iou_loss = neg_iou_loss(images_pred[:, 3], images_gt)
        loss = iou_loss + 0.03 * laplacian_loss + 0.0003 * flatten_loss
        ious.append(1 - iou_loss.item())
        loop.set_description('Loss: %.4f' % loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    mesh, _, _ = model(1)
    mesh.save_obj(os.path.join(args.output_dir, 'final.obj'), save_texture=False)
    voxels = mesh.voxelize(32)
    np.save(os.path.join(args.output_dir, 'final_voxels.npy'), voxels.cpu().numpy())
    eye = srf.get_points_from_angles(2.732, 30, 0)
    with open(os.path.join(args.output_dir, 'metrics.json'), 'w') as f:
        json.dump({'iou_first': ious[0], 'iou_last': ious[-1], 'eye': [float(x) for x in eye],
                   'voxels_dtype': str(voxels.dtype)}, f)


if __name__ == '__main__':
    main()
