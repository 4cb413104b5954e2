"""Bad input on every members form: a clear message on the field, the typed
text kept, nothing changed."""

import pytest
from django.urls import reverse

from members.models import Membership, Network, Organization, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_organization_form_refuses_duplicates_and_bad_slugs(client, secretariat, agency_a):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:organization_create"),
        {
            "name": "Agency A",
            "acronym": "NEW",
            "slug": "not a slug!",
            "kind": "un_entity",
            "description": "Kept text",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Organization with this Name already exists." in page
    assert "Enter a valid “slug”" in page
    assert "Kept text" in page
    assert Organization.objects.count() == 1


def test_organization_form_creates(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:organization_create"),
        {
            "name": "International Telecommunication Union",
            "acronym": "ITU",
            "slug": "itu",
            "kind": "un_entity",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.filter(acronym="ITU").exists()


def test_network_form_needs_a_term_length_for_a_rotating_chair(client, secretariat, network):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:network_edit", args=[network.slug]),
        {
            "name": network.name,
            "short_name": "GTN",
            "level": "global",
            "governance": "rotating_chair",
            "chair_term_months": "",
            "admission_body": "principals",
            "terms_of_reference": "New ToR text",
        },
    )
    page = response.content.decode()
    assert "A network with a rotating chair needs a term length." in page
    assert "New ToR text" in page
    network.refresh_from_db()
    assert network.chair_term_months == 6 and network.terms_of_reference == ""


def test_network_form_needs_a_coordinator_for_coordinated_networks(client, secretariat, network):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:network_edit", args=[network.slug]),
        {
            "name": network.name,
            "short_name": "GTN",
            "level": "global",
            "governance": "coordinator",
            "admission_body": "executive_committee",
        },
    )
    assert "A network governed by a coordinator needs one." in response.content.decode()
    network.refresh_from_db()
    assert network.governance == "rotating_chair"


def test_network_form_saves_criteria_in_order(client, secretariat, network):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:network_edit", args=[network.slug]),
        {
            "name": network.name,
            "short_name": "GTN",
            "level": "global",
            "governance": "rotating_chair",
            "chair_term_months": "6",
            "admission_body": "principals",
            "time_zone": "UTC",
            "criteria_text": "Mandate\n\nUN system\n",
        },
    )
    assert response.status_code == 302
    assert [c.text for c in Network.objects.get(pk=network.pk).criteria.all()] == [
        "Mandate",
        "UN system",
    ]


def test_membership_form_refuses_a_second_open_membership(client, secretariat, network, agency_a):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:membership_create", args=[network.slug]),
        {"organization": agency_a.pk, "joined": "2021-01-01", "notes": "Typed notes"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "already a member" in page
    assert "Typed notes" in page
    assert Membership.objects.filter(network=network, organization=agency_a).count() == 1


def test_membership_form_refuses_leaving_before_joining(client, secretariat, network):
    org = f.OrganizationFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("members:membership_create", args=[network.slug]),
        {"organization": org.pk, "joined": "2021-01-01", "left": "2020-01-01"},
    )
    assert "cannot end before it starts" in response.content.decode()
    assert not Membership.objects.filter(organization=org).exists()


def test_membership_form_refuses_garbage_dates(client, secretariat, network):
    org = f.OrganizationFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("members:membership_create", args=[network.slug]),
        {"organization": org.pk, "joined": "31/31/2021"},
    )
    assert "Enter a valid date." in response.content.decode()


