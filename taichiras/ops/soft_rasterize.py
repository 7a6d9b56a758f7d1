"""soft_rasterize: the differentiable soft rasterization op (torch autograd over taichi kernels).

Forward: bin faces into tiles, find each pixel's softmax shift (and z-buffer if asked), then
accumulate per-pixel sums in taichi; the per-pixel finish (alpha, softmax colour, depth) is
elementwise torch. Backward: taichi's autodiff of the accumulation kernel, so gradients are the
exact gradient of the forward with respect to x, y, z and the textures.
"""
import dataclasses
import math
import warnings
from typing import NamedTuple

import torch
from torch.autograd.function import once_differentiable

from .. import runtime
from ..kernels import (ACC_ALPHA, ACC_CHANNELS, ACC_DEPTH, ACC_RGB, ACC_WEIGHT, RasterConfig,
                       binning_kernels, pair_kernel, resolve_kernel)
from .settings import RasterSettings, check_inputs

_MAX_I32 = 2 ** 31 - 1


class RasterDepth(NamedTuple):
    """Depth outputs, each (B, H, W), in camera depth units; background pixels hold ``far``.

    soft: softmax-aggregated depth (differentiable); zbuf: depth of the nearest covering face;
    face_index: that face's index, -1 where no face covers the pixel (zbuf and face_index carry no
    gradient).
    """

    soft: torch.Tensor
    zbuf: torch.Tensor
    face_index: torch.Tensor


@dataclasses.dataclass
class _Plan:
    """Bins and per-pixel buffers shared by the forward passes and the backward pass."""

    cfg: RasterConfig
    settings: RasterSettings
    R: int
    bin_tile: torch.Tensor
    bin_face: torch.Tensor
    tiles_x: int
    tiles_y: int
    shift: torch.Tensor

    def run(self, cfg, mode, fv, tex, acc=None, zbuf=None, face_index=None, grad=False):
        """Launch a pair kernel over all bin entries, in chunks that keep indices in int32."""
        o = self.settings
        kernel = pair_kernel(cfg, mode)
        if grad:
            kernel = kernel.grad
        dummy = self.shift.new_zeros((1, 1, 1, 1))
        acc = dummy if acc is None else acc
        zbuf = dummy[0] if zbuf is None else zbuf
        if face_index is None:
            face_index = torch.zeros((1, 1, 1), dtype=torch.int32, device=self.shift.device)
        n = self.bin_tile.shape[0]
        chunk = _MAX_I32 // (cfg.tile * cfg.tile)
        scale, margin = o.reach
        for start in range(0, n, chunk):
            kernel(fv, tex, self.bin_tile, self.bin_face, self.shift, acc, zbuf, face_index,
                   start, min(chunk, n - start), self.tiles_x, self.tiles_y, self.R,
                   o.sigma_val, o.gamma_val, o.near, o.far, o.cull_threshold, scale, margin)


