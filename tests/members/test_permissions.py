"""Who may open and change what on the members side.

The matrix below is the whole answer in one place: every page of the app
against every role. The tests after it look at the cases that matter most
one by one (the wrong agency, the wrong network, the applicant's private
link) and check, for each refusal of a POST, that nothing changed.

Roles (columns of the matrix):

- anon: not signed in
- outsider: signed in, no role anywhere
- applicant: signed in, owns an application in `network` (submitted_by)
- focal_a / focal_b: focal points of agencies A and B, members of `network`
- principal_a: the head of agency A
- chair: focal point of agency A, which holds the current chair term of
  `network` (so focal_a and principal_a speak for the chairing agency too)
- sec: secretariat of `network`
- other_sec: secretariat of `other_network` only
- admin: a superuser

(In the matrix header: outs, appl, fc_a, fc_b, pr_a, chr, osec, adm.)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from members.models import (
    ApplicationDocument,
    ApplicationStatus,
    ChairTerm,
    CriterionAssessment,
    Membership,
    MembershipApplication,
    Organization,
    Person,
    PersonLevel,
    RotationPosition,
)
from notifications.models import OutboundEmail
from tests import factories as f

ROLES = (
    "anon",
    "outsider",
    "applicant",
    "focal_a",
    "focal_b",
    "principal_a",
    "chair",
    "sec",
    "other_sec",
    "admin",
)

# Cells of the matrix besides plain status codes.
LOGIN = "login"  # 302 to the sign-in page, with ?next= back to the page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's own sign-in page


L, A = LOGIN, ADMIN_LOGIN

# The whole matrix. One row per page (and method, where the page takes a
# POST that every role may send); the columns follow ROLES.
# 200: the page; 302: a redirect (after a POST, or away from sign-in);
# 403: may see the record but not do this; 404: may not see it at all;
# 405: the page refuses the method.
# fmt: off
MATRIX: list[tuple[str, str, tuple]] = [
    # row                            method  anon outs appl fc_a fc_b pr_a  chr  sec osec  adm
    ("home",                         "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("healthz",                      "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("login",                        "get",  (200, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("logout",                       "get",  (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("logout",                       "post", (302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("password_change",              "get",  (  L, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("password_change_done",         "get",  (  L, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("password_reset",               "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("password_reset_done",          "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("password_reset_confirm",       "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("password_reset_complete",      "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("session_keepalive",            "get",  (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("session_keepalive",            "post", (403, 204, 204, 204, 204, 204, 204, 204, 204, 204)),
    ("admin:index",                  "get",  (  A,   A,   A,   A,   A,   A,   A,   A,   A, 200)),
    ("members:directory",            "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:organization_create",  "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 200, 200)),
    ("members:organization_detail",  "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:organization_edit",    "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:person_create",        "get",  (  L, 404, 404, 200, 403, 403, 200, 200, 403, 200)),
    ("members:person_edit",          "get",  (  L, 404, 404, 200, 403, 403, 200, 200, 403, 200)),
    ("members:network_list",         "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:switch_network",       "get",  (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("members:switch_network",       "post", (302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("members:network_detail",       "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:network_edit",         "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:membership_create",    "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:chair_term_create",    "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:chair_plan",           "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:membership_edit",      "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:chair_term_edit",      "get",  (  L, 403, 403, 403, 403, 403, 403, 200, 403, 200)),
    ("members:chair_term_narrative", "get",  (  L, 403, 403, 200, 403, 200, 200, 200, 403, 200)),
    ("members:apply_start",          "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:apply_form",           "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:apply_check",          "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:apply_check",          "post", (405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    ("members:application_status",   "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:application_document_by_token",
                                     "get",  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("members:application_list",     "get",  (  L, 404, 404, 404, 404, 404, 404, 200, 200, 200)),
    ("members:application_detail",   "get",  (  L, 404, 404, 404, 404, 404, 404, 200, 404, 200)),
    ("members:application_document", "get",  (  L, 404, 404, 404, 404, 404, 404, 200, 404, 200)),
]
# fmt: on


def _url(row: str, w: SimpleNamespace) -> str:
    """The address of each row, on the records of the world below."""
    by_name = {
        "members:organization_detail": [w.agency_a.slug],
        "members:organization_edit": [w.agency_a.slug],
        "members:person_create": [w.agency_a.slug],
        "members:person_edit": [w.contact_a.pk],
        "members:network_detail": [w.network.slug],
        "members:network_edit": [w.network.slug],
        "members:membership_create": [w.network.slug],
        "members:chair_term_create": [w.network.slug],
        "members:chair_plan": [w.network.slug],
        "members:membership_edit": [w.membership_a.pk],
        "members:chair_term_edit": [w.term.pk],
        "members:chair_term_narrative": [w.term.pk],
        "members:apply_form": [w.network.slug],
        "members:apply_check": [w.network.slug],
        "members:application_status": [w.application.access_token],
        "members:application_document_by_token": [w.application.access_token, w.document.pk],
        "members:application_detail": [w.application.pk],
        "members:application_document": [w.application.pk, w.document.pk],
        "password_reset_confirm": ["MQ", "bad-token"],
    }
    return reverse(row, args=by_name.get(row, []))


def _post_data(row: str, w: SimpleNamespace) -> dict:
    if row == "members:switch_network":
        return {"network": w.other_network.pk, "next": "/"}
    return {}


def _cases():
    for row, method, cells in MATRIX:
        assert len(cells) == len(ROLES), row
        for role, cell in zip(ROLES, cells, strict=True):
            yield pytest.param(row, method, role, cell, id=f"{row}-{method}-{role}")


@pytest.fixture
def world(
    network,
    other_network,
    agency_a,
    agency_b,
    current_term,
    secretariat,
    admin_user,
    chair,
    focal_a,
    focal_b,
    principal_a,
    outsider,
):
    """Every persona and one record of each kind the pages need."""
    other_secretariat = f.UserFactory(email="secretariat@other.example.org")
    f.grant(other_secretariat, Role.SECRETARIAT, other_network)
    applicant = f.UserFactory(email="applicant@applicant.example.org")
    f.CriterionFactory(network=network, text="Works on migration")
    application = f.ApplicationFactory(
        network=network,
        submitted_by=applicant,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    document = ApplicationDocument.objects.create(
        application=application,
        title="mandate.pdf",
        file=ContentFile(b"%PDF-1.4 the mandate", name="mandate.pdf"),
    )
    other_application = f.ApplicationFactory(
        network=network, status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    other_document = ApplicationDocument.objects.create(
        application=other_application,
        title="other.pdf",
        file=ContentFile(b"%PDF-1.4 another applicant", name="other.pdf"),
    )
    contact_a = f.PersonFactory(
        organization=agency_a,
        level=PersonLevel.ALTERNATE,
        name="Alex Alternate",
        email="alex@agency-a.example.org",
    )
    return SimpleNamespace(
        network=network,
        other_network=other_network,
        agency_a=agency_a,
        agency_b=agency_b,
        term=current_term,
        membership_a=Membership.objects.get(network=network, organization=agency_a),
        contact_a=contact_a,
        application=application,
        document=document,
        other_application=other_application,
        other_document=other_document,
        users={
            "anon": None,
            "outsider": outsider,
            "applicant": applicant,
            "focal_a": focal_a,
            "focal_b": focal_b,
            "principal_a": principal_a,
            "chair": chair,
            "sec": secretariat,
            "other_sec": other_secretariat,
            "admin": admin_user,
        },
    )


def _sign_in(client, w: SimpleNamespace, role: str):
    user = w.users[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("row", "method", "role", "expected"), list(_cases()))
def test_it_answers_each_role_as_the_matrix_says(client, world, row, method, role, expected):
    """Each page gives each role the status of its cell in MATRIX; a 302 to
    sign in is checked to go to the right sign-in page and to come back."""
    client.raise_request_exception = False  # a 500 shows as a status, not a traceback
    _sign_in(client, world, role)
    url = _url(row, world)
    response = getattr(client, method)(url, _post_data(row, world))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('admin:login')}?next=")
    else:
        assert response.status_code == expected
    response.close()


def test_the_matrix_covers_every_page_of_the_app():
    """No page of members/urls.py, the accounts pages, home, healthz or the
    admin is missing from the matrix, so a new page must get a row."""
    from accounts.urls import urlpatterns as account_patterns
    from members.urls import urlpatterns as member_patterns

    names = {f"members:{p.name}" for p in member_patterns}
    names |= {p.name for p in account_patterns}
    names |= {"home", "healthz", "admin:index"}
    assert names == {row for row, _method, _cells in MATRIX}


# --- the wrong agency: contacts ----------------------------------------------------------


def _person_post(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "honorific": person.honorific,
        "position": person.position,
        "level": person.level,
        "email": person.email,
        "phone": person.phone,
        "network": person.network_id or "",
        "is_active": "on" if person.is_active else "",
    }
    data.update(changes)
    return data


def _snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_it_refuses_focal_point_of_other_agency_editing_a_contact(client, world):
    """focal_b may see agency A's contact but not change it: 403, and the
    record is as it was."""
    before = _snapshot(world.contact_a)
    client.force_login(world.users["focal_b"])
    url = reverse("members:person_edit", args=[world.contact_a.pk])

    assert client.get(url).status_code == 403
    response = client.post(url, _person_post(world.contact_a, name="Taken Over"))

    assert response.status_code == 403
    assert _snapshot(world.contact_a) == before


def test_it_refuses_focal_point_of_other_agency_adding_a_contact(client, world):
    """focal_b may not add a contact to agency A: 403, and no person is added."""
    count = Person.objects.count()
    client.force_login(world.users["focal_b"])
    response = client.post(
        reverse("members:person_create", args=[world.agency_a.slug]),
        {
            "name": "Planted",
            "level": PersonLevel.FOCAL_POINT,
            "email": "planted@example.org",
            "is_active": "on",
        },
    )

    assert response.status_code == 403
    assert Person.objects.count() == count


def test_it_refuses_principal_editing_a_contact(client, world):
    """Contacts are kept by the agency's focal points, not its principal: 403,
    and the record is as it was."""
    before = _snapshot(world.contact_a)
    client.force_login(world.users["principal_a"])
    response = client.post(
        reverse("members:person_edit", args=[world.contact_a.pk]),
        _person_post(world.contact_a, name="Renamed"),
    )

    assert response.status_code == 403
    assert _snapshot(world.contact_a) == before


def test_it_hides_contacts_from_outsider(client, world):
    """An outsider may not even see contacts: 404 on a POST, and nothing changed."""
    before = _snapshot(world.contact_a)
    client.force_login(world.users["outsider"])
    response = client.post(
        reverse("members:person_edit", args=[world.contact_a.pk]),
        _person_post(world.contact_a, name="Renamed"),
    )

    assert response.status_code == 404
    assert _snapshot(world.contact_a) == before


def test_it_sends_anonymous_to_sign_in_and_changes_nothing(client, world):
    """A POST from someone not signed in goes to the sign-in page and saves nothing."""
    before = _snapshot(world.contact_a)
    url = reverse("members:person_edit", args=[world.contact_a.pk])
    response = client.post(url, _person_post(world.contact_a, name="Renamed"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert _snapshot(world.contact_a) == before


@pytest.mark.parametrize("role", ["anon", "outsider", "applicant"])
def test_it_hides_contacts_on_the_organization_page(client, world, role):
    """The agency's page is public, its contacts are not: no name, no e-mail,
    no edit link for someone outside the network."""
    _sign_in(client, world, role)
    response = client.get(reverse("members:organization_detail", args=[world.agency_a.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert world.contact_a.email not in page
    assert world.contact_a.name not in page
    assert reverse("members:person_edit", args=[world.contact_a.pk]) not in page


@pytest.mark.parametrize("role", ["focal_b", "principal_a", "sec"])
def test_it_shares_contacts_inside_the_network(client, world, role):
    """Anyone who works inside the network sees an agency's contacts."""
    _sign_in(client, world, role)
    response = client.get(reverse("members:organization_detail", args=[world.agency_a.slug]))

    assert world.contact_a.email in response.content.decode()


