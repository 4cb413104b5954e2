"""The register of decisions and a decision's page (its text, the positions
at a glance, its versions and their comparison, its escalation).

A page that shows an open decision whose deadline has passed closes it
first (register.decision_close), so a stopped scheduler never leaves one
open. Every view fetches and authorises in its first lines: a decision the
user may not see is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.textdiff import compare_texts
from core.views_helpers import get_visible_or_404, paginate, querystring_without_page
from members.models import Network
from members.roles import actor_for
from members.scope import list_scope

from .. import selectors
from ..filters import DecisionFilter
from ..models import Decision, DecisionStatus, EscalationOutcome, Procedure
from ..permissions import can, position_agency_ids, reads_network, visible_decisions
from ..services import escalation, register
from .exports import FORMATS
from .follow_up import follow_up_context
from .records import register_export

DETAIL_RELATED = (
    "network",
    "proposed_by",
    "task_team",
    "meeting",
    "agenda_item",
    "application",
    "workplan",
    "related_task_team",
    "created_by",
)


def close_if_due(decisions: list[Decision]) -> bool:
    """Close the open decisions of a page whose deadline has passed; True if
    one was closed (the page then reads them again)."""
    now = timezone.now()
    closed = False
    for decision in decisions:
        if decision.status == DecisionStatus.OPEN and decision.deadline <= now:
            closed |= register.decision_close(decision=decision, now=now)
    return closed


def visible_decision_or_404(request: HttpRequest, pk: int) -> Decision:
    """The decision, if the user may see it, closed first if it is overdue."""
    queryset = visible_decisions(actor_for(request)).select_related(*DETAIL_RELATED)
    decision = get_visible_or_404(queryset, pk=pk)
    if close_if_due([decision]):
        decision = get_visible_or_404(queryset, pk=pk)
    return decision


# --- the register ------------------------------------------------------------------------


def _count_label(n: int) -> str:
    return ngettext("%(n)s decision", "%(n)s decisions", n) % {"n": n}


def _register(request: HttpRequest, network: Network | None) -> HttpResponse:
    actor = actor_for(request)
    data = request.GET.copy()
    if network is not None:
        data["network"] = str(network.pk)
    elif "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    visible = visible_decisions(actor)
    # An overdue decision of the network shown is closed before it is listed.
    due = selectors.open_decisions_due().filter(pk__in=visible.values("pk"))
    if network is not None:
        due = due.filter(network=network)
    close_if_due(list(due.select_related("network")))
    filterset = DecisionFilter(data, queryset=visible, fixed_network=network)
    fmt = request.GET.get("format")
    if network is not None and fmt in FORMATS:
        return register_export(request, actor, filterset, network, fmt)
    page = paginate(request, selectors.register_rows(filterset.qs.distinct()))
    decisions = list(page.object_list)
    scope = list_scope(
        request,
        filterset,
        empty=not decisions,
        count_label=_count_label,
        public=not actor.is_authenticated,
    )
    if network is not None:
        # The URL names the network: the form offers no other.
        del filterset.form.fields["network"]
        scope.all_url = reverse("decisions:list") + "?network="
    answered = selectors.answered_counts(decisions)
    shown = network or scope.network
    return render(
        request,
        "decisions/decision_list.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "rows": [(d, answered.get(d.pk)) for d in decisions],
            "querystring": querystring_without_page(request),
            "network": shown,
            "fixed_network": network,
            "can_create": shown is not None and can(actor, "decision.create", network_id=shown.pk),
            # The CSV and XLSX of the register as filtered, for its network's readers.
            "export_url": reverse("decisions:network", args=[shown.slug])
            if shown is not None and actor.is_authenticated and reads_network(actor, shown.pk)
            else "",
            "export_query": _export_query(request),
        },
    )


def _export_query(request: HttpRequest) -> str:
    """The page's filters without its page number or network (the export's
    URL names the network)."""
    params = request.GET.copy()
    for name in ("page", "network", "format"):
        params.pop(name, None)
    return params.urlencode()


def decision_list(request: HttpRequest) -> HttpResponse:
    """The register of the network in the header (or of all the user's networks)."""
    return _register(request, None)


def network_decisions(request: HttpRequest, slug: str) -> HttpResponse:
    """One network's register."""
    return _register(request, get_object_or_404(Network, slug=slug))


# --- a decision's page ---------------------------------------------------------------------


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = visible_decision_or_404(request, pk)
    actor = actor_for(request)
    may_manage = can(actor, "decision.manage", decision)
    sees_positions = can(actor, "positions.view", decision)
    page = selectors.decision_page(decision)
    tally = selectors.tally(decision) if sees_positions else None
    if tally and decision.procedure == Procedure.MEETING and not tally.positions:
        # Taken in the room, the decision gathered no positions: no table of
        # agencies that "have not answered".
        tally = None
    pending_step = next((s for s in page["steps"] if s.outcome == EscalationOutcome.PENDING), None)
    may_escalate = (
        may_manage
        and decision.status == DecisionStatus.NO_CONSENSUS
        and pending_step is None
        and escalation.next_rung(decision, page["steps"]) is not None
    )
    mine = position_agency_ids(actor, decision) if decision.takes_positions else set()
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "zone": decision.network.time_zone,
            "versions": page["versions"],
            "steps": page["steps"],
            "topics": page["topics"],
            "tally": tally,
            "counts": selectors.tally_counts(tally, decision.version) if tally else None,
            "may_manage": may_manage,
            "may_state": bool(mine),
            "may_record": can(actor, "position.record", decision),
            "my_positions": [tally.of(pk) for pk in sorted(mine)] if tally and mine else [],
            "pending_step": pending_step,
            "may_escalate": may_escalate,
            "is_meeting": decision.procedure == Procedure.MEETING,
            "sees_application": may_manage,
            # The network's readers; the public (a public adopted decision)
            # sees no positions, no escalation and no links to members' pages.
            "reader": sees_positions,
            # Carrying it out: its actions and what it did to other records.
            "follow_up": follow_up_context(actor, decision)
            if decision.status == DecisionStatus.ADOPTED
            else None,
        },
    )


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        raise Http404 from None


def decision_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Version `new` (by default the current one) against version `old` (by
    default the one before), side by side or unified (`view=unified`)."""
    decision = visible_decision_or_404(request, pk)
    new = _int_param(request, "new", decision.version)
    old = _int_param(request, "old", max(new - 1, 1))
    found = {v.number: v for v in decision.versions.filter(number__in={old, new})}
    if old not in found or new not in found:
        raise Http404
    older, newer = found[old], found[new]
    view = "unified" if request.GET.get("view") == "unified" else "split"
    return render(
        request,
        "decisions/decision_compare.html",
        {
            "decision": decision,
            "older": older,
            "newer": newer,
            "old": old,
            "new": new,
            "view": view,
            "numbers": range(decision.version, 0, -1),
            "diffs": [
                compare_texts(older.title, newer.title, label=_("Title")),
                compare_texts(older.text, newer.text, label=_("Text")),
            ],
        },
    )
