from .decisions import decision_detail

__all__ = ["decision_detail"]
