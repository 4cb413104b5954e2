"""The decisions' e-mails through a real Celery worker and a real SMTP server
on loopback: each counted as the server receives it.

Two decisions of the Global Test Network's executive committee (agencies A
and B; C is a member outside the committee and is never written to):

- D1, a silence procedure: A supports version 1, B stays silent; revised
  into version 2, which A supports only after the 72-hour reminder. Each
  silent agency's contacts are reminded once per version and occasion
  (72 and 24 hours before), however often the reminder job runs.
- D2, a written consultation: B objects (the chair's agency and the
  secretariat are told at once), withdraws the objection and objects again
  on the same version (told once, not twice).

After the deadlines a page closes D1 (adopted) and the closing job, run
several times, closes D2 (no consensus): everyone is told each outcome
once. The last test does the same with a worker running four tasks at once
beside the page (PostgreSQL's row locks), so the jobs race each other.

Without REDIS_URL the Redis variant is skipped, without PostgreSQL the
concurrent one; the filesystem-broker variant runs everywhere."""

from __future__ import annotations

import email
import email.policy
import os
import queue
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from decisions import tasks
from decisions.models import Decision, DecisionStatus, Procedure, Stance
from decisions.services import positions, register
from members.models import Membership, PersonLevel
from members.roles import build_actor
from notifications.models import OutboundEmail
from notifications.tasks import flush_outbox
from tests import factories as f
from tests.core import test_celery as harness

from .conftest import make_decision

filesystem_worker = harness.filesystem_worker
smtp_server = harness.smtp_server

CHAIR = "chair@agency-a.example.org"
FOCAL_A = "focal@agency-a.example.org"
FOCAL_B = "focal@agency-b.example.org"
SECOND_B = "second@agency-b.example.org"
SECRETARIAT = "secretariat@example.org"
AGENCY_A = [CHAIR, FOCAL_A]
AGENCY_B = [FOCAL_B, SECOND_B]
EVERYONE = [*AGENCY_A, *AGENCY_B, SECRETARIAT]

D1, D2 = "Terms of reference on returns", "Data strategy"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://secretariat.example.org"
    settings.DECISION_REMINDER_HOURS = (72, 24)


@pytest.fixture
def world(network, secretariat, committee, chair, focal_a, focal_b, focal_c):
    """The people only: the decisions are opened in the test, once the
    worker runs, so that every message goes through it. B has a second focal
    point; A's principal is not written to while A has focal points."""
    f.PersonFactory(
        organization=committee[1], level=PersonLevel.FOCAL_POINT, email=SECOND_B, name="Second"
    )
    f.PersonFactory(
        organization=committee[0], level=PersonLevel.PRINCIPAL, email="head@agency-a.example.org"
    )
    assert not Membership.objects.get(organization__acronym="CCC").executive_committee
    return {
        "network": network,
        "secretariat": secretariat,
        "a": committee[0],
        "b": committee[1],
        "chair": chair,
        "focal_b": focal_b,
    }


class Clock:
    """The moments of the story, all in the past by the real clock, so that
    a page (which reads the real clock) finds both decisions overdue."""

    def __init__(self) -> None:
        self.real = timezone.now().replace(microsecond=0)
        self.opened = self.real - timedelta(days=10)  # D1 opened
        self.deadline1 = self.opened + timedelta(hours=100)
        self.remind_72 = self.deadline1 - timedelta(hours=71)
        self.remind_24 = self.deadline1 - timedelta(hours=23)
        self.revised = self.deadline1 - timedelta(hours=22)
        self.deadline2 = self.revised + timedelta(hours=80)  # 82 hours before the real now
        self.v2_remind_72 = self.deadline2 - timedelta(hours=71)
        self.v2_remind_24 = self.deadline2 - timedelta(hours=23)
        # D2: over before the first reminder run, so it is never reminded.
        self.d2_opened = self.opened - timedelta(days=2)
        self.d2_deadline = self.opened


