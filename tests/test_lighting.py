"""Lighting against hand-computed values."""
import torch
from scenes import one_face

from taichiras.lighting import Lighting
from taichiras.mesh import Mesh


def test_ambient_and_directional_by_hand():
    lit = Lighting(0.5, (1, 0.5, 0.25), 0.5, (1, 1, 1), directions=[[0, 1, 1]])(one_face())
    cos = 1 / 2 ** 0.5
    expected = 0.5 * (0.5 * torch.tensor([1, 0.5, 0.25]) + 0.5 * cos)
    torch.testing.assert_close(lit.textures[0, 0, 0], expected)
    away = Lighting(0.0, directions=[[0, -1, 0]])(one_face())
    assert away.textures.abs().max() == 0


def test_point_light_and_blinn_phong_by_hand():
    m = one_face()
    light = Lighting(0.0, intensity_directionals=0.0, point_positions=[[1.0, 2.0, 1.0]],
                     intensity_points=1.0, specular=0.5, shininess=4)
    centre = torch.tensor([1 / 3, 0, 1 / 3])
    to_light = torch.nn.functional.normalize(torch.tensor([1.0, 2.0, 1.0]) - centre, dim=0)
    eye = torch.tensor([[0.0, 3.0, 0.0]])
    view = torch.nn.functional.normalize(eye[0] - centre, dim=0)
    half = torch.nn.functional.normalize(to_light + view, dim=0)
    expected = 0.5 * to_light[1] + 0.5 * half[1] ** 4
    torch.testing.assert_close(light(m, eye=eye).textures[0, 0, 0], expected.expand(3))


def test_vertex_lighting_uses_vertex_normals():
    m = Mesh(one_face().vertices, one_face().faces, torch.ones(1, 3, 3), texture_type="vertex")
    lit = Lighting(0.2, directions=[[0, 1, 0]], intensity_directionals=0.8)(m)
    torch.testing.assert_close(lit.textures, torch.ones(1, 3, 3))
