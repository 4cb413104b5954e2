"""The agenda of a meeting: member agencies propose items until the cut-off,
the chair (or the secretariat) accepts, defers or declines each, orders the
accepted ones and circulates the agenda to the participants.

Standing items (approval of the previous minutes, the open action points)
come by themselves; a deferred item comes back as a proposal for the next
meeting of the same network and level.

Writes are atomic, keyword-only and raise DomainError with a message for the
user. The few reads the e-mail, the page and the PDF share sit at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from core import files
from core.errors import DomainError
from core.history import acting_user, set_history_user
from core.limits import SHORT_TEXT_MAX_CHARS, check_length, check_model_lengths
from members.models import Organization
from notifications.outbox import email_queue

from ..models import (
    ACTION_POINT_PENDING,
    ActionPoint,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Meeting,
    MeetingStatus,
    Participant,
)

# Allowed moves of an item, in one place. Deferred and declined are final:
# a deferred item lives on as a new proposal of the next meeting. An accepted
# item can still be deferred (the meeting ran out of time) or dropped.
AGENDA_ITEM_TRANSITIONS: dict[str, set[str]] = {
    AgendaItemStatus.PROPOSED: {
        AgendaItemStatus.ACCEPTED,
        AgendaItemStatus.DEFERRED,
        AgendaItemStatus.DECLINED,
    },
    AgendaItemStatus.ACCEPTED: {AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED},
    AgendaItemStatus.DEFERRED: set(),
    AgendaItemStatus.DECLINED: set(),
}

# Decisions are taken before and at the meeting (an item the meeting had no
# time for is deferred); a cancelled or closed meeting's agenda is history.
DECIDING_STATUSES = {MeetingStatus.PLANNED, MeetingStatus.AGENDA_CIRCULATED, MeetingStatus.HELD}

STANDING_KINDS = (AgendaItemKind.PREVIOUS_MINUTES, AgendaItemKind.ACTION_POINTS)
STANDING_MINUTES = {AgendaItemKind.PREVIOUS_MINUTES: 5, AgendaItemKind.ACTION_POINTS: 15}

MIN_MINUTES, MAX_MINUTES = 1, 240

PAPER_SUFFIXES = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".txt",
    ".ppt",
    ".pptx",
    ".odp",
    ".xls",
    ".xlsx",
    ".ods",
}
MAX_PAPER_BYTES = 10 * 1024 * 1024


_by = set_history_user


# --- proposals ----------------------------------------------------------------


def paper_problem(paper: UploadedFile) -> str | None:
    """Why this upload is not an acceptable paper, or None."""
    suffix = Path(paper.name or "").suffix.lower()
    if suffix not in PAPER_SUFFIXES:
        return _(
            "%(name)s is not a paper we accept: send a PDF, a Word, OpenDocument, "
            "PowerPoint or spreadsheet file, or a link."
        ) % {"name": paper.name}
    if paper.size > MAX_PAPER_BYTES:
        return _("%(name)s is larger than 10 MB: send a link instead.") % {"name": paper.name}
    # The content must be what the suffix says (core/files.py): a renamed
    # executable or web page is refused even with a harmless name.
    if not files.content_matches(paper, suffix):
        return _("%(name)s is not really a %(kind)s file.") % {
            "name": paper.name,
            "kind": suffix[1:].upper(),
        }
    return None


def meeting_minutes(meeting: Meeting) -> int:
    return int((meeting.end - meeting.start).total_seconds() // 60)


def meeting_too_short(length: int) -> str:
    return ngettext(
        "The meeting lasts only %(n)s minute.", "The meeting lasts only %(n)s minutes.", length
    ) % {"n": length}


def agenda_item_propose(
    *,
    meeting: Meeting,
    title: str,
    purpose: str = "",
    presenter: Organization | None = None,
    minutes_wanted: int = 15,
    paper: UploadedFile | None = None,
    paper_url: str = "",
    by=None,
    organization: Organization | None = None,
    accept: bool = False,
) -> AgendaItem:
    """A member agency's proposal for the agenda, until the cut-off.

    `organization` is the agency the proposal comes from; who may propose is
    the view's question (permissions `agenda.propose`), when is answered here.
    `accept`: the proposer is the one who decides on this agenda (the chair
    or the secretariat, permissions `agenda.decide`), so the item goes on the
    agenda at once, last, instead of waiting for a decision of its own
    author."""
    title = title.strip()
    if not title:
        raise DomainError(_("Give the item a title."), field="title")
    check_model_lengths(AgendaItem, purpose=purpose)
    if not MIN_MINUTES <= minutes_wanted <= MAX_MINUTES:
        raise DomainError(
            _("Ask for between %(min)s and %(max)s minutes.")
            % {"min": MIN_MINUTES, "max": MAX_MINUTES},
            field="minutes_wanted",
        )
    if minutes_wanted > meeting_minutes(meeting):
        raise DomainError(meeting_too_short(meeting_minutes(meeting)), field="minutes_wanted")
    if paper is not None:
        problem = paper_problem(paper)
        if problem:
            raise DomainError(problem, field="paper")
    with transaction.atomic():
        # Read the meeting again under a lock: the cut-off and the status are
        # the ones at the moment of saving, not of opening the form.
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not current.accepts_proposals():
            if current.status != MeetingStatus.PLANNED:
                raise DomainError(_("This meeting no longer takes proposals for its agenda."))
            raise DomainError(_("The cut-off for agenda proposals has passed."))
        item = AgendaItem(
            meeting=meeting,
            title=title,
            purpose=purpose.strip(),
            presenter=presenter,
            minutes_wanted=minutes_wanted,
            paper_url=paper_url,
            proposed_by=by if by is not None and by.is_authenticated else None,
            proposed_by_org=organization,
            status=AgendaItemStatus.ACCEPTED if accept else AgendaItemStatus.PROPOSED,
        )
        if accept:
            last = current.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).aggregate(
                m=Max("position")
            )["m"]
            item.position = (last or 0) + 1
        if paper is not None:
            item.paper = paper
        _by(item, by)
        item.save()
    return item


# --- decisions ------------------------------------------------------------------


def agenda_item_can_move_to(item: AgendaItem, status: str) -> bool:
    return status in AGENDA_ITEM_TRANSITIONS[item.status]


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The next planned meeting of the same network and level, if planned yet."""
    return (
        Meeting.objects.filter(
            network_id=meeting.network_id,
            level=meeting.level,
            status=MeetingStatus.PLANNED,
            start__gt=meeting.start,
        )
        .order_by("start", "pk")
        .first()
    )


