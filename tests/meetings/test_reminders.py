"""Reminders: convene the quarter's regular meeting, answer an invitation
before the meeting, circulate overdue minutes.

Each goes to the right people, exactly once per recipient and occasion
however often the job runs or a send is retried (the outbox's dedupe key is
the sent-log); the management command does what the task does; a broker
outage loses nothing. The last tests run the tasks on a real Celery worker
and count what a real SMTP server on loopback receives."""

from __future__ import annotations

import os
import queue
import time
from datetime import date, timedelta
from io import StringIO
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.models import Role
from config.celery import app
from meetings import tasks
from meetings.models import (
    MeetingLevel,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Participant,
    Response,
)
from meetings.services import reminders, schedule
from members.models import Governance, PersonLevel
from notifications.models import OutboundEmail
from notifications.tasks import flush_outbox
from tests import factories as f
from tests.core import test_celery as harness
from tests.meetings.conftest import make_meeting

CHAIR = "chair@agency-a.example.org"
SECRETARIAT = "secretariat@example.org"
FOCAL_B = "focal@agency-b.example.org"
PRINCIPAL_A = "head@agency-a.example.org"


@pytest.fixture(autouse=True)
def _reminder_days(settings):
    settings.MEETING_REMINDER_DAYS_BEFORE = 7
    settings.MINUTES_OVERDUE_DAYS = 14
    settings.SITE_URL = "https://secretariat.example.org"


def _run(task, today: date | None = None, **kwargs) -> int:
    """Run a reminder task as the worker would, committing as it goes:
    on-commit hands each message to send_emails (eager in the tests)."""
    return task.apply(args=[(today or timezone.localdate()).isoformat()], **kwargs).get()


def _sent() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def _recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def _invite(meeting, user, response=Response.PENDING) -> Participant:
    person = user.people.get()
    return Participant.objects.create(
        meeting=meeting, organization=person.organization, person=person, response=response
    )


# --- before a meeting ------------------------------------------------------------------------


@pytest.fixture
def soon(network, agency_a, agency_b):
    """A meeting in five days, inside the seven-day window."""
    return make_meeting(network, days=5, title="Working-level meeting")


def test_unanswered_invitations_are_reminded_once_however_often_the_task_runs(
    db, django_capture_on_commit_callbacks, soon, chair, focal_b, principal_a
):
    """Those who answered are left alone; running the task again (beat twice,
    a retry, someone by hand) sends nothing more."""
    _invite(soon, chair)
    _invite(soon, focal_b, response=Response.ATTENDING)
    _invite(soon, principal_a, response=Response.APOLOGIES)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 1
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert _run(tasks.send_meeting_reminders) == 0

    assert again == []
    assert _recipients() == [CHAIR]
    message = mail.outbox[0]
    assert message.subject.startswith("Please answer: Working-level meeting, ")
    assert f"/invitations/{soon.participants.get(person__user=chair).pk}/answer/" in message.body
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_a_meeting_further_away_than_the_setting_is_not_reminded_yet(
    db, django_capture_on_commit_callbacks, network, agency_a, chair, settings
):
    later = make_meeting(network, days=10)
    _invite(later, chair)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 0
    settings.MEETING_REMINDER_DAYS_BEFORE = 12
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 1

    assert _recipients() == [CHAIR]


def test_a_moved_meeting_is_reminded_again_for_its_new_date(
    db, django_capture_on_commit_callbacks, soon, chair
):
    _invite(soon, chair)
    with django_capture_on_commit_callbacks(execute=True):
        _run(tasks.send_meeting_reminders)

    soon.start += timedelta(days=1)
    soon.end += timedelta(days=1)
    schedule.meeting_save(meeting=soon)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 1
        assert _run(tasks.send_meeting_reminders) == 0

    assert _recipients() == [CHAIR, CHAIR]
    first, second = (m.body for m in mail.outbox)
    assert first != second  # each says its own date
    assert len({m.dedupe_key for m in OutboundEmail.objects.all()}) == 2


def test_a_cancelled_meeting_is_never_reminded(db, django_capture_on_commit_callbacks, soon, chair):
    _invite(soon, chair)
    schedule.meeting_cancel(meeting=soon, reason="No quorum.")

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 0

    assert mail.outbox == []


