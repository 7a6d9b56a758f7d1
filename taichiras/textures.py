"""Surface texel layout (R x R texels per face, as the rasterizer reads them) and image sampling."""
import torch


def texel_barycentrics(R, dtype=torch.float32, device=None):
    """(R*R, 3) barycentrics (w0, w1, w2) of each surface texel's centre.

    Texel k = b*R + a is the lower triangle of cell (a, b) when a + b <= R - 1, else the upper
    triangle of cell (R-1-a, R-1-b): the layout ``texel_index`` in the kernels reads.
    """
    k = torch.arange(R * R, device=device)
    a, b = (k % R).to(dtype), (k // R).to(dtype)
    lower = a + b <= R - 1
    w0 = torch.where(lower, a + 1 / 3, (R - 1 - a) + 2 / 3) / R
    w1 = torch.where(lower, b + 1 / 3, (R - 1 - b) + 2 / 3) / R
    return torch.stack([w0, w1, 1 - w0 - w1], -1)


def sample_bilinear(image, uv):
    """Sample an (H, W, C) image at uv (..., 2) in [0, 1] (v up, OBJ convention), clamped at edges."""
    H, W = image.shape[:2]
    x = uv[..., 0] * W - 0.5
    y = (1 - uv[..., 1]) * H - 0.5
    x0, y0 = torch.floor(x), torch.floor(y)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    x0, y0 = x0.long(), y0.long()

    def at(yy, xx):
        return image[yy.clamp(0, H - 1), xx.clamp(0, W - 1)]

    top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return top * (1 - fy) + bottom * fy


def corners_to_texels(corner_values, R):
    """Interpolate per-corner values (..., F, 3, C) to surface texels (..., F, R*R, C)."""
    w = texel_barycentrics(R, corner_values.dtype, corner_values.device)
    return torch.einsum("kj,...fjc->...fkc", w, corner_values)


def texel_index(w0, w1, R):
    """Index of the surface texel holding clipped barycentrics (w0, w1) (the kernels' rule)."""
    a = torch.floor(w0 * R).long()
    b = torch.floor(w1 * R).long()
    lower = (w0 + w1) * R - a - b <= 1
    return torch.where(lower, b * R + a, (R - 1 - b) * R + (R - 1 - a)).clamp(0, R * R - 1)
