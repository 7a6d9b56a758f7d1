"""Image encoder -> deformation of a 642-vertex sphere template (icosphere, 3 subdivisions), as
SoftRas's single-view reconstruction model; optional per-vertex colour prediction.

Meshes live in the [-0.5, 0.5]^3 box of the data; they are rendered with the data set's cameras
(SoftRas's handedness), as its images were.
"""
import torch
import torch.nn as nn

from ..losses import FlattenLoss, LaplacianLoss, silhouette_iou_loss
from ..mesh import Mesh
from ..renderer import SoftRenderer
from ..templates import deform, icosphere
from .data import dataset_cameras


class Encoder(nn.Module):
    def __init__(self, in_channels=4, dim=512, size=64):
        super().__init__()
        chans = [in_channels, 64, 128, 256]
        layers = []
        for a, b in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv2d(a, b, 5, stride=2, padding=2), nn.BatchNorm2d(b), nn.ReLU(inplace=True)]
        self.conv = nn.Sequential(*layers)
        flat = chans[-1] * (size // 8) ** 2
        self.fc = nn.Sequential(nn.Linear(flat, 1024), nn.BatchNorm1d(1024), nn.ReLU(inplace=True),
                                nn.Linear(1024, 1024), nn.BatchNorm1d(1024), nn.ReLU(inplace=True),
                                nn.Linear(1024, dim), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))


class Decoder(nn.Module):
    """Per-vertex offsets in logit space of |v| and a centre, keeping vertices inside the box."""

    def __init__(self, vertices, faces, dim=512, colour=False, centroid_scale=0.1, bias_scale=1.0):
        super().__init__()
        self.register_buffer("vertices_base", vertices)
        self.register_buffer("faces", faces)
        self.centroid_scale, self.bias_scale = centroid_scale, bias_scale
        V = vertices.shape[0]
        self.fc = nn.Sequential(nn.Linear(dim, 1024), nn.ReLU(inplace=True), nn.Linear(1024, 2048), nn.ReLU(inplace=True))
        self.fc_centroid = nn.Linear(2048, 3)
        self.fc_bias = nn.Linear(2048, V * 3)
        self.fc_colour = nn.Linear(2048, V * 3) if colour else None

    def forward(self, x):
        h = self.fc(x)
        centroid = torch.tanh(self.fc_centroid(h))[:, None] * self.centroid_scale
        bias = self.fc_bias(h).view(x.shape[0], -1, 3) * self.bias_scale
        v = deform(self.vertices_base, bias, centroid)
        colours = torch.sigmoid(self.fc_colour(h).view(x.shape[0], -1, 3)) if self.fc_colour is not None else None
        return v * 0.5, colours


class Reconstructor(nn.Module):
    """image (B, 4, 64, 64) -> (vertices (B, 642, 3), faces (F, 3), colours or None)."""

    def __init__(self, image_size=64, colour=False):
        super().__init__()
        vertices, faces = icosphere(3, radius=0.5)
        self.encoder = Encoder(size=image_size)
        self.decoder = Decoder(vertices, faces, colour=colour)
        self.laplacian = LaplacianLoss(len(vertices), faces)
        self.flatten = FlattenLoss(faces)

    @property
    def faces(self):
        return self.decoder.faces

    def forward(self, images):
        vertices, colours = self.decoder(self.encoder(images))
        return vertices, colours


def make_renderer(image_size=64, sigma=1e-4):
    """SoftRas's training renderer (hard colour aggregation, dist_eps 1e-10), unlit: predicted
    colours are compared with the images as they are. Cameras come per call (render)."""
    return SoftRenderer(image_size, sigma_val=sigma, aggr_func_rgb="hard", dist_eps=1e-10)


def render(renderer, vertices, faces, view_ids, colours=None, silhouettes=True):
    """Render each predicted mesh b from the data set's view view_ids[b]: (B, 4, H, W)."""
    mesh = Mesh(vertices, faces, colours, "vertex" if colours is not None else "surface")
    return renderer(mesh, camera=dataset_cameras(view_ids), silhouette=silhouettes)


def reconstruction_loss(model, renderer, vertices, colours, images_a, images_b, views_a, views_b,
                        lambda_laplacian=0.03, lambda_flatten=0.0003):
    """Multi-view silhouette IoU (own view and a second view) + Laplacian + flatten (+ colour)."""
    both_v = torch.cat([vertices, vertices])
    both_c = torch.cat([colours, colours]) if colours is not None else None
    views = torch.cat([views_a, views_b])
    targets = torch.cat([images_a, images_b])
    pred = render(renderer, both_v, model.faces, views, both_c, silhouettes=colours is None)
    iou = silhouette_iou_loss(pred[:, 3], targets[:, 3])
    lap = model.laplacian(vertices).mean()
    flat = model.flatten(vertices).mean()
    loss = iou + lambda_laplacian * lap + lambda_flatten * flat
    parts = {"iou_loss": iou.item(), "laplacian": lap.item(), "flatten": flat.item()}
    if colours is not None:
        mask = targets[:, 3:4]
        colour_loss = ((pred[:, :3] - targets[:, :3]) ** 2 * mask).sum() / mask.sum().clamp(min=1) / 3
        loss = loss + colour_loss
        parts["colour"] = colour_loss.item()
    return loss, parts, pred
