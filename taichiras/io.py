"""Mesh files through trimesh: OBJ (+MTL: Kd colours, map_Kd images; vertex colours; UVs), PLY,
OFF, GLB in; OBJ (+MTL + PNG texture atlas, or vertex colours) out.

OBJ files are first checked line by line so a malformed file fails with its file and line, and
nothing half-loaded is returned.
"""
import math
import os

import imageio.v3 as iio
import numpy as np
import torch
import trimesh

from .imaging import to_uint8
from .mesh import Mesh
from .textures import corners_to_texels, sample_bilinear, texel_barycentrics, texel_index

FORMATS = (".obj", ".ply", ".off", ".glb", ".gltf", ".stl")


class MeshFileError(ValueError):
    """A mesh file that cannot be read; the message names the file (and line)."""


def _check_obj(path, triangulate):
    """Line-level checks trimesh's lenient parser skips: numbers, index ranges, polygons, files."""
    counts = {"v": 0, "vt": 0, "vn": 0}
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    folder = os.path.dirname(path)
    for n, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, *fields = line.split()
        where = f"{path}:{n}"
        if key in counts:
            need = {"v": (3, 4, 6, 7), "vt": (1, 2, 3), "vn": (3,)}[key]
            if len(fields) not in need:
                raise MeshFileError(f"{where}: '{key}' needs {' or '.join(map(str, need))} numbers; got {raw!r}")
            try:
                [float(x) for x in fields]
            except ValueError:
                raise MeshFileError(f"{where}: '{key}' has a value that is not a number: {raw!r}") from None
            counts[key] += 1
        elif key == "f":
            if len(fields) < 3:
                raise MeshFileError(f"{where}: a face needs at least 3 vertices; got {raw!r}")
            if len(fields) > 3 and not triangulate:
                raise MeshFileError(f"{where}: face with {len(fields)} vertices and triangulate=False")
            for ref in fields:
                for part, kind in zip(ref.split("/"), ("v", "vt", "vn")):
                    if not part:
                        continue
                    try:
                        i = int(part)
                    except ValueError:
                        raise MeshFileError(f"{where}: face index {part!r} is not an integer") from None
                    total = counts[kind]
                    if i == 0 or i > total or i < -total:
                        raise MeshFileError(f"{where}: face index {i} out of range: {total} '{kind}' "
                                            "lines so far")
        elif key == "mtllib":
            mtl = os.path.join(folder, " ".join(fields))
            if not os.path.exists(mtl):
                raise MeshFileError(f"{where}: material library not found: {mtl}")
            _check_mtl(mtl)


