"""The one blueprint of the reading pages; each *_views module adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reading", __name__)
