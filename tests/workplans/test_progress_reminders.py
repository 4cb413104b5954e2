"""Progress reporting by e-mail: the request at the start of each quarter
and the reminder near its end to those whose activity still has no update.

Each goes to the focal points and alternates of the lead and partner
agencies of active activities (workplan approved, activity running in the
quarter), exactly once per agency, activity, quarter and recipient however
often the job runs (the outbox's dedupe key is the sent-log); the command
does what the task does. The last tests run the tasks on a real Celery
worker and count what a real SMTP server on loopback receives."""

from __future__ import annotations

import os
from datetime import date
from io import StringIO
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from config.celery import app
from members.models import PersonLevel
from notifications.models import OutboundEmail
from notifications.tasks import flush_outbox
from tests import factories as f
from tests.core import test_celery as harness
from tests.meetings.test_reminders import _wait_for
from tests.workplans.test_progress import make_activity
from workplans import tasks
from workplans.models import ActivityStatus, Objective, ProgressUpdate, Workplan, WorkplanStatus
from workplans.services import reminders

# The second quarter of 2030: asked on 1 April, reminded from 17 June (14
# days before 1 July), the quarter's last day 30 June.
REQUEST_DAY = date(2030, 4, 1)
TOO_EARLY = date(2030, 6, 16)
NEAR_THE_END = date(2030, 6, 17)

FOCAL_A = "focal@agency-a.example.org"
ALTERNATE_A = "alternate@agency-a.example.org"
FOCAL_B = "focal@agency-b.example.org"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PROGRESS_REMINDER_DAYS_BEFORE_END = 14
    settings.SITE_URL = "https://secretariat.example.org"


def _workplan(network, status, title) -> Objective:
    workplan = Workplan.objects.create(
        network=network, title=title, start_year=2030, end_year=2030, status=status
    )
    return Objective.objects.create(workplan=workplan, code="1", title="Data")


@pytest.fixture
def world(network, other_network, agency_a, agency_b):
    """Agency A leads 1.1 (agency B partners in it) and 1.2, already
    reported for the quarter; 1.3 runs only from July; a draft and a closed
    workplan have activities too. A's focal point and alternate and B's
    focal point report; A's principal, a contact for another network and a
    former focal point do not."""
    f.PersonFactory(organization=agency_a, level=PersonLevel.FOCAL_POINT, email=FOCAL_A, name="Ana")
    f.PersonFactory(
        organization=agency_a, level=PersonLevel.ALTERNATE, email=ALTERNATE_A, name="Ali"
    )
    f.PersonFactory(organization=agency_b, level=PersonLevel.FOCAL_POINT, email=FOCAL_B, name="Bo")
    f.PersonFactory(organization=agency_a, level=PersonLevel.PRINCIPAL, email="head@a.example.org")
    f.PersonFactory(organization=agency_a, email="elsewhere@a.example.org", network=other_network)
    f.PersonFactory(organization=agency_b, email="former@b.example.org", is_active=False)

    objective = _workplan(network, WorkplanStatus.APPROVED, "Workplan 2030")
    year = dict(start=date(2030, 1, 1), end=date(2030, 12, 31))
    running = make_activity(
        objective, "1.1", leads=[agency_a], partners=[agency_b], title="Data portal", **year
    )
    reported = make_activity(objective, "1.2", leads=[agency_a], **year)
    ProgressUpdate.objects.create(
        activity=reported,
        year=2030,
        quarter=2,
        percent_complete=30,
        status=ActivityStatus.ON_TRACK,
        narrative="Reported early.",
        organization=agency_a,
    )
    make_activity(
        objective, "1.3", leads=[agency_a], start=date(2030, 7, 1), end=date(2030, 12, 31)
    )
    for status in (WorkplanStatus.DRAFT, WorkplanStatus.CLOSED):
        make_activity(_workplan(network, status, f"{status} plan"), "9.9", leads=[agency_a], **year)
    return {"running": running, "reported": reported}


def _run(task, day: date) -> int:
    """Run the task as the worker would: on-commit hands each message to
    send_emails (eager in these tests)."""
    return task.apply(args=[day.isoformat()]).get()


def _recipients() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


# --- the request at the start of the quarter ------------------------------------------------


