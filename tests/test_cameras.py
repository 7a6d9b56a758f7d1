"""Known points land on known pixels."""
import math

import torch

import taichiras
from taichiras.cameras import (Camera, OpenCVCamera, eye_from_angles, look,
                               look_at, orthographic, perspective, project_opencv)
from taichiras.mesh import gather_faces


def test_eye_from_angles():
    torch.testing.assert_close(eye_from_angles(3.0, 0.0, 0.0), torch.tensor([[0.0, 0.0, -3.0]]))
    torch.testing.assert_close(eye_from_angles(2.0, 90.0, 0.0), torch.tensor([[0.0, 2.0, 0.0]]),
                               atol=1e-6, rtol=0)
    torch.testing.assert_close(eye_from_angles(2.0, 0.0, 90.0), torch.tensor([[2.0, 0.0, 0.0]]),
                               atol=1e-6, rtol=0)
    assert eye_from_angles(2.0, 30.0, torch.arange(4.0) * 90).shape == (4, 3)


def test_right_handed_camera_on_minus_z_sees_plus_x_on_the_left():
    eye = eye_from_angles(3.0, 0.0, 0.0)
    p = perspective(look_at(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), eye), fov=90)
    torch.testing.assert_close(p[0, 0], torch.tensor([-1 / 3, 0.0, 3.0]))
    assert p[0, 1, 1] > 0  # +y is up
    # Same from +z: now +x is on the right (the standard view of the xy-plane).
    p = perspective(look_at(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([0.0, 0.0, 3.0])), fov=90)
    assert p[0, 0, 0] > 0


def test_projected_triangle_renders_in_the_right_place():
    verts = torch.tensor([[-0.5, 0.5, 0.0], [-0.9, 0.5, 0.0], [-0.5, 0.9, 0.0]])
    faces = torch.tensor([[0, 1, 2]])
    fv = gather_faces(perspective(look_at(verts, eye_from_angles(2.0, 0.0, 0.0)), fov=60), faces)
    image = taichiras.soft_rasterize(fv, None, image_size=32, dist_func="hard")
    rows, cols = image[0, 3].nonzero(as_tuple=True)
    assert len(rows) > 5 and rows.float().mean() < 16 and cols.float().mean() > 16


def test_look_along_direction_equals_look_at():
    v = torch.rand(1, 5, 3)
    eye = torch.tensor([0.3, 0.2, -2.0])
    torch.testing.assert_close(look(v, eye, direction=(0.0, 0.0, 2.0)), look_at(v, eye, at=(0.3, 0.2, 0.0)))


def test_up_parallel_to_view_has_a_fallback():
    out = look_at(torch.rand(1, 4, 3), torch.tensor([0.0, 3.0, 0.0]))
    assert torch.isfinite(out).all()


def test_perspective_and_orthographic_values():
    cam = torch.tensor([[[1.0, 2.0, 4.0]]])
    t = math.tan(math.radians(30) / 2)
    torch.testing.assert_close(perspective(cam, 30.0), torch.tensor([[[1 / (4 * t), 2 / (4 * t), 4.0]]]))
    torch.testing.assert_close(orthographic(cam, 0.5, aspect=2.0), torch.tensor([[[0.25, 1.0, 4.0]]]))


def test_opencv_projection_known_pixel_and_distortion():
    K = torch.tensor([[[100.0, 0.0, 63.0], [0.0, 100.0, 31.0], [0.0, 0.0, 1.0]]])
    R, t = torch.eye(3)[None], torch.tensor([[0.0, 0.0, 2.0]])
    pts = torch.tensor([[0.0, 0.0, 0.0], [0.2, 0.1, 0.0]])
    p = project_opencv(pts, K, R, t, image_size=(64, 128))
    # The principal point (63, 31) is pixel column 63, row 31: x = (2*63+1-128)/128, y = (64-1-62)/64.
    torch.testing.assert_close(p[0, 0], torch.tensor([-1 / 128, 1 / 64, 2.0]))
    # (0.2, 0.1) at depth 2 -> u = 63 + 10, v = 31 + 5 (v down: below the centre).
    torch.testing.assert_close(p[0, 1, :2], torch.tensor([(2 * 73 + 1 - 128) / 128, (64 - 1 - 72) / 64]))
    d = torch.tensor([[0.1, 0.0, 0.0, 0.0, 0.0]])
    pd = project_opencv(pts, K, R, t, d, image_size=(64, 128))
    r2 = 0.1 ** 2 + 0.05 ** 2
    u = 63 + 100 * 0.1 * (1 + 0.1 * r2)
    torch.testing.assert_close(pd[0, 1, 0], torch.tensor((2 * u + 1 - 128) / 128))


def test_camera_pose_is_differentiable():
    eye = torch.tensor([[0.1, 0.2, -3.0]], requires_grad=True)
    cam = Camera(eye, fov=40)
    out = cam(torch.rand(1, 6, 3))
    out.sum().backward()
    assert eye.grad is not None and eye.grad.abs().sum() > 0
    K = torch.eye(3)[None].requires_grad_()
    oc = OpenCVCamera(K, torch.eye(3), torch.tensor([0.0, 0.0, 2.0]), torch.zeros(5), (8, 8))
    oc(torch.rand(1, 3, 3)).sum().backward()
    assert K.grad.abs().sum() > 0
