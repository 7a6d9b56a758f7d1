"""A slow, obvious pure-torch soft rasterizer: dense over every (pixel, face) pair.

Written straight from the forward model (README, "How it works"; SoftRas's spec),
independently of the taichi kernels; tests compare the op's outputs and gradients against it.
"""
import itertools
import math

import torch
import torch.nn.functional as nnf


OPTION_COMBOS = list(itertools.product(["euclidean", "barycentric", "hard"], ["prod", "sum", "hard"],
                                       ["softmax", "hard"], ["surface", "vertex"], [True, False]))
"""Every (dist_func, aggr_func_alpha, aggr_func_rgb, texture_type, fill_back)."""


def pixel_centres(H, W, dtype, device=None):
    c = torch.arange(W, dtype=dtype, device=device)
    r = torch.arange(H, dtype=dtype, device=device)
    px = (2 * c + 1 - W) / W
    py = (2 * (H - 1 - r) + 1 - H) / H
    yy, xx = torch.meshgrid(py, px, indexing="ij")
    return xx.reshape(1, -1, 1), yy.reshape(1, -1, 1)  # (1, N, 1)


def segment_dist2(px, py, ax, ay, bx, by):
    ex, ey = bx - ax, by - ay
    len2 = ex * ex + ey * ey
    t = ((px - ax) * ex + (py - ay) * ey) / torch.where(len2 > 0, len2, torch.ones_like(len2))
    t = torch.where(len2 > 0, t.clamp(0, 1), torch.zeros_like(t))
    dx, dy = ax + t * ex - px, ay + t * ey - py
    return dx * dx + dy * dy


