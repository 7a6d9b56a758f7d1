"""Solid voxelization kernels. Grid coordinates: voxel (i, j, k) spans [i, i+1) x [j, j+1) x [k, k+1).

surface: every voxel the triangles pass through (dense sampling, spacing <= 1/3 voxel).
exterior: flood fill from the grid boundary through non-surface voxels.
parity: voxel centres inside the closed surface by the parity of crossings of a +z ray.
"""

import taichi as ti

from .config import kernel_factory, nd

JITTER_X, JITTER_Y = 1.4142e-4, 1.7321e-4  # keeps parity rays off mesh edges on axis grids


@kernel_factory
def voxel_kernels():
    @ti.kernel
    def mark_surface(fv: nd(dtype=ti.f32, ndim=3), surface: nd(dtype=ti.i32, ndim=3)):
        N = surface.shape[0]
        for f in range(fv.shape[0]):
            v0 = ti.Vector([fv[f, 0, 0], fv[f, 0, 1], fv[f, 0, 2]])
            v1 = ti.Vector([fv[f, 1, 0], fv[f, 1, 1], fv[f, 1, 2]])
            v2 = ti.Vector([fv[f, 2, 0], fv[f, 2, 1], fv[f, 2, 2]])
            longest = ti.max((v1 - v0).norm(), (v2 - v0).norm(), (v2 - v1).norm())
            n = ti.min(ti.cast(ti.ceil(longest * 3.0), ti.i32) + 1, 4096)
            for s in range(n + 1):
                for t in range(n + 1 - s):
                    p = v0 + (v1 - v0) * (s / n) + (v2 - v0) * (t / n)
                    i, j, k = ti.floor(p[0], ti.i32), ti.floor(p[1], ti.i32), ti.floor(p[2], ti.i32)
                    if 0 <= i < N and 0 <= j < N and 0 <= k < N:
                        surface[i, j, k] = 1

    @ti.kernel
    def parity(fv: nd(dtype=ti.f32, ndim=3), inside: nd(dtype=ti.i32, ndim=3)):
        N = inside.shape[0]
        for f in range(fv.shape[0]):
            x0, y0, z0 = fv[f, 0, 0], fv[f, 0, 1], fv[f, 0, 2]
            x1, y1, z1 = fv[f, 1, 0], fv[f, 1, 1], fv[f, 1, 2]
            x2, y2, z2 = fv[f, 2, 0], fv[f, 2, 1], fv[f, 2, 2]
            det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
            if det != 0:
                i_lo = ti.max(ti.cast(ti.ceil(ti.min(x0, x1, x2) - 0.5), ti.i32), 0)
                i_hi = ti.min(ti.cast(ti.floor(ti.max(x0, x1, x2) - 0.5), ti.i32), N - 1)
                j_lo = ti.max(ti.cast(ti.ceil(ti.min(y0, y1, y2) - 0.5), ti.i32), 0)
                j_hi = ti.min(ti.cast(ti.floor(ti.max(y0, y1, y2) - 0.5), ti.i32), N - 1)
                for i in range(i_lo, i_hi + 1):
                    for j in range(j_lo, j_hi + 1):
                        px, py = i + 0.5 + JITTER_X, j + 0.5 + JITTER_Y
                        w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) / det
                        w1 = ((px - x0) * (y2 - y0) - (x2 - x0) * (py - y0)) / det
                        w2 = 1.0 - w0 - w1
                        if w0 >= 0 and w1 >= 0 and w2 >= 0:
                            z = w0 * z0 + w1 * z1 + w2 * z2
                            for k in range(N):
                                if k + 0.5 < z:
                                    ti.atomic_xor(inside[i, j, k], 1)

    @ti.kernel
    def flood_seed(surface: nd(dtype=ti.i32, ndim=3), exterior: nd(dtype=ti.i32, ndim=3)):
        N = surface.shape[0]
        for i, j, k in surface:
            on_boundary = i == 0 or j == 0 or k == 0 or i == N - 1 or j == N - 1 or k == N - 1
            exterior[i, j, k] = 1 if on_boundary and surface[i, j, k] == 0 else 0

    @ti.kernel
    def flood_step(surface: nd(dtype=ti.i32, ndim=3), exterior: nd(dtype=ti.i32, ndim=3),
                   changed: nd(dtype=ti.i32, ndim=1)):
        N = surface.shape[0]
        for i, j, k in surface:
            if surface[i, j, k] == 0 and exterior[i, j, k] == 0:
                reached = False
                for d in ti.static(range(3)):
                    for s in ti.static((-1, 1)):
                        q = ti.Vector([i, j, k])
                        q[d] += s
                        if 0 <= q[d] < N and exterior[q[0], q[1], q[2]] == 1:
                            reached = True
                if reached:
                    exterior[i, j, k] = 1
                    changed[0] = 1

    return mark_surface, parity, flood_seed, flood_step
