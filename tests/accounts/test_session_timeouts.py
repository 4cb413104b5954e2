"""Signed-in sessions end after SESSION_IDLE_TIMEOUT_MINUTES without a request
and SESSION_MAX_AGE_HOURS after the sign-in, whatever the activity; the
tab lands on the sign-in page with a message saying why."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = reverse("password_change")  # any page that needs a signed-in user
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    """timezone.now, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = START
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def limits(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 120
    settings.SESSION_MAX_AGE_HOURS = 12
    settings.SESSION_COOKIE_AGE = 24 * 3600


@pytest.fixture
def tab(clock, limits):
    user = f.UserFactory(email="ana@example.org")
    tab = Client()
    response = tab.post(reverse("login"), {"username": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    return tab


def is_signed_in(tab) -> bool:
    return tab.get(PAGE).status_code == 200


def test_a_session_idle_past_the_limit_is_signed_out_with_a_message(tab, clock):
    """Two idle hours end the session: the page asked for redirects to the
    sign-in page (with a way back), which says why."""
    clock.advance(minutes=119)
    assert is_signed_in(tab)

    clock.advance(minutes=120)
    response = tab.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(PAGE)}"
    assert "_auth_user_id" not in tab.session

    page = tab.get(response["Location"]).content.decode()
    assert "You were signed out after 2 hours without activity. Please sign in again." in page


def test_activity_keeps_the_idle_clock_from_running_out(tab, clock):
    """A request every 100 minutes keeps the session for hours longer than
    the idle limit: each request restarts the idle clock."""
    for _ in range(6):
        clock.advance(minutes=100)
        assert is_signed_in(tab)
    assert clock.now - START == timedelta(minutes=600)


def test_the_absolute_lifetime_ends_even_an_active_session(tab, clock):
    """Activity never extends the lifetime: twelve hours after signing in the
    session ends, with its own message, though the user was busy."""
    for _ in range(7):
        clock.advance(minutes=100)
        assert is_signed_in(tab)
    clock.advance(minutes=20)  # 12 hours after the sign-in
    response = tab.get(PAGE, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated
    assert (
        "For your security, a session lasts at most 12 hours. Please sign in again."
        in response.content.decode()
    )


def test_signing_in_again_restarts_both_clocks(tab, clock):
    """After an expiry the user signs in again and gets a whole new lifetime."""
    clock.advance(hours=13)
    assert not is_signed_in(tab)
    tab.post(reverse("login"), {"username": "ana@example.org", "password": f.PASSWORD})
    clock.advance(hours=1)
    assert is_signed_in(tab)


def test_a_session_timestamp_in_the_past_is_honoured(limits):
    """The limits hold for stored sessions, not only for this process' clock:
    a session whose sign-in is stamped 13 hours ago is over."""
    user = f.UserFactory()
    tab = Client()
    tab.force_login(user)
    session = tab.session
    long_ago = int((timezone.now() - timedelta(hours=13)).timestamp())
    session[SIGNED_IN_AT] = long_ago
    session[LAST_SEEN_AT] = int(timezone.now().timestamp())
    session.save()
    assert tab.get(PAGE).status_code == 302
    assert "_auth_user_id" not in tab.session


def test_an_htmx_request_sends_the_whole_page_to_the_sign_in_form(tab, clock):
    """A fragment request after the idle limit gets HX-Redirect to the sign-in
    page, with the page the fragment belonged to as the way back."""
    clock.advance(hours=3)
    response = tab.get(
        PAGE, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/meetings/?year=2026"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/meetings/%3Fyear%3D2026"
    assert "_auth_user_id" not in tab.session


def test_the_idle_clock_is_written_at_most_once_a_minute(tab, clock):
    """Requests within the same minute do not save the session again."""
    first = tab.session[LAST_SEEN_AT]
    clock.advance(seconds=30)
    tab.get(PAGE)
    assert tab.session[LAST_SEEN_AT] == first
    clock.advance(seconds=31)
    tab.get(PAGE)
    assert tab.session[LAST_SEEN_AT] == first + 61
