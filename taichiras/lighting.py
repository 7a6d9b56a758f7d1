"""Lighting multiplied into mesh colours in world space, before the camera.

colour = texture * (I_a c_a + sum_d I_d c_d max(0, n.l_d) + sum_p I_p c_p max(0, n.l_p))
       + specular * sum_lights I c max(0, n.h)^shininess        (Blinn-Phong, needs the eye)

per face with face normals and centroids ('surface' textures), per vertex with vertex normals
('vertex' textures). Directions point towards the light; point lights have no falloff.
"""
import torch
import torch.nn.functional as nnf


def _rows(x, like):
    t = torch.as_tensor(x, dtype=like.dtype, device=like.device)
    return t.reshape(-1, 3) if t.ndim < 3 else t


def _batched(x, like):
    """(K, 3) or (B, K, 3) positions/directions as (B|1, K, 3); K may be 0."""
    t = torch.as_tensor(x, dtype=like.dtype, device=like.device)
    return t.reshape(1, -1, 3) if t.ndim < 3 else t


class Lighting(torch.nn.Module):
    """Ambient + directional lights as SoftRas, plus point lights and Blinn-Phong specular.

    directions (K, 3) or (B, K, 3); point_positions (P, 3) or (B, P, 3). Intensities and colours
    may be tensors that require grad.
    """

    def __init__(self, intensity_ambient=0.5, color_ambient=(1.0, 1.0, 1.0),
                 intensity_directionals=0.5, color_directionals=(1.0, 1.0, 1.0),
                 directions=((0.0, 1.0, 0.0),), point_positions=(), intensity_points=0.5,
                 color_points=(1.0, 1.0, 1.0), specular=0.0, shininess=32.0):
        super().__init__()
        self.intensity_ambient, self.color_ambient = intensity_ambient, color_ambient
        self.intensity_directionals, self.color_directionals = intensity_directionals, color_directionals
        self.directions, self.point_positions = directions, point_positions
        self.intensity_points, self.color_points = intensity_points, color_points
        self.specular, self.shininess = specular, shininess

    def light(self, normals, positions, eye=None):
        """Diffuse light (B, N, 3) and specular light (B, N, 3) at points with unit normals."""
        ref = normals
        diffuse = self.intensity_ambient * _rows(self.color_ambient, ref)[:, None]
        diffuse = diffuse.expand_as(normals)
        lights = []  # (unit direction to the light (B, N, 3), intensity * colour (B|1, 1, 3))
        for d in _batched(self.directions, ref).unbind(1):
            d = nnf.normalize(d, dim=-1)[:, None].expand_as(normals)
            lights.append((d, self.intensity_directionals * _rows(self.color_directionals, ref)[:, None]))
        for p in _batched(self.point_positions, ref).unbind(1):
            d = nnf.normalize(p[:, None] - positions, dim=-1)
            lights.append((d, self.intensity_points * _rows(self.color_points, ref)[:, None]))
        specular = torch.zeros_like(normals)
        view = None
        if eye is not None and self.specular:
            view = nnf.normalize(_rows(eye, ref)[:, None] - positions, dim=-1)
        for direction, colour in lights:
            diffuse = diffuse + colour * (normals * direction).sum(-1, keepdim=True).clamp(min=0)
            if view is not None:
                half = nnf.normalize(direction + view, dim=-1)
                ndh = (normals * half).sum(-1, keepdim=True).clamp(min=0)
                specular = specular + self.specular * colour * ndh ** self.shininess
        return diffuse, specular

    def forward(self, mesh, eye=None):
        """A Mesh with lit textures. ``eye`` (B|1, 3) enables the specular term."""
        if mesh.texture_type == "surface":
            normals = mesh.face_normals
            positions = mesh.face_vertices.mean(-2)
            diffuse, specular = self.light(normals, positions, eye)
            textures = mesh.face_textures * diffuse[:, :, None] + specular[:, :, None]
        else:
            diffuse, specular = self.light(mesh.vertex_normals, mesh.vertices, eye)
            textures = mesh.textures * diffuse + specular
        return mesh.replace(textures=textures)
