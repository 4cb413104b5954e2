"""The chair's summary report of a chair term, as seeds 001 and 003 are:
the overview (the network, the chair and its theme, the previous chair),
the meetings at the principals' and the working level with their dates,
places and guests, the principals who attended, the decisions taken, the
members admitted, the statements and engagements outside the network, the
briefings, the joint documents and other outputs, and the chair's own
narrative (achievements, challenges, recommendations for the handover)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from decisions.models import Decision, DecisionStatus
from documents.models import Document, DocumentStatus, Engagement, EngagementKind
from meetings.models import Attendance, Meeting, MeetingLevel, MeetingStatus, Participant
from members.models import ApplicationStatus, ChairTerm, Membership, MembershipApplication, Network

from .kinds import KindSpec, Missing, ReportProblem, iso, register
from .models import ReportKind

# Documents a chair's summary lists as the term's outputs: what the
# network released, not drafts or withdrawn papers.
RELEASED = (DocumentStatus.FINAL, DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)
STATEMENT_KINDS = ("statement", "briefing-note")


def term_of(network: Network, subject_id: int | None) -> ChairTerm:
    term = (
        ChairTerm.objects.select_related("organization")
        .filter(network=network, pk=subject_id)
        .first()
        if subject_id
        else None
    )
    if term is None:
        raise ReportProblem(_("Choose one of the network's chair terms."))
    return term


def term_starting(network: Network, start: date) -> ChairTerm:
    term = network.chair_terms.select_related("organization").filter(start=start).first()
    if term is None:
        raise ReportProblem(
            _("%(network)s has no chair term starting on %(day)s.")
            % {"network": network.short_name, "day": start.isoformat()}
        )
    return term


def _org(org) -> dict | None:
    if org is None:
        return None
    return {"id": org.pk, "acronym": org.acronym, "name": org.name}


def _person(participant: Participant) -> str:
    if participant.person_id:
        person = participant.person
        return " ".join(p for p in (person.honorific, person.name) if p)
    return participant.delegate_name


def _meetings(network: Network, start: date, end: date) -> list[dict]:
    meetings = (
        Meeting.objects.filter(network=network, start__date__gte=start, start__date__lte=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("organization", "person").order_by(
                    "organization__acronym", "pk"
                ),
            )
        )
        .order_by("start")
    )
    rows = []
    for meeting in meetings:
        participants = list(meeting.participants.all())
        present = [p for p in participants if p.attendance == Attendance.PRESENT]
        rows.append(
            {
                "id": meeting.pk,
                "title": meeting.title,
                "level": meeting.level,
                "level_label": str(MeetingLevel(meeting.level).label),
                "day": iso(meeting.local_start.date()),
                "city": meeting.city,
                "notes": meeting.notes,
                "status": meeting.status,
                "attendance_recorded": any(
                    p.attendance != Attendance.UNKNOWN for p in participants
                ),
                "present": [
                    {"org": p.organization.acronym, "person": _person(p)}
                    for p in present
                    if not p.is_guest
                ],
                "guests": [
                    {
                        "org": p.organization.name,
                        "acronym": p.organization.acronym,
                        "person": _person(p),
                    }
                    for p in participants
                    if p.is_guest and p.attendance != Attendance.ABSENT
                ],
            }
        )
    return rows


def _decisions(network: Network, start: date, end: date) -> list[dict]:
    decisions = Decision.objects.filter(
        network=network,
        status=DecisionStatus.ADOPTED,
        decided_on__gte=start,
        decided_on__lte=end,
    ).order_by("decided_on", "reference_number", "pk")
    return [
        {
            "id": d.pk,
            "reference": d.reference or "",
            "title": d.title,
            "day": iso(d.decided_on),
            "body": d.get_body_display(),
        }
        for d in decisions
    ]


def _admitted(network: Network, start: date, end: date) -> list[dict]:
    memberships = (
        Membership.objects.filter(network=network, joined__gte=start, joined__lte=end)
        .select_related("organization")
        .order_by("joined", "organization__acronym")
    )
    return [{"org": _org(m.organization), "day": iso(m.joined)} for m in memberships]


def _applications(network: Network, start: date, end: date) -> list[dict]:
    """Applications the network had before it during the term: submitted by
    its end and not decided before its start."""
    applications = (
        MembershipApplication.objects.filter(network=network, submitted_at__date__lte=end)
        .exclude(decision_date__lt=start)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "id": a.pk,
            "org": a.org_name,
            "acronym": a.org_acronym,
            "status": a.status,
            "status_label": str(ApplicationStatus(a.status).label),
            "decided": iso(a.decision_date),
            "decided_in_term": bool(a.decision_date and a.decision_date <= end),
        }
        for a in applications
    ]


def _engagements(network: Network, start: date, end: date) -> list[dict]:
    engagements = (
        Engagement.objects.filter(network=network, start__gte=start, start__lte=end)
        .select_related("represented_by")
        .prefetch_related("documents")
        .order_by("start", "pk")
    )
    return [
        {
            "id": e.pk,
            "event": e.event,
            "kind": e.kind,
            "kind_label": str(EngagementKind(e.kind).label),
            "organizer": e.organizer,
            "place": e.place,
            "start": iso(e.start),
            "end": iso(e.end),
            "by": e.represented_by.acronym if e.represented_by_id else "",
            "representative": e.representative,
            "outcome": e.outcome,
            "documents": [d.title for d in e.documents.all()],
        }
        for e in engagements
    ]


def _documents(network: Network, start: date, end: date) -> list[dict]:
    documents = (
        Document.objects.filter(
            network=network, date__gte=start, date__lte=end, status__in=RELEASED
        )
        .select_related("kind", "lead_agency")
        .order_by("date", "pk")
    )
    return [
        {
            "id": d.pk,
            "symbol": d.symbol,
            "title": d.title,
            "kind": d.kind.slug,
            "kind_label": d.kind.name,
            "day": iso(d.date),
            "lead": d.lead_agency.acronym if d.lead_agency_id else "",
            "summary": d.summary,
            "url": d.external_url,
        }
        for d in documents
    ]


def collect(network: Network, start: date, end: date, subject_id: int | None):
    term = term_of(network, subject_id)
    start, end = term.start, term.end
    previous = (
        network.chair_terms.select_related("organization")
        .filter(end__lt=term.start)
        .order_by("-start")
        .first()
    )
    following = (
        network.chair_terms.select_related("organization")
        .filter(start__gt=term.end)
        .order_by("start")
        .first()
    )
    meetings = _meetings(network, start, end)
    engagements = _engagements(network, start, end)
    documents = _documents(network, start, end)
    members_at_end = Membership.objects.filter(network=network, joined__lte=end).exclude(
        left__lt=end
    )
    snapshot = {
        "network": {
            "name": network.name,
            "short_name": network.short_name,
            "established": iso(network.established),
            # The first paragraph of its terms of reference: what it is.
            "about": (network.terms_of_reference or "").strip().split("\n\n")[0],
        },
        "term": {
            "id": term.pk,
            "chair": _org(term.organization),
            "start": iso(term.start),
            "end": iso(term.end),
            "theme": term.theme,
            "chairperson": term.chairperson,
        },
        "previous": previous
        and {
            "chair": _org(previous.organization),
            "start": iso(previous.start),
            "end": iso(previous.end),
        },
        "next": following
        and {
            "chair": _org(following.organization),
            "start": iso(following.start),
            "end": iso(following.end),
        },
        "members_at_end": members_at_end.count(),
        "attendance": [
            {
                "label": f"{date.fromisoformat(m['day']):%d %b %Y} · {m['level_label']}",
                "present": len(m["present"]) + len(m["guests"]),
            }
            for m in meetings
            if m["attendance_recorded"]
        ],
        "meetings": meetings,
        "decisions": _decisions(network, start, end),
        "admitted": _admitted(network, start, end),
        "applications": _applications(network, start, end),
        "engagements": [e for e in engagements if e["kind"] != EngagementKind.BRIEFING],
        "briefings": [e for e in engagements if e["kind"] == EngagementKind.BRIEFING],
        "outputs": [d for d in documents if d["kind"] not in STATEMENT_KINDS],
        "statements": [d for d in documents if d["kind"] in STATEMENT_KINDS],
        "narrative": {
            "achievements": term.achievements,
            "challenges": term.challenges,
            "recommendations": term.recommendations,
        },
    }
    return snapshot, _missing(network, term, snapshot)


def _missing(network: Network, term: ChairTerm, snapshot: dict) -> list[Missing]:
    narrative_url = reverse("members:chair_term_narrative", args=[term.pk])
    missing = []
    if not term.theme:
        missing.append(
            Missing(_("The term has no theme: add it to the chair term."), narrative_url)
        )
    narrative = snapshot["narrative"]
    for field, label in (
        ("achievements", _("achievements")),
        ("challenges", _("challenges")),
        ("recommendations", _("recommendations for the handover")),
    ):
        if not narrative[field].strip():
            missing.append(
                Missing(
                    _("The chair's narrative has no %(part)s yet.") % {"part": label},
                    narrative_url,
                )
            )
    meetings_url = reverse("meetings:list") + f"?network={network.pk}"
    if not snapshot["meetings"]:
        missing.append(
            Missing(_("No meeting is recorded in the term: add the meetings held."), meetings_url)
        )
    for meeting in snapshot["meetings"]:
        if meeting["level"] == MeetingLevel.PRINCIPALS and not meeting["attendance_recorded"]:
            missing.append(
                Missing(
                    _("Who attended the principals' meeting of %(day)s is not recorded.")
                    % {"day": date_format(date.fromisoformat(meeting["day"]), "j F Y")},
                    reverse("meetings:detail", args=[meeting["id"]]),
                )
            )
    if not snapshot["engagements"] and not snapshot["briefings"] and not snapshot["statements"]:
        missing.append(
            Missing(
                _("No statement, briefing or engagement outside the network is recorded."),
                reverse("documents:engagements", args=[network.slug]),
            )
        )
    if not snapshot["outputs"]:
        missing.append(
            Missing(
                _("No joint document or other output is in the register for the term."),
                reverse("documents:list", args=[network.slug]),
            )
        )
    return missing


def title(network: Network, start: date, end: date, subject_id: int | None) -> str:
    term = term_of(network, subject_id)
    return _("%(chair)s chairmanship summary report") % {"chair": term.organization.acronym}


SPEC = register(
    KindSpec(
        kind=ReportKind.CHAIR_SUMMARY,
        template="reports/pdf/chair_summary.html",
        collect=collect,
        title=title,
        subject_label=_("chair term"),
    )
)
