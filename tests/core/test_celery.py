"""Background work through a real Celery worker, on both brokers the app runs
on (the embedded filesystem broker and Redis), and the outbox's promises:
sent once, never lost when the broker is down, failures recorded and retried.

The suite runs tasks eagerly (tests/conftest.py); the worker fixtures turn
that off for the test and run a real worker in a thread of this process, on a
broker of their own (a folder in tmp_path, or a spare Redis database).
"""

from __future__ import annotations

import asyncio
import builtins
import email
import email.policy
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from smtplib import SMTPException
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, transaction
from django.utils import timezone
from kombu import Connection, pools
from kombu.exceptions import OperationalError as KombuOperationalError

from config.celery import app
from core.models import WorkerHeartbeat
from core.tasks import heartbeat
from notifications import outbox, services
from notifications.models import OutboundEmail
from notifications.tasks import flush_outbox, send_email, send_emails

TASK_TIMEOUT = 30


# --- The embedded broker's transport ----------------------------------------------------
#
# kombu's own filesystem transport creates a message file and then writes it,
# and its consumer never waits for the writer's lock: a worker polling at that
# instant reads an empty file and stops ("Unrecoverable error: JSONDecodeError").
# settings.EMBEDDED_BROKER_TRANSPORT (config.broker) writes aside and renames
# into place; the test below proves a polling reader never sees a partial file.


def _embedded_transport() -> str | None:
    from django.conf import settings

    return getattr(settings, "EMBEDDED_BROKER_TRANSPORT", None)


def _filesystem_options(root: Path) -> dict:
    folders = {
        "data_folder_in": root / "queue",
        "data_folder_out": root / "queue",
        "control_folder": root / "control",
        "processed_folder": root / "processed",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    options: dict = {key: str(path) for key, path in folders.items()}
    options.update(store_processed=False, polling_interval=0.2)
    return options


def test_embedded_broker_never_hands_out_a_half_written_message(tmp_path, request):
    transport = _embedded_transport()
    options = _filesystem_options(tmp_path)
    queue_dir = Path(options["data_folder_in"])
    payload = {"body": "x" * 2000, "headers": {"task": "core.tasks.heartbeat"}}
    polled: list = []
    real_open = builtins.open
    polling = False

    with (
        Connection("filesystem://", transport=transport, transport_options=options) as web,
        Connection("filesystem://", transport=transport, transport_options=options) as worker,
    ):
        consumer = worker.default_channel

        def open_and_poll(file, mode="r", *args, **kwargs):
            """Whenever the producer opens a file in the queue folder, a
            worker polls the queue at that very moment."""
            nonlocal polling
            handle = real_open(file, mode, *args, **kwargs)
            if not polling and set(mode) & set("wax") and Path(file).parent == queue_dir:
                polling = True
                try:
                    polled.append(consumer._get("celery"))
                except queue.Empty:
                    pass
                finally:
                    polling = False
            return handle

        with mock.patch("builtins.open", open_and_poll):
            web.default_channel._put("celery", payload)

        assert polled == []  # nothing visible before it was whole
        assert consumer._get("celery") == payload


# --- A real worker ---------------------------------------------------------------------


def _reset_broker_pools() -> None:
    """Forget connections made to the previous broker."""
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()


@contextmanager
def _broker(url: str, transport_options: dict, transport: str | None = None):
    keys = (
        "broker_url",
        "broker_transport",
        "broker_transport_options",
        "task_always_eager",
        "worker_hijack_root_logger",
    )
    saved = {key: app.conf[key] for key in keys}
    app.conf.broker_url = url
    app.conf.broker_transport = transport
    app.conf.broker_transport_options = transport_options
    app.conf.task_always_eager = False
    # Keep pytest's and Django's logging as they are.
    app.conf.worker_hijack_root_logger = False
    _reset_broker_pools()
    try:
        yield
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        _reset_broker_pools()


class FinishedTasks:
    """Collects the tasks the worker finishes, so a test waits on an event
    instead of polling the database while the worker writes to it."""

    def __init__(self) -> None:
        self.done: queue.Queue = queue.Queue()

    def __call__(self, sender=None, task_id=None, retval=None, state=None, **kwargs) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        self.done.put((sender.name, state, retval))
        # The worker thread's own database connection: closed after each task,
        # so nothing holds the test database open when the test ends.
        connections.close_all()

    def wait_for(self, name: str, timeout: float = TASK_TIMEOUT) -> tuple[str, object]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"the worker did not finish {name} in {timeout}s")
            try:
                task_name, state, retval = self.done.get(timeout=remaining)
            except queue.Empty:
                continue
            if task_name == name:
                return state, retval


@contextmanager
def _running_worker(url: str, transport_options: dict, transport: str | None = None):
    finished = FinishedTasks()
    task_postrun.connect(finished, weak=False)
    try:
        with _broker(url, transport_options, transport):
            with start_worker(
                app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
            ):
                yield finished
    finally:
        task_postrun.disconnect(finished)


