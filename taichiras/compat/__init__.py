"""Compatibility layers for other renderers' APIs."""
