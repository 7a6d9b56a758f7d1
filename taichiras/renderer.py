"""SoftRenderer: lighting -> camera -> rasterize, as a torch module; and the one supersampler."""
import torch
import torch.nn.functional as nnf

from .mesh import Mesh, gather_faces
from .ops import RasterDepth, RasterSettings, rasterize


def render_faces(face_vertices, textures, settings, anti_aliasing=False):
    """rasterize, or with anti_aliasing render at 2x and average 2x2 pixels.

    Supersampled depth: the soft depth is averaged like the image; zbuf is the nearest of the
    four samples and face_index that sample's face.
    """
    if not anti_aliasing:
        return rasterize(face_vertices, textures, settings)
    H, W = settings.shape
    out = rasterize(face_vertices, textures, settings.replace(image_size=(2 * H, 2 * W)))
    image, depth = out if settings.return_depth else (out, None)
    image = nnf.avg_pool2d(image, 2)
    if depth is None:
        return image
    soft = nnf.avg_pool2d(depth.soft[:, None], 2)[:, 0]
    neg, where = nnf.max_pool2d(-depth.zbuf[:, None], 2, return_indices=True)
    face_index = depth.face_index.flatten(1).gather(1, where.flatten(1)).view_as(soft)
    return image, RasterDepth(soft, -neg[:, 0], face_index)


class SoftRenderer(torch.nn.Module):
    """Render Meshes to (B, 4, H, W) RGBA (and, with return_depth, a RasterDepth).

    camera: a ``taichiras.cameras.Camera``/``OpenCVCamera`` (or any module called as
    ``camera(world_vertices (B, V, 3), image_size=(H, W))`` returning (x_ndc, y_ndc, depth));
    it can also be passed per call. A mesh batch of 1 is rendered from every camera of a batch
    (multi-view). lighting: a ``Lighting`` or None (colours as they are). anti_aliasing renders
    at 2x and averages 2x2. The rasterizer options are a ``RasterSettings`` (``settings=``) and/or
    its fields as keywords, e.g. ``SoftRenderer(64, sigma_val=1e-4)``; ``forward`` takes the same
    keywords as per-call overrides.
    """

    def __init__(self, image_size=None, camera=None, lighting=None, *, settings=None,
                 anti_aliasing=False, **overrides):
        super().__init__()
        settings = settings if settings is not None else RasterSettings()
        if image_size is not None:
            overrides["image_size"] = image_size
        self.settings = settings.replace(**overrides) if overrides else settings
        self.camera, self.lighting = camera, lighting
        self.anti_aliasing = anti_aliasing

    @property
    def image_size(self):
        return self.settings.image_size

    def set_sigma(self, sigma):
        self.settings = self.settings.replace(sigma_val=sigma)

    def set_gamma(self, gamma):
        self.settings = self.settings.replace(gamma_val=gamma)

    def forward(self, mesh: Mesh, camera=None, silhouette=False, **overrides):
        """silhouette=True skips colours and lighting (RGB channels zero; faster). Keywords
        override this call's RasterSettings fields."""
        settings = self.settings.replace(**overrides) if overrides else self.settings
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
        projected = camera(mesh.vertices, image_size=settings.shape)
        if projected.shape[0] != mesh.batch_size:
            projected = projected.expand(mesh.batch_size, -1, -1)
        fv = gather_faces(projected, mesh.batched_faces())
        textures = None if silhouette else mesh.face_textures
        settings = settings.replace(texture_type=mesh.texture_type if textures is not None else "surface")
        return render_faces(fv, textures, settings, self.anti_aliasing)
