"""Shared fixtures: the personas every permission test speaks of.

- secretariat: staff of the coordinating agency, granted the role in `network`
- admin: a superuser
- chair: focal point of agency A, which holds the current chair term
- focal_a / focal_b: focal points of member agencies A and B
- principal_a: the head of agency A
- outsider: signed in, with no role anywhere
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from members.models import PersonLevel
from tests import factories as f


@pytest.fixture(autouse=True)
def _plain_http_and_fast_forms(settings, tmp_path):
    # The production defaults redirect to HTTPS; the test client speaks HTTP.
    # The default PBKDF2 rounds cost half a second a user on this machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.APPLICATION_MIN_FILL_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A key prefix of its own per test, instead of clearing the cache: on
    # Redis a FLUSHDB would wipe what a parallel test process (or a
    # developer's worker) keeps in the same database.
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}}


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """The rows data migrations load (the GCM objectives, the document
    kinds), there for every test that uses the database: a transactional
    test's flush takes them, and a test after it in the same process (the
    seeds, the scaled data) would find none. Two counts when they are there."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names and "transactional_db" not in names:
        return
    transactional = "transactional_db" in names or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    import importlib

    from django.apps import apps as django_apps

    from documents.models import DocumentKind
    from workplans.models import FrameworkObjective

    if not FrameworkObjective.objects.exists():
        importlib.import_module("workplans.migrations.0002_framework_objectives").load(
            django_apps, None
        )
    if not DocumentKind.objects.exists():
        importlib.import_module("documents.migrations.0002_standard_kinds").add_kinds(
            django_apps, None
        )


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def network(db):
    return f.NetworkFactory(name="Global Test Network", short_name="GTN", slug="gtn")


@pytest.fixture
def other_network(db):
    return f.NetworkFactory(name="Other Network", short_name="OTH", slug="oth")


@pytest.fixture
def agency_a(network):
    org = f.OrganizationFactory(acronym="AAA", name="Agency A", slug="aaa")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def agency_b(network):
    org = f.OrganizationFactory(acronym="BBB", name="Agency B", slug="bbb")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def current_term(network, agency_a):
    today = timezone.localdate()
    return f.ChairTermFactory(
        network=network,
        organization=agency_a,
        start=today - timedelta(days=30),
        end=today + timedelta(days=150),
    )


def _person_user(org, level, email):
    user = f.UserFactory(email=email)
    f.PersonFactory(organization=org, level=level, user=user, email=email)
    return user


@pytest.fixture
def secretariat(network):
    user = f.UserFactory(email="secretariat@example.org")
    f.grant(user, Role.SECRETARIAT, network)
    return user


@pytest.fixture
def admin_user(db):
    return f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def chair(agency_a, current_term):
    return _person_user(agency_a, PersonLevel.FOCAL_POINT, "chair@agency-a.example.org")


@pytest.fixture
def focal_a(agency_a):
    return _person_user(agency_a, PersonLevel.FOCAL_POINT, "focal@agency-a.example.org")


@pytest.fixture
def focal_b(agency_b):
    return _person_user(agency_b, PersonLevel.FOCAL_POINT, "focal@agency-b.example.org")


@pytest.fixture
def principal_a(agency_a):
    return _person_user(agency_a, PersonLevel.PRINCIPAL, "head@agency-a.example.org")


@pytest.fixture
def outsider(db):
    return f.UserFactory(email="outsider@example.org")
