"""Single-view reconstruction: loader, a training step, DDP in sync, evaluation."""
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp

from taichiras.recon import synthetic
from taichiras.recon.data import VIEWS, ShapeNetRenderings, open_npz_member
from taichiras.recon.evaluate import evaluate, table
from taichiras.recon.model import Reconstructor, make_renderer, reconstruction_loss
from taichiras.recon.train import parse, train


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    synthetic.generate(str(root), ("chair", "airplane"), n_train=3, n_test=2, seed=1, progress=False)
    return str(root)


def test_loader_memory_maps_and_reads(tiny_data):
    data = ShapeNetRenderings(tiny_data, ["chair", "airplane"], "train")
    assert len(data) == 6
    assert isinstance(data.images["chair"], np.memmap) and isinstance(data.voxels["chair"], np.memmap)
    item = data[4]
    assert item["class_id"] == "airplane" and item["images"].shape == (VIEWS, 4, 64, 64)
    assert item["images"].dtype == torch.float32 and 0 <= item["images"].min() and item["images"].max() <= 1
    assert item["voxels"].shape == (32, 32, 32) and item["voxels"].sum() > 50
    assert 0.02 < item["images"][:, 3].mean() < 0.5
    views = data.views([0, 4], [3, 7])
    torch.testing.assert_close(views[1], item["images"][7])


def test_loader_compressed_npz_and_errors(tiny_data, tmp_path):
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.savez_compressed(tmp_path / "c.npz", a)
    m = open_npz_member(str(tmp_path / "c.npz"))
    assert isinstance(m, np.memmap) and np.array_equal(m, a)
    with pytest.raises(FileNotFoundError, match="missing"):
        ShapeNetRenderings(tiny_data, ["sofa"], "train")
    with pytest.raises(ValueError, match="class_ids"):
        ShapeNetRenderings(tiny_data, [], "train")


def test_one_training_step_reduces_the_loss(tiny_data):
    torch.manual_seed(0)
    data = ShapeNetRenderings(tiny_data, ["chair", "airplane"], "train")
    model = Reconstructor()
    renderer = make_renderer()
    optimizer = torch.optim.Adam(model.parameters(), 1e-4)
    idx, va, vb = torch.arange(6), torch.arange(6) % VIEWS, (torch.arange(6) * 5) % VIEWS
    a, b = data.views(idx, va), data.views(idx, vb)
    losses = []
    for _ in range(2):
        vertices, colours = model(a)
        loss, parts, _ = reconstruction_loss(model, renderer, vertices, colours, a, b, va, vb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[1] < losses[0]
    assert vertices.abs().max() < 0.5


def test_train_checkpoint_resume_and_evaluate_cli(tiny_data, tmp_path):
    out = str(tmp_path / "run")
    args = ["--data", tiny_data, "--out", out, "--batch-size", "4", "--checkpoint-every", "2",
            "--sample-every", "2", "--arch", "cpu"]
    run = subprocess.run([sys.executable, "-m", "taichiras.recon.train", *args, "--iters", "2"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert torch.load(os.path.join(out, "checkpoint.pt"))["step"] == 2
    run = subprocess.run([sys.executable, "-m", "taichiras.recon.train", *args, "--iters", "3", "--resume"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert torch.load(os.path.join(out, "checkpoint.pt"))["step"] == 3
    with open(os.path.join(out, "log.csv")) as f:
        assert [line.split(",")[0] for line in f.read().split()[1:]] == ["0", "1", "2"]
    assert os.path.exists(os.path.join(out, "sample_000002.png"))
    ev = str(tmp_path / "eval")
    run = subprocess.run([sys.executable, "-m", "taichiras.recon.evaluate", "--data", tiny_data, "--checkpoint",
                          os.path.join(out, "checkpoint.pt"), "--out", ev, "--views", "2", "--arch", "cpu"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| **mean** |" in run.stdout and os.path.exists(os.path.join(ev, "chair_000.obj"))


def test_evaluation_of_a_perfect_prediction_is_one(tiny_data):
    results = evaluate(None, tiny_data, ["chair", "airplane"], views=3, progress=False,
                       predict=lambda images, item: (item["voxels"][None].expand(len(images), -1, -1, -1), None))
    for ours, baseline in results.values():
        assert ours == 1.0 and 0 < baseline < 1
    assert "| **mean** | **100.0** |" in table(results)


def _ddp_worker(rank, world, port, data, out):
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), OMP_NUM_THREADS="1")
    model = train(parse(["--data", data, "--out", out, "--iters", "3", "--batch-size", "4",
                         "--arch", "cpu", "--checkpoint-every", "100", "--sample-every", "100"]))
    torch.save(model.state_dict(), os.path.join(out, f"rank{rank}.pt"))


def test_ddp_two_gloo_processes_stay_in_sync(tiny_data, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = str(tmp_path)
    mp.start_processes(_ddp_worker, args=(2, port, tiny_data, out), nprocs=2, join=True, start_method="spawn")
    a, b = (torch.load(os.path.join(out, f"rank{r}.pt")) for r in (0, 1))
    fresh = Reconstructor().state_dict()
    moved = False
    for name in a:
        if a[name].is_floating_point() and not a[name].is_sparse and "running" not in name:
            torch.testing.assert_close(a[name], b[name], rtol=0, atol=1e-6, msg=name)
            moved |= not torch.equal(a[name], fresh[name])
    assert moved
    assert torch.load(os.path.join(out, "checkpoint.pt"))["step"] == 3


def test_colour_prediction_adds_a_colour_loss(tiny_data):
    torch.manual_seed(0)
    data = ShapeNetRenderings(tiny_data, ["chair"], "train")
    model = Reconstructor(colour=True)
    idx, va, vb = torch.arange(3), torch.tensor([0, 5, 9]), torch.tensor([3, 11, 17])
    a, b = data.views(idx, va), data.views(idx, vb)
    vertices, colours = model(a)
    assert colours.shape == (3, 642, 3) and 0 <= colours.min() and colours.max() <= 1
    loss, parts, pred = reconstruction_loss(model, make_renderer(), vertices, colours, a, b, va, vb)
    assert parts["colour"] > 0 and pred[:, :3].abs().sum() > 0
    loss.backward()
    assert model.decoder.fc_colour.weight.grad.abs().sum() > 0
