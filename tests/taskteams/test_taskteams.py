"""Task teams and working groups: who may do what (the whole matrix), the
status transitions, refused input, membership by the co-chairs, the terms of
reference download, query budgets, and the review reminder.

Personas (columns of the matrices):

- anon: not signed in
- outsider: signed in, no role anywhere
- other_sec: secretariat of another network only
- other_agency: focal point of agency C, a member of the network but not of the team
- member: focal point of agency B, a member organization of the team
- cochair: focal point of agency A, which co-chairs the team
- sec: secretariat of the team's network
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from config.celery import app
from core.errors import DomainError
from members.models import Organization, Person, PersonLevel
from notifications.models import OutboundEmail
from taskteams import services, tasks
from taskteams.models import TaskTeam, TaskTeamKind, TaskTeamStatus
from tests import factories as f
from workplans.models import Activity, ActivityStatus, Objective, Workplan

pytestmark = pytest.mark.django_db

ROLES = ("anon", "outsider", "other_sec", "other_agency", "member", "cochair", "sec")
L = "login"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# One row per page; the columns follow ROLES. 404: may not see the team (or
# the network's teams) at all; 403: may see it, may not do this.
# fmt: off
MATRIX = [
    #                           anon outsider other_sec other_agency member cochair sec
    ("taskteams:list",         (L,   404,     404,      200,         200,   200,    200)),
    ("taskteams:detail",       (L,   404,     404,      200,         200,   200,    200)),
    ("taskteams:tor_document", (L,   404,     404,      200,         200,   200,    200)),
    ("taskteams:create",       (L,   404,     404,      403,         403,   403,    200)),
    ("taskteams:edit",         (L,   404,     404,      403,         403,   403,    200)),
    ("taskteams:membership",   (L,   404,     404,      403,         403,   200,    200)),
]
# POST-only: the status buttons. 302 means it was done.
POST_MATRIX = [
    ("taskteams:activate",     (L,   404,     404,      403,         403,   403,    302)),
    ("taskteams:close",        (L,   404,     404,      403,         403,   403,    302)),
]
# fmt: on


@pytest.fixture
def world(network, other_network, agency_a, agency_b):
    """An active team of `network` co-chaired by A, with B as a member."""
    users = {
        "outsider": f.UserFactory(),
        "sec": f.UserFactory(email="secretariat@example.org"),
        "other_sec": f.UserFactory(),
    }
    f.grant(users["sec"], Role.SECRETARIAT, network)
    f.grant(users["other_sec"], Role.SECRETARIAT, other_network)
    agency_c = f.OrganizationFactory(acronym="CCC", slug="ccc")
    f.MembershipFactory(network=network, organization=agency_c)
    people = {}

    def person(org, key):
        users[key] = f.UserFactory()
        people[key] = f.PersonFactory(
            organization=org, level=PersonLevel.FOCAL_POINT, user=users[key], email=users[key].email
        )

    person(agency_a, "cochair")
    person(agency_b, "member")
    person(agency_c, "other_agency")
    team = TaskTeam.objects.create(
        network=network,
        name="Task Team on Migration Data",
        slug="migration-data",
        focus="Regional migration data.",
        status=TaskTeamStatus.ACTIVE,
        established=date(2021, 6, 15),
        next_review=date(2030, 6, 30),
    )
    team.co_chairs.add(agency_a)
    team.member_organizations.add(agency_a, agency_b)
    team.members.add(people["member"])
    team.tor_document.save("tor.pdf", ContentFile(PDF), save=True)
    return SimpleNamespace(
        users=users,
        people=people,
        team=team,
        network=network,
        a=agency_a,
        b=agency_b,
        c=agency_c,
    )


def _url(name, w, team=None):
    team = team or w.team
    if name in ("taskteams:list", "taskteams:create"):
        return reverse(name, args=[w.network.slug])
    return reverse(name, args=[team.network.slug, team.slug])


def _cases(matrix):
    for name, cells in matrix:
        assert len(cells) == len(ROLES)
        for role, expected in zip(ROLES, cells, strict=True):
            yield pytest.param(name, role, expected, id=f"{name}-{role}")


def _login(client, w, role):
    if role != "anon":
        client.force_login(w.users[role])


def _snapshot(team):
    team.refresh_from_db()
    return (
        team.name,
        team.status,
        team.established,
        team.end_date,
        team.next_review,
        sorted(team.co_chairs.values_list("acronym", flat=True)),
        sorted(team.member_organizations.values_list("acronym", flat=True)),
        sorted(team.members.values_list("pk", flat=True)),
        team.history.count(),
    )


# --- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(MATRIX)))
def test_matrix(client, world, name, role, expected):
    """Each page answers each persona as the table says."""
    _login(client, world, role)
    response = client.get(_url(name, world))
    if expected == L:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "role", "expected"), list(_cases(POST_MATRIX)))
def test_status_buttons_matrix(client, world, name, role, expected):
    """Only the secretariat activates and closes; a refusal changes nothing."""
    team = world.team
    if name == "taskteams:activate":
        TaskTeam.objects.filter(pk=team.pk).update(status=TaskTeamStatus.PROPOSED)
    before = _snapshot(team)
    _login(client, world, role)
    response = client.post(_url(name, world))
    if expected == L:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
    if expected == 302 and role == "sec":
        assert _snapshot(team)[1] == ("active" if name == "taskteams:activate" else "closed")
    else:
        assert _snapshot(team) == before


def test_every_task_team_page_is_in_a_matrix():
    """A new page must get a row (or a reason to stay out)."""
    from django.urls import get_resolver

    names = {
        f"taskteams:{n}"
        for n in get_resolver().namespace_dict["taskteams"][1].reverse_dict
        if isinstance(n, str)
    }
    assert len(names) >= 8
    covered = {row[0] for row in MATRIX + POST_MATRIX}
    assert names - covered == {"taskteams:index"}  # a redirect, tested below


def test_the_navbar_link_opens_the_current_networks_teams(client, world):
    client.force_login(world.users["member"])
    response = client.get(reverse("taskteams:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("taskteams:list", args=[world.network.slug])
    assert "Task Team on Migration Data" in response.content.decode()
    assert 'href="/task-teams/"' in response.content.decode()


def test_the_navbar_link_falls_back_to_a_network_the_user_reads(client, world, other_network):
    """The switcher on a network whose teams the user may not read: the
    link opens the one they may (their only one); with none at all, a 404."""
    client.force_login(world.users["other_sec"])
    session = client.session
    session["current_network_id"] = world.network.pk
    session.save()
    response = client.get(reverse("taskteams:index"))
    assert response["Location"] == reverse("taskteams:list", args=[other_network.slug])
    client.force_login(world.users["outsider"])
    assert client.get(reverse("taskteams:index")).status_code == 404


def test_the_navbar_link_lists_all_my_networks_when_the_header_is_not_mine(
    client, world, other_network
):
    """Reading several networks' teams with the header on none of them: the
    teams of all of them, said so, each with its network."""
    client.force_login(world.users["sec"])
    response = client.get(reverse("taskteams:index") + "?all=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "data-network-scope" in page and "All my networks" in page
    assert world.team.name in page
    assert response.context["network"] is None


@pytest.mark.parametrize("role", ["outsider", "other_sec", "other_agency", "member", "cochair"])
def test_it_refuses_editing_by_post_and_changes_nothing(client, world, role):
    """Only the secretariat edits a team: everyone else's POST is refused."""
    before = _snapshot(world.team)
    _login(client, world, role)
    response = client.post(
        _url("taskteams:edit", world),
        {"kind": "task_team", "name": "Hijacked", "slug": "hijacked", "focus": "x"},
    )
    assert response.status_code in (403, 404)
    assert _snapshot(world.team) == before


