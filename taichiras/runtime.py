"""Taichi initialisation: backend choice and precision flags."""
import taichi as ti
import torch

from .kernels import clear_kernel_caches

ARCHS = ("auto", "cpu", "cuda")
_state = {"arch": None}


def init(arch="auto", fast_math=True, debug=False, **kwargs):
    """Initialise taichi for taichiras.

    arch: 'auto' (CUDA when a GPU is there, else CPU), 'cpu' or 'cuda'. fast_math=False gives
    IEEE float maths (wanted for float64 gradient checks). Extra keyword arguments go to ti.init.
    Calling it again re-initialises taichi (compiled kernels are dropped). Optional: the first
    soft_rasterize call runs ``init('auto')``.
    """
    if arch not in ARCHS:
        raise ValueError(f"arch must be one of {ARCHS}, got {arch!r}")
    if arch == "auto":
        arch = "cuda" if torch.cuda.is_available() else "cpu"
    if arch == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("arch='cuda' asked for, but torch sees no CUDA device")
    clear_kernel_caches()
    ti.init(arch=ti.cuda if arch == "cuda" else ti.cpu, fast_math=fast_math, debug=debug,
            log_level=kwargs.pop("log_level", ti.WARN), **kwargs)
    _state["arch"] = arch
    return arch


def current_arch():
    """The arch taichiras runs on ('cpu' or 'cuda'), initialising with 'auto' if needed."""
    if _state["arch"] is None:
        init("auto")
    return _state["arch"]


def compute_device():
    """The torch device whose memory the taichi kernels read and write."""
    return torch.device("cuda", torch.cuda.current_device()) if current_arch() == "cuda" \
        else torch.device("cpu")
