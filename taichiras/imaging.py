"""Images for people: float renders to 8-bit pixels (one rounding rule), alpha compositing,
labelled grids, and saving."""
import os

import imageio.v3 as iio
import numpy as np
import torch
import torch.nn.functional as nnf
from PIL import Image, ImageDraw


def _hwc(image):
    """A float tensor (H, W, C) from (H, W), (H, W, C) or (C, H, W) (C in 1, 3, 4), any array type."""
    x = image if isinstance(image, torch.Tensor) else torch.as_tensor(np.asarray(image))
    x = x.detach().cpu()
    x = x.float() / 255 if x.dtype == torch.uint8 else x.float()
    if x.ndim == 2:
        x = x[..., None]
    if x.ndim != 3:
        raise ValueError(f"image must have shape (H, W), (H, W, C) or (C, H, W); got {tuple(x.shape)}")
    if x.shape[0] in (1, 3, 4) and x.shape[-1] not in (1, 3, 4):
        x = x.permute(1, 2, 0)
    return x


def composite(rgba, background=(1.0, 1.0, 1.0)):
    """RGB of an RGBA image (..., H, W, 4) over a background colour: rgb * a + bg * (1 - a).
    (Renders already hold their background colour in RGB; this is for a different one.)"""
    bg = torch.as_tensor(background, dtype=rgba.dtype, device=rgba.device)
    a = rgba[..., 3:4]
    return rgba[..., :3] * a + bg * (1 - a)


def to_uint8(values):
    """Float values in [0, 1] (tensor or array, any shape) to uint8: clamped, then rounded. The
    one rule every 8-bit image of taichiras goes through."""
    x = values.detach().cpu() if isinstance(values, torch.Tensor) else torch.as_tensor(np.asarray(values))
    return (x.float().clamp(0, 1) * 255).round().to(torch.uint8).numpy()


def to_rgb8(image, background=None, size=None):
    """(H, W, 3) uint8 from a float image in [0, 1]: (H, W), (H, W, C) or (C, H, W), C in 1, 3, 4
    (one channel is grey; RGBA shows its RGB, or is composited over ``background`` if given).
    size: an int or (H, W) to resize to (nearest). Values are clamped, then rounded."""
    x = _hwc(image)
    if x.shape[-1] == 1:
        x = x.expand(-1, -1, 3)
    elif x.shape[-1] == 4:
        x = composite(x, background) if background is not None else x[..., :3]
    elif x.shape[-1] != 3:
        raise ValueError(f"image must have 1, 3 or 4 channels; got {x.shape[-1]}")
    if size is not None:
        size = (size, size) if isinstance(size, int) else tuple(size)
        x = nnf.interpolate(x.permute(2, 0, 1)[None], size=size, mode="nearest")[0].permute(1, 2, 0)
    return to_uint8(x)


def image_grid(rows, titles=None, pad=4, background=(255, 255, 255), text=(0, 0, 0)):
    """One (H, W, 3) uint8 image of rows of images (each as to_rgb8 takes, all of one size).

    titles: one label per image (the same nesting as rows, or None), drawn above it.
    """
    cells = [[to_rgb8(im) for im in row] for row in rows]
    h = max(c.shape[0] for row in cells for c in row)
    w = max(c.shape[1] for row in cells for c in row)
    label_h = 14 if titles else 0
    ncols = max(len(row) for row in cells)
    H = len(cells) * (h + label_h + pad) + pad
    W = ncols * (w + pad) + pad
    canvas = Image.new("RGB", (W, H), background)
    draw = ImageDraw.Draw(canvas)
    for i, row in enumerate(cells):
        for j, cell in enumerate(row):
            x, y = pad + j * (w + pad), pad + i * (h + label_h + pad)
            if titles and titles[i] and j < len(titles[i]) and titles[i][j]:
                draw.text((x + 1, y), str(titles[i][j]), fill=text)
            canvas.paste(Image.fromarray(cell), (x, y + label_h))
    return np.asarray(canvas)


def save_image(path, image, **kw):
    """Write an image (anything to_rgb8 takes; uint8 arrays as they are) as PNG/JPEG/..."""
    os.makedirs(os.path.dirname(os.path.abspath(os.fspath(path))), exist_ok=True)
    arr = image if isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.ndim == 3 \
        and image.shape[-1] == 3 else to_rgb8(image, **kw)
    iio.imwrite(path, arr)
    return path