@pytest.mark.parametrize("role", ["outsider", "other_sec", "other_agency", "member"])
def test_it_refuses_membership_changes_and_changes_nothing(client, world, role):
    """Only the co-chairs' focal points and the secretariat change the membership."""
    before = _snapshot(world.team)
    _login(client, world, role)
    url = _url("taskteams:membership", world)
    for data in (
        {"add_organization": "1", "organization": world.c.pk},
        {"remove_organization": world.b.pk},
        {"remove_person": world.people["member"].pk},
    ):
        assert client.post(url, data).status_code in (403, 404)
    assert _snapshot(world.team) == before


def test_it_refuses_creating_in_another_network(client, world, other_network):
    """The secretariat of one network cannot set up a team in another."""
    client.force_login(world.users["sec"])
    response = client.post(
        reverse("taskteams:create", args=[other_network.slug]),
        {"kind": "task_team", "name": "Elsewhere", "slug": "elsewhere", "focus": "x"},
    )
    assert response.status_code == 404
    assert not TaskTeam.objects.filter(slug="elsewhere").exists()


def test_a_person_named_on_the_team_reads_it_from_outside_the_network(client, world):
    """A partner from outside the network, named on the team, reads the team
    (not the network's list)."""
    partner = f.OrganizationFactory(acronym="PRT", slug="prt")
    user = f.UserFactory()
    person = f.PersonFactory(organization=partner, user=user, email=user.email)
    world.team.member_organizations.add(partner)
    world.team.members.add(person)
    client.force_login(user)
    assert client.get(world.team.get_absolute_url()).status_code == 200
    assert client.get(_url("taskteams:list", world)).status_code == 404