def reference_soft_rasterize(fv, tex, image_size=256, background_color=(0, 0, 0), near=1.0,
                             far=100.0, fill_back=True, eps=1e-3, sigma_val=1e-5,
                             dist_func="euclidean", dist_eps=1e-4, gamma_val=1e-4,
                             aggr_func_rgb="softmax", aggr_func_alpha="prod",
                             texture_type="surface", cull_backfaces=False, return_depth=False):
    H, W = (image_size, image_size) if isinstance(image_size, int) else image_size
    B, F = fv.shape[:2]
    dtype = fv.dtype
    px, py = pixel_centres(H, W, dtype, fv.device)
    v = fv[:, None]  # (B, 1, F, 3, 3)
    x0, y0, z0 = v[..., 0, 0], v[..., 0, 1], v[..., 0, 2]
    x1, y1, z1 = v[..., 1, 0], v[..., 1, 1], v[..., 1, 2]
    x2, y2, z2 = v[..., 2, 0], v[..., 2, 1], v[..., 2, 2]

    det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    d = torch.where(det.abs() >= 1e-10, det, torch.where(det >= 0, 1e-10, -1e-10).to(dtype))
    w = torch.stack([((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) / d,
                     ((px - x0) * (y2 - y0) - (x2 - x0) * (py - y0)) / d,
                     ((x1 - x0) * (py - y0) - (px - x0) * (y1 - y0)) / d], -1)  # (B, N, F, 3)
    front = (y2 - y0) * (x1 - x0) < (y1 - y0) * (x2 - x0)
    inside_open = ((w > 0) & (w < 1)).all(-1)
    inside_closed = ((w >= 0) & (w <= 1)).all(-1)

    thr = math.log(1 / dist_eps - 1) * sigma_val
    scale, margin = {"euclidean": (1.0, math.sqrt(thr)),
                     "barycentric": (1.0 + 3.0 * math.sqrt(thr), 0.0),
                     "hard": (1.0, 0.0)}[dist_func]
    xs, ys = torch.stack([x0, x1, x2], -1), torch.stack([y0, y1, y2], -1)
    cx, cy = xs.mean(-1), ys.mean(-1)
    in_box = ((px >= cx + scale * (xs.amin(-1) - cx) - margin)
              & (px <= cx + scale * (xs.amax(-1) - cx) + margin)
              & (py >= cy + scale * (ys.amin(-1) - cy) - margin)
              & (py <= cy + scale * (ys.amax(-1) - cy) + margin))

    if dist_func == "euclidean":
        d2 = torch.stack([segment_dist2(px, py, x0, y0, x1, y1),
                          segment_dist2(px, py, x1, y1, x2, y2),
                          segment_dist2(px, py, x2, y2, x0, y0)], -1).amin(-1)
        x = torch.where(inside_open, d2, -d2) / sigma_val
        counts = inside_open | (d2 < thr)
    elif dist_func == "barycentric":
        m = w.amin(-1)
        s = torch.sign(m) * m * m
        x = s / sigma_val
        counts = -s < thr
    else:
        x = torch.zeros_like(det.expand_as(inside_closed))
        counts = inside_closed
    counts = counts & in_box
    if cull_backfaces:
        counts = counts & front
    D = torch.sigmoid(x) if dist_func != "hard" else torch.ones_like(x)

    if aggr_func_alpha == "prod":
        alpha = 1 - torch.where(counts, 1 - D, torch.ones_like(D)).prod(-1)
    elif aggr_func_alpha == "sum":
        alpha = torch.where(counts, D, torch.zeros_like(D)).sum(-1) / max(F, 1)
    else:
        alpha = (counts & (D > 0.5)).any(-1).to(dtype)
    if dist_func == "hard" and aggr_func_alpha != "sum":
        alpha = counts.any(-1).to(dtype)

    wc = w.clamp(0, 1)
    wt = wc / wc.sum(-1, keepdim=True).clamp(min=1e-5)
    zs = torch.stack([z0, z1, z2], -1).expand_as(wt)
    z_ok = (zs > 0).all(-1)
    inv = torch.where(z_ok, (wt / torch.where(zs > 0, zs, torch.ones_like(zs))).sum(-1), 0.0)
    coloured = counts & (inv * near <= 1) & (inv * far >= 1) & (front | fill_back)
    zp = 1 / torch.where(coloured, inv, torch.ones_like(inv))

    if tex is None:
        colour = torch.zeros(B, 1, F, 3, dtype=dtype, device=fv.device)
    elif texture_type == "vertex":
        colour = (wt[..., None] * tex[:, None]).sum(-2)
    else:
        R = math.isqrt(tex.shape[2])
        a = torch.floor(wt[..., 0] * R)
        b = torch.floor(wt[..., 1] * R)
        lower = (wt[..., 0] + wt[..., 1]) * R - a - b <= 1
        idx = torch.where(lower, b * R + a, (R - 1 - b) * R + (R - 1 - a)).long().clamp(0, R * R - 1)
        colour = torch.gather(tex[:, None].expand(B, idx.shape[1], F, R * R, 3), 3,
                              idx[..., None, None].expand(*idx.shape, 1, 3)).squeeze(3)
    bg = torch.tensor(background_color, dtype=dtype, device=fv.device)

    logit = (far - zp) / (far - near) / gamma_val
    if dist_func != "hard":
        logit = logit + nnf.logsigmoid(x)
    logit = torch.where(coloured, logit, -math.inf)
    bg_logit = 2 * eps / gamma_val
    shift = torch.maximum(logit.amax(-1), torch.tensor(bg_logit, dtype=dtype, device=fv.device)).detach()
    wgt = torch.exp(logit - shift[..., None])
    w_bg = torch.exp(bg_logit - shift)
    den = wgt.sum(-1) + w_bg
    rgb = ((wgt[..., None] * colour).sum(-2) + w_bg[..., None] * bg) / den[..., None]

    covering = coloured & inside_closed
    zbuf_all = torch.where(covering, zp, math.inf).detach()
    zbuf, face_index = zbuf_all.min(-1)
    covered = covering.any(-1)
    face_index = torch.where(covered, face_index, -1)
    if tex is not None and aggr_func_rgb == "hard":
        near_colour = torch.gather(colour, 2, face_index.clamp(min=0)[..., None, None]
                                   .expand(B, H * W, 1, 3)).squeeze(2)
        if texture_type == "vertex":
            wt_d = torch.gather(wt.detach(), 2, face_index.clamp(min=0)[..., None, None]
                                .expand(B, H * W, 1, 3)).squeeze(2)
            fi = face_index.clamp(min=0)
            near_colour = (wt_d[..., None] * tex[torch.arange(B, device=fv.device)[:, None], fi]).sum(-2)
        rgb = torch.where(covered[..., None], near_colour, bg)
    if tex is None:
        rgb = torch.zeros_like(rgb)

    image = torch.cat([rgb, alpha[..., None]], -1).reshape(B, H, W, 4).permute(0, 3, 1, 2)
    if not return_depth:
        return image
    soft = ((wgt * torch.where(coloured, zp, 0.0)).sum(-1) + w_bg * far) / den
    return image, (soft.reshape(B, H, W), torch.where(covered, zbuf, far).reshape(B, H, W),
                   face_index.reshape(B, H, W))
