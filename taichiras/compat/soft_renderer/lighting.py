"""SoftRas's lighting modules over taichiras.lighting."""
import torch

from ...lighting import Lighting as _Lighting
from . import functional as srf


class AmbientLighting(torch.nn.Module):
    def __init__(self, light_intensity=0.5, light_color=(1, 1, 1)):
        super().__init__()
        self.light_intensity, self.light_color = light_intensity, light_color

    def forward(self, light):
        return srf.ambient_lighting(light, self.light_intensity, self.light_color)


class DirectionalLighting(torch.nn.Module):
    def __init__(self, light_intensity=0.5, light_color=(1, 1, 1), light_direction=(0, 1, 0)):
        super().__init__()
        self.light_intensity, self.light_color, self.light_direction = light_intensity, light_color, light_direction

    def forward(self, light, normals):
        return srf.directional_lighting(light, normals, self.light_intensity, self.light_color,
                                        self.light_direction)


class Lighting(torch.nn.Module):
    """Lighting(light_mode='surface'|'vertex', ...): forward(mesh) multiplies the light into the
    mesh's textures (face normals for 'surface', vertex normals for 'vertex')."""

    def __init__(self, light_mode="surface", intensity_ambient=0.5, color_ambient=(1, 1, 1),
                 intensity_directionals=0.5, color_directionals=(1, 1, 1), directions=(0, 1, 0)):
        super().__init__()
        if light_mode not in ("surface", "vertex"):
            raise ValueError(f"light_mode must be 'surface' or 'vertex'; got {light_mode!r}")
        self.light_mode = light_mode
        self.native = _Lighting(intensity_ambient, color_ambient, intensity_directionals,
                                color_directionals, directions=directions)

    def forward(self, mesh):
        lit = self.native(mesh.native)
        mesh.textures = lit.textures
        return mesh
