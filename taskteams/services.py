"""Writes on task teams: set one up or edit it, activate and close it, change
its membership, and remind the secretariat of a review falling due.

Each service is atomic and keyword-only, and refuses a broken rule with
core.errors.DomainError, whose message the view shows. Every change is
recorded by django-simple-history in the same transaction, with the acting
user and a dotted action code as the change reason (`taskteam.activate`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from meetings.services.reminders import (
    Reminder,
    reminders_queue,
    secretariat_recipients,
)
from members.models import Organization, Person

from .models import TaskTeam, TaskTeamKind, TaskTeamStatus

log = logging.getLogger(__name__)

# Slugs that are path segments of the task teams' pages, not teams.
RESERVED_SLUGS = {"new"}


def _record(team: TaskTeam, by, action: str) -> None:
    """Name the acting user and the action on the history rows that follow."""
    if by is not None and getattr(by, "is_authenticated", False):
        team._history_user = by
    team._change_reason = action


def _check_dates(team: TaskTeam) -> None:
    if team.established and team.end_date and team.end_date < team.established:
        raise DomainError(_("A task team cannot end before it is established."), field="end_date")
    if team.established and team.next_review and team.next_review < team.established:
        raise DomainError(
            _("The next review cannot come before the team is established."), field="next_review"
        )


def _set_members(manager, wanted: Iterable) -> bool:
    """Make a many-to-many hold exactly `wanted`, touching only the
    differences: an unchanged composition writes no history."""
    wanted_ids = {o.pk for o in wanted}
    current_ids = set(manager.values_list("pk", flat=True))
    if current_ids - wanted_ids:
        manager.remove(*(current_ids - wanted_ids))
    if wanted_ids - current_ids:
        manager.add(*(wanted_ids - current_ids))
    return wanted_ids != current_ids


# --- set up and edit ------------------------------------------------------------------


def taskteam_save(
    *,
    team: TaskTeam,
    co_chairs: Iterable[Organization],
    member_organizations: Iterable[Organization],
    by=None,
) -> TaskTeam:
    """Create or update a team with its co-chairs and member organizations.

    The co-chairs are members too (seed 002: chairing is open to the
    members), so they are added to the member organizations. People whose
    agency leaves the team leave with it.
    """
    if team.slug in RESERVED_SLUGS:
        raise DomainError(
            _("“%(slug)s” is reserved: choose another slug.") % {"slug": team.slug}, "slug"
        )
    _check_dates(team)
    co_chairs = list(co_chairs)
    members = {o.pk: o for o in [*member_organizations, *co_chairs]}.values()
    created = team.pk is None
    try:
        with transaction.atomic():
            if team.pk is not None and team.status == TaskTeamStatus.CLOSED:
                raise DomainError(_("A closed task team can no longer be edited."))
            _record(team, by, "taskteam.create" if created else "taskteam.edit")
            team.save()
            _set_members(team.co_chairs, co_chairs)
            _set_members(team.member_organizations, members)
            member_ids = {o.pk for o in members}
            leaving = [p.pk for p in team.members.all() if p.organization_id not in member_ids]
            if leaving:
                team.members.remove(*leaving)
    except IntegrityError as exc:
        # The unique slug per network (the form checks it first; this settles a race).
        raise DomainError(
            _("Another task team of this network already uses the slug “%(slug)s”.")
            % {"slug": team.slug},
            field="slug",
        ) from exc
    return team


# --- status -------------------------------------------------------------------------------


def taskteam_transition(*, team: TaskTeam, to: str, by=None, today: date | None = None) -> TaskTeam:
    """proposed → active → closed (models.TASK_TEAM_TRANSITIONS).

    Activating a team without an establishment date dates it today; closing
    one ends it today unless it already ended earlier.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = TaskTeam.objects.select_for_update().get(pk=team.pk)
        if not locked.can_move_to(to):
            raise DomainError(
                _("A task team that is %(state)s cannot become %(to)s.")
                % {
                    "state": locked.get_status_display().lower(),
                    "to": TaskTeamStatus(to).label.lower(),
                }
            )
        fields = ["status", "updated_at"]
        if to == TaskTeamStatus.ACTIVE and locked.established is None:
            locked.established = today
            fields.append("established")
        if to == TaskTeamStatus.CLOSED and (locked.end_date is None or locked.end_date > today):
            if locked.established and locked.established > today:
                raise DomainError(
                    _("This team is established only on %(day)s: it cannot close before.")
                    % {"day": date_format(locked.established, "j F Y")}
                )
            locked.end_date = today
            fields.append("end_date")
        locked.status = to
        _record(locked, by, f"taskteam.{'activate' if to == TaskTeamStatus.ACTIVE else 'close'}")
        locked.save(update_fields=fields)
    for name in fields:
        setattr(team, name, getattr(locked, name))
    return team


