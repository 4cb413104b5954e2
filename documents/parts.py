"""What the documents app brings to the shared pages (core.registry)."""

from __future__ import annotations

from core import registry

from . import (
    scale,
    search,  # noqa: F401 - registers what the search finds
)
from .demo import load_documents

registry.demo_loader("documents", load_documents)
registry.scale_builder(scale.BUILDER)
