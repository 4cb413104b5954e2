"""The minutes start from the agenda: while a held meeting's minutes are
empty, the edit page offers a draft built from the meeting (the attendance
by agency, a heading per accepted agenda item in order with its presenter,
the action points of earlier meetings still open), and decisions lines per
item. Saved text is never replaced; the version check still applies; the
page's query count does not grow with the agenda or the action points.

Personas (tests/conftest.py): the chair (focal point of agency A, which
holds the chair term), the secretariat, focal_b (an ordinary member),
principal_a (head of agency A), an outsider.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from core.markdown import render_markdown
from meetings.models import (
    ActionPoint,
    ActionPointStatus,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Attendance,
    MeetingStatus,
    Minutes,
    Participant,
)
from meetings.services import minutes as service
from tests import factories as f
from tests.meetings.conftest import make_meeting
from tests.meetings.test_minutes import edit_data, edit_url, write

pytestmark = pytest.mark.django_db


# --- fixtures -------------------------------------------------------------------------------


def _item(meeting, title, position, *, status=AgendaItemStatus.ACCEPTED, **extra):
    return AgendaItem.objects.create(
        meeting=meeting, title=title, position=position, status=status, **extra
    )


@pytest.fixture
def previous(network):
    return make_meeting(network, days=-60, title="Previous meeting", status=MeetingStatus.HELD)


@pytest.fixture
def held(held_with_attendance, agency_b, previous):
    """A meeting held three days ago (its participants:
    tests/meetings/conftest.py, held_with_attendance). Its agenda: the two
    standing items, then "Work plan 2027" (presented by agency B) and "Any
    other business", ordered so that their positions differ from the order
    they were made in; a deferred and a proposed item that were not
    discussed. Present: the chair and the head of agency A; apologies:
    agency B's focal point; absent: a guest institute."""
    meeting = held_with_attendance
    _item(meeting, "Any other business", 4)
    _item(meeting, "Work plan 2027", 3, presenter=agency_b)
    _item(meeting, "Open action points", 2, kind=AgendaItemKind.ACTION_POINTS)
    _item(meeting, "Approval of the previous minutes", 1, kind=AgendaItemKind.PREVIOUS_MINUTES)
    _item(meeting, "A deferred idea", 5, status=AgendaItemStatus.DEFERRED)
    _item(meeting, "A late proposal", 6, status=AgendaItemStatus.PROPOSED)
    return meeting


@pytest.fixture
def points(held, previous, other_network, agency_a, agency_b):
    """Of the previous meeting: one open (due), one open (no due date), one
    done before this meeting; one of another network; one of this meeting."""
    ActionPoint.objects.create(
        meeting=previous, description="Map the data", owner=agency_b, due=date(2031, 1, 31)
    )
    ActionPoint.objects.create(meeting=previous, description="Draft the note", owner=agency_a)
    ActionPoint.objects.create(
        meeting=previous,
        description="Closed long ago",
        owner=agency_a,
        status=ActionPointStatus.DONE,
        done_at=held.start - timedelta(days=10),
    )
    elsewhere = make_meeting(other_network, days=-30)
    ActionPoint.objects.create(meeting=elsewhere, description="Not our network", owner=agency_a)
    ActionPoint.objects.create(meeting=held, description="Agreed today", owner=agency_a)


def _lines(text: str) -> list[str]:
    return text.splitlines()


# --- the draft itself -----------------------------------------------------------------------


def test_the_draft_has_a_heading_per_accepted_item_in_agenda_order(held, points):
    """Standing items first, then the accepted items by position, each
    numbered, with its presenter; deferred and proposed items are left out."""
    draft = service.minutes_draft(held).body
    headings = [line for line in _lines(draft) if line.startswith("## ")]
    assert headings == [
        "## Attendance",
        "## 1. Approval of the previous minutes",
        "## 2. Open action points",
        "## 3. Work plan 2027",
        "## 4. Any other business",
    ]
    after = draft[draft.index("## 3. Work plan 2027") :]
    assert after.splitlines()[2] == "*Presented by Agency B (BBB)*"
    assert "A deferred idea" not in draft and "A late proposal" not in draft


