"""Membership applications: the public form, the private status link, the
review against the criteria, the decision and what admission creates."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from members import services
from members.models import (
    ApplicationStatus,
    CriterionAssessment,
    Membership,
    MembershipApplication,
    Organization,
    Person,
    PersonLevel,
)
from notifications.models import OutboundEmail
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def form_data(**overrides):
    from members.forms import ApplicationForm

    data = {
        "org_name": "International Telecommunication Union",
        "org_acronym": "ITU",
        "org_kind": "un_entity",
        "org_website": "https://itu.example.org",
        "org_headquarters": "Geneva",
        "mandate": "Information and communication technologies.",
        "relevance": "Digital remittances and connectivity of migrants.",
        "areas_of_work": "Remittances; digital identity.",
        "focal_point_name": "Ada Lovelace",
        "focal_point_position": "Senior adviser",
        "focal_point_email": "ada@itu.example.org",
        "focal_point_phone": "+41 22 000 00 00",
        "contact_email": "office@itu.example.org",
        "homepage_url": "",
        "started": ApplicationForm().initial["started"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def criteria(network):
    return [
        f.CriterionFactory(network=network, text=t, position=i)
        for i, t in enumerate(["Mandate", "UN system"])
    ]


def apply(client, network, **overrides):
    return client.post(
        reverse("members:apply_form", args=[network.slug]), form_data(submit="1", **overrides)
    )


def test_the_public_form_submits_and_gives_a_private_link(client, network):
    """Anyone can submit; the response leads to the status page by token,
    the applicant gets the reference and link by e-mail."""
    response = apply(client, network)
    application = MembershipApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_status_url()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference.startswith("GTN-")
    assert application.submitted_at is not None
    page = client.get(application.get_status_url()).content.decode()
    assert application.reference in page and "Submitted" in page
    subjects = [m.subject for m in mail.outbox]
    assert any(application.reference in s for s in subjects)
    assert any(application.get_status_url() in m.body for m in mail.outbox)


def test_a_draft_can_be_completed_and_submitted_later(client, network):
    """Save as draft, come back through the link, correct and submit."""
    client.post(reverse("members:apply_form", args=[network.slug]), form_data(save="1"))
    application = MembershipApplication.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    response = client.post(
        application.get_status_url(), form_data(submit="1", mandate="A better mandate.")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.mandate == "A better mandate."


def test_bad_input_is_refused_field_by_field_and_kept(client, network):
    """Missing and malformed answers are marked on their fields, nothing is
    saved, and everything typed comes back in the form."""
    response = apply(
        client, network, mandate="", focal_point_email="not-an-email", org_website="nope nope"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not MembershipApplication.objects.exists()
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert "Enter a valid URL." in page
    assert "Digital remittances and connectivity of migrants." in page
    assert 'value="Ada Lovelace"' in page


def test_documents_are_checked_and_stored(client, network):
    """An executable is refused; a PDF is kept and downloadable by its link."""
    bad = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(
        reverse("members:apply_form", args=[network.slug]),
        {**form_data(submit="1"), "documents": [bad]},
    )
    assert "is not a document type we accept" in response.content.decode()
    assert not MembershipApplication.objects.exists()
    good = SimpleUploadedFile("mandate.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("members:apply_form", args=[network.slug]),
        {**form_data(submit="1"), "documents": [good]},
    )
    application = MembershipApplication.objects.get()
    document = application.documents.get()
    response = client.get(
        reverse(
            "members:application_document_by_token", args=[application.access_token, document.pk]
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_the_honeypot_refuses_bots(client, network):
    response = apply(client, network, homepage_url="http://spam.example")
    assert response.status_code == 200
    assert not MembershipApplication.objects.exists()


def test_a_tampered_start_time_is_refused(client, network):
    response = apply(client, network, started="forged")
    assert "This form has expired" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_a_form_sent_too_fast_is_refused(client, network, settings):
    settings.APPLICATION_MIN_FILL_SECONDS = 60
    response = apply(client, network)
    assert "quicker than anyone can fill in this form" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_submissions_are_rate_limited_per_address(client, network, settings):
    """After the hourly limit the form says so and saves nothing more."""
    settings.APPLICATION_RATE_LIMIT_PER_HOUR = 2
    for i in range(2):
        apply(client, network, org_acronym=f"X{i}", org_name=f"X {i}")
    response = apply(client, network, org_acronym="X9", org_name="X 9")
    assert "Too many applications" in response.content.decode()
    assert MembershipApplication.objects.count() == 2


def test_a_closed_network_takes_no_application(client, network):
    network.accepts_applications = False
    network.save()
    assert client.get(reverse("members:apply_form", args=[network.slug])).status_code == 404


def test_review_assessment_and_admission_create_the_membership(
    client, admin_user, network, criteria
):
    """The admin starts the review, assesses each criterion, and records the
    principals' decision: the organization, its membership and its focal
    point now exist, and the applicant hears by e-mail."""
    apply(client, network)
    application = MembershipApplication.objects.get()
    mail.outbox.clear()
    client.force_login(admin_user)
    url = application.get_absolute_url()
    assert client.post(url, {"start_review": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.reviewer == admin_user
    response = client.post(
        url,
        {
            "assess": "1",
            f"verdict_{criteria[0].pk}": "met",
            f"note_{criteria[0].pk}": "Clear mandate.",
            f"verdict_{criteria[1].pk}": "partly",
            "review_notes": "Recommend admission.",
        },
    )
    assert response.status_code == 302
    assert CriterionAssessment.objects.filter(application=application).count() == 2
    response = client.post(
        url,
        {
            "decide": "1",
            "outcome": "admit",
            "decided_by": "principals",
            "decision_date": "2007-11-09",
            "decision_record": "Principals' meeting of 9 November 2007",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    organization = Organization.objects.get(acronym="ITU")
    membership = Membership.objects.get(network=network, organization=organization)
    assert membership.joined == date(2007, 11, 9)
    assert application.membership == membership
    focal = Person.objects.get(organization=organization)
    assert (focal.email, focal.level, focal.network) == (
        "ada@itu.example.org",
        PersonLevel.FOCAL_POINT,
        network,
    )
    assert any("Welcome to the GTN" == m.subject for m in mail.outbox)
    assert "Admitted" in client.get(application.get_status_url()).content.decode()


def test_admission_reuses_an_existing_organization(admin_user, network, other_network):
    """An agency already known (member elsewhere) is not duplicated."""
    itu = f.OrganizationFactory(
        acronym="ITU", name="International Telecommunication Union", slug="itu"
    )
    f.MembershipFactory(network=other_network, organization=itu)
    application = f.ApplicationFactory(
        network=network, org_acronym="itu", status=ApplicationStatus.UNDER_REVIEW
    )
    services.application_decide(
        application=application,
        admit=True,
        decided_by="principals",
        decision_date=date(2020, 1, 1),
        decision_record="",
        reason="",
    )
    assert Organization.objects.filter(acronym__iexact="itu").count() == 1
    assert Membership.objects.filter(organization=itu, network=network).exists()


def test_declining_needs_a_reason_and_is_final(client, admin_user, network):
    """Without a reason the decision is refused on the form; with one the
    application is declined and no further move is allowed."""
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    data = {
        "decide": "1",
        "outcome": "decline",
        "decided_by": "principals",
        "decision_date": "2020-01-01",
    }
    response = client.post(application.get_absolute_url(), data)
    assert "Give the reason for declining." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    client.post(application.get_absolute_url(), {**data, "reason": "Mandate outside migration."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.outcome_reason == "Mandate outside migration."
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, reason="Changed our mind")
    assert (
        not Membership.objects.filter(network=network)
        .exclude(organization__acronym__in=[])
        .filter(organization__acronym=application.org_acronym)
        .exists()
    )


def test_a_decision_cannot_be_dated_in_the_future(client, admin_user, network):
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        application.get_absolute_url(),
        {"decide": "1", "outcome": "admit", "decided_by": "principals", "decision_date": tomorrow},
    )
    assert "cannot be dated in the future" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_the_applicant_withdraws_with_a_reason(client, network):
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.SUBMITTED)
    response = client.post(application.get_status_url(), {"withdraw": "1", "reason": ""})
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    client.post(
        application.get_status_url(), {"withdraw": "1", "reason": "We joined via another network."}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.closed_at is not None


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        ("draft", "submitted", True),
        ("draft", "under_review", False),
        ("submitted", "under_review", True),
        ("submitted", "admitted", False),
        ("under_review", "admitted", True),
        ("under_review", "declined", True),
        ("admitted", "withdrawn", False),
        ("declined", "under_review", False),
        ("withdrawn", "submitted", False),
    ],
)
def test_transitions(start, target, allowed):
    """The transition table allows exactly the workflow's moves."""
    assert MembershipApplication(status=start).can_move_to(target) is allowed


