"""The agenda: proposals until the cut-off, the chair's decisions, deferred
items carried to the next meeting, standing items, ordering (htmx),
circulation by e-mail, the PDF, and the query budget of the meeting page."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from meetings.models import (
    ActionPoint,
    ActionPointStatus,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Meeting,
    MeetingLevel,
    MeetingStatus,
    Participant,
)
from meetings.services import agenda, schedule
from members.models import PersonLevel
from notifications.models import OutboundEmail
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ACCEPTED, PROPOSED = AgendaItemStatus.ACCEPTED, AgendaItemStatus.PROPOSED
DEFERRED, DECLINED = AgendaItemStatus.DEFERRED, AgendaItemStatus.DECLINED


def _item(meeting, title="Item", status=PROPOSED, **extra) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, title=title, status=status, **extra)


def _propose_url(meeting) -> str:
    return reverse("meetings:agenda_propose", args=[meeting.pk])


def _decide_url(item) -> str:
    return reverse("meetings:agenda_decide", args=[item.meeting_id, item.pk])


def _order_url(meeting) -> str:
    return reverse("meetings:agenda_reorder", args=[meeting.pk])


def _proposal(agency, **extra) -> dict:
    data = {
        "title": "Kept title",
        "purpose": "Kept purpose: to agree the joint report.",
        "presenter": agency.pk,
        "minutes_wanted": "20",
        "paper_url": "",
    }
    data.update(extra)
    return data


def _positions(meeting) -> list[str]:
    return list(
        meeting.agenda_items.filter(status=ACCEPTED)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


@pytest.fixture
def focal_c(db):
    """The focal point of an agency that is not a member of the network."""
    agency_c = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    user = f.UserFactory(email="focal@agency-c.example.org")
    f.PersonFactory(
        organization=agency_c, level=PersonLevel.FOCAL_POINT, user=user, email=user.email
    )
    return user


@pytest.fixture
def previous(network, agency_a, agency_b):
    """The last meeting of the same network and level, with its action points."""
    return make_meeting(network, days=-60, title="Spring working meeting")


# --- proposing -----------------------------------------------------------------------


def test_a_focal_point_of_a_member_agency_proposes_an_item(client, meeting, focal_b, agency_b):
    """The proposal is saved as proposed, from the focal point and its agency,
    with its paper and link, and the proposer lands back on the agenda."""
    client.force_login(focal_b)
    data = _proposal(agency_b, paper_url="https://drive.example.org/report")
    data["paper"] = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    response = client.post(_propose_url(meeting), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{meeting.get_absolute_url()}#agenda")
    item = AgendaItem.objects.get()
    assert (item.status, item.title, item.minutes_wanted) == (PROPOSED, "Kept title", 20)
    assert (item.proposed_by, item.proposed_by_org, item.presenter) == (
        focal_b,
        agency_b,
        agency_b,
    )
    # Stored under a name the server makes; the sender's is kept beside it.
    assert item.paper.name.startswith(f"meetings/{meeting.pk}/papers/")
    assert item.paper.name.endswith(".pdf") and "report" not in item.paper.name
    assert item.paper_name == "report.pdf"
    assert item.paper_url == "https://drive.example.org/report"


def test_a_focal_point_is_told_the_proposal_went_to_the_chair(client, meeting, focal_b, agency_b):
    """Issue 9: a focal point's proposal waits for the chair, and says so."""
    client.force_login(focal_b)
    page = client.get(_propose_url(meeting)).content.decode()
    assert "the chair decides on each proposal" in page.lower()

    response = client.post(_propose_url(meeting), _proposal(agency_b), follow=True)

    assert AgendaItem.objects.get().status == PROPOSED
    assert "your proposal was sent to the chair" in response.content.decode()


def test_the_chair_adds_an_item_straight_to_the_agenda(client, meeting, chair, agency_a):
    """Issue 9: the chair proposing on its own agenda is not told its
    proposal "was sent to the chair": the item is accepted at once, after
    the items already on the agenda, and the page says so."""
    _item(meeting, "Already on", status=ACCEPTED, position=3)
    client.force_login(chair)
    page = client.get(_propose_url(meeting)).content.decode()
    assert "Add an item to" in page and "the item goes on it at once" in page
    assert "Add an item" in client.get(meeting.get_absolute_url()).content.decode()

    response = client.post(_propose_url(meeting), _proposal(agency_a), follow=True)

    item = AgendaItem.objects.get(title="Kept title")
    assert (item.status, item.position, item.proposed_by_org) == (ACCEPTED, 4, agency_a)
    body = response.content.decode()
    assert "“Kept title” is on the agenda." in body
    assert "sent to the chair" not in body


