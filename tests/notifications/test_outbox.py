"""The outbox's promises: a message is claimed before the mail server is
called and never sent twice; one broker publish per transaction, one
connection attempt when the broker is down; failures retried with backoff for
two days, then shown to the secretariat and sent again by an admin; a
password-reset link not kept once sent."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, AgendaItemStatus, MeetingStatus, Participant
from members.models import PersonLevel
from notifications import outbox, services
from notifications.models import OutboundEmail
from notifications.selectors import STUCK_AFTER, undeliverable_count
from notifications.tasks import flush_outbox, send_email, send_emails
from tests import factories as f
from tests.meetings.conftest import make_meeting

Status = OutboundEmail.Status


def _queue(key: str = "meeting:1:reminder:ana", **overrides) -> OutboundEmail:
    fields = {
        "to": "ana@unicef.example.org",
        "subject": "Reminder: principals' meeting",
        "body": "The meeting is next week.",
        "dedupe_key": key,
    }
    fields.update(overrides)
    return outbox.email_queue(**fields)


def _queued(key: str = "meeting:1:reminder:ana", **overrides) -> OutboundEmail:
    """A message in the outbox whose after-commit dispatch did not run."""
    with transaction.atomic():
        return _queue(key, **overrides)


# --- claim before send ------------------------------------------------------------------


class SpyBackend(LocmemBackend):
    """Notes, when called, whether a transaction is open and the row's status."""

    seen: list = []

    def send_messages(self, messages):
        status = OutboundEmail.objects.values_list("status", flat=True).get()
        type(self).seen.append((connection.in_atomic_block, status))
        return super().send_messages(messages)


class RefusingRecipientBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"No such user")})


@pytest.mark.django_db(transaction=True)
def test_the_message_is_claimed_and_committed_before_the_mail_server_is_called(settings):
    """When the mail server is called, no transaction is open and the row
    already says SENDING (committed, so any other sender sees the claim);
    afterwards it says SENT."""
    SpyBackend.seen = []
    settings.EMAIL_BACKEND = f"{__name__}.SpyBackend"
    with mock.patch.object(outbox, "dispatch"):
        message = _queued()

    assert services.email_send(message_id=message.pk) is True

    assert SpyBackend.seen == [(False, Status.SENDING)]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claim_token) == (Status.SENT, 1, None)


def test_a_message_sent_but_not_recorded_is_never_sent_again(
    db, django_capture_on_commit_callbacks
):
    """The reported bug: the worker sent, then could not record it ("database
    is locked") and its retry sent again. Now the message stays claimed
    (SENDING); the task run again, a redelivery and the flush send nothing;
    after a while the dashboard counts it for a person to decide."""
    message = _queued()
    locked = OperationalError("database is locked")
    with mock.patch.object(services, "_record_sent", side_effect=locked):
        with pytest.raises(OperationalError):
            send_email.apply(args=[message.pk], throw=True)
    assert len(mail.outbox) == 1

    assert send_email.apply(args=[message.pk]).get() is False
    assert send_emails.apply(args=[[message.pk]]).get() == 0
    assert flush_outbox.apply().get() == 0

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert undeliverable_count() == 0  # maybe still sending
    OutboundEmail.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(minutes=1)
    )
    assert undeliverable_count() == 1


def test_send_emails_delivered_twice_sends_each_message_once(db):
    """A task delivered again (acks_late after a worker restart) finds its
    messages sent and sends nothing."""
    ids = [_queued(f"k{i}", to=f"p{i}@example.org").pk for i in range(3)]

    assert send_emails.apply(args=[ids]).get() == 3
    assert send_emails.apply(args=[ids]).get() == 0
    assert send_email.apply(args=[ids[0]]).get() is False

    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@example.org" for i in range(3)]
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


def test_the_mail_server_unreachable_stops_the_batch_and_leaves_the_rest_queued(db, settings):
    """With nothing listening on the SMTP port, the first message records the
    error and the others are not tried (no connect timeout per message): they
    wait, unclaimed, for the flush."""
    from tests.notifications.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
    ids = [_queued(f"k{i}").pk for i in range(3)]

    assert services.emails_send(message_ids=ids) == 0

    rows = {m.pk: m for m in OutboundEmail.objects.all()}
    assert rows[ids[0]].attempts == 1 and "ConnectionRefused" in rows[ids[0]].last_error
    assert rows[ids[0]].next_attempt_at > timezone.now()
    assert [rows[i].attempts for i in ids[1:]] == [0, 0]
    assert {m.status for m in rows.values()} == {Status.QUEUED}


