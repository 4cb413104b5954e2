"""The seed commands: seed_demo loads the facts of the source documents and one
account per role, idempotently; seed_scale builds the synthetic data set once."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from members.models import (
    ApplicationStatus,
    ChairTerm,
    DecidingBody,
    Governance,
    Membership,
    MembershipApplication,
    Network,
    NetworkLevel,
    Organization,
    Person,
    PersonLevel,
)
from members.roles import build_actor
from tests.factories import NetworkFactory

PASSWORD = "demo-password-2026"
APPLICANT = "applicant@demo.example.org"


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def seed_scale(*args: str) -> str:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of the apps the demo fills, history included."""
    models = []
    for app in ("members", "accounts", "meetings"):
        models += list(apps.get_app_config(app).get_models())
    return {m._meta.label: m._default_manager.count() for m in models}


def acronyms(qs) -> set[str]:
    return set(qs.values_list("organization__acronym", flat=True))


@pytest.fixture
def demo(db):
    return seed_demo()


# --- the Global Migration Group ----------------------------------------------------


@pytest.mark.django_db
def test_gmg_is_a_historical_rotating_chair_network(demo):
    gmg = Network.objects.get(slug="gmg")
    assert gmg.level == NetworkLevel.GLOBAL
    assert gmg.governance == Governance.ROTATING_CHAIR
    assert gmg.chair_term_months == 6
    assert gmg.established.year == 2006
    assert gmg.admission_body == DecidingBody.PRINCIPALS
    assert gmg.accepts_applications is False
    assert "rotating chair" in gmg.terms_of_reference
    assert 3 <= gmg.criteria.count() <= 5
    assert list(gmg.rotation.values_list("organization__acronym", flat=True)[:3]) == [
        "UNHCR",
        "IOM",
        "UN DESA",
    ]


@pytest.mark.django_db
def test_each_demo_network_meets_in_its_own_time_zone(demo):
    """Issue 9: Geneva for the global networks, Bangkok for Asia-Pacific."""
    zones = dict(Network.objects.values_list("slug", "time_zone"))
    assert zones == {
        "gmg": "Europe/Zurich",
        "unnm": "Europe/Zurich",
        "asia-pacific": "Asia/Bangkok",
    }


@pytest.mark.django_db
def test_gmg_founding_agencies_of_april_2003(demo):
    founders = Membership.objects.filter(network__slug="gmg", joined=date(2003, 4, 1))
    assert acronyms(founders) == {"ILO", "IOM", "OHCHR", "UNCTAD", "UNHCR", "UNODC"}


@pytest.mark.django_db
def test_gmg_had_ten_members_in_june_2007_and_fourteen_after_november(demo):
    gmg = Membership.objects.filter(network__slug="gmg")
    assert gmg.current(on=date(2007, 6, 30)).count() == 10
    assert gmg.current(on=date(2007, 11, 9)).count() == 14


@pytest.mark.django_db
def test_gmg_chair_terms(demo):
    terms = list(
        ChairTerm.objects.filter(network__slug="gmg")
        .select_related("organization")
        .order_by("start")
    )
    assert [(t.organization.acronym, t.start, t.end) for t in terms] == [
        ("UNHCR", date(2006, 7, 1), date(2006, 12, 31)),
        ("IOM", date(2007, 1, 1), date(2007, 6, 30)),
        ("UN DESA", date(2007, 7, 1), date(2007, 12, 31)),
    ]
    iom, desa = terms[1], terms[2]
    assert iom.theme == "Integrating Migration into Development Planning Agendas"
    assert iom.chairperson == ""
    assert "joint programme and workplan" in iom.achievements
    assert "troika" in iom.recommendations
    assert "multi-year workplan" in iom.recommendations
    assert desa.chairperson == "Under-Secretary-General Sha"
    assert "UNESCO" in desa.achievements


@pytest.mark.django_db
def test_gmg_admissions_of_9_november_2007(demo):
    admitted = MembershipApplication.objects.filter(
        network__slug="gmg", status=ApplicationStatus.ADMITTED
    ).select_related("organization", "membership")
    assert {a.org_acronym for a in admitted} == {"UNESCO", "UNICEF", "UNRC", "UNITAR"}
    for application in admitted:
        assert application.reference.startswith("GMG-2007-")
        assert application.decided_by == DecidingBody.PRINCIPALS
        assert application.decision_date == date(2007, 11, 9)
        assert application.decision_record == "Principals' meeting of 9 November 2007"
        assert application.submitted_at.year == 2007
        assert application.submitted_at.tzinfo is not None
        assert application.membership.organization == application.organization
        assert application.membership.joined == date(2007, 11, 9)
    unrc = Organization.objects.get(acronym="UNRC")
    assert unrc.name == "United Nations Regional Commissions (Coordinator)"