def test_starting_a_review_twice_is_refused_with_a_message(client, admin_user, network):
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    response = client.post(application.get_absolute_url(), {"start_review": "1"}, follow=True)
    assert "cannot become under review" in response.content.decode()


def test_notifications_are_sent_once_per_occasion(network):
    """The e-mail for an occasion is recorded once however often it is queued."""
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.SUBMITTED)
    services._notify_applicant(application, "submitted")
    services._notify_applicant(application, "submitted")
    assert (
        OutboundEmail.objects.filter(dedupe_key=f"application:{application.pk}:submitted").count()
        == 1
    )


def test_a_draft_needs_only_the_name_and_an_email_but_submitting_needs_all(client, network):
    """Save a partial draft; submitting it as it is names the missing answers."""
    partial = form_data(save="1", mandate="", relevance="", areas_of_work="", focal_point_name="")
    response = client.post(reverse("members:apply_form", args=[network.slug]), partial)
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert application.status == ApplicationStatus.DRAFT and application.mandate == ""
    submit = {k: v for k, v in partial.items() if k != "save"} | {"submit": "1"}
    response = client.post(application.get_status_url(), submit)
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_an_assessment_note_that_is_too_long_is_refused_and_kept(
    client, admin_user, network, criteria
):
    """A note over 500 characters is marked on its field; nothing is saved."""
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    response = client.post(
        application.get_absolute_url(),
        {
            "assess": "1",
            f"verdict_{criteria[0].pk}": "met",
            f"note_{criteria[0].pk}": "x" * 501,
            "review_notes": "Kept notes",
        },
    )
    page = response.content.decode()
    assert "Ensure this value has at most 500 characters" in page
    assert "Kept notes" in page
    assert not CriterionAssessment.objects.filter(application=application).exists()


