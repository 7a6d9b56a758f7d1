"""Known points land on known pixels."""
import torch

import taichiras
from taichiras.cameras import eye_from_angles, face_vertices, look_at, perspective


def test_camera_on_minus_z_sees_plus_x_on_the_right():
    eye = eye_from_angles(3.0, 0.0, 0.0)
    assert torch.allclose(eye, torch.tensor([[0.0, 0.0, -3.0]]), atol=1e-6)
    p = perspective(look_at(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), eye), fov=90)
    assert p[0, 0, 0] > 0 and abs(p[0, 0, 1]) < 1e-6
    assert torch.allclose(p[0, 0], torch.tensor([1 / 3, 0.0, 3.0]), atol=1e-6)
    assert p[0, 1, 1] > 0


def test_projected_triangle_renders_in_the_right_place():
    verts = torch.tensor([[0.5, 0.5, 0.0], [0.9, 0.5, 0.0], [0.5, 0.9, 0.0]])
    faces = torch.tensor([[0, 1, 2]])
    fv = face_vertices(perspective(look_at(verts, eye_from_angles(2.0, 0.0, 0.0)), fov=60), faces)
    image = taichiras.soft_rasterize(fv, None, image_size=32, dist_func="hard", fill_back=True)
    alpha = image[0, 3]
    rows, cols = alpha.nonzero(as_tuple=True)
    assert rows.float().mean() < 16 and cols.float().mean() > 16  # upper right quadrant
