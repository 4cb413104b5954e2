"""Workplan pages, one module per concern: `plans` (list, the monitoring page,
building a workplan, import and export) and `progress` (progress updates)."""