@pytest.mark.django_db
def test_un_desa_principal_is_under_secretary_general_sha(demo):
    sha = Person.objects.get(organization__acronym="UN DESA", level=PersonLevel.PRINCIPAL)
    assert sha.name == "Sha Zukang"
    assert sha.honorific == "Under-Secretary-General"


# --- the UN Network on Migration ---------------------------------------------------


@pytest.mark.django_db
def test_unnm_has_the_38_members_of_annex_ii(demo):
    unnm = Network.objects.get(slug="unnm")
    assert unnm.governance == Governance.COORDINATOR
    assert unnm.coordinator.acronym == "IOM"
    assert unnm.secretariat.acronym == "IOM"
    assert unnm.established == date(2018, 5, 23)
    assert unnm.admission_body == DecidingBody.EXECUTIVE_COMMITTEE
    assert unnm.accepts_applications is True
    members = unnm.memberships.current()
    assert members.count() == 38
    assert set(members.values_list("joined", flat=True)) == {date(2018, 5, 23)}
    assert {"UNESCAP", "UNECE", "UN DESA", "World Bank", "UNAoC"} <= acronyms(members)
    assert acronyms(members.filter(executive_committee=True)) == {
        "UN DESA",
        "ILO",
        "IOM",
        "OHCHR",
        "UNICEF",
        "UNDP",
        "UNHCR",
        "UNODC",
    }
    assert unnm.criteria.count() == 3


@pytest.mark.django_db
def test_one_organization_per_agency_across_networks(demo):
    desa = Organization.objects.get(acronym="UN DESA")
    assert set(desa.memberships.values_list("network__slug", flat=True)) == {"gmg", "unnm"}
    iom = Organization.objects.get(acronym="IOM")
    assert iom.memberships.count() == 3
    assert Organization.objects.get(acronym="World Bank").kind == "related_organization"
    assert iom.kind == "related_organization"


# --- the Asia-Pacific regional network ------------------------------------------------


@pytest.mark.django_db
def test_asia_pacific_network(demo):
    network = Network.objects.get(slug="asia-pacific")
    assert network.level == NetworkLevel.REGIONAL
    assert network.parent.slug == "unnm"
    assert network.seat == "Bangkok"
    assert network.coordinator.acronym == "IOM"
    assert network.established == date(2020, 3, 1)
    committee = network.memberships.current().filter(executive_committee=True)
    assert acronyms(committee) == {
        "ILO",
        "IOM",
        "OHCHR",
        "UNDP",
        "UNHCR",
        "UNICEF",
        "UNODC",
        "UNESCAP",
        "OCHA",
        "UNAIDS",
        "UNDRR",
        "UNFPA",
        "UN Women",
    }
    assert network.memberships.filter(executive_committee=False).exists()


# --- demo accounts -------------------------------------------------------------


