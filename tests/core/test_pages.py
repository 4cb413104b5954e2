"""The frame every page shares: friendly error pages, the network switcher,
static assets served by the app itself."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path

from home.views import home

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), path("", home, name="home")]


def test_an_unknown_address_gets_the_friendly_404(client, network):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page
    assert "Traceback" not in page


def test_a_crash_gets_the_friendly_500_without_a_trace(settings):
    """An unexpected error shows our page, never a stack trace."""
    settings.ROOT_URLCONF = "tests.core.test_pages"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "RuntimeError" not in page and "Traceback" not in page


def test_the_500_page_renders_without_a_request():
    assert "Back to the dashboard" in render_to_string("500.html")


def test_bootstrap_and_htmx_come_from_the_app(client, network):
    """No CDN: every script and stylesheet is one of our static files."""
    page = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "cdn." not in page and "https://" not in page.split("<body", 1)[0]


def test_the_home_page_without_any_network_says_what_to_do(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No network has been set up yet" in response.content.decode()
