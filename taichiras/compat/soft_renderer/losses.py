"""SoftRas's LaplacianLoss and FlattenLoss: the native sparse / vectorised ones."""
from taichiras import losses


class LaplacianLoss(losses.LaplacianLoss):
    """LaplacianLoss(vertex (V, 3), faces (F, 3), average=False); forward(x (B, V, 3)) -> (B,),
    or with average the scalar sum / B."""

    def __init__(self, vertex, faces, average=False):
        super().__init__(vertex.shape[0], faces)
        self.softras_average = average

    def forward(self, x):
        loss = super().forward(x)
        return loss.sum() / x.shape[0] if self.softras_average else loss


class FlattenLoss(losses.FlattenLoss):
    """FlattenLoss(faces (F, 3), average=False); forward(vertices (B, V, 3)) -> (B,), or with
    average the scalar sum / B."""

    def __init__(self, faces, average=False):
        super().__init__(faces)
        self.softras_average = average

    def forward(self, vertices):
        loss = super().forward(vertices)
        return loss.sum() / vertices.shape[0] if self.softras_average else loss
