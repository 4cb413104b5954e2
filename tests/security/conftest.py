"""One network with every persona of the security tests, and a record of
each kind they could try to change or read.

Personas (keys of `world.users`):

- focal_a: focal point of agency A (lead agency of the activity)
- focal_b: focal point of agency B (proposes an agenda item)
- principal_a: the head of agency A
- chair: focal point of agency C, which holds the current chair term
- cochair: focal point of agency D, which co-chairs the task team of the
  activity (so may edit that activity, not who leads it)
- outsider: signed in, no role anywhere
- sec: secretariat of the network
- admin: a superuser

Agency A also holds the current chair term of another network, where its
contacts scoped to this network are not the chair (the reported escalation).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from meetings.models import AgendaItem, Participant
from members.models import ApplicationStatus, PersonLevel
from taskteams.models import TaskTeam
from tests import factories as f
from tests.meetings.conftest import make_meeting
from tests.workplans import make_activity, make_objective, make_workplan
from workplans.models import ActivityStatus, ProgressUpdate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LOWER_ROLES = ("focal_a", "focal_b", "principal_a", "chair", "cochair", "outsider")
MANAGERS = ("sec", "admin")


def _person(org, level, user, **extra):
    return f.PersonFactory(organization=org, level=level, user=user, email=user.email, **extra)


@pytest.fixture
def world(network, other_network, agency_a, agency_b):
    today = timezone.localdate()
    agency_c = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    agency_d = f.OrganizationFactory(acronym="DDD", name="Agency D", slug="ddd")
    for org in (agency_c, agency_d):
        f.MembershipFactory(network=network, organization=org)
    f.MembershipFactory(network=other_network, organization=agency_a)
    term = f.ChairTermFactory(
        network=network,
        organization=agency_c,
        start=today - timedelta(days=30),
        end=today + timedelta(days=150),
    )
    f.ChairTermFactory(
        network=other_network,
        organization=agency_a,
        start=today - timedelta(days=30),
        end=today + timedelta(days=150),
    )
    users = {
        key: f.UserFactory(email=f"{key}@example.org")
        for key in ("focal_a", "focal_b", "principal_a", "chair", "cochair", "outsider", "sec")
    }
    users["admin"] = f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    f.grant(users["sec"], Role.SECRETARIAT, network)
    contact_a = _person(agency_a, PersonLevel.FOCAL_POINT, users["focal_a"])
    _person(agency_b, PersonLevel.FOCAL_POINT, users["focal_b"])
    _person(agency_a, PersonLevel.PRINCIPAL, users["principal_a"])
    _person(agency_c, PersonLevel.FOCAL_POINT, users["chair"])
    _person(agency_d, PersonLevel.FOCAL_POINT, users["cochair"])
    unlinked_a = f.PersonFactory(
        organization=agency_a, level=PersonLevel.ALTERNATE, email="alt@agency-a.example.org"
    )

    team = TaskTeam.objects.create(network=network, name="Data", slug="data", focus="Data")
    team.co_chairs.set([agency_d])
    team.member_organizations.set([agency_d])
    workplan = make_workplan(network)
    objective = make_objective(workplan, "1")
    activity = make_activity(objective, "1.1", leads=[agency_a], task_team=team)

    meeting = make_meeting(network)
    invitation = Participant.objects.create(
        meeting=meeting, organization=agency_a, person=contact_a
    )
    past_meeting = make_meeting(network, days=-3, title="Last meeting")
    past_invitation = Participant.objects.create(
        meeting=past_meeting, organization=agency_a, person=contact_a
    )
    proposal = AgendaItem.objects.create(
        meeting=meeting,
        title="Proposal of agency B",
        purpose="The confidential purpose of the proposal by B.",
        presenter=agency_b,
        proposed_by=users["focal_b"],
        proposed_by_org=agency_b,
        paper_url="https://drive.example.org/b-paper",
    )
    proposal.paper.save("b-paper.pdf", ContentFile(PDF), save=True)
    update = ProgressUpdate.objects.create(
        activity=activity,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        percent_complete=10,
        status=ActivityStatus.ON_TRACK,
        narrative="Started.",
        evidence_url="https://drive.example.org/a-evidence",
        organization=agency_a,
        reported_by=users["focal_a"],
    )
    update.evidence_file.save("a-evidence.pdf", ContentFile(PDF), save=True)
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.SUBMITTED)
    return SimpleNamespace(
        users=users,
        network=network,
        other_network=other_network,
        agency_a=agency_a,
        agency_b=agency_b,
        agency_c=agency_c,
        agency_d=agency_d,
        contact_a=contact_a,
        unlinked_a=unlinked_a,
        membership_b=agency_b.memberships.get(network=network),
        term=term,
        team=team,
        workplan=workplan,
        objective=objective,
        activity=activity,
        meeting=meeting,
        invitation=invitation,
        past_meeting=past_meeting,
        past_invitation=past_invitation,
        proposal=proposal,
        update=update,
        application=application,
    )
