"""`acks_late` only on tasks that are safe to run twice: a worker that dies
after running a task (or a Redis visibility timeout) delivers it again. Each
of our tasks says why it is safe in its docstring; the ones that are not
obviously so are run twice here."""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.celery import app
from core.models import WorkerHeartbeat
from core.tasks import heartbeat
from meetings import tasks as meeting_tasks
from notifications import outbox
from notifications.models import OutboundEmail
from notifications.tasks import flush_outbox, send_email, send_emails
from tests.core.test_celery import longest_retry_countdown

OUR_APPS = ("accounts.", "core.", "meetings.", "workplans.", "taskteams.", "notifications.")


def _our_tasks() -> dict:
    app.loader.import_default_modules()  # every app's tasks.py, as a worker does
    return {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}


def test_every_task_is_acknowledged_late_and_says_why_it_is_safe_to_run_twice():
    """The global default is early acknowledgement; each of our tasks opts in
    to acks_late and states its reason, so a new task has to think about it."""
    tasks = _our_tasks()
    assert settings.CELERY_TASK_ACKS_LATE is False
    assert {"notifications.tasks.send_emails", "meetings.tasks.send_meeting_reminders"} <= set(
        tasks
    )
    for name, task in tasks.items():
        assert task.acks_late is True, name
        assert "safe to run twice" in " ".join((task.__doc__ or "").split()).lower(), name


def test_no_retry_countdown_outlives_the_broker_visibility_timeout():
    """A task waiting for a retry longer than the visibility timeout is
    delivered a second time by Redis. The outbox does not retry through
    Celery at all (its backoff lives on the row); the reminder jobs retry
    within minutes."""
    assert 0 < longest_retry_countdown() < settings.CELERY_VISIBILITY_TIMEOUT
    for name in ("send_emails", "send_email", "flush_outbox"):
        assert not getattr(_our_tasks()[f"notifications.tasks.{name}"], "autoretry_for", ())


def test_send_email_run_twice_sends_one_smtp_message(db, smtp_server):
    """The same id run twice (a redelivery) reaches the SMTP server once."""
    with transaction.atomic():
        message = outbox.email_queue(
            to="focal@unhcr.example.org", subject="Minutes", body="…", dedupe_key="m"
        )

    assert send_email.apply(args=[message.pk]).get() is True
    assert send_email.apply(args=[message.pk]).get() is False
    assert send_emails.apply(args=[[message.pk]]).get() == 0
    assert flush_outbox.apply().get() == 0

    assert smtp_server.received == Counter({"focal@unhcr.example.org": 1})


def test_a_reminder_task_run_twice_queues_one_message_per_recipient(
    db, django_capture_on_commit_callbacks, network, chair, secretariat, smtp_server
):
    """Beat's quarterly job delivered twice: one outbox row and one SMTP
    message per recipient."""
    today = timezone.localdate().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_tasks.send_quarterly_reminders.apply(args=[today]).get() == 2
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert meeting_tasks.send_quarterly_reminders.apply(args=[today]).get() == 0

    assert again == []
    rows = Counter(OutboundEmail.objects.values_list("to", flat=True))
    assert rows == Counter({chair.email: 1, secretariat.email: 1})
    assert smtp_server.received == rows


@pytest.mark.django_db
def test_heartbeat_run_twice_keeps_one_row_per_host():
    host = heartbeat.apply().get()
    first = WorkerHeartbeat.objects.get(hostname=host).seen_at
    assert heartbeat.apply().get() == host
    assert WorkerHeartbeat.objects.filter(hostname=host).count() == 1
    assert WorkerHeartbeat.objects.get(hostname=host).seen_at >= first
    assert mail.outbox == []