def test_it_lets_focal_point_edit_own_agency_contact(client, world):
    """focal_a keeps agency A's contacts current: the form opens and the POST saves."""
    client.force_login(world.users["focal_a"])
    url = reverse("members:person_edit", args=[world.contact_a.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, _person_post(world.contact_a, position="Deputy Director"))

    assert response.status_code == 302
    assert response["Location"] == world.agency_a.get_absolute_url()
    world.contact_a.refresh_from_db()
    assert world.contact_a.position == "Deputy Director"


def test_it_lets_focal_point_add_a_contact_to_own_agency(client, world):
    """focal_a may add a contact to agency A."""
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("members:person_create", args=[world.agency_a.slug]),
        {
            "name": "New Alternate",
            "level": PersonLevel.ALTERNATE,
            "email": "new@agency-a.example.org",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert Person.objects.filter(organization=world.agency_a, name="New Alternate").exists()


def test_it_refuses_focal_point_editing_the_organization(client, world):
    """An agency's focal point keeps its contacts, not its record: 403, unchanged."""
    before = _snapshot(world.agency_a)
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("members:organization_edit", args=[world.agency_a.slug]),
        {"name": "Renamed Agency", "acronym": "AAA", "slug": "aaa", "kind": "un_entity"},
    )

    assert response.status_code == 403
    assert _snapshot(world.agency_a) == before


# --- the wrong network: the secretariat of other_network ------------------------------


def test_it_refuses_secretariat_of_other_network_editing_a_contact(client, world):
    """Agency A is not a member of other_network: its secretariat may not
    change A's contacts (403) and the record stays as it was."""
    before = _snapshot(world.contact_a)
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:person_edit", args=[world.contact_a.pk]),
        _person_post(world.contact_a, email="hijacked@other.example.org"),
    )

    assert response.status_code == 403
    assert _snapshot(world.contact_a) == before


