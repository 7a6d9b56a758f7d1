"""Test inputs: random projected faces and small meshes (no files needed)."""
import torch
import trimesh

from taichiras.mesh import Mesh


def random_scene(B=2, F=6, R=2, vertex=False, dtype=torch.float64, seed=0, spread=0.8, device="cpu"):
    """Random faces in front of the camera, x, y in [-spread, spread], z in [1.5, 4.5], and
    random textures: (B, F, R*R, 3) surface texels or (B, F, 3, 3) vertex colours."""
    g = torch.Generator().manual_seed(seed)
    fv = torch.rand(B, F, 3, 3, generator=g, dtype=dtype) * 2 * spread - spread
    fv[..., 2] = torch.rand(B, F, 3, generator=g, dtype=dtype) * 3 + 1.5
    tex = torch.rand(B, F, 3 if vertex else R * R, 3, generator=g, dtype=dtype)
    return fv.to(device), tex.to(device)


def tiny_faces_in_one_tile(F, dtype=torch.float64, seed=0):
    """F small faces whose pixels all lie in the first 8 x 8 tile of a 64 x 64 image."""
    g = torch.Generator().manual_seed(seed)
    centre = torch.tensor([-1 + 4 / 64, 1 - 4 / 64], dtype=dtype)
    xy = centre + (torch.rand(1, F, 3, 2, generator=g, dtype=dtype) - 0.5) * (4 / 64)
    z = torch.rand(1, F, 3, 1, generator=g, dtype=dtype) * 2 + 2
    return torch.cat([xy, z], -1)


def sphere_mesh(subdivisions=2):
    """A unit icosphere Mesh (white surface textures)."""
    s = trimesh.creation.icosphere(subdivisions=subdivisions)
    return Mesh(torch.tensor(s.vertices, dtype=torch.float32), torch.tensor(s.faces))


def small_mesh(seed=0):
    """(vertices (2, 42, 3) float64: two jittered icospheres, faces (80, 3))."""
    s = trimesh.creation.icosphere(subdivisions=1)
    g = torch.Generator().manual_seed(seed)
    v = torch.tensor(s.vertices, dtype=torch.float64)[None] \
        + 0.1 * torch.rand(2, len(s.vertices), 3, generator=g, dtype=torch.float64)
    return v, torch.tensor(s.faces)


def one_face():
    """One grey face in the y = 0 plane, normal +y."""
    return Mesh(torch.tensor([[0.0, 0, 0], [1, 0, 0], [0, 0, 1]]), torch.tensor([[0, 2, 1]]),
                torch.full((1, 1, 1, 3), 0.5))
