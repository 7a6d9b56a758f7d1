"""SoftRas's single-view reconstruction evaluation, written out in numpy from its published
algorithm (soft_renderer/functional/voxelization.py + its CUDA kernels, examples/recon/models.py
evaluate_iou and test.py): slow and obvious, for tests only.

    faces_norm = face_vertices * 1. * (32. - 1) / 32. + 0.5
    voxels_predict = voxelization(faces_norm, 32, False)          # surface + exterior flood fill
    voxels_predict = voxels_predict.transpose(0, 2, 1, 3)[:, :, :, ::-1]
    iou = (voxels * voxels_predict).sum((1, 2, 3)) / (0 < (voxels + voxels_predict)).sum((1, 2, 3))
"""
import numpy as np


def _surface_along(faces, size, order):
    """Voxels marked by one axis's lattice lines. faces (F, 3, 3) float32 in grid units; order:
    the coordinates playing SoftRas's (y, x, z) roles. Returns a (size,)*3 bool grid indexed in
    those roles (the caller transposes back)."""
    f = faces[:, :, order]
    y, x = np.meshgrid(np.arange(size, dtype=np.float32), np.arange(size, dtype=np.float32), indexing="ij")
    y, x = y.reshape(-1, 1), x.reshape(-1, 1)  # (P, 1) lattice points, P = size^2
    y1d, x1d, z1d = (f[:, 1, k] - f[:, 0, k] for k in range(3))
    y2d, x2d, z2d = (f[:, 2, k] - f[:, 0, k] for k in range(3))
    ypd, xpd = y - f[:, 0, 0], x - f[:, 0, 1]  # (P, F)
    det = x1d * y2d - x2d * y1d
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = (y2d * xpd - x2d * ypd) / det
        t2 = (-y1d * xpd + x1d * ypd) / det
        hit = (det != 0) & (t1 >= 0) & (t2 >= 0) & (t1 + t2 <= 1)
        z = np.floor(t1 * z1d + t2 * z2d + f[:, 0, 2])
    grid = np.zeros((size,) * 3, bool)
    p, fi = np.nonzero(hit)
    zi = z[p, fi].astype(np.int64)
    yi, xi = (p // size), (p % size)
    for dy in (0, 1):
        for dx in (0, 1):
            a, b = yi - dy, xi - dx
            ok = (a >= 0) & (b >= 0) & (zi >= 0) & (zi < size)
            grid[a[ok], b[ok], zi[ok]] = True
    return grid


def softras_voxelization(face_vertices, size=32):
    """SoftRas's ``voxelization(faces, size, normalize=False)`` of one mesh: face_vertices
    (F, 3, 3) in [0, 1] units. Returns (size,)*3 int32 indexed like the coordinates."""
    faces = np.asarray(face_vertices, np.float32) * np.float32(size)
    surface = np.zeros((size,) * 3, bool)
    # Axis 0: faces[..., [2, 1, 0]] then transpose(1, -1); axis 1: [0, 2, 1], transpose(2, -1).
    surface |= _surface_along(faces, size, [2, 1, 0]).transpose(2, 1, 0)
    surface |= _surface_along(faces, size, [0, 2, 1]).transpose(0, 2, 1)
    surface |= _surface_along(faces, size, [0, 1, 2])
    corners = np.floor(faces.reshape(-1, 3)).astype(np.int64)
    corners = corners[((corners >= 0) & (corners < size)).all(1)]
    surface[corners[:, 0], corners[:, 1], corners[:, 2]] = True
    # Exterior: non-surface voxels on the boundary, grown through non-surface voxels.
    boundary = np.zeros_like(surface)
    boundary[[0, -1]] = boundary[:, [0, -1]] = boundary[:, :, [0, -1]] = True
    visible = boundary & ~surface
    while True:
        grown = visible.copy()
        grown[1:] |= visible[:-1]
        grown[:-1] |= visible[1:]
        grown[:, 1:] |= visible[:, :-1]
        grown[:, :-1] |= visible[:, 1:]
        grown[:, :, 1:] |= visible[:, :, :-1]
        grown[:, :, :-1] |= visible[:, :, 1:]
        grown &= ~surface
        if (grown == visible).all():
            break
        visible = grown
    return (1 - visible).astype(np.int32)


def softras_evaluate_iou(face_vertices, voxels):
    """SoftRas's evaluate_iou: predicted face vertices (B, F, 3, 3) in the model's [-0.5, 0.5]
    box against data-set voxels (B, 32, 32, 32): IoU per item (B,)."""
    face_vertices = np.asarray(face_vertices, np.float32)
    faces_norm = face_vertices * np.float32(1.0) * np.float32(32.0 - 1) / np.float32(32.0) + np.float32(0.5)
    predict = np.stack([softras_voxelization(f, 32) for f in faces_norm])
    predict = predict.transpose(0, 2, 1, 3)[:, :, :, ::-1]
    voxels = np.asarray(voxels, np.float32)
    return (voxels * predict).sum((1, 2, 3)) / (0 < (voxels + predict)).sum((1, 2, 3))
