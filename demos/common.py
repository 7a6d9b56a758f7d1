"""What every demo shares: its flags, the run loop's progress bar and timing, the live viewer
(or its offscreen frames when headless), the kernel profiler report, GIF and metrics output."""
import json
import os
import time
import warnings

import imageio.v2 as imageio
import numpy as np
from tqdm import tqdm

from taichiras import cli
from taichiras.imaging import to_rgb8
from taichiras.viewer import Viewer, display_available


def parser(description, iters):
    ap = cli.parser(description)
    cli.runtime_arguments(ap, out="out")
    ap.add_argument("--iters", type=int, default=iters, help="iterations")
    ap.add_argument("--headless", action="store_true",
                    help="no window (the default when there is no display): write frames instead")
    ap.add_argument("--frame-every", type=int, default=10, help="viewer frame every N iterations")
    ap.add_argument("--profile", action="store_true",
                    help="print taichi's kernel profiler table and the torch-side time at the end")
    return ap


class Run:
    """Set up taichiras, the viewer and the output folder; then ``for i in run.steps(): ...``."""

    def __init__(self, args, name):
        self.args, self.name = args, name
        cli.start(args, kernel_profiler=args.profile)
        self.headless = args.headless or not display_available()
        self.viewer = None
        try:
            self.viewer = Viewer(f"taichiras {name}", headless=self.headless, snapshot_dir=args.out)
        except Exception as e:  # no Vulkan: run without the viewer
            warnings.warn(f"viewer unavailable ({type(e).__name__}: {e}); running without it")
        self.frames = []
        self.elapsed, self.iters_done = 0.0, 0
        self.postfix = {}

    def steps(self, iters=None):
        iters = self.args.iters if iters is None else iters
        bar = tqdm(range(iters), desc=self.name, dynamic_ncols=True, mininterval=0.5)
        start = time.perf_counter()
        for i in bar:
            yield i
            if self.postfix:
                bar.set_postfix({k: f"{v:.4g}" for k, v in self.postfix.items()}, refresh=False)
        self.elapsed += time.perf_counter() - start
        self.iters_done += iters

    def show(self, step, vertices, faces, images, loss, colours=None, last=False):
        """Update the viewer; keep a frame for the GIF every --frame-every steps and at the end."""
        if loss is not None:
            self.postfix["loss"] = float(loss)
        keep = last or step % self.args.frame_every == 0
        if self.viewer is not None:
            if not self.viewer.update(step, vertices, faces, images, loss, colours):
                raise KeyboardInterrupt("viewer closed")
            if keep:
                self.frames.append(self.viewer.frame())
        elif keep:
            self.frames.append(np.concatenate([to_rgb8(im) for im in images.values()], axis=1))

    def finish(self, metrics, gif_name=None):
        """Write the GIF and metrics.json, print the rate and (with --profile) the profile."""
        rate = self.iters_done / self.elapsed if self.elapsed else float("nan")
        metrics = dict(metrics, iterations=self.iters_done, seconds=round(self.elapsed, 3),
                       iterations_per_second=round(rate, 3))
        if self.frames and gif_name:
            imageio.mimsave(os.path.join(self.args.out, gif_name), self.frames, duration=0.12, loop=0)
            imageio.imwrite(os.path.join(self.args.out, gif_name.replace(".gif", "_final.png")), self.frames[-1])
        with open(os.path.join(self.args.out, "metrics.json"), "w") as f:
            json.dump(metrics, f, indent=2)
        print(f"{self.iters_done} iterations in {self.elapsed:.2f}s ({rate:.2f} it/s); "
              + ", ".join(f"{k}={v}" for k, v in metrics.items() if k not in ("iterations", "seconds", "iterations_per_second")))
        if self.args.profile:
            import taichi as ti
            ti.profiler.print_kernel_profiler_info()
            kernel_s = ti.profiler.get_kernel_profiler_total_time()
            print(f"taichi kernels: {kernel_s:.3f}s; torch and Python around them: "
                  f"{max(self.elapsed - kernel_s, 0):.3f}s of {self.elapsed:.3f}s")
        if self.viewer is not None:
            self.viewer.close()
        return metrics


def load_or(path, make, **kw):
    """A Mesh from a file (--mesh/--target) or made by ``make()``."""
    from taichiras.io import load_mesh
    if path:
        if not os.path.exists(path):
            raise SystemExit(f"no such file: {path}")
        return load_mesh(path, normalize=True, **kw)
    return make()
