"""Password reset: the same answer, after the same work, for a known and an
unknown address; a rate limit per client address and per e-mail address;
one mail per request however often the worker runs."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.tasks import password_reset_mail
from notifications.models import OutboundEmail
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

URL = reverse("password_reset")
KNOWN = "ana@example.org"
UNKNOWN = "nobody@example.org"


@pytest.fixture
def ana(db):
    return f.UserFactory(email=KNOWN)


@pytest.fixture
def published(monkeypatch):
    """The reset jobs the requests hand to the worker, instead of running them."""
    jobs = []

    def publish(task, *, kwargs, **_):
        assert task is password_reset_mail
        jobs.append(kwargs)
        return True

    monkeypatch.setattr("accounts.forms.publish_once", publish)
    return jobs


def ask(client, email, address="203.0.113.5"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def test_a_known_and_an_unknown_address_get_the_same_answer_after_the_same_work(
    client, ana, published, django_assert_num_queries
):
    """Neither request touches the database (so neither looks the account
    up); each hands the worker one job of the same shape; both answers are
    the same redirect to the same page."""
    with django_assert_num_queries(0):
        known = ask(client, KNOWN)
    with django_assert_num_queries(0):
        unknown = ask(client, UNKNOWN)

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == reverse("password_reset_done")
    assert [job["email"] for job in published] == [KNOWN, UNKNOWN]
    strip = {"email", "request_id"}
    assert {k: v for k, v in published[0].items() if k not in strip} == {
        k: v for k, v in published[1].items() if k not in strip
    }
    assert OutboundEmail.objects.count() == 0
    page = client.get(known["Location"]).content.decode()
    assert "If an account uses that address, we have sent it a link" in page


def test_the_worker_queues_a_link_for_a_known_address_only(ana):
    """The job sends the link to an account's address and nothing for an
    address nobody uses."""
    job = {
        "domain": "testserver",
        "use_https": True,
        "subject_template_name": "registration/password_reset_subject.txt",
        "email_template_name": "registration/password_reset_email.txt",
        "language": "en",
    }
    password_reset_mail.apply(kwargs={**job, "email": UNKNOWN, "request_id": "r1"})
    assert OutboundEmail.objects.count() == 0
    password_reset_mail.apply(kwargs={**job, "email": KNOWN, "request_id": "r2"})
    assert [m.to for m in OutboundEmail.objects.all()] == [KNOWN]
    assert "https://testserver/accounts/password/reset/" in mail.outbox[0].body


def test_running_the_job_twice_sends_one_mail(ana):
    """A retried or redelivered job (acks_late) queues nothing more."""
    job = {
        "email": KNOWN,
        "domain": "testserver",
        "use_https": False,
        "subject_template_name": "registration/password_reset_subject.txt",
        "email_template_name": "registration/password_reset_email.txt",
        "language": "en",
        "request_id": "same-request",
    }
    services.password_reset_mail_queue(**job)
    services.password_reset_mail_queue(**job)
    assert OutboundEmail.objects.filter(to=KNOWN).count() == 1
    assert len(mail.outbox) == 1


def test_with_the_broker_down_the_link_still_goes_into_the_outbox(client, ana, monkeypatch):
    """Publishing fails: the request does the worker's part itself, so the
    link waits in the outbox instead of being lost."""

    monkeypatch.setattr("accounts.forms.publish_once", lambda task, **_: False)
    response = ask(client, KNOWN)
    assert response["Location"] == reverse("password_reset_done")
    assert [m.to for m in OutboundEmail.objects.all()] == [KNOWN]


@pytest.mark.parametrize("email", [KNOWN, UNKNOWN])
def test_an_e_mail_address_is_refused_after_its_hourly_limit(
    client, ana, published, settings, email
):
    """The fourth request for one address in an hour is refused with a clear
    message and hands nothing to the worker, whether or not an account uses
    the address (the refusal tells nothing either); another address, from
    the same client, still goes through."""
    settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR = 3
    for _ in range(3):
        assert ask(client, email).status_code == 302
    refused = ask(client, email.upper())
    assert refused.status_code == 429
    assert "A reset link was asked for this e-mail address several times" in (
        refused.content.decode()
    )
    assert len(published) == 3

    assert ask(client, "someone.else@example.org").status_code == 302
    assert len(published) == 4


def test_a_client_address_is_refused_after_its_hourly_limit(client, ana, published, settings):
    """One client asking for many different addresses is stopped; another
    client is not."""
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 2
    assert ask(client, "a@example.org").status_code == 302
    assert ask(client, "b@example.org").status_code == 302
    refused = ask(client, "c@example.org")
    assert refused.status_code == 429
    assert "Too many password reset requests came from your address" in refused.content.decode()
    assert [job["email"] for job in published] == ["a@example.org", "b@example.org"]

    assert ask(client, KNOWN, address="198.51.100.7").status_code == 302
    assert len(published) == 3
