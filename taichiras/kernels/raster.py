"""Pair kernels: one thread per (binned face, pixel of its tile), no inner loops.

They only add (or atomically min/max) into per-pixel arrays, the form taichi differentiates
correctly; ``accumulate`` is the one differentiated (``accumulate.grad``). Modes:

- ``shift``: per-pixel max of the colour logits (softmax stabiliser; needs no gradient).
- ``accumulate``: per-pixel sums ``acc[..., :]`` = [alpha term, sum w*C (3), sum w, sum w*zp],
  with softmax weights ``w = exp(logit - shift)``. The alpha term is sum softplus(x) for 'prod',
  sum D for 'sum', and a count of D > 0.5 (or of covering faces for dist 'hard') otherwise.
- ``zmin`` / ``select``: nearest covering face per pixel (z-buffer), ties to the lowest index.
"""

import taichi as ti

from .config import ACC_ALPHA, ACC_DEPTH, ACC_RGB, ACC_WEIGHT, RasterConfig, kernel_factory, nd
from .fragment import fragment_library

MODES = ("shift", "accumulate", "zmin", "select")


@kernel_factory
def pair_kernel(cfg: RasterConfig, mode: str):
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    real = cfg.ti_real
    lib = fragment_library(real)
    T = cfg.tile
    dist, alpha_mode = cfg.dist_func, cfg.aggr_func_alpha
    surface = cfg.texture_type == "surface"

    @ti.kernel
    def kernel(fv: nd(dtype=real, ndim=4), tex: nd(dtype=real, ndim=4),
               bin_tile: nd(dtype=ti.i32, ndim=1), bin_face: nd(dtype=ti.i32, ndim=1),
               shift: nd(dtype=real, ndim=3), acc: nd(dtype=real, ndim=4),
               zbuf: nd(dtype=real, ndim=3), face_index: nd(dtype=ti.i32, ndim=3),
               start: ti.i32, count: ti.i32, tiles_x: ti.i32, tiles_y: ti.i32, R: ti.i32,
               sigma: real, gamma: real, near: real, far: real, thr: real,
               scale: real, margin: real):
        for e, q in ti.ndrange(count, T * T):
            H, W = shift.shape[1], shift.shape[2]
            key = bin_tile[start + e]
            f = bin_face[start + e]
            b = key // (tiles_x * tiles_y)
            t = key % (tiles_x * tiles_y)
            r = (t // tiles_x) * T + q // T
            c = (t % tiles_x) * T + q % T
            if r < H and c < W:
                p = lib.pixel_centre(r, c, H, W)
                px, py = p[0], p[1]
                x0, y0, z0 = fv[b, f, 0, 0], fv[b, f, 0, 1], fv[b, f, 0, 2]
                x1, y1, z1 = fv[b, f, 1, 0], fv[b, f, 1, 1], fv[b, f, 1, 2]
                x2, y2, z2 = fv[b, f, 2, 0], fv[b, f, 2, 1], fv[b, f, 2, 2]
                box = lib.face_box(x0, y0, x1, y1, x2, y2, scale, margin)
                if box[0] <= px and px <= box[1] and box[2] <= py and py <= box[3]:
                    w = lib.barycentric(px, py, x0, y0, x1, y1, x2, y2)
                    front = lib.signed_det(x0, y0, x1, y1, x2, y2) < real(0.0)
                    inside_open = (w[0] > 0 and w[0] < 1 and w[1] > 0 and w[1] < 1
                                   and w[2] > 0 and w[2] < 1)
                    inside_closed = (w[0] >= 0 and w[0] <= 1 and w[1] >= 0 and w[1] <= 1
                                     and w[2] >= 0 and w[2] <= 1)
                    x = real(0.0)
                    counts = inside_closed
                    if ti.static(dist == "euclidean"):
                        d2 = lib.edge_dist2(px, py, x0, y0, x1, y1, x2, y2)
                        x = ti.select(inside_open, d2, -d2) / sigma
                        counts = inside_open or d2 < thr
                    if ti.static(dist == "barycentric"):
                        m = ti.min(w[0], w[1], w[2])
                        s = ti.select(m >= real(0.0), m * m, -m * m)
                        x = s / sigma
                        counts = -s < thr
                    if ti.static(cfg.cull_backfaces):
                        counts = counts and front
                    if counts:
                        wt = lib.clipped(w)
                        inv = lib.inverse_depth(wt, z0, z1, z2)
                        coloured = inv * near <= real(1.0) and inv * far >= real(1.0)
                        if ti.static(not cfg.fill_back):
                            coloured = coloured and front
                        if ti.static(mode == "accumulate"):
                            if ti.static(dist == "hard"):
                                acc[b, r, c, ACC_ALPHA] += real(1.0)
                            elif ti.static(alpha_mode == "prod"):
                                acc[b, r, c, ACC_ALPHA] += lib.softplus(x)
                            elif ti.static(alpha_mode == "sum"):
                                acc[b, r, c, ACC_ALPHA] += lib.sigmoid(x)
                            else:
                                acc[b, r, c, ACC_ALPHA] += ti.select(x > real(0.0), real(1.0), real(0.0))
                        if coloured:
                            zp = real(1.0) / inv
                            logit = (far - zp) / ((far - near) * gamma)
                            if ti.static(dist != "hard"):
                                logit -= lib.softplus(-x)
                            if ti.static(mode == "shift"):
                                ti.atomic_max(shift[b, r, c], logit)
                            if ti.static(mode == "accumulate" and (cfg.colour or cfg.depth)):
                                wgt = ti.exp(logit - shift[b, r, c])
                                acc[b, r, c, ACC_WEIGHT] += wgt
                                if ti.static(cfg.depth):
                                    acc[b, r, c, ACC_DEPTH] += wgt * zp
                                if ti.static(cfg.colour and surface):
                                    k = lib.texel_index(wt, R)
                                    for ch in ti.static(range(3)):
                                        acc[b, r, c, ACC_RGB + ch] += wgt * tex[b, f, k, ch]
                                if ti.static(cfg.colour and not surface):
                                    for ch in ti.static(range(3)):
                                        acc[b, r, c, ACC_RGB + ch] += wgt * (
                                            wt[0] * tex[b, f, 0, ch] + wt[1] * tex[b, f, 1, ch]
                                            + wt[2] * tex[b, f, 2, ch])
                            if ti.static(mode == "zmin"):
                                if inside_closed:
                                    ti.atomic_min(zbuf[b, r, c], zp)
                            if ti.static(mode == "select"):
                                if inside_closed and zp == zbuf[b, r, c]:
                                    ti.atomic_min(face_index[b, r, c], f)

    return kernel


@kernel_factory
def resolve_kernel(cfg: RasterConfig):
    """Per pixel of the z-buffer: the clipped barycentrics and texel of its face (no gradient)."""
    real = cfg.ti_real
    lib = fragment_library(real)

    @ti.kernel
    def resolve(fv: nd(dtype=real, ndim=4), face_index: nd(dtype=ti.i32, ndim=3),
                weights: nd(dtype=real, ndim=4), texel: nd(dtype=ti.i32, ndim=3), R: ti.i32):
        H, W = face_index.shape[1], face_index.shape[2]
        for b, r, c in face_index:
            f = face_index[b, r, c]
            if f >= 0:
                p = lib.pixel_centre(r, c, H, W)
                w = lib.barycentric(p[0], p[1], fv[b, f, 0, 0], fv[b, f, 0, 1], fv[b, f, 1, 0],
                                    fv[b, f, 1, 1], fv[b, f, 2, 0], fv[b, f, 2, 1])
                wt = lib.clipped(w)
                for k in ti.static(range(3)):
                    weights[b, r, c, k] = wt[k]
                texel[b, r, c] = lib.texel_index(wt, R)

    return resolve
