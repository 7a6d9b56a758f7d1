"""SoftRas's SoftRasterizer over taichiras' rasterizer (the same in both generations)."""
import torch

from taichiras.ops import RasterSettings
from taichiras.renderer import render_faces

MODES = (None, "silhouettes", "depth")
_D = RasterSettings()


class SoftRasterizer(torch.nn.Module):
    """SoftRasterizer(image_size=256, background_color=[0, 0, 0], near=1, far=100,
    anti_aliasing=False, fill_back=False, eps=1e-3, sigma_val=1e-5, dist_func='euclidean',
    dist_eps=1e-4, gamma_val=1e-4, aggr_func_rgb='softmax', aggr_func_alpha='prod',
    texture_type='surface'); forward(mesh, mode=None) renders a projected Mesh.

    Its options live in ``self.settings`` (a RasterSettings, checked); attributes of the same
    names read and write it.
    """

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
        """(B, 4, H, W) RGBA of a projected mesh. Beyond SoftRas (which ignores mode):
        mode='silhouettes' skips colours (RGB zero, alpha the same), mode='depth' returns the
        soft depth (B, H, W)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        textures = None if mode == "silhouettes" else mesh.face_textures
        settings = self.settings.replace(
            texture_type=self.texture_type if textures is not None else "surface",
            return_depth=mode == "depth")
        out = render_faces(mesh.face_vertices, textures, settings, self.anti_aliasing)
        return out[1].soft if mode == "depth" else out
