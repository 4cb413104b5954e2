"""Minutes: the chair (or the secretariat) drafts them once the meeting is
held, circulates them for comment until a deadline, revises them and
approves them; the approval closes the meeting (held → minutes approved).

Every save of the text is a new numbered version (MinutesVersion), made
only if the stored version is still the one the editor started from: two
people editing the same draft never silently overwrite each other
(MinutesConflict). The edit page edits the action points with the text, so
they are guarded by the same version number.

Revising circulated minutes keeps them circulated: comments name the
version they were made on, members read the revised text at once, and the
deadline still holds. Taking them back to draft (circulated → draft) is a
separate action, `minutes_withdraw`; circulating again sends the e-mail
again only for a version not sent yet.

`compare_texts` and `minutes_compare` are reads (the diff page), kept here
with the versions they compare; so is `minutes_draft`, the text the edit
page starts from while the minutes are empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError
from core.history import acting_user, set_history_user
from core.limits import MINUTES_MAX_CHARS, check_model_lengths
from core.textdiff import TextDiff, compare_texts, normalise_newlines
from members.models import Organization, PersonLevel
from notifications.outbox import email_queue

from ..models import (
    COMMENT_MAX_CHARS,
    ActionPoint,
    ActionPointStatus,
    AgendaItemKind,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesStatus,
    MinutesVersion,
    Participant,
    Response,
)
from ..selectors import attendance_by_state, meeting_participants
from ..signals import minutes_approved
from .agenda import AgendaRow, _has_action_points, agenda_rows, open_action_points

log = logging.getLogger(__name__)

# The meeting states in which minutes may exist (seed 000: the chair
# prepares the minutes *of the meeting*, so after it).
MEETING_HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
COMMENT_MAX_LENGTH = COMMENT_MAX_CHARS
APPROVAL_REASON_MAX_LENGTH = 2000


class MinutesConflict(DomainError):
    """The minutes were saved by someone else since the editor loaded them."""

    def __init__(self, *, current: Minutes, base_version: int):
        who = current.versions.select_related("created_by").filter(number=current.version).first()
        author = str(who.created_by) if who and who.created_by else _("someone else")
        super().__init__(
            _(
                "These minutes were changed by %(who)s while you were editing "
                "(you started from version %(base)s; they are now at version %(now)s). "
                "Nothing of yours was saved: your text is still below. Look at what "
                "changed, merge it into your text and save again."
            )
            % {"who": author, "base": base_version, "now": current.version}
        )
        self.current = current
        self.base_version = base_version


@dataclass(frozen=True)
class ActionPointInput:
    """One row of the action points on the edit page: a new one (no pk), a
    change to an existing one, or its removal."""

    description: str
    owner_id: int | None
    due: date | None = None
    pk: int | None = None
    delete: bool = False


# --- the rules ----------------------------------------------------------------------


def minutes_ensure_meeting_held(meeting: Meeting) -> None:
    """Minutes exist only for a meeting that was held."""
    if meeting.status not in MEETING_HELD:
        raise DomainError(
            _("Minutes are written once the meeting is held; this meeting is %(state)s.")
            % {"state": meeting.get_status_display().lower()}
        )


def minutes_check_move(*, minutes: Minutes, to: str) -> None:
    """Raise DomainError (saying why) unless the minutes may move to `to`."""
    if not minutes.can_move_to(to):
        raise DomainError(
            _("Minutes that are %(state)s cannot become %(to)s.")
            % {
                "state": minutes.get_status_display().lower(),
                "to": MinutesStatus(to).label.lower(),
            }
        )


def _transition(minutes: Minutes, to: str) -> None:
    minutes_check_move(minutes=minutes, to=to)
    minutes.status = to


def _normalise(text: str) -> str:
    return normalise_newlines(text)


def _locked(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


def _refresh(target: Minutes, source: Minutes, fields: Sequence[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


# --- writing and revising --------------------------------------------------------------


@dataclass
class _ActionPointPlan:
    create: list[ActionPoint] = field(default_factory=list)
    update: list[ActionPoint] = field(default_factory=list)
    delete: list[ActionPoint] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.create or self.update or self.delete)


def _plan_action_points(meeting: Meeting, items: Sequence[ActionPointInput]) -> _ActionPointPlan:
    plan = _ActionPointPlan()
    existing = {ap.pk: ap for ap in meeting.action_points.all()}
    for item in items:
        if item.pk is not None and item.pk not in existing:
            raise DomainError(
                _("An action point in the list was removed meanwhile; reload the page.")
            )
        if item.delete:
            if item.pk is not None:
                plan.delete.append(existing[item.pk])
            continue
        description = " ".join(item.description.split())
        if not description:
            raise DomainError(_("Every action point needs a description."))
        if len(description) > 500:
            raise DomainError(_("Keep each action point under 500 characters."))
        if item.owner_id is None:
            raise DomainError(_("Every action point needs an owner organization."))
        if item.pk is None:
            plan.create.append(
                ActionPoint(
                    network_id=meeting.network_id,
                    meeting=meeting,
                    description=description,
                    owner_id=item.owner_id,
                    due=item.due,
                )
            )
            continue
        point = existing[item.pk]
        if (point.description, point.owner_id, point.due) != (description, item.owner_id, item.due):
            point.description, point.owner_id, point.due = description, item.owner_id, item.due
            plan.update.append(point)
    return plan


def _apply_action_points(plan: _ActionPointPlan, by: User | None = None) -> None:
    # One save per changed row, not bulk: action points keep their history.
    for point in plan.delete:
        set_history_user(point, by)
        point.delete()
    for point in plan.update:
        set_history_user(point, by)
        point.save(update_fields=["description", "owner", "due"])
    for point in plan.create:
        set_history_user(point, by)
        point.save()


def _minutes_of(meeting: Meeting, by: User | None) -> Minutes:
    """The meeting's minutes, created (with a history record naming `by`)
    on the first save."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None:
        return minutes
    try:
        with transaction.atomic():
            minutes = Minutes(meeting=meeting)
            set_history_user(minutes, by)
            minutes.save()
    except IntegrityError:
        # Two first saves at once: the other one created them.
        minutes = Minutes.objects.get(meeting=meeting)
    return minutes