def test_a_co_chair_focal_point_scoped_to_another_network_does_not_manage(client, world):
    """An agency's contact for another network does not speak for it here."""
    user = f.UserFactory()
    f.PersonFactory(
        organization=world.a,
        network=f.NetworkFactory(),
        level=PersonLevel.FOCAL_POINT,
        user=user,
        email=user.email,
    )
    client.force_login(user)
    assert client.get(_url("taskteams:membership", world)).status_code in (403, 404)


# --- creating and editing: refused input is shown and kept --------------------------------


def _form(**overrides):
    data = {
        "kind": TaskTeamKind.WORKING_GROUP,
        "name": "Working Group on Climate Mobility",
        "slug": "climate-mobility",
        "focus": "Mobility in the context of climate change.",
        "terms_of_reference": "1. Purpose.",
        "established": "2026-03-01",
        "establishing_decision": "Regional Network meeting of 1 March 2026",
        "end_date": "",
        "next_review": "2030-07-31",
    }
    data.update(overrides)
    return data


def test_the_secretariat_sets_up_a_team_with_its_co_chairs_and_terms_of_reference(client, world):
    """Co-chairs become members; the team starts as proposed; history names the
    user; the document is stored under a name the server makes, the sender's
    kept beside it for the download."""
    client.force_login(world.users["sec"])
    tor = SimpleUploadedFile("ToR climate mobility.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _url("taskteams:create", world),
        _form(co_chairs=[world.a.pk], member_organizations=[world.b.pk], tor_document=tor),
    )
    team = TaskTeam.objects.get(slug="climate-mobility")
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert team.status == TaskTeamStatus.PROPOSED
    assert team.network == world.network
    assert set(team.co_chairs.values_list("acronym", flat=True)) == {"AAA"}
    assert set(team.member_organizations.values_list("acronym", flat=True)) == {"AAA", "BBB"}
    assert team.tor_document.read() == PDF
    stored = team.tor_document.name
    assert stored.startswith(f"taskteams/{world.network.pk}/") and stored.endswith(".pdf")
    assert "ToR" not in stored and "climate" not in stored
    assert team.tor_document_name == "ToR climate mobility.pdf"
    first = team.history.order_by("history_date").first()
    assert first.history_user == world.users["sec"]
    assert first.history_change_reason == "taskteam.create"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"established": "2026-03-01", "end_date": "2025-12-31"},
            "end_date",
            "A task team cannot end before it is established.",
        ),
        (
            {"next_review": "2020-01-01"},
            "next_review",
            "The next review cannot come before the team is established.",
        ),
        ({"co_chairs": ["999999"]}, "co_chairs", "Select a valid choice."),
        ({"member_organizations": ["999999"]}, "member_organizations", "Select a valid choice."),
        (
            {"slug": "migration-data"},
            "slug",
            "Another task team of this network already uses the slug",
        ),
        ({"slug": "new"}, "slug", "is reserved"),
    ],
    ids=[
        "end-before-establishment",
        "review-before",
        "unknown-co-chair",
        "unknown-member",
        "slug-clash",
        "reserved-slug",
    ],
)
def test_bad_input_is_refused_and_kept(client, world, overrides, field, message):
    """The form comes back with the error on its field and what was typed; nothing is saved."""
    client.force_login(world.users["sec"])
    count = TaskTeam.objects.count()
    response = client.post(_url("taskteams:create", world), _form(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(str(e) for e in form.errors[field])
    assert 'value="Working Group on Climate Mobility"' in response.content.decode()
    assert TaskTeam.objects.count() == count


def test_the_same_slug_in_another_network_is_fine(client, world, other_network):
    f.grant(world.users["sec"], Role.SECRETARIAT, other_network)
    client.force_login(world.users["sec"])
    response = client.post(
        reverse("taskteams:create", args=[other_network.slug]), _form(slug="migration-data")
    )
    assert response.status_code == 302
    assert TaskTeam.objects.filter(slug="migration-data").count() == 2


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00 not a pdf", b"<html><script>alert(1)</script></html>"]
)
def test_a_renamed_executable_or_page_is_not_a_terms_of_reference_document(
    client, settings, world, content
):
    """A file whose bytes are not the PDF its name says is refused on the
    form, and neither a team nor a file is stored."""
    client.force_login(world.users["sec"])
    stored_before = sorted((settings.MEDIA_ROOT / "taskteams").rglob("*"))
    fake = SimpleUploadedFile("tor.pdf", content, content_type="application/pdf")
    response = client.post(_url("taskteams:create", world), _form(tor_document=fake))
    assert response.status_code == 200
    assert "is not really a PDF file" in str(response.context["form"].errors["tor_document"])
    assert not TaskTeam.objects.filter(slug="climate-mobility").exists()
    assert sorted((settings.MEDIA_ROOT / "taskteams").rglob("*")) == stored_before


def test_editing_keeps_the_document_and_drops_people_whose_agency_left(client, world):
    """Taking agency B off the team on the form takes its people off too."""
    client.force_login(world.users["sec"])
    response = client.post(
        _url("taskteams:edit", world),
        _form(
            name="Task Team on Migration Data",
            slug="migration-data",
            established="2021-06-15",
            co_chairs=[world.a.pk],
            member_organizations=[world.a.pk],
        ),
    )
    assert response.status_code == 302
    team = world.team
    team.refresh_from_db()
    assert list(team.member_organizations.values_list("acronym", flat=True)) == ["AAA"]
    assert team.members.count() == 0
    assert team.tor_document.read() == PDF
    assert team.tor_document_name == "tor.pdf"


def test_a_closed_team_can_no_longer_be_edited(world):
    services.taskteam_transition(team=world.team, to=TaskTeamStatus.CLOSED)
    world.team.name = "Renamed"
    with pytest.raises(DomainError, match="closed task team can no longer be edited"):
        services.taskteam_save(team=world.team, co_chairs=[world.a], member_organizations=[])
    world.team.refresh_from_db()
    assert world.team.name == "Task Team on Migration Data"


# --- transitions ------------------------------------------------------------------------------


def test_proposed_becomes_active_and_is_dated_today(world):
    TaskTeam.objects.filter(pk=world.team.pk).update(
        status=TaskTeamStatus.PROPOSED, established=None
    )
    world.team.refresh_from_db()
    services.taskteam_transition(
        team=world.team, to=TaskTeamStatus.ACTIVE, by=world.users["sec"], today=date(2026, 5, 4)
    )
    world.team.refresh_from_db()
    assert world.team.status == TaskTeamStatus.ACTIVE
    assert world.team.established == date(2026, 5, 4)
    record = world.team.history.order_by("-history_date").first()
    assert (record.history_user, record.history_change_reason) == (
        world.users["sec"],
        "taskteam.activate",
    )


def test_closing_ends_an_open_ended_team_today_and_keeps_an_earlier_end(world):
    services.taskteam_transition(team=world.team, to=TaskTeamStatus.CLOSED, today=date(2026, 5, 4))
    assert world.team.end_date == date(2026, 5, 4)
    other = TaskTeam.objects.create(
        network=world.network,
        name="Time-bound",
        slug="time-bound",
        focus="x",
        status=TaskTeamStatus.ACTIVE,
        established=date(2020, 4, 20),
        end_date=date(2021, 12, 31),
    )
    services.taskteam_transition(team=other, to=TaskTeamStatus.CLOSED, today=date(2026, 5, 4))
    other.refresh_from_db()
    assert (other.status, other.end_date) == (TaskTeamStatus.CLOSED, date(2021, 12, 31))


def test_a_proposal_can_be_closed_without_ever_being_active(world):
    TaskTeam.objects.filter(pk=world.team.pk).update(status=TaskTeamStatus.PROPOSED)
    world.team.refresh_from_db()
    services.taskteam_transition(team=world.team, to=TaskTeamStatus.CLOSED)
    assert world.team.status == TaskTeamStatus.CLOSED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (TaskTeamStatus.ACTIVE, TaskTeamStatus.ACTIVE),
        (TaskTeamStatus.ACTIVE, TaskTeamStatus.PROPOSED),
        (TaskTeamStatus.CLOSED, TaskTeamStatus.ACTIVE),
        (TaskTeamStatus.CLOSED, TaskTeamStatus.CLOSED),
        (TaskTeamStatus.CLOSED, TaskTeamStatus.PROPOSED),
    ],
)
def test_other_transitions_are_refused_and_change_nothing(world, start, to):
    TaskTeam.objects.filter(pk=world.team.pk).update(status=start)
    before = _snapshot(world.team)
    with pytest.raises(DomainError, match="cannot become"):
        services.taskteam_transition(team=world.team, to=to)
    assert _snapshot(world.team) == before