def _carry(item: AgendaItem, to: Meeting, by=None) -> AgendaItem:
    copy = AgendaItem(
        meeting=to,
        kind=AgendaItemKind.REGULAR,
        title=item.title,
        purpose=item.purpose,
        presenter_id=item.presenter_id,
        minutes_wanted=item.minutes_wanted,
        paper=item.paper.name if item.paper else "",
        paper_name=item.paper_name,
        paper_url=item.paper_url,
        proposed_by_id=item.proposed_by_id,
        proposed_by_org_id=item.proposed_by_org_id,
        status=AgendaItemStatus.PROPOSED,
        carried_from=item,
    )
    _by(copy, by)
    copy.save()
    return copy


def agenda_item_decide(*, item: AgendaItem, status: str, note: str = "", by=None) -> AgendaItem:
    """Accept, defer or decline an item, with a note for the proposer (needed
    to defer or decline). An accepted item goes to the end of the agenda; a
    deferred one is proposed again to the next meeting, now or once that
    meeting is planned (carry_deferred_items)."""
    if status not in (
        AgendaItemStatus.ACCEPTED,
        AgendaItemStatus.DEFERRED,
        AgendaItemStatus.DECLINED,
    ):
        raise DomainError(_("Choose to accept, defer or decline the item."), field="decision")
    note = note.strip()
    check_length(note, limit=SHORT_TEXT_MAX_CHARS, field="note")
    if status != AgendaItemStatus.ACCEPTED and not note:
        raise DomainError(
            _("Say in a note why the item is deferred or declined: the proposer reads it."),
            field="note",
        )
    with transaction.atomic():
        # The row as it is now: two people deciding at once queue here.
        locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        if locked.kind != AgendaItemKind.REGULAR:
            raise DomainError(_("Standing items stay on the agenda."))
        if locked.meeting.status not in DECIDING_STATUSES:
            raise DomainError(
                _("The agenda no longer changes: the meeting's status is “%(state)s”.")
                % {"state": locked.meeting.get_status_display()}
            )
        if not agenda_item_can_move_to(locked, status):
            raise DomainError(
                _("An item that is %(state)s cannot become %(to)s.")
                % {
                    "state": locked.get_status_display().lower(),
                    "to": AgendaItemStatus(status).label.lower(),
                }
            )
        fields = ["status", "chair_note", "updated_at"]
        if status == AgendaItemStatus.ACCEPTED:
            last = locked.meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).aggregate(
                m=Max("position")
            )["m"]
            locked.position = (last or 0) + 1
            fields.append("position")
        locked.status = status
        locked.chair_note = note
        _by(locked, by)
        locked.save(update_fields=fields)
        if status == AgendaItemStatus.DEFERRED:
            following = next_meeting(locked.meeting)
            if following is not None:
                _carry(locked, following, by)
    item.refresh_from_db()
    return item


