"""Binning faces into screen tiles.

A face is listed in every tile its reach box (``face_box``) touches, so a pixel only visits the
faces of its own tile. Bins are a flat list of (image tile, face) entries sized from exact
per-face counts: no capacity, nothing dropped, memory O(entries) and nothing per (pixel, face).
"""

import taichi as ti

from .config import RasterConfig, kernel_factory, nd
from .fragment import fragment_library



@kernel_factory
def binning_kernels(cfg: RasterConfig):
    """(count_tiles, fill_bins) for ``cfg``; run count, prefix-sum the counts, then fill."""
    real = cfg.ti_real
    lib = fragment_library(real)
    T = cfg.tile
    cull_back = cfg.cull_backfaces

    @ti.func
    def tile_range(fv: ti.template(), b, f, H, W, scale, margin):
        """Inclusive tile range [tx0, tx1, ty0, ty1] of a face (tx1 < tx0 when it reaches no pixel)."""
        x0, y0 = fv[b, f, 0, 0], fv[b, f, 0, 1]
        x1, y1 = fv[b, f, 1, 0], fv[b, f, 1, 1]
        x2, y2 = fv[b, f, 2, 0], fv[b, f, 2, 1]
        box = lib.face_box(x0, y0, x1, y1, x2, y2, scale, margin)
        # Pixel centre of column c is x = (2c + 1 - W) / W; of row r, y = (2(H-1-r) + 1 - H) / H.
        # One pixel of slack on each side keeps rounding from losing an edge pixel.
        c_lo = ti.max(ti.floor((box[0] * W + W - 1) * real(0.5)) - real(1.0), real(0.0))
        c_hi = ti.min(ti.ceil((box[1] * W + W - 1) * real(0.5)) + real(1.0), real(W - 1))
        r_lo = ti.max(real(H - 1) - ti.ceil((box[3] * H + H - 1) * real(0.5)) - real(1.0), real(0.0))
        r_hi = ti.min(real(H - 1) - ti.floor((box[2] * H + H - 1) * real(0.5)) + real(1.0), real(H - 1))
        out = ti.Vector([0, -1, 0, -1])
        visible = c_lo <= c_hi and r_lo <= r_hi
        if ti.static(cull_back):
            visible = visible and lib.signed_det(x0, y0, x1, y1, x2, y2) < real(0.0)
        if visible:
            out = ti.Vector([ti.cast(c_lo, ti.i32) // T, ti.cast(c_hi, ti.i32) // T,
                             ti.cast(r_lo, ti.i32) // T, ti.cast(r_hi, ti.i32) // T])
        return out

    @ti.kernel
    def count_tiles(fv: nd(dtype=real, ndim=4), counts: nd(dtype=ti.i32, ndim=2),
                    H: ti.i32, W: ti.i32, scale: real, margin: real):
        for b, f in counts:
            t = tile_range(fv, b, f, H, W, scale, margin)
            counts[b, f] = ti.max(t[1] - t[0] + 1, 0) * ti.max(t[3] - t[2] + 1, 0)

    @ti.kernel
    def fill_bins(fv: nd(dtype=real, ndim=4), offsets: nd(dtype=ti.i32, ndim=2),
                  bin_tile: nd(dtype=ti.i32, ndim=1), bin_face: nd(dtype=ti.i32, ndim=1),
                  H: ti.i32, W: ti.i32, tiles_x: ti.i32, tiles_y: ti.i32, scale: real, margin: real):
        for b, f in offsets:
            t = tile_range(fv, b, f, H, W, scale, margin)
            o = offsets[b, f]
            for ty in range(t[2], t[3] + 1):
                for tx in range(t[0], t[1] + 1):
                    bin_tile[o] = (b * tiles_y + ty) * tiles_x + tx
                    bin_face[o] = f
                    o += 1

    return count_tiles, fill_bins
