"""Single-view reconstruction training: a step lowers the loss, the command line (checkpoints,
resume, log, argument checks), DDP replicas in sync, colour prediction."""
import csv
import os
import socket

import pytest
import torch
import torch.multiprocessing as mp
from isolated import run_isolated
from recon_data import generate_tiny, synsets

from taichiras.recon import evaluate
from taichiras.recon.data import VIEWS, ShapeNetRenderings
from taichiras.recon.model import Reconstructor, make_renderer, reconstruction_loss
from taichiras.recon.train import main, parse, train


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory):
    return generate_tiny(tmp_path_factory.mktemp("synthetic"))


def test_one_training_step_reduces_the_loss(tiny_data):
    torch.manual_seed(0)
    data = ShapeNetRenderings(tiny_data, synsets(), "train")
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


def log_rows(out):
    with open(os.path.join(out, "log.csv"), newline="") as f:
        return list(csv.DictReader(f))


def train_resume_evaluate(data, out):
    """Train 2 steps; fake a step logged after the checkpoint by an interrupted run; resume to
    4 steps with another --lr; evaluate the checkpoint (in a fresh process: train inits taichi)."""
    args = ["--data", data, "--out", out, "--batch-size", "4", "--checkpoint-every", "2", "--sample-every", "2",
            "--arch", "cpu"]
    main([*args, "--iters", "2", "--lr", "1e-4"])
    state = torch.load(os.path.join(out, "checkpoint.pt"))
    assert set(state) == {"model", "optimizer", "step", "seconds", "classes", "colour"} and state["step"] == 2
    with open(os.path.join(out, "log.csv"), "a", newline="") as f:
        csv.writer(f).writerow([2, 9.0, 9.0, 9.0, 9.0, 1e-4, 99.0])
    main([*args, "--iters", "4", "--lr", "5e-4", "--resume"])
    state = torch.load(os.path.join(out, "checkpoint.pt"))
    assert state["step"] == 4 and {g["lr"] for g in state["optimizer"]["param_groups"]} == {5e-4}
    rows = log_rows(out)
    assert [r["step"] for r in rows] == ["0", "1", "2", "3"] and rows[2]["loss"] != "9.0"
    seconds = [float(r["seconds"]) for r in rows]
    assert seconds == sorted(seconds) and seconds[2] >= seconds[1] > 0 and state["seconds"] >= seconds[3]
    assert os.path.exists(os.path.join(out, "sample_000004.png"))
    assert not [f for f in os.listdir(out) if f.endswith(".tmp")]
    evaluate.main(["--data", data, "--checkpoint", os.path.join(out, "checkpoint.pt"), "--out",
                   os.path.join(out, "eval"), "--views", "2", "--arch", "cpu"])
    with open(os.path.join(out, "eval", "table.md")) as f:
        assert "| **mean** |" in f.read()
    assert os.path.exists(os.path.join(out, "eval", f"{synsets()[0]}_000.obj"))


def test_train_checkpoint_resume_and_evaluate(tiny_data, tmp_path):
    run_isolated("test_recon_train:train_resume_evaluate", tiny_data, str(tmp_path / "run"))


@pytest.mark.parametrize("option, value", [("--iters", "-5"), ("--iters", "0"), ("--checkpoint-every", "0"),
                                           ("--sample-every", "-1"), ("--batch-size", "0"), ("--lr", "0"),
                                           ("--lr", "nan"), ("--sigma", "-1e-4")])
def test_bad_arguments_are_argparse_errors(option, value, capsys):
    with pytest.raises(SystemExit) as exit:
        parse(["--data", "d", "--out", "o", option, value])
    assert exit.value.code == 2 and option in capsys.readouterr().err


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
    data = ShapeNetRenderings(tiny_data, synsets()[:1], "train")
    model = Reconstructor(colour=True)
    idx, va, vb = torch.arange(3), torch.tensor([0, 5, 9]), torch.tensor([3, 11, 17])
    a, b = data.views(idx, va), data.views(idx, vb)
    vertices, colours = model(a)
    assert colours.shape == (3, 642, 3) and 0 <= colours.min() and colours.max() <= 1
    loss, parts, pred = reconstruction_loss(model, make_renderer(), vertices, colours, a, b, va, vb)
    assert parts["colour"] > 0 and pred[:, :3].abs().sum() > 0
    loss.backward()
    assert model.decoder.fc_colour.weight.grad.abs().sum() > 0