def test_the_close_button_on_a_closed_team_says_why_and_changes_nothing(client, world):
    TaskTeam.objects.filter(pk=world.team.pk).update(status=TaskTeamStatus.CLOSED)
    before = _snapshot(world.team)
    client.force_login(world.users["sec"])
    response = client.post(_url("taskteams:activate", world), follow=True)
    assert "A task team that is closed cannot become active." in response.content.decode()
    assert _snapshot(world.team) == before


# --- membership by the co-chairs --------------------------------------------------------------


def test_a_co_chair_adds_an_agency_and_its_person_then_removes_them(client, world):
    client.force_login(world.users["cochair"])
    url = _url("taskteams:membership", world)
    response = client.post(url, {"add_organization": "1", "organization": world.c.pk})
    assert response.status_code == 302
    carol = world.people["other_agency"]
    response = client.post(url, {"add_person": "1", "person": carol.pk})
    assert response.status_code == 302
    team = world.team
    assert team.member_organizations.filter(pk=world.c.pk).exists()
    assert team.members.filter(pk=carol.pk).exists()
    latest = team.history.order_by("-history_date").first()
    assert latest.history_user == world.users["cochair"]
    assert latest.history_change_reason == f"taskteam.person.add {carol.pk}"

    assert client.post(url, {"remove_person": carol.pk}).status_code == 302
    assert not team.members.filter(pk=carol.pk).exists()
    assert client.post(url, {"remove_organization": world.c.pk}).status_code == 302
    assert not team.member_organizations.filter(pk=world.c.pk).exists()


