"""A live GGUI window for optimisation loops: the current mesh in 3D (drag to orbit), images
side by side (e.g. rendered vs target) and the loss curve.

    viewer = Viewer(headless=None)                  # None: headless when there is no display
    for step in range(n):
        ...
        if not viewer.update(step, vertices, faces, {"rendered": img, "target": tgt}, loss):
            break                                    # window closed
    viewer.close()

Keys: space pauses/resumes, S saves a snapshot (also the GUI buttons). Headless, the same frames
are drawn offscreen when asked for (GGUI on software Vulkan works on the CPU): ``frame()``
returns the current one as an image.
"""
import math
import os

import numpy as np
import taichi as ti
import torch
from PIL import Image, ImageDraw

from .imaging import to_rgb8

BACKGROUND = (0.12, 0.13, 0.15)


def display_available():
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class Viewer:
    """See the module docstring. size: window (width, height); the 3D panel is the left square."""

    def __init__(self, title="taichiras", size=(960, 400), headless=None, out_dir=None,
                 snapshot_dir=".", auto_orbit=4.0):
        if ti.lang.impl.get_runtime().prog is None:
            raise RuntimeError("call taichiras.init() before creating a Viewer")
        self.headless = (not display_available()) if headless is None else headless
        self.W, self.H = size
        self.window = ti.ui.Window(title, (self.W, self.H), show_window=not self.headless, vsync=False)
        self.canvas = self.window.get_canvas()
        self.scene = self.window.get_scene()
        self.camera = ti.ui.Camera()
        self.background = ti.Vector.field(3, ti.f32, (self.W, self.H))
        self.azimuth, self.elevation = 30.0, 20.0
        self.losses = []
        self.paused = False
        self.snapshot_dir = snapshot_dir
        self._drag = None
        self._fields = None
        self._last = None
        self.auto_orbit = auto_orbit  # degrees per headless frame, so saved frames show the 3D shape

    # --- drawing ---
    def _panel(self, images, loss_label):
        """The 2D part: image panels to the right of the 3D square, the loss curve under them."""
        H, W = self.H, self.W
        canvas = Image.new("RGB", (W, H), tuple(int(255 * c) for c in BACKGROUND))
        draw = ImageDraw.Draw(canvas)
        n = max(len(images), 1)
        side = min((W - H) // n, H * 2 // 3) - 8
        for k, (name, image) in enumerate(images.items()):
            x0 = H + 4 + k * (side + 8)
            canvas.paste(Image.fromarray(to_rgb8(image, size=side)), (x0, 4))
            draw.text((x0 + 4, side - 10), name, fill=(255, 255, 255))
        top, left, bottom, right = side + 16, H + 8, H - 16, W - 8
        draw.rectangle([left, top, right, bottom], outline=(90, 90, 90))
        if len(self.losses) > 1:
            values = np.log10(np.maximum(np.asarray(self.losses, dtype=np.float64), 1e-12))
            lo, hi = values.min(), values.max()
            xs = left + (right - left) * np.arange(len(values)) / (len(values) - 1)
            ys = bottom - (bottom - top) * ((values - lo) / (hi - lo) if hi > lo else 0.5 * np.ones_like(values))
            draw.line(list(zip(xs.tolist(), ys.tolist())), fill=(255, 170, 60), width=2)
        draw.text((left + 6, top + 4), loss_label, fill=(230, 230, 230))
        draw.text((4, H - 14), "drag: orbit   space: pause   S: snapshot", fill=(160, 160, 160))
        return np.asarray(canvas)

    def _set_mesh(self, vertices, faces, colours):
        V, F = vertices.shape[0], faces.shape[0]
        if self._fields is None or self._fields[0].shape[0] != V or self._fields[1].shape[0] != F * 3:
            self._fields = (ti.Vector.field(3, ti.f32, V), ti.field(ti.i32, F * 3),
                            ti.Vector.field(3, ti.f32, V), ti.Vector.field(3, ti.f32, V))
        pos, idx, nrm, col = self._fields
        v = vertices.detach().float().cpu()
        f = faces.detach().long().cpu()
        cross = torch.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]], dim=-1)
        normals = torch.zeros_like(v).index_add_(0, f.flatten(), cross.repeat_interleave(3, 0))
        normals = torch.nn.functional.normalize(normals, dim=-1)
        colours = torch.tensor([0.85, 0.75, 0.6]).expand_as(v) if colours is None \
            else torch.as_tensor(colours).detach().float().cpu().reshape(V, 3)
        pos.from_numpy(v.numpy())
        idx.from_numpy(f.flatten().int().numpy())
        nrm.from_numpy(normals.numpy())
        col.from_numpy(colours.clamp(0, 1).contiguous().numpy())
        return v

    def _place_camera(self, v):
        """Orbit camera around the mesh, shifted so the mesh sits in the left square panel."""
        centre = (v.max(0).values + v.min(0).values) / 2
        radius = float((v - centre).norm(dim=-1).max()) or 1.0
        fov = 40.0
        dist = radius / (0.7 * math.tan(math.radians(fov / 2)))
        el, az = math.radians(self.elevation), math.radians(self.azimuth)
        forward = -torch.tensor([math.cos(el) * math.sin(az), math.sin(el), -math.cos(el) * math.cos(az)])
        right = torch.nn.functional.normalize(torch.linalg.cross(forward, torch.tensor([0.0, 1.0, 0.0])), dim=0)
        panel_x = (self.H / 2 - self.W / 2) / (self.W / 2)  # NDC x of the 3D panel's centre
        shift = -panel_x * dist * math.tan(math.radians(fov / 2)) * (self.W / self.H)
        target = centre + right * shift
        eye = target - forward * dist
        self.camera.position(*eye.tolist())
        self.camera.lookat(*target.tolist())
        self.camera.up(0.0, 1.0, 0.0)
        self.camera.fov(fov)

    def _handle_input(self):
        win = self.window
        for e in win.get_events(ti.ui.PRESS):
            if e.key == " ":
                self.paused = not self.paused
            elif e.key in ("s", "S"):
                self.snapshot()
        if win.is_pressed(ti.ui.LMB):
            x, y = win.get_cursor_pos()
            if self._drag is not None:
                self.azimuth -= (x - self._drag[0]) * 300
                self.elevation = max(-85.0, min(85.0, self.elevation + (y - self._drag[1]) * 200))
            self._drag = (x, y)
        else:
            self._drag = None
        gui = win.get_gui()
        with gui.sub_window("taichiras", 0.01, 0.01, 0.22, 0.16) as w:
            w.text(self._last[4] if self._last else "")
            if w.button("resume" if self.paused else "pause"):
                self.paused = not self.paused
            if w.button("snapshot"):
                self.snapshot()

    def _draw(self):
        step, vertices, faces, images, label, colours = self._last
        panel = self._panel(images, label)
        self.background.from_numpy(np.ascontiguousarray(panel[::-1].transpose(1, 0, 2)).astype(np.float32) / 255)
        v = self._set_mesh(vertices, faces, colours)
        self._place_camera(v)
        self.canvas.set_image(self.background)
        self.scene.set_camera(self.camera)
        self.scene.ambient_light((0.35, 0.35, 0.35))
        eye = self.camera.curr_position
        self.scene.point_light(pos=(eye[0], eye[1] + 2.0, eye[2]), color=(0.9, 0.9, 0.9))
        pos, idx, nrm, col = self._fields
        self.scene.mesh(pos, indices=idx, normals=nrm, per_vertex_color=col, two_sided=True)
        self.canvas.scene(self.scene)

    def update(self, step, vertices, faces, images=None, loss=None, colours=None):
        """Draw one frame. vertices (V, 3) (or (1, V, 3)), faces (F, 3); images: name -> image;
        loss: a float added to the curve. Returns False once the window is closed. While paused
        (live window), it keeps drawing and returns only when resumed."""
        if vertices.ndim == 3:
            vertices = vertices[0]
        if faces.ndim == 3:
            faces = faces[0]
        if loss is not None:
            self.losses.append(float(loss))
        label = f"step {step}" + (f"   loss {float(loss):.4g}" if loss is not None else "")
        self._last = (step, vertices, faces, dict(images or {}), label, colours)
        if self.headless:
            return True  # drawn on demand by frame(): GGUI only flushes its draw list when read
        while True:
            if not self.window.running:
                return False
            self._handle_input()
            self._draw()
            self.window.show()
            if not self.paused:
                return True

    def frame(self):
        """The current frame as an (H, W, 3) uint8 array (top row first)."""
        if self._last is None:
            raise RuntimeError("frame(): nothing to draw yet; call update() first")
        if self.headless:
            self.azimuth += self.auto_orbit
            self._draw()
        buf = self.window.get_image_buffer_as_numpy()  # (W, H, 4), y up
        return to_rgb8(buf[..., :3].transpose(1, 0, 2)[::-1].copy())

    def snapshot(self, path=None):
        path = path or os.path.join(self.snapshot_dir, f"snapshot_{len(self.losses):05d}.png")
        Image.fromarray(self.frame()).save(path)
        return path

    def close(self):
        if not self.headless and self.window.running:
            self.window.destroy()
