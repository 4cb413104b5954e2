"""The world of the decision tests: the Global Test Network (conftest's
`network`) with three member agencies, A and B on its executive committee,
C not; focal points of each; the secretariat; the chair (agency A)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.models import Body, Procedure
from decisions.services import register
from members.models import Membership, PersonLevel
from tests import factories as f


@pytest.fixture
def agency_c(network):
    org = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def committee(network, agency_a, agency_b, agency_c):
    Membership.objects.filter(network=network, organization__in=[agency_a, agency_b]).update(
        executive_committee=True
    )
    return [agency_a, agency_b]


@pytest.fixture
def focal_c(agency_c):
    user = f.UserFactory(email="focal@agency-c.example.org")
    f.PersonFactory(
        organization=agency_c, level=PersonLevel.FOCAL_POINT, user=user, email=user.email
    )
    return user


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def make_decision(network, by, *, body=Body.EXECUTIVE_COMMITTEE, procedure=Procedure.SILENCE, **kw):
    values = {
        "title": "Terms of reference of the working group on returns",
        "text": "The Executive Committee **adopts** the terms of reference.",
    }
    values.update(kw)
    return register.decision_create(
        network=network, body=body, procedure=procedure, by=by, **values
    )


def opened(network, by, now, *, hours=80, **kw):
    decision = make_decision(network, by, **kw)
    register.decision_open(decision=decision, deadline=now + timedelta(hours=hours), by=by, now=now)
    decision.refresh_from_db()
    return decision
