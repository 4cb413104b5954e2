"""Decisions taken at a meeting, recorded from its minutes.

The minutes keep their decisions as one text while they are drafted and
circulated; approving them makes each decision an entry of the register
(adopted on the meeting's day, with its reference, linked to the meeting,
its agenda item and its place in the minutes), in the approval's
transaction. The approved minutes then show their decisions from the
register, the decision page links back, the approval page says what it
will record, and the minutes PDF prints the references."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.errors import DomainError
from decisions.models import Body, Decision, DecisionStatus, Procedure
from decisions.services.minutes import record_minutes_decisions
from meetings.models import AgendaItem, MeetingLevel, MeetingStatus, Minutes, MinutesStatus
from meetings.services import minutes as minutes_service
from meetings.services.decision_items import MAX_ITEMS, decision_items
from taskteams.models import TaskTeam
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

DECISIONS = """The meeting decided:

- **2. Admission of new members:** The Group admits UNDP, UNICEF, UNITAR and the
  regional commissions as members, with effect from today.
- **3. Work plan 2027:** The work plan 2027 is approved.
  The secretariat circulates it by Friday.
- **4. Any other business:** …
"""


# --- reading the items of the minutes -----------------------------------------------------


def test_each_list_entry_is_one_decision_with_its_title_and_agenda_item():
    agenda = [
        AgendaItem(title="Admission of new members", kind="regular"),
        AgendaItem(title="Work plan 2027", kind="regular"),
    ]
    items = decision_items(DECISIONS, agenda)
    assert [i.number for i in items] == [1, 2]
    first, second = items
    assert first.title == (
        "The Group admits UNDP, UNICEF, UNITAR and the regional commissions as members, "
        "with effect from today."
    )
    assert first.text.startswith("The Group admits UNDP") and "\n" in first.text
    assert first.agenda_item is agenda[0] and second.agenda_item is agenda[1]
    # The second sentence stays in the text, not in the title.
    assert second.title == "The work plan 2027 is approved."
    assert second.text.endswith("The secretariat circulates it by Friday.")


def test_placeholders_introductions_and_headings_are_no_decisions():
    text = "# Decisions\n\nThe meeting decided:\n\n- **1. Adoption of the agenda:** …\n- …\n"
    assert decision_items(text) == []
    assert decision_items("") == []
    assert decision_items("   \n\n") == []


def test_paragraphs_are_decisions_when_the_text_has_no_list():
    items = decision_items("The agenda is adopted.\n\nThe next meeting is\nin Geneva.")
    assert [(i.number, i.title) for i in items] == [
        (1, "The agenda is adopted."),
        (2, "The next meeting is in Geneva."),
    ]


def test_numbered_entries_long_titles_and_the_limit():
    long = "word " * 80
    items = decision_items(f"1. *Short* one.\n2) {long}")
    assert items[0].title == "Short one." and items[0].text == "*Short* one."
    assert items[1].title.endswith("…") and len(items[1].title) <= 141
    many = "\n".join(f"- Decision {n}." for n in range(MAX_ITEMS + 20))
    assert len(decision_items(many)) == MAX_ITEMS


def test_an_unknown_label_links_no_agenda_item():
    items = decision_items("- **Something else:** Done.", [AgendaItem(title="Budget")])
    assert items[0].agenda_item is None and items[0].text == "Done."


# --- approving the minutes records them ----------------------------------------------------


@pytest.fixture
def held(network, agency_a, agency_b):
    meeting = make_meeting(
        network,
        days=-3,
        level=MeetingLevel.PRINCIPALS,
        title="Principals' meeting",
        status=MeetingStatus.HELD,
    )
    for n, title in enumerate(["Adoption of the agenda", "Admission of new members"], 1):
        AgendaItem.objects.create(meeting=meeting, title=title, position=n)
    AgendaItem.objects.create(meeting=meeting, title="Work plan 2027", position=3)
    return meeting


def write(meeting, by, decisions=DECISIONS) -> Minutes:
    current = Minutes.objects.filter(meeting=meeting).first()
    return minutes_service.minutes_save(
        meeting=meeting,
        body="## Record\nDiscussed.",
        decisions=decisions,
        base_version=current.version if current else 0,
        action_points=(),
        by=by,
    ).minutes


def approve(meeting, by, decisions=DECISIONS) -> Minutes:
    return minutes_service.minutes_approve(
        minutes=write(meeting, by, decisions), by=by, reason="Agreed in the room."
    )


def test_approval_records_each_decision_adopted_on_the_meetings_day(held, chair):
    approve(held, chair)
    decisions = list(Decision.objects.filter(meeting=held).order_by("minutes_item"))
    assert [d.minutes_item for d in decisions] == [1, 2]
    year = held.local_start.year
    for n, decision in enumerate(decisions, 1):
        assert decision.status == DecisionStatus.ADOPTED
        assert decision.procedure == Procedure.MEETING
        assert decision.body == Body.PRINCIPALS
        assert decision.decided_on == held.local_start.date()
        assert decision.reference == f"GTN/P/{year}/{n:02d}"
        assert decision.versions.count() == 1
    assert decisions[0].agenda_item.title == "Admission of new members"
    assert decisions[1].agenda_item.title == "Work plan 2027"
    assert decisions[1].text.endswith("The secretariat circulates it by Friday.")
    # The history says how it came in.
    assert decisions[0].history.first().history_change_reason == "recorded as adopted at a meeting"


def test_the_body_follows_the_meetings_level(network, chair, agency_a):
    team = TaskTeam.objects.create(network=network, name="Returns", slug="returns", focus="x")
    cases = [
        (MeetingLevel.WORKING, Body.WORKING_LEVEL),
        (MeetingLevel.ANNUAL, Body.ANNUAL_MEETING),
        (MeetingLevel.TASK_TEAM, Body.TASK_TEAM),
    ]
    for level, body in cases:
        extra = {"task_team": team} if level == MeetingLevel.TASK_TEAM else {}
        meeting = make_meeting(
            network, days=-2, level=level, title=f"{level} meeting", status="held", **extra
        )
        approve(meeting, chair, "- The agenda is adopted.")
        decision = Decision.objects.get(meeting=meeting)
        assert decision.body == body
        if level == MeetingLevel.TASK_TEAM:
            assert decision.task_team == team


def test_minutes_without_decisions_record_nothing(held, chair):
    approve(held, chair, decisions="- **1. Adoption of the agenda:** …")
    assert not Decision.objects.filter(meeting=held).exists()


def test_recording_twice_changes_nothing(held, chair):
    minutes = approve(held, chair)
    before = list(Decision.objects.order_by("minutes_item").values_list("pk", "reference"))
    again = record_minutes_decisions(minutes=minutes, meeting=held, by=chair)
    assert [d.pk for d in again] == [pk for pk, _ref in before]
    assert list(Decision.objects.order_by("minutes_item").values_list("pk", "reference")) == before


def test_a_decision_the_register_refuses_leaves_the_minutes_unapproved(held, chair, client):
    """A decision longer than the register holds: the approval is refused
    with the reason, and nothing is approved or recorded."""
    huge = "- " + "x" * 25_000
    write(held, chair, huge)
    client.force_login(chair)
    page = client.get(reverse("meetings:minutes_approve", args=[held.pk]))
    response = client.post(
        reverse("meetings:minutes_approve", args=[held.pk]),
        {"version": page.context["form"]["version"].value(), "reason": "Agreed in the room."},
        follow=True,
    )
    assert response.status_code == 200
    assert "Decision 1 of the minutes" in response.content.decode()
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD
    assert Minutes.objects.get(meeting=held).status == MinutesStatus.DRAFT
    assert not Decision.objects.exists()


def test_two_meetings_number_their_decisions_in_one_sequence(held, network, chair):
    approve(held, chair)
    other = make_meeting(
        network, days=-1, level=MeetingLevel.PRINCIPALS, title="Second", status="held"
    )
    approve(other, chair, "- The budget is adopted.")
    year = held.local_start.year
    assert Decision.objects.get(meeting=other).reference == f"GTN/P/{year}/03"


def test_a_refused_direct_call_raises_a_domain_error(held, chair):
    minutes = write(held, chair, "- " + "y" * 25_000)
    with pytest.raises(DomainError):
        record_minutes_decisions(minutes=minutes, meeting=held, by=chair)


# --- the pages ------------------------------------------------------------------------------


def test_the_approval_page_says_what_it_will_record(client, held, chair):
    write(held, chair)
    client.force_login(chair)
    html = client.get(reverse("meetings:minutes_approve", args=[held.pk])).content.decode()
    assert "Approving records these 2 decisions in the register" in html
    assert "The work plan 2027 is approved." in html
    write(held, chair, "- **1. Adoption of the agenda:** …")
    html = client.get(reverse("meetings:minutes_approve", args=[held.pk])).content.decode()
    assert "No decision is written in the minutes" in html


def test_the_approved_minutes_show_their_decisions_from_the_register(client, held, chair, focal_b):
    approve(held, chair)
    first = Decision.objects.get(meeting=held, minutes_item=1)
    client.force_login(focal_b)
    html = client.get(held.get_absolute_url()).content.decode()
    assert f'href="{first.get_absolute_url()}"' in html
    assert first.reference in html
    assert html.count("The Group admits UNDP") == 1  # from the register, not twice
    # The decision page links back to its place in the minutes.
    page = client.get(first.get_absolute_url()).content.decode()
    assert f"{held.get_absolute_url()}#decision-{first.pk}" in page
    assert "Decision 1 of the approved minutes" in page


def test_draft_minutes_show_their_text_and_no_register_entry(client, held, chair):
    write(held, chair)
    client.force_login(chair)
    html = client.get(held.get_absolute_url()).content.decode()
    assert "The Group admits UNDP" in html
    assert "/P/" not in html


def test_the_minutes_pdf_prints_the_references(client, held, chair):
    approve(held, chair)
    client.force_login(chair)
    response = client.get(reverse("meetings:minutes_pdf", args=[held.pk]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    year = held.local_start.year
    assert f"GTN/P/{year}/01" in text and f"GTN/P/{year}/02" in text
    assert "The work plan 2027 is approved." in text


def test_the_meeting_page_costs_the_same_with_2_or_100_decisions(client, held, chair):
    """Approved minutes with 2 and with 100 decisions: the same queries."""
    client.force_login(chair)
    approve(held, chair)
    with CaptureQueriesContext(connection) as small:
        client.get(held.get_absolute_url())
    other = make_meeting(
        held.network, days=-2, level=MeetingLevel.PRINCIPALS, title="Many", status="held"
    )
    approve(other, chair, "\n".join(f"- Decision number {n}." for n in range(100)))
    with CaptureQueriesContext(connection) as large:
        response = client.get(other.get_absolute_url())
    assert response.content.decode().count('class="badge text-bg-primary') == 100
    assert len(small) == len(large)


def test_a_decision_taken_at_a_meeting_shows_no_positions_table(client, held, chair):
    """Nobody states a position on what the room agreed: its page and its PDF
    list no agency as "not answered"."""
    from django.urls import reverse

    approve(held, chair)
    decision = Decision.objects.filter(meeting=held).order_by("minutes_item").first()
    client.force_login(chair)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Positions at a glance" not in page
    assert "data-positions" not in page
    response = client.get(reverse("decisions:pdf", args=[decision.pk]))
    assert response.status_code == 200