def test_the_secretariat_adds_an_item_straight_to_the_agenda(client, meeting, secretariat):
    """The secretariat decides on the agenda too: its item is accepted."""
    client.force_login(secretariat)
    response = client.post(
        _propose_url(meeting), _proposal(meeting.network.memberships.first().organization)
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(title="Kept title").status == ACCEPTED


def test_the_chair_adding_after_the_cut_off_is_refused_too(client, meeting, chair, agency_a):
    """The cut-off holds for everyone: nothing is added."""
    meeting.proposals_deadline = timezone.now() - timedelta(hours=1)
    meeting.save(update_fields=["proposals_deadline"])
    client.force_login(chair)
    assert client.post(_propose_url(meeting), _proposal(agency_a)).status_code == 403
    assert not AgendaItem.objects.filter(title="Kept title").exists()


def test_the_propose_form_offers_the_agency_as_presenter(client, meeting, focal_b, agency_b):
    """The form opens with the proposer's agency as the presenter."""
    client.force_login(focal_b)
    page = client.get(_propose_url(meeting)).content.decode()
    assert f'<option value="{agency_b.pk}" selected>' in page


def test_a_focal_point_of_a_non_member_agency_cannot_see_the_meeting(client, meeting, focal_c):
    """Not a member, not invited: the meeting does not exist for them (404)."""
    client.force_login(focal_c)
    assert client.get(_propose_url(meeting)).status_code == 404
    assert client.post(_propose_url(meeting), {"title": "Ours"}).status_code == 404
    assert not AgendaItem.objects.exists()


def test_a_guest_agency_sees_the_meeting_but_cannot_propose(client, meeting, focal_c):
    """Invited as a guest, a non-member sees the meeting, yet proposing is
    for member agencies (403), and nothing is saved."""
    guest = focal_c.people.get().organization
    Participant.objects.create(meeting=meeting, organization=guest, is_guest=True)
    client.force_login(focal_c)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    response = client.post(_propose_url(meeting), _proposal(guest))
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_an_outsider_gets_a_404(client, meeting, outsider, agency_a):
    """Someone with no role anywhere cannot even learn the meeting exists."""
    client.force_login(outsider)
    assert client.get(_propose_url(meeting)).status_code == 404
    assert client.post(_propose_url(meeting), _proposal(agency_a)).status_code == 404
    assert not AgendaItem.objects.exists()


def test_a_principal_does_not_propose(client, meeting, principal_a, agency_a):
    """Proposing is the focal points' work: a principal sees the meeting but gets a 403."""
    client.force_login(principal_a)
    assert client.post(_propose_url(meeting), _proposal(agency_a)).status_code == 403
    assert not AgendaItem.objects.exists()


def test_proposals_after_the_cut_off_are_refused(client, meeting, focal_b, agency_b):
    """Past the cut-off the form is closed (403) and nothing is saved; the
    service refuses too, for a form opened before the cut-off."""
    meeting.proposals_deadline = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["proposals_deadline"])
    client.force_login(focal_b)
    assert client.get(_propose_url(meeting)).status_code == 403
    assert client.post(_propose_url(meeting), _proposal(agency_b)).status_code == 403
    with pytest.raises(DomainError, match="cut-off"):
        agenda.agenda_item_propose(meeting=meeting, title="Late", by=focal_b)
    assert not AgendaItem.objects.exists()


