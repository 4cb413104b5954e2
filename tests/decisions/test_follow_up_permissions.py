"""The permission matrix of carrying decisions out: every URL of the follow-up
(an action's page, the network's implementation page and its CSV and XLSX
exports, adding an action to a decision, carrying a decision out, the
owner's dashboard panel) x every persona, on this network's records and on
another network's.

Personas: anonymous, the admin, the secretariat, the chair (agency A holds
the chair term), the owner agency's focal point (B), another member agency's
focal point (C), a principal who is not the chair's (C's), a signed-in
outsider, and another network's secretariat. A record the persona may not
see answers 404, one they may see but not change 403, and a refused POST
changes nothing. tests/meetings/test_actions.py and
tests/decisions/test_follow_up.py check the allowed moves' effects; here
each answer and the untouched rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from decisions.models import Decision, DecisionAction, Procedure
from decisions.services import follow_up, register
from meetings.models import ActionNote, ActionPoint
from members.models import PersonLevel
from taskteams.models import TaskTeam, TaskTeamStatus
from tests import factories as f

from .conftest import make_decision

pytestmark = pytest.mark.django_db

L = "login"
PERSONAS = [
    "anonymous",
    "admin_user",
    "secretariat",
    "chair",
    "focal_b",
    "focal_c",
    "principal_c",
    "outsider",
    "other_secretariat",
]
# Who reads this network's follow-up, who manages it, who updates B's action.
READERS = {"admin_user", "secretariat", "chair", "focal_b", "focal_c", "principal_c"}
MANAGERS = {"admin_user", "secretariat", "chair"}
OWNERS = MANAGERS | {"focal_b"}
# The other network's records: its secretariat and the admin.
ELSEWHERE = {"admin_user", "other_secretariat"}


@pytest.fixture
def other_secretariat(other_network):
    user = f.UserFactory(email="secretariat@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


@pytest.fixture
def principal_c(agency_c):
    user = f.UserFactory(email="head@agency-c.example.org")
    f.PersonFactory(organization=agency_c, level=PersonLevel.PRINCIPAL, user=user, email=user.email)
    return user


def _adopted(network, by, **kw) -> Decision:
    decision = make_decision(network, by, procedure=Procedure.MEETING, **kw)
    register.decision_record_adopted(
        decision=decision, on=timezone.localdate() - timedelta(days=1), by=by
    )
    decision.refresh_from_db()
    return decision


@pytest.fixture
def world(network, other_network, secretariat, other_secretariat, agency_b, agency_c, focal_c):
    """Here: an adopted decision (not public) concerning a proposed task
    team, with an overdue action owned by B. Elsewhere: the same, owned by an
    agency of the other network."""
    out = {}
    for key, net, by, owner in (
        ("here", network, secretariat, agency_b),
        ("elsewhere", other_network, other_secretariat, None),
    ):
        if owner is None:
            owner = f.OrganizationFactory(acronym="OOO", name="Agency O", slug="ooo")
            f.MembershipFactory(network=net, organization=owner)
        team = TaskTeam.objects.create(
            network=net,
            name=f"Returns {key}",
            slug=f"returns-{key}",
            focus="x",
            status=TaskTeamStatus.PROPOSED,
        )
        decision = _adopted(net, by, related_task_team=team, title=f"Decision {key}")
        point = follow_up.decision_action_create(
            decision=decision,
            description=f"Circulate the study ({key})",
            owner=owner,
            due=timezone.localdate() - timedelta(days=3),
            by=by,
        )
        out[key] = {"decision": decision, "point": point, "team": team, "owner": owner}
    return out


def _login(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def _snapshot():
    return (
        list(
            ActionPoint.objects.order_by("pk").values_list(
                "pk", "status", "description", "owner_id", "due", "drop_reason"
            )
        ),
        ActionNote.objects.count(),
        DecisionAction.objects.count(),
        list(TaskTeam.objects.order_by("pk").values_list("pk", "status", "established")),
    )


def _answer(response, expected, where):
    if expected == L:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
    elif expected == "ok":
        assert response.status_code in (200, 302), where
    else:
        assert response.status_code == expected, where


def _post(client, url, data, expected, where):
    """A refused POST changes nothing; an allowed one is rolled back, so
    that every URL meets the same rows."""
    before = _snapshot()
    if expected == "ok":
        with transaction.atomic():
            response = client.post(url, data)
            assert _snapshot() != before, f"{where} did nothing"
            transaction.set_rollback(True)
    else:
        response = client.post(url, data)
    _answer(response, expected, where)
    assert _snapshot() == before, f"{where} changed something"


def _expected(persona, allowed: set, sees: set):
    if persona == "anonymous":
        return L
    if persona not in sees:
        return 404
    return "ok" if persona in allowed else 403


@pytest.mark.parametrize("where", ["here", "elsewhere"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_action_page(client, request, world, persona, where):
    _login(client, request, persona)
    point = world[where]["point"]
    sees = READERS if where == "here" else ELSEWHERE
    updates = OWNERS if where == "here" else ELSEWHERE
    url = reverse("meetings:action", args=[point.pk])

    page = client.get(url)
    _answer(page, _expected(persona, sees, sees), f"{persona} GET {url}")
    if page.status_code == 200:
        # The update form only for those who may update it.
        assert (b'name="status"' in page.content) == (persona in updates), persona
        assert world[where]["decision"].title.encode() in page.content
    data = {"status": "done", "note": "Sent to everyone."}
    _post(client, url, data, _expected(persona, updates, sees), f"{persona} POST {url}")


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
@pytest.mark.parametrize("where", ["here", "elsewhere"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_implementation_page_and_its_exports(client, request, world, persona, where, fmt):
    _login(client, request, persona)
    network = world[where]["decision"].network
    sees = READERS if where == "here" else ELSEWHERE
    url = reverse("decisions:implementation", args=[network.slug])
    response = client.get(url, {"format": fmt} if fmt else {})
    _answer(response, _expected(persona, sees, sees), f"{persona} GET {url} {fmt}")
    if response.status_code != 200:
        return
    other = "elsewhere" if where == "here" else "here"
    if fmt == "":
        assert [p.pk for p in response.context["rows"]] == [world[where]["point"].pk]
    elif fmt == "csv":
        body = response.content.decode()
        assert world[where]["point"].description in body
        assert world[other]["point"].description not in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_implementation_page_of_an_unknown_network_is_a_404(client, request, persona):
    _login(client, request, persona)
    response = client.get(reverse("decisions:implementation", args=["nowhere"]))
    _answer(response, L if persona == "anonymous" else 404, persona)


@pytest.mark.parametrize("where", ["here", "elsewhere"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_an_action_to_a_decision(client, request, world, persona, where):
    _login(client, request, persona)
    decision = world[where]["decision"]
    sees = READERS if where == "here" else ELSEWHERE
    manages = MANAGERS if where == "here" else ELSEWHERE
    url = reverse("decisions:action_new", args=[decision.pk])
    get = client.get(url)
    assert get.status_code == (302 if persona == "anonymous" else 405), persona
    data = {
        "description": "Translate the study",
        "owner": world[where]["owner"].pk,
        "due": "2031-01-15",
    }
    _post(client, url, data, _expected(persona, manages, sees), f"{persona} POST {url}")


def test_an_action_cannot_go_to_an_agency_of_another_network(client, world, secretariat):
    """The owner is chosen among the decision's network's members: the form
    refuses another network's agency, and nothing is added."""
    client.force_login(secretariat)
    before = _snapshot()
    response = client.post(
        reverse("decisions:action_new", args=[world["here"]["decision"].pk]),
        {"description": "Translate the study", "owner": world["elsewhere"]["owner"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize("where", ["here", "elsewhere"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_carrying_a_decision_out(client, request, world, persona, where):
    _login(client, request, persona)
    decision = world[where]["decision"]
    sees = READERS if where == "here" else ELSEWHERE
    manages = MANAGERS if where == "here" else ELSEWHERE
    url = reverse("decisions:carry_out", args=[decision.pk, "establish-task-team"])
    get = client.get(url)
    assert get.status_code == (302 if persona == "anonymous" else 405), persona
    _post(client, url, {}, _expected(persona, manages, sees), f"{persona} POST {url}")
    unknown = reverse("decisions:carry_out", args=[decision.pk, "nonsense"])
    _answer(client.post(unknown), L if persona == "anonymous" else 404, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_panel_shows_an_agency_its_own_actions_only(client, request, world, persona):
    """B's focal point sees B's action; nobody sees it as theirs who does not
    speak for B, and the other network's action is nobody's here."""
    _login(client, request, persona)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Circulate the study (here)" in html and "panel-my-actions" in html) == (
        persona == "focal_b"
    ), persona
    assert "Circulate the study (elsewhere)" not in html, persona


def test_a_focal_point_of_the_owner_for_another_network_does_not_update_it(
    client, world, agency_b, other_network
):
    """B's focal point for another network speaks for B there, not here."""
    user = f.UserFactory(email="elsewhere@agency-b.example.org")
    f.PersonFactory(
        organization=agency_b,
        level=PersonLevel.FOCAL_POINT,
        user=user,
        email=user.email,
        network=other_network,
    )
    f.MembershipFactory(network=other_network, organization=agency_b)
    client.force_login(user)
    point = world["here"]["point"]
    url = reverse("meetings:action", args=[point.pk])
    before = _snapshot()
    response = client.post(url, {"status": "done", "note": "x"})
    assert response.status_code in (403, 404)
    assert _snapshot() == before


@pytest.mark.parametrize("where", ["here", "elsewhere"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_decision_record_with_its_actions(client, request, world, persona, where, monkeypatch):
    """The record's PDF lists the decision's actions to whoever reads the
    decision (not public here: the public gets a 404, no sign-in page)."""
    from meetings import pdf

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: html.encode())
    _login(client, request, persona)
    decision = world[where]["decision"]
    sees = READERS if where == "here" else ELSEWHERE
    response = client.get(reverse("decisions:pdf", args=[decision.pk]))
    assert response.status_code == (200 if persona in sees else 404), persona
    if response.status_code == 200:
        assert world[where]["point"].description.encode() in response.content
