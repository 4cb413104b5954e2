"""Sign-in by e-mail, lockout after repeated failures, the sign-in log,
password reset through the outbox, password change."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from accounts.models import SignInEvent
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, email, password=f.PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_signs_in_by_email_case_insensitively_and_logs_it(client):
    """An e-mail typed in capitals still signs in; the sign-in is logged."""
    user = f.UserFactory(email="ana@example.org")
    response = sign_in(client, "  ANA@Example.org ")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = SignInEvent.objects.get(user=user)
    assert event.kind == SignInEvent.Kind.SIGN_IN
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    f.UserFactory(email="ana@example.org")
    response = sign_in(client, "ana@example.org", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_out_after_repeated_failures(client, settings):
    """After the limit, even the right password is refused for a while."""
    f.UserFactory(email="ana@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.org", "wrong")
    response = sign_in(client, "ana@example.org")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="ana@example.org").exists()


def test_sign_out_is_logged_and_needs_post(client):
    user = f.UserFactory(email="ana@example.org")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert SignInEvent.objects.filter(user=user, kind=SignInEvent.Kind.SIGN_OUT).exists()


def test_password_reset_mail_goes_through_the_outbox_and_works(client):
    """The reset link arrives by e-mail and sets a new password."""
    user = f.UserFactory(email="ana@example.org")
    response = client.post(reverse("password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a new long passphrase 42")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_refuses_a_weak_password(client):
    user = f.UserFactory(email="ana@example.org")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)


def test_login_page_has_no_stack_trace_for_garbage(client):
    response = client.post(reverse("login"), {"username": "x" * 500, "password": ""})
    assert response.status_code == 200
    assert "Traceback" not in response.content.decode()
