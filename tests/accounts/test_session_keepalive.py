"""Pages of a signed-in user carry the time left before the session ends
(for the warning in static/js/app.js), and the keep-alive endpoint restarts
the idle clock, never the lifetime. After an expiry, a form post leads back
to the page of the form, not to the address it posted to."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = reverse("password_change")  # any page that needs a signed-in user
KEEPALIVE = reverse("session_keepalive")
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    """timezone.now, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = START
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)

    @property
    def epoch(self) -> int:
        return int(self.now.timestamp())


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
    """Ana, signed in at START, in a browser that sends CSRF tokens as a real
    one does (the check is on)."""
    user = f.UserFactory(email="ana@example.org")
    tab = Client(enforce_csrf_checks=True)
    tab.force_login(user)
    tab.get(PAGE)  # sets the CSRF cookie
    return tab


def keepalive(tab, **extra):
    return tab.post(KEEPALIVE, HTTP_X_CSRFTOKEN=tab.cookies["csrftoken"].value, **extra)


def clock_of(response):
    return response.context["session_clock"]


# --- what the page carries ----------------------------------------------------------


def test_a_page_carries_the_seconds_left_until_each_deadline(tab, clock):
    """Thirty seconds after the last recorded activity (within the minute the
    server does not record again) the page says 2 h minus 30 s of idle time
    and 12 h minus 30 s of lifetime are left, in <body>'s data attributes."""
    clock.advance(seconds=30)
    response = tab.get(PAGE)
    session_clock = clock_of(response)
    assert session_clock.idle_left == 7200 - 30
    assert session_clock.ends_in == 12 * 3600 - 30
    assert session_clock.idle_timeout == 7200
    assert session_clock.idle_warning == 300
    assert session_clock.end_warning == 600
    html = response.content.decode()
    assert f'data-session-idle-left="{7200 - 30}"' in html
    assert f'data-session-ends-in="{12 * 3600 - 30}"' in html
    assert f'data-session-keepalive="{KEEPALIVE}"' in html
    assert 'id="session-idle-notice"' in html


def test_the_idle_time_left_never_goes_past_the_end_of_the_lifetime(tab, clock):
    """Five minutes before the end of the lifetime, the idle time left is five
    minutes too, though the user was active a moment ago: the page must not
    promise more than the lifetime gives."""
    for _ in range(7):
        clock.advance(minutes=100)
        tab.get(PAGE)
    clock.advance(minutes=15)  # 11 h 55 after the sign-in
    session_clock = clock_of(tab.get(PAGE))
    assert session_clock.ends_in == 300
    assert session_clock.idle_left == 300


def test_an_anonymous_page_carries_no_session_clock(db):
    """Without a session to end there is nothing to warn about: no clock, no
    keep-alive address, no session notices."""
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "session_clock" not in response.context
    html = response.content.decode()
    assert "data-session-keepalive" not in html
    assert 'id="session-idle-notice"' not in html
    assert 'id="draft-offer"' in html  # drafts are kept for the public form too


# --- the keep-alive -------------------------------------------------------------------


def test_the_keepalive_restarts_the_idle_clock_at_once(tab, clock):
    """Within the minute in which an ordinary request records nothing, the
    keep-alive still records the activity: 204, the last-seen time is now,
    and the answer says a whole idle time is left."""
    clock.advance(minutes=90)
    tab.get(PAGE)  # recorded at 90 min
    clock.advance(seconds=30)
    assert tab.session[LAST_SEEN_AT] == clock.epoch - 30

    response = keepalive(tab)
    assert response.status_code == 204
    assert response.content == b""
    assert tab.session[LAST_SEEN_AT] == clock.epoch
    assert response["X-Session-Idle-Left"] == "7200"
    assert response["X-Session-Ends-In"] == str(12 * 3600 - 90 * 60 - 30)
    assert response["Cache-Control"] == "no-store"


def test_the_keepalive_keeps_a_session_that_would_have_ended(tab, clock):
    """Keep-alives every 100 minutes, and nothing else, keep the session past
    the two idle hours."""
    for _ in range(3):
        clock.advance(minutes=100)
        assert keepalive(tab).status_code == 204
    clock.advance(minutes=100)
    assert tab.get(PAGE).status_code == 200


def test_the_keepalive_cannot_extend_the_lifetime(tab, clock):
    """A minute before the end of the lifetime the keep-alive answers that
    one minute is left, and leaves the sign-in time alone; at the end it is
    refused like any request (a redirect to the sign-in page, signed out)."""
    signed_in_at = tab.session[SIGNED_IN_AT]
    for _ in range(7):
        clock.advance(minutes=100)
        assert keepalive(tab).status_code == 204
    clock.advance(minutes=19)  # 11 h 59 after the sign-in
    response = keepalive(tab)
    assert response.status_code == 204
    assert response["X-Session-Ends-In"] == "60"
    assert response["X-Session-Idle-Left"] == "60"
    assert tab.session[SIGNED_IN_AT] == signed_in_at

    clock.advance(minutes=1)
    response = keepalive(tab, HTTP_REFERER=f"http://testserver{PAGE}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(PAGE)}"
    assert "_auth_user_id" not in tab.session


def test_the_keepalive_refuses_an_anonymous_caller(db):
    """No session to keep: 403, and no session is created."""
    before = Session.objects.count()
    response = Client().post(KEEPALIVE)
    assert response.status_code == 403
    assert Session.objects.count() == before


def test_the_keepalive_needs_the_csrf_token(tab, clock):
    """Without the CSRF token the call is refused (403) and the idle clock
    does not move (within the minute in which an ordinary request records
    nothing, a keep-alive would): another site cannot keep a session open."""
    clock.advance(seconds=30)
    before = tab.session[LAST_SEEN_AT]
    response = tab.post(KEEPALIVE)
    assert response.status_code == 403
    assert tab.session[LAST_SEEN_AT] == before


def test_the_keepalive_takes_only_post(tab, clock):
    """A GET (a link, a prefetch, an image tag elsewhere) is refused and
    records nothing (within the minute an ordinary request records nothing)."""
    clock.advance(seconds=30)
    before = tab.session[LAST_SEEN_AT]
    assert tab.get(KEEPALIVE).status_code == 405
    assert tab.session[LAST_SEEN_AT] == before


# --- back to the page after signing in again ----------------------------------------------


def test_an_expired_form_post_leads_back_to_the_page_of_the_form(tab, clock):
    """The minutes typed on /meetings/7/minutes/ and posted after the idle
    limit: the sign-in page leads back to the page the form was on (the
    Referer), where the browser offers the kept text back."""
    clock.advance(hours=3)
    form_page = "/meetings/7/minutes/?tab=text"
    response = tab.post(
        "/meetings/7/minutes/comment/",
        {"body": "typed for hours"},
        HTTP_REFERER=f"http://testserver{form_page}",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(form_page)}"


@pytest.mark.parametrize(
    "referer",
    ["https://evil.example.org/meetings/7/", "http://testserver//evil.example.org/x", ""],
)
def test_a_foreign_or_missing_referer_is_not_a_way_back(tab, clock, referer):
    """Only a page of this site is a way back; otherwise the address posted to
    is, as before."""
    clock.advance(hours=3)
    headers = {"HTTP_REFERER": referer} if referer else {}
    response = tab.post("/meetings/7/minutes/comment/", {"body": "x"}, **headers)
    assert response["Location"] == (
        f"{reverse('login')}?next={quote('/meetings/7/minutes/comment/')}"
    )