def test_a_meeting_that_already_started_is_not_reminded(
    db, django_capture_on_commit_callbacks, network, agency_a, chair
):
    started = make_meeting(network, days=0)
    started.start = timezone.now() - timedelta(minutes=5)
    started.end = started.start + timedelta(hours=2)
    started.save(update_fields=["start", "end"])
    _invite(started, chair)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 0


def test_an_invitation_of_an_agency_goes_to_its_focal_points(
    db, django_capture_on_commit_callbacks, soon, agency_b, focal_b, principal_b
):
    """An invitation naming no person (a guest organization, say) is answered
    by the agency's focal points: they are the ones reminded."""
    Participant.objects.create(meeting=soon, organization=agency_b, is_guest=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 1

    assert _recipients() == [FOCAL_B]


def test_a_reminder_failing_once_is_retried_and_sent_once(
    db, django_capture_on_commit_callbacks, soon, chair, settings
):
    """The path goes through notifications.tasks.send_emails, which records
    a refused send and schedules it with backoff; the outbox flush, once it
    is due, sends it once, and the next run of the job sends nothing more."""
    FlakySMTP.failures = 1
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    _invite(soon, chair)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED
    OutboundEmail.objects.update(next_attempt_at=timezone.now())  # the backoff has passed
    assert flush_outbox.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_meeting_reminders) == 0

    message = OutboundEmail.objects.get()
    assert message.status == OutboundEmail.Status.SENT
    assert message.attempts == 2
    assert _recipients() == [CHAIR]


class FlakySMTP(LocmemBackend):
    """Refuses the first `failures` messages, then delivers (to mail.outbox)."""

    failures = 0

    def send_messages(self, messages):
        if type(self).failures:
            type(self).failures -= 1
            raise ConnectionResetError("421 Service not available, try again later")
        return super().send_messages(messages)


# --- quarterly -------------------------------------------------------------------------------


def test_the_chair_and_secretariat_of_a_network_without_a_regular_meeting_are_reminded(
    db, django_capture_on_commit_callbacks, network, chair, secretariat, focal_b, principal_a
):
    """The chair's focal point and the secretariat, once per quarter; not
    the other members, and not the chair's principal while it has a focal point."""
    today = timezone.localdate()
    start, _end, label = reminders.quarter_of(today)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_quarterly_reminders, today) == 2
        assert _run(tasks.send_quarterly_reminders, today) == 0

    assert _recipients() == [CHAIR, SECRETARIAT]
    assert {m.subject for m in mail.outbox} == {f"GTN: no regular meeting is planned for {label}"}
    assert "/networks/gtn/meetings/new/" in mail.outbox[0].body


def test_quarterly_skips_a_network_with_a_regular_meeting_in_the_quarter(
    db, django_capture_on_commit_callbacks, network, other_network, chair, agency_a
):
    """A regular meeting (not cancelled) anywhere in the quarter is enough; an
    ad hoc or a cancelled one is not."""
    today = timezone.localdate()
    start, end, _label = reminders.quarter_of(today)
    f.MembershipFactory(network=other_network, organization=agency_a)
    everywhere = f.UserFactory(email="secretariat-everywhere@example.org")
    f.grant(everywhere, Role.SECRETARIAT, None)
    in_quarter = (start - timezone.localdate()).days + 1  # the quarter's second day
    make_meeting(network, days=in_quarter, level=MeetingLevel.PRINCIPALS)
    make_meeting(other_network, days=in_quarter, level=MeetingLevel.AD_HOC)
    cancelled = make_meeting(other_network, days=in_quarter, level=MeetingLevel.WORKING)
    schedule.meeting_cancel(meeting=cancelled, reason="Postponed.")
    make_meeting(other_network, days=(end - today).days + 2, level=MeetingLevel.WORKING)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_quarterly_reminders, today) == 1

    # other_network has no chair term: only the secretariat hears of it.
    assert _sent() == [
        ("secretariat-everywhere@example.org", f"OTH: no regular meeting is planned for {_label}")
    ]


