"""What members may read before the chair decides, and whose evidence.

The rules (meetings.permissions.may_read_agenda_item,
workplans.permissions.may_view_evidence):

- An agenda proposal the chair has not accepted: its title is shared with
  the members of the network; its purpose and papers are for the proposing
  agency, the chair and the secretariat. Once accepted, everyone who sees
  the meeting reads it all. The chair's note on an item follows the same
  rule (meetings.permissions.may_read_chair_note): the reason for deferring
  or declining is for those who read the proposal.
- A progress update's evidence (file and link) is for the agencies of the
  activity (lead, partners, the agency reported for), those who report on
  it (its task team's co-chairs and members), the network's chair and the
  secretariat; other members see the update without its evidence.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, AgendaItemStatus
from members.models import PersonLevel
from tests import factories as f

pytestmark = pytest.mark.django_db

PURPOSE = "The confidential purpose of the proposal by B."

# fmt: off
#                 role           paper  purpose on the meeting page
PROPOSAL_CASES = [
    ("focal_b",      200, True),   # the proposing agency
    ("chair",        200, True),
    ("sec",          200, True),
    ("admin",        200, True),
    ("focal_a",      404, False),  # another member agency: the title only
    ("principal_a",  404, False),
    ("cochair",      404, False),
]
EVIDENCE_CASES = [
    ("focal_a",      200),  # the lead agency, which reported
    ("principal_a",  200),  # the lead agency's head
    ("cochair",      200),  # co-chairs the activity's task team
    ("chair",        200),  # the network's chair
    ("sec",          200),
    ("admin",        200),
    ("focal_b",      404),  # a member agency the activity does not concern
    ("outsider",     404),
]
# fmt: on


def _paper_url(w):
    return reverse("meetings:agenda_paper", args=[w.meeting.pk, w.proposal.pk])


@pytest.mark.parametrize(("role", "paper", "reads_purpose"), PROPOSAL_CASES)
def test_an_undecided_proposal_is_read_in_full_by_its_agency_the_chair_and_the_secretariat(
    client, world, role, paper, reads_purpose
):
    """Everyone in the network sees the proposal's title on the meeting page;
    its purpose, its paper link and its paper download only those the rule
    names. The paper answers 404 to the others."""
    client.force_login(world.users[role])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Proposal of agency B" in page
    assert (PURPOSE in page) is reads_purpose
    assert ("drive.example.org/b-paper" in page) is reads_purpose
    assert (_paper_url(world) in page) is reads_purpose
    assert client.get(_paper_url(world)).status_code == paper


def test_an_outsider_sees_neither_the_meeting_nor_the_paper(client, world):
    """Not in the network, not invited: 404 for both."""
    client.force_login(world.users["outsider"])
    assert client.get(world.meeting.get_absolute_url()).status_code == 404
    assert client.get(_paper_url(world)).status_code == 404


def test_the_proposing_agencys_principal_reads_its_proposal(client, world):
    """The rule is per agency, not per person: B's head reads B's proposal."""
    user = f.UserFactory(email="head@agency-b.example.org")
    f.PersonFactory(
        organization=world.agency_b, level=PersonLevel.PRINCIPAL, user=user, email=user.email
    )
    client.force_login(user)
    assert client.get(_paper_url(world)).status_code == 200


@pytest.mark.parametrize("status", [AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED])
def test_a_deferred_or_declined_item_keeps_its_papers_with_its_agency(client, world, status):
    """Not accepted is not accepted: after a deferral or a refusal the other
    members still do not get the papers."""
    AgendaItem.objects.filter(pk=world.proposal.pk).update(status=status, chair_note="Later.")
    client.force_login(world.users["focal_a"])
    assert client.get(_paper_url(world)).status_code == 404
    client.force_login(world.users["focal_b"])
    assert client.get(_paper_url(world)).status_code == 200


NOTE = "Declined: the figures in the paper are not cleared for sharing."


@pytest.mark.parametrize(("role", "_paper", "reads"), PROPOSAL_CASES)
@pytest.mark.parametrize("status", [AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED])
def test_the_chairs_note_on_an_item_not_accepted_follows_its_purpose(
    client, world, role, _paper, reads, status
):
    """The finding: the note on a declined (or deferred) item was shown to
    every member in the list of decided items. Now whoever reads the
    purpose reads the note; the other members see the title and the
    decision, not why."""
    AgendaItem.objects.filter(pk=world.proposal.pk).update(status=status, chair_note=NOTE)
    client.force_login(world.users[role])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert "Proposal of agency B" in page
    assert (NOTE in page) is reads


@pytest.mark.parametrize(("role", "_paper", "reads"), PROPOSAL_CASES)
@pytest.mark.parametrize("accepted", [False, True])
def test_the_note_of_a_deferral_stays_with_its_readers_when_carried(
    client, world, role, _paper, reads, accepted
):
    """A deferred item comes back as a proposal to the next meeting, with
    the note of the deferral. That note is the deferred item's: it is read
    by those who may read the deferred item (its agency, the chair, the
    secretariat), also once the new proposal is accepted and its purpose is
    shared with everyone."""
    deferred = world.proposal
    AgendaItem.objects.filter(pk=deferred.pk).update(
        status=AgendaItemStatus.DEFERRED, chair_note=NOTE
    )
    later = type(world.meeting).objects.create(
        network=world.network,
        level=world.meeting.level,
        title="The next meeting",
        start=world.meeting.start + timedelta(days=30),
        end=world.meeting.end + timedelta(days=30),
        time_zone=world.meeting.time_zone,
        city="Geneva",
    )
    AgendaItem.objects.create(
        meeting=later,
        title="Proposal of agency B, again",
        purpose=deferred.purpose,
        presenter=world.agency_b,
        proposed_by=deferred.proposed_by,
        proposed_by_org=world.agency_b,
        carried_from=deferred,
        status=AgendaItemStatus.ACCEPTED if accepted else AgendaItemStatus.PROPOSED,
        position=1 if accepted else 0,
    )
    client.force_login(world.users[role])
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Proposal of agency B, again" in page
    assert (NOTE in page) is reads
    assert (PURPOSE in page) is (reads or accepted)


def test_once_accepted_every_member_reads_the_item(client, world):
    """Accepted, it is on the agenda: the other agencies read its purpose
    and download its paper."""
    AgendaItem.objects.filter(pk=world.proposal.pk).update(status=AgendaItemStatus.ACCEPTED)
    client.force_login(world.users["focal_a"])
    page = client.get(world.meeting.get_absolute_url()).content.decode()
    assert PURPOSE in page
    assert client.get(_paper_url(world)).status_code == 200


def _evidence_url(w):
    return reverse("workplans:progress_evidence", args=[w.activity.pk, w.update.pk])


@pytest.mark.parametrize(("role", "expected"), EVIDENCE_CASES)
def test_evidence_follows_the_rule_of_the_update(client, world, role, expected):
    """The evidence file answers 200 to those the activity's reporting
    concerns and 404 to anyone else; the activity page lists the file and
    the link only for them."""
    client.force_login(world.users[role])
    assert client.get(_evidence_url(world)).status_code == expected
    page = client.get(world.activity.get_absolute_url())
    if role == "outsider":
        assert page.status_code == 404
        return
    html = page.content.decode()
    assert "Started." in html  # the update itself is shared with the network
    assert (_evidence_url(world) in html) is (expected == 200)
    assert ("drive.example.org/a-evidence" in html) is (expected == 200)
