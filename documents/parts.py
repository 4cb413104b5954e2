"""What the documents app brings to the shared pages (core.registry)."""

from __future__ import annotations

from . import search  # noqa: F401 - registers what the search finds