@pytest.mark.django_db
def test_demo_accounts_and_their_roles(demo):
    assert "demo-password-2026" in demo
    unnm = Network.objects.get(slug="unnm")
    asia_pacific = Network.objects.get(slug="asia-pacific")
    gmg = Network.objects.get(slug="gmg")
    unhcr = Organization.objects.get(acronym="UNHCR")
    unicef = Organization.objects.get(acronym="UNICEF")

    def actor(email):
        user = User.objects.get(email=email)
        assert user.check_password(PASSWORD)
        return build_actor(user)

    admin = actor("admin@demo.example.org")
    assert admin.is_admin
    assert User.objects.get(email="admin@demo.example.org").is_staff

    secretariat = actor("secretariat@demo.example.org")
    assert secretariat.secretariat_everywhere
    assert secretariat.is_secretariat(unnm.pk) and not secretariat.is_admin

    chair = actor("chair@demo.example.org")
    assert chair.is_chair(unnm.pk)
    assert chair.is_chair(asia_pacific.pk)
    assert not chair.is_chair(gmg.pk)
    assert chair.is_focal_point(Organization.objects.get(acronym="IOM").pk)

    focal = actor("focal@demo.example.org")
    assert focal.is_focal_point(unhcr.pk)
    assert not focal.is_chair() and not focal.manages_any

    principal = actor("principal@demo.example.org")
    assert principal.is_principal(unicef.pk)
    assert not principal.is_focal_point() and not principal.is_chair()

    applicant = actor(APPLICANT)
    assert applicant.role_labels() == []
    applications = MembershipApplication.objects.filter(submitted_by__email=APPLICANT)
    submitted = applications.get(status=ApplicationStatus.SUBMITTED)
    assert submitted.network == unnm
    assert submitted.org_acronym == "ITU"
    assert submitted.contact_email == APPLICANT
    assert submitted.submitted_at is not None


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(demo):
    before = row_counts()
    assert (
        before["members.Organization"] == 41
    )  # the 40 agencies and the European Commission, guest in 2007
    assert before["accounts.User"] == 6
    second = seed_demo()
    assert row_counts() == before
    # The summary says so too: every model's created and updated columns are 0.
    summary = second.split("Demo accounts")[0].splitlines()[2:]
    assert summary
    for line in summary:
        if line.strip():
            created, updated, _unchanged = line.split()[-3:]
            assert (created, updated) == ("0", "0"), line


# --- seed_scale ---------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_scale_small(db):
    out = seed_scale("--organizations", "40", "--networks", "3")
    assert "Created 40 organizations" in out
    orgs = Organization.objects.filter(acronym__startswith="SC")
    assert orgs.count() == 40
    networks = Network.objects.filter(slug__startswith="scale-")
    assert networks.count() == 3
    assert networks.filter(parent__isnull=True).count() == 1
    rotating = networks.filter(governance=Governance.ROTATING_CHAIR)
    assert rotating.exists()
    for network in networks:
        assert network.memberships.count() == 20
    for network in rotating:
        terms = list(network.chair_terms.order_by("start"))
        assert len(terms) == 20
        assert all(b.start > a.end for a, b in zip(terms, terms[1:], strict=False))
    assert Person.objects.filter(organization__in=orgs).count() == 80
    applications = MembershipApplication.objects.filter(network__in=networks)
    assert applications.count() == 300
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)

    before = row_counts()
    again = seed_scale("--organizations", "40", "--networks", "3")
    assert "already" in again
    assert row_counts() == before


@pytest.mark.django_db
def test_seed_scale_reset_rebuilds(db):
    seed_scale("--organizations", "20", "--networks", "2", "--applications", "30")
    seed_scale("--organizations", "30", "--networks", "2", "--applications", "30", "--reset")
    assert Organization.objects.filter(acronym__startswith="SC").count() == 30
    assert Network.objects.filter(slug__startswith="scale-").count() == 2
    assert MembershipApplication.objects.filter(reference__startswith="SCALE-").count() == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--organizations", "5"), "--organizations must be at least 10"),
        (("--networks", "0"), "--networks must be at least 1"),
        (("--applications", "-1"), "--applications cannot be negative"),
    ],
)
@pytest.mark.parametrize("reset", [False, True], ids=["loaded", "reset"])
def test_seed_scale_refuses_bad_sizes_before_changing_anything(db, args, message, reset):
    """Checked first: neither the "already loaded" answer nor --reset's
    delete runs before the sizes are known to be good."""
    seed_scale("--organizations", "20", "--networks", "2", "--applications", "10")
    before = row_counts()
    with pytest.raises(CommandError, match=message) as refused:
        seed_scale(*args, *(["--reset"] if reset else []))
    assert "Nothing was changed" in str(refused.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_seed_scale_sees_either_mark_as_loaded(db):
    NetworkFactory(slug="scale-left-over")  # a network mark without its agencies
    assert "already loaded" in seed_scale("--organizations", "20", "--networks", "2")


@pytest.mark.django_db
def test_seed_scale_leaves_demo_data_alone(demo):
    before = Organization.objects.count()
    seed_scale("--organizations", "20", "--networks", "2", "--applications", "12", "--reset")
    assert Organization.objects.count() == before + 20
    seed_scale("--organizations", "20", "--networks", "2", "--applications", "12", "--reset")
    assert Organization.objects.count() == before + 20
    assert Network.objects.filter(slug="unnm").exists()
