"""SoftRas's lighting modules (both generations) over taichiras' lighting."""
import torch
import torch.nn as nn

import taichiras.compat.soft_renderer.functional as srf
from taichiras.compat.soft_renderer.mesh import with_textures


class AmbientLighting(nn.Module):
    def __init__(self, light_intensity=0.5, light_color=(1, 1, 1)):
        super().__init__()
        self.light_intensity, self.light_color = light_intensity, light_color

    def forward(self, light):
        return srf.ambient_lighting(light, self.light_intensity, self.light_color)


class DirectionalLighting(nn.Module):
    def __init__(self, light_intensity=0.5, light_color=(1, 1, 1), light_direction=(0, 1, 0)):
        super().__init__()
        self.light_intensity, self.light_color, self.light_direction = light_intensity, light_color, light_direction

    def forward(self, light, normals):
        return srf.directional_lighting(light, normals, self.light_intensity, self.light_color,
                                        self.light_direction)


def _legacy(light_mode="surface", intensity_ambient=0.5, color_ambient=(1, 1, 1), intensity_directionals=0.5,
            color_directionals=(1, 1, 1), directions=(0, 1, 0)):
    return light_mode, (intensity_ambient, color_ambient, intensity_directionals, color_directionals, directions)


def _upstream(intensity_ambient=0.5, color_ambient=(1, 1, 1), intensity_directionals=0.5,
              color_directionals=(1, 1, 1), directions=(0, 1, 0)):
    return None, (intensity_ambient, color_ambient, intensity_directionals, color_directionals, directions)


class Lighting(nn.Module):
    """light = I_a c_a + I_d c_d max(0, n . l), multiplied into the textures in world space.

    Legacy: ``Lighting(light_mode='surface'|'vertex', intensity_ambient=0.5, ...)`` (a light_mode
    given, by position or keyword) lights ``mesh`` in place by its light_mode and returns it.
    Upstream: ``Lighting(intensity_ambient=0.5, color_ambient, intensity_directionals,
    color_directionals, directions)`` returns a new lit Mesh, per face or per vertex as the
    mesh's texture_type says.
    """

    def __init__(self, *args, **kwargs):
        super().__init__()
        legacy = "light_mode" in kwargs or (args and isinstance(args[0], str))
        light_mode, (ia, ca, idir, cdir, directions) = (_legacy if legacy else _upstream)(*args, **kwargs)
        if light_mode not in (None, "surface", "vertex"):
            raise ValueError(f"light_mode must be 'surface' or 'vertex'; got {light_mode!r}")
        self.light_mode = light_mode
        self.ambient = AmbientLighting(ia, ca)
        self.directionals = nn.ModuleList([DirectionalLighting(idir, cdir, directions)])

    def forward(self, mesh):
        mode = self.light_mode or mesh.texture_type
        normals = mesh.surface_normals if mode == "surface" else mesh.vertex_normals
        light = self.ambient(torch.zeros_like(normals))
        for directional in self.directionals:
            light = directional(light, normals)
        textures = mesh.textures * (light[:, :, None, :] if mode == "surface" else light)
        if self.light_mode is None:
            return with_textures(mesh, textures)
        mesh.textures = textures
        return mesh
