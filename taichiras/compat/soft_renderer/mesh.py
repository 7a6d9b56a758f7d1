"""SoftRas's Mesh over the native taichiras Mesh."""
import torch

from ...io import load_mesh, save_obj
from ...mesh import Mesh as NativeMesh
from ...ops.voxelize import voxelize


def _tensor(x):
    return torch.from_numpy(x) if not isinstance(x, torch.Tensor) else x


class Mesh:
    """Mesh(vertices (B, V, 3), faces (B, F, 3), textures=None, texture_res=1, texture_type='surface').

    2-D inputs get a batch dim; numpy is accepted. Default textures are ones.
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
        self._origin = (self._mesh.vertices.clone(), self._mesh.faces.clone(), self._mesh.textures.clone())

    @classmethod
    def from_obj(cls, filename_obj, normalization=False, load_texture=False, texture_res=1,
                 texture_type="surface"):
        m = load_mesh(filename_obj, texture_res=texture_res, texture_type=texture_type,
                      normalize=normalization, load_textures=load_texture)
        return cls(m.vertices, m.faces[None], m.textures if load_texture else None, texture_res, texture_type)

    def save_obj(self, filename_obj, save_texture=False, texture_res_out=16):
        save_obj(filename_obj, self._mesh, texture_res_out=texture_res_out, textures=save_texture)

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
        self._mesh = NativeMesh(self.vertices, f[None] if f.ndim == 2 else f, None, self.texture_type)

    @property
    def textures(self):
        return self._mesh.textures

    @textures.setter
    def textures(self, t):
        self._mesh = self._mesh.replace(textures=t)

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
        """Append every face again with reversed winding (so both sides render)."""
        faces = self.faces
        tex = self.textures
        if self.texture_type == "surface":
            tex = torch.cat([tex, tex], 1)
        self._mesh = NativeMesh(self.vertices, torch.cat([faces, faces[..., [2, 1, 0]]], 1), tex,
                                self.texture_type)
        return self

    def reset_(self):
        """Back to the state this Mesh was created in."""
        v, f, t = self._origin
        self._mesh = NativeMesh(v.clone(), f.clone(), t.clone(), self.texture_type)
        return self

    def voxelize(self, voxel_size=32):
        """Solid voxels (B, N, N, N) over the [-1, 1] box: surface + exterior flood fill."""
        return voxelize(self.vertices, self._mesh.faces, voxel_size, mode="fill")

    def to(self, device):
        self._mesh = self._mesh.to(device)
        self._origin = tuple(x.to(device) for x in self._origin)
        return self

    def cuda(self):
        return self.to("cuda")