def test_quarterly_reminds_the_coordinator_of_a_coordinated_network(
    db, django_capture_on_commit_callbacks
):
    coordinator = f.OrganizationFactory(acronym="IOM", slug="iom")
    network = f.NetworkFactory(
        short_name="UNNM", governance=Governance.COORDINATOR, coordinator=coordinator
    )
    f.MembershipFactory(network=network, organization=coordinator)
    f.PersonFactory(organization=coordinator, level=PersonLevel.FOCAL_POINT, email="fp@iom.int")
    f.PersonFactory(organization=coordinator, level=PersonLevel.PRINCIPAL, email="dg@iom.int")
    f.PersonFactory(
        organization=coordinator,
        level=PersonLevel.FOCAL_POINT,
        email="fp-elsewhere@iom.int",
        network=f.NetworkFactory(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_quarterly_reminders) == 1

    assert _recipients() == ["fp@iom.int"]


def test_the_chair_principal_is_reminded_when_the_agency_has_no_focal_point(
    db, django_capture_on_commit_callbacks, network, current_term, principal_a
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_quarterly_reminders) == 1

    assert _recipients() == [PRINCIPAL_A]


def test_the_quarter_of_a_day():
    assert reminders.quarter_of(date(2030, 1, 1)) == (date(2030, 1, 1), date(2030, 4, 1), "Q1 2030")
    assert reminders.quarter_of(date(2030, 6, 30))[2] == "Q2 2030"
    assert reminders.quarter_of(date(2030, 11, 9)) == (
        date(2030, 10, 1),
        date(2031, 1, 1),
        "Q4 2030",
    )


# --- minutes overdue ---------------------------------------------------------------------------


@pytest.fixture
def held(network, agency_a, agency_b, current_term):
    """A meeting held 20 days ago, under the current chair term."""
    meeting = make_meeting(network, days=-20, title="Working-level meeting", status="held")
    meeting.chair_term = current_term
    meeting.save(update_fields=["chair_term"])
    return meeting


def _ended(meeting) -> date:
    return timezone.localtime(meeting.end).date()


def test_minutes_overdue_only_after_the_set_number_of_days(
    db, django_capture_on_commit_callbacks, held, chair, secretariat, focal_b
):
    """14 days after the meeting, the chair and the secretariat; a day
    earlier, nobody; later runs send nothing more."""
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_minutes_reminders, _ended(held) + timedelta(days=13)) == 0
        assert _run(tasks.send_minutes_reminders, _ended(held) + timedelta(days=14)) == 2
        assert _run(tasks.send_minutes_reminders, _ended(held) + timedelta(days=15)) == 0

    assert _recipients() == [CHAIR, SECRETARIAT]
    assert {m.subject for m in mail.outbox} == {"Minutes overdue: Working-level meeting"}
    assert "14 days later" in mail.outbox[0].body
    assert f"https://secretariat.example.org/meetings/{held.pk}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("status", "reminded"),
    [
        (None, True),  # no minutes at all: not circulated
        (MinutesStatus.DRAFT, True),
        (MinutesStatus.CIRCULATED, False),
        (MinutesStatus.APPROVED, False),
    ],
)
def test_minutes_overdue_unless_circulated_or_approved(
    db, django_capture_on_commit_callbacks, held, chair, status, reminded
):
    if status is not None:
        Minutes.objects.create(meeting=held, status=status)

    with django_capture_on_commit_callbacks(execute=True):
        count = _run(tasks.send_minutes_reminders)

    assert count == (1 if reminded else 0)
    assert _recipients() == ([CHAIR] if reminded else [])


def test_minutes_of_a_meeting_not_held_are_not_chased(
    db, django_capture_on_commit_callbacks, network, agency_a, chair, current_term
):
    for status in (MeetingStatus.CANCELLED, MeetingStatus.MINUTES_APPROVED):
        make_meeting(network, days=-20, status=status, chair_term=current_term)

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_minutes_reminders) == 0


def test_minutes_go_to_the_chair_of_the_meeting_even_after_the_handover(
    db, django_capture_on_commit_callbacks, network, agency_b, chair, focal_b, current_term
):
    """The chair of the meeting prepares its minutes (seed 000): agency B
    chaired it, agency A chairs now; B's focal point is reminded."""
    previous_term = f.ChairTermFactory(
        network=network,
        organization=agency_b,
        start=current_term.start - timedelta(days=180),
        end=current_term.start - timedelta(days=1),
    )
    meeting = make_meeting(network, days=-40, status="held", chair_term=previous_term)

    with django_capture_on_commit_callbacks(execute=True):
        _run(tasks.send_minutes_reminders, _ended(meeting) + timedelta(days=14))

    assert _recipients() == [FOCAL_B]


def test_minutes_due_long_ago_are_not_chased(db, django_capture_on_commit_callbacks, held, chair):
    """The first run after deployment does not write about every old meeting."""
    late = _ended(held) + timedelta(days=14 + reminders.MINUTES_LOOKBACK_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_minutes_reminders, late) == 0


