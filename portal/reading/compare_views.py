"""The compare pages (routes on reading.blueprint.bp)."""

from __future__ import annotations

from .blueprint import bp

__all__ = ["bp"]
