"""The register's records as a secretariat files them: a decision's record
as a PDF (its text, the positions table, the outcome and escalation, the
follow-up), and the register as CSV or XLSX with the register page's
filters.

Both read what the decision page and the register read, with the same
rights: a decision the user may not open is a 404, and positions appear
only to those the decision page shows them to."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.markdown import render_markdown
from core.timezones import zone_of
from meetings.pdf import PdfTimeout, pdf_response, pdf_timeout_response, render_pdf
from members.models import Network
from members.roles import actor_for
from workplans.models import FrameworkObjective

from .. import selectors
from ..models import Body, Decision, DecisionStatus, EscalationStep, Procedure
from ..permissions import can, reads_network
from .exports import export_response

# --- the outcome, in words ------------------------------------------------------------------


def outcome_text(decision: Decision, steps: list[EscalationStep]) -> str:
    """How the decision ended (or where it stands once closed), in one line:
    empty while it is a draft or open."""
    last = steps[-1] if steps else None
    escalated = (
        _("after escalation: %(step)s (%(outcome)s)")
        % {"step": last.title, "outcome": last.get_outcome_display()}
        if last
        else ""
    )
    status = decision.status
    if status == DecisionStatus.ADOPTED:
        text = _("Adopted as %(reference)s") % {"reference": decision.reference}
        if decision.decided_on:
            text += ", " + _("on %(date)s") % {"date": decision.decided_on.isoformat()}
        return f"{text}, {escalated}" if escalated else text
    if status == DecisionStatus.NO_CONSENSUS:
        text = str(_("No consensus: an objection stood at the deadline"))
        return f"{text}; {escalated}" if escalated else text
    if status in (DecisionStatus.NOT_ADOPTED, DecisionStatus.WITHDRAWN):
        text = str(decision.get_status_display())
        if decision.closing_note:
            text += f": {decision.closing_note}"
        return f"{text}; {escalated}" if escalated else text
    return ""


def body_label(decision: Decision) -> str:
    if decision.body == Body.TASK_TEAM and decision.task_team_id:
        return f"{decision.get_body_display()}: {decision.task_team.name}"
    return str(decision.get_body_display())


# --- a decision's record as a PDF ----------------------------------------------------------


def _position_rows(tally: selectors.Tally) -> list[tuple]:
    """Each agency of the deciding body with its position (or none), then the
    positions of agencies no longer of the body: the record keeps them."""
    rows = [(org, p, True) for org, p in tally.rows]
    body = {org.pk for org in tally.agencies}
    rows += [
        (p.organization, p, False)
        for p in sorted(tally.positions.values(), key=lambda p: p.organization.acronym)
        if p.organization_id not in body
    ]
    return rows


def record_context(request: HttpRequest, decision: Decision) -> dict:
    """What templates/decisions/pdf/decision.html shows, for this reader: the
    versions, steps and topics (three queries), the positions when the reader
    sees them (two or three), the follow-up actions (one)."""
    actor = actor_for(request)
    page = selectors.decision_page(decision)
    sees_positions = can(actor, "positions.view", decision)
    tally = selectors.tally(decision) if sees_positions else None
    if tally and decision.procedure == Procedure.MEETING and not tally.positions:
        # Taken in the room, the decision gathered no positions: no table of
        # agencies that "have not answered".
        tally = None
    actions = list(
        decision.actions.select_related("owner").order_by(F("due").asc(nulls_last=True), "pk")
    )
    zone = zone_of(decision.network.time_zone)
    return {
        "decision": decision,
        "network": decision.network,
        "zone": decision.network.time_zone or "UTC",
        "body": body_label(decision),
        "text_html": render_markdown(decision.text),
        "versions": page["versions"],
        "steps": page["steps"],
        "topics": page["topics"],
        "outcome": outcome_text(decision, page["steps"]),
        "sees_positions": sees_positions,
        "positions": _position_rows(tally) if tally else [],
        "counts": selectors.tally_counts(tally, decision.version) if tally else None,
        "actions": actions,
        "generated_at": timezone.localtime(timezone.now(), zone),
    }


def record_filename(decision: Decision) -> str:
    if decision.reference:
        return f"decision-{slugify(decision.reference.replace('/', '-'))}.pdf"
    return (
        f"decision-{decision.network.slug}-{decision.pk}-"
        f"{slugify(decision.status)}-v{decision.version}.pdf"
    )


def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision's record as a PDF, for whoever may open its page (the
    public, for a public adopted decision, without positions)."""
    from .decisions import visible_decision_or_404

    decision = visible_decision_or_404(request, pk)
    try:
        pdf = render_pdf("decisions/pdf/decision.html", record_context(request, decision))
    except PdfTimeout:
        return pdf_timeout_response(
            request,
            back_url=decision.get_absolute_url(),
            back_label=_("Back to the decision"),
        )
    return pdf_response(pdf, record_filename(decision))


# --- the register as CSV or XLSX ------------------------------------------------------------

REGISTER_HEADERS = [
    gettext_lazy("Reference"),
    gettext_lazy("Title"),
    gettext_lazy("Deciding body"),
    gettext_lazy("Procedure"),
    gettext_lazy("Status"),
    gettext_lazy("Opened"),
    gettext_lazy("Deadline"),
    gettext_lazy("Closed"),
    gettext_lazy("Proposed by"),
    gettext_lazy("Topics"),
    gettext_lazy("Outcome"),
    gettext_lazy("Public"),
]
REGISTER_WIDTHS = [20, 60, 24, 22, 14, 18, 18, 18, 12, 50, 60, 8]


def _register_rows(decisions: list[Decision]) -> list[list[object]]:
    yes = str(_("yes"))
    return [
        [
            d.reference or "",
            d.title,
            body_label(d),
            str(d.get_procedure_display()),
            str(d.get_status_display()),
            d.opened_at,
            d.deadline,
            d.closed_at,
            d.proposed_by.acronym if d.proposed_by_id else "",
            "; ".join(str(t) for t in d.topics.all()),
            outcome_text(d, list(d.escalation.all())),
            yes if d.public else "",
        ]
        for d in decisions
    ]


def register_export(
    request: HttpRequest, actor, filterset, network: Network, fmt: str
) -> HttpResponse:
    """The network's register, as filtered, for the network's readers only:
    anonymous visitors are sent to sign in, anyone else gets a 404 (the
    register page itself shows the public its public decisions). Four
    queries beside the actor's: whether they read the network, the rows
    with their network, proposer and task team, their topics, their steps."""
    from django.contrib.auth.views import redirect_to_login

    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not reads_network(actor, network.pk):
        raise Http404
    decisions = list(
        selectors.register_rows(filterset.qs.distinct()).prefetch_related(
            Prefetch("topics", queryset=FrameworkObjective.objects.order_by("pk")),
            Prefetch("escalation", queryset=EscalationStep.objects.order_by("number")),
        )
    )
    return export_response(
        fmt=fmt,
        network=network,
        filterset=filterset,
        stem="decisions",
        title=_("Decisions"),
        headers=REGISTER_HEADERS,
        rows_of=_register_rows,
        items=decisions,
        widths=REGISTER_WIDTHS,
    )
