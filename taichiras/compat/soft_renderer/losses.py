"""SoftRas's LaplacianLoss and FlattenLoss: the native sparse / vectorised ones."""
from ... import losses


class LaplacianLoss(losses.LaplacianLoss):
    """LaplacianLoss(vertex (V, 3), faces (F, 3), average=False); forward(x (B, V, 3)) -> (B,)."""

    def __init__(self, vertex, faces, average=False):
        super().__init__(vertex.shape[0], faces, average)


class FlattenLoss(losses.FlattenLoss):
    """FlattenLoss(faces (F, 3), average=False); forward(vertices (B, V, 3)) -> (B,)."""
