"""What the search finds of the meetings app: meetings, agenda items and
minutes, each under the meetings' own visibility rule."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import AgendaItem, AgendaItemStatus, Meeting, Minutes, MinutesStatus
from .permissions import visible_meetings


def _managed(actor) -> Q:
    if actor.is_admin or actor.secretariat_everywhere:
        return Q(pk__isnull=False)
    ids = actor.secretariat_network_ids | actor.admin_network_ids | actor.chair_network_ids
    return Q(meeting__network_id__in=ids)


def meeting_text(meeting: Meeting) -> SearchText:
    return SearchText(
        title=meeting.title,
        body=" ".join(p for p in (meeting.city, meeting.venue, meeting.notes) if p),
        url=meeting.get_absolute_url(),
        network_id=meeting.network_id,
        year=meeting.start.year,
    )


def item_text(item: AgendaItem) -> SearchText:
    return SearchText(
        title=item.title,
        body=item.purpose,
        url=f"{item.meeting.get_absolute_url()}#item-{item.pk}",
        network_id=item.meeting.network_id,
        year=item.meeting.start.year,
    )


def minutes_text(minutes: Minutes) -> SearchText:
    meeting = minutes.meeting
    return SearchText(
        title=str(_("Minutes: %(meeting)s") % {"meeting": meeting.title}),
        body=f"{minutes.body}\n{minutes.decisions}",
        url=f"{meeting.get_absolute_url()}#minutes",
        network_id=meeting.network_id,
        year=meeting.start.year,
    )


def visible_items(actor):
    """Accepted items of the meetings the actor sees; the others only to
    those who manage the meeting (meetings.permissions.may_read_agenda_item)."""
    return AgendaItem.objects.filter(meeting__in=visible_meetings(actor).values("pk")).filter(
        Q(status=AgendaItemStatus.ACCEPTED) | _managed(actor)
    )


def visible_minutes(actor):
    return Minutes.objects.filter(meeting__in=visible_meetings(actor).values("pk")).filter(
        ~Q(status=MinutesStatus.DRAFT) | _managed(actor)
    )


registry.search_source(
    SearchSource(
        "meetings",
        "meeting",
        _("Meetings"),
        Meeting,
        meeting_text,
        visible_meetings,
        order=20,
    )
)
registry.search_source(
    SearchSource(
        "meetings",
        "agenda_item",
        _("Agenda items"),
        AgendaItem,
        item_text,
        visible_items,
        order=21,
        queryset=lambda: AgendaItem.objects.select_related("meeting"),
    )
)
registry.search_source(
    SearchSource(
        "meetings",
        "minutes",
        _("Minutes"),
        Minutes,
        minutes_text,
        visible_minutes,
        order=22,
        queryset=lambda: Minutes.objects.select_related("meeting"),
    )
)