def test_a_circulated_meeting_takes_no_proposals(meeting, focal_b):
    """Once the agenda is out, the service refuses a proposal whatever the cut-off."""
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.AGENDA_CIRCULATED)
    with pytest.raises(DomainError, match="no longer takes proposals"):
        agenda.agenda_item_propose(meeting=meeting, title="Late", by=focal_b)
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "paper", "message"),
    [
        ({"title": "   "}, None, "This field is required."),
        ({"minutes_wanted": "-5"}, None, "greater than or equal to 1"),
        ({"minutes_wanted": "100000"}, None, "less than or equal to 240"),
        ({"minutes_wanted": "150"}, None, "The meeting lasts only 120 minutes."),
        ({"minutes_wanted": "twenty"}, None, "Enter a whole number."),
        ({"paper_url": "javascript:alert(1)"}, None, "Enter a valid URL."),
        ({}, ("setup.exe", b"MZ\x90\x00"), "setup.exe is not a paper we accept"),
        ({}, ("report.pdf", b"<html>not a pdf</html>"), "report.pdf is not really a PDF file"),
        ({"presenter": ""}, None, "This field is required."),
    ],
)
def test_bad_proposals_are_refused_field_by_field_and_kept(
    client, meeting, focal_b, agency_b, data, paper, message
):
    """Each bad field is named on the form, what was typed comes back, and
    nothing is saved (a refused paper is not stored either)."""
    client.force_login(focal_b)
    post = _proposal(agency_b, **data)
    if paper:
        post["paper"] = SimpleUploadedFile(paper[0], paper[1])
    response = client.post(_propose_url(meeting), post)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Kept purpose: to agree the joint report." in page
    if "title" not in data:
        assert 'value="Kept title"' in page
    assert not AgendaItem.objects.exists()
    assert not (settings.MEDIA_ROOT / "meetings").exists()


def test_the_proposal_service_refuses_bad_values(meeting, focal_b):
    """The service holds the same rules as the form, for any other caller."""
    for kwargs, field in [
        ({"title": " "}, "title"),
        ({"title": "T", "minutes_wanted": 0}, "minutes_wanted"),
        ({"title": "T", "minutes_wanted": 500}, "minutes_wanted"),
        ({"title": "T", "paper": SimpleUploadedFile("x.html", b"<p>")}, "paper"),
    ]:
        with pytest.raises(DomainError) as refused:
            agenda.agenda_item_propose(meeting=meeting, by=focal_b, **kwargs)
        assert refused.value.field == field
    assert not AgendaItem.objects.exists()


# --- deciding ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["chair", "secretariat"])
@pytest.mark.parametrize("decision", [ACCEPTED, DEFERRED, DECLINED])
def test_the_chair_and_the_secretariat_decide_with_a_note(
    client, request, meeting, agency_b, persona, decision
):
    """Accept, defer or decline, each with the note the proposer will read."""
    item = _item(meeting, proposed_by_org=agency_b)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(_decide_url(item), {"decision": decision, "note": "As discussed."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.chair_note) == (decision, "As discussed.")


def test_an_accepted_item_goes_to_the_end_of_the_agenda(meeting, chair):
    first = _item(meeting, "First")
    second = _item(meeting, "Second")
    agenda.agenda_item_decide(item=second, status=ACCEPTED, by=chair)
    agenda.agenda_item_decide(item=first, status=ACCEPTED, by=chair)
    assert _positions(meeting) == ["Second", "First"]


def test_a_focal_point_cannot_decide(client, meeting, focal_a, focal_b):
    """Even the chair agency's other focal point may see but not decide:
    403, and the item is as it was."""
    item = _item(meeting)
    for user in (focal_a, focal_b):
        client.force_login(user)
        assert client.get(_decide_url(item)).status_code == 403
        response = client.post(_decide_url(item), {"decision": ACCEPTED, "note": "Mine"})
        assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.chair_note) == (PROPOSED, "")


def test_an_outsider_cannot_decide(client, meeting, outsider):
    item = _item(meeting)
    client.force_login(outsider)
    assert client.post(_decide_url(item), {"decision": ACCEPTED}).status_code == 404
    item.refresh_from_db()
    assert item.status == PROPOSED