# --- the command, the schedule, the outbox -------------------------------------------------------


@pytest.fixture
def every_occasion(network, chair, secretariat, focal_b, current_term):
    """Something for each job: no regular meeting this quarter (the
    meetings are ad hoc), an unanswered invitation, overdue minutes."""
    soon = make_meeting(network, days=5, level=MeetingLevel.AD_HOC, title="Ad hoc meeting")
    _invite(soon, chair)
    _invite(soon, focal_b)
    make_meeting(
        network,
        days=-20,
        level=MeetingLevel.TASK_TEAM,
        title="Task team",
        status=MeetingStatus.HELD,
        chair_term=current_term,
    )


def _outbox_rows() -> list[tuple[str, str, str, str]]:
    return sorted(OutboundEmail.objects.values_list("to", "subject", "body", "dedupe_key"))


def test_the_command_does_what_the_tasks_do(db, django_capture_on_commit_callbacks, every_occasion):
    """Same messages, same keys: the command calls the tasks' code. Run
    after the tasks, it queues nothing."""
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        counts = [_run(task, today) for task in tasks.TASKS.values()]
    by_task = _outbox_rows()
    assert counts == [2, 2, 2]

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "all", today=today.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        "quarterly: 0 reminder(s) queued",
        "before: 0 reminder(s) queued",
        "minutes: 0 reminder(s) queued",
    ]

    OutboundEmail.objects.all().delete()
    out = StringIO()
    for job in ("quarterly", "before", "minutes"):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", job, today=today.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        "quarterly: 2 reminder(s) queued",
        "before: 2 reminder(s) queued",
        "minutes: 2 reminder(s) queued",
    ]
    assert _outbox_rows() == by_task


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_reminders", "all", today="1 April")


def test_the_jobs_are_scheduled_on_beat_and_registered_with_celery():
    schedule_ = django_settings.CELERY_BEAT_SCHEDULE
    quarterly = schedule_["reminders-quarterly"]["schedule"]
    assert isinstance(quarterly, crontab)
    assert quarterly.day_of_month == {1}
    assert quarterly.month_of_year == {1, 4, 7, 10}
    for name in ("reminders-before-meetings", "reminders-minutes-overdue"):
        daily = schedule_[name]["schedule"]
        assert isinstance(daily, crontab)
        assert daily.day_of_month == set(range(1, 32)) and len(daily.hour) == 1
    # Load every app's tasks module, as a worker does at start-up.
    app.loader.import_default_modules()
    for entry in schedule_.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_a_broker_outage_keeps_the_reminders_queued_and_the_flush_sends_them(
    db, django_capture_on_commit_callbacks, every_occasion
):
    """Redis or the workers down: the job still succeeds, its messages wait
    in the outbox, and the flush beat runs every two minutes sends them once."""
    down = KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch("notifications.tasks.send_emails.apply_async", side_effect=down) as delay:
        with django_capture_on_commit_callbacks(execute=True):
            queued = reminders.meeting_reminders_send(today=timezone.localdate())

    assert queued == 2
    assert delay.call_count == 1  # one transaction here (the test's): one publish for both
    assert mail.outbox == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"queued"}

    assert flush_outbox.apply().get() == 2
    assert flush_outbox.apply().get() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_reminders_send(today=timezone.localdate()) == 0
    assert _recipients() == [CHAIR, FOCAL_B]


def test_a_reminder_e_mail_reads_well(db, django_capture_on_commit_callbacks, network, chair):
    """What the invited person reads: the meeting, its local time and place,
    where to answer; no HTML escaping in plain text."""
    meeting = make_meeting(
        network,
        days=3,
        title="Principals' meeting",
        city="Geneva",
        venue="Palais des Nations",
        online_url="https://meet.example.org/p?a=1&b=2",
    )
    _invite(meeting, chair)

    with django_capture_on_commit_callbacks(execute=True):
        _run(tasks.send_meeting_reminders)

    body = mail.outbox[0].body
    print(f"Subject: {mail.outbox[0].subject}\nTo: {mail.outbox[0].to[0]}\n\n{body}")
    local = meeting.local_start
    assert body.startswith("Dear Person")
    assert "You are invited to Principals' meeting (Global Test Network)" in body
    assert f"{local:%A} {local.day} {local:%B %Y}, 10:00–12:00 (Europe/Zurich)" in body
    assert "Palais des Nations, Geneva" in body
    assert "https://meet.example.org/p?a=1&b=2" in body
    assert "&#x27;" not in body and "&amp;" not in body