# --- one publish per transaction -----------------------------------------------------------


def test_a_transaction_publishes_one_task_for_all_its_messages(
    db, django_capture_on_commit_callbacks, not_eager
):
    """Three messages queued in one transaction: one on-commit hook, one
    publish carrying the three ids. A message queued in a savepoint that is
    rolled back is not lost for the others."""
    with mock.patch.object(send_emails, "apply_async") as publish:
        with django_capture_on_commit_callbacks(execute=True) as hooks:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        _queue("gone")
                        raise RuntimeError("the savepoint is rolled back")
                except RuntimeError:
                    pass
                ids = [_queue(f"k{i}").pk for i in range(3)]

    assert len(hooks) == 1
    publish.assert_called_once()
    assert publish.call_args.kwargs["args"] == [ids]
    assert publish.call_args.kwargs["retry"] is False


def _meeting_with_participants(network, n: int):
    meeting = make_meeting(network)
    AgendaItem.objects.create(
        meeting=meeting, title="Alpha", status=AgendaItemStatus.ACCEPTED, position=1
    )
    for i in range(n):
        org = f.OrganizationFactory(acronym=f"A{i:02d}", name=f"Agency {i}", slug=f"a{i:02d}")
        person = f.PersonFactory(
            organization=org, level=PersonLevel.FOCAL_POINT, email=f"focal{i}@a{i}.example.org"
        )
        Participant.objects.create(meeting=meeting, organization=org, person=person)
    return meeting


@pytest.mark.django_db(transaction=True)
def test_circulating_to_40_people_with_the_broker_down_tries_the_broker_once(
    client, network, secretariat, broker_down, caplog
):
    """The broker (Redis) is unreachable: the circulation request tries it
    once (one connection attempt, one publish), logs one line, and succeeds;
    the 40 messages wait in the outbox and the flush sends each once."""
    meeting = _meeting_with_participants(network, 40)
    client.force_login(secretariat)

    with mock.patch.object(send_emails, "apply_async", wraps=send_emails.apply_async) as publish:
        response = client.post(reverse("meetings:agenda_circulate", args=[meeting.pk]))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_CIRCULATED
    assert broker_down.connects == 1
    assert publish.call_count <= 1
    assert caplog.text.count("Broker unavailable") == 1
    assert OutboundEmail.objects.filter(status=Status.QUEUED).count() == 40
    assert mail.outbox == []

    assert services.outbox_flush() == 40
    assert services.outbox_flush() == 0
    assert len(mail.outbox) == 40
    assert len({m.to[0] for m in mail.outbox}) == 40


# --- retries with backoff ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [
        (1, timedelta(seconds=30), timedelta(minutes=1)),
        (2, timedelta(minutes=1), timedelta(minutes=2)),
        (3, timedelta(minutes=2), timedelta(minutes=4)),
        (8, timedelta(minutes=64), timedelta(minutes=128)),
        (9, timedelta(hours=2), timedelta(hours=4)),
        (30, timedelta(hours=2), timedelta(hours=4)),
    ],
)
def test_the_retry_delay_doubles_with_jitter_up_to_four_hours(attempts, low, high):
    """1, 2, 4 … minutes after each failure, at most four hours; jitter puts
    it between half and all of that."""
    with mock.patch("notifications.services.random.random", return_value=0.0):
        assert services.retry_delay(attempts) == low
    with mock.patch("notifications.services.random.random", return_value=1.0):
        assert services.retry_delay(attempts) == high


def _flush_every_two_minutes_until(clock, done, limit=timedelta(days=3)) -> int:
    """Run the flush as beat does, every two minutes. Returns the runs."""
    runs = 0
    end = clock.now + limit
    while not done() and clock.now < end:
        clock.advance(minutes=2)
        flush_outbox.apply()
        runs += 1
    return runs


