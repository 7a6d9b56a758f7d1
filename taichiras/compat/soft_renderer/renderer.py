"""SoftRas's SoftRasterizer and SoftRenderer over taichiras.soft_rasterize."""
import torch
import torch.nn.functional as nnf

from . import functional as srf
from .lighting import Lighting
from .mesh import Mesh
from .transform import Transform

MODES = (None, "silhouettes", "depth")


class SoftRasterizer(torch.nn.Module):
    def __init__(self, image_size=256, background_color=(0, 0, 0), near=1, far=100,
                 anti_aliasing=False, fill_back=False, eps=1e-3, sigma_val=1e-5,
                 dist_func="euclidean", dist_eps=1e-4, gamma_val=1e-4, aggr_func_rgb="softmax",
                 aggr_func_alpha="prod", texture_type="surface"):
        super().__init__()
        self.image_size, self.background_color = image_size, background_color
        self.near, self.far, self.anti_aliasing, self.fill_back = near, far, anti_aliasing, fill_back
        self.eps, self.sigma_val, self.dist_func, self.dist_eps = eps, sigma_val, dist_func, dist_eps
        self.gamma_val, self.aggr_func_rgb, self.aggr_func_alpha = gamma_val, aggr_func_rgb, aggr_func_alpha
        self.texture_type = texture_type

    def set_sigma(self, sigma):
        self.sigma_val = sigma

    def set_gamma(self, gamma):
        self.gamma_val = gamma

    def forward(self, mesh, mode=None):
        """(B, 4, H, W) RGBA; mode='silhouettes' skips colours (RGB zero, alpha the same);
        mode='depth' returns the soft depth (B, H, W)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        scale = 2 if self.anti_aliasing else 1
        textures = None if mode == "silhouettes" else mesh.face_textures
        out = srf.soft_rasterize(
            mesh.face_vertices, textures, self.image_size * scale, self.background_color, self.near,
            self.far, self.fill_back, self.eps, self.sigma_val, self.dist_func, self.dist_eps,
            self.gamma_val, self.aggr_func_rgb, self.aggr_func_alpha,
            self.texture_type if textures is not None else "surface", return_depth=mode == "depth")
        if mode == "depth":
            depth = out[1].soft
            return nnf.avg_pool2d(depth[:, None], 2)[:, 0] if self.anti_aliasing else depth
        return nnf.avg_pool2d(out, 2) if self.anti_aliasing else out


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