# --- membership ---------------------------------------------------------------------------


def _open_for_changes(team: TaskTeam) -> None:
    if team.status == TaskTeamStatus.CLOSED:
        raise DomainError(_("The team is closed: its composition can no longer change."))


def taskteam_add_organization(*, team: TaskTeam, organization: Organization, by=None) -> None:
    with transaction.atomic():
        _open_for_changes(team)
        if team.member_organizations.filter(pk=organization.pk).exists():
            raise DomainError(
                _("%(org)s is already a member of the team.") % {"org": organization},
                field="organization",
            )
        _record(team, by, "taskteam.organization.add")
        team.member_organizations.add(organization)


def taskteam_remove_organization(
    *, team: TaskTeam, organization: Organization, by=None
) -> list[Person]:
    """Take an agency and its people off the team; returns the people removed.
    A co-chair stays: the secretariat changes co-chairs on the team's form."""
    with transaction.atomic():
        _open_for_changes(team)
        if team.co_chairs.filter(pk=organization.pk).exists():
            raise DomainError(
                _("%(org)s co-chairs the team: the secretariat changes the co-chairs.")
                % {"org": organization}
            )
        if not team.member_organizations.filter(pk=organization.pk).exists():
            raise DomainError(_("%(org)s is not a member of the team.") % {"org": organization})
        people = list(team.members.filter(organization=organization))
        _record(team, by, "taskteam.organization.remove")
        team.member_organizations.remove(organization)
        if people:
            team.members.remove(*people)
            _touch(team, by, "taskteam.people.remove")
    return people


def _touch(team: TaskTeam, by, action: str) -> None:
    """Write a history row for a change of the team's people, which the
    history does not follow field by field: who did what, and when."""
    _record(team, by, action)
    team.save(update_fields=["updated_at"])


def eligible_people(team: TaskTeam):
    """Current contacts of the team's member agencies, for this network or
    every network, not on the team yet."""
    return (
        Person.objects.filter(
            Q(network__isnull=True) | Q(network_id=team.network_id),
            organization__in=team.member_organizations.all(),
            is_active=True,
        )
        .exclude(pk__in=team.members.values("pk"))
        .select_related("organization")
        .order_by("organization__acronym", "name")
    )


def taskteam_add_person(*, team: TaskTeam, person: Person, by=None) -> None:
    with transaction.atomic():
        _open_for_changes(team)
        if team.members.filter(pk=person.pk).exists():
            raise DomainError(
                _("%(name)s is already on the team.") % {"name": person.name}, field="person"
            )
        if not eligible_people(team).filter(pk=person.pk).exists():
            raise DomainError(
                _(
                    "%(name)s is not a current contact of a member agency: "
                    "add %(org)s to the team first."
                )
                % {"name": person.name, "org": person.organization},
                field="person",
            )
        team.members.add(person)
        _touch(team, by, f"taskteam.person.add {person.pk}")


def taskteam_remove_person(*, team: TaskTeam, person: Person, by=None) -> None:
    with transaction.atomic():
        _open_for_changes(team)
        if not team.members.filter(pk=person.pk).exists():
            raise DomainError(_("%(name)s is not on the team.") % {"name": person.name})
        team.members.remove(person)
        _touch(team, by, f"taskteam.person.remove {person.pk}")


# --- review reminders ---------------------------------------------------------------------
# Seed 002: working groups are reviewed periodically, at a minimum every four
# years immediately after the International Migration Review Forum. The
# secretariat of the network hears of a review TASKTEAM_REVIEW_REMINDER_DAYS
# ahead, once per team, review date and recipient: the date is part of the
# outbox's dedupe key, so a review moved to another date is reminded again.

