"""Run a SoftRas script unchanged on taichiras.

    python -m taichiras.compat.run [--device auto|cpu|cuda] script.py [script arguments]

registers ``soft_renderer`` and its submodules as the compat layer (``taichiras.compat.install``)
and runs the script as ``__main__``, with its folder first on sys.path and sys.argv as it would
see it. ``--device cpu`` (what ``auto`` picks where torch sees no CUDA) runs on the CPU: the
script's ``.cuda()`` calls on tensors and modules move them to the CPU instead, and
``torch.load`` maps CUDA checkpoints to the CPU, so a script written for a GPU runs on a laptop.
"""
import argparse
import functools
import os
import runpy
import sys

import torch

import taichiras
from taichiras.compat import install


def map_cuda_to_cpu():
    """Make ``Tensor.cuda()`` and ``Module.cuda()`` go to the CPU, and ``torch.load`` default to
    map_location='cpu'."""
    def tensor_cuda(self, device=None, non_blocking=False, memory_format=torch.preserve_format):
        return self.to("cpu", non_blocking=non_blocking, memory_format=memory_format)

    def module_cuda(self, device=None):
        return self.cpu()

    load = torch.load

    @functools.wraps(load)
    def cpu_load(*args, **kwargs):
        if len(args) < 2:
            kwargs.setdefault("map_location", "cpu")
        return load(*args, **kwargs)

    torch.Tensor.cuda = tensor_cuda
    torch.nn.Module.cuda = module_cuda
    torch.load = cpu_load


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m taichiras.compat.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                    help="where the script runs: auto (CUDA when torch sees it, else the CPU), cpu or cuda")
    ap.add_argument("script", help="the SoftRas script (a .py file)")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    args = ap.parse_args(argv)
    device = args.device if args.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        ap.error("--device cuda: torch sees no CUDA device (use --device cpu)")
    if not os.path.isfile(args.script):
        ap.error(f"script: no such file: {args.script}")
    install()
    if device == "cpu":
        map_cuda_to_cpu()
    taichiras.init(device)
    sys.argv = [args.script, *args.args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
    runpy.run_path(args.script, run_name="__main__")


if __name__ == "__main__":
    main()
