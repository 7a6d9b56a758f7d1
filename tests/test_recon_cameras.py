"""The data set's cameras: the native Camera with SoftRas's handedness renders the 24 views
exactly as SoftRas's own look_at renderer (the compat layer) does."""
import torch

import taichiras.compat.soft_renderer as sr
from taichiras.lighting import Lighting
from taichiras.mesh import Mesh
from taichiras.recon.data import VIEWS, dataset_cameras, view_angles
from taichiras.renderer import SoftRenderer
from taichiras.templates import icosphere


def _object():
    """An asymmetric coloured blob (so a mirrored or rotated view would differ)."""
    vertices, faces = icosphere(2, radius=0.4)
    g = torch.Generator().manual_seed(3)
    vertices = vertices * torch.tensor([1.0, 0.6, 0.8]) + torch.tensor([0.1, 0.0, -0.05])
    vertices = vertices + 0.05 * torch.rand(vertices.shape, generator=g)
    colours = torch.rand(1, len(faces), 1, 3, generator=g)
    return vertices, faces, colours


def test_dataset_views_native_equal_softras_compat():
    vertices, faces, colours = _object()
    views = torch.arange(VIEWS)
    compat = sr.SoftRenderer(image_size=64, sigma_val=1e-5, aggr_func_rgb="hard", camera_mode="look_at",
                             viewing_angle=15)
    compat.transform.set_eyes_from_angles(*view_angles(views))
    mesh = sr.Mesh(vertices.expand(VIEWS, -1, -1), faces.expand(VIEWS, -1, -1), colours.expand(VIEWS, -1, -1, -1))
    with torch.no_grad():
        expected = compat.render_mesh(mesh)
        native = SoftRenderer(64, camera=dataset_cameras(views), lighting=Lighting(), sigma_val=1e-5,
                              aggr_func_rgb="hard")(Mesh(vertices, faces, colours))
    assert expected.shape == native.shape == (VIEWS, 4, 64, 64)
    assert expected[:, 3].mean() > 0.05 and (expected[0] - expected[6]).abs().max() > 0.5
    torch.testing.assert_close(native, expected, rtol=0, atol=1e-6)
    # SoftRas's handedness: from view 0 (camera on -z, tilted down 30 deg) world +x is on the right.
    right = Mesh(torch.tensor([[0.3, -0.1, 0.0], [0.5, -0.1, 0.0], [0.4, 0.1, 0.0]]), torch.tensor([[0, 1, 2]]))
    alpha = SoftRenderer(64, camera=dataset_cameras([0]), sigma_val=1e-6)(right, silhouette=True)[0, 3]
    assert alpha[:, 32:].sum() > 10 and alpha[:, :32].sum() == 0