def test_the_draft_lists_the_attendance_by_agency(held, chair, principal_a, focal_b):
    """Present, apologies and absent, each by agency, the principal marked."""
    lines = _lines(service.minutes_draft(held).body)
    names = {u: u.people.get().name for u in (chair, principal_a, focal_b)}
    present = next(line for line in lines if line.startswith("- Present: "))
    assert present.startswith("- Present: AAA: ")
    assert names[chair] in present and f"{names[principal_a]} (principal)" in present
    assert next(line for line in lines if line.startswith("- Apologies: ")) == (
        f"- Apologies: BBB: {names[focal_b]}"
    )
    assert "- Absent: Guest Institute (GST, guest)" in lines


def test_the_draft_lists_the_open_action_points_and_not_the_closed_ones(held, previous, points):
    """Under the item on the action points, one line to complete per open
    point of an earlier meeting of the network, with owner, due date and
    the meeting that agreed it."""
    draft = service.minutes_draft(held).body
    section = draft[draft.index("## 2. Open action points") : draft.index("## 3.")]
    agreed = date_format(previous.local_start.date(), "j F Y")
    assert _lines(section)[2:4] == [
        f"- Map the data (BBB, due 31 January 2031; agreed on {agreed}). Status: …",
        f"- Draft the note (AAA; agreed on {agreed}). Status: …",
    ]
    for absent in ("Closed long ago", "Not our network", "Agreed today"):
        assert absent not in draft


def test_without_an_action_points_item_they_get_a_section_of_their_own(held, points):
    """The agenda had no item on them: the open points still come, last."""
    held.agenda_items.filter(kind=AgendaItemKind.ACTION_POINTS).delete()
    lines = _lines(service.minutes_draft(held).body)
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[-2:] == [
        "## 3. Any other business",
        "## Open action points from earlier meetings",
    ]
    tail = lines[lines.index(headings[-1]) + 2 :]
    assert [line.split(" (")[0] for line in tail] == ["- Map the data", "- Draft the note"]


def test_the_decisions_start_with_a_line_per_item_but_the_action_points(held, points):
    """One line to complete per item; the action points item has none."""
    decisions = service.minutes_draft(held).decisions
    assert decisions.splitlines() == [
        "- **1. Approval of the previous minutes:** …",
        "- **3. Work plan 2027:** …",
        "- **4. Any other business:** …",
    ]


def test_typed_text_shows_as_typed_in_the_rendered_draft(held, agency_a):
    """A title with Markdown characters is escaped: no emphasis, no link."""
    _item(held, "Budget *2027* [draft] and_more", 9)
    draft = service.minutes_draft(held).body
    html = str(render_markdown(draft))
    assert "Budget *2027* [draft] and_more" in html
    assert "<em>2027</em>" not in html


def test_a_meeting_without_agenda_or_attendance_still_gets_a_draft(network):
    """Nothing recorded: the draft says so instead of being empty."""
    meeting = make_meeting(network, days=-1, status=MeetingStatus.HELD)
    draft = service.minutes_draft(meeting).body
    assert draft.startswith("## Attendance\n\nAttendance was not recorded.")
    assert service.minutes_draft(meeting).decisions == ""


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("short\n", "short\n"),
        # cut after the last whole line that fits
        ("a" * 10 + "\n" + "b" * 20, "a" * 10),
        # a newline right after the last character that fits keeps that line
        ("a" * 30 + "\n" + "b", "a" * 30),
        # one line longer than the limit, no newline in it: cut at the limit
        ("x" * 45, "x" * 30),
        # only a leading newline: cut at the limit, not to nothing
        ("\n" + "y" * 45, "\n" + "y" * 29),
    ],
)
def test_the_draft_is_never_longer_than_the_minutes_may_be(monkeypatch, text, kept):
    """An agenda of thousands of items, or a line of thousands of names."""
    monkeypatch.setattr(service, "MINUTES_MAX_CHARS", 30)
    clipped = service._clip(text)
    assert clipped == kept and len(clipped) <= 30