class Saved(NamedTuple):
    minutes: Minutes
    new_version: bool  # False: nothing had changed, nothing was saved


def minutes_save(
    *,
    meeting: Meeting,
    body: str,
    decisions: str,
    base_version: int,
    action_points: Sequence[ActionPointInput] = (),
    by: User | None,
) -> Saved:
    """Save the text (and the action points) as a new version, the first
    save creating the minutes.

    `base_version` is the version the editor loaded (0 before the minutes
    exist). If the stored version has moved on, nothing is saved and
    MinutesConflict is raised. A save that asks for what is stored already
    makes no version (`new_version` is False).
    """
    minutes_ensure_meeting_held(meeting)
    body, decisions = _normalise(body), _normalise(decisions)
    check_model_lengths(Minutes, body=body, decisions=decisions)
    with transaction.atomic():
        minutes = _minutes_of(meeting, by)
        current = _locked(minutes)
        if current.status == MinutesStatus.APPROVED:
            raise DomainError(_("Approved minutes can no longer be changed."))
        try:
            plan = _plan_action_points(meeting, action_points)
        except DomainError:
            if current.version != base_version:
                # A row removed by the other editor: the conflict says more.
                raise MinutesConflict(current=current, base_version=base_version) from None
            raise
        if body == current.body and decisions == current.decisions and not plan:
            if current.version == 0:
                raise DomainError(_("Write the minutes before saving them."), field="body")
            return Saved(current, False)
        if current.version != base_version:
            raise MinutesConflict(current=current, base_version=base_version)
        new_version = base_version + 1
        now = timezone.now()
        # The guard that settles a race: only the save based on the stored
        # version updates the row (the select_for_update above makes the
        # second writer wait on PostgreSQL; this filter refuses it anywhere).
        updated = (
            Minutes.objects.filter(pk=current.pk, version=base_version)
            .exclude(status=MinutesStatus.APPROVED)
            .update(body=body, decisions=decisions, version=new_version, updated_at=now)
        )
        if not updated:
            raise MinutesConflict(
                current=Minutes.objects.get(pk=current.pk), base_version=base_version
            )
        current.body, current.decisions = body, decisions
        current.version, current.updated_at = new_version, now
        # The guarded .update() above writes no history by itself: record the
        # new version as a change, naming who saved it.
        Minutes.history.bulk_history_create(
            [current], update=True, default_user=acting_user(by), default_date=now
        )
        MinutesVersion.objects.create(
            minutes=current,
            number=new_version,
            body=body,
            decisions=decisions,
            status=current.status,
            created_by=by,
        )
        _apply_action_points(plan, by)
    log.info(
        "minutes.saved minutes=%s version=%s by=%s action_points=+%s~%s-%s",
        current.pk,
        new_version,
        getattr(by, "pk", None),
        len(plan.create),
        len(plan.update),
        len(plan.delete),
    )
    return Saved(current, True)


