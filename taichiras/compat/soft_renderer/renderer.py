"""SoftRas's SoftRasterizer and SoftRenderer over taichiras.soft_rasterize."""
import torch

from ...ops import RasterSettings
from ...renderer import render_faces
from .lighting import Lighting
from .mesh import Mesh
from .transform import Transform

MODES = (None, "silhouettes", "depth")


_D = RasterSettings()


class SoftRasterizer(torch.nn.Module):
    """SoftRas's rasterizer module: its options live in ``self.settings`` (a RasterSettings)."""

    def __init__(self, image_size=_D.image_size, background_color=_D.background_color,
                 near=_D.near, far=_D.far, anti_aliasing=False, fill_back=False, eps=_D.eps,
                 sigma_val=_D.sigma_val, dist_func=_D.dist_func, dist_eps=_D.dist_eps,
                 gamma_val=_D.gamma_val, aggr_func_rgb=_D.aggr_func_rgb,
                 aggr_func_alpha=_D.aggr_func_alpha, texture_type=_D.texture_type):
        super().__init__()
        self.settings = RasterSettings(
            image_size=image_size, background_color=background_color, near=near, far=far,
            fill_back=fill_back, eps=eps, sigma_val=sigma_val, dist_func=dist_func,
            dist_eps=dist_eps, gamma_val=gamma_val, aggr_func_rgb=aggr_func_rgb,
            aggr_func_alpha=aggr_func_alpha, texture_type=texture_type)
        self.anti_aliasing = anti_aliasing

    def __getattr__(self, name):
        settings = self.__dict__.get("settings")
        if settings is not None and name in RasterSettings.__dataclass_fields__:
            return getattr(settings, name)
        return super().__getattr__(name)

    def __setattr__(self, name, value):
        if name in RasterSettings.__dataclass_fields__ and "settings" in self.__dict__:
            self.settings = self.settings.replace(**{name: value})
        else:
            super().__setattr__(name, value)

    def set_sigma(self, sigma):
        self.sigma_val = sigma

    def set_gamma(self, gamma):
        self.gamma_val = gamma

    def forward(self, mesh, mode=None):
        """(B, 4, H, W) RGBA; mode='silhouettes' skips colours (RGB zero, alpha the same);
        mode='depth' returns the soft depth (B, H, W)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        textures = None if mode == "silhouettes" else mesh.face_textures
        settings = self.settings.replace(
            texture_type=self.texture_type if textures is not None else "surface",
            return_depth=mode == "depth")
        out = render_faces(mesh.face_vertices, textures, settings, self.anti_aliasing)
        return out[1].soft if mode == "depth" else out


class SoftRenderer(torch.nn.Module):
    """Lighting -> transform -> SoftRasterizer, with SoftRas's arguments and defaults."""

    def __init__(self, image_size=256, background_color=(0, 0, 0), near=1, far=100,
                 anti_aliasing=False, fill_back=True, eps=1e-3, sigma_val=1e-5,
                 dist_func="euclidean", dist_eps=1e-4, gamma_val=1e-4, aggr_func_rgb="softmax",
                 aggr_func_alpha="prod", texture_type="surface", camera_mode="projection", P=None,
                 dist_coeffs=None, orig_size=512, perspective=True, viewing_angle=30,
                 viewing_scale=1.0, eye=None, camera_direction=(0, 0, 1), light_mode="surface",
                 light_intensity_ambient=0.5, light_color_ambient=(1, 1, 1),
                 light_intensity_directionals=0.5, light_color_directionals=(1, 1, 1),
                 light_directions=(0, 1, 0)):
        super().__init__()
        self.lighting = Lighting(light_mode, light_intensity_ambient, light_color_ambient,
                                 light_intensity_directionals, light_color_directionals,
                                 light_directions)
        self.transform = Transform(camera_mode, P, dist_coeffs, orig_size, perspective,
                                   viewing_angle, viewing_scale, eye, camera_direction)
        self.rasterizer = SoftRasterizer(image_size, background_color, near, far, anti_aliasing,
                                         fill_back, eps, sigma_val, dist_func, dist_eps, gamma_val,
                                         aggr_func_rgb, aggr_func_alpha, texture_type)

    def set_sigma(self, sigma):
        self.rasterizer.set_sigma(sigma)

    def set_gamma(self, gamma):
        self.rasterizer.set_gamma(gamma)

    def set_texture_mode(self, mode):
        if mode not in ("surface", "vertex"):
            raise ValueError(f"mode must be 'surface' or 'vertex'; got {mode!r}")
        self.lighting.light_mode = mode
        self.rasterizer.texture_type = mode

    def render_mesh(self, mesh, mode=None):
        """Renders a copy: the caller's mesh keeps its world vertices and textures."""
        mesh = Mesh(mesh.vertices, mesh.faces, mesh.textures, texture_type=mesh.texture_type)
        if mode != "silhouettes":
            mesh = self.lighting(mesh)
        mesh = self.transform(mesh)
        return self.rasterizer(mesh, mode)

    def forward(self, vertices, faces, textures=None, mode=None, texture_type="surface"):
        return self.render_mesh(Mesh(vertices, faces, textures, texture_type=texture_type), mode)


Renderer = SoftRenderer