@pytest.fixture
def filesystem_worker(tmp_path):
    """A worker on the embedded broker, in a folder of its own."""
    transport = _embedded_transport()
    options = _filesystem_options(tmp_path / "broker")
    with ExitStack() as stack:
        yield stack.enter_context(_running_worker("filesystem://", options, transport))


def _test_redis_url(url: str) -> str:
    """REDIS_URL's server, another database number: the suite's cache is in
    REDIS_URL's database and `cache.clear()` (FLUSHDB) in a parallel test
    process would wipe the queue; a developer's worker on REDIS_URL would
    steal the messages."""
    parts = urlsplit(url)
    current = parts.path.lstrip("/") or "0"
    db = "15" if current != "15" else "14"
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture
def redis_worker(settings):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the Redis broker path needs a Redis server")
    broker = _test_redis_url(url)
    # With REDIS_URL set, settings hold the Redis transport options the app runs with.
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    with _broker(broker, options):
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        app.control.purge()  # leftovers of an interrupted run
    with _running_worker(broker, options) as finished:
        yield finished


def _queue_and_deliver(finished: FinishedTasks, key: str) -> None:
    with transaction.atomic():
        message = outbox.email_queue(
            to="focal@unhcr.example.org",
            subject=f"Agenda item accepted ({key})",
            body="The chair accepted your agenda item.",
            dedupe_key=key,
        )
        # Not before the transaction commits.
        assert mail.outbox == []
    state, retval = finished.wait_for("notifications.tasks.send_emails")
    assert (state, retval) == ("SUCCESS", 1)

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Agenda item accepted ({key})"
    assert mail.outbox[0].to == ["focal@unhcr.example.org"]

    heartbeat.delay()
    state, host = finished.wait_for("core.tasks.heartbeat")
    assert state == "SUCCESS"
    assert WorkerHeartbeat.objects.filter(hostname=host).exists()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_embedded_filesystem_broker_worker_sends_mail_and_heartbeat(filesystem_worker):
    _queue_and_deliver(filesystem_worker, "test:filesystem")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_redis_broker_worker_sends_mail_and_heartbeat(redis_worker):
    _queue_and_deliver(redis_worker, "test:redis")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_a_message_queued_twice_once(filesystem_worker):
    for _ in range(2):
        with transaction.atomic():
            outbox.email_queue(
                to="chair@iom.example.org", subject="Minutes overdue", body="…", dedupe_key="twice"
            )
    filesystem_worker.wait_for("notifications.tasks.send_emails")
    # Flush as beat would: nothing is left to send.
    flush_outbox.delay()
    state, sent = filesystem_worker.wait_for("notifications.tasks.flush_outbox")

    assert (state, sent) == ("SUCCESS", 0)
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


# --- Idempotence and the outbox (eager, no worker needed) ------------------------------


def _queue(key: str = "meeting:1:reminder:ana", **overrides) -> OutboundEmail:
    fields = {
        "to": "ana@unicef.example.org",
        "subject": "Reminder: principals' meeting",
        "body": "The meeting is next week.",
        "dedupe_key": key,
    }
    fields.update(overrides)
    return outbox.email_queue(**fields)


def test_same_dedupe_key_twice_is_one_row_and_one_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = _queue(subject="A different subject")

    assert second.pk == first.pk
    assert second_callbacks == []  # nothing dispatched the second time
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reminder: principals' meeting"


def test_email_send_twice_sends_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()

    assert services.email_send(message_id=message.pk) is True
    assert services.email_send(message_id=message.pk) is False
    assert send_email.apply(args=[message.pk]).get() is False

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1


def test_email_send_of_an_unknown_message_is_a_no_op(db):
    assert services.email_send(message_id=987654) is False
    assert mail.outbox == []


def test_broker_down_the_request_succeeds_and_flush_sends_later(
    db, django_capture_on_commit_callbacks, caplog
):
    """The publish fails: the request goes on, one line is logged, and the
    message waits in the outbox until the flush sends it, once."""
    down = KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(send_emails, "apply_async", side_effect=down) as publish:
        with django_capture_on_commit_callbacks(execute=True):
            message = _queue()

    publish.assert_called_once()
    assert publish.call_args.kwargs["args"] == [[message.pk]]
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.QUEUED
    assert message.attempts == 0
    assert mail.outbox == []
    assert "stay queued for the outbox flush" in caplog.text

    assert flush_outbox.apply().get() == 1
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    # A second flush finds nothing to do.
    assert flush_outbox.apply().get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_unreachable_redis_does_not_fail_or_hang_the_web_side():
    """Not a mock: the app publishes to a Redis that is not there."""
    with _broker("redis://127.0.0.1:1/0", {}):
        started = time.monotonic()
        with transaction.atomic():
            message = _queue()
        elapsed = time.monotonic() - started

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.QUEUED
    assert elapsed < 5, f"queueing took {elapsed:.1f}s with the broker down"