# --- circulating, withdrawing, approving -------------------------------------------


def minutes_circulate(*, minutes: Minutes, comment_deadline: datetime, by: User | None) -> Minutes:
    """Send the draft to the participants for comment until the deadline.
    Each participant gets one e-mail per version circulated."""
    if comment_deadline is None:
        raise DomainError(_("Give a deadline for comments."), field="comment_deadline")
    if comment_deadline <= timezone.now():
        raise DomainError(
            _("The deadline for comments must be in the future."), field="comment_deadline"
        )
    with transaction.atomic():
        locked = _locked(minutes)
        _transition(locked, MinutesStatus.CIRCULATED)
        if not (locked.body.strip() or locked.decisions.strip()):
            raise DomainError(_("There is nothing to circulate yet: write the minutes first."))
        locked.comment_deadline = comment_deadline
        locked.circulated_at = timezone.now()
        set_history_user(locked, by)
        locked.save(update_fields=["status", "comment_deadline", "circulated_at", "updated_at"])
        sent = _notify_participants(locked, occasion="circulated")
    _refresh(
        minutes, locked, ["status", "comment_deadline", "circulated_at", "updated_at", "version"]
    )
    log.info(
        "minutes.circulated minutes=%s version=%s by=%s emails=%s",
        minutes.pk,
        minutes.version,
        getattr(by, "pk", None),
        sent,
    )
    return minutes


def minutes_withdraw(*, minutes: Minutes, by: User | None) -> Minutes:
    """Take circulated minutes back to draft: members no longer see them
    and comments stop."""
    with transaction.atomic():
        locked = _locked(minutes)
        _transition(locked, MinutesStatus.DRAFT)
        locked.comment_deadline = None
        set_history_user(locked, by)
        locked.save(update_fields=["status", "comment_deadline", "updated_at"])
    _refresh(minutes, locked, ["status", "comment_deadline", "updated_at"])
    log.info("minutes.withdrawn minutes=%s by=%s", minutes.pk, getattr(by, "pk", None))
    return minutes


def minutes_check_approvable(*, minutes: Minutes, meeting: Meeting) -> None:
    """Raise DomainError (saying why) unless these minutes may be approved
    now: a move their states allow, for a meeting that was held, with a text."""
    minutes_check_move(minutes=minutes, to=MinutesStatus.APPROVED)
    if not meeting.can_move_to(MeetingStatus.MINUTES_APPROVED):
        raise DomainError(
            _("Minutes are approved once the meeting is held; this meeting is %(state)s.")
            % {"state": meeting.get_status_display().lower()}
        )
    if not (minutes.body.strip() or minutes.decisions.strip()):
        raise DomainError(_("There is nothing to approve yet: write the minutes first."))


def minutes_need_approval_reason(minutes: Minutes) -> bool:
    """Minutes never circulated for comment are approved only with a stated
    reason (kept in the history of the minutes and of the meeting)."""
    return minutes.circulated_at is None