def test_the_request_goes_to_the_focal_points_and_alternates_once(
    db, django_capture_on_commit_callbacks, world
):
    """Only activity 1.1 is due: 1.2 is reported, 1.3 starts later, the
    others' workplans are not approved. Running the task again sends nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_requests, REQUEST_DAY) == 3
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert _run(tasks.send_progress_requests, REQUEST_DAY) == 0

    assert again == []
    assert _recipients() == [ALTERNATE_A, FOCAL_A, FOCAL_B]
    assert {m.subject for m in mail.outbox} == {"GTN: please log the progress of 1.1 for 2030 Q2"}
    activity = world["running"]
    keys = sorted(OutboundEmail.objects.values_list("dedupe_key", flat=True))
    a, b = activity.lead_organizations.get().pk, activity.partner_organizations.get().pk
    assert keys == [
        f"progress:request:{activity.pk}:{a}:2030-Q2:{ALTERNATE_A}",
        f"progress:request:{activity.pk}:{a}:2030-Q2:{FOCAL_A}",
        f"progress:request:{activity.pk}:{b}:2030-Q2:{FOCAL_B}",
    ]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_the_request_e_mail_reads_well(db, django_capture_on_commit_callbacks, world):
    with django_capture_on_commit_callbacks(execute=True):
        _run(tasks.send_progress_requests, REQUEST_DAY)

    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    body = by_recipient[FOCAL_A]
    print(body)
    activity = world["running"]
    assert body.startswith("Dear Ana,")
    assert "AAA leads activity 1.1, Data portal, of the Global Test Network" in body
    assert "for 2030 Q2 by 30 June 2030" in body
    assert f"https://secretariat.example.org/activities/{activity.pk}/progress/new/" in body
    assert "https://secretariat.example.org/my-activities/" in body
    assert "BBB is a partner in activity 1.1" in by_recipient[FOCAL_B]
    assert "&quot;" not in body and "&#x27;" not in body


def test_the_request_of_another_quarter_is_another_occasion(
    db, django_capture_on_commit_callbacks, world
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_requests, REQUEST_DAY) == 3
        # Q3: 1.3 starts, and 1.2 has no update for Q3.
        assert _run(tasks.send_progress_requests, date(2030, 7, 1)) == 3 + 2 + 2

    assert OutboundEmail.objects.filter(dedupe_key__contains=":2030-Q3:").count() == 7


# --- the reminder near the end --------------------------------------------------------------


def test_the_missing_reminder_waits_for_the_end_of_the_quarter_and_goes_once(
    db, django_capture_on_commit_callbacks, world
):
    """Not before the last 14 days; then only for the activity still without
    an update (1.1, not 1.2); once, however often the daily job runs."""
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_missing_reminders, TOO_EARLY) == 0
        assert _run(tasks.send_progress_missing_reminders, NEAR_THE_END) == 3
        assert _run(tasks.send_progress_missing_reminders, NEAR_THE_END) == 0
        assert _run(tasks.send_progress_missing_reminders, date(2030, 6, 30)) == 0

    assert _recipients() == [ALTERNATE_A, FOCAL_A, FOCAL_B]
    assert {m.subject for m in mail.outbox} == {
        "Reminder: the progress of 1.1 for 2030 Q2 is due by 30 June"
    }
    assert "has no progress update for 2030 Q2 yet" in mail.outbox[0].body


def test_an_update_from_any_agency_of_the_activity_stops_the_reminder(
    db, django_capture_on_commit_callbacks, world, agency_b
):
    """The partner logged 1.1's update: the lead is not reminded either."""
    ProgressUpdate.objects.create(
        activity=world["running"],
        year=2030,
        quarter=2,
        percent_complete=50,
        status=ActivityStatus.ON_TRACK,
        narrative="Partner's report.",
        organization=agency_b,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_missing_reminders, NEAR_THE_END) == 0

    assert mail.outbox == []


def test_the_days_before_the_end_follow_the_setting(
    db, django_capture_on_commit_callbacks, world, settings
):
    settings.PROGRESS_REMINDER_DAYS_BEFORE_END = 30  # from 1 June
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_missing_reminders, date(2030, 5, 31)) == 0
        assert _run(tasks.send_progress_missing_reminders, date(2030, 6, 1)) == 3