def _check_mtl(path):
    folder = os.path.dirname(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f.read().splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if line.startswith("map_Kd"):
                image = os.path.join(folder, line.split()[-1])
                if not os.path.exists(image):
                    raise MeshFileError(f"{path}:{n}: texture image not found: {image}")
            elif line.startswith("Kd "):
                try:
                    [float(x) for x in line.split()[1:4]]
                except ValueError:
                    raise MeshFileError(f"{path}:{n}: 'Kd' needs 3 numbers; got {raw!r}") from None


def _geometries(path, triangulate):
    loaded = trimesh.load(path, process=False, force=None)
    if isinstance(loaded, trimesh.Scene):
        parts = loaded.dump() if hasattr(loaded, "dump") else list(loaded.geometry.values())
    else:
        parts = [loaded]
    parts = [p for p in parts if isinstance(p, trimesh.Trimesh)]
    if not parts:
        raise MeshFileError(f"{path}: no triangle mesh in the file")
    return parts


def _part_colours(part, R, texture_type):
    """Colours of one trimesh part: per corner (F, 3, 3), or surface texels (F, R*R, 3)."""
    faces = torch.from_numpy(np.asarray(part.faces, dtype=np.int64))
    visual = part.visual
    F = faces.shape[0]
    if isinstance(visual, trimesh.visual.TextureVisuals):
        material = visual.material
        image = getattr(material, "image", None)
        if image is None and hasattr(material, "baseColorTexture"):
            image = material.baseColorTexture
        uv = getattr(visual, "uv", None)
        if image is not None and uv is not None and len(uv):
            img = torch.from_numpy(np.asarray(image.convert("RGB"), dtype=np.float32) / 255.0)
            corner_uv = torch.from_numpy(np.asarray(uv, dtype=np.float32))[faces]  # (F, 3, 2)
            if texture_type == "vertex":
                return sample_bilinear(img, corner_uv)
            w = texel_barycentrics(R)
            return sample_bilinear(img, torch.einsum("kj,fjc->fkc", w, corner_uv))
        colour = getattr(material, "diffuse", None)
        if colour is None:
            colour = getattr(material, "baseColorFactor", None)
        rgb = torch.ones(3) if colour is None else torch.tensor(np.asarray(colour[:3], dtype=np.float32))
        rgb = rgb / 255.0 if rgb.max() > 1 else rgb
        return rgb.expand(F, 3 if texture_type == "vertex" else R * R, 3).clone()
    if isinstance(visual, trimesh.visual.ColorVisuals) and visual.kind == "vertex":
        vc = torch.from_numpy(np.asarray(visual.vertex_colors[:, :3], dtype=np.float32) / 255.0)
        corners = vc[faces]
        return corners if texture_type == "vertex" else corners_to_texels(corners, R)
    if isinstance(visual, trimesh.visual.ColorVisuals) and visual.kind == "face":
        fc = torch.from_numpy(np.asarray(visual.face_colors[:, :3], dtype=np.float32) / 255.0)
        return fc[:, None].expand(F, 3 if texture_type == "vertex" else R * R, 3).clone()
    return torch.ones(F, 3 if texture_type == "vertex" else R * R, 3)


def load_mesh(path, texture_res=1, texture_type="surface", normalize=False, triangulate=True,
              load_textures=True, dtype=torch.float32, device=None):
    """Load a mesh file into a Mesh (batch of 1).

    texture_res: R for surface textures (R*R texels per face, sampled bilinearly from map_Kd
    images at texel centres; Kd and vertex colours are used as they are). texture_type='vertex'
    gives per-vertex colours. normalize fits the mesh into the [-1, 1] box, centred. Vertices
    split by trimesh at UV seams are merged back by position so the surface stays connected.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"mesh file not found: {path}")
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise MeshFileError(f"{path}: unsupported mesh format {ext!r}; expected one of {FORMATS}")
    if not isinstance(texture_res, int) or texture_res < 1:
        raise ValueError(f"texture_res must be a positive int; got {texture_res!r}")
    if ext == ".obj":
        _check_obj(path, triangulate)
    try:
        parts = _geometries(path, triangulate)
    except MeshFileError:
        raise
    except Exception as e:  # trimesh raises many kinds on a bad file
        raise MeshFileError(f"{path}: could not be read ({type(e).__name__}: {e})") from e
    positions, faces, colours, offset = [], [], [], 0
    for part in parts:
        positions.append(torch.from_numpy(np.asarray(part.vertices, dtype=np.float64)))
        faces.append(torch.from_numpy(np.asarray(part.faces, dtype=np.int64)) + offset)
        offset += len(part.vertices)
        if load_textures:
            colours.append(_part_colours(part, texture_res, texture_type))
    positions, faces = torch.cat(positions), torch.cat(faces)
    unique, inverse = torch.unique(positions, dim=0, return_inverse=True)
    first = torch.full((len(unique),), len(positions), dtype=torch.long).scatter_reduce(
        0, inverse, torch.arange(len(positions)), "amin")
    order = torch.argsort(first)  # keep the file's vertex order
    rank = torch.empty_like(order)
    rank[order] = torch.arange(len(order))
    vertices, faces = unique[order], rank[inverse][faces]
    if normalize:
        lo, hi = vertices.min(0).values, vertices.max(0).values
        vertices = (vertices - (lo + hi) / 2) / ((hi - lo).max() / 2)
    textures = None
    if load_textures:
        corner = torch.cat(colours)
        if texture_type == "vertex":
            sums = torch.zeros(len(vertices), 3).index_add_(0, faces.flatten(), corner.reshape(-1, 3))
            counts = torch.zeros(len(vertices)).index_add_(0, faces.flatten(), torch.ones(faces.numel()))
            textures = sums / counts.clamp(min=1)[:, None]
        else:
            textures = corner
    mesh = Mesh(vertices.to(dtype), faces, None if textures is None else textures.to(dtype)[None],
                texture_type)
    return mesh.to(device) if device is not None else mesh


def save_obj(path, mesh, texture_res_out=None, texel_px=6, index=0, textures=True):
    """Write mesh ``index`` of the batch as OBJ (geometry only with textures=False).

    Surface textures go to an MTL and a PNG atlas: each face gets a square cell of
    texture_res_out * texel_px pixels painted with its texels (resampled from R to
    texture_res_out when they differ), so loading with texture_res=texture_res_out gives the
    texels back. Vertex textures are written as vertex colours ('v x y z r g b').
    """
    path = os.fspath(path)
    folder, stem = os.path.dirname(path) or ".", os.path.splitext(os.path.basename(path))[0]
    os.makedirs(folder, exist_ok=True)
    verts = mesh.vertices[index].detach().cpu().double().numpy()
    faces = mesh.batched_faces()[index].cpu().numpy()
    tex = mesh.textures[min(index, mesh.textures.shape[0] - 1)].detach().cpu().float()
    lines = []
    if not textures:
        lines += [f"v {x:.8g} {y:.8g} {z:.8g}" for x, y, z in verts]
        lines += [f"f {a + 1} {b + 1} {c + 1}" for a, b, c in faces]
    elif mesh.texture_type == "vertex":
        lines += [f"v {x:.8g} {y:.8g} {z:.8g} {r:.6g} {g:.6g} {b:.6g}"
                  for (x, y, z), (r, g, b) in zip(verts, tex.clamp(0, 1).numpy())]
        lines += [f"f {a + 1} {b + 1} {c + 1}" for a, b, c in faces]
    else:
        R_out = texture_res_out or mesh.texture_res
        atlas, uv = _texture_atlas(tex, mesh.texture_res, R_out, texel_px)
        iio.imwrite(os.path.join(folder, stem + ".png"), to_uint8(atlas))
        with open(os.path.join(folder, stem + ".mtl"), "w") as f:
            f.write(f"newmtl material_0\nKd 1 1 1\nmap_Kd {stem}.png\n")
        lines.append(f"mtllib {stem}.mtl")
        lines += [f"v {x:.8g} {y:.8g} {z:.8g}" for x, y, z in verts]
        lines += [f"vt {u:.8g} {v:.8g}" for u, v in uv.reshape(-1, 2).numpy()]
        lines.append("usemtl material_0")
        lines += [f"f {a + 1}/{3 * i + 1} {b + 1}/{3 * i + 2} {c + 1}/{3 * i + 3}"
                  for i, (a, b, c) in enumerate(faces)]
    with open(path, "w") as f:
        f.write("# written by taichiras\n" + "\n".join(lines) + "\n")


def _texture_atlas(tex, R, R_out, texel_px):
    """(atlas image, per-corner uv (F, 3, 2)) holding each face's texels in its own cell."""
    F = tex.shape[0]
    if R_out != R:
        w = texel_barycentrics(R_out)
        tex = tex[:, texel_index(w[:, 0], w[:, 1], R)]
    S = R_out * texel_px
    cols = math.ceil(math.sqrt(F))
    rows = math.ceil(F / cols)
    # Cell pixel (i, j), j right and i down from the cell's top-left; the face maps to the
    # cell's lower-left triangle with w0 along x and w1 up: w0 = (j + 0.5) / S, w1 = (S - i - 0.5) / S.
    j = (torch.arange(S) + 0.5) / S
    i = (S - torch.arange(S) - 0.5) / S
    w1, w0 = torch.meshgrid(i, j, indexing="ij")
    idx = texel_index(w0, w1, R_out)
    cells = tex[:, idx.flatten()].reshape(F, S, S, 3)
    atlas = torch.zeros(rows * S, cols * S, 3)
    r, c = torch.arange(F) // cols, torch.arange(F) % cols
    atlas.view(rows, S, cols, S, 3)[r, :, c] = cells
    Hh, Ww = rows * S, cols * S
    # Corners: vertex 0 at (w0=1) -> cell bottom-right, vertex 1 (w1=1) -> top-left, vertex 2 -> bottom-left.
    x0, y0 = (c * S).float(), (r * S).float()
    corner_px = torch.stack([torch.stack([x0 + S, y0 + S], -1), torch.stack([x0, y0], -1),
                             torch.stack([x0, y0 + S], -1)], 1)  # (F, 3, 2) pixel x, y (down)
    uv = torch.stack([corner_px[..., 0] / Ww, 1 - corner_px[..., 1] / Hh], -1)
    return atlas.clamp(0, 1), uv