def test_the_draft_is_a_pure_read(held, points):
    """Building it writes nothing: no minutes, no version."""
    with CaptureQueriesContext(connection) as queries:
        service.minutes_draft(held)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)
    assert len(queries) == 3  # accepted items, participants, open action points
    assert not Minutes.objects.exists()


# --- the edit page -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["chair", "secretariat"])
def test_the_edit_page_starts_from_the_draft_while_the_minutes_are_empty(
    client, request, held, points, persona
):
    """Whoever may write the minutes finds the textareas filled with the
    draft and a note saying so; base version 0."""
    client.force_login(request.getfixturevalue(persona))
    response = client.get(edit_url(held))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["body"].value() == service.minutes_draft(held).body
    assert form["decisions"].value() == service.minutes_draft(held).decisions
    assert form["base_version"].value() == 0
    html = response.content.decode()
    assert 'id="minutes-draft-note"' in html and "## 3. Work plan 2027" in html


def test_saving_the_draft_makes_version_1(client, held, points, chair):
    """The completed draft is saved like any text: version 1, the draft's
    headings in it; next time the page shows the saved text, no note."""
    client.force_login(chair)
    page = client.get(edit_url(held))
    body = page.context["form"]["body"].value().replace("…", "Discussed.", 1)
    data = edit_data(page, body=body, decisions="- Adopted.")
    assert client.post(edit_url(held), data).status_code == 302
    minutes = Minutes.objects.get()
    assert minutes.version == 1 and "## 3. Work plan 2027" in minutes.body
    again = client.get(edit_url(held))
    assert again.context["form"]["body"].value() == minutes.body
    assert again.context["form"]["decisions"].value() == "- Adopted."
    assert 'id="minutes-draft-note"' not in again.content.decode()


@pytest.mark.parametrize(
    ("body", "decisions"), [("Our own record.", ""), ("", "- Only a decision.")]
)
def test_saved_text_is_never_replaced_by_the_draft(client, held, points, chair, body, decisions):
    """Minutes with any saved text (even only decisions) open as saved."""
    write(held, chair, body=body, decisions=decisions)
    client.force_login(chair)
    response = client.get(edit_url(held))
    form = response.context["form"]
    assert (form["body"].value(), form["decisions"].value()) == (body, decisions)
    assert form["base_version"].value() == 1
    assert "Work plan 2027" not in response.content.decode()
    assert not service.minutes_offers_draft(Minutes.objects.get())


def test_minutes_emptied_later_start_from_the_draft_again(client, held, chair):
    """Nothing left to replace: the draft is offered, from the stored version."""
    minutes = write(held, chair, body="Something", decisions="")
    service.minutes_save(meeting=held, body="", decisions="", base_version=1, by=chair)
    minutes.refresh_from_db()
    assert (minutes.body, minutes.version) == ("", 2)
    client.force_login(chair)
    form = client.get(edit_url(held)).context["form"]
    assert form["body"].value().startswith("## Attendance")
    assert form["base_version"].value() == 2


def test_a_draft_opened_before_someone_else_saved_is_refused(
    client, held, points, chair, secretariat
):
    """Two editors open the empty minutes; the secretariat saves first; the
    chair's save of the draft (base version 0) is a conflict: the
    secretariat's text stays, the chair's text is shown again."""
    client.force_login(chair)
    page = client.get(edit_url(held))
    write(held, secretariat, body="The secretariat's record.", decisions="")
    data = edit_data(page, body=page.context["form"]["body"].value(), decisions="")
    response = client.post(edit_url(held), data)
    assert response.status_code == 200 and response.context["conflict"] is not None
    minutes = Minutes.objects.get()
    assert (minutes.body, minutes.version) == ("The secretariat's record.", 1)
    assert "## 3. Work plan 2027" in response.context["form"]["body"].value()
    assert 'id="minutes-draft-note"' not in response.content.decode()