def test_an_unknown_verdict_is_refused(client, admin_user, network, criteria):
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    response = client.post(
        application.get_absolute_url(), {"assess": "1", f"verdict_{criteria[0].pk}": "maybe"}
    )
    assert "Select a valid choice." in response.content.decode()
    assert not CriterionAssessment.objects.filter(application=application).exists()


# --- an agency that is already a member (issue 9) -----------------------------------


@pytest.fixture
def itu_member(network):
    itu = f.OrganizationFactory(
        acronym="ITU", name="International Telecommunication Union", slug="itu"
    )
    f.MembershipFactory(network=network, organization=itu)
    return itu


def test_the_form_asks_at_once_whether_the_agency_is_a_member(client, network):
    """The name and acronym fields ask the check as they change (htmx)."""
    page = client.get(reverse("members:apply_form", args=[network.slug])).content.decode()
    check = reverse("members:apply_check", args=[network.slug])
    assert page.count(f'hx-get="{check}"') == 2
    assert '<div id="already-member" aria-live="polite"></div>' in page


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("international telecommunication union", ""),
        ("  International   Telecommunication Union ", "ITU"),
        ("International Telecommunication Union", "OTHER"),
    ],
)
def test_the_check_says_an_agency_is_already_a_member(client, network, itu_member, name, acronym):
    """By name, case and spaces aside: what the public directory says too."""
    response = client.get(
        reverse("members:apply_check", args=[network.slug]),
        {"org_name": name, "org_acronym": acronym},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-already-member="name"' in text
    assert (
        "International Telecommunication Union (ITU) is already a member of this network "
        "(Global Test Network): it need not apply, and this application cannot be saved." in text
    )
    assert "write to the network&#x27;s secretariat" in text  # escaped, as any text


@pytest.mark.parametrize(("name", "acronym"), [("", "itu"), ("Another name", "ITU")])
def test_the_same_acronym_alone_asks_whether_it_is_yours(
    client, network, itu_member, name, acronym
):
    """Another agency may go by the same acronym: a warning, not a refusal."""
    response = client.get(
        reverse("members:apply_check", args=[network.slug]),
        {"org_name": name, "org_acronym": acronym},
    )
    text = response.content.decode()
    assert 'data-already-member="acronym"' in text
    assert (
        "An agency with the acronym ITU is already a member of this network "
        "(Global Test Network): International Telecommunication Union. Is that yours?" in text
    )
    assert "cannot be saved" not in text


def test_an_agency_with_a_members_acronym_may_still_apply(client, network, itu_member):
    """The first save goes through with a warning; the reviewer is told and
    is not offered to admit it under that acronym."""
    response = client.post(
        reverse("members:apply_form", args=[network.slug]),
        form_data(org_name="Institute of Tropical Urbanism", save="1"),
        follow=True,
    )
    application = MembershipApplication.objects.get()
    assert application.org_acronym == "ITU"
    assert "An agency with the acronym ITU is already a member" in response.content.decode()


def test_the_check_is_limited_per_address(client, network, itu_member, settings):
    """An anonymous endpoint: beyond the limit a minute, 429 with a short
    note (which the form shows), and no query of the members."""
    settings.APPLY_CHECK_PER_ADDRESS_PER_MINUTE = 2
    url = reverse("members:apply_check", args=[network.slug])
    params = {"org_acronym": "ITU"}
    assert client.get(url, params, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(url, params, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(url, params, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert "too many checks came from your address" in refused.content.decode()
    assert "ITU" not in refused.content.decode()
    # another address is not held back
    assert client.get(url, params, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_check_says_nothing_for_a_new_agency_or_a_former_member(
    client, network, other_network, itu_member
):
    Membership.objects.filter(organization=itu_member).update(left=date(2020, 1, 1))
    f.MembershipFactory(network=other_network, organization=itu_member)
    for params in ({"org_name": "", "org_acronym": "ITU"}, {"org_acronym": "NEW"}, {}):
        response = client.get(reverse("members:apply_check", args=[network.slug]), params)
        assert response.status_code == 200 and response.content == b""


def test_the_check_of_a_closed_or_unknown_network_is_404(client, network):
    network.accepts_applications = False
    network.save(update_fields=["accepts_applications"])
    assert client.get(reverse("members:apply_check", args=[network.slug])).status_code == 404
    assert client.get(reverse("members:apply_check", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("button", ["save", "submit"])
def test_a_member_agency_cannot_save_an_application(client, network, itu_member, button):
    """Without script, the first save says it: nothing is saved or mailed,
    everything typed is kept."""
    response = client.post(
        reverse("members:apply_form", args=[network.slug]), form_data(**{button: "1"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is already a member of this network (Global Test Network)" in page
    assert "Digital remittances and connectivity of migrants." in page
    assert not MembershipApplication.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_the_reviewer_is_warned_and_admission_is_not_offered(client, admin_user, network):
    """An application sent before its agency became a member: a banner at
    the top, only "Decline" offered, and a forged "admit" refused."""
    application = f.ApplicationFactory(
        network=network,
        org_acronym="ITU",
        org_name="International Telecommunication Union",
        status=ApplicationStatus.UNDER_REVIEW,
    )
    itu = f.OrganizationFactory(acronym="ITU", name="International Telecommunication Union")
    f.MembershipFactory(network=network, organization=itu)
    client.force_login(admin_user)

    page = client.get(application.get_absolute_url()).content.decode()

    assert 'data-testid="already-member"' in page
    assert "(ITU) is already a member of this network (Global Test Network)" in page
    assert "Admission is not offered: ITU is already a member." in page
    assert 'value="admit"' not in page and 'value="decline"' in page

    response = client.post(
        application.get_absolute_url(),
        {
            "decide": "1",
            "outcome": "admit",
            "decided_by": "principals",
            "decision_date": "2020-01-01",
        },
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert Membership.objects.filter(network=network, organization=itu).count() == 1


def test_a_members_acronym_alone_is_not_admitted_under_it(client, admin_user, network, itu_member):
    """Another name under a member's acronym: the reviewer reads what to do,
    admission is not offered, and a forged one is refused (admission would
    add the agency of that acronym, a member already)."""
    application = f.ApplicationFactory(
        network=network,
        org_acronym="itu",
        org_name="Institute of Tropical Urbanism",
        status=ApplicationStatus.UNDER_REVIEW,
    )
    client.force_login(admin_user)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "An agency with the acronym ITU is already a member of this network" in page
    assert 'value="admit"' not in page
    with pytest.raises(DomainError):
        services.application_decide(
            application=application,
            admit=True,
            decided_by="principals",
            decision_date=date(2020, 1, 1),
            decision_record="",
            reason="",
        )
    assert Membership.objects.filter(network=network).count() == 1


def test_no_warning_for_a_new_agency(client, admin_user, network):
    application = f.ApplicationFactory(network=network, status=ApplicationStatus.UNDER_REVIEW)
    client.force_login(admin_user)
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="already-member"' not in page
    assert 'value="admit"' in page