def _open_both(world, clock: Clock) -> None:
    network, by = world["network"], world["secretariat"]
    d1 = make_decision(network, by, title=D1, procedure=Procedure.SILENCE)
    register.decision_open(decision=d1, deadline=clock.deadline1, by=by, now=clock.opened)
    d2 = make_decision(network, by, title=D2, procedure=Procedure.WRITTEN)
    register.decision_open(decision=d2, deadline=clock.d2_deadline, by=by, now=clock.d2_opened)
    world.update(d1=d1, d2=d2)


def _position(world, decision, user, org, stance, now, statement=""):
    positions.position_state(
        decision=decision,
        actor=build_actor(user),
        organization_id=org.pk,
        stance=stance,
        statement=statement,
        by=user,
        now=now,
    )


def _object_twice_on_d2(world, clock: Clock) -> None:
    d2, focal_b, b = world["d2"], world["focal_b"], world["b"]
    at = clock.d2_opened + timedelta(hours=1)
    _position(world, d2, focal_b, b, Stance.OBJECT, at, "Not without a budget line.")
    _position(world, d2, focal_b, b, Stance.SUPPORT, at + timedelta(hours=1))
    _position(world, d2, focal_b, b, Stance.OBJECT, at + timedelta(hours=2), "No budget after all.")


def _revise_d1(world, clock: Clock) -> None:
    d1 = Decision.objects.get(pk=world["d1"].pk)
    register.decision_revise(
        decision=d1,
        title=D1,
        text="The Executive Committee adopts the **revised** terms of reference.",
        note="Budget paragraph added.",
        deadline=clock.deadline2,
        by=world["secretariat"],
        now=clock.revised,
    )
    world["d1"] = d1


def _kind(subject: str) -> str:
    if subject.startswith("Reminder:"):
        return "reminder"
    if "objects to" in subject:
        return "objection"
    if "is adopted" in subject or "no consensus" in subject:
        return "outcome"
    if "position is asked" in subject:
        return "opened"
    return subject


def _received(smtp) -> Counter:
    """(recipient, kind, decision title) → how many times the server received it."""
    out: Counter = Counter()
    for envelope in smtp.envelopes:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        subject = str(message["Subject"]).strip()
        title = D1 if D1 in subject else D2 if D2 in subject else "?"
        for rcpt in envelope.rcpt_tos:
            out[(rcpt, _kind(subject), title)] += 1
    return out


def _expected() -> Counter:
    expected: Counter = Counter()
    for to in [*AGENCY_A, *AGENCY_B]:
        expected[(to, "opened", D1)] += 2  # versions 1 and 2
        expected[(to, "opened", D2)] += 1
    for to in [*AGENCY_A, SECRETARIAT]:  # the chair's agency and the secretariat
        expected[(to, "objection", D2)] += 1
    for to in AGENCY_B:
        # Version 1: 72 and 24 hours (A had answered); version 2: 72 and 24.
        expected[(to, "reminder", D1)] += 4
    for to in AGENCY_A:
        # Version 2 at 72 hours only: A answered before the 24-hour occasion.
        expected[(to, "reminder", D1)] += 1
    for to in EVERYONE:
        expected[(to, "outcome", D1)] += 1
        expected[(to, "outcome", D2)] += 1
    return expected


class Log:
    """Everything the worker finished, kept: a test waits on the worker's
    own reports (never by polling the database, which on SQLite the worker
    may hold locked), and waits for each step's e-mails to be sent before
    the next step writes (SQLite takes one writer at a time)."""

    SEND = "notifications.tasks.send_emails"

    def __init__(self, finished: harness.FinishedTasks) -> None:
        self.finished = finished
        self.done: dict[str, list] = {}

    def _until(self, ready, what: str, timeout: float = harness.TASK_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"the worker did not finish {what} in time: {self.done}")
            try:
                name, state, retval = self.finished.done.get(timeout=remaining)
            except queue.Empty:
                continue
            self.done.setdefault(name, []).append((state, retval))

    def sent(self) -> int:
        return sum(r for s, r in self.done.get(self.SEND, []) if s == "SUCCESS")

    def wait_sent(self, count: int) -> None:
        self._until(lambda: self.sent() >= count, f"sending {count} e-mails")
        failed = [d for d in self.done.get(self.SEND, []) if d[0] != "SUCCESS"]
        assert not failed, failed

    def runs(self, task, times: int) -> list:
        """Wait for `times` more runs of the task; their results, sorted."""
        seen = len(self.done.get(task.name, []))
        self._until(lambda: len(self.done.get(task.name, [])) >= seen + times, task.name)
        new = self.done[task.name][seen : seen + times]
        assert {state for state, _ in new} == {"SUCCESS"}, new
        return sorted(retval for _state, retval in new)


