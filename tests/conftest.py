"""Fixtures. The suite runs on the backend named by TAICHIRAS_TEST_ARCH (cpu by default);
tests/test_cuda.py reruns the core files with it set to cuda where a GPU is present."""
import os

import pytest
import torch

import taichiras

ARCH = os.environ.get("TAICHIRAS_TEST_ARCH", "cpu")


@pytest.fixture(scope="session", autouse=True)
def taichi_backend():
    """IEEE maths so float64 comparisons and gradchecks are tight."""
    taichiras.init(ARCH, fast_math=False)
    yield


@pytest.fixture(scope="session")
def device():
    """The torch device whose tensors the taichi kernels read in place."""
    return torch.device("cuda" if ARCH == "cuda" else "cpu")