def test_person_form_refuses_a_bad_email_and_keeps_the_name(client, focal_a, agency_a):
    client.force_login(focal_a)
    before = Person.objects.count()
    response = client.post(
        reverse("members:person_create", args=[agency_a.slug]),
        {"name": "Maria Contact", "level": "alternate", "email": "maria@", "is_active": "on"},
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Maria Contact"' in page
    assert Person.objects.count() == before


def test_person_form_refuses_a_duplicate_contact(client, focal_a, agency_a):
    client.force_login(focal_a)
    response = client.post(
        reverse("members:person_create", args=[agency_a.slug]),
        {
            "name": "Again",
            "level": "focal_point",
            "email": "focal@agency-a.example.org",
            "is_active": "on",
        },
    )
    assert "already has this contact at this level" in response.content.decode()


def test_chair_narrative_keeps_long_text(client, chair, current_term):
    client.force_login(chair)
    text = "Convened three principals' meetings.\n" * 50
    response = client.post(
        reverse("members:chair_term_narrative", args=[current_term.pk]),
        {"theme": "Integrating migration into development planning", "achievements": text},
    )
    assert response.status_code == 302
    current_term.refresh_from_db()
    assert current_term.achievements == text.strip()


def test_switching_network_ignores_foreign_redirects(client, network, other_network):
    response = client.post(
        reverse("members:switch_network"),
        {"network": other_network.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
    assert client.session["current_network_id"] == other_network.pk
    response = client.get(reverse("home"))
    assert "Other Network" in response.content.decode()


def test_the_directory_filters_and_searches(client, network, agency_a, agency_b):
    response = client.get(reverse("members:directory"), {"network": network.pk, "q": "agency a"})
    page = response.content.decode()
    assert "AAA" in page and "BBB" not in page
    response = client.get(reverse("members:directory"), {"network": "not-a-number"})
    assert response.status_code == 200


def test_removing_a_criterion_keeps_past_assessments(client, secretariat, network):
    """A criterion dropped from the network is retired: new reviews no longer
    see it, the assessments already made against it stay."""
    from members.models import AdmissionCriterion, ApplicationStatus, CriterionAssessment

    old = f.CriterionFactory(network=network, text="Old criterion", position=1)
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    CriterionAssessment.objects.create(application=application, criterion=old, verdict="met")
    client.force_login(secretariat)
    client.post(
        reverse("members:network_edit", args=[network.slug]),
        {
            "name": network.name,
            "short_name": "GTN",
            "level": "global",
            "governance": "rotating_chair",
            "chair_term_months": "6",
            "admission_body": "principals",
            "time_zone": "UTC",
            "criteria_text": "New criterion",
        },
    )
    assert [c.text for c in network.criteria.all()] == ["New criterion"]
    assert AdmissionCriterion.all_objects.get(pk=old.pk).retired
    assert CriterionAssessment.objects.filter(application=application, criterion=old).exists()
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Old criterion" in page and "New criterion" in page


def _network_data(network, **changes) -> dict:
    data = {
        "name": network.name,
        "short_name": network.short_name,
        "level": network.level,
        "governance": network.governance,
        "chair_term_months": network.chair_term_months or "",
        "admission_body": network.admission_body,
        "time_zone": network.time_zone,
        "criteria_text": "",
    }
    return {**data, **changes}


def test_network_form_sets_the_time_zone(client, secretariat, network):
    """Issue 9: where the network meets, the default of its new meetings."""
    client.force_login(secretariat)
    page = client.get(reverse("members:network_edit", args=[network.slug])).content.decode()
    assert '<optgroup label="Common">' in page

    response = client.post(
        reverse("members:network_edit", args=[network.slug]),
        _network_data(network, time_zone="Africa/Nairobi"),
    )

    assert response.status_code == 302
    network.refresh_from_db()
    assert network.time_zone == "Africa/Nairobi"


def test_network_form_refuses_an_unknown_time_zone(client, secretariat, network):
    client.force_login(secretariat)
    response = client.post(
        reverse("members:network_edit", args=[network.slug]),
        _network_data(network, time_zone="Europe/Geneva", seat="Kept seat"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. Europe/Geneva is not one of the available choices." in page
    assert "Kept seat" in page
    network.refresh_from_db()
    assert (network.time_zone, network.seat) == ("UTC", "")


def test_the_admin_edits_the_network_time_zone(client, admin_user, network):
    client.force_login(admin_user)
    url = reverse("admin:members_network_change", args=[network.pk])
    page = client.get(url).content.decode()
    assert '<optgroup label="Common">' in page

    data = _network_data(
        network, slug=network.slug, time_zone="Asia/Beirut", accepts_applications="on"
    )
    for prefix in ("criteria", "rotation"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.time_zone == "Asia/Beirut"

    response = client.post(url, {**data, "time_zone": "Nowhere/Land"})
    assert response.status_code == 200
    network.refresh_from_db()
    assert network.time_zone == "Asia/Beirut"


def test_the_model_refuses_an_unknown_time_zone(network):
    from django.core.exceptions import ValidationError

    network.time_zone = "Europe/Geneva"
    with pytest.raises(ValidationError, match="not a time zone we know"):
        network.full_clean()