def _reminders(log: Log, *moments) -> list:
    for moment in moments:
        tasks.send_decision_reminders.delay(moment.isoformat())
    return log.runs(tasks.send_decision_reminders, len(moments))


def _closings(log: Log, times: int) -> list:
    for _ in range(times):
        tasks.close_consultations.delay()
    return log.runs(tasks.close_consultations, times)


def _nothing_left_and_each_once(log: Log, smtp) -> None:
    expected = _expected()
    log.wait_sent(sum(expected.values()))
    # Whatever might still be in flight, the flush finds nothing left to send.
    flush_outbox.delay()
    assert log.runs(flush_outbox, 1) == [0]
    assert _received(smtp) == expected
    assert OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).count() == 0
    assert OutboundEmail.objects.count() == sum(expected.values())
    d1, d2 = Decision.objects.get(title=D1), Decision.objects.get(title=D2)
    assert (d1.status, d1.version) == (DecisionStatus.ADOPTED, 2)
    assert d1.reference and d1.reference.startswith("GTN/EC/")
    assert d2.status == DecisionStatus.NO_CONSENSUS


# How many e-mails each step sends (see _expected): the test waits for them.
OPENED_BOTH = 8  # A's two and B's two contacts, for each decision
OBJECTION = 3  # the chair's agency (two) and the secretariat
V1_REMINDERS = 4  # B's two, at 72 and at 24 hours
REVISED = 4
V2_AT_72, V2_AT_24 = 4, 2
OUTCOME = 5  # A's two, B's two, the secretariat


def _before_the_deadlines(world, clock: Clock, log: Log, *, runs: int) -> tuple:
    """Open both, state the positions, revise D1, and run each reminder
    occasion `runs` times."""
    _open_both(world, clock)
    _position(world, world["d1"], world["chair"], world["a"], Stance.SUPPORT, clock.opened)
    log.wait_sent(OPENED_BOTH)
    _object_twice_on_d2(world, clock)
    sent = OPENED_BOTH + OBJECTION
    log.wait_sent(sent)

    # Version 1: the 72-hour occasion (and a quarter of an hour later, as
    # beat would run it again), the 24-hour one. B's two contacts each time.
    at_72 = _reminders(log, clock.remind_72, *[clock.remind_72 + timedelta(minutes=15)] * runs)
    at_24 = _reminders(log, *[clock.remind_24] * runs)
    sent += V1_REMINDERS
    log.wait_sent(sent)

    # Version 2: a new version, the occasions come again, for A too until
    # it answers.
    _revise_d1(world, clock)
    sent += REVISED
    log.wait_sent(sent)
    v2_at_72 = _reminders(log, *[clock.v2_remind_72] * runs)
    sent += V2_AT_72
    log.wait_sent(sent)
    _position(world, world["d1"], world["chair"], world["a"], Stance.SUPPORT, clock.v2_remind_72)
    v2_at_24 = _reminders(log, *[clock.v2_remind_24] * runs)
    log.wait_sent(sent + V2_AT_24)
    return at_72, at_24, v2_at_72, v2_at_24


