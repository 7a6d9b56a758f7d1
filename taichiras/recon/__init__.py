"""Single-view mesh reconstruction trained from multi-view silhouettes (SoftRas's application).

data: the ShapeNet renderings format of SoftRas / the Neural 3D Mesh Renderer, memory-mapped.
synthetic: a generator writing that format from procedural shape families.
model: image encoder -> sphere-template deformation. train / evaluate: command-line programs
(``python -m taichiras.recon.train``, ``python -m taichiras.recon.evaluate``).
"""