def _bin_faces(fv, cfg, settings):
    B, F = fv.shape[:2]
    T = cfg.tile
    H, W = settings.shape
    tiles_x, tiles_y = -(-W // T), -(-H // T)
    count_tiles, fill_bins = binning_kernels(cfg)
    scale, margin = settings.reach
    counts = torch.zeros((B, F), dtype=torch.int32, device=fv.device)
    if B * F:
        count_tiles(fv, counts, H, W, scale, margin)
    ends = counts.to(torch.int64).flatten().cumsum(0)
    total = int(ends[-1]) if ends.numel() else 0
    if total > _MAX_I32:
        raise ValueError(f"{total} (face, tile) bin entries exceed 2^31; render fewer faces or "
                         "a smaller image per call")
    offsets = (ends - counts.flatten()).to(torch.int32).view(B, F)
    bin_tile = torch.empty(total, dtype=torch.int32, device=fv.device)
    bin_face = torch.empty(total, dtype=torch.int32, device=fv.device)
    if total:
        fill_bins(fv, offsets, bin_tile, bin_face, H, W, tiles_x, tiles_y, scale, margin)
    return bin_tile, bin_face, tiles_x, tiles_y


class _Accumulate(torch.autograd.Function):
    """Per-pixel sums (B, H, W, 6) of the pair kernel; backward is taichi autodiff of it."""

    @staticmethod
    def forward(ctx, fv, tex, plan):
        acc = fv.new_zeros((fv.shape[0], *plan.settings.shape, ACC_CHANNELS))
        plan.run(plan.cfg, "accumulate", fv.detach(), tex.detach(), acc=acc)
        ctx.save_for_backward(fv, tex)
        ctx.plan = plan
        return acc

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_acc):
        fv, tex = ctx.saved_tensors
        plan = ctx.plan
        cfg = plan.cfg
        cfg = dataclasses.replace(
            cfg, colour=cfg.colour and bool(grad_acc[..., ACC_RGB:ACC_RGB + 3].any()),
            depth=cfg.depth and bool(grad_acc[..., ACC_DEPTH].any()))
        fv_g = fv.detach().requires_grad_(True)
        fv_g.grad = torch.zeros_like(fv_g)
        tex_g = tex.detach()
        want_tex = ctx.needs_input_grad[1] and cfg.colour
        if want_tex:
            tex_g.requires_grad_(True)
            tex_g.grad = torch.zeros_like(tex_g)
        acc = torch.zeros_like(grad_acc).requires_grad_(True)
        acc.grad = grad_acc.contiguous().clone()
        plan.run(cfg, "accumulate", fv_g, tex_g, acc=acc, grad=True)
        return fv_g.grad, (tex_g.grad if want_tex else None), None


_D = RasterSettings()


def soft_rasterize(face_vertices, textures, image_size=_D.image_size,
                   background_color=_D.background_color, near=_D.near, far=_D.far,
                   fill_back=_D.fill_back, eps=_D.eps, sigma_val=_D.sigma_val, dist_func=_D.dist_func,
                   dist_eps=_D.dist_eps, gamma_val=_D.gamma_val, aggr_func_rgb=_D.aggr_func_rgb,
                   aggr_func_alpha=_D.aggr_func_alpha, texture_type=_D.texture_type, *,
                   cull_backfaces=_D.cull_backfaces, return_depth=_D.return_depth):
    """Soft-rasterize projected faces into a (B, 4, H, W) RGBA image.

    face_vertices: (B, F, 3, 3), per face its vertices as (x, y) in NDC and z = camera depth.
    textures: (B, F, R*R, 3) for texture_type='surface', (B, F, 3, 3) for 'vertex', or None for
    a silhouette-only render (RGB channels are zero). Keywords and defaults are those of the
    official SoftRas op (``RasterSettings``); ``image_size`` is an int or (H, W). Extras:
    ``cull_backfaces`` removes back faces entirely; ``return_depth`` also returns a RasterDepth.
    Differentiable with respect to face_vertices (x, y and z) and textures; the output lives on
    the input's device.
    """
    settings = RasterSettings(
        image_size=image_size, background_color=background_color, near=near, far=far,
        fill_back=fill_back, eps=eps, sigma_val=sigma_val, dist_func=dist_func, dist_eps=dist_eps,
        gamma_val=gamma_val, aggr_func_rgb=aggr_func_rgb, aggr_func_alpha=aggr_func_alpha,
        texture_type=texture_type, cull_backfaces=cull_backfaces, return_depth=return_depth)
    return rasterize(face_vertices, textures, settings)


