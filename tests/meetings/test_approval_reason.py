"""Approving minutes that were never circulated for comment needs a stated
reason: the approval page asks for it only then, refuses the approval
without it (nothing changes), and the reason is kept in the history of the
minutes and of the meeting, where the history panels show it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus
from meetings.services import minutes as service
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

REASON = "The members agreed the text at the meeting itself."


@pytest.fixture
def held(network, agency_a, chair):
    return make_meeting(network, days=-2, status=MeetingStatus.HELD)


@pytest.fixture
def draft(held, chair):
    return service.minutes_save(
        meeting=held, body="The agenda was adopted.", decisions="", base_version=0, by=chair
    ).minutes


def approve_url(meeting) -> str:
    return reverse("meetings:minutes_approve", args=[meeting.pk])


def _state(meeting):
    minutes = Minutes.objects.get(meeting=meeting)
    return (
        minutes.status,
        minutes.approved_at,
        Meeting.objects.get(pk=meeting.pk).status,
        Minutes.history.count(),
        Meeting.history.count(),
    )


def test_the_page_asks_for_a_reason_only_for_minutes_never_circulated(client, held, draft, chair):
    """A draft never circulated: the approval page has a required reason
    field and says why; circulated minutes: no reason field."""
    client.force_login(chair)
    page = client.get(approve_url(held))
    assert "reason" in page.context["form"].fields
    assert page.context["form"].fields["reason"].required
    assert "approving them needs a reason" in page.content.decode()

    service.minutes_circulate(
        minutes=draft, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    page = client.get(approve_url(held))
    assert "reason" not in page.context["form"].fields
    assert 'name="reason"' not in page.content.decode()


@pytest.mark.parametrize("reason", ["", "   "])
def test_approving_uncirculated_minutes_without_a_reason_is_refused(
    client, held, draft, chair, reason
):
    """Without a reason (or only spaces) the page answers with the message
    on the field, and nothing changes: the minutes stay a draft, the
    meeting stays held, no history record is written."""
    client.force_login(chair)
    before = _state(held)

    response = client.post(approve_url(held), {"version": draft.version, "reason": reason})

    assert response.status_code == 200
    assert "say why you approve them without circulation" in response.content.decode()
    assert response.context["form"].errors["reason"]
    assert _state(held) == before
    assert before[0] == MinutesStatus.DRAFT and before[2] == MeetingStatus.HELD


def test_the_service_refuses_it_too(held, draft, chair):
    """Called directly (a script, a task), the service refuses the same way."""
    before = _state(held)
    with pytest.raises(DomainError, match="never circulated") as refused:
        service.minutes_approve(minutes=draft, by=chair)
    assert refused.value.field == "reason"
    assert _state(held) == before


def test_with_a_reason_the_approval_is_made_and_the_history_keeps_it(client, held, draft, chair):
    """With a reason the minutes are approved; the history records of the
    minutes and of the meeting carry the reason and the approver, and the
    minutes' history panel (versions page) and the meeting's show it."""
    client.force_login(chair)

    response = client.post(approve_url(held), {"version": draft.version, "reason": REASON})

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.status == MinutesStatus.APPROVED
    record = Minutes.history.filter(id=minutes.pk).latest()
    assert record.status == MinutesStatus.APPROVED
    assert record.history_user_id == chair.pk
    assert record.history_change_reason == f"Approved without circulation: {REASON}"
    meeting_record = Meeting.history.filter(id=held.pk).latest()
    assert meeting_record.status == MeetingStatus.MINUTES_APPROVED
    assert meeting_record.history_change_reason == f"Approved without circulation: {REASON}"

    versions = client.get(reverse("meetings:minutes_versions", args=[held.pk]))
    assert f"Approved without circulation: {REASON}" in versions.content.decode()
    meeting_page = client.get(held.get_absolute_url())
    assert f"Approved without circulation: {REASON}" in meeting_page.content.decode()


def test_a_reason_longer_than_the_limit_is_refused(client, held, draft, chair):
    """A reason is a paragraph, not a document: over the limit the form
    says so and nothing changes."""
    client.force_login(chair)
    before = _state(held)
    too_long = "x" * (service.APPROVAL_REASON_MAX_LENGTH + 1)

    response = client.post(approve_url(held), {"version": draft.version, "reason": too_long})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert _state(held) == before


def test_circulated_minutes_are_approved_without_a_reason(client, held, draft, chair):
    """The normal path: minutes circulated for comment need no reason, and
    the history record carries none."""
    service.minutes_circulate(
        minutes=draft, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    client.force_login(chair)

    response = client.post(approve_url(held), {"version": draft.version})

    assert response.status_code == 302
    record = Minutes.history.filter(id=draft.pk).latest()
    assert record.status == MinutesStatus.APPROVED
    assert not record.history_change_reason
    assert record.history_user_id == chair.pk


def test_minutes_withdrawn_after_circulation_need_no_reason(held, draft, chair):
    """Minutes circulated once and taken back to draft were circulated:
    the members saw them, so no reason is asked."""
    service.minutes_circulate(
        minutes=draft, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    service.minutes_withdraw(minutes=draft, by=chair)

    service.minutes_approve(minutes=draft, by=chair)

    assert Minutes.objects.get(pk=draft.pk).status == MinutesStatus.APPROVED
