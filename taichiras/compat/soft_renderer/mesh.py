"""SoftRas's Mesh (both generations) over the native taichiras Mesh."""
import torch

import taichiras.compat.soft_renderer.functional as srf
from taichiras.io import load_mesh
from taichiras.mesh import Mesh as NativeMesh


def _tensor(x):
    return torch.from_numpy(x) if not isinstance(x, torch.Tensor) else x


def cuda_device():
    """Where ``.cuda()`` puts things: CUDA, or the CPU under ``python -m taichiras.compat.run
    --device cpu`` (which maps tensors' ``.cuda()`` there)."""
    return torch.empty(0).cuda().device


class Mesh:
    """Mesh(vertices (B, V, 3), faces (B, F, 3), textures=None, texture_res=1, texture_type='surface').

    2-D inputs get a batch dim; numpy is accepted (and stays on the CPU). Default textures are
    ones. Legacy's setters, fill_back_ and reset_ and upstream's from_data are all here.
    """

    def __init__(self, vertices, faces, textures=None, texture_res=1, texture_type="surface"):
        vertices, faces = _tensor(vertices), _tensor(faces)
        vertices = vertices[None] if vertices.ndim == 2 else vertices
        faces = faces[None] if faces.ndim == 2 else faces
        if textures is None:
            shape = ((vertices.shape[0], faces.shape[1], texture_res ** 2, 3) if texture_type == "surface"
                     else (vertices.shape[0], vertices.shape[1], 3))
            textures = torch.ones(shape, dtype=vertices.dtype, device=vertices.device)
        self._mesh = NativeMesh(vertices, faces, _tensor(textures), texture_type)
        self.texture_type = texture_type
        self._fill_back = False
        self._origin = (self._mesh.vertices, self._mesh.faces, self._mesh.textures)

    @classmethod
    def from_obj(cls, filename_obj, normalization=False, load_texture=False, texture_res=1,
                 texture_type="surface"):
        m = load_mesh(filename_obj, texture_res=texture_res, texture_type=texture_type,
                      normalize=normalization, load_textures=load_texture)
        return cls(m.vertices, m.faces[None], m.textures if load_texture else None, texture_res, texture_type)

    @classmethod
    def from_data(cls, vertices, faces, normalization=False):
        """Upstream: a Mesh of vertices (V, 3) and faces (F, 3); normalization moves the mesh to
        its minimum corner, scales by 2 / max |v| and centres it (SoftRas's formula)."""
        vertices = _tensor(vertices)
        if normalization:
            vertices = vertices - vertices.min(0)[0][None, :]
            vertices = vertices / vertices.abs().max() * 2
            vertices = vertices - vertices.max(0)[0][None, :] / 2
        return cls(vertices, faces)

    def save_obj(self, filename_obj, save_texture=False, texture_res_out=16):
        """One mesh (batch size 1) as OBJ; with save_texture also its MTL and PNG (or vertex
        colours), without them the geometry only."""
        if self.batch_size != 1:
            raise ValueError(f"save_obj: batch size must be 1; got {self.batch_size}")
        srf.save_obj(filename_obj, self.vertices[0], self.faces[0],
                     self.textures[0] if save_texture else None, texture_res_out, self.texture_type)

    @property
    def vertices(self):
        return self._mesh.vertices

    @vertices.setter
    def vertices(self, v):
        self._mesh = self._mesh.replace(vertices=v)

    @property
    def faces(self):
        return self._mesh.batched_faces()

    @faces.setter
    def faces(self, f):
        f = _tensor(f)
        self._mesh = NativeMesh(self.vertices, f[None] if f.ndim == 2 else f, self._mesh.textures
                                if self.texture_type == "vertex" else None, self.texture_type)

    @property
    def textures(self):
        return self._mesh.textures

    @textures.setter
    def textures(self, t):
        self._mesh = self._mesh.replace(textures=t)

    @property
    def device(self):
        return self._mesh.vertices.device

    @property
    def batch_size(self):
        return self._mesh.batch_size

    @property
    def num_vertices(self):
        return self._mesh.num_vertices

    @property
    def num_faces(self):
        return self._mesh.num_faces

    @property
    def texture_res(self):
        return self._mesh.texture_res

    @property
    def face_vertices(self):
        return self._mesh.face_vertices

    @property
    def surface_normals(self):
        return self._mesh.face_normals

    @property
    def vertex_normals(self):
        return self._mesh.vertex_normals

    @property
    def face_textures(self):
        return self._mesh.face_textures

    @property
    def native(self):
        """The taichiras.mesh.Mesh behind this one."""
        return self._mesh

    def fill_back_(self):
        """Append every face again with reversed winding (so both sides render), once."""
        if not self._fill_back:
            tex = self.textures
            if self.texture_type == "surface":
                tex = torch.cat([tex, tex], 1)
            self._mesh = NativeMesh(self.vertices, torch.cat([self.faces, self.faces[..., [2, 1, 0]]], 1), tex,
                                    self.texture_type)
            self._fill_back = True
        return self

    def reset_(self):
        """Back to the vertices, faces and textures this Mesh was created with."""
        self._mesh = NativeMesh(*self._origin, self.texture_type)
        self._fill_back = False
        return self

    def voxelize(self, voxel_size=32):
        """SoftRas's Mesh.voxelize: int32 voxels (B, N, N, N) of face_vertices * N / (N - 1) + 0.5
        over [0, 1]^3 (functional.voxelization)."""
        return srf.voxelization(self.face_vertices * voxel_size / (voxel_size - 1) + 0.5, voxel_size, False)

    def to(self, device):
        self._mesh = self._mesh.to(device)
        self._origin = tuple(x.to(device) for x in self._origin)
        return self

    def cuda(self):
        return self.to(cuda_device())

    def cpu(self):
        return self.to("cpu")


def with_vertices(mesh, vertices):
    """A new Mesh with ``mesh``'s faces and textures and new vertices (upstream transforms)."""
    return Mesh(vertices, mesh.faces, mesh.textures, mesh.texture_res, mesh.texture_type)


def with_textures(mesh, textures):
    """A new Mesh with ``mesh``'s vertices and faces and new textures (upstream lighting)."""
    return Mesh(mesh.vertices, mesh.faces, textures, mesh.texture_res, mesh.texture_type)