def minutes_approve(
    *, minutes: Minutes, by: User | None, version: int | None = None, reason: str = ""
) -> Minutes:
    """Approve the minutes as they stand (at `version`, when given: the one
    the approver read), and close the meeting: held → minutes approved.

    Minutes that were never circulated need a `reason`; without one nothing
    changes (DomainError on the field "reason")."""
    reason = " ".join((reason or "").split())
    if len(reason) > APPROVAL_REASON_MAX_LENGTH:
        raise DomainError(
            _("Keep the reason under %(n)s characters.") % {"n": APPROVAL_REASON_MAX_LENGTH},
            field="reason",
        )
    with transaction.atomic():
        locked = _locked(minutes)
        if version is not None and locked.version != version:
            raise DomainError(
                _(
                    "The minutes changed since you opened them (they are now at version "
                    "%(now)s). Read them again before approving."
                )
                % {"now": locked.version}
            )
        meeting = Meeting.objects.select_for_update().get(pk=locked.meeting_id)
        minutes_check_approvable(minutes=locked, meeting=meeting)
        change_reason = ""
        if minutes_need_approval_reason(locked):
            if not reason:
                raise DomainError(
                    _(
                        "These minutes were never circulated for comment: say why you "
                        "approve them without circulation."
                    ),
                    field="reason",
                )
            change_reason = _("Approved without circulation: %(reason)s") % {"reason": reason}
        _transition(locked, MinutesStatus.APPROVED)
        locked.approved_at = timezone.now()
        locked.approved_by = acting_user(by)
        set_history_user(locked, by)
        if change_reason:
            locked._change_reason = change_reason
        locked.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        meeting.status = MeetingStatus.MINUTES_APPROVED
        set_history_user(meeting, by)
        if change_reason:
            meeting._change_reason = change_reason
        meeting.save(update_fields=["status", "updated_at"])
        locked.meeting = meeting
        minutes_approved.send(sender=Minutes, minutes=locked, meeting=meeting, by=by)
        _notify_participants(locked, occasion="approved")
    _refresh(minutes, locked, ["status", "approved_at", "approved_by", "updated_at"])
    minutes.meeting.status = meeting.status
    log.info(
        "minutes.approved minutes=%s version=%s by=%s uncirculated=%s",
        minutes.pk,
        minutes.version,
        getattr(by, "pk", None),
        bool(change_reason),
    )
    return minutes


# --- comments ----------------------------------------------------------------------------


def minutes_comment_add(
    *,
    minutes: Minutes,
    author: User,
    organization: Organization | None,
    body: str,
    version: int | None = None,
) -> MinutesComment:
    """A member's comment on circulated minutes, before the deadline. It
    records the version read (`version`, by default the current one)."""
    body = _normalise(body).strip()
    if not body:
        raise DomainError(_("Write your comment."), field="body")
    if len(body) > COMMENT_MAX_LENGTH:
        raise DomainError(
            _("Keep your comment under %(n)s characters.") % {"n": COMMENT_MAX_LENGTH},
            field="body",
        )
    with transaction.atomic():
        locked = _locked(minutes)
        if locked.status != MinutesStatus.CIRCULATED:
            raise DomainError(_("Comments are taken only while the minutes are circulated."))
        if locked.comment_deadline is not None and locked.comment_deadline < timezone.now():
            raise DomainError(_("The deadline for comments has passed."))
        if version is None or not 1 <= version <= locked.version:
            version = locked.version
        comment = MinutesComment.objects.create(
            minutes=locked, version=version, author=author, organization=organization, body=body
        )
    log.info("minutes.commented minutes=%s version=%s by=%s", minutes.pk, version, author.pk)
    return comment


# --- action points after the meeting ----------------------------------------------------


def action_point_set_done(
    *, action_point: ActionPoint, done: bool, by: User | None = None
) -> ActionPoint:
    """Mark an action point done (or open again). Idempotent."""
    status = ActionPointStatus.DONE if done else ActionPointStatus.OPEN
    if action_point.status == status:
        return action_point
    with transaction.atomic():
        action_point.status = status
        set_history_user(action_point, by)
        action_point.done_at = timezone.now() if done else None
        action_point.save(update_fields=["status", "done_at"])
    return action_point


# --- e-mail -------------------------------------------------------------------------------