def _story_one_task_at_a_time(world, finished, smtp, client) -> None:
    log = Log(finished)
    counts = _before_the_deadlines(world, Clock(), log, runs=2)
    assert counts == ([0, 0, 2], [0, 2], [0, 4], [0, 2])
    sent = OPENED_BOTH + OBJECTION + V1_REMINDERS + REVISED + V2_AT_72 + V2_AT_24

    # The page closes D1 (its deadline passed by the real clock); the job,
    # run three times, finds only D2 left; pages shown again close nothing.
    client.force_login(world["secretariat"])
    response = client.get(reverse("decisions:detail", args=[world["d1"].pk]))
    assert response.status_code == 200
    assert Decision.objects.get(title=D1).status == DecisionStatus.ADOPTED
    log.wait_sent(sent + OUTCOME)
    assert _closings(log, 3) == [0, 0, 1]
    log.wait_sent(sent + 2 * OUTCOME)
    assert client.get(reverse("decisions:network", args=["gtn"])).status_code == 200
    assert client.get(reverse("decisions:detail", args=[world["d2"].pk])).status_code == 200

    _nothing_left_and_each_once(log, smtp)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_decision_e_mail_reaches_a_real_smtp_server_once_from_a_filesystem_broker_worker(
    world, smtp_server, filesystem_worker, client
):
    """Reminders once per agency contact, version and occasion; the
    objection and each outcome once, though the jobs ran several times and
    a page closed a decision too."""
    _story_one_task_at_a_time(world, filesystem_worker, smtp_server, client)


def _redis_broker(settings) -> tuple[str, dict]:
    """REDIS_URL's server with a key prefix of this test's own: no other
    test process (nor a developer's worker) shares its queue, whatever
    database number it uses."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the Redis broker path needs a Redis server")
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    options["global_keyprefix"] = f"test-decisions-{uuid.uuid4().hex[:12]}:"
    with harness._broker(url, options):
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    return url, options


def _forget_keys(url: str, options: dict) -> None:
    """The queue's bindings stay in Redis after the worker stops: removed."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=options["global_keyprefix"] + "*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def redis_worker(settings):
    url, options = _redis_broker(settings)
    try:
        with harness._running_worker(url, options) as finished:
            yield finished
    finally:
        _forget_keys(url, options)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_each_decision_e_mail_reaches_a_real_smtp_server_once_from_a_redis_broker_worker(
    world, smtp_server, redis_worker, client
):
    """As above, on the Redis broker production runs on."""
    _story_one_task_at_a_time(world, redis_worker, smtp_server, client)


# --- four tasks at once --------------------------------------------------------------------


@contextmanager
def _threaded_worker(url: str, options: dict, transport: str | None = None):
    """A worker running four tasks at once (a thread pool), so two runs of
    one job overlap, each on its own database connection."""
    finished = harness.FinishedTasks()
    task_postrun.connect(finished, weak=False)
    try:
        with harness._broker(url, options, transport):
            with start_worker(
                app,
                pool="threads",
                concurrency=4,
                perform_ping_check=False,
                shutdown_timeout=10,
                loglevel="WARNING",
            ):
                yield finished
    finally:
        task_postrun.disconnect(finished)


@pytest.fixture
def threaded_worker(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("jobs racing each other need real row locks: PostgreSQL")
    if os.environ.get("REDIS_URL"):
        url, options = _redis_broker(settings)
        transport = None
    else:
        url, transport = "filesystem://", harness._embedded_transport()
        options = harness._filesystem_options(tmp_path / "broker")
    try:
        with _threaded_worker(url, options, transport) as finished:
            yield finished
    finally:
        if transport is None:
            _forget_keys(url, options)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_jobs_racing_each_other_and_a_page_still_send_each_e_mail_once(
    world, smtp_server, threaded_worker, client
):
    """Each occasion's reminder job four times at once; the closing job
    four times at once while a page closes D1: the outbox's unique key and
    the decision's row lock leave one message per recipient and occasion."""
    log = Log(threaded_worker)
    _before_the_deadlines(world, Clock(), log, runs=4)

    client.force_login(world["secretariat"])
    for _ in range(4):
        tasks.close_consultations.delay()
    # The page, while the worker's four closing jobs run.
    assert client.get(reverse("decisions:detail", args=[world["d1"].pk])).status_code == 200
    assert client.get(reverse("decisions:network", args=["gtn"])).status_code == 200
    # Two decisions, each closed once, by the page or by one of the jobs.
    assert sum(log.runs(tasks.close_consultations, 4)) <= 2

    _nothing_left_and_each_once(log, smtp_server)