def test_a_focal_point_gets_no_draft_and_an_outsider_no_page(
    client, held, points, focal_b, outsider
):
    """The draft is only for those who may write the minutes: 403 for a
    member's focal point, 404 for an outsider; nothing is created."""
    client.force_login(focal_b)
    response = client.get(edit_url(held))
    assert response.status_code == 403 and "Work plan 2027" not in response.content.decode()
    client.force_login(outsider)
    assert client.get(edit_url(held)).status_code == 404
    assert not Minutes.objects.exists()


def test_approved_minutes_offer_no_draft(client, held, chair):
    """Approved minutes can no longer be edited: back to the meeting page."""
    minutes = write(held, chair, body="Final.", decisions="")
    service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    client.force_login(chair)
    response = client.get(edit_url(held))
    assert response.status_code == 302
    assert Minutes.objects.get().body == "Final."


# --- query budget ------------------------------------------------------------------------------


def _grow(meeting, previous, owner, n: int) -> None:
    """Bring the meeting to `n` accepted agenda items, `n` participants and
    the previous meeting to `n` open action points."""
    have = meeting.agenda_items.filter(status=AgendaItemStatus.ACCEPTED).count()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Item {i}",
            position=10 + i,
            status=AgendaItemStatus.ACCEPTED,
            presenter=owner,
        )
        for i in range(have, n)
    )
    have = ActionPoint.objects.filter(meeting=previous).count()
    ActionPoint.objects.bulk_create(
        ActionPoint(
            network_id=previous.network_id,
            meeting=previous,
            description=f"Action {i}",
            owner=owner,
            due=date(2031, 1, 1),
        )
        for i in range(have, n)
    )
    have = meeting.participants.count()
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            organization=f.OrganizationFactory(),
            attendance=Attendance.PRESENT,
        )
        for _ in range(have, n)
    )


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_edit_page_with_the_draft_costs_the_same_with_10_or_500(
    client, held, previous, chair, agency_b
):
    """The edit page of empty minutes, as the chair: the same number of
    queries with 10 and with 500 agenda items, participants and open action
    points; the draft adds three queries to the page."""
    client.force_login(chair)
    _grow(held, previous, agency_b, 10)
    small, html = _count(client, edit_url(held))
    assert "## 10. Item 9" in html  # 4 accepted in the fixture, then items 4..9

    _grow(held, previous, agency_b, 500)
    large, html = _count(client, edit_url(held))
    assert html.count("Status: …") == 500

    assert small == large
    write(held, chair, body="Written.", decisions="")
    with_text, _html = _count(client, edit_url(held))
    # With text: no draft (its three queries: items, participants, action
    # points), but the minutes' comments.
    assert with_text == large - 3 + 1
    # The whole page, pinned:
    #  1 session, 2 user, 3-6 the actor (grants, people, chair terms,
    #  coordinated networks), 7 the member networks (visible_meetings),
    #  8 the meeting, 9 the minutes, 10 the meeting's action points,
    #  11-13 the draft: accepted items, participants, open action points,
    #  14 the owner choices, 15 the network switcher, 16 the network chosen.
    assert large == 16


def test_the_edit_page_with_text_costs_the_same_with_10_or_500(
    client, held, previous, chair, agency_b
):
    """With saved minutes, the size of the agenda changes nothing either."""
    write(held, chair, body="Written.", decisions="")
    client.force_login(chair)
    _grow(held, previous, agency_b, 10)
    small, _html = _count(client, edit_url(held))
    _grow(held, previous, agency_b, 500)
    large, _html = _count(client, edit_url(held))
    assert small == large
