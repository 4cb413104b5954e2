"""Long text in meetings has a maximum far beyond a real document: each
form says it ("Up to N characters."), a longer submission is refused with
the message on the field and changes nothing, and the services refuse it
too (an import or a script does not go through a form)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.limits import LONG_TEXT_MAX_CHARS, MINUTES_MAX_CHARS, SHORT_TEXT_MAX_CHARS
from meetings.models import (
    COMMENT_MAX_CHARS,
    AgendaItem,
    AgendaItemStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesComment,
    Participant,
)
from meetings.services import agenda, schedule
from meetings.services import minutes as minutes_service
from tests.form_data import assert_refused as _refused
from tests.form_data import assert_says_limit as _says_limit
from tests.form_data import form_data, too_long
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(network, agency_a, chair):
    return make_meeting(network, days=-2, status=MeetingStatus.HELD)


@pytest.fixture
def planned(network, agency_a, agency_b):
    return make_meeting(network, days=20, proposals_deadline=timezone.now() + timedelta(days=10))


def _minutes_post(body: str, decisions: str = "", base_version: int = 0) -> dict:
    return {
        "body": body,
        "decisions": decisions,
        "base_version": base_version,
        "ap-TOTAL_FORMS": "0",
        "ap-INITIAL_FORMS": "0",
        "ap-MIN_NUM_FORMS": "0",
        "ap-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("field", ["body", "decisions"])
def test_minutes_longer_than_the_limit_are_refused_on_the_form(client, held, chair, field):
    """The edit page says the limit of the minutes and of the decisions; a
    text one character over it is refused on its field; no minutes are
    created."""
    client.force_login(chair)
    url = reverse("meetings:minutes_edit", args=[held.pk])
    _says_limit(client.get(url), field, MINUTES_MAX_CHARS)

    data = _minutes_post("Short.")
    data[field] = too_long(MINUTES_MAX_CHARS)
    response = client.post(url, data)

    _refused(response, field, MINUTES_MAX_CHARS)
    assert not Minutes.objects.exists()


def test_a_long_but_real_minutes_text_is_saved(client, held, chair):
    """60,000 characters (minutes of a long meeting) are well within it."""
    client.force_login(chair)
    body = too_long(60_000)
    response = client.post(reverse("meetings:minutes_edit", args=[held.pk]), _minutes_post(body))
    assert response.status_code == 302
    assert len(Minutes.objects.get().body) == len(body)


def test_the_minutes_service_refuses_a_text_over_the_limit(held, chair):
    """Without the form, minutes_save refuses it on the field, saving nothing."""
    saved = minutes_service.minutes_save(
        meeting=held, body="Short.", decisions="", base_version=0, by=chair
    ).minutes
    with pytest.raises(DomainError) as refused:
        minutes_service.minutes_save(
            meeting=held,
            body=too_long(MINUTES_MAX_CHARS),
            decisions="",
            base_version=1,
            by=chair,
        )
    assert refused.value.field == "body"
    saved.refresh_from_db()
    assert (saved.body, saved.version) == ("Short.", 1)


def test_a_comment_over_the_limit_is_refused(client, held, chair, focal_b, agency_b):
    """A member's comment says its limit and is refused over it."""
    minutes = minutes_service.minutes_save(
        meeting=held, body="Text.", decisions="", base_version=0, by=chair
    ).minutes
    minutes_service.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    Participant.objects.create(meeting=held, organization=agency_b, person=focal_b.people.get())
    client.force_login(focal_b)
    url = reverse("meetings:minutes_comment", args=[held.pk])
    _says_limit(client.get(url), "body", COMMENT_MAX_CHARS)

    response = client.post(url, {"body": too_long(COMMENT_MAX_CHARS), "version": 1})

    _refused(response, "body", COMMENT_MAX_CHARS)
    assert not MinutesComment.objects.exists()


def test_meeting_notes_over_the_limit_are_refused(client, planned, secretariat):
    """The meeting form says the limit of its notes; over it the meeting is
    not changed; the service refuses it too."""
    client.force_login(secretariat)
    url = reverse("meetings:edit", args=[planned.pk])
    page = client.get(url)
    _says_limit(page, "notes", LONG_TEXT_MAX_CHARS)

    response = client.post(
        url, form_data(page.context["form"], notes=too_long(LONG_TEXT_MAX_CHARS))
    )

    _refused(response, "notes", LONG_TEXT_MAX_CHARS)
    assert Meeting.objects.get(pk=planned.pk).notes == ""
    planned.notes = too_long(LONG_TEXT_MAX_CHARS)
    with pytest.raises(DomainError):
        schedule.meeting_save(meeting=planned, by=secretariat)
    assert Meeting.objects.get(pk=planned.pk).notes == ""


def test_a_cancel_reason_over_the_limit_is_refused(client, planned, secretariat):
    """Cancelling says the limit of the reason; over it the meeting stays planned."""
    client.force_login(secretariat)
    url = reverse("meetings:cancel", args=[planned.pk])
    _says_limit(client.get(url), "reason", SHORT_TEXT_MAX_CHARS)

    response = client.post(url, {"reason": too_long(SHORT_TEXT_MAX_CHARS)})

    _refused(response, "reason", SHORT_TEXT_MAX_CHARS)
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.PLANNED
    with pytest.raises(DomainError):
        schedule.meeting_cancel(meeting=planned, reason=too_long(SHORT_TEXT_MAX_CHARS))
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.PLANNED


def test_an_agenda_proposal_with_a_purpose_over_the_limit_is_refused(
    client, planned, focal_a, agency_a
):
    """The proposal form says the limit of the purpose; over it no item is
    proposed; the service refuses it too."""
    client.force_login(focal_a)
    url = reverse("meetings:agenda_propose", args=[planned.pk])
    page = client.get(url)
    _says_limit(page, "purpose", LONG_TEXT_MAX_CHARS)

    response = client.post(
        url,
        form_data(
            page.context["form"],
            title="Data portal",
            presenter=agency_a.pk,
            purpose=too_long(LONG_TEXT_MAX_CHARS),
        ),
    )

    _refused(response, "purpose", LONG_TEXT_MAX_CHARS)
    assert not AgendaItem.objects.filter(title="Data portal").exists()
    with pytest.raises(DomainError):
        agenda.agenda_item_propose(
            meeting=planned, title="Data portal", purpose=too_long(LONG_TEXT_MAX_CHARS)
        )
    assert not AgendaItem.objects.filter(title="Data portal").exists()


def test_a_chair_note_over_the_limit_is_refused(client, planned, chair, agency_a):
    """Deciding on an item says the limit of the note; over it the item is
    still a proposal."""
    item = agenda.agenda_item_propose(meeting=planned, title="Data portal", by=chair)
    client.force_login(chair)
    url = reverse("meetings:agenda_decide", args=[planned.pk, item.pk])
    _says_limit(client.get(url), "note", SHORT_TEXT_MAX_CHARS)

    response = client.post(
        url, {"decision": AgendaItemStatus.DEFERRED, "note": too_long(SHORT_TEXT_MAX_CHARS)}
    )

    _refused(response, "note", SHORT_TEXT_MAX_CHARS)
    item.refresh_from_db()
    assert (item.status, item.chair_note) == (AgendaItemStatus.PROPOSED, "")
    with pytest.raises(DomainError):
        agenda.agenda_item_decide(
            item=item, status=AgendaItemStatus.DEFERRED, note=too_long(SHORT_TEXT_MAX_CHARS)
        )
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.PROPOSED