def rasterize(face_vertices, textures, settings=_D):
    """soft_rasterize with its options given as one RasterSettings."""
    o = settings
    R = check_inputs(face_vertices, textures, o.texture_type)
    out_device = face_vertices.device
    device = runtime.compute_device()
    if out_device != device:
        warnings.warn(f"taichiras runs on {device} but the inputs are on {out_device}: copying "
                      "them each call (call taichiras.init to pick the arch)", stacklevel=3)
    dtype = face_vertices.dtype
    fv = face_vertices.to(device).contiguous()
    B, F = fv.shape[:2]
    H, W = o.shape
    coloured = textures is not None
    tex = textures.to(device=device, dtype=dtype).contiguous() if coloured \
        else fv.new_zeros((1, 1, 1, 3))
    softmax = coloured and o.aggr_func_rgb == "softmax"
    zbuffer = (coloured and o.aggr_func_rgb == "hard") or o.return_depth
    cfg = RasterConfig(real="f64" if dtype == torch.float64 else "f32", dist_func=o.dist_func,
                       aggr_func_alpha=o.aggr_func_alpha, texture_type=o.texture_type,
                       fill_back=o.fill_back, cull_backfaces=o.cull_backfaces,
                       colour=softmax, depth=o.return_depth)
    geometry_cfg = dataclasses.replace(cfg, colour=False, depth=False)
    fv_d = fv.detach()
    bin_tile, bin_face, tiles_x, tiles_y = _bin_faces(fv_d, geometry_cfg, o)
    bg_logit = 2.0 * o.eps / o.gamma_val
    shift = fv.new_full((B, H, W), bg_logit)
    plan = _Plan(cfg, o, R, bin_tile, bin_face, tiles_x, tiles_y, shift)
    if softmax or o.return_depth:
        plan.run(geometry_cfg, "shift", fv_d, tex.detach())

    acc = _Accumulate.apply(fv, tex, plan)
    alpha = _finish_alpha(acc[..., ACC_ALPHA], o, F)
    bg = torch.tensor(o.background_color, dtype=dtype, device=device)
    w_bg = torch.exp(bg_logit - shift)
    den = acc[..., ACC_WEIGHT] + w_bg
    if softmax:
        rgb = (acc[..., ACC_RGB:ACC_RGB + 3] + w_bg[..., None] * bg) / den[..., None]
    else:
        rgb = fv.new_zeros((B, H, W, 3))

    depth = None
    if zbuffer:
        zbuf = fv.new_full((B, H, W), math.inf)
        face_index = torch.full((B, H, W), _MAX_I32, dtype=torch.int32, device=device)
        plan.run(geometry_cfg, "zmin", fv_d, tex.detach(), zbuf=zbuf)
        plan.run(geometry_cfg, "select", fv_d, tex.detach(), zbuf=zbuf, face_index=face_index)
        covered = face_index < _MAX_I32
        face_index = torch.where(covered, face_index, -1)
        if coloured and o.aggr_func_rgb == "hard":
            rgb = _zbuffer_colour(fv_d, tex, face_index, covered, bg, cfg, R)
        if o.return_depth:
            soft = (acc[..., ACC_DEPTH] + w_bg * o.far) / den
            depth = RasterDepth(soft.to(out_device),
                                torch.where(covered, zbuf, o.far).to(out_device),
                                face_index.long().to(out_device))

    image = torch.cat([rgb, alpha[..., None]], dim=-1).permute(0, 3, 1, 2).contiguous()
    image = image.to(out_device)
    return (image, depth) if o.return_depth else image


def _finish_alpha(a, settings, F):
    if settings.aggr_func_alpha == "sum":
        return a / max(F, 1)
    if settings.aggr_func_alpha == "hard" or settings.dist_func == "hard":
        return (a > 0).to(a.dtype)
    return -torch.expm1(-a)


def _zbuffer_colour(fv, tex, face_index, covered, bg, cfg, R):
    """Colour of each pixel's nearest face: differentiable in the textures only (spec: 'hard')."""
    B, H, W = face_index.shape
    weights = fv.new_zeros((B, H, W, 3))
    texel = torch.zeros((B, H, W), dtype=torch.int32, device=fv.device)
    resolve_kernel(cfg)(fv, face_index, weights, texel, R)
    b = torch.arange(B, device=fv.device)[:, None, None]
    f = face_index.clamp(min=0).long()
    if cfg.texture_type == "vertex":
        colour = (tex[b, f] * weights[..., None]).sum(-2)
    else:
        colour = tex[b, f, texel.long()]
    return torch.where(covered[..., None], colour, bg)
