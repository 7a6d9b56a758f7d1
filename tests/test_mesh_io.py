"""Mesh, and mesh files in and out."""

import pytest
import torch
import trimesh

from taichiras import data
from taichiras.cameras import Camera
from taichiras.io import MeshFileError, load_mesh, save_obj
from taichiras.mesh import Mesh
from taichiras.renderer import SoftRenderer

SPOT = data.path("spot")


def write(path, text):
    path.write_text(text)
    return str(path)


def test_mesh_normals_and_face_vertices():
    v = torch.tensor([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    f = torch.tensor([[0, 1, 2], [0, 3, 1]])
    m = Mesh(v, f)
    assert m.face_vertices.shape == (1, 2, 3, 3)
    torch.testing.assert_close(m.face_normals[0], torch.tensor([[0.0, 0, 1], [0, 1, 0]]))
    expected = torch.nn.functional.normalize(torch.tensor([0.0, 1, 1]), dim=0)  # equal areas
    torch.testing.assert_close(m.vertex_normals[0, 0], expected)
    torch.testing.assert_close(m.vertex_normals[0, 2], torch.tensor([0.0, 0, 1]))
    assert m.textures.shape == (1, 2, 1, 3)
    mv = Mesh(v, f, texture_type="vertex")
    assert mv.face_textures.shape == (1, 2, 3, 3)


@pytest.mark.parametrize("kw,exc,match", [
    (dict(faces=torch.tensor([[0, 1, 9]])), ValueError, "out of range"),
    (dict(faces=torch.tensor([[0.0, 1, 2]])), TypeError, "integer"),
    (dict(textures=torch.ones(2, 1, 4, 3)), ValueError, "batch size"),
    (dict(textures=torch.ones(1, 1, 3, 3)), ValueError, "R\\*R"),
])
def test_mesh_bad_input(kw, exc, match):
    base = dict(vertices=torch.rand(4, 3), faces=torch.tensor([[0, 1, 2]]))
    base.update(kw)
    with pytest.raises(exc, match=match):
        Mesh(**base)


def test_load_spot_with_texture():
    m = load_mesh(SPOT, texture_res=4)
    assert m.num_vertices == 2930 and m.num_faces == 5856 and m.textures.shape == (1, 5856, 16, 3)
    assert 0.3 < m.textures.mean() < 0.95 and m.textures.std() > 0.05
    n = load_mesh(SPOT, normalize=True, load_textures=False)
    assert torch.isclose(n.vertices.abs().max(), torch.tensor(1.0))


def test_kd_colours_and_vertex_colours(tmp_path):
    write(tmp_path / "kd.mtl", "newmtl red\nKd 1 0 0\nnewmtl blue\nKd 0 0 1\n")
    obj = write(tmp_path / "kd.obj", "mtllib kd.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\n"
                "usemtl red\nf 1 2 3\nusemtl blue\nf 2 4 3\n")
    m = load_mesh(obj, texture_res=2)
    colours = sorted(tuple(c.tolist()) for c in m.textures[0, :, 0])
    assert colours == [(0.0, 0.0, 1.0), (1.0, 0.0, 0.0)]
    vc = write(tmp_path / "vc.obj", "v 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0 0 0 1\nf 1 2 3\n")
    mv = load_mesh(vc, texture_type="vertex")
    torch.testing.assert_close(mv.textures[0], torch.eye(3))
    ms = load_mesh(vc, texture_res=3)
    assert ms.textures.shape == (1, 1, 9, 3)
    torch.testing.assert_close(ms.textures[0, 0].sum(-1), torch.ones(9))


@pytest.mark.parametrize("ext", ["ply", "off", "glb"])
def test_other_formats(tmp_path, ext):
    box = trimesh.creation.box()
    path = str(tmp_path / f"box.{ext}")
    box.export(path)
    m = load_mesh(path)
    assert m.num_faces == 12 and m.num_vertices == 8


def test_save_load_round_trip_renders_the_same(tmp_path):
    m = load_mesh(SPOT, texture_res=3, normalize=True)
    save_obj(tmp_path / "spot.obj", m)
    assert (tmp_path / "spot.png").exists() and (tmp_path / "spot.mtl").exists()
    m2 = load_mesh(tmp_path / "spot.obj", texture_res=3)
    torch.testing.assert_close(m2.vertices, m.vertices)
    assert torch.equal(m2.faces, m.faces)
    renderer = SoftRenderer(64, camera=Camera.from_angles(2.5, 20.0, 40.0), sigma_val=1e-5)
    a, b = renderer(m), renderer(m2)
    assert (a - b).abs().max() < 2 / 255 + 1e-6
    mv = Mesh(m.vertices, m.faces, torch.rand(1, m.num_vertices, 3), texture_type="vertex")
    save_obj(tmp_path / "vc.obj", mv)
    mv2 = load_mesh(tmp_path / "vc.obj", texture_type="vertex")
    assert (mv2.textures - mv.textures).abs().max() < 1 / 255


@pytest.mark.parametrize("text,match", [
    ("v 0 0 0\nv 1 0\nv 0 1 0\nf 1 2 3\n", r"bad\.obj:2: 'v' needs"),
    ("v 0 0 0\nv 1 0 x\nv 0 1 0\nf 1 2 3\n", r"bad\.obj:2: .* not a number"),
    ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n", r"bad\.obj:4: face index 7 out of range"),
    ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\n", r"bad\.obj:4: a face needs at least 3"),
    ("mtllib nothere.mtl\nv 0 0 0\n", r"bad\.obj:1: material library not found"),
])
def test_malformed_obj(tmp_path, text, match):
    with pytest.raises(MeshFileError, match=match):
        load_mesh(write(tmp_path / "bad.obj", text))


def test_quads_need_triangulation(tmp_path):
    obj = write(tmp_path / "quad.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n")
    assert load_mesh(obj).num_faces == 2
    with pytest.raises(MeshFileError, match=r"quad\.obj:5: face with 4 vertices and triangulate=False"):
        load_mesh(obj, triangulate=False)


def test_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="mesh file not found"):
        load_mesh(tmp_path / "none.obj")
    write(tmp_path / "m.mtl", "newmtl a\nmap_Kd missing.png\n")
    obj = write(tmp_path / "m.obj", "mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    with pytest.raises(MeshFileError, match=r"m\.mtl:2: texture image not found"):
        load_mesh(obj)
