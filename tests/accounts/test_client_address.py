"""Behind the TLS proxy, sign-in lockouts, the sign-in log and the
application form's rate limit count the client's address (the right-most
X-Forwarded-For entry, the one our proxy appended), not the proxy's; without
the proxy setting a forged X-Forwarded-For is ignored."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import SignInEvent
from core.net import client_ip
from members.models import MembershipApplication
from tests import factories as f
from tests.members.test_applications import form_data

pytestmark = pytest.mark.django_db(transaction=True)

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"


def via_proxy(client_address, forged=""):
    """The request headers our proxy produces for a client at `client_address`
    who wrote `forged` into its own X-Forwarded-For."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def sign_in(client, password, **headers):
    return client.post(
        reverse("login"), {"username": "ana@example.org", "password": password}, **headers
    )


@pytest.fixture
def ana(db):
    return f.UserFactory(email="ana@example.org")


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True


def test_behind_the_proxy_the_client_address_is_the_right_most_entry(behind_proxy):
    """What the client wrote itself (left of our proxy's entry) is never read;
    a request without the header falls back to the socket address."""
    rf = RequestFactory()
    assert client_ip(rf.get("/", **via_proxy(CLIENT_A))) == CLIENT_A
    assert client_ip(rf.get("/", **via_proxy(CLIENT_A, forged=CLIENT_B))) == CLIENT_A
    assert client_ip(rf.get("/", **via_proxy(CLIENT_A, forged="garbage, 1.1.1.1"))) == CLIENT_A
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_without_the_proxy_setting_a_forged_header_is_ignored(settings):
    """BEHIND_TLS_PROXY off: the socket address, whatever X-Forwarded-For says."""
    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert client_ip(request) == CLIENT_A


def test_failures_from_one_client_do_not_lock_another_behind_the_same_proxy(
    client, ana, behind_proxy, settings
):
    """Client A exhausts the failure limit for ana's account; client B, coming
    through the same proxy, still signs in as ana, and the attempts are
    recorded against A's address, not the proxy's."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", **via_proxy(CLIENT_A))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}

    other = client_class_like(client)
    response = sign_in(other, f.PASSWORD, **via_proxy(CLIENT_B))
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(ana.pk)
    assert SignInEvent.objects.get(user=ana, kind=SignInEvent.Kind.SIGN_IN).ip_address == CLIENT_B


def test_the_lockout_hits_the_client_that_failed(client, ana, behind_proxy, settings):
    """Client A is locked out, even with the right password, and even when it
    forges another address into its own X-Forwarded-For."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", **via_proxy(CLIENT_A))
    response = sign_in(client, f.PASSWORD, **via_proxy(CLIENT_A, forged=CLIENT_B))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_without_the_proxy_setting_forging_the_header_does_not_escape_a_lockout(
    client, ana, settings
):
    """BEHIND_TLS_PROXY off: a client that changes its X-Forwarded-For on
    every try is still one address, and is locked out."""
    settings.BEHIND_TLS_PROXY = False
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = sign_in(client, f.PASSWORD, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}


def test_the_application_rate_limit_counts_the_client_behind_the_proxy(
    client, network, behind_proxy, settings
):
    """Client A uses up the hourly quota of applications; client B, through the
    same proxy, can still apply, and A is refused even with a forged entry."""
    settings.APPLICATION_RATE_LIMIT_PER_HOUR = 1
    url = reverse("members:apply_form", args=[network.slug])
    client.post(url, form_data(submit="1"), **via_proxy(CLIENT_A))
    assert MembershipApplication.objects.count() == 1

    refused = client.post(
        url, form_data(submit="1", org_acronym="A2"), **via_proxy(CLIENT_A, forged=CLIENT_B)
    )
    assert "Too many applications" in refused.content.decode()
    assert MembershipApplication.objects.count() == 1

    accepted = client.post(url, form_data(submit="1", org_acronym="B1"), **via_proxy(CLIENT_B))
    assert accepted.status_code == 302
    assert MembershipApplication.objects.count() == 2


def client_class_like(client):
    """A second browser: a fresh test client with no cookies."""
    return type(client)()