# A review found already past due (a team set up late, the job down for a
# while) is still reminded, up to this many days after its date.
REVIEW_LOOKBACK_DAYS = 30


def review_lead(team: TaskTeam, days_left: int) -> str:
    """The reminder's first sentence, whole for each kind of team (never
    "The %(kind)s"), with the days counted in the language's plural."""
    values = {
        "team": team.name,
        "network": team.network.name,
        "date": date_format(team.next_review, "j F Y"),
        "days": days_left,
    }
    working_group = team.kind == TaskTeamKind.WORKING_GROUP
    if days_left < 0:
        text = (
            _("The working group “%(team)s” of %(network)s was due for review on %(date)s.")
            if working_group
            else _("The task team “%(team)s” of %(network)s was due for review on %(date)s.")
        )
    elif days_left == 0:
        text = (
            _("The working group “%(team)s” of %(network)s is due for review today, %(date)s.")
            if working_group
            else _("The task team “%(team)s” of %(network)s is due for review today, %(date)s.")
        )
    elif working_group:
        text = ngettext(
            "The working group “%(team)s” of %(network)s is due for review on %(date)s, "
            "in %(days)s day.",
            "The working group “%(team)s” of %(network)s is due for review on %(date)s, "
            "in %(days)s days.",
            days_left,
        )
    else:
        text = ngettext(
            "The task team “%(team)s” of %(network)s is due for review on %(date)s, "
            "in %(days)s day.",
            "The task team “%(team)s” of %(network)s is due for review on %(date)s, "
            "in %(days)s days.",
            days_left,
        )
    return text % values


def review_reminders(*, today: date, days: int | None = None) -> list[Reminder]:
    """Active teams whose next review falls within `days` of `today` (or
    fell due at most REVIEW_LOOKBACK_DAYS ago)."""
    days = settings.TASKTEAM_REVIEW_REMINDER_DAYS if days is None else days
    teams = (
        TaskTeam.objects.filter(
            status=TaskTeamStatus.ACTIVE,
            next_review__lte=today + timedelta(days=days),
            next_review__gte=today - timedelta(days=REVIEW_LOOKBACK_DAYS),
        )
        .select_related("network")
        .prefetch_related("co_chairs")
        .order_by("next_review", "pk")
    )
    recipients_of: dict[int, list] = {}
    reminders = []
    for team in teams:
        if team.network_id not in recipients_of:
            recipients_of[team.network_id] = secretariat_recipients(network_id=team.network_id)
        context = {
            "team": team,
            "co_chairs": ", ".join(o.acronym for o in team.co_chairs.all()),
            "days_left": (team.next_review - today).days,
            "lead": review_lead(team, (team.next_review - today).days),
            "team_url": settings.SITE_URL + team.get_absolute_url(),
            "edit_url": settings.SITE_URL
            + reverse("taskteams:edit", args=[team.network.slug, team.slug]),
        }
        for recipient in recipients_of[team.network_id]:
            reminders.append(
                Reminder(
                    to=recipient,
                    dedupe_key=review_dedupe_key(team, recipient.email),
                    subject=_("%(network)s: review of %(team)s due on %(date)s")
                    % {
                        "network": team.network.short_name,
                        "team": team.name,
                        "date": date_format(team.next_review, "j M Y"),
                    },
                    template="taskteams/email/review_reminder.txt",
                    context={**context, "recipient": recipient},
                )
            )
    return reminders


def review_dedupe_key(team: TaskTeam, email: str) -> str:
    import hashlib

    prefix = f"reminder:taskteam-review:{team.pk}:{team.next_review.isoformat()}"
    key = f"{prefix}:{email}"
    if len(key) > 200:  # notifications.OutboundEmail.dedupe_key
        key = f"{prefix}:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


def review_reminders_send(*, today: date) -> int:
    """Queue the reminders not queued before; returns how many."""
    # Recipients' languages are not known: the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        count = reminders_queue(review_reminders(today=today))
    log.info("reminders.taskteam_review today=%s queued=%s", today, count)
    return count