def test_it_refuses_secretariat_of_other_network_editing_the_organization(client, world):
    """Agency A is not a member of other_network: its secretariat may not
    rename A (403) and the record stays as it was."""
    before = _snapshot(world.agency_a)
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:organization_edit", args=[world.agency_a.slug]),
        {"name": "Renamed Agency", "acronym": "AAA", "slug": "aaa", "kind": "un_entity"},
    )

    assert response.status_code == 403
    assert _snapshot(world.agency_a) == before


def test_it_refuses_secretariat_of_other_network_editing_the_network(client, world):
    """The network page is public, its edit form is for its own secretariat:
    403 and the network is unchanged."""
    before = _snapshot(world.network)
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:network_edit", args=[world.network.slug]),
        {
            "name": "Taken Over",
            "short_name": "TKN",
            "level": "global",
            "governance": "rotating_chair",
            "chair_term_months": 12,
            "admission_body": "principals",
        },
    )

    assert response.status_code == 403
    assert _snapshot(world.network) == before


def test_it_refuses_secretariat_of_other_network_editing_a_membership(client, world):
    """A membership in `network` is not for the secretariat of other_network
    to change: 403 and the membership is unchanged."""
    before = _snapshot(world.membership_a)
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:membership_edit", args=[world.membership_a.pk]),
        {"joined": "2020-01-01", "left": "2021-01-01", "executive_committee": "on"},
    )

    assert response.status_code == 403
    assert _snapshot(world.membership_a) == before


