"""SoftRas's surface voxelization rule (the 'fill' mode of voxelize; the convention of SoftRas's
and the Neural 3D Mesh Renderer's 32^3 evaluation). Grid coordinates as in voxelize.py.

For each axis, every lattice line parallel to it through integer points (p, q), 0 <= p, q < N,
that crosses a triangle marks the four voxels around the line at the crossing's cell, and every
triangle marks the voxels holding its corners. The crossing test and the barycentric formulas
follow SoftRas's voxelize_sub1 term for term, with its roles per axis: lattice (p, q, depth) =
coordinates (2, 1, 0) for axis 0, (0, 2, 1) for axis 1, (0, 1, 2) for axis 2.
"""
import taichi as ti

from .config import kernel_factory, nd


@ti.func
def _pick(i, j, k, axis_i, axis_j, axis):
    """The index along ``axis`` of the voxel whose coordinate axis_i is i, axis_j is j, else k."""
    out = k
    if axis == axis_i:
        out = i
    elif axis == axis_j:
        out = j
    return out


@kernel_factory
def lattice_surface_kernel():
    @ti.kernel
    def tr_vox_lattice_surface(fv: nd(dtype=ti.f32, ndim=3), surface: nd(dtype=ti.i32, ndim=3)):
        N = surface.shape[0]
        for f, d in ti.ndrange(fv.shape[0], 4):
            if d == 3:
                for c in ti.static(range(3)):
                    i = ti.floor(fv[f, c, 0], ti.i32)
                    j = ti.floor(fv[f, c, 1], ti.i32)
                    k = ti.floor(fv[f, c, 2], ti.i32)
                    if 0 <= i < N and 0 <= j < N and 0 <= k < N:
                        surface[i, j, k] = 1
            else:
                a, b, c = 0, 1, 2
                if d == 0:
                    a, c = 2, 0
                elif d == 1:
                    b, c = 2, 1
                y0, x0, z0 = fv[f, 0, a], fv[f, 0, b], fv[f, 0, c]
                y1d, x1d, z1d = fv[f, 1, a] - y0, fv[f, 1, b] - x0, fv[f, 1, c] - z0
                y2d, x2d, z2d = fv[f, 2, a] - y0, fv[f, 2, b] - x0, fv[f, 2, c] - z0
                det = x1d * y2d - x2d * y1d
                if det != 0:
                    # Lattice points near the triangle's box (one point of slack each side).
                    y_lo = ti.max(ti.cast(ti.ceil(ti.min(y0, y0 + y1d, y0 + y2d)), ti.i32) - 1, 0)
                    y_hi = ti.min(ti.cast(ti.floor(ti.max(y0, y0 + y1d, y0 + y2d)), ti.i32) + 1, N - 1)
                    x_lo = ti.max(ti.cast(ti.ceil(ti.min(x0, x0 + x1d, x0 + x2d)), ti.i32) - 1, 0)
                    x_hi = ti.min(ti.cast(ti.floor(ti.max(x0, x0 + x1d, x0 + x2d)), ti.i32) + 1, N - 1)
                    for y in range(y_lo, y_hi + 1):
                        for x in range(x_lo, x_hi + 1):
                            ypd, xpd = y - y0, x - x0
                            t1 = (y2d * xpd - x2d * ypd) / det
                            t2 = (-y1d * xpd + x1d * ypd) / det
                            if t1 >= 0 and t2 >= 0 and t1 + t2 <= 1:
                                z = ti.floor(t1 * z1d + t2 * z2d + z0, ti.i32)
                                if 0 <= z < N:
                                    for dy, dx in ti.static(((0, 0), (1, 0), (0, 1), (1, 1))):
                                        yi, xi = y - dy, x - dx
                                        if yi >= 0 and xi >= 0:
                                            surface[_pick(yi, xi, z, a, b, 0), _pick(yi, xi, z, a, b, 1),
                                                    _pick(yi, xi, z, a, b, 2)] = 1

    return tr_vox_lattice_surface