def test_deferring_or_declining_needs_a_note(client, meeting, chair):
    """Without a note the decision page comes back with the error on the note;
    the item is unchanged."""
    item = _item(meeting, title="Joint statement")
    client.force_login(chair)
    response = client.post(_decide_url(item), {"decision": DECLINED, "note": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say in a note why" in page and "Joint statement" in page
    item.refresh_from_db()
    assert item.status == PROPOSED


def test_a_decided_item_of_another_meeting_is_not_found(client, network, meeting, chair):
    """The item must belong to the meeting in the address."""
    other = make_meeting(network, days=90)
    item = _item(other)
    client.force_login(chair)
    url = reverse("meetings:agenda_decide", args=[meeting.pk, item.pk])
    assert client.post(url, {"decision": ACCEPTED}).status_code == 404


ALL = [PROPOSED, ACCEPTED, DEFERRED, DECLINED]
ALLOWED = {
    (PROPOSED, ACCEPTED),
    (PROPOSED, DEFERRED),
    (PROPOSED, DECLINED),
    (ACCEPTED, DEFERRED),
    (ACCEPTED, DECLINED),
}


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_agenda_item_transitions(meeting, chair, start, target):
    """Every move of an item, allowed or refused; a refused one changes nothing."""
    item = _item(meeting, status=start, chair_note="before")
    if (start, target) in ALLOWED:
        agenda.agenda_item_decide(item=item, status=target, note="why", by=chair)
        item.refresh_from_db()
        assert (item.status, item.chair_note) == (target, "why")
    else:
        with pytest.raises(DomainError):
            agenda.agenda_item_decide(item=item, status=target, note="why", by=chair)
        item.refresh_from_db()
        assert (item.status, item.chair_note) == (start, "before")


def test_standing_items_cannot_be_decided_on(meeting, chair):
    item = _item(meeting, kind=AgendaItemKind.ACTION_POINTS, status=ACCEPTED)
    with pytest.raises(DomainError, match="Standing items"):
        agenda.agenda_item_decide(item=item, status=DEFERRED, note="No time", by=chair)


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.MINUTES_APPROVED])
def test_the_agenda_of_a_closed_meeting_no_longer_changes(meeting, chair, status):
    item = _item(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    with pytest.raises(DomainError, match="no longer changes"):
        agenda.agenda_item_decide(item=item, status=ACCEPTED, by=chair)
    item.refresh_from_db()
    assert item.status == PROPOSED


# --- deferred items come back ---------------------------------------------------------------


def test_a_deferred_item_is_proposed_to_the_next_meeting(network, meeting, chair, agency_b):
    """The next planned meeting of the same network and level gets it as a
    proposal, with its presenter, proposer and papers; other levels do not."""
    following = make_meeting(network, days=90, title="Next working meeting")
    make_meeting(network, days=60, level=MeetingLevel.PRINCIPALS, title="Principals")
    make_meeting(network, days=120, title="The one after")
    item = _item(
        meeting,
        title="Data sharing protocol",
        presenter=agency_b,
        proposed_by_org=agency_b,
        minutes_wanted=25,
        paper="meetings/1/papers/3f2a9c.pdf",
        paper_name="Data protocol.pdf",
        paper_url="https://drive.example.org/protocol",
    )
    agenda.agenda_item_decide(item=item, status=DEFERRED, note="Not ready yet", by=chair)
    carried = AgendaItem.objects.get(carried_from=item)
    assert carried.meeting == following
    assert (carried.status, carried.title, carried.minutes_wanted) == (
        PROPOSED,
        "Data sharing protocol",
        25,
    )
    assert (carried.presenter, carried.proposed_by_org) == (agency_b, agency_b)
    assert carried.paper.name == "meetings/1/papers/3f2a9c.pdf"
    assert carried.paper_name == "Data protocol.pdf"
    assert carried.paper_url == "https://drive.example.org/protocol"
    assert agenda.carry_deferred_items(meeting=following) == []  # carried once


def test_a_deferred_item_waits_for_the_next_meeting_to_be_planned(network, meeting, chair):
    """With no next meeting yet, the item is carried when one is created
    (carry_deferred_items, called by meeting_save on creation), once."""
    item = _item(meeting, title="Return migration study")
    agenda.agenda_item_decide(item=item, status=DEFERRED, note="Next time", by=chair)
    assert not AgendaItem.objects.filter(carried_from=item).exists()
    earlier = make_meeting(network, days=10, title="An earlier one")
    assert agenda.carry_deferred_items(meeting=earlier) == []
    other_level = make_meeting(network, days=80, level=MeetingLevel.PRINCIPALS)
    assert agenda.carry_deferred_items(meeting=other_level) == []
    following = make_meeting(network, days=90)
    carried = agenda.carry_deferred_items(meeting=following)
    assert [(c.meeting, c.title, c.status) for c in carried] == [
        (following, "Return migration study", PROPOSED)
    ]
    assert agenda.carry_deferred_items(meeting=following) == []
    assert AgendaItem.objects.filter(carried_from=item).count() == 1


# --- standing items -------------------------------------------------------------------------


def test_standing_items_are_added_once_at_the_top(network, previous, meeting, chair, agency_b):
    """The approval of the previous minutes and the open action points,
    accepted and first, however often they are ensured."""
    ActionPoint.objects.create(meeting=previous, description="Draft the note", owner=agency_b)
    _item(meeting, "Already accepted", status=ACCEPTED, position=1)
    created = agenda.agenda_ensure_standing_items(meeting=meeting, by=chair)
    assert [i.kind for i in created] == [
        AgendaItemKind.PREVIOUS_MINUTES,
        AgendaItemKind.ACTION_POINTS,
    ]
    assert agenda.agenda_ensure_standing_items(meeting=meeting, by=chair) == []
    kinds = list(
        meeting.agenda_items.filter(status=ACCEPTED)
        .order_by("position")
        .values_list("kind", "position")
    )
    assert kinds == [
        (AgendaItemKind.PREVIOUS_MINUTES, 1),
        (AgendaItemKind.ACTION_POINTS, 2),
        (AgendaItemKind.REGULAR, 3),
    ]
    assert "Spring working meeting" in meeting.agenda_items.get(kind="previous_minutes").purpose


def test_a_first_meeting_has_no_standing_items(meeting, chair):
    """No earlier meeting, no action point: nothing to add."""
    assert agenda.agenda_ensure_standing_items(meeting=meeting, by=chair) == []
    assert not meeting.agenda_items.exists()


def test_open_action_points_are_those_of_earlier_meetings_of_the_network(
    network, other_network, previous, meeting, agency_a, agency_b
):
    """Open ones of this network's earlier meetings, until they are done;
    not those of another network or of a later meeting."""
    open_point = ActionPoint.objects.create(
        meeting=previous, description="Map the data", owner=agency_b, due=date(2031, 1, 31)
    )
    ActionPoint.objects.create(
        meeting=previous,
        description="Done already",
        owner=agency_a,
        status=ActionPointStatus.DONE,
        done_at=timezone.now() - timedelta(days=1),
    )
    elsewhere = make_meeting(other_network, days=-30)
    ActionPoint.objects.create(meeting=elsewhere, description="Not ours", owner=agency_a)
    later = make_meeting(network, days=200)
    ActionPoint.objects.create(meeting=later, description="Not yet agreed", owner=agency_a)
    assert list(agenda.open_action_points(meeting)) == [open_point]


def test_the_agenda_lists_the_open_action_points(client, previous, meeting, chair, agency_b):
    """The standing item shows each open action point with its owner and due date."""
    ActionPoint.objects.create(
        meeting=previous, description="Map the data", owner=agency_b, due=date(2031, 1, 31)
    )
    schedule.participants_invite(meeting=meeting)
    client.force_login(chair)
    page = client.get(reverse("meetings:agenda_circulate", args=[meeting.pk])).content.decode()
    assert "Open action points" in page
    assert "Map the data" in page and "BBB" in page and "31 Jan 2031" in page


# --- ordering -------------------------------------------------------------------------------


@pytest.fixture
def three(meeting, previous, chair):
    """Three accepted items, after the standing approval of the minutes."""
    items = [_item(meeting, title, status=ACCEPTED) for title in ("Alpha", "Bravo", "Charlie")]
    agenda.agenda_ensure_standing_items(meeting=meeting)
    return items


def test_reordering_returns_the_fragment_and_saves_positions(client, meeting, chair, three):
    """An htmx POST of the new order answers with the renumbered list
    fragment (not a page) and saves the positions; standing items stay first."""
    alpha, bravo, charlie = three
    client.force_login(chair)
    response = client.post(
        _order_url(meeting),
        {"item": [charlie.pk, alpha.pk, bravo.pk]},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="agenda-order"' in page and "<html" not in page
    assert page.index("Charlie") < page.index("Alpha") < page.index("Bravo")
    assert _positions(meeting) == [
        "Approval of the previous minutes",
        "Charlie",
        "Alpha",
        "Bravo",
    ]


def test_the_arrow_buttons_move_an_item(client, meeting, chair, three):
    """The up button sends the current order and the move; without htmx the
    same form posts and comes back to the meeting page."""
    alpha, bravo, charlie = three
    client.force_login(chair)
    order = [alpha.pk, bravo.pk, charlie.pk]
    response = client.post(
        _order_url(meeting),
        {"item": order, "move": f"{charlie.pk}:up"},
        headers={"HX-Request": "true"},
    )
    assert "“Charlie” is now item 3." in response.content.decode()
    assert _positions(meeting)[1:] == ["Alpha", "Charlie", "Bravo"]
    response = client.post(
        _order_url(meeting), {"item": [alpha.pk, charlie.pk, bravo.pk], "move": f"{alpha.pk}:down"}
    )
    assert response.status_code == 302
    assert _positions(meeting)[1:] == ["Charlie", "Alpha", "Bravo"]


@pytest.mark.parametrize("tamper", ["foreign", "proposed", "missing", "twice", "garbage"])
def test_reordering_refuses_foreign_or_broken_orders(
    client, network, meeting, chair, three, tamper
):
    """An id from another meeting, a proposal, a missing or doubled item, or
    something that is no id: 400 with the reason, and the order is unchanged."""
    alpha, bravo, charlie = three
    before = _positions(meeting)
    ids = {
        "foreign": [
            alpha.pk,
            bravo.pk,
            charlie.pk,
            _item(make_meeting(network), status=ACCEPTED).pk,
        ],
        "proposed": [alpha.pk, bravo.pk, charlie.pk, _item(meeting).pk],
        "missing": [charlie.pk, alpha.pk],
        "twice": [charlie.pk, alpha.pk, bravo.pk, alpha.pk],
        "garbage": [charlie.pk, "drop table", bravo.pk],
    }[tamper]
    client.force_login(chair)
    response = client.post(_order_url(meeting), {"item": ids}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert _positions(meeting) == before


def test_a_focal_point_cannot_reorder(client, meeting, focal_b, outsider, three):
    alpha, bravo, charlie = three
    before = _positions(meeting)
    client.force_login(focal_b)
    data = {"item": [charlie.pk, bravo.pk, alpha.pk]}
    assert client.post(_order_url(meeting), data).status_code == 403
    client.force_login(outsider)
    assert client.post(_order_url(meeting), data).status_code == 404
    assert _positions(meeting) == before


def test_a_circulated_agenda_keeps_its_order(meeting, three):
    alpha, bravo, charlie = three
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.AGENDA_CIRCULATED)
    with pytest.raises(DomainError, match="circulated"):
        agenda.agenda_reorder(meeting=meeting, item_ids=[charlie.pk, bravo.pk, alpha.pk])


# --- circulating ---------------------------------------------------------------------------


@pytest.fixture
def invited(meeting, chair, focal_a, focal_b):
    """The working-level meeting invites the focal points of A and B (the
    chair is one of them), and a guest agency without a named person."""
    schedule.participants_invite(
        meeting=meeting, guests=[f.OrganizationFactory(acronym="EC", name="European Commission")]
    )
    return list(meeting.participants.all())


@pytest.mark.django_db(transaction=True)
def test_circulating_moves_the_status_and_mails_each_participant_once(
    client, meeting, chair, invited, agency_b
):
    """The meeting becomes agenda_circulated, and every participant with an
    e-mail gets one message with the date and time in the meeting's time zone,
    the place, the ordered agenda and the link; circulating twice is refused
    and sends nothing more."""
    _item(meeting, "Alpha", status=ACCEPTED, position=1, presenter=agency_b)
    _item(meeting, "Bravo", status=ACCEPTED, position=2)
    client.force_login(chair)
    url = reverse("meetings:agenda_circulate", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_CIRCULATED
    assert meeting.agenda_circulated_at is not None

    people = [p for p in invited if p.person_id]
    assert len(people) == 3 and len(invited) == 4  # the guest agency has no e-mail
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.person.email for p in people)
    message = mail.outbox[0]
    assert meeting.title in message.subject
    body = message.body
    assert f"{meeting.local_start:%H:%M}–{meeting.local_end:%H:%M} (Europe/Zurich)" in body
    assert "Geneva" in body
    assert body.index("1. Alpha") < body.index("2. Bravo")
    assert "presented by BBB" in body
    assert settings.SITE_URL + meeting.get_absolute_url() in body
    keys = set(OutboundEmail.objects.values_list("dedupe_key", flat=True))
    stamp = meeting.agenda_circulated_at.isoformat()
    assert keys == {f"agenda:{meeting.pk}:{stamp}:{p.pk}" for p in people}

    response = client.post(url, follow=True)
    assert (
        "The agenda cannot be circulated: the meeting&#x27;s status is" in response.content.decode()
    )
    assert len(mail.outbox) == 3
    with pytest.raises(DomainError):
        agenda.agenda_circulate(meeting=meeting)
    assert OutboundEmail.objects.count() == 3


def test_circulating_needs_every_proposal_decided(meeting, chair, invited):
    _item(meeting, "Alpha", status=ACCEPTED)
    _item(meeting, "Undecided")
    with pytest.raises(DomainError, match="Decide on every proposed item"):
        agenda.agenda_circulate(meeting=meeting, by=chair)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not OutboundEmail.objects.exists()


def test_circulating_needs_an_item_and_someone_to_send_it_to(meeting, chair):
    with pytest.raises(DomainError, match="Accept at least one item"):
        agenda.agenda_circulate(meeting=meeting, by=chair)
    _item(meeting, "Alpha", status=ACCEPTED)
    with pytest.raises(DomainError, match="Invite the participants first"):
        agenda.agenda_circulate(meeting=meeting, by=chair)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.HELD])
