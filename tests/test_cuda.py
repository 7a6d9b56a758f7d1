"""The same test bodies on CUDA: the backend-parametrised files rerun with TAICHIRAS_TEST_ARCH=cuda
(only where a GPU is present)."""
import os
import subprocess
import sys

import pytest
import torch

from conftest import ARCH

pytestmark = [pytest.mark.cuda, pytest.mark.skipif(
    not torch.cuda.is_available(), reason="no CUDA device here: CUDA tests skipped")]

CORE = ["test_forward.py", "test_gradients.py", "test_binning.py", "test_degenerate.py",
        "test_debug_mode.py"]


@pytest.mark.skipif(ARCH == "cuda", reason="already running on CUDA")
def test_core_suite_on_cuda():
    tests = os.path.dirname(os.path.abspath(__file__))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", *[os.path.join(tests, f) for f in CORE]],
                         capture_output=True, text=True, env=dict(os.environ, TAICHIRAS_TEST_ARCH="cuda"))
    assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]
