"""SoftRas 1.0's SoftRenderer: Lighting -> Transform -> SoftRasterizer (legacy only; upstream
scripts chain the three themselves)."""
import torch

from taichiras.compat.soft_renderer.lighting import Lighting
from taichiras.compat.soft_renderer.mesh import Mesh
from taichiras.compat.soft_renderer.rasterizer import SoftRasterizer
from taichiras.compat.soft_renderer.transform import Transform


class SoftRenderer(torch.nn.Module):
    """SoftRas's SoftRenderer, with its arguments and defaults (note fill_back=True here)."""

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
        """Lighting, camera, rasterizer on a copy: the caller's mesh keeps its world vertices
        and textures (SoftRas changes them in place, hence its scripts' mesh.reset_())."""
        self.set_texture_mode(mesh.texture_type)
        mesh = Mesh(mesh.vertices, mesh.faces, mesh.textures, texture_type=mesh.texture_type)
        if mode != "silhouettes":
            mesh = self.lighting(mesh)
        mesh = self.transform(mesh)
        return self.rasterizer(mesh, mode)

    def forward(self, vertices, faces, textures=None, mode=None, texture_type="surface"):
        return self.render_mesh(Mesh(vertices, faces, textures, texture_type=texture_type), mode)


Renderer = SoftRenderer