def _notify_participants(minutes: Minutes, *, occasion: str) -> int:
    """One e-mail per participant's address for this occasion and version
    (the dedupe key makes a second call send nothing). Returns how many
    addresses it was written to."""
    meeting = minutes.meeting
    participants = (
        meeting.participants.filter(person__isnull=False, person__is_active=True)
        .exclude(person__email="")
        .select_related("person", "organization")
        .order_by("organization__acronym", "person__name")
    )
    page = settings.SITE_URL + meeting.get_absolute_url() + "#minutes"
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "network": meeting.network,
        "page_url": page,
        "pdf_url": settings.SITE_URL + reverse("meetings:minutes_pdf", args=[meeting.pk]),
        "deadline": (meeting.in_local_time(minutes.comment_deadline)),
    }
    key_version = minutes.version if occasion == "circulated" else "final"
    seen: set[str] = set()
    for participant in participants:
        address = participant.person.email.strip().lower()
        if address in seen:
            continue
        seen.add(address)
        mail_context = {**context, "participant": participant}
        email_queue(
            to=address,
            subject=render_to_string(
                f"meetings/email/minutes_{occasion}_subject.txt", mail_context
            ).strip(),
            body=render_to_string(f"meetings/email/minutes_{occasion}_body.txt", mail_context),
            dedupe_key=f"minutes:{minutes.pk}:{occasion}:v{key_version}:{address}",
        )
    return len(seen)


# --- comparing versions (reads) -------------------------------------------------------------


@dataclass(frozen=True)
class VersionComparison:
    old: MinutesVersion | None  # None: version 0, before the first save
    new: MinutesVersion
    diffs: list[TextDiff]

    @property
    def changed(self) -> bool:
        return any(d.changed for d in self.diffs)


def minutes_compare(*, minutes: Minutes, old: int, new: int) -> VersionComparison | None:
    """Version `old` against version `new` (body and decisions); None when
    either does not exist. Version 0 is the empty text before the first save."""
    wanted = {n for n in (old, new) if n > 0}
    found = {
        v.number: v
        for v in MinutesVersion.objects.filter(minutes=minutes, number__in=wanted).select_related(
            "created_by"
        )
    }
    if new not in found or (old > 0 and old not in found) or old < 0:
        return None
    older, newer = found.get(old), found[new]
    return VersionComparison(
        older,
        newer,
        [
            compare_texts(older.body if older else "", newer.body, label=_("Minutes")),
            compare_texts(
                older.decisions if older else "", newer.decisions, label=_("Decisions taken")
            ),
        ],
    )


# --- the draft the minutes start from (reads) ------------------------------------------------

# What the chair replaces with the record of the discussion: language-neutral.
TO_COMPLETE = "…"

# Characters that would turn a typed title or name into Markdown formatting
# (emphasis, code, a link); a backslash keeps them as they are.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]])")


def _md(text: str) -> str:
    """Typed text as one line of Markdown that shows as typed."""
    return _MARKDOWN_INLINE.sub(r"\\\1", " ".join((text or "").split()))


class MinutesDraft(NamedTuple):
    body: str
    decisions: str


def minutes_offers_draft(minutes: Minutes | None) -> bool:
    """The edit page starts from a draft only while nothing is written: no
    minutes yet, or minutes whose text is empty. Saved text is never
    replaced."""
    return minutes is None or not (minutes.body.strip() or minutes.decisions.strip())


def _item_title(row: AgendaRow) -> str:
    item = row.item
    # A standing item is named in the reader's language, as on the agenda.
    title = item.title if item.kind == AgendaItemKind.REGULAR else item.get_kind_display()
    return _("%(number)s. %(title)s") % {"number": row.number, "title": _md(title)}


def _person(p: Participant) -> str:
    person = p.person
    name = " ".join(part for part in (person.honorific, person.name) if part)
    if p.response == Response.DELEGATE and p.delegate_name and p.attendance == Attendance.PRESENT:
        return _("%(delegate)s (for %(name)s)") % {
            "delegate": _md(p.delegate_name),
            "name": _md(name),
        }
    if person.level == PersonLevel.PRINCIPAL:
        return _("%(name)s (principal)") % {"name": _md(name)}
    return _md(name)