def test_the_secretariat_reads_who_changed_the_membership(client, world):
    """The team's history names the co-chair, the agencies and the person."""
    client.force_login(world.users["cochair"])
    url = _url("taskteams:membership", world)
    client.post(url, {"add_organization": "1", "organization": world.c.pk})
    client.post(url, {"add_person": "1", "person": world.people["other_agency"].pk})
    client.force_login(world.users["sec"])
    history = client.get(world.team.get_absolute_url()).context["history"]
    assert [c.who for c in history[:2]] == [str(world.users["cochair"])] * 2
    assert history[0].kind == f"added {world.people['other_agency'].name}"
    assert history[1].kind == "added an organization"
    assert history[1].fields == [("member organizations", "AAA, BBB", "AAA, BBB, CCC")]
    # Members of the team do not see the history.
    client.force_login(world.users["member"])
    assert client.get(world.team.get_absolute_url()).context["history"] is None


def test_removing_an_agency_removes_its_people(client, world):
    client.force_login(world.users["cochair"])
    response = client.post(
        _url("taskteams:membership", world), {"remove_organization": world.b.pk}, follow=True
    )
    assert "BBB left the team. So did its people" in response.content.decode()
    assert world.team.members.count() == 0


def test_a_co_chair_cannot_remove_a_co_chair(client, world):
    before = _snapshot(world.team)
    client.force_login(world.users["cochair"])
    response = client.post(_url("taskteams:membership", world), {"remove_organization": world.a.pk})
    assert response.status_code == 200
    assert "co-chairs the team" in response.content.decode()
    assert _snapshot(world.team) == before