def longest_retry_countdown() -> float:
    """The longest countdown any of our tasks can wait before a retry
    (Celery's autoretry backoff: factor * 2**retries, capped)."""
    app.loader.import_default_modules()  # every app's tasks.py, as a worker does
    longest = 0.0
    for name, task in app.tasks.items():
        if name.startswith("celery.") or not getattr(task, "autoretry_for", ()):
            continue
        factor = task.retry_backoff if task.retry_backoff is not True else 1
        countdown = (factor or task.default_retry_delay) * 2 ** (task.max_retries - 1)
        longest = max(longest, min(countdown, task.retry_backoff_max))
    return longest


HUNG_REDIS_PROBE = """
import json, time, django
django.setup()
from django.conf import settings
from core.health import broker_state
from notifications.outbox import dispatch
timings = {"options": settings.CELERY_BROKER_TRANSPORT_OPTIONS}
started = time.monotonic()
timings["published"] = dispatch([1])
timings["publish"] = time.monotonic() - started
started = time.monotonic()
timings["broker"] = broker_state()
timings["healthz"] = time.monotonic() - started
print(json.dumps(timings))
"""


def test_a_hung_redis_holds_neither_a_web_request_nor_healthz(tmp_path):
    """A Redis that accepts connections and never answers (overloaded, or a
    half-dead host): publishing a task and /healthz's broker check must give
    up within seconds, as the broker settings promise. Run in a fresh process
    so the app's own Redis settings are the ones tested."""
    hold_for = 8.0
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # never accept(): the kernel completes the handshake, nobody answers
        closer = threading.Timer(hold_for, server.close)
        closer.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            REDIS_URL=f"redis://127.0.0.1:{server.getsockname()[1]}/0",
            VAR_DIR=str(tmp_path / "var"),
        )
        try:
            result = subprocess.run(
                [sys.executable, "-c", HUNG_REDIS_PROBE],
                cwd=Path(__file__).resolve().parents[2],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        finally:
            closer.cancel()
    assert result.returncode == 0, result.stderr
    timings = json.loads(result.stdout.strip().splitlines()[-1])

    assert timings["broker"]["ok"] is False
    assert timings["published"] is False  # gave up quickly: the outbox keeps the message
    options = timings["options"]
    assert "socket_timeout" in options, options
    # A task waiting for its retry longer than this would be delivered twice.
    assert longest_retry_countdown() < options["visibility_timeout"], options
    assert timings["publish"] < 5, timings
    assert timings["healthz"] < 5, timings


def test_flush_outbox_skips_sent_and_failed_rows(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        waiting = _queue("a")
        sent = _queue("b")
        failed = _queue("c")
    OutboundEmail.objects.filter(pk=sent.pk).update(status=OutboundEmail.Status.SENT)
    OutboundEmail.objects.filter(pk=failed.pk).update(status=OutboundEmail.Status.FAILED)

    assert flush_outbox.apply().get() == 1
    assert [m.to for m in mail.outbox] == [[waiting.to]]


# --- SMTP failures are recorded and retried --------------------------------------------


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        raise SMTPException("451 4.3.0 Mail server temporarily rejected message")


@pytest.fixture
def refusing_smtp(settings):
    RefusingBackend.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    return RefusingBackend


def test_failed_send_is_recorded_and_stays_queued(
    db, refusing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()

    """A refused message is recorded and scheduled again, not raised: the
    next attempt is the flush's, after a backoff."""
    assert services.email_send(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.QUEUED
    assert message.attempts == 1
    assert "temporarily rejected" in message.last_error
    assert message.sent_at is None
    assert message.next_attempt_at > timezone.now()


def test_flush_outbox_leaves_a_failing_message_queued(
    db, refusing_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()

    assert flush_outbox.apply().get() == 0

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error


# --- A real SMTP server on loopback ----------------------------------------------------


class CollectingHandler:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = CollectingHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=_free_port(), loop=asyncio.new_event_loop()
    )
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


def test_email_send_through_a_real_smtp_server(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Secretariat <secretariat@demo.example.org>"
    subject = "Décision GMG/2007/3 — position requested"
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue(
            subject=subject, to="focal@unhcr.example.org", body="Please state a position."
        )

    assert services.email_send(message_id=message.pk) is True

    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["focal@unhcr.example.org"]
    assert envelope.mail_from == "secretariat@demo.example.org"
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["Subject"] == subject
    assert received["To"] == "focal@unhcr.example.org"
    assert "Please state a position." in received.get_content()
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT


def test_smtp_server_down_is_recorded(db, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue()

    assert services.email_send(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error
