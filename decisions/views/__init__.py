from .actions import (
    decision_adopted,
    decision_close,
    decision_create,
    decision_edit,
    decision_open,
    decision_revise,
    decision_withdraw,
    escalation_result,
    escalation_start,
    position_record,
    position_state,
)
from .decisions import decision_compare, decision_detail, decision_list, network_decisions
from .records import decision_pdf

__all__ = [
    "decision_adopted",
    "decision_close",
    "decision_compare",
    "decision_create",
    "decision_detail",
    "decision_edit",
    "decision_list",
    "decision_open",
    "decision_pdf",
    "decision_revise",
    "decision_withdraw",
    "escalation_result",
    "escalation_start",
    "network_decisions",
    "position_record",
    "position_state",
]