def _by_agency(participants: list[Participant]) -> str:
    """ "Agency A (AAA): Ms X, Mr Y; Guest Institute (GST, guest)": the
    agencies in the order given, each with the people named for it."""
    agencies: dict[int, tuple[Participant, list[str]]] = {}
    for p in participants:
        _first, people = agencies.setdefault(p.organization_id, (p, []))
        if p.person_id:
            people.append(_person(p))
    parts = []
    for first, people in agencies.values():
        org = first.organization
        if first.is_guest:
            agency = _("%(name)s (%(acronym)s, guest)") % {
                "name": _md(org.name),
                "acronym": _md(org.acronym),
            }
        else:
            # Members by acronym, as minutes name them; guests in full.
            agency = _md(org.acronym)
        if people:
            agency = _("%(agency)s: %(people)s") % {"agency": agency, "people": ", ".join(people)}
        parts.append(agency)
    return "; ".join(parts)


def _attendance_lines(participants: list[Participant]) -> list[str]:
    sentences = {
        Attendance.PRESENT: _("Present: %(who)s"),
        Attendance.APOLOGIES: _("Apologies: %(who)s"),
        Attendance.ABSENT: _("Absent: %(who)s"),
        Attendance.UNKNOWN: _("Invited, attendance not recorded: %(who)s"),
    }
    groups = attendance_by_state(participants)
    if not groups:
        return [_("Attendance was not recorded."), ""]
    return [f"- {sentences[state] % {'who': _by_agency(group)}}" for state, group in groups] + [""]


def _action_point_line(point: ActionPoint) -> str:
    values = {
        "action": _md(point.description),
        "owner": _md(point.owner.acronym),
        "agreed": date_format(point.meeting.local_start.date(), "j F Y"),
    }
    if point.due:
        values["due"] = date_format(point.due, "j F Y")
        sentence = _("%(action)s (%(owner)s, due %(due)s; agreed on %(agreed)s). Status:") % values
    else:
        sentence = _("%(action)s (%(owner)s; agreed on %(agreed)s). Status:") % values
    return f"- {sentence} {TO_COMPLETE}"


def _clip(text: str) -> str:
    """A draft never longer than the minutes may be (an agenda of thousands
    of items): cut at the last whole line that fits."""
    if len(text) <= MINUTES_MAX_CHARS:
        return text
    # A newline right after the last character that fits still keeps it.
    cut = text.rfind("\n", 0, MINUTES_MAX_CHARS + 1)
    if cut <= 0:  # no whole line fits (one line of thousands of names): cut it
        cut = MINUTES_MAX_CHARS
    return text[:cut]


def minutes_draft(meeting: Meeting) -> MinutesDraft:
    """The minutes and the decisions as the chair starts them, in Markdown,
    in the language of the request. A pure read, three queries whatever the
    size of the meeting: the accepted agenda items, the participants, the
    open action points.

    The minutes: the attendance, by agency (present, apologies, absent,
    not recorded); then a heading per agenda item in agenda order ("## 2.
    Work plan"), with its presenter, and a line to complete; under the item
    on the open action points (or in a section of their own at the end when
    the agenda has no such item), one line per action point of earlier
    meetings still open when this one started. The decisions: one line to
    complete per item, but the action points'."""
    rows = agenda_rows(meeting)
    participants = meeting_participants(meeting)
    points = list(open_action_points(meeting))
    point_lines = [_action_point_line(p) for p in points] or [_("No action point was open.")]

    body = [f"## {_('Attendance')}", ""] + _attendance_lines(participants)
    decisions = []
    for row in rows:
        item = row.item
        body += [f"## {_item_title(row)}", ""]
        if item.presenter_id:
            presented = _("Presented by %(org)s (%(acronym)s)") % {
                "org": _md(item.presenter.name),
                "acronym": _md(item.presenter.acronym),
            }
            body += [f"*{presented}*", ""]
        if item.kind == AgendaItemKind.ACTION_POINTS:
            body += point_lines + [""]
        else:
            body += [TO_COMPLETE, ""]
            decisions.append(f"- **{_item_title(row)}:** {TO_COMPLETE}")
    if points and not _has_action_points(rows):
        body += [f"## {_('Open action points from earlier meetings')}", ""] + point_lines + [""]
    return MinutesDraft(_clip("\n".join(body).strip() + "\n"), _clip("\n".join(decisions)))
