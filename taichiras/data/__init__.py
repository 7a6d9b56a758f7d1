"""Small sample meshes shipped with the package (origins and licences in README.md here)."""
import os

_FOLDER = os.path.dirname(os.path.abspath(__file__))
FILES = {
    "spot": os.path.join("spot", "spot_triangulated.obj"),
    "sphere_642": os.path.join("sphere", "sphere_642.obj"),
    "sphere_1352": os.path.join("sphere", "sphere_1352.obj"),
}


def path(name):
    """Path of a shipped mesh: 'spot' (textured cow), 'sphere_642' or 'sphere_1352'."""
    if name not in FILES:
        raise ValueError(f"name must be one of {', '.join(map(repr, FILES))}; got {name!r}")
    return os.path.join(_FOLDER, FILES[name])
