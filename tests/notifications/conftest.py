"""Outbox fixtures: a clock the outbox reads, mail servers that refuse or
count, and a broker nobody listens on."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from kombu import pools

from config.celery import app


class Clock:
    """What `timezone.now()` answers while the fixture is active."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock():
    moving = Clock(timezone.now())
    with mock.patch("django.utils.timezone.now", lambda: moving.now):
        yield moving


class FlakyBackend(LocmemBackend):
    """Django's in-memory backend behind a mail server that can be down
    (a temporary 451 refusal, as during an outage)."""

    down = False
    refused = 0

    def send_messages(self, messages):
        if type(self).down:
            type(self).refused += 1
            raise SMTPException("451 4.3.0 Mail server temporarily unavailable")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    FlakyBackend.down = False
    FlakyBackend.refused = 0
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    return FlakyBackend


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingHandler:
    """An SMTP server's DATA handler that counts what each recipient got."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.received: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@contextmanager
def running_smtp_server(delay: float = 0.0):
    from aiosmtpd.controller import Controller

    handler = CountingHandler(delay)
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), loop=asyncio.new_event_loop()
    )
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django talks to it."""
    with running_smtp_server() as (port, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield handler


def _reset_broker_pools() -> None:
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()


class BrokerAttempts:
    def __init__(self, port: int) -> None:
        self.port = port
        self.connects = 0


@pytest.fixture
def broker_down():
    """The app's broker is a Redis on a port where nothing listens, with the
    transport options the app runs Redis with; tasks are published for real
    (not eager). Counts the connection attempts to it."""
    port = free_port()
    attempts = BrokerAttempts(port)
    keys = ("broker_url", "broker_transport", "broker_transport_options", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app.conf.broker_transport = None
    app.conf.broker_transport_options = {
        "visibility_timeout": 3600,
        "socket_timeout": 2,
        "socket_connect_timeout": 1,
    }
    app.conf.task_always_eager = False
    _reset_broker_pools()
    real_connect = socket.socket.connect

    def counting_connect(sock, address):
        if isinstance(address, tuple) and address[1] == port:
            attempts.connects += 1
        return real_connect(sock, address)

    try:
        with mock.patch.object(socket.socket, "connect", counting_connect):
            yield attempts
    finally:
        for key, value in saved.items():
            app.conf[key] = value
        _reset_broker_pools()


@pytest.fixture
def not_eager():
    """Tasks are published to the broker of the settings, not run in place."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True
