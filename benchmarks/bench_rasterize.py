"""Forward and forward+backward times and peak memory of soft_rasterize.

Cases: icospheres of 1280 faces at 64^2, 5120 at 256^2, 20480 at 512^2, and a batch of 120 views
at 64^2 of a 2704-face UV sphere; each as a silhouette (textures=None, loss on alpha) and in RGB
(one colour per face, loss on RGBA). Prints a markdown table; --out also writes it to a file.

    python benchmarks/bench_rasterize.py [--arch cpu|cuda] [--sigma 1e-4] [--repeats 7]
"""
import argparse
import ctypes
import os
import platform
import statistics
import threading
import time

import torch
import trimesh

import taichiras
from taichiras.cameras import eye_from_angles, look_at, perspective
from taichiras.mesh import gather_faces


def sphere_views(mesh, views, device):
    verts = torch.tensor(mesh.vertices, dtype=torch.float32, device=device)
    faces = torch.tensor(mesh.faces, device=device)
    eyes = eye_from_angles(2.732, 30.0, torch.linspace(0, 360, views + 1)[:views]).to(device)
    return gather_faces(perspective(look_at(verts.expand(views, -1, -1), eyes), fov=30), faces)


CASES = [
    ("icosphere 1280 faces, 64^2", lambda: trimesh.creation.icosphere(subdivisions=3), 1, 64),
    ("icosphere 5120 faces, 256^2", lambda: trimesh.creation.icosphere(subdivisions=4), 1, 256),
    ("icosphere 20480 faces, 512^2", lambda: trimesh.creation.icosphere(subdivisions=5), 1, 512),
    ("120 views of 2704-face sphere, 64^2", lambda: trimesh.creation.uv_sphere(count=[27, 26]), 120, 64),
]


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


class PeakMemory:
    """Peak memory in use above the starting level: CUDA allocator stats, or on the CPU glibc's
    heap bytes in use (malloc'd + mmapped, so freed buffers count as freed), sampled."""

    def __init__(self, device):
        self.device = device

    def __enter__(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self.base = torch.cuda.memory_allocated()
            return self
        self.base = self.peak = self._in_use()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.device.type == "cuda":
            torch.cuda.synchronize()
            self.bytes = torch.cuda.max_memory_allocated() - self.base
        else:
            self.running = False
            self.thread.join()
            self.bytes = max(self.peak, self._in_use()) - self.base

    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallinfo2.restype = _MallInfo2

    @classmethod
    def _in_use(cls):
        info = cls._libc.mallinfo2()
        return info.uordblks + info.hblkhd

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self._in_use())
            time.sleep(0.0005)


def timed(fn, device, repeats):
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--sigma", type=float, default=1e-4)
    ap.add_argument("--gamma", type=float, default=1e-4)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args()
    arch = taichiras.init(args.arch)
    device = torch.device("cuda" if arch == "cuda" else "cpu")
    where = torch.cuda.get_device_name() if arch == "cuda" else \
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    lines = [f"soft_rasterize on {arch} ({where}); sigma={args.sigma:g}, gamma={args.gamma:g}; "
             f"median of {args.repeats}; float32",
             "", "| case | mode | forward (ms) | forward+backward (ms) | peak memory (MiB) |",
             "|---|---|---:|---:|---:|"]
    print("\n".join(lines), flush=True)
    for name, make, views, size in CASES:
        fv0 = sphere_views(make(), views, device).contiguous()
        colours = torch.rand(1, fv0.shape[1], 1, 3, device=device).expand(views, -1, -1, -1).contiguous()
        for mode in ("silhouette", "rgb"):
            tex = None if mode == "silhouette" else colours.clone().requires_grad_()
            fv = fv0.clone().requires_grad_()

            def forward():
                with torch.no_grad():
                    return taichiras.soft_rasterize(fv, tex, image_size=size, sigma_val=args.sigma,
                                                    gamma_val=args.gamma)

            def forward_backward():
                image = taichiras.soft_rasterize(fv, tex, image_size=size, sigma_val=args.sigma,
                                                 gamma_val=args.gamma)
                (image[:, 3].sum() if tex is None else image.sum()).backward()

            t_fwd = timed(forward, device, args.repeats)
            t_all = timed(forward_backward, device, args.repeats)
            with PeakMemory(device) as mem:
                forward_backward()
            row = (f"| {name} | {mode} | {t_fwd * 1e3:.1f} | {t_all * 1e3:.1f} | "
                   f"{mem.bytes / 2 ** 20:.1f} |")
            lines.append(row)
            print(row, flush=True)
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
