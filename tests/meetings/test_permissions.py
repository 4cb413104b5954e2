"""Who may do what on meetings: the whole matrix of the meeting pages, every
role, the wrong agency and the wrong network. Refused POSTs change nothing."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Role
from meetings.models import Meeting, Participant
from meetings.services import schedule
from members.models import PersonLevel
from tests import factories as f
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

ROLES = (
    "anon",
    "outsider",
    "focal_c",
    "focal_b",
    "chair",
    "sec",
    "other_sec",
    "admin",
    "guest",
    "nonmember",
)  # noqa: E501
L = "login"

# One row per page; the columns follow ROLES. 403: may see the meeting but
# not do this; 404: may not see the meeting at all.
# fmt: off
MATRIX = [
    #                        anon outs focal_c focal_b chair sec other_sec admin guest nonmember
    ("meetings:list",       (L, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("meetings:year",       (L, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("meetings:detail",     (L, 404, 200, 200, 200, 200, 404, 200, 200, 404)),
    ("meetings:edit",       (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:copy",       (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:cancel",     (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:invite",     (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:attendance", (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:create",     (L, 403, 403, 403, 200, 200, 403, 200, 403, 403)),
    ("meetings:plan_year",  (L, 403, 403, 403, 200, 200, 403, 200, 403, 403)),
    # the invitation of focal_c: only its agency's focal points answer it
    ("meetings:respond",    (L, 404, 200, 403, 403, 403, 404, 403, 403, 404)),
]
# The same meeting once held, before any minutes are written: no more
# proposals; the chair may write minutes; there are none to read yet.
MATRIX_HELD = [
    #                              anon outs focal_c focal_b chair sec other_sec admin guest nonmember
    ("meetings:agenda_propose",   (L, 404, 403, 403, 403, 403, 404, 403, 403, 404)),
    ("meetings:agenda_circulate", (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:agenda_pdf",       (L, 404, 200, 200, 200, 200, 404, 200, 200, 404)),
    ("meetings:ics",              (L, 404, 200, 200, 200, 200, 404, 200, 200, 404)),
    ("meetings:minutes_edit",     (L, 404, 403, 403, 200, 200, 404, 200, 403, 404)),
    ("meetings:minutes_versions", (L, 404, 403, 403, 404, 404, 404, 404, 403, 404)),
    ("meetings:minutes_diff",     (L, 404, 403, 403, 404, 404, 404, 404, 403, 404)),
    ("meetings:minutes_approve",  (L, 404, 403, 403, 404, 404, 404, 404, 403, 404)),
    ("meetings:minutes_pdf",      (L, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    ("meetings:minutes_comment",  (L, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
]
# fmt: on


@pytest.fixture
def world(network, other_network, agency_a, agency_b, current_term):
    users = {
        "outsider": f.UserFactory(),
        "sec": f.UserFactory(),
        "other_sec": f.UserFactory(),
        "admin": f.UserFactory(is_superuser=True, is_staff=True),
    }
    f.grant(users["sec"], Role.SECRETARIAT, network)
    f.grant(users["other_sec"], Role.SECRETARIAT, other_network)

    def person(org, key, level=PersonLevel.FOCAL_POINT):
        users[key] = f.UserFactory()
        f.PersonFactory(organization=org, level=level, user=users[key], email=users[key].email)

    # Agency A holds the current chair term: its focal point chairs. C and B
    # are other member agencies.
    person(agency_a, "chair")
    agency_c = f.OrganizationFactory(acronym="CCC", slug="ccc")
    f.MembershipFactory(network=network, organization=agency_c)
    person(agency_c, "focal_c")
    person(agency_b, "focal_b")
    guest_org = f.OrganizationFactory(acronym="GST", slug="gst")
    person(guest_org, "guest")
    outside_org = f.OrganizationFactory(acronym="OUT", slug="out")
    f.MembershipFactory(network=other_network, organization=outside_org)
    person(outside_org, "nonmember")
    past = make_meeting(network, days=-2)
    schedule.participants_invite(meeting=past, guests=[guest_org])
    invitation = Participant.objects.get(person__user=users["focal_c"], meeting=past)
    return SimpleNamespace(users=users, meeting=past, network=network, invitation=invitation)


def _url(name, w):
    if name in ("meetings:list", "meetings:year"):
        return reverse(name)
    if name in ("meetings:create", "meetings:plan_year"):
        return reverse(name, args=[w.network.slug])
    if name == "meetings:respond":
        return reverse(name, args=[w.invitation.pk])
    return reverse(name, args=[w.meeting.pk])


def _cases(matrix):
    for name, cells in matrix:
        assert len(cells) == len(ROLES)
        for role, expected in zip(ROLES, cells, strict=True):
            yield pytest.param(name, role, expected, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(MATRIX_HELD)))
def test_matrix_after_the_meeting(client, world, name, role, expected):
    """Once held and before minutes exist, each page answers as the table says."""
    Meeting.objects.filter(pk=world.meeting.pk).update(status="held")
    _check(client, world, name, role, expected)


def test_every_meeting_page_is_in_a_matrix():
    """A new meeting page must get a row (or a reason to stay out)."""
    from django.urls import get_resolver

    names = {
        f"meetings:{n}"
        for n in get_resolver().namespace_dict["meetings"][1].reverse_dict
        if isinstance(n, str)
    }
    assert len(names) > 20  # the resolver was read, not an empty namespace
    covered = {row[0] for row in MATRIX + MATRIX_HELD}
    # POST-only actions, each tested with its refusals in its own module.
    elsewhere = {
        "meetings:mark_held",
        "meetings:agenda_decide",
        "meetings:agenda_reorder",
        "meetings:agenda_paper",
        "meetings:minutes_circulate",
        "meetings:minutes_withdraw",
        "meetings:action_point_done",
        "meetings:action",  # tests/meetings/test_actions.py
        "meetings:calendar_feed",
        "meetings:calendar_feed_reset",
        "meetings:feed",
    }
    assert names - covered - elsewhere == set()


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(MATRIX)))
def test_matrix(client, world, name, role, expected):
    """Each page answers each role as the table says."""
    _check(client, world, name, role, expected)


def _check(client, world, name, role, expected):
    if role != "anon":
        client.force_login(world.users[role])
    url = _url(name, world)
    response = client.get(url)
    if expected == L:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def _snapshot(meeting):
    meeting.refresh_from_db()
    return (meeting.title, meeting.status, meeting.start, meeting.cancel_reason)


@pytest.mark.parametrize("role", ["focal_c", "focal_b", "other_sec", "guest", "outsider"])
def test_it_refuses_editing_and_cancelling_and_changes_nothing(client, world, role):
    """Whoever may not manage the meeting cannot edit or cancel it by POST."""
    before = _snapshot(world.meeting)
    client.force_login(world.users[role])
    edit = client.post(reverse("meetings:edit", args=[world.meeting.pk]), {"title": "Hijacked"})
    cancel = client.post(reverse("meetings:cancel", args=[world.meeting.pk]), {"reason": "No"})
    assert edit.status_code in (403, 404) and cancel.status_code in (403, 404)
    assert _snapshot(world.meeting) == before


def test_it_refuses_attendance_from_another_agency(client, world):
    participant = world.meeting.participants.first()
    client.force_login(world.users["focal_b"])
    response = client.post(
        reverse("meetings:attendance", args=[world.meeting.pk]), {f"p{participant.pk}": "absent"}
    )
    assert response.status_code == 403
    participant.refresh_from_db()
    assert participant.attendance == "unknown"


def test_a_guest_sees_only_the_meeting_it_was_invited_to(client, world):
    other = make_meeting(world.network, days=10, title="Members only")
    client.force_login(world.users["guest"])
    assert client.get(other.get_absolute_url()).status_code == 404
    page = client.get(reverse("meetings:list"), {"network": ""}).content.decode()
    assert "Members only" not in page


def test_a_chair_of_another_network_cannot_create_here(client, world, other_network):
    client.force_login(world.users["chair"])
    response = client.post(reverse("meetings:create", args=[other_network.slug]), {"title": "X"})
    assert response.status_code == 403
    assert not Meeting.objects.filter(network=other_network).exists()
