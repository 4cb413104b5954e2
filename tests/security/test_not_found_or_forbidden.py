"""The 404/403 rule (core.views_helpers), across every app: a record the
user may not see answers 404, one they may see but not change 403.

One row per page that acts on a record; three people per row: one who may
not see the record, one who sees it but may not do this, one who may.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# fmt: off
#  page                              args                                   404         403          200
ROWS = [
    ("members:person_edit",          lambda w: [w.contact_a.pk],            "outsider", "focal_b",   "sec"),
    ("members:application_detail",   lambda w: [w.application.pk],          "focal_a",  None,        "sec"),
    ("meetings:edit",                lambda w: [w.meeting.pk],              "outsider", "focal_a",   "chair"),
    ("meetings:cancel",              lambda w: [w.meeting.pk],              "outsider", "focal_b",   "chair"),
    ("meetings:invite",              lambda w: [w.meeting.pk],              "outsider", "cochair",   "sec"),
    ("meetings:agenda_decide",       lambda w: [w.meeting.pk, w.proposal.pk], "outsider", "focal_b", "chair"),
    ("meetings:agenda_circulate",    lambda w: [w.meeting.pk],              "outsider", "principal_a", "chair"),
    ("meetings:agenda_propose",      lambda w: [w.meeting.pk],              "outsider", "principal_a", "focal_a"),
    ("meetings:agenda_paper",        lambda w: [w.meeting.pk, w.proposal.pk], "focal_a", None,       "focal_b"),
    ("meetings:minutes_edit",        lambda w: [w.past_meeting.pk],         "outsider", "focal_a",   "chair"),
    ("meetings:attendance",          lambda w: [w.past_meeting.pk],         "outsider", "focal_a",   "chair"),
    ("meetings:respond",             lambda w: [w.invitation.pk],           "outsider", "focal_b",   "focal_a"),
    ("workplans:edit",               lambda w: [w.workplan.pk],             "outsider", "focal_a",   "sec"),
    ("workplans:activity_edit",      lambda w: [w.activity.pk],             "outsider", "focal_a",   "cochair"),
    ("workplans:progress_log",       lambda w: [w.activity.pk],             "outsider", "focal_b",   "focal_a"),
    ("workplans:progress_evidence",  lambda w: [w.activity.pk, w.update.pk], "focal_b", None,        "focal_a"),
    ("taskteams:edit",               lambda w: [w.network.slug, w.team.slug], "outsider", "cochair", "sec"),
    ("taskteams:membership",         lambda w: [w.network.slug, w.team.slug], "outsider", "focal_a", "cochair"),
]
# fmt: on


def _cases():
    for name, args, hidden, forbidden, allowed in ROWS:
        for role, expected in ((hidden, 404), (forbidden, 403), (allowed, 200)):
            if role is not None:
                yield pytest.param(name, args, role, expected, id=f"{name}-{role}-{expected}")


@pytest.mark.parametrize(("name", "args", "role", "expected"), list(_cases()))
def test_not_visible_is_404_visible_but_not_allowed_is_403(
    client, world, name, args, role, expected
):
    """Each page answers by the one rule."""
    client.force_login(world.users[role])
    response = client.get(reverse(name, args=args(world)))
    if expected == 200:  # allowed: the page, or its redirect to where it is done
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("name", "args", "missing"),
    [
        ("meetings:detail", lambda w: [w.meeting.pk], lambda w: [w.meeting.pk + 1000]),
        ("workplans:detail", lambda w: [w.workplan.pk], lambda w: [w.workplan.pk + 1000]),
        ("workplans:activity", lambda w: [w.activity.pk], lambda w: [w.activity.pk + 1000]),
        (
            "taskteams:detail",
            lambda w: [w.network.slug, w.team.slug],
            lambda w: [w.network.slug, "no-such-team"],
        ),
        (
            "members:application_detail",
            lambda w: [w.application.pk],
            lambda w: [w.application.pk + 1000],
        ),
    ],
)
def test_a_hidden_record_looks_like_a_missing_one(client, world, name, args, missing):
    """An outsider cannot tell a record that exists from one that does not:
    the same 404 page for both."""
    client.force_login(world.users["outsider"])
    hidden_url, absent_url = reverse(name, args=args(world)), reverse(name, args=missing(world))
    hidden, absent = client.get(hidden_url), client.get(absent_url)
    assert hidden.status_code == absent.status_code == 404
    # The same page, but for its own address (the network switcher comes
    # back to it), the CSRF token, masked anew on every response, and the
    # session clock's seconds left (a second may pass between the two).
    token = re.compile(rb"[A-Za-z0-9]{64}|data-session-[a-z-]+=\"\d+\"")
    assert token.sub(b"", hidden.content.replace(hidden_url.encode(), b"")) == token.sub(
        b"", absent.content.replace(absent_url.encode(), b"")
    )


def test_get_for_action_answers_404_then_403(world):
    """The helper itself: not in the visible queryset → Http404; in it but
    `can` says no → Refused (a 403 naming the rule); else the record."""
    from django.http import Http404

    from core.views_helpers import Refused, get_for_action
    from meetings.permissions import can, visible_meetings
    from members.roles import build_actor

    outsider = build_actor(world.users["outsider"])
    focal_b = build_actor(world.users["focal_b"])
    chair = build_actor(world.users["chair"])
    pk = world.meeting.pk
    with pytest.raises(Http404):
        get_for_action(
            outsider, visible_meetings(outsider), can=can, action="meeting.manage", pk=pk
        )
    with pytest.raises(Refused) as refused:
        get_for_action(focal_b, visible_meetings(focal_b), can=can, action="meeting.manage", pk=pk)
    assert refused.value.action == "meeting.manage"
    meeting = get_for_action(
        chair, visible_meetings(chair), can=can, action="meeting.manage", pk=pk
    )
    assert meeting.pk == pk