def test_only_a_planned_meeting_circulates_its_agenda(meeting, chair, invited, status):
    _item(meeting, "Alpha", status=ACCEPTED)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    with pytest.raises(DomainError, match="The agenda cannot be circulated"):
        agenda.agenda_circulate(meeting=meeting, by=chair)
    assert not OutboundEmail.objects.exists()


def test_a_focal_point_cannot_circulate(client, meeting, focal_b, invited):
    _item(meeting, "Alpha", status=ACCEPTED)
    client.force_login(focal_b)
    url = reverse("meetings:agenda_circulate", args=[meeting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and not OutboundEmail.objects.exists()


def test_circulating_adds_the_standing_items(meeting, previous, chair, invited):
    _item(meeting, "Alpha", status=ACCEPTED)
    agenda.agenda_circulate(meeting=meeting, by=chair)
    assert _positions(meeting) == ["Approval of the previous minutes", "Alpha"]


# --- the PDF ---------------------------------------------------------------------------------


def _pdf_text(response, tmp_path) -> str:
    path = tmp_path / "agenda.pdf"
    path.write_bytes(response.content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_the_agenda_pdf_reads_as_the_agenda(
    client, tmp_path, previous, meeting, chair, focal_b, agency_a, agency_b
):
    """Any member who sees the meeting gets a PDF with the title, the chair,
    the numbered items in order with their presenter, the standing items and
    the open action points."""
    ActionPoint.objects.create(
        meeting=previous, description="Map the data", owner=agency_b, due=date(2031, 1, 31)
    )
    _item(meeting, "Zulu report", status=ACCEPTED, presenter=agency_b, purpose="For decision.")
    _item(meeting, "Alpha briefing", status=ACCEPTED, presenter=agency_a)
    _item(meeting, "Never accepted")
    agenda.agenda_ensure_standing_items(meeting=meeting)
    client.force_login(focal_b)
    response = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response, tmp_path)
    assert meeting.title in text and "Global Test Network" in text
    assert "Chair Agency A" in text
    assert f"{meeting.local_start:%H:%M}" in text and "Geneva" in text
    order = [
        "1. Approval of the previous minutes 10:00 · 5 minutes",
        "2. Open action points 10:05 · 15 minutes",
        "Map the data BBB 31 Jan 2031",
        "Zulu report 10:20 · 15 minutes · Presented by Agency B (BBB) For decision.",
        "4. Alpha briefing 10:35 · 15 minutes · Presented by Agency A (AAA)",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Never accepted" not in text


def test_the_pdf_is_for_those_who_see_the_meeting(client, meeting, outsider):
    client.force_login(outsider)
    assert client.get(reverse("meetings:agenda_pdf", args=[meeting.pk])).status_code == 404


# --- papers ----------------------------------------------------------------------------------


def test_papers_download_for_those_who_see_the_item(client, meeting, focal_b, focal_c, outsider):
    """Members and guests download the papers of what is on the agenda; a
    proposal's papers stay with its agency, the chair and the secretariat
    until accepted (tests/security); an outsider gets nothing."""
    paper = SimpleUploadedFile("Brief \u2013 draft 2.pdf", PDF)
    proposed = agenda.agenda_item_propose(meeting=meeting, title="Brief", paper=paper)
    assert "Brief" not in proposed.paper.name
    url = reverse("meetings:agenda_paper", args=[meeting.pk, proposed.pk])
    client.force_login(focal_b)
    assert client.get(url).status_code == 404
    AgendaItem.objects.filter(pk=proposed.pk).update(status=ACCEPTED)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # Downloaded under the sender's name, as an attachment never sniffed.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Brief%20%E2%80%93%20draft%202.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    AgendaItem.objects.filter(pk=proposed.pk).update(status="proposed")
    Participant.objects.create(
        meeting=meeting, organization=focal_c.people.get().organization, is_guest=True
    )
    client.force_login(focal_c)
    assert client.get(url).status_code == 404
    AgendaItem.objects.filter(pk=proposed.pk).update(status=ACCEPTED)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- the meeting page ---------------------------------------------------------------------------


def test_the_chair_sees_the_controls_and_a_focal_point_the_proposals(
    client, meeting, chair, focal_b, agency_b
):
    """On the meeting page the chair decides and orders; a focal point of a
    member agency proposes and sees where proposals stand."""
    _item(meeting, "Waiting proposal", proposed_by_org=agency_b)
    _item(meeting, "On the agenda", status=ACCEPTED)
    _item(meeting, "Second on it", status=ACCEPTED)
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="decision" value="accepted"' in page
    assert 'hx-post="' + _order_url(meeting) in page
    assert reverse("meetings:agenda_circulate", args=[meeting.pk]) in page
    client.force_login(focal_b)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Waiting proposal" in page and "Awaiting the chair" in page
    assert _propose_url(meeting) in page
    assert 'name="decision"' not in page and "hx-post" not in page


def _bulk_items(meeting, count, start, orgs):
    statuses = [ACCEPTED, ACCEPTED, PROPOSED, DECLINED, ACCEPTED]
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Item {start + n}",
            purpose="Purpose.",
            status=statuses[n % len(statuses)],
            position=start + n + 10,
            presenter=orgs[n % 2],
            proposed_by_org=orgs[(n + 1) % 2],
            paper_url="https://drive.example.org/p",
        )
        for n in range(count)
    )


def test_the_meeting_page_costs_the_same_with_10_and_500_agenda_items(
    client, network, previous, meeting, chair, agency_a, agency_b
):
    """The chair's meeting page, agenda included, runs as many queries with
    500 items as with 10."""
    ActionPoint.objects.create(meeting=previous, description="Map the data", owner=agency_b)
    source = _item(previous, "Deferred there", status=DEFERRED, chair_note="No time")
    _item(meeting, "Carried here", carried_from=source)
    _bulk_items(meeting, 10, 0, [agency_a, agency_b])
    client.force_login(chair)
    client.get(meeting.get_absolute_url())  # the chair's first visit adds the standing items
    with CaptureQueriesContext(connection) as small:
        assert client.get(meeting.get_absolute_url()).status_code == 200
    _bulk_items(meeting, 490, 10, [agency_a, agency_b])
    with CaptureQueriesContext(connection) as large:
        page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Item 499" in page and "Map the data" in page
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]


def test_the_meeting_page_query_budget(
    client, network, previous, meeting, chair, agency_a, agency_b, django_assert_max_num_queries
):
    """The pinned budget of the chair's meeting page with 200 agenda items."""
    ActionPoint.objects.create(meeting=previous, description="Map the data", owner=agency_b)
    _bulk_items(meeting, 200, 0, [agency_a, agency_b])
    client.force_login(chair)
    client.get(meeting.get_absolute_url())  # the first visit adds the standing items
    # 1 session, 2 user; the actor: 3 grants, 4 person records, 5 chair
    # terms, 6 coordinated networks; 7 the actor's member networks (may it
    # see the meeting, propose, see the proposals?); 8 the meeting; the
    # meeting page: 9 participants, 10 agenda items with presenter, proposer
    # and origin (selectors.meeting_page, shared with the agenda section),
    # 11 preparatory meetings, 12 history; 13 the open action points of the
    # standing item; the frame: 14 switcher networks, 15 the chosen network;
    # 16 the minutes section (none yet); 17-19 the papers picked from the
    # documents register (documents/parts.py: the items' papers the user may
    # read, the executive committees the user sits on, whether there are items).
    with django_assert_max_num_queries(19):
        assert client.get(meeting.get_absolute_url()).status_code == 200