# --- a real worker, a real SMTP server ------------------------------------------------------------

# The worker and SMTP fixtures of tests/core/test_celery.py: a real worker in a
# thread of this process on a broker of its own, an aiosmtpd server on loopback.
filesystem_worker = harness.filesystem_worker
smtp_server = harness.smtp_server


def _spare_redis_url(url: str, worker_id: str) -> str:
    """REDIS_URL's server, a database of this test process's own (13, 12, …
    by xdist worker): tests/core/test_celery.py purges and uses 15 (or 14),
    and a worker on a shared database would steal another process's tasks."""
    parts = urlsplit(url)
    current = int(parts.path.lstrip("/") or 0)
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    candidates = [db for db in range(13, 0, -1) if db != current]
    return urlunsplit(parts._replace(path=f"/{candidates[index % len(candidates)]}"))


@pytest.fixture
def redis_worker(settings, worker_id):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the Redis broker path needs a Redis server")
    broker = _spare_redis_url(url, worker_id)
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    with harness._broker(broker, options):
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        app.control.purge()  # leftovers of an interrupted run
    with harness._running_worker(broker, options) as finished:
        yield finished


def _wait_for(finished: harness.FinishedTasks, expected: dict[str, int]) -> dict[str, list]:
    """Wait until the worker has finished the expected number of each task."""
    seen: dict[str, list] = {name: [] for name in expected}
    deadline = time.monotonic() + harness.TASK_TIMEOUT
    while any(len(seen[name]) < n for name, n in expected.items()):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"the worker did not finish {expected} in time: {seen}")
        try:
            name, state, retval = finished.done.get(timeout=remaining)
        except queue.Empty:
            continue
        if name in seen:
            seen[name].append((state, retval))
    return seen


def _each_reminder_once_through_smtp(finished: harness.FinishedTasks, smtp) -> None:
    today = timezone.localdate().isoformat()
    for _ in range(2):
        for task in tasks.TASKS.values():
            task.delay(today)

    done = _wait_for(
        finished,
        {
            "meetings.tasks.send_quarterly_reminders": 2,
            "meetings.tasks.send_meeting_reminders": 2,
            "meetings.tasks.send_minutes_reminders": 2,
            "notifications.tasks.send_emails": 6,
        },
    )
    for name in tasks.TASKS.values():
        assert sorted(retval for _state, retval in done[name.name]) == [0, 2]
    assert {state for state, _retval in done["notifications.tasks.send_emails"]} == {"SUCCESS"}
    # Whatever might still be in flight, the flush finds nothing left to send.
    flush_outbox.delay()
    assert _wait_for(finished, {"notifications.tasks.flush_outbox": 1})[
        "notifications.tasks.flush_outbox"
    ] == [("SUCCESS", 0)]

    received = sorted(
        (envelope.rcpt_tos[0], envelope.original_content.split(b"Subject: ", 1)[1][:16])
        for envelope in smtp.envelopes
    )
    assert received == [
        (CHAIR, b"GTN: no regular "),
        (CHAIR, b"Minutes overdue:"),
        (CHAIR, b"Please answer: A"),
        (FOCAL_B, b"Please answer: A"),
        (SECRETARIAT, b"GTN: no regular "),
        (SECRETARIAT, b"Minutes overdue:"),
    ]
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 6


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_reminder_reaches_a_real_smtp_server_once_from_a_filesystem_broker_worker(
    every_occasion, smtp_server, filesystem_worker
):
    _each_reminder_once_through_smtp(filesystem_worker, smtp_server)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_reminder_reaches_a_real_smtp_server_once_from_a_redis_broker_worker(
    every_occasion, smtp_server, redis_worker
):
    _each_reminder_once_through_smtp(redis_worker, smtp_server)


def test_the_outbox_row_is_written_in_the_job_transaction(db, every_occasion):
    """Nothing is handed to the broker before the row is committed."""
    with mock.patch("notifications.outbox.dispatch") as delay:
        with transaction.atomic():
            reminders.meeting_reminders_send(today=timezone.localdate())
            assert delay.call_count == 0
    # The test's own transaction never commits: nothing was dispatched.
    assert delay.call_count == 0