def test_it_refuses_secretariat_of_other_network_adding_a_member(client, world):
    """Nor may it add a member to `network`: 403 and no membership added."""
    newcomer = f.OrganizationFactory(acronym="NEW")
    count = Membership.objects.count()
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:membership_create", args=[world.network.slug]),
        {"organization": newcomer.pk, "joined": "2024-01-01"},
    )

    assert response.status_code == 403
    assert Membership.objects.count() == count


def test_it_refuses_secretariat_of_other_network_editing_a_chair_term(client, world):
    """A chair term of `network` is managed by its own secretariat: 403, unchanged."""
    before = _snapshot(world.term)
    client.force_login(world.users["other_sec"])
    response = client.post(
        reverse("members:chair_term_edit", args=[world.term.pk]),
        {"organization": world.agency_b.pk, "start": "2020-01-01", "end": "2020-06-30"},
    )

    assert response.status_code == 403
    assert _snapshot(world.term) == before


def test_it_refuses_focal_point_planning_chair_terms(client, world):
    """Planning the rotation is the secretariat's: a focal point's POST is a
    403 and neither the rotation nor the terms change."""
    terms, rotation = ChairTerm.objects.count(), RotationPosition.objects.count()
    client.force_login(world.users["focal_a"])
    url = reverse("members:chair_plan", args=[world.network.slug])

    response = client.post(url, {"save_rotation": "1", "order": "BBB\nAAA"})
    assert response.status_code == 403
    response = client.post(url, {"plan": "1", "count": 3})
    assert response.status_code == 403

    assert ChairTerm.objects.count() == terms
    assert RotationPosition.objects.count() == rotation


