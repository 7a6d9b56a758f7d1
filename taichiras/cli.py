"""Command-line conventions shared by the demos, the reconstruction programs and the benchmark."""
import argparse
import os
import random

import numpy as np
import torch

from . import runtime


def runtime_arguments(parser, out=None, seed=0):
    """Add --arch, --seed and --out (with default ``out``; required when None)."""
    parser.add_argument("--arch", default="auto", choices=runtime.ARCHS,
                        help="taichi backend: auto (CUDA when present, else CPU), cpu or cuda")
    parser.add_argument("--seed", type=int, default=seed, help="random seed")
    if out is None:
        parser.add_argument("--out", required=True, help="output folder")
    else:
        parser.add_argument("--out", default=out, help="output folder")
    return parser


def start(args, **init_kwargs):
    """taichiras.init(args.arch), seed torch, numpy and random with args.seed, create args.out."""
    runtime.init(args.arch, **init_kwargs)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    if getattr(args, "out", None):
        os.makedirs(args.out, exist_ok=True)
    return args


def parser(description, **kw):
    """An ArgumentParser that shows the module docstring and option defaults."""
    return argparse.ArgumentParser(description=description, formatter_class=_Formatter, **kw)


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    pass
