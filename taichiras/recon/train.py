"""Train single-view reconstruction from multi-view silhouettes.

    python -m taichiras.recon.train --data data/synthetic --out runs/recon --iters 2000
    torchrun --nproc_per_node 2 -m taichiras.recon.train ...      # DistributedDataParallel

Each step takes a batch of objects, one random view as the input image and a second random
view, renders the predicted mesh from both and scores silhouette IoU (+ Laplacian and flatten
regularisers). Writes checkpoints (model, optimiser, step; --resume continues), log.csv and
sample images (input | predicted silhouettes | target) into --out. With torchrun each process
takes its share of the batch (gloo on the CPU, nccl on GPUs) and gradients are averaged.

checkpoint.pt holds what resuming needs: the weights (26M parameters, 104 MB; the encoder's
16384 x 1024 layer, as SoftRas's, is 67 MB of it), Adam's two moment estimates (208 MB), the
step and the seconds trained. --resume continues from it with this run's --lr; log.csv keeps
the steps before the checkpoint and counts seconds on.
"""
import csv
import os
import time

import numpy as np
import torch
import torch.distributed as dist
from tqdm import tqdm

from .. import cli
from ..imaging import image_grid, save_image, to_rgb8
from .arguments import count, positive
from .data import VIEWS, DataFormatError, ShapeNetRenderings, classes_in, write_replacing
from .model import Reconstructor, make_renderer, reconstruction_loss

LOG_FIELDS = ["step", "loss", "iou_loss", "laplacian", "flatten", "sigma", "seconds"]


def parse(argv=None):
    ap = cli.parser(__doc__)
    ap.add_argument("--data", required=True, help="folder of <class>_<split>_{images,voxels}.npz")
    ap.add_argument("--classes", nargs="+", help="class ids (default: every class in --data)")
    cli.runtime_arguments(ap)
    ap.add_argument("--iters", type=count, default=2000, help="training steps (in all, counting resumed ones)")
    ap.add_argument("--batch-size", type=count, default=32, help="global batch (split over processes)")
    ap.add_argument("--lr", type=positive, default=1e-4, help="Adam learning rate")
    ap.add_argument("--sigma", type=positive, default=1e-4, help="final sigma")
    ap.add_argument("--sigma-start", type=positive, default=None, help="sigma at step 0 (log-linear schedule)")
    ap.add_argument("--colour", action="store_true", help="also predict vertex colours")
    ap.add_argument("--checkpoint-every", type=count, default=200, help="steps between checkpoints")
    ap.add_argument("--sample-every", type=count, default=200, help="steps between sample images")
    ap.add_argument("--resume", action="store_true", help="continue from --out/checkpoint.pt")
    return ap.parse_args(argv)


def distributed():
    """(rank, world size), initialising the process group when launched by torchrun."""
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        if not dist.is_initialized():
            dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def sigma_at(args, step):
    if args.sigma_start is None:
        return args.sigma
    s = step / max(args.iters - 1, 1)
    return float(np.exp(np.log(args.sigma_start) * (1 - s) + np.log(args.sigma) * s))


def save_sample(path, images, pred, target):
    """Rows of input (on white) | predicted silhouette | target silhouette."""
    rows = [[to_rgb8(im, background=(1, 1, 1)), p[3], t[3]]
            for im, p, t in zip(images[:8], pred[:8], target[:8])]
    titles = [["input", "predicted", "target"]] + [None] * (len(rows) - 1)
    save_image(path, image_grid(rows, titles=titles))


