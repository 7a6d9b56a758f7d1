"""Training losses: silhouette IoU, mesh regularisers (sparse Laplacian, flatten, edge length,
normal consistency). All vectorised, all differentiable."""
import torch
import torch.nn.functional as nnf


def silhouette_iou_loss(pred, target, eps=1e-6):
    """1 - mean over the batch of sum(p t) / sum(p + t - p t); pred, target (B, H, W) in [0, 1]."""
    dims = tuple(range(1, pred.ndim))
    inter = (pred * target).sum(dims)
    union = (pred + target - pred * target).sum(dims)
    return 1 - (inter / (union + eps)).mean()


def mesh_edges(faces):
    """Undirected edges of (F, 3) faces: (E, 2) edges, and for the E_i edges shared by exactly
    two faces, (E_i, 4) = (v0, v1, v2, v3): the edge and the two opposite vertices."""
    faces = faces.long()
    half = torch.cat([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])  # (3F, 2)
    opposite = torch.cat([faces[:, 2], faces[:, 0], faces[:, 1]])
    key = torch.sort(half, dim=1).values
    edges, inverse, counts = torch.unique(key, dim=0, return_inverse=True, return_counts=True)
    order = torch.argsort(inverse, stable=True)
    grouped = inverse[order]
    first = torch.ones_like(grouped, dtype=torch.bool)
    first[1:] = grouped[1:] != grouped[:-1]
    start = order[first]  # first half-edge of each edge
    interior = counts == 2
    second = order[torch.cumsum(counts, 0)[interior] - 1]
    s = start[interior]
    quads = torch.stack([half[s, 0], half[s, 1], opposite[s], opposite[second]], 1)
    return edges, quads


class LaplacianLoss(torch.nn.Module):
    """sum_i ||(L x)_i||^2 per mesh, L the uniform graph Laplacian with unit diagonal
    (L_ii = 1, L_ij = -1/deg(i) for neighbours), stored sparse. forward(x (B, V, 3)) -> (B,)."""

    def __init__(self, num_vertices, faces, average=False):
        super().__init__()
        edges, _ = mesh_edges(torch.as_tensor(faces))
        i = torch.cat([edges[:, 0], edges[:, 1]])
        j = torch.cat([edges[:, 1], edges[:, 0]])
        deg = torch.zeros(num_vertices, dtype=torch.float64).index_add_(
            0, i, torch.ones(len(i), dtype=torch.float64))
        rows = torch.cat([torch.arange(num_vertices), i])
        cols = torch.cat([torch.arange(num_vertices), j])
        vals = torch.cat([torch.ones(num_vertices, dtype=torch.float64), -1.0 / deg.clamp(min=1)[i]])
        self.register_buffer("laplacian", torch.sparse_coo_tensor(
            torch.stack([rows, cols]), vals, (num_vertices, num_vertices),
            check_invariants=True).coalesce())
        self.average = average

    def forward(self, x):
        B, V, _ = x.shape
        L = self.laplacian.to(dtype=x.dtype, device=x.device)
        lx = torch.sparse.mm(L, x.permute(1, 0, 2).reshape(V, B * 3)).reshape(V, B, 3)
        loss = (lx ** 2).sum((0, 2))
        return loss / B if self.average else loss


class FlattenLoss(torch.nn.Module):
    """sum over interior edges of (cos theta + 1)^2, theta the dihedral angle measured between
    the parts of (v2 - v0) and (v3 - v0) orthogonal to the edge (v0, v1). forward(x) -> (B,)."""

    def __init__(self, faces, average=False, eps=1e-6):
        super().__init__()
        _, quads = mesh_edges(torch.as_tensor(faces))
        self.register_buffer("quads", quads)
        self.average, self.eps = average, eps

    def forward(self, x):
        v0, v1, v2, v3 = (x[:, self.quads[:, k]] for k in range(4))
        edge = nnf.normalize(v1 - v0, dim=-1, eps=self.eps)
        a, b = v2 - v0, v3 - v0
        a = a - (a * edge).sum(-1, keepdim=True) * edge
        b = b - (b * edge).sum(-1, keepdim=True) * edge
        cos = (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1) + self.eps)
        loss = ((cos + 1) ** 2).sum(-1)
        return loss / x.shape[0] if self.average else loss


def edge_length_loss(vertices, faces, target=0.0):
    """Mean over edges of (|e| - target)^2 per mesh; vertices (B, V, 3) -> (B,)."""
    edges, _ = mesh_edges(faces)
    length = (vertices[:, edges[:, 0]] - vertices[:, edges[:, 1]]).norm(dim=-1)
    return ((length - target) ** 2).mean(-1)


def normal_consistency_loss(vertices, faces):
    """Mean over interior edges of 1 - cos(angle between the two faces' normals); (B,)."""
    _, quads = mesh_edges(faces)
    v0, v1, v2, v3 = (vertices[:, quads[:, k]] for k in range(4))
    n1 = nnf.normalize(torch.cross(v1 - v0, v2 - v0, dim=-1), dim=-1, eps=1e-12)
    n2 = nnf.normalize(torch.cross(v3 - v0, v1 - v0, dim=-1), dim=-1, eps=1e-12)
    return (1 - (n1 * n2).sum(-1)).mean(-1)