def test_the_request_and_the_reminder_are_two_occasions(
    db, django_capture_on_commit_callbacks, world
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(tasks.send_progress_requests, REQUEST_DAY)
        _run(tasks.send_progress_missing_reminders, NEAR_THE_END)

    assert _recipients() == sorted([ALTERNATE_A, FOCAL_A, FOCAL_B] * 2)


# --- the command, the schedule ----------------------------------------------------------------


def _outbox_rows() -> list[tuple[str, str, str, str]]:
    return sorted(OutboundEmail.objects.values_list("to", "subject", "body", "dedupe_key"))


def test_the_command_does_what_the_tasks_do(db, django_capture_on_commit_callbacks, world):
    """Same messages, same keys: the command calls the tasks' code. Run
    after the tasks, it queues nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(tasks.send_progress_requests, REQUEST_DAY) == 3
        assert _run(tasks.send_progress_missing_reminders, NEAR_THE_END) == 3
    by_task = _outbox_rows()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_progress_reminders", "request", today="2030-04-01", stdout=out)
        call_command("send_progress_reminders", "all", today="2030-06-17", stdout=out)
    assert out.getvalue().splitlines() == [
        "request: 0 message(s) queued",
        "request: 0 message(s) queued",
        "missing: 0 message(s) queued",
    ]

    OutboundEmail.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_progress_reminders", "request", today="2030-04-01", stdout=out)
        call_command("send_progress_reminders", "missing", today="2030-06-17", stdout=out)
    assert out.getvalue().splitlines() == [
        "request: 3 message(s) queued",
        "missing: 3 message(s) queued",
    ]
    assert _outbox_rows() == by_task


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_progress_reminders", "all", today="1 April")


def test_the_jobs_are_scheduled_on_beat_and_registered_with_celery():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    request = schedule["progress-requests"]
    assert request["task"] == tasks.send_progress_requests.name
    assert isinstance(request["schedule"], crontab)
    assert request["schedule"].month_of_year == {1, 4, 7, 10}
    assert request["schedule"].day_of_month == set(range(1, 8))
    missing = schedule["progress-missing-reminders"]
    assert missing["task"] == tasks.send_progress_missing_reminders.name
    assert isinstance(missing["schedule"], crontab)
    assert missing["schedule"].day_of_month == set(range(1, 32))
    assert len(missing["schedule"].hour) == 1
    for entry in (request, missing):
        assert entry["task"] in app.tasks


def test_the_jobs_are_the_commands_jobs():
    assert set(tasks.TASKS) == set(reminders.JOBS) == {"request", "missing"}


# --- a real worker, a real SMTP server ------------------------------------------------------------

filesystem_worker = harness.filesystem_worker
smtp_server = harness.smtp_server


def _spare_redis_url(url: str, worker_id: str) -> str:
    """REDIS_URL's server, a database of this test process's own: 1, 2, …
    by xdist worker. tests/core/test_celery.py uses 15 (or 14) and the
    meetings reminders 13, 12, …: a worker on a shared database would steal
    another process's tasks."""
    parts = urlsplit(url)
    current = int(parts.path.lstrip("/") or 0)
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    candidates = [db for db in range(1, 14) if db != current]
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


def _each_message_once_through_smtp(finished: harness.FinishedTasks, smtp) -> None:
    for _ in range(2):
        tasks.send_progress_requests.delay(REQUEST_DAY.isoformat())
        tasks.send_progress_missing_reminders.delay(NEAR_THE_END.isoformat())

    done = _wait_for(
        finished,
        {
            tasks.send_progress_requests.name: 2,
            tasks.send_progress_missing_reminders.name: 2,
            "notifications.tasks.send_emails": 6,
        },
    )
    for task in tasks.TASKS.values():
        assert sorted(retval for _state, retval in done[task.name]) == [0, 3]
    assert {state for state, _retval in done["notifications.tasks.send_emails"]} == {"SUCCESS"}
    # Whatever might still be in flight, the flush finds nothing left to send.
    flush_outbox.delay()
    assert _wait_for(finished, {"notifications.tasks.flush_outbox": 1})[
        "notifications.tasks.flush_outbox"
    ] == [("SUCCESS", 0)]

    received = sorted(
        (envelope.rcpt_tos[0], envelope.original_content.split(b"Subject: ", 1)[1][:12])
        for envelope in smtp.envelopes
    )
    assert received == [
        (ALTERNATE_A, b"GTN: please "),
        (ALTERNATE_A, b"Reminder: th"),
        (FOCAL_A, b"GTN: please "),
        (FOCAL_A, b"Reminder: th"),
        (FOCAL_B, b"GTN: please "),
        (FOCAL_B, b"Reminder: th"),
    ]
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 6


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_progress_message_reaches_a_real_smtp_server_once_from_a_filesystem_broker_worker(
    world, smtp_server, filesystem_worker
):
    _each_message_once_through_smtp(filesystem_worker, smtp_server)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_progress_message_reaches_a_real_smtp_server_once_from_a_redis_broker_worker(
    world, smtp_server, redis_worker
):
    _each_message_once_through_smtp(redis_worker, smtp_server)
