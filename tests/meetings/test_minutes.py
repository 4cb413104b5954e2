"""Minutes: who writes, reads and comments on them; their states; versions
and the conflict between two editors; the diff page; sanitised Markdown;
the circulation e-mails; the approval that closes the meeting; the PDF;
action points; the query budget of the meeting page.

Personas (tests/conftest.py): the chair (focal point of agency A, which
holds the current chair term), the secretariat of the network, focal_b
(focal point of member agency B: an ordinary member), an outsider. Note
that focal_a speaks for the chairing agency too, so the member who may not
edit is focal_b.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.markdown import render_markdown
from meetings.models import (
    ActionPoint,
    ActionPointStatus,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesStatus,
    MinutesVersion,
)
from meetings.services import minutes as service
from notifications.models import OutboundEmail
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

BODY = "## 1. Adoption of the agenda\nThe agenda was adopted.\n\n## 2. Work plan\nDiscussed."
DECISIONS = "- The work plan 2027 is adopted.\n- The next meeting is in Geneva."


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def held(held_with_attendance):
    """A working-level meeting held three days ago, with four participants
    (tests/meetings/conftest.py)."""
    return held_with_attendance


def write(meeting, by, body=BODY, decisions=DECISIONS, action_points=()) -> Minutes:
    """Save the minutes from their current version, as an editor would."""
    current = Minutes.objects.filter(meeting=meeting).first()
    return service.minutes_save(
        meeting=meeting,
        body=body,
        decisions=decisions,
        base_version=current.version if current else 0,
        action_points=action_points,
        by=by,
    ).minutes


def circulated(meeting, by, days=7) -> Minutes:
    minutes = write(meeting, by)
    return service.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.now() + timedelta(days=days), by=by
    )


def edit_data(response, *, body, decisions, rows=()) -> dict:
    """The POST of the edit page as loaded in `response` (its hidden version
    and its action point rows), with new text and `rows` added."""
    form, formset = response.context["form"], response.context["formset"]
    initial = [f.initial for f in formset.forms[: formset.initial_form_count()]]
    all_rows = initial + list(rows)
    data = {
        "body": body,
        "decisions": decisions,
        "base_version": form["base_version"].value(),
        "ap-TOTAL_FORMS": len(all_rows),
        "ap-INITIAL_FORMS": formset.initial_form_count(),
        "ap-MIN_NUM_FORMS": 0,
        "ap-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(all_rows):
        for key, value in row.items():
            data[f"ap-{i}-{key}"] = "" if value is None else value
    return data


def edit_url(meeting) -> str:
    return reverse("meetings:minutes_edit", args=[meeting.pk])


# --- who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["chair", "secretariat"])
def test_the_chair_and_the_secretariat_write_the_minutes(client, request, held, persona):
    """Both may open the edit page and save; the first save creates the
    minutes at version 1, a draft, with its author recorded."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(edit_url(held))
    assert page.status_code == 200
    response = client.post(edit_url(held), edit_data(page, body=BODY, decisions=DECISIONS))
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=held)
    assert (minutes.status, minutes.version, minutes.body) == (MinutesStatus.DRAFT, 1, BODY)
    assert minutes.versions.get().created_by == user


def test_a_focal_point_may_not_write_the_minutes(client, held, chair, focal_b):
    """A member's focal point sees the meeting, so the edit page and every
    manager's action is a 403, and nothing changes."""
    write(held, chair)
    client.force_login(focal_b)
    assert client.get(edit_url(held)).status_code == 403
    data = {"body": "Mine", "decisions": "", "base_version": 1, "ap-TOTAL_FORMS": 0}
    assert client.post(edit_url(held), data).status_code == 403
    for name in ("minutes_circulate", "minutes_approve", "minutes_withdraw", "minutes_versions"):
        assert client.post(reverse(f"meetings:{name}", args=[held.pk])).status_code == 403
    assert client.get(reverse("meetings:minutes_diff", args=[held.pk])).status_code == 403
    minutes = Minutes.objects.get()
    assert (minutes.body, minutes.version, minutes.status) == (BODY, 1, MinutesStatus.DRAFT)


