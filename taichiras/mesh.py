"""Mesh: a batch of triangle meshes with per-vertex or per-face (surface texel) colours."""
import math

import numpy as np
import torch


def _as_tensor(name, x, dtype=None, device=None):
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or numpy array; got {type(x).__name__}")
    return x.to(device=device, dtype=dtype) if (dtype or device) else x


class Mesh:
    """Triangle meshes sharing vertex and face counts.

    vertices: (B, V, 3) or (V, 3) float; faces: (F, 3) shared or (B, F, 3) int.
    textures: None (white), (B, V, 3) per-vertex colours with texture_type='vertex', or
    (B, F, R*R, 3) surface texels with texture_type='surface' ((V, 3) / (F, R*R, 3) get a batch
    dim). Differentiable with respect to vertices and textures.
    """

    def __init__(self, vertices, faces, textures=None, texture_type="surface"):
        vertices = _as_tensor("vertices", vertices)
        if not vertices.is_floating_point():
            raise TypeError(f"vertices must be floating point; got {vertices.dtype}")
        if vertices.ndim == 2:
            vertices = vertices[None]
        if vertices.ndim != 3 or vertices.shape[-1] != 3:
            raise ValueError(f"vertices must have shape (B, V, 3) or (V, 3); got {tuple(vertices.shape)}")
        faces = _as_tensor("faces", faces, device=vertices.device)
        if faces.is_floating_point() or faces.dtype == torch.bool:
            raise TypeError(f"faces must be integer indices; got {faces.dtype}")
        faces = faces.long()
        if faces.ndim not in (2, 3) or faces.shape[-1] != 3:
            raise ValueError(f"faces must have shape (F, 3) or (B, F, 3); got {tuple(faces.shape)}")
        if faces.ndim == 3 and faces.shape[0] not in (1, vertices.shape[0]):
            raise ValueError(f"faces has batch size {faces.shape[0]} but vertices has {vertices.shape[0]}")
        V = vertices.shape[1]
        if faces.numel() and (faces.min() < 0 or faces.max() >= V):
            raise ValueError(f"faces index vertices out of range [0, {V}): min {int(faces.min())}, "
                             f"max {int(faces.max())}")
        if texture_type not in ("surface", "vertex"):
            raise ValueError(f"texture_type must be 'surface' or 'vertex'; got {texture_type!r}")
        self.vertices = vertices
        self.faces = faces
        self.texture_type = texture_type
        self.textures = textures

    @property
    def textures(self):
        return self._textures

    @textures.setter
    def textures(self, textures):
        B, V, F = self.batch_size, self.num_vertices, self.num_faces
        if textures is None:
            shape = (B, V, 3) if self.texture_type == "vertex" else (B, F, 1, 3)
            textures = torch.ones(shape, dtype=self.vertices.dtype, device=self.vertices.device)
        textures = _as_tensor("textures", textures, device=self.vertices.device)
        if self.texture_type == "vertex":
            textures = textures[None] if textures.ndim == 2 else textures
            if textures.ndim != 3 or textures.shape[1:] != (V, 3):
                raise ValueError(f"vertex textures must have shape (B, {V}, 3); got {tuple(textures.shape)}")
        else:
            textures = textures[None] if textures.ndim == 3 else textures
            if (textures.ndim != 4 or textures.shape[1] != F or textures.shape[3] != 3
                    or math.isqrt(textures.shape[2]) ** 2 != textures.shape[2]):
                raise ValueError(f"surface textures must have shape (B, {F}, R*R, 3); got "
                                 f"{tuple(textures.shape)}")
        if textures.shape[0] not in (1, B):
            raise ValueError(f"textures has batch size {textures.shape[0]} but vertices has {B}")
        self._textures = textures

    @property
    def batch_size(self):
        return self.vertices.shape[0]

    @property
    def num_vertices(self):
        return self.vertices.shape[1]

    @property
    def num_faces(self):
        return self.faces.shape[-2]

    @property
    def texture_res(self):
        return math.isqrt(self.textures.shape[2]) if self.texture_type == "surface" else 1

    def batched_faces(self):
        """(B, F, 3) faces."""
        return self.faces.expand(self.batch_size, -1, -1) if self.faces.ndim == 3 \
            else self.faces[None].expand(self.batch_size, -1, -1)

    @property
    def face_vertices(self):
        """(B, F, 3, 3) vertex positions of each face."""
        return gather_faces(self.vertices, self.batched_faces())

    @property
    def face_normals(self):
        """(B, F, 3) unit normals, (v1 - v0) x (v2 - v0) normalised."""
        return torch.nn.functional.normalize(self._face_cross(), dim=-1, eps=1e-12)

    def _face_cross(self):
        fv = self.face_vertices
        return torch.cross(fv[:, :, 1] - fv[:, :, 0], fv[:, :, 2] - fv[:, :, 0], dim=-1)

    @property
    def vertex_normals(self):
        """(B, V, 3) area-weighted unit vertex normals."""
        cross = self._face_cross()
        normals = torch.zeros_like(self.vertices)
        faces = self.batched_faces()
        for k in range(3):
            normals = normals.scatter_add(1, faces[..., k:k + 1].expand(-1, -1, 3), cross)
        return torch.nn.functional.normalize(normals, dim=-1, eps=1e-12)

    @property
    def face_textures(self):
        """Colours per face as soft_rasterize takes them: (B, F, R*R, 3) or (B, F, 3, 3)."""
        tex = self.textures.expand(self.batch_size, *self.textures.shape[1:])
        if self.texture_type == "surface":
            return tex
        return gather_faces(tex, self.batched_faces())

    def replace(self, vertices=None, textures=None):
        """A new Mesh with the same faces and texture type and new vertices and/or textures."""
        return Mesh(self.vertices if vertices is None else vertices, self.faces,
                    self.textures if textures is None else textures, self.texture_type)

    def to(self, device=None, dtype=None):
        return Mesh(self.vertices.to(device=device, dtype=dtype), self.faces.to(device),
                    self.textures.to(device=device, dtype=dtype), self.texture_type)

    def __repr__(self):
        return (f"Mesh(batch={self.batch_size}, vertices={self.num_vertices}, faces={self.num_faces}, "
                f"texture_type={self.texture_type!r}, texture_res={self.texture_res})")


def gather_faces(values, faces):
    """Per-vertex values (B, V, C) gathered to faces (B, F, 3, C) by faces (F, 3) or (B, F, 3)."""
    if faces.ndim == 2:
        faces = faces[None].expand(values.shape[0], -1, -1)
    faces = faces.long()
    B, F = faces.shape[:2]
    idx = faces.reshape(B, F * 3, 1).expand(-1, -1, values.shape[-1])
    return values.expand(B, *values.shape[1:]).gather(1, idx).reshape(B, F, 3, values.shape[-1])