# --- the chair's narrative ----------------------------------------------------------------


def _narrative_post(**changes) -> dict:
    data = {
        "theme": "",
        "chairperson": "",
        "achievements": "",
        "challenges": "",
        "recommendations": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["focal_b", "other_sec", "outsider"])
def test_it_refuses_the_narrative_to_anyone_outside_the_chairing_agency(client, world, role):
    """The narrative of agency A's term is written by A or by the network's
    secretariat: focal_b, the secretariat of another network and an outsider
    get a 403, and the term is as it was."""
    before = _snapshot(world.term)
    client.force_login(world.users[role])
    url = reverse("members:chair_term_narrative", args=[world.term.pk])

    assert client.get(url).status_code == 403
    response = client.post(url, _narrative_post(achievements="Written by someone else"))

    assert response.status_code == 403
    assert _snapshot(world.term) == before


@pytest.mark.parametrize("role", ["chair", "focal_a", "principal_a", "sec"])
def test_it_lets_the_chairing_agency_write_the_narrative(client, world, role):
    """The chair, any person of the chairing agency and the network's
    secretariat may write the narrative, and it is saved."""
    client.force_login(world.users[role])
    url = reverse("members:chair_term_narrative", args=[world.term.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, _narrative_post(achievements=f"Written by {role}"))

    assert response.status_code == 302
    world.term.refresh_from_db()
    assert world.term.achievements == f"Written by {role}"


# --- applications: the review side ------------------------------------------------------


def _application_state(application: MembershipApplication) -> dict:
    return {
        **_snapshot(application),
        "assessments": CriterionAssessment.objects.filter(application=application).count(),
        "memberships": Membership.objects.count(),
        "organizations": Organization.objects.count(),
        "emails": OutboundEmail.objects.count(),
    }


def test_it_hides_application_from_secretariat_of_other_network(client, world):
    """An application to `network` does not exist for the secretariat of
    other_network: its page, its document and the list entry are hidden."""
    client.force_login(world.users["other_sec"])

    detail = client.get(reverse("members:application_detail", args=[world.application.pk]))
    document = client.get(
        reverse("members:application_document", args=[world.application.pk, world.document.pk])
    )
    listing = client.get(reverse("members:application_list"))

    assert detail.status_code == 404
    assert document.status_code == 404
    assert listing.status_code == 200
    assert world.application.reference not in listing.content.decode()


def _review_posts(w: SimpleNamespace) -> dict[str, dict]:
    criterion = w.network.criteria.get()
    return {
        "start_review": {"start_review": "1"},
        "assess": {"assess": "1", f"verdict_{criterion.pk}": "met", "review_notes": "Looks fine"},
        "decide": {
            "decide": "1",
            "outcome": "admit",
            "decided_by": "principals",
            "decision_date": timezone.localdate().isoformat(),
            "decision_record": "Meeting",
        },
    }


@pytest.mark.parametrize("action", ["start_review", "assess", "decide"])
@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW])
def test_it_refuses_review_posts_from_secretariat_of_other_network(client, world, action, status):
    """Each review POST (start, assess, decide) from the secretariat of
    other_network is a 404, whatever the state of the application, and
    changes nothing: no status, no assessment, no member, no e-mail."""
    MembershipApplication.objects.filter(pk=world.application.pk).update(status=status)
    before = _application_state(world.application)
    client.force_login(world.users["other_sec"])

    response = client.post(
        reverse("members:application_detail", args=[world.application.pk]),
        _review_posts(world)[action],
    )

    assert response.status_code == 404
    assert _application_state(world.application) == before


@pytest.mark.parametrize("role", ["focal_a", "chair", "applicant"])
def test_it_refuses_review_posts_from_people_outside_the_secretariat(client, world, role):
    """Neither a focal point, the chair nor the applicant may review: 404 and nothing changed."""
    before = _application_state(world.application)
    client.force_login(world.users[role])

    response = client.post(
        reverse("members:application_detail", args=[world.application.pk]), {"start_review": "1"}
    )

    assert response.status_code == 404
    assert _application_state(world.application) == before