def test_an_outsider_finds_nothing(client, held, chair, outsider):
    """Someone with no role does not see the meeting: every minutes page is a 404."""
    minutes = circulated(held, chair)
    client.force_login(outsider)
    for name in (
        "minutes_edit",
        "minutes_circulate",
        "minutes_approve",
        "minutes_comment",
        "minutes_versions",
        "minutes_diff",
        "minutes_pdf",
    ):
        assert client.get(reverse(f"meetings:{name}", args=[held.pk])).status_code == 404, name
    response = client.post(reverse("meetings:minutes_comment", args=[held.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert not MinutesComment.objects.exists()
    assert Minutes.objects.get().status == minutes.status


def test_a_draft_is_hidden_from_a_focal_point_but_the_approved_minutes_are_not(
    client, held, chair, focal_b
):
    """A focal point sees neither the draft's text nor its PDF; once
    approved, the minutes are on the meeting page and in the PDF."""
    minutes = write(held, chair, body="Secret draft paragraph.")
    client.force_login(focal_b)
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Secret draft paragraph." not in page
    assert "The chair is preparing the minutes" in page
    assert client.get(reverse("meetings:minutes_pdf", args=[held.pk])).status_code == 404

    service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Secret draft paragraph." in page
    assert client.get(reverse("meetings:minutes_pdf", args=[held.pk])).status_code == 200


def test_circulated_minutes_are_visible_to_members(client, held, chair, focal_b):
    """Circulated for comment, the draft is on the meeting page for members,
    with the comment form."""
    circulated(held, chair)
    client.force_login(focal_b)
    page = client.get(held.get_absolute_url()).content.decode()
    assert "The agenda was adopted." in page
    assert 'id="minutes-comment-form"' in page


def test_a_focal_point_comments_only_while_circulated_and_before_the_deadline(
    client, held, chair, focal_b, agency_b
):
    """Draft: the minutes are not even visible (404). Circulated: the
    comment records author, agency and version. After the deadline, or once
    approved: 403. Each refusal leaves no comment behind."""
    url = reverse("meetings:minutes_comment", args=[held.pk])
    minutes = write(held, chair)
    client.force_login(focal_b)
    assert client.post(url, {"body": "Too early", "version": 1}).status_code == 404
    assert not MinutesComment.objects.exists()

    service.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    response = client.post(url, {"body": "Para 2: say 'adopted with changes'.", "version": 1})
    assert response.status_code == 302
    comment = MinutesComment.objects.get()
    assert (comment.author, comment.organization, comment.version) == (focal_b, agency_b, 1)

    Minutes.objects.filter(pk=minutes.pk).update(
        comment_deadline=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(url, {"body": "Too late", "version": 1}).status_code == 403
    assert MinutesComment.objects.count() == 1

    minutes.refresh_from_db()
    service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    assert client.post(url, {"body": "After approval", "version": 1}).status_code == 403
    assert MinutesComment.objects.count() == 1


def test_a_comment_names_the_version_it_was_made_on(client, held, chair, focal_b):
    """The chair revises while a member reads version 1: the member's
    comment still says version 1, and the page marks it as revised since."""
    minutes = circulated(held, chair)
    client.force_login(focal_b)
    form_page = client.get(reverse("meetings:minutes_comment", args=[held.pk]))
    assert form_page.context["form"]["version"].value() == 1
    write(held, chair, body=BODY + "\nRevised.")
    client.post(
        reverse("meetings:minutes_comment", args=[held.pk]), {"body": "On v1", "version": 1}
    )
    assert MinutesComment.objects.get().version == 1
    assert Minutes.objects.get(pk=minutes.pk).version == 2
    assert "revised since" in client.get(held.get_absolute_url()).content.decode()


def test_an_empty_comment_is_refused_on_its_page(client, held, chair, focal_b):
    """Bad input comes back on the comment page, with its field error."""
    circulated(held, chair)
    client.force_login(focal_b)
    response = client.post(
        reverse("meetings:minutes_comment", args=[held.pk]), {"body": "   ", "version": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not MinutesComment.objects.exists()


# --- states ---------------------------------------------------------------------------------------

ACTIONS = {
    MinutesStatus.CIRCULATED: lambda m, by: service.minutes_circulate(
        minutes=m, comment_deadline=timezone.now() + timedelta(days=5), by=by
    ),
    MinutesStatus.DRAFT: lambda m, by: service.minutes_withdraw(minutes=m, by=by),
    MinutesStatus.APPROVED: lambda m, by: service.minutes_approve(
        minutes=m, by=by, reason="Agreed at the meeting."
    ),
}


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (MinutesStatus.DRAFT, MinutesStatus.CIRCULATED, True),
        (MinutesStatus.DRAFT, MinutesStatus.APPROVED, True),
        (MinutesStatus.DRAFT, MinutesStatus.DRAFT, False),
        (MinutesStatus.CIRCULATED, MinutesStatus.DRAFT, True),
        (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED, True),
        (MinutesStatus.CIRCULATED, MinutesStatus.CIRCULATED, False),
        (MinutesStatus.APPROVED, MinutesStatus.DRAFT, False),
        (MinutesStatus.APPROVED, MinutesStatus.CIRCULATED, False),
        (MinutesStatus.APPROVED, MinutesStatus.APPROVED, False),
    ],
)
def test_minutes_transitions(held, chair, start, target, allowed):
    """Every move of MINUTES_TRANSITIONS is allowed, every other refused
    with a DomainError that leaves the minutes as they were."""
    minutes = write(held, chair)
    if start != MinutesStatus.DRAFT:
        Minutes.objects.filter(pk=minutes.pk).update(status=start)
        if start == MinutesStatus.APPROVED:
            held.status = MeetingStatus.MINUTES_APPROVED
            held.save(update_fields=["status"])
        minutes.refresh_from_db()
    if allowed:
        ACTIONS[target](minutes, chair)
        assert Minutes.objects.get(pk=minutes.pk).status == target
    else:
        with pytest.raises(DomainError):
            ACTIONS[target](minutes, chair)
        assert Minutes.objects.get(pk=minutes.pk).status == start


@pytest.mark.parametrize(
    "status", [MeetingStatus.PLANNED, MeetingStatus.AGENDA_CIRCULATED, MeetingStatus.CANCELLED]
)
def test_minutes_wait_until_the_meeting_is_held(client, network, chair, status):
    """Before the meeting is held there are no minutes: the service refuses
    and the edit page sends the chair back with the reason."""
    meeting = make_meeting(network, days=-1, status=status)
    with pytest.raises(DomainError, match="once the meeting is held"):
        write(meeting, chair)
    client.force_login(chair)
    response = client.get(edit_url(meeting), follow=True)
    assert "once the meeting is held" in response.content.decode()
    assert not Minutes.objects.exists()


def test_approving_before_the_meeting_is_held_is_refused(network, chair):
    """Minutes of a meeting still planned (put there by hand) cannot be
    approved: the meeting cannot move to minutes approved."""
    meeting = make_meeting(network, days=-1)
    minutes = Minutes.objects.create(meeting=meeting, body="Text", version=1)
    with pytest.raises(DomainError, match="once the meeting is held"):
        service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT and minutes.approved_at is None
    assert meeting.status == MeetingStatus.PLANNED


def test_circulating_with_a_past_deadline_is_refused(client, held, chair):
    """The deadline is checked on its field, the typed value stays, and
    nothing is circulated or sent."""
    write(held, chair)
    with pytest.raises(DomainError) as error:
        service.minutes_circulate(
            minutes=Minutes.objects.get(),
            comment_deadline=timezone.now() - timedelta(hours=1),
            by=chair,
        )
    assert error.value.field == "comment_deadline"
    client.force_login(chair)
    response = client.post(
        reverse("meetings:minutes_circulate", args=[held.pk]),
        {"comment_deadline": "2020-01-10T17:00"},
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    assert 'value="2020-01-10T17:00"' in response.content.decode()
    assert Minutes.objects.get().status == MinutesStatus.DRAFT
    assert not OutboundEmail.objects.exists()


def test_the_deadline_is_typed_in_the_meetings_time_zone(client, held, chair):
    """17:00 typed for a Geneva meeting is 17:00 in Geneva."""
    write(held, chair)
    client.force_login(chair)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    client.post(
        reverse("meetings:minutes_circulate", args=[held.pk]), {"comment_deadline": f"{day}T17:00"}
    )
    minutes = Minutes.objects.get()
    assert minutes.status == MinutesStatus.CIRCULATED
    assert timezone.localtime(minutes.comment_deadline, held.tz).hour == 17


def test_approval_moves_the_meeting_to_minutes_approved(client, held, chair):
    """Approving closes the meeting, records who approved, and the minutes
    can no longer be edited."""
    minutes = circulated(held, chair)
    client.force_login(chair)
    page = client.get(reverse("meetings:minutes_approve", args=[held.pk]))
    assert page.status_code == 200
    response = client.post(reverse("meetings:minutes_approve", args=[held.pk]), {"version": 1})
    assert response.status_code == 302
    minutes.refresh_from_db()
    held.refresh_from_db()
    assert held.status == MeetingStatus.MINUTES_APPROVED
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by == chair
    with pytest.raises(DomainError, match="no longer be changed"):
        write(held, chair, body="Changed after approval")
    follow = client.get(edit_url(held), follow=True)
    assert "no longer be changed" in follow.content.decode()
    again = client.get(reverse("meetings:minutes_approve", args=[held.pk]), follow=True)
    assert "cannot become approved" in again.content.decode()
    assert Minutes.objects.get().body == BODY


def test_approving_a_version_the_approver_did_not_read_is_refused(client, held, chair, secretariat):
    """The approval page carries the version read; if the text moved on
    meanwhile, the approval is refused and nothing changes."""
    circulated(held, chair)
    client.force_login(secretariat)
    client.get(reverse("meetings:minutes_approve", args=[held.pk]))
    write(held, chair, body=BODY + "\nLate change.")
    response = client.post(
        reverse("meetings:minutes_approve", args=[held.pk]), {"version": 1}, follow=True
    )
    assert "Read them again before approving" in response.content.decode()
    assert Minutes.objects.get().status == MinutesStatus.CIRCULATED
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD


def test_revising_circulated_minutes_keeps_them_circulated(held, chair):
    """A revision of circulated minutes is a new version, still circulated,
    recorded as such; withdrawing them is a separate action."""
    minutes = circulated(held, chair)
    minutes = write(held, chair, body=BODY + "\nAfter comments.")
    assert (minutes.status, minutes.version) == (MinutesStatus.CIRCULATED, 2)
    assert minutes.versions.get(number=2).status == MinutesStatus.CIRCULATED
    service.minutes_withdraw(minutes=minutes, by=chair)
    assert Minutes.objects.get().status == MinutesStatus.DRAFT


# --- two editors ------------------------------------------------------------------------------------


def test_two_editors_do_not_overwrite_each_other(held, chair, secretariat, agency_b):
    """Both load version 1; the chair saves (version 2); the secretariat's
    save is refused with a message, its text and action point stay in the
    form, the other text is shown, and nothing of it was saved."""
    write(held, chair)
    first, second = Client(), Client()
    first.force_login(chair)
    second.force_login(secretariat)
    page_1, page_2 = first.get(edit_url(held)), second.get(edit_url(held))
    assert page_1.context["form"]["base_version"].value() == 1
    assert page_2.context["form"]["base_version"].value() == 1

    saved = first.post(edit_url(held), edit_data(page_1, body="The chair's text.", decisions=""))
    assert saved.status_code == 302

    refused = second.post(
        edit_url(held),
        edit_data(
            page_2,
            body="The secretariat's text.",
            decisions="Its decision.",
            rows=[{"description": "Its action", "owner": agency_b.pk, "due": "2030-01-31"}],
        ),
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "were changed by" in html and "Nothing of yours was saved" in html
    assert "The secretariat&#x27;s text." in html and "Its action" in html
    assert "The chair&#x27;s text." in html  # their text, shown beside
    assert "?old=1&amp;new=2" in html  # the link to what changed
    assert refused.context["form"]["base_version"].value() == "2"

    minutes = Minutes.objects.get()
    assert (minutes.body, minutes.decisions, minutes.version) == ("The chair's text.", "", 2)
    assert minutes.versions.count() == 2
    assert not ActionPoint.objects.exists()


def test_after_a_conflict_the_second_editor_saves_on_the_new_version(held, chair, secretariat):
    """The refused form now carries the version it showed: saving it again
    (after merging) makes version 3."""
    write(held, chair)
    first, second = Client(), Client()
    first.force_login(chair)
    second.force_login(secretariat)
    page_1, page_2 = first.get(edit_url(held)), second.get(edit_url(held))
    first.post(edit_url(held), edit_data(page_1, body="Chair.", decisions=""))
    refused = second.post(edit_url(held), edit_data(page_2, body="Merged.", decisions=""))
    again = second.post(edit_url(held), edit_data(refused, body="Merged.", decisions=""))
    assert again.status_code == 302
    assert Minutes.objects.get().version == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_from_one_version_let_one_win(held, chair, secretariat):
    """Two threads save from version 1 at the same moment: exactly one makes
    version 2, the other gets MinutesConflict."""
    write(held, chair)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, text):
        try:
            barrier.wait()
            service.minutes_save(meeting=held, body=text, decisions="", base_version=1, by=user)
            outcomes.append("saved")
        except service.MinutesConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(chair, "A")),
        threading.Thread(target=save, args=(secretariat, "B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert MinutesVersion.objects.count() == 2 and Minutes.objects.get().version == 2


# --- versions and the diff page ----------------------------------------------------------------------


def test_every_save_is_kept_and_the_diff_shows_the_change(client, held, chair):
    """Three saves, three versions; the diff of version 3 against 2 marks
    the words taken out and put in, in the text and in the decisions, side
    by side and unified."""
    write(held, chair)
    write(held, chair, body=BODY.replace("Discussed.", "Discussed at length."))
    write(
        held,
        chair,
        body=BODY.replace("Discussed.", "Discussed at length."),
        decisions=DECISIONS.replace("Geneva", "Bangkok"),
    )
    assert list(MinutesVersion.objects.values_list("number", flat=True)) == [3, 2, 1]
    client.force_login(chair)
    url = reverse("meetings:minutes_diff", args=[held.pk])

    html = client.get(url).content.decode()  # version 3 against 2
    assert "<del>Geneva</del>" in html and "<ins>Bangkok</ins>" in html

    html = client.get(url, {"old": 1, "new": 2, "view": "unified"}).content.decode()
    assert "<ins> at length</ins>" in html
    assert "Version 1 → version 2" in html

    versions = client.get(reverse("meetings:minutes_versions", args=[held.pk]))
    assert (
        versions.status_code == 200 and "Compare with the one before" in versions.content.decode()
    )
    first = client.get(url, {"old": 0, "new": 1}).content.decode()
    assert "<ins>## 1. Adoption of the agenda</ins>" in first
    assert client.get(url, {"new": 9}).status_code == 404
    assert client.get(url, {"old": "x"}).status_code == 404


def test_a_save_that_changes_nothing_makes_no_version(client, held, chair):
    """Saving the same text twice keeps one version, and says so."""
    write(held, chair)
    minutes = write(held, chair)
    assert minutes.version == 1 and MinutesVersion.objects.count() == 1
    client.force_login(chair)
    page = client.get(edit_url(held))
    response = client.post(
        edit_url(held), edit_data(page, body=BODY, decisions=DECISIONS), follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert MinutesVersion.objects.count() == 1


def test_compare_texts_marks_lines_and_words():
    """A changed line pairs its old and new words; an added line is an
    insertion; the text is escaped."""
    diff = service.compare_texts("a\nold <b> word\nc", "a\nnew <b> word\nc\nadded")
    assert (diff.added, diff.removed) == (2, 1)
    kinds = [row.kind for row in diff.rows]
    assert kinds == ["equal", "replace", "equal", "insert"]
    assert diff.rows[1].old_html == "<del>old</del> &lt;b&gt; word"
    assert diff.rows[1].new_html == "<ins>new</ins> &lt;b&gt; word"
    assert not service.compare_texts("same", "same").changed


# --- Markdown --------------------------------------------------------------------------------------------

DANGEROUS = (
    "Hello <script>alert('x')</script>\n\n"
    '<p onclick="steal()">Click</p>\n\n'
    '[a link](javascript:alert(1)) and <a href="JavaScript:alert(2)">another</a>\n\n'
    "<img src=x onerror=alert(3)> **bold** [ok](https://example.org)"
)


def test_markdown_is_sanitised():
    """No script, no event handler, no javascript: link survives; the
    Markdown itself does."""
    html = render_markdown(DANGEROUS)
    lowered = html.lower()
    assert "<script" not in lowered and "alert('x')" not in html
    assert "onclick" not in lowered and "onerror" not in lowered
    assert "javascript:" not in lowered
    assert "<img" not in lowered
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html


def test_the_meeting_page_shows_sanitised_minutes(client, held, chair):
    """What the chair types goes through the sanitiser on the meeting page."""
    write(held, chair, body=DANGEROUS, decisions="<script>alert(4)</script>Adopted")
    client.force_login(chair)
    html = client.get(held.get_absolute_url()).content.decode()
    section = html[html.index('id="minutes"') :]
    assert "<script>alert" not in section
    assert "steal()" not in section and "javascript:" not in section.lower()
    assert "<strong>bold</strong>" in section and "Adopted" in section


# --- e-mails -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_circulation_emails_each_participant_once(held, chair, focal_b, principal_a):
    """Each invited person gets one e-mail per version circulated: again
    circulating the same version sends nothing more; a revised version
    circulated again does."""
    minutes = circulated(held, chair)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([chair.email, focal_b.email, principal_a.email])
    assert "Draft minutes for comment" in mail.outbox[0].subject
    assert held.get_absolute_url() in mail.outbox[0].body

    service.minutes_withdraw(minutes=minutes, by=chair)
    service.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.now() + timedelta(days=2), by=chair
    )
    assert len(mail.outbox) == 3

    service.minutes_withdraw(minutes=minutes, by=chair)
    minutes = write(held, chair, body=BODY + "\nRevised.")
    service.minutes_circulate(
        minutes=minutes, comment_deadline=timezone.now() + timedelta(days=2), by=chair
    )
    assert len(mail.outbox) == 6
    assert "version 2" in mail.outbox[-1].body


@pytest.mark.django_db(transaction=True)
def test_approval_emails_the_final_minutes(held, chair):
    """The participants learn once that the minutes are approved, with the PDF link."""
    minutes = write(held, chair)
    service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    assert len(mail.outbox) == 3
    assert all("Minutes approved" in m.subject for m in mail.outbox)
    assert reverse("meetings:minutes_pdf", args=[held.pk]) in mail.outbox[0].body


# --- the PDF ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_has_the_title_decisions_owners_and_attendance(
    client, held, chair, focal_b, principal_a, agency_a, agency_b
):
    """The approved minutes as a PDF, read back to text: the meeting, who
    was present (the principal marked), who sent apologies, who was
    absent, the decisions and the owners of the action points."""
    minutes = write(
        held,
        chair,
        action_points=[
            service.ActionPointInput("Draft the annual report", agency_a.pk, date(2030, 3, 1)),
            service.ActionPointInput("Share the data", agency_b.pk),
        ],
    )
    service.minutes_approve(minutes=minutes, by=chair, reason="Agreed at the meeting.")
    client.force_login(focal_b)
    response = client.get(reverse("meetings:minutes_pdf", args=[held.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Working-level meeting of March" in flat
    assert "The work plan 2027 is adopted." in flat
    assert "Draft the annual report" in flat and "Agency A" in flat and "Agency B" in flat
    names = {u: u.people.get().name for u in (chair, focal_b, principal_a)}
    present = flat[flat.index("Present") : flat.index("Apologies")]
    assert names[chair] in present and names[principal_a] in present
    assert "PRINCIPAL" in present.upper()
    apologies = flat[flat.index("Apologies") : flat.index("Absent")]
    assert names[focal_b] in apologies
    assert "Guest Institute" in flat[flat.index("Absent") :]
    assert "DRAFT" not in flat


def test_a_draft_pdf_says_it_is_a_draft(client, held, chair):
    """The chair may print the draft; it says so on the first page."""
    write(held, chair)
    client.force_login(chair)
    response = client.get(reverse("meetings:minutes_pdf", args=[held.pk]))
    assert response.status_code == 200
    assert "draft-v1" in response["Content-Disposition"]


# --- action points -------------------------------------------------------------------------------------------


def test_action_points_are_saved_with_the_minutes_and_marked_done_later(
    client, held, chair, focal_b, agency_b
):
    """The edit page adds action points; later the owner agency's focal
    point marks one done from the meeting page, and the chair opens it
    again; a focal point of another member agency may not (403, unchanged)."""
    client.force_login(chair)
    page = client.get(edit_url(held))
    client.post(
        edit_url(held),
        edit_data(
            page,
            body=BODY,
            decisions=DECISIONS,
            rows=[
                {"description": "Circulate the study", "owner": agency_b.pk, "due": "2030-02-01"}
            ],
        ),
    )
    point = ActionPoint.objects.get()
    assert (point.owner, point.due, point.meeting) == (agency_b, date(2030, 2, 1), held)

    done_url = reverse("meetings:action_point_done", args=[point.pk])
    agency_c = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=held.network, organization=agency_c)
    focal_c = f.UserFactory(email="focal@agency-c.example.org")
    f.PersonFactory(organization=agency_c, level="focal_point", user=focal_c, email=focal_c.email)
    client.force_login(focal_c)
    assert client.post(done_url, {"done": "1"}).status_code == 403
    point.refresh_from_db()
    assert point.status == ActionPointStatus.OPEN

    client.force_login(focal_b)
    assert client.post(done_url, {"done": "1"}).status_code == 302
    point.refresh_from_db()
    assert point.status == ActionPointStatus.DONE and point.done_at is not None
    client.force_login(chair)
    client.post(done_url, {"done": "0"})
    point.refresh_from_db()
    assert point.status == ActionPointStatus.OPEN and point.done_at is None


def test_action_points_are_changed_and_removed_on_the_edit_page(client, held, chair, agency_a):
    """An existing row edited and another deleted: one new version, the
    rows as asked."""
    write(
        held,
        chair,
        action_points=[
            service.ActionPointInput("Keep me", agency_a.pk),
            service.ActionPointInput("Remove me", agency_a.pk),
        ],
    )
    client.force_login(chair)
    page = client.get(edit_url(held))
    data = edit_data(page, body=BODY, decisions=DECISIONS)
    rows = {data[f"ap-{i}-description"]: i for i in range(2)}
    data[f"ap-{rows['Keep me']}-description"] = "Kept and reworded"
    data[f"ap-{rows['Remove me']}-DELETE"] = "on"
    assert client.post(edit_url(held), data).status_code == 302
    assert list(ActionPoint.objects.values_list("description", flat=True)) == ["Kept and reworded"]
    assert Minutes.objects.get().version == 2


def test_bad_action_point_rows_are_refused_field_by_field(client, held, chair):
    """A row without an owner is refused on that field; the typed text of
    the minutes and the row stays; nothing is saved."""
    client.force_login(chair)
    page = client.get(edit_url(held))
    response = client.post(
        edit_url(held),
        edit_data(
            page,
            body="Typed minutes.",
            decisions="",
            rows=[{"description": "An orphan action", "owner": "", "due": "not a date"}],
        ),
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert "owner" in errors and "due" in errors
    html = response.content.decode()
    assert "Typed minutes." in html and "An orphan action" in html
    assert not Minutes.objects.exists() and not ActionPoint.objects.exists()


def test_an_empty_first_save_is_refused(client, held, chair):
    """Saving nothing creates no minutes."""
    client.force_login(chair)
    page = client.get(edit_url(held))
    response = client.post(edit_url(held), edit_data(page, body="", decisions=""))
    assert response.status_code == 200
    assert "Write the minutes before saving them." in response.content.decode()
    assert not Minutes.objects.exists()


# --- pages ------------------------------------------------------------------------------------------------------


def test_minutes_pages_render(client, held, chair, focal_b):
    """Each page opens for the people it is for."""
    circulated(held, chair)
    write(held, chair, body=BODY + "\nMore.")
    client.force_login(chair)
    for name in (
        "minutes_edit",
        "minutes_approve",
        "minutes_versions",
        "minutes_diff",
        "minutes_pdf",
    ):
        assert client.get(reverse(f"meetings:{name}", args=[held.pk])).status_code == 200, name
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Back to draft" in page and "Approve" in page and "Revise" in page
    client.force_login(focal_b)
    assert client.get(reverse("meetings:minutes_comment", args=[held.pk])).status_code == 200


def test_the_meeting_page_before_the_minutes(client, network, chair):
    """A planned meeting says when the minutes come; a held one offers to write them."""
    planned = make_meeting(network)
    held_meeting = make_meeting(network, days=-2, status=MeetingStatus.HELD)
    client.force_login(chair)
    assert (
        "written once the meeting is held"
        in client.get(planned.get_absolute_url()).content.decode()
    )
    assert "Write the minutes" in client.get(held_meeting.get_absolute_url()).content.decode()


# --- query budget ------------------------------------------------------------------------------------------------


def _grow(minutes: Minutes, owner, authors, n: int) -> None:
    """Bring the minutes to `n` versions, comments and action points."""
    minutes.refresh_from_db()
    start = minutes.version + 1
    MinutesVersion.objects.bulk_create(
        MinutesVersion(minutes=minutes, number=i, body=f"v{i}", status=minutes.status)
        for i in range(start, n + 1)
    )
    Minutes.objects.filter(pk=minutes.pk).update(version=n)
    have = minutes.comments.count()
    MinutesComment.objects.bulk_create(
        MinutesComment(
            minutes=minutes,
            version=1,
            author=authors[i % len(authors)],
            organization=owner,
            body=f"Comment {i}",
        )
        for i in range(have, n)
    )
    have = ActionPoint.objects.filter(meeting=minutes.meeting).count()
    ActionPoint.objects.bulk_create(
        ActionPoint(
            network_id=minutes.meeting.network_id,
            meeting=minutes.meeting,
            description=f"Action {i}",
            owner=owner,
        )
        for i in range(have, n)
    )


def test_the_meeting_page_costs_the_same_with_10_or_500_of_everything(
    client, django_assert_max_num_queries, held, chair, focal_b, agency_b
):
    """The meeting page with circulated minutes, as the chair: the same
    number of queries with 10 and with 500 versions, comments and action
    points; the minutes section adds three queries to the page."""
    client.force_login(chair)
    with CaptureQueriesContext(connection) as without_minutes:
        client.get(held.get_absolute_url())

    minutes = circulated(held, chair)
    authors = [chair, focal_b] + [f.UserFactory() for _ in range(3)]
    _grow(minutes, agency_b, authors, 10)
    with CaptureQueriesContext(connection) as small:
        response = client.get(held.get_absolute_url())
    assert response.content.decode().count("Comment ") >= 10

    _grow(minutes, agency_b, authors, 500)
    with CaptureQueriesContext(connection) as large:
        response = client.get(held.get_absolute_url())
    assert response.content.decode().count('action="/action-points/') == 500

    assert len(small) == len(large)
    # The section's own queries: its action points (with owners) and its
    # comments (with authors and agencies); the minutes query runs without
    # minutes too (it finds none).
    assert len(large) - len(without_minutes) == 2
    # The whole page, pinned:
    #  1 session, 2 user,
    #  3-6 the actor: role grants, person records, chair terms, coordinated networks,
    #  7 the networks the user's agencies are members of (visible_meetings),
    #  8 the meeting (with network, chair term and its agency),
    #  9 participants, 10 agenda items, 11 preparatory meetings (selectors.meeting_page),
    #  12 the meeting's history (changes_for),
    #  13 the network switcher, 14 the network chosen in it,
    #  15 the minutes, 16 their action points, 17 their comments (the minutes section),
    #  18-20 the papers picked from the documents register (documents/parts.py).
    with django_assert_max_num_queries(20):
        client.get(held.get_absolute_url())
