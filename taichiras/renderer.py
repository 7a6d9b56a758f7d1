"""SoftRenderer: lighting -> camera -> soft_rasterize, as a torch module."""
import torch
import torch.nn.functional as nnf

from .mesh import Mesh, gather_faces
from .ops import soft_rasterize


class SoftRenderer(torch.nn.Module):
    """Render Meshes to (B, 4, H, W) RGBA (and, with return_depth, a RasterDepth).

    camera: a ``taichiras.cameras.Camera``/``OpenCVCamera`` (or any module mapping (B, V, 3)
    world vertices to (x_ndc, y_ndc, depth)); it can also be passed per call. A mesh batch of 1
    is rendered from every camera of a batch (multi-view). lighting: a ``Lighting`` or None
    (colours as they are). anti_aliasing renders at 2x and averages 2x2 (depth outputs stay at 2x).
    The rasterizer options are soft_rasterize's.
    """

    def __init__(self, image_size=256, camera=None, lighting=None, background_color=(0.0, 0.0, 0.0),
                 near=1.0, far=100.0, sigma_val=1e-5, gamma_val=1e-4, eps=1e-3, dist_eps=1e-4,
                 dist_func="euclidean", aggr_func_rgb="softmax", aggr_func_alpha="prod",
                 fill_back=True, cull_backfaces=False, anti_aliasing=False, return_depth=False):
        super().__init__()
        self.image_size = image_size
        self.camera, self.lighting = camera, lighting
        self.options = dict(background_color=background_color, near=near, far=far,
                            sigma_val=sigma_val, gamma_val=gamma_val, eps=eps, dist_eps=dist_eps,
                            dist_func=dist_func, aggr_func_rgb=aggr_func_rgb,
                            aggr_func_alpha=aggr_func_alpha, fill_back=fill_back,
                            cull_backfaces=cull_backfaces, return_depth=return_depth)
        self.anti_aliasing = anti_aliasing

    def set_sigma(self, sigma):
        self.options["sigma_val"] = sigma

    def set_gamma(self, gamma):
        self.options["gamma_val"] = gamma

    def forward(self, mesh: Mesh, camera=None, silhouette=False):
        """silhouette=True skips colours and lighting (RGB channels zero; faster)."""
        camera = camera if camera is not None else self.camera
        if camera is None:
            raise ValueError("camera: SoftRenderer needs a camera (in the constructor or the call)")
        n_views = len(camera) if hasattr(camera, "__len__") else mesh.batch_size
        B = mesh.batch_size
        if B == 1 and n_views > 1:
            mesh = Mesh(mesh.vertices.expand(n_views, -1, -1), mesh.faces, mesh.textures,
                        mesh.texture_type)
        elif n_views not in (1, B):
            raise ValueError(f"camera has {n_views} views but the mesh batch has {B} meshes")
        if self.lighting is not None and not silhouette:
            mesh = self.lighting(mesh, eye=getattr(camera, "eye", None))
        H, W = (self.image_size, self.image_size) if isinstance(self.image_size, int) else self.image_size
        scale = 2 if self.anti_aliasing else 1
        projected = camera(mesh.vertices, aspect=W / H)
        if projected.shape[0] != mesh.batch_size:
            projected = projected.expand(mesh.batch_size, -1, -1)
        fv = gather_faces(projected, mesh.batched_faces())
        textures = None if silhouette else mesh.face_textures
        out = soft_rasterize(fv, textures, image_size=(H * scale, W * scale),
                             texture_type=mesh.texture_type if textures is not None else "surface",
                             **self.options)
        if not self.anti_aliasing:
            return out
        image, depth = out if self.options["return_depth"] else (out, None)
        image = nnf.avg_pool2d(image, 2)
        return (image, depth) if depth is not None else image