def test_a_sixteen_minute_outage_then_recovery_delivers_once(
    db, clock, flaky_smtp, django_capture_on_commit_callbacks
):
    """The mail server refuses everything for 16 minutes: the message stays
    queued (not failed), the flush tries it only when its backoff is due,
    and once the server is back it is delivered exactly once."""
    flaky_smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    outage_ends = message.first_attempt_at + timedelta(minutes=16)

    def recovered_and_sent():
        if clock.now >= outage_ends:
            flaky_smtp.down = False
        return OutboundEmail.objects.filter(pk=message.pk, status=Status.SENT).exists()

    runs = _flush_every_two_minutes_until(clock, recovered_and_sent)

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1
    assert message.attempts == flaky_smtp.refused + 1
    # Backoff: fewer attempts than flush runs, delivered within the next doubling.
    assert flaky_smtp.refused < runs
    assert message.sent_at - outage_ends < timedelta(minutes=40)
    assert flush_outbox.apply().get() == 0
    assert len(mail.outbox) == 1


def test_a_message_is_given_up_two_days_after_its_first_attempt(
    db, clock, flaky_smtp, django_capture_on_commit_callbacks
):
    """A mail server down for good: retries at most four hours apart, the
    message still queued two days minus a bit later, FAILED after 48 hours,
    and then never tried again."""
    flaky_smtp.down = True
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue()
    message.refresh_from_db()
    first = message.first_attempt_at
    attempt_times = [first]

    def failed():
        row = OutboundEmail.objects.get(pk=message.pk)
        if row.attempts > len(attempt_times):
            attempt_times.append(row.claimed_at)
        return row.status == Status.FAILED

    _flush_every_two_minutes_until(clock, failed)

    message.refresh_from_db()
    assert message.status == Status.FAILED
    gaps = [b - a for a, b in zip(attempt_times, attempt_times[1:], strict=False)]
    assert max(gaps) <= timedelta(hours=4, minutes=2)
    assert attempt_times[-2] - first < timedelta(hours=48)
    assert attempt_times[-1] - first >= timedelta(hours=48)
    assert message.attempts == flaky_smtp.refused >= 15
    assert mail.outbox == []

    refused = flaky_smtp.refused
    clock.advance(days=1)
    flaky_smtp.down = False
    assert flush_outbox.apply().get() == 0
    assert flaky_smtp.refused == refused and mail.outbox == []


def test_a_permanent_refusal_fails_at_once(db, settings):
    """A 550 for the address: retrying for two days would not change it."""
    settings.EMAIL_BACKEND = f"{__name__}.RefusingRecipientBackend"
    message = _queued()

    assert services.email_send(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "No such user" in message.last_error


# --- the dashboard and "Send again" ------------------------------------------------------


def _failed(key: str, **fields) -> OutboundEmail:
    message = _queued(key, to=f"{key}@example.org")
    values = {"status": Status.FAILED, "attempts": 19, "last_error": "451 try later"}
    values.update(fields)
    OutboundEmail.objects.filter(pk=message.pk).update(**values)
    return message


def _stuck(key: str) -> OutboundEmail:
    return _failed(
        key,
        status=Status.SENDING,
        attempts=1,
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(minutes=5),
    )


PANEL = "could not be sent"


def test_the_secretariat_sees_how_many_emails_could_not_be_sent(client, network, secretariat):
    """Two given up and one stuck mid-send: "3 e-mails could not be sent",
    without the admin link for a secretariat member who is not staff."""
    _failed("a")
    _failed("b")
    _stuck("c")
    _queued("still-trying")
    client.force_login(secretariat)

    page = client.get(reverse("home")).content.decode()

    assert "3 e-mails could not be sent" in page
    assert "An administrator can review them" in page
    assert reverse("admin:notifications_outboundemail_changelist") not in page


def test_an_admin_sees_the_panel_with_a_link_to_the_admin_list(client, network, admin_user):
    _failed("a")
    client.force_login(admin_user)

    page = client.get(reverse("home")).content.decode()

    assert "1 e-mail could not be sent" in page
    assert reverse("admin:notifications_outboundemail_changelist") + "?status__in=" in page


@pytest.mark.parametrize("persona", ["focal_a", "chair", "outsider"])
def test_others_do_not_see_the_failed_mail_panel(client, network, request, persona):
    _failed("a")
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("home")).content.decode()

    assert PANEL not in page


def test_no_panel_when_nothing_failed(client, network, secretariat):
    _queued("fine")
    client.force_login(secretariat)
    assert PANEL not in client.get(reverse("home")).content.decode()


