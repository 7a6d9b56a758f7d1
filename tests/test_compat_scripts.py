"""SoftRas scripts run unchanged: the scripts in tests/softras_scripts are written as published
SoftRas code is (``import soft_renderer as sr``, ``.cuda()``), in both API generations; they run
under ``python -m taichiras.compat.run --device cpu``. Imports of the aliased package work in
every form."""
import json
import os
import subprocess
import sys

import numpy as np
import torch
from isolated import ROOT, run_isolated

from taichiras import data

SCRIPTS = os.path.join(ROOT, "tests", "softras_scripts")


def _check_import_forms(package):
    import soft_renderer as sr
    import soft_renderer.functional as srf
    import soft_renderer.transform
    from soft_renderer import functional, rasterizer
    from soft_renderer.functional import get_points_from_angles, look_at
    from soft_renderer.mesh import Mesh
    from soft_renderer.transform import LookAt

    assert sr is package and functional is package.functional and rasterizer is package.rasterizer
    assert srf.look_at is look_at and get_points_from_angles is package.functional.get_points_from_angles
    mesh = Mesh(srf.get_points_from_angles(0.5, [0.0, 0.0, 90.0], [0.0, 90.0, 0.0]), torch.tensor([[0, 1, 2]]))
    for camera in (LookAt(viewing_angle=15), soft_renderer.transform.LookAt(viewing_angle=15)):
        image = sr.SoftRasterizer(image_size=16)(camera(mesh))  # whichever copy the names come from
        assert image.shape == (1, 4, 16, 16) and image[0, 3].sum() > 1
    return srf, Mesh


def import_forms_after_install():
    """install(): one module object per name, in every import form."""
    import taichiras.compat
    package = taichiras.compat.install()
    srf, mesh_class = _check_import_forms(package)
    assert srf is package.functional and mesh_class is package.Mesh
    for name in taichiras.compat.SUBMODULES:
        assert sys.modules[f"soft_renderer.{name}"] is getattr(package, name)


def import_forms_with_a_hand_made_alias():
    """Only the top-level package aliased by hand (issue 8: 'attempted relative import beyond
    top-level package'): submodules import in every form."""
    import taichiras.compat.soft_renderer as package
    sys.modules["soft_renderer"] = package
    _check_import_forms(package)


def test_submodule_imports_in_every_form():
    run_isolated("test_compat_scripts:import_forms_after_install")
    run_isolated("test_compat_scripts:import_forms_with_a_hand_made_alias")


def run_scripts(*runs):
    """Each run: (script name, its arguments), through the runner's main in this process."""
    from taichiras.compat import run
    for script, args in runs:
        run.main(["--device", "cpu", os.path.join(SCRIPTS, script), *args])


def _metrics(path):
    with open(path) as f:
        return json.load(f)


def test_runner_runs_a_cuda_script_on_the_cpu(tmp_path):
    """The legacy render script calls .cuda() on its renderer; on this machine (or with --device
    cpu) that goes to the CPU."""
    out = tmp_path / "render"
    proc = subprocess.run([sys.executable, "-m", "taichiras.compat.run", "--device", "cpu",
                           os.path.join(SCRIPTS, "legacy_render.py"), "-i", data.path("spot"), "-o", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {"rotation.gif", "saved_spot.obj", "saved_spot.mtl", "saved_spot.png"} <= set(os.listdir(out))
    frames = np.load(out / "frames.npy")
    assert frames.shape == (6, 64, 64, 4) and (frames[..., 3] > 250).mean() > 0.05
    assert np.abs(frames[0].astype(int) - frames[1]).max() > 100
    assert frames[0][frames[0][..., 3] > 250][:, :3].std() > 5  # textured, not flat
    partial = _metrics(out / "metrics.json")["partial_pixels"]
    assert partial[-1] > partial[0]  # the blur sweep widens the soft edges
    bad = subprocess.run([sys.executable, "-m", "taichiras.compat.run", "missing.py"], capture_output=True,
                         text=True, timeout=600)
    assert bad.returncode == 2 and "no such file: missing.py" in bad.stderr


def test_legacy_scripts_deform_and_fit_a_pose(tmp_path):
    run_isolated("test_compat_scripts:run_scripts",
                 ("legacy_deform.py", ["-t", data.path("sphere_1352"), "-g", data.path("spot"), "-o",
                                       str(tmp_path / "deform"), "-n", "30"]),
                 ("legacy_pose.py", ["-o", str(tmp_path / "pose.json"), "-n", "30"]))
    deform = _metrics(tmp_path / "deform" / "metrics.json")
    assert deform["iou_last"] > deform["iou_first"] + 0.08, deform
    assert deform["voxels_dtype"] == "torch.int32" and os.path.exists(tmp_path / "deform" / "final.obj")
    assert not os.path.exists(tmp_path / "deform" / "final.mtl")
    voxels = np.load(tmp_path / "deform" / "final_voxels.npy")
    assert voxels.shape == (1, 32, 32, 32) and voxels.sum() > 1000
    pose = _metrics(tmp_path / "pose.json")
    assert pose["error_first"] == 30 and pose["error_last"] < 6, pose


def test_upstream_scripts_render_deform_and_fit_a_pose(tmp_path):
    run_isolated("test_compat_scripts:run_scripts",
                 ("upstream_render.py", ["-i", data.path("spot"), "-o", str(tmp_path / "render")]),
                 ("upstream_deform.py", ["-t", data.path("sphere_1352"), "-g", data.path("spot"), "-o",
                                         str(tmp_path / "deform"), "-n", "30"]),
                 ("upstream_pose.py", ["-o", str(tmp_path / "pose.json"), "-n", "30"]))
    frames = np.load(tmp_path / "render" / "frames.npy")
    assert frames.shape == (6, 64, 64, 4) and (frames[..., 3] > 250).mean() > 0.05
    assert frames[0][frames[0][..., 3] > 250][:, :3].std() > 5
    assert {"saved_spot.mtl", "saved_spot.png"} <= set(os.listdir(tmp_path / "render"))
    deform = _metrics(tmp_path / "deform" / "metrics.json")
    assert deform["iou_last"] > deform["iou_first"] + 0.08, deform
    pose = _metrics(tmp_path / "pose.json")
    assert pose["error_first"] == 30 and pose["error_last"] < 6, pose