def test_it_lets_secretariat_start_the_review(client, world):
    """The same POST from the secretariat of `network` works, so the refusals
    above come from the rule, not from a broken form."""
    client.force_login(world.users["sec"])
    response = client.post(
        reverse("members:application_detail", args=[world.application.pk]), {"start_review": "1"}
    )

    assert response.status_code == 302
    world.application.refresh_from_db()
    assert world.application.status == ApplicationStatus.UNDER_REVIEW
    assert world.application.reviewer == world.users["sec"]


def test_it_lets_secretariat_of_other_network_open_its_own_applications(client, world):
    """The other secretariat is not blind: an application to other_network opens."""
    own = f.ApplicationFactory(
        network=world.other_network, status=ApplicationStatus.SUBMITTED, submitted_at=timezone.now()
    )
    client.force_login(world.users["other_sec"])

    response = client.get(reverse("members:application_detail", args=[own.pk]))

    assert response.status_code == 200


def test_it_404s_reviewer_download_of_another_applications_document(client, world):
    """The reviewer's download checks the document belongs to the application
    in the address: another application's document id is a 404."""
    client.force_login(world.users["sec"])
    response = client.get(
        reverse(
            "members:application_document", args=[world.application.pk, world.other_document.pk]
        )
    )

    assert response.status_code == 404


# --- applications: the applicant's private link -----------------------------------------


def test_it_shows_application_status_for_the_right_token(client, world):
    """The private link opens the application, with no account."""
    response = client.get(
        reverse("members:application_status", args=[world.application.access_token])
    )

    assert response.status_code == 200
    assert world.application.reference in response.content.decode()


def test_it_404s_application_status_for_a_wrong_token(client, world):
    """A token that matches no application is a 404."""
    response = client.get(reverse("members:application_status", args=["not-the-token"]))

    assert response.status_code == 404


def test_it_refuses_withdrawal_with_a_wrong_token(client, world):
    """A withdrawal posted to a wrong token is a 404 and withdraws nothing."""
    before = _application_state(world.application)
    response = client.post(
        reverse("members:application_status", args=["not-the-token"]),
        {"withdraw": "1", "reason": "Not ours to withdraw"},
    )

    assert response.status_code == 404
    assert _application_state(world.application) == before


def test_it_downloads_the_document_for_the_right_token(client, world):
    """The applicant downloads their own document through their link."""
    response = client.get(
        reverse(
            "members:application_document_by_token",
            args=[world.application.access_token, world.document.pk],
        )
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the mandate"
    response.close()


def test_it_404s_another_applications_document_by_token(client, world):
    """One applicant's link does not open another applicant's document: 404."""
    response = client.get(
        reverse(
            "members:application_document_by_token",
            args=[world.application.access_token, world.other_document.pk],
        )
    )

    assert response.status_code == 404


def test_it_404s_a_document_for_a_wrong_token(client, world):
    """A wrong token with a real document id is a 404."""
    response = client.get(
        reverse("members:application_document_by_token", args=["not-the-token", world.document.pk])
    )

    assert response.status_code == 404


# --- signing in ------------------------------------------------------------------------------


def test_it_signs_in_and_redirects_to_the_dashboard(client, world):
    """Signing in with the right password, without ?next=, lands on the dashboard."""
    response = client.post(
        reverse("login"), {"username": world.users["outsider"].email, "password": f.PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_refuses_to_switch_network_to_another_site(client, world):
    """The switcher sends back only to this site: an outside `next` goes home."""
    response = client.post(
        reverse("members:switch_network"),
        {"network": world.other_network.pk, "next": "https://evil.example.com/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_hides_drafts_from_reviewers(client, world):
    """A draft is the applicant's own until submitted: not in the list, 404."""
    from members.models import ApplicationStatus
    from tests.factories import ApplicationFactory

    draft = ApplicationFactory(network=world.network, status=ApplicationStatus.DRAFT)
    client.force_login(world.users["admin"])
    assert draft.reference not in client.get(reverse("members:application_list")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_status_url()).status_code == 200
