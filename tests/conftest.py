import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(__file__))

import taichiras  # noqa: E402

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")


@pytest.fixture(scope="session", autouse=True)
def taichi_cpu():
    """IEEE maths on the CPU so float64 comparisons and gradchecks are tight."""
    taichiras.init("cpu", fast_math=False)
    yield


def random_scene(B=2, F=6, R=2, vertex=False, dtype=torch.float64, seed=0, spread=0.8):
    """Random faces in front of the camera, x, y in [-spread, spread], z in [1.5, 4.5]."""
    g = torch.Generator().manual_seed(seed)
    fv = torch.rand(B, F, 3, 3, generator=g, dtype=dtype) * 2 * spread - spread
    fv[..., 2] = torch.rand(B, F, 3, generator=g, dtype=dtype) * 3 + 1.5
    tex = torch.rand(B, F, 3 if vertex else R * R, 3, generator=g, dtype=dtype)
    return fv, tex