def _send_again(client, messages):
    return client.post(
        reverse("admin:notifications_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [m.pk for m in messages]},
        follow=True,
    )


def test_an_admin_sends_failed_and_stuck_messages_again(
    client, admin_user, django_capture_on_commit_callbacks
):
    """ "Send again" queues the failed and the stuck ones with a fresh
    schedule and hands them to a worker: each is delivered once. A sent
    message selected with them is left alone."""
    failed, stuck = _failed("failed"), _stuck("stuck")
    sent = _failed("sent", status=Status.SENT, attempts=1, sent_at=timezone.now())
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = _send_again(client, [failed, stuck, sent])

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 e-mails queued again" in page
    assert "1 e-mail left as it is" in page
    assert sorted(m.to[0] for m in mail.outbox) == ["failed@example.org", "stuck@example.org"]
    for message in (failed, stuck):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.SENT, 1)
    sent.refresh_from_db()
    assert sent.attempts == 1 and sent.status == Status.SENT
    assert undeliverable_count() == 0
    change = reverse("admin:notifications_outboundemail_change", args=[failed.pk])
    assert client.get(change).status_code == 200


def test_send_again_restarts_the_two_day_schedule(client, admin_user, clock, flaky_smtp):
    """Queued again while the server is still down: retried for two more days."""
    failed = _failed("failed", first_attempt_at=timezone.now() - timedelta(days=3))
    client.force_login(admin_user)
    flaky_smtp.down = True

    _send_again(client, [failed])
    flush_outbox.apply()

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.QUEUED, 1)
    assert failed.first_attempt_at == clock.now


@pytest.mark.parametrize("persona", ["secretariat", "staff"])
def test_only_an_admin_may_send_again(db, client, request, persona):
    """A secretariat member (not staff) is sent to the admin's login; a staff
    user without the model's permission is refused; nothing changes."""
    failed = _failed("failed")
    if persona == "staff":
        user = f.UserFactory(email="staff@example.org", is_staff=True)
    else:
        user = request.getfixturevalue("secretariat")
    client.force_login(user)

    response = client.post(
        reverse("admin:notifications_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )

    assert response.status_code in (302, 403)
    if persona == "secretariat":
        assert reverse("admin:login") in response["Location"]
    else:
        assert response.status_code == 403
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.FAILED, 19)
    assert mail.outbox == []


# --- a password-reset link is not kept -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_link_is_not_kept_in_the_outbox_once_sent(client):
    """The person gets the link; the outbox row keeps neither the link (body
    redacted) nor the token (its dedupe key is hashed)."""
    f.UserFactory(email="ana@example.org")

    client.post(reverse("password_reset"), {"email": "ana@example.org"})

    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password/reset/(\S+)/(\S+)/", mail.outbox[0].body)
    uid, token = link.groups()
    row = OutboundEmail.objects.get()
    assert (row.status, row.sensitive) == (Status.SENT, True)
    assert row.body == services.REDACTED_BODY
    assert row.redacted_at is not None
    assert token not in row.dedupe_key and uid not in row.dedupe_key


def test_a_sensitive_message_given_up_is_redacted_and_not_sent_again(
    db, clock, flaky_smtp, client, admin_user
):
    """Given up after two days, a reset message loses its link too, and
    "Send again" leaves it (the person asks for a new link)."""
    flaky_smtp.down = True
    message = _queued("reset", sensitive=True, body="https://x/reset/MQ/secret-token/")
    services.email_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.body.endswith("secret-token/")  # kept while it is retried

    clock.advance(hours=49)
    flush_outbox.apply()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    flaky_smtp.down = False
    assert message.body == services.REDACTED_BODY
    client.force_login(admin_user)
    response = _send_again(client, [message])
    assert "1 e-mail left as it is" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert mail.outbox == []


def test_the_admin_never_shows_a_sensitive_body(admin_client):
    """A password-reset message waiting in the outbox carries a live link: its
    change page in the admin shows that it is hidden, never the link."""
    from notifications.models import OutboundEmail

    message = OutboundEmail.objects.create(
        to="ana@example.org",
        subject="Reset",
        body="https://example.org/reset/MQ/secret-token/",
        dedupe_key="reset-test",
        sensitive=True,
    )
    response = admin_client.get(f"/admin/notifications/outboundemail/{message.pk}/change/")
    assert response.status_code == 200
    assert b"secret-token" not in response.content
    assert b"carries a sign-in link" in response.content
