"""Per (pixel, face) soft-rasterization math as Taichi functions, one library per float type.

Every formula of the forward model lives here once; the pair kernels, the binning and the
z-buffer resolve all call it. Literals are built as ``real(...)`` so float64 kernels keep full
precision (bare Taichi literals are float32).
"""
from types import SimpleNamespace

import taichi as ti

from .config import kernel_factory

DET_MIN = 1e-10
WSUM_MIN = 1e-5


@kernel_factory
def fragment_library(real):
    """The ti.func set for float type ``real`` (ti.f32 or ti.f64)."""

    @ti.func
    def pixel_centre(r, c, H, W):
        return ti.Vector([real(2 * c + 1 - W) / real(W), real(2 * (H - 1 - r) + 1 - H) / real(H)])

    @ti.func
    def face_box(x0, y0, x1, y1, x2, y2, scale, margin):
        """Screen box [xlo, xhi, ylo, yhi] a face can reach: the triangle scaled about its
        centroid by ``scale`` (barycentric culling) and grown by ``margin`` (euclidean culling)."""
        cx = (x0 + x1 + x2) / real(3.0)
        cy = (y0 + y1 + y2) / real(3.0)
        xlo = cx + scale * (ti.min(x0, x1, x2) - cx) - margin
        xhi = cx + scale * (ti.max(x0, x1, x2) - cx) + margin
        ylo = cy + scale * (ti.min(y0, y1, y2) - cy) - margin
        yhi = cy + scale * (ti.max(y0, y1, y2) - cy) + margin
        return ti.Vector([xlo, xhi, ylo, yhi])

    @ti.func
    def signed_det(x0, y0, x1, y1, x2, y2):
        """det [[x0,x1,x2],[y0,y1,y2],[1,1,1]]; negative for front faces."""
        return (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)

    @ti.func
    def barycentric(px, py, x0, y0, x1, y1, x2, y2):
        """Screen barycentrics M^-1 (px, py, 1) with |det M| kept >= DET_MIN, sign preserved."""
        det = signed_det(x0, y0, x1, y1, x2, y2)
        floor = ti.select(det >= real(0.0), real(DET_MIN), -real(DET_MIN))
        d = ti.select(ti.abs(det) >= real(DET_MIN), det, floor)
        w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) / d
        w1 = ((px - x0) * (y2 - y0) - (x2 - x0) * (py - y0)) / d
        w2 = ((x1 - x0) * (py - y0) - (px - x0) * (y1 - y0)) / d
        return ti.Vector([w0, w1, w2])

    @ti.func
    def clipped(w):
        """clamp(w, 0, 1) normalised to sum 1 (sum floored at WSUM_MIN)."""
        c = ti.Vector([ti.min(ti.max(w[0], real(0.0)), real(1.0)),
                       ti.min(ti.max(w[1], real(0.0)), real(1.0)),
                       ti.min(ti.max(w[2], real(0.0)), real(1.0))])
        return c / ti.max(c[0] + c[1] + c[2], real(WSUM_MIN))

    @ti.func
    def segment_dist2(px, py, ax, ay, bx, by):
        ex = bx - ax
        ey = by - ay
        len2 = ex * ex + ey * ey
        t = real(0.0)
        if len2 > real(0.0):
            t = ti.min(ti.max(((px - ax) * ex + (py - ay) * ey) / len2, real(0.0)), real(1.0))
        dx = ax + t * ex - px
        dy = ay + t * ey - py
        return dx * dx + dy * dy

    @ti.func
    def edge_dist2(px, py, x0, y0, x1, y1, x2, y2):
        """Squared distance from the pixel to the nearest point on the triangle's edges."""
        return ti.min(segment_dist2(px, py, x0, y0, x1, y1),
                      segment_dist2(px, py, x1, y1, x2, y2),
                      segment_dist2(px, py, x2, y2, x0, y0))

    @ti.func
    def softplus(x):
        """log(1 + e^x), stable for any x."""
        r = real(0.0)
        if x > real(0.0):
            r = x + ti.log(real(1.0) + ti.exp(-x))
        else:
            r = ti.log(real(1.0) + ti.exp(x))
        return r

    @ti.func
    def sigmoid(x):
        r = real(0.0)
        if x >= real(0.0):
            r = real(1.0) / (real(1.0) + ti.exp(-x))
        else:
            e = ti.exp(x)
            r = e / (real(1.0) + e)
        return r

    @ti.func
    def inverse_depth(wt, z0, z1, z2):
        """Perspective-correct 1/zp; 0 when a vertex is at or behind the camera (never coloured)."""
        inv = real(0.0)
        if z0 > real(0.0) and z1 > real(0.0) and z2 > real(0.0):
            inv = wt[0] / z0 + wt[1] / z1 + wt[2] / z2
        return inv

    @ti.func
    def texel_index(wt, R):
        """Nearest texel of the R x R surface layout for clipped barycentrics wt."""
        a = ti.cast(ti.floor(wt[0] * real(R)), ti.i32)
        b = ti.cast(ti.floor(wt[1] * real(R)), ti.i32)
        idx = b * R + a
        if (wt[0] + wt[1]) * real(R) - real(a) - real(b) > real(1.0):
            idx = (R - 1 - b) * R + (R - 1 - a)
        return ti.min(ti.max(idx, 0), R * R - 1)

    return SimpleNamespace(
        pixel_centre=pixel_centre, face_box=face_box, signed_det=signed_det,
        barycentric=barycentric, clipped=clipped, edge_dist2=edge_dist2, softplus=softplus,
        sigmoid=sigmoid, inverse_depth=inverse_depth, texel_index=texel_index)