def open_log(path, first_step):
    """log.csv for appending rows from ``first_step`` on: a new file with its header, or (on
    resume) the old one without the rows of steps >= first_step (logged after the checkpoint by
    an interrupted run). Returns (file, csv writer)."""
    rows = []
    if first_step > 0 and os.path.exists(path):
        with open(path, newline="") as f:
            rows = [r for r in csv.DictReader(f) if r.get("step", "").isdigit() and int(r["step"]) < first_step]

    def write(tmp):
        with open(tmp, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(LOG_FIELDS)
            writer.writerows([[r.get(k, "") for k in LOG_FIELDS] for r in rows])
    write_replacing(path, write)
    log = open(path, "a", newline="")
    return log, csv.writer(log)


def train(args):
    rank, world = distributed()
    cli.start(args)
    device = torch.device("cuda", rank % max(torch.cuda.device_count(), 1)) if torch.cuda.is_available() \
        else torch.device("cpu")
    classes = args.classes or classes_in(args.data)
    if not classes:
        raise SystemExit(f"--data: no <class>_train_images.npz in {args.data}")
    try:
        data = ShapeNetRenderings(args.data, classes, "train")
    except (FileNotFoundError, DataFormatError) as e:
        raise SystemExit(f"--data: {e}") from None
    model = Reconstructor(colour=args.colour).to(device)
    optimizer = torch.optim.Adam(model.parameters(), args.lr, betas=(0.5, 0.999))
    step, seconds = 0, 0.0
    ckpt = os.path.join(args.out, "checkpoint.pt")
    if args.resume and os.path.exists(ckpt):
        state = torch.load(ckpt, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        for group in optimizer.param_groups:
            group["lr"] = args.lr
        step, seconds = state["step"], state.get("seconds", 0.0)
    elif args.resume and rank == 0:
        print(f"--resume: no {ckpt} yet; starting from step 0")
    net = model
    if world > 1:
        # The Laplacian's sparse matrix is a constant of the template; DDP cannot broadcast sparse.
        sparse = [n for n, b in model.named_buffers() if b.is_sparse]
        torch.nn.parallel.DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(model, sparse)
        net = torch.nn.parallel.DistributedDataParallel(model)
    renderer = make_renderer()
    local_batch = args.batch_size // world
    if local_batch < 1:
        raise ValueError(f"--batch-size {args.batch_size} is smaller than the {world} processes")
    os.makedirs(args.out, exist_ok=True)
    log = None
    if rank == 0:
        log, writer = open_log(os.path.join(args.out, "log.csv"), step)
    bar = tqdm(range(step, args.iters), desc="train", disable=rank != 0, initial=step, total=args.iters)
    start = time.perf_counter()
    for step in bar:
        g = torch.Generator().manual_seed(args.seed * 100003 + step * 997 + rank)
        idx = torch.randint(len(data), (local_batch,), generator=g)
        va = torch.randint(VIEWS, (local_batch,), generator=g)
        vb = torch.randint(VIEWS, (local_batch,), generator=g)
        images_a, images_b = data.views(idx, va).to(device), data.views(idx, vb).to(device)
        renderer.set_sigma(sigma_at(args, step))
        vertices, colours = net(images_a)
        loss, parts, pred = reconstruction_loss(model, renderer, vertices, colours, images_a, images_b, va, vb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if rank == 0:
            writer.writerow([step, f"{loss.item():.6f}", f"{parts['iou_loss']:.6f}", f"{parts['laplacian']:.6f}",
                             f"{parts['flatten']:.6f}", f"{sigma_at(args, step):.3g}",
                             f"{seconds + time.perf_counter() - start:.2f}"])
            bar.set_postfix(loss=f"{loss.item():.4f}", iou=f"{1 - parts['iou_loss']:.3f}", refresh=False)
            last = step == args.iters - 1
            if (step + 1) % args.sample_every == 0 or last:
                save_sample(os.path.join(args.out, f"sample_{step + 1:06d}.png"), images_a, pred[:local_batch], images_a)
            if (step + 1) % args.checkpoint_every == 0 or last:
                log.flush()
                state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step + 1,
                         "seconds": seconds + time.perf_counter() - start, "classes": classes, "colour": args.colour}
                write_replacing(ckpt, lambda tmp: torch.save(state, tmp))
    if log is not None:
        log.close()
        elapsed = time.perf_counter() - start
        done = args.iters - bar.initial
        if done <= 0:
            print(f"nothing to do: the checkpoint is at step {bar.initial} and --iters is {args.iters}")
        else:
            print(f"{done} steps in {elapsed:.1f}s ({elapsed / done:.3f} s/step at batch {args.batch_size})")
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return model


def main(argv=None):
    train(parse(argv))


if __name__ == "__main__":
    main()
