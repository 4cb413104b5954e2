"""The nightly job that keeps the session table from growing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_deleted_and_live_ones_kept():
    """Expired rows go, a session still valid stays; a second run changes nothing."""
    now = timezone.now()
    Session.objects.create(
        session_key="old", session_data="x", expire_date=now - timedelta(hours=1)
    )
    Session.objects.create(
        session_key="live", session_data="x", expire_date=now + timedelta(hours=1)
    )
    clear_expired_sessions()
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_beat_runs_it_every_night():
    """The job is scheduled; without it the table would grow with every sign-in."""
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.clear_expired_sessions" in tasks