def test_only_people_of_member_agencies_can_be_added(client, world):
    """Agency C is not on the team: its focal point is refused, and kept out."""
    before = _snapshot(world.team)
    client.force_login(world.users["cochair"])
    response = client.post(
        _url("taskteams:membership", world),
        {"add_person": "1", "person": world.people["other_agency"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["person_form"].errors["person"])
    assert _snapshot(world.team) == before
    with pytest.raises(DomainError, match="not a current contact of a member agency"):
        services.taskteam_add_person(team=world.team, person=world.people["other_agency"])
    assert _snapshot(world.team) == before


def test_unknown_organization_is_refused(client, world):
    before = _snapshot(world.team)
    client.force_login(world.users["cochair"])
    url = _url("taskteams:membership", world)
    response = client.post(url, {"add_organization": "1", "organization": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["org_form"].errors["organization"])
    assert client.post(url, {"remove_organization": "999999"}).status_code == 404
    assert client.post(url, {"remove_organization": "abc"}).status_code == 404
    assert _snapshot(world.team) == before


def test_the_composition_of_a_closed_team_is_frozen(client, world):
    TaskTeam.objects.filter(pk=world.team.pk).update(status=TaskTeamStatus.CLOSED)
    before = _snapshot(world.team)
    client.force_login(world.users["cochair"])
    response = client.post(
        _url("taskteams:membership", world), {"add_organization": "1", "organization": world.c.pk}
    )
    assert "its composition can no longer change" in response.content.decode()
    assert _snapshot(world.team) == before


# --- the terms of reference ------------------------------------------------------------------


def test_the_terms_of_reference_download_from_the_page_not_from_media(client, world):
    client.force_login(world.users["other_agency"])
    page = client.get(world.team.get_absolute_url()).content.decode()
    url = _url("taskteams:tor_document", world)
    assert f'href="{url}"' in page
    assert "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    # Under the name it was sent with (stored under another), never sniffed.
    assert "tor" not in world.team.tor_document.name.rsplit("/", 1)[-1]
    assert response["Content-Disposition"] == 'attachment; filename="tor.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_no_document_is_a_404(client, world):
    TaskTeam.objects.filter(pk=world.team.pk).update(tor_document="")
    client.force_login(world.users["sec"])
    assert client.get(_url("taskteams:tor_document", world)).status_code == 404


# --- the list and its filters ---------------------------------------------------------------


def test_the_list_filters_by_status_kind_and_organization(client, world):
    closed = TaskTeam.objects.create(
        network=world.network,
        kind=TaskTeamKind.WORKING_GROUP,
        name="Working Group on COVID-19",
        slug="covid-19",
        focus="x",
        status=TaskTeamStatus.CLOSED,
    )
    closed.co_chairs.add(world.c)
    closed.member_organizations.add(world.c)
    client.force_login(world.users["member"])
    url = _url("taskteams:list", world)

    def names(**params):
        return {t.name for t in client.get(url, params).context["page"]}

    assert names() == {"Task Team on Migration Data", "Working Group on COVID-19"}
    assert names(status="closed") == {"Working Group on COVID-19"}
    assert names(kind="task_team") == {"Task Team on Migration Data"}
    assert names(organization=world.b.pk) == {"Task Team on Migration Data"}
    assert names(organization=world.c.pk) == {"Working Group on COVID-19"}


# --- query budgets ---------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow_teams(world, n):
    start = TaskTeam.objects.count()
    teams = TaskTeam.objects.bulk_create(
        TaskTeam(
            network=world.network, name=f"Team {start + i}", slug=f"team-{start + i}", focus="x"
        )
        for i in range(n)
    )
    TaskTeam.co_chairs.through.objects.bulk_create(
        TaskTeam.co_chairs.through(taskteam=t, organization=world.a) for t in teams
    )
    TaskTeam.member_organizations.through.objects.bulk_create(
        TaskTeam.member_organizations.through(taskteam=t, organization=o)
        for t in teams
        for o in (world.a, world.b)
    )


@pytest.mark.parametrize("role", ["member", "sec"])
def test_the_list_keeps_its_budget_with_10_or_500_teams(client, world, role):
    client.force_login(world.users[role])
    url = _url("taskteams:list", world)
    _grow_teams(world, 9)
    small = _count(client, url)
    _grow_teams(world, 490)
    assert len(client.get(url).context["page"]) == 50  # core.views_helpers.paginate
    large = _count(client, url)
    # 1 session, 2 user, 3 role grants, 4 person records; for a focal point
    # also 5 chair terms, 6 coordinated networks (members.roles.build_actor);
    # the network (by slug); for a focal point, the networks where the
    # agency is a member (members.permissions.member_network_ids); the page:
    # the count, the teams with their three counts (subqueries), their
    # co-chairs (one prefetch); the filter's organizations; the frame: the
    # current network, the switcher's networks.
    assert large == small == {"member": 14, "sec": 11}[role]


def _grow_activities_and_members(world, n):
    workplan = Workplan.objects.create(
        network=world.network, title=f"Plan {n}", start_year=2025, end_year=2026
    )
    objective = Objective.objects.create(workplan=workplan, code="1", title="Objective")
    activities = Activity.objects.bulk_create(
        Activity(
            objective=objective,
            code=f"1.{i}",
            title=f"Activity {i}",
            task_team=world.team,
            start=date(2025, 1, 1),
            end=date(2026, 12, 31),
            percent_complete=i % 101,
            status=ActivityStatus.ON_TRACK,
        )
        for i in range(n)
    )
    orgs = Organization.objects.bulk_create(
        Organization(acronym=f"X{n}-{i}", name=f"Agency {n}-{i}", slug=f"x{n}-{i}")
        for i in range(n)
    )
    Activity.lead_organizations.through.objects.bulk_create(
        Activity.lead_organizations.through(activity=a, organization=o)
        for a, o in zip(activities, orgs, strict=True)
    )
    Activity.partner_organizations.through.objects.bulk_create(
        Activity.partner_organizations.through(activity=a, organization=world.b) for a in activities
    )
    people = Person.objects.bulk_create(
        Person(
            organization=o, name=f"Person {o.acronym}", level="focal_point", email=f"{o.slug}@x.org"
        )
        for o in orgs
    )
    world.team.member_organizations.add(*orgs)
    world.team.members.add(*people)


@pytest.mark.parametrize("role", ["member", "sec"])
def test_the_team_page_keeps_its_budget_with_10_or_500_activities_and_members(client, world, role):
    client.force_login(world.users[role])
    url = world.team.get_absolute_url()
    _grow_activities_and_members(world, 10)
    small = _count(client, url)
    _grow_activities_and_members(world, 490)
    page = client.get(url).content.decode()
    assert page.count('class="progress-bar') == 500
    large = _count(client, url)
    # 1 session, 2 user, 3 role grants, 4 person records; for a focal point
    # also the chair terms, the coordinated networks and the networks where
    # the agency is a member (visible_task_teams). Then: the team, its
    # co-chairs (prefetched: the permission checks read them), its member
    # organizations, its people (with their agency), its activities (with
    # objective and workplan), their leads, their partners. For the
    # secretariat, the history: its records, the co-chair and member
    # snapshots, the agencies they name (selectors.team_history). The frame:
    # the current network, the switcher's networks. And the team's meetings.
    assert large == small == {"member": 17, "sec": 18}[role]


# --- review reminders -------------------------------------------------------------------------


@pytest.fixture
def due(world, settings):
    """The team's review in ten days; reminders go 30 days ahead."""
    settings.TASKTEAM_REVIEW_REMINDER_DAYS = 30
    settings.SITE_URL = "https://secretariat.example.org"
    today = timezone.localdate()
    TaskTeam.objects.filter(pk=world.team.pk).update(next_review=today + timedelta(days=10))
    world.team.refresh_from_db()
    return today


def _run(today: date) -> int:
    return tasks.send_review_reminders.apply(args=[today.isoformat()]).get()


def test_the_secretariat_is_reminded_once_however_often_the_task_runs(
    world, due, django_capture_on_commit_callbacks
):
    """Co-chairs and members are not written to; the secretariat is, once."""
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(due) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(due) == 0
        assert _run(due + timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [["secretariat@example.org"]]
    message = mail.outbox[0]
    assert message.subject.startswith("GTN: review of Task Team on Migration Data due on ")
    assert "is due for review on" in message.body and "in 10 days" in message.body
    assert "https://secretariat.example.org/networks/gtn/task-teams/migration-data/" in message.body
    assert "&quot;" not in message.body and "&#x27;" not in message.body


def test_a_moved_review_is_reminded_again(world, due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run(due)
    TaskTeam.objects.filter(pk=world.team.pk).update(next_review=due + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(due) == 1
    assert len(mail.outbox) == 2
    keys = sorted(OutboundEmail.objects.values_list("dedupe_key", flat=True))
    assert [k.split(":")[3] for k in keys] == sorted(
        [(due + timedelta(days=10)).isoformat(), (due + timedelta(days=20)).isoformat()]
    )


@pytest.mark.parametrize("status", [TaskTeamStatus.CLOSED, TaskTeamStatus.PROPOSED])
def test_a_team_that_is_not_active_is_not_reminded(world, due, status):
    TaskTeam.objects.filter(pk=world.team.pk).update(status=status)
    assert _run(due) == 0
    assert not OutboundEmail.objects.exists()


def test_a_review_further_away_than_the_setting_waits(world, due, settings):
    TaskTeam.objects.filter(pk=world.team.pk).update(next_review=due + timedelta(days=31))
    assert _run(due) == 0
    settings.TASKTEAM_REVIEW_REMINDER_DAYS = 31
    assert _run(due) == 1


def test_a_review_long_past_is_not_chased(world, due):
    TaskTeam.objects.filter(pk=world.team.pk).update(
        next_review=due - timedelta(days=services.REVIEW_LOOKBACK_DAYS + 1)
    )
    assert _run(due) == 0


def test_the_command_does_what_the_task_does(world, due, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_taskteam_reminders", today=due.isoformat(), stdout=out)
        call_command("send_taskteam_reminders", today=due.isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        "reviews: 1 reminder(s) queued",
        "reviews: 0 reminder(s) queued",
    ]
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_malformed_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_taskteam_reminders", today="1 April")


def test_the_job_is_on_beat_daily_and_registered():
    entry = django_settings.CELERY_BEAT_SCHEDULE["reminders-taskteam-reviews"]
    assert entry["task"] == "taskteams.tasks.send_review_reminders"
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == set(range(1, 32)) and len(schedule.hour) == 1
    assert django_settings.TASKTEAM_REVIEW_REMINDER_DAYS >= 0


def test_uploads_and_downloads_work_on_a_storage_that_is_no_folder(client, world, settings):
    """With files in a store that has no local path (as an S3 bucket), the
    upload is kept and the members' download streams it: no code joins paths
    to a folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client.force_login(world.users["sec"])
    tor = SimpleUploadedFile("ToR in memory.pdf", PDF, content_type="application/pdf")
    client.post(
        _url("taskteams:create", world),
        _form(co_chairs=[world.a.pk], member_organizations=[world.b.pk], tor_document=tor),
    )
    team = TaskTeam.objects.get(slug="climate-mobility")
    from django.core.files.storage import storages

    assert type(storages["default"]).__name__ == "InMemoryStorage"
    response = client.get(reverse("taskteams:tor_document", args=[world.network.slug, team.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="ToR in memory.pdf"' in response["Content-Disposition"]