def carry_deferred_items(*, meeting: Meeting, by=None) -> list[AgendaItem]:
    """Propose to a newly planned meeting the items deferred at earlier
    meetings of its network and level that had no next meeting to go to.
    Idempotent: an item is carried once."""
    if meeting.status != MeetingStatus.PLANNED:
        return []
    with transaction.atomic():
        carried = AgendaItem.objects.filter(carried_from__isnull=False).values("carried_from_id")
        waiting = (
            AgendaItem.objects.select_for_update(of=("self",))
            .filter(
                status=AgendaItemStatus.DEFERRED,
                meeting__network_id=meeting.network_id,
                meeting__level=meeting.level,
                meeting__start__lt=meeting.start,
            )
            .exclude(pk__in=carried)
            .exclude(meeting=meeting)
            .order_by("meeting__start", "position", "created_at")
        )
        return [_carry(item, meeting, by) for item in waiting]


# --- standing items and order ---------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same network and level before this one."""
    return (
        Meeting.objects.filter(
            network_id=meeting.network_id, level=meeting.level, start__lt=meeting.start
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-start", "-pk")
        .first()
    )


def open_action_points(meeting: Meeting):
    """The network's action points still open when this meeting starts:
    those of earlier meetings and those set to carry out a decision before
    it, open or in progress now, or done only after it started (so a past
    meeting's agenda shows what it discussed)."""
    return (
        ActionPoint.objects.filter(network_id=meeting.network_id)
        .filter(
            Q(meeting__start__lt=meeting.start)
            | Q(meeting__isnull=True, created_at__lt=meeting.start)
        )
        .filter(Q(status__in=ACTION_POINT_PENDING) | Q(done_at__gt=meeting.start))
        .exclude(meeting=meeting)
        .select_related("owner", "meeting")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def _renumber(meeting: Meeting, regular_ids: list[int] | None = None, by=None) -> None:
    """Standing items first, then the accepted items (in `regular_ids` order
    when given, else as they are), numbered 1, 2, 3…"""
    accepted = list(
        meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).order_by(
            "position", "created_at", "pk"
        )
    )
    standing = sorted(
        (i for i in accepted if i.kind in STANDING_KINDS),
        key=lambda i: STANDING_KINDS.index(i.kind),
    )
    regular = [i for i in accepted if i.kind not in STANDING_KINDS]
    if regular_ids is not None:
        rank = {pk: n for n, pk in enumerate(regular_ids)}
        regular.sort(key=lambda i: rank[i.pk])
    changed = []
    for position, item in enumerate(standing + regular, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    if changed:
        bulk_update_with_history(changed, AgendaItem, ["position"], default_user=acting_user(by))


def _missing_standing_kinds(meeting: Meeting) -> list[str]:
    present = set(
        meeting.agenda_items.filter(kind__in=STANDING_KINDS).values_list("kind", flat=True)
    )
    missing = []
    if AgendaItemKind.PREVIOUS_MINUTES not in present and previous_meeting(meeting) is not None:
        missing.append(AgendaItemKind.PREVIOUS_MINUTES)
    if AgendaItemKind.ACTION_POINTS not in present and open_action_points(meeting).exists():
        missing.append(AgendaItemKind.ACTION_POINTS)
    return missing


def agenda_ensure_standing_items(*, meeting: Meeting, by=None) -> list[AgendaItem]:
    """Put the standing items on a planned meeting's agenda, accepted and at
    the top: the approval of the previous meeting's minutes (when there was
    one) and the open action points (when there are any). Idempotent; returns
    the items it created. Costs one to three queries when there is nothing
    to do, so the page may call it on every visit of the chair."""
    if meeting.status != MeetingStatus.PLANNED or not _missing_standing_kinds(meeting):
        return []
    created = []
    with transaction.atomic():
        # Two chairs opening the page at once: the second waits, then finds them.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        for kind in _missing_standing_kinds(meeting):
            purpose = ""
            if kind == AgendaItemKind.PREVIOUS_MINUTES:
                previous = previous_meeting(meeting)
                purpose = _("Minutes of %(title)s, %(date)s.") % {
                    "title": previous.title,
                    "date": date_format(previous.local_start, "j F Y"),
                }
            item = AgendaItem(
                meeting=meeting,
                kind=kind,
                title=str(AgendaItemKind(kind).label),
                purpose=purpose,
                minutes_wanted=STANDING_MINUTES[kind],
                status=AgendaItemStatus.ACCEPTED,
            )
            _by(item, by)
            item.save()
            created.append(item)
        _renumber(meeting, by=by)
    return created


def agenda_reorder(*, meeting: Meeting, item_ids: list[int], by=None) -> None:
    """Put the accepted items (not the standing ones, which stay on top) in
    the order of `item_ids`, which must name each of them exactly once."""
    if len(set(item_ids)) != len(item_ids):
        raise DomainError(_("An item appears twice in the new order."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise DomainError(_("The agenda was circulated: its order no longer changes."))
        current = set(
            meeting.agenda_items.filter(
                status=AgendaItemStatus.ACCEPTED, kind=AgendaItemKind.REGULAR
            ).values_list("pk", flat=True)
        )
        if set(item_ids) != current:
            raise DomainError(
                _("The agenda changed meanwhile, or an item is not on it: reload the page.")
            )
        _renumber(meeting, item_ids, by=by)


# --- circulation ---------------------------------------------------------------


def agenda_circulate(*, meeting: Meeting, by=None) -> int:
    """Send the agenda: the meeting becomes `agenda_circulated` and every
    participant with an e-mail address gets one message (after commit, via
    the outbox). Returns how many were queued. Every proposal must be decided
    first; circulating twice is refused."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not locked.can_move_to(MeetingStatus.AGENDA_CIRCULATED):
            raise DomainError(
                _("The agenda cannot be circulated: the meeting's status is “%(state)s”.")
                % {"state": locked.get_status_display()}
            )
        pending = locked.agenda_items.filter(status=AgendaItemStatus.PROPOSED).count()
        if pending:
            raise DomainError(
                _("Decide on every proposed item before circulating the agenda (%(n)s left).")
                % {"n": pending}
            )
        agenda_ensure_standing_items(meeting=locked, by=by)
        rows = agenda_rows(locked)
        if not rows:
            raise DomainError(_("Accept at least one item before circulating the agenda."))
        recipients = list(
            locked.participants.filter(person__isnull=False)
            .exclude(person__email="")
            .select_related("person", "organization")
            .order_by("pk")
        )
        if not recipients:
            raise DomainError(_("Invite the participants first: nobody would receive the agenda."))
        locked.status = MeetingStatus.AGENDA_CIRCULATED
        locked.agenda_circulated_at = timezone.now()
        _by(locked, by)
        locked.save(update_fields=["status", "agenda_circulated_at", "updated_at"])
        action_points = list(open_action_points(locked)) if _has_action_points(rows) else []
        for participant in recipients:
            _queue_agenda_email(locked, participant, rows, action_points)
    meeting.status = locked.status
    meeting.agenda_circulated_at = locked.agenda_circulated_at
    return len(recipients)


def _queue_agenda_email(
    meeting: Meeting,
    participant: Participant,
    rows: list[AgendaRow],
    action_points: list[ActionPoint],
) -> None:
    context = {
        "meeting": meeting,
        "participant": participant,
        "rows": rows,
        "action_points": action_points,
        "chair": chair_name(meeting),
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }
    email_queue(
        to=participant.person.email,
        subject=render_to_string("meetings/email/agenda_subject.txt", context).strip(),
        body=render_to_string("meetings/email/agenda_body.txt", context),
        dedupe_key=f"agenda:{meeting.pk}:{meeting.agenda_circulated_at.isoformat()}:{participant.pk}",
    )


# --- reads shared by the page, the PDF and the e-mail -----------------------------


@dataclass(frozen=True)
class AgendaRow:
    """One numbered line of the agenda, with the time it is expected to start."""

    number: int
    item: AgendaItem
    starts: datetime


def agenda_items(meeting: Meeting):
    return meeting.agenda_items.select_related(
        "presenter", "proposed_by_org", "carried_from__meeting"
    ).order_by("position", "created_at", "pk")


def agenda_rows(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[AgendaRow]:
    """The accepted items in order, standing ones first, numbered and timed
    from the start of the meeting (in its time zone)."""
    if items is None:
        items = list(agenda_items(meeting).filter(status=AgendaItemStatus.ACCEPTED))
    accepted = [i for i in items if i.status == AgendaItemStatus.ACCEPTED]
    accepted.sort(
        key=lambda i: (
            STANDING_KINDS.index(i.kind) if i.kind in STANDING_KINDS else len(STANDING_KINDS),
            i.position,
        )
    )
    rows, starts = [], meeting.local_start
    for number, item in enumerate(accepted, start=1):
        rows.append(AgendaRow(number, item, starts))
        starts += timedelta(minutes=item.minutes_wanted)
    return rows


def _has_action_points(rows: list[AgendaRow]) -> bool:
    return any(r.item.kind == AgendaItemKind.ACTION_POINTS for r in rows)


def chair_name(meeting: Meeting) -> str:
    """Who chairs: the agency of the chair term (and the chairperson when
    named), or the coordinator of a network without a rotating chair."""
    term = meeting.chair_term
    if term is None:
        # A meeting saved without meeting_save (an import, a fixture) has no
        # term yet: the one covering its date chairs it.
        day = meeting.local_start.date()
        term = (
            meeting.network.chair_terms.filter(start__lte=day, end__gte=day)
            .select_related("organization")
            .first()
        )
    if term is not None:
        if term.chairperson:
            return f"{term.chairperson} ({term.organization.name})"
        return term.organization.name
    if meeting.network.coordinator_id:
        return _("%(org)s (coordinator)") % {"org": meeting.network.coordinator.name}
    return ""
