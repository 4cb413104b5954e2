"""End to end, in a real browser: a membership application from the public
form to the decision, as the applicant and the secretariat see it; and a focal
point keeping their agency's contacts current.

Screenshots of every step go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members.models import (
    ApplicationStatus,
    DecidingBody,
    Governance,
    Membership,
    MembershipApplication,
    Organization,
    Person,
    PersonLevel,
)
from tests import factories as f
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CRITERIA = [
    "The organization's mandate covers migration or the rights of migrants.",
    "The organization works in more than one country or region.",
    "The organization commits to take part in the network's meetings and workplan.",
]


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF, built by hand (no PDF library needed)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def shot(page, folder, name: str) -> None:
    page.screenshot(path=str(folder / name), full_page=True)


def field(page, label: str):
    """The input labelled exactly `label`; crispy-forms adds "*" to required ones."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def applicant_mail(to: str) -> list:
    return [m for m in mail.outbox if to in m.to]


# --- 1. from the public form to admission -----------------------------------------


def test_application_from_public_form_to_admission(live_server, page, new_context, screenshot_dir):
    today = timezone.localdate()
    network = f.NetworkFactory(
        name="Global Migration Network",
        short_name="GMN",
        slug="gmn",
        governance=Governance.ROTATING_CHAIR,
        admission_body=DecidingBody.PRINCIPALS,
        accepts_applications=True,
    )
    f.NetworkFactory(name="Regional Network for the Americas", short_name="RNA", slug="rna")
    criteria = [
        f.CriterionFactory(network=network, position=i, text=t) for i, t in enumerate(CRITERIA, 1)
    ]
    existing = f.OrganizationFactory(acronym="EXA", name="Existing Agency", slug="exa")
    f.MembershipFactory(network=network, organization=existing)
    admin = f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)

    answers = {
        "Organization name": "International Office for Mobility Research",
        "Acronym": "IOMR",
        "Website": "https://iomr.example.org",
        "Headquarters": "Geneva",
        "Mandate": "Research and data on human mobility, mandated by its member states in 1998.",
        "Relevance to migration": "Produces the regional migration data reports the network uses.",
        "Areas of work on migration": "Data, labour migration, return and reintegration.",
        "Focal point name": "Amina Diallo",
        "Focal point position": "Senior Migration Officer",
        "Focal point e-mail": "amina.diallo@iomr.example.org",
        "Focal point phone": "+41 22 555 01 23",
        "Your e-mail": "applications@iomr.example.org",
    }
    kind_label = "Related organization"
    pdf = small_pdf("IOMR statute and annual report")

    # The applicant, without an account: from the navbar to the network's form.
    page.goto(live_server.url + "/")
    page.locator("nav").get_by_role("link", name="Apply to join").click()
    expect(page).to_have_url(re.compile(r"/apply/$"))
    page.get_by_role("link", name=re.compile(network.name)).click()
    expect(page).to_have_url(re.compile(r"/apply/gmn/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(network.name)
    for criterion in CRITERIA:
        expect(page.get_by_text(criterion)).to_be_visible()
    # The honeypot is in the page, but nobody sees it.
    expect(page.locator("#id_homepage_url")).not_to_be_in_viewport()

    # Every field, except the mandate; and a mistyped e-mail.
    for label, value in answers.items():
        if label != "Mandate":
            field(page, label).fill(value)
    field(page, "Kind of organization").select_option(label=kind_label)
    field(page, "Your e-mail").fill("applications(at)iomr.example.org")
    shot(page, screenshot_dir, "01-apply-form.png")
    page.get_by_role("button", name="Submit the application").click()

    # Back on the form: the two mistakes are marked, nothing else is lost.
    expect(page.get_by_text("Some answers need another look")).to_be_visible()
    expect(page.locator("#id_mandate")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_contact_email")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#error_1_id_mandate")).to_contain_text("This field is required")
    expect(page.locator(".invalid-feedback", has_text="valid email address")).to_be_visible()
    for label, value in answers.items():
        if label not in ("Mandate", "Your e-mail"):
            expect(field(page, label)).to_have_value(value)
    expect(field(page, "Your e-mail")).to_have_value("applications(at)iomr.example.org")
    expect(field(page, "Mandate")).to_have_value("")
    expect(field(page, "Kind of organization")).to_have_value("related_organization")
    assert MembershipApplication.objects.count() == 0
    shot(page, screenshot_dir, "02-form-errors.png")

    # Fixed, with the statute attached, and sent.
    field(page, "Mandate").fill(answers["Mandate"])
    field(page, "Your e-mail").fill(answers["Your e-mail"])
    field(page, "Files").set_input_files(
        files=[{"name": "iomr-statute.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Submit the application").click()

    expect(page).to_have_url(re.compile(r"/application/[\w-]+/$"))
    application = MembershipApplication.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    expect(page.get_by_role("alert").filter(has_text="Thank you")).to_contain_text(
        application.reference
    )
    expect(page.get_by_role("link", name="iomr-statute.pdf")).to_be_visible()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.org_name == answers["Organization name"]
    assert application.focal_point_phone == answers["Focal point phone"]
    status_url = page.url
    assert status_url.endswith(application.get_status_url())
    shot(page, screenshot_dir, "03-status-submitted.png")

    # The admin, in a browser of their own.
    admin_page = new_context().new_page()
    sign_in(admin_page, live_server, admin.email, f.PASSWORD)
    admin_page.locator("nav").get_by_role("link", name="Applications").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Membership applications")
    row = admin_page.get_by_role("row").filter(has_text=application.reference)
    expect(row).to_contain_text("IOMR")
    expect(row).to_contain_text("Submitted")
    shot(admin_page, screenshot_dir, "04-admin-list.png")
    row.get_by_role("link", name=application.reference).click()
    expect(admin_page.get_by_role("heading", level=1)).to_contain_text(answers["Organization name"])

    # The supporting document downloads, as the admin.
    link = admin_page.get_by_role("link", name="iomr-statute.pdf")
    response = admin_page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == pdf
    with admin_page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "iomr-statute.pdf"

    # The review, against the three criteria.
    admin_page.get_by_role("button", name="Start the review").click()
    expect(admin_page.get_by_text("The review has started")).to_be_visible()
    expect(admin_page.get_by_test_id("status")).to_have_text("Under review")
    verdicts = {
        criteria[0]: ("Met", "Mandate since 1998."),
        criteria[1]: ("Met", "Offices in 12 countries."),
        criteria[2]: ("Partly met", "Will join from the next plenary."),
    }
    for criterion, (verdict, note) in verdicts.items():
        admin_page.locator(f"[name=verdict_{criterion.pk}]").select_option(label=verdict)
        admin_page.locator(f"[name=note_{criterion.pk}]").fill(note)
    field(admin_page, "Review notes for the deciding body").fill(
        "Recommended for admission by the secretariat."
    )
    admin_page.get_by_role("button", name="Save the assessment").click()
    expect(admin_page.get_by_text("The assessment was saved.")).to_be_visible()
    for criterion, (verdict, note) in verdicts.items():
        expect(admin_page.locator(f"[name=verdict_{criterion.pk}]")).to_have_value(
            {"Met": "met", "Partly met": "partly"}[verdict]
        )
        expect(admin_page.locator(f"[name=note_{criterion.pk}]")).to_have_value(note)
    assert application.assessments.count() == 3

    # The principals' decision.
    record = f"Principals' meeting of {today.day} {today:%B %Y}"
    field(admin_page, "Admit as a member").check()
    expect(field(admin_page, "Decided by")).to_have_value("principals")
    field(admin_page, "Date of the decision").fill(today.isoformat())
    field(admin_page, "Where it was decided").fill(record)
    shot(admin_page, screenshot_dir, "05-review.png")
    admin_page.get_by_role("button", name="Record the decision").click()

    expect(admin_page.get_by_test_id("status")).to_have_text("Admitted")
    outcome = admin_page.locator(".alert-success").filter(has_text="Admitted")
    expect(outcome).to_contain_text("Principals")
    expect(outcome).to_contain_text(record)
    member_link = admin_page.get_by_role("link", name="IOMR is now a member")
    expect(member_link).to_be_visible()
    shot(admin_page, screenshot_dir, "06-admitted.png")
    organization = Organization.objects.get(acronym="IOMR")
    assert Membership.objects.filter(
        network=network, organization=organization, joined=today
    ).exists()

    # The members directory, filtered to the network, lists the new member.
    admin_page.locator("nav").get_by_role("link", name="Members").click()
    field(admin_page.locator("main"), "Network").select_option(label=network.short_name)
    admin_page.get_by_role("button", name="Filter").click()
    directory_row = admin_page.get_by_role("row").filter(has_text="IOMR")
    expect(directory_row).to_contain_text(answers["Organization name"])
    expect(directory_row).to_contain_text("GMN")
    expect(admin_page.get_by_role("row").filter(has_text="EXA")).to_be_visible()
    expect(admin_page.get_by_text("2 memberships")).to_be_visible()
    shot(admin_page, screenshot_dir, "07-directory.png")
    directory_row.get_by_role("link", name="IOMR").click()
    people = admin_page.locator(".card").filter(has=admin_page.get_by_text("People", exact=True))
    expect(people).to_contain_text("Amina Diallo")
    expect(people).to_contain_text("Focal point")
    expect(people).to_contain_text("amina.diallo@iomr.example.org")
    shot(admin_page, screenshot_dir, "07b-organization.png")
    assert Person.objects.filter(
        organization=organization,
        network=network,
        level=PersonLevel.FOCAL_POINT,
        email="amina.diallo@iomr.example.org",
    ).exists()

    # Back as the applicant: the private link says so.
    page.goto(status_url)
    expect(page.get_by_test_id("status")).to_have_text("Admitted")
    expect(page.locator(".alert-success")).to_contain_text(
        f"Welcome: the principals admitted your organization to the {network.name}"
    )
    shot(page, screenshot_dir, "08-applicant-admitted.png")

    # And the applicant was told by e-mail at each step, with the reference and the link.
    sent = applicant_mail(answers["Your e-mail"])
    subjects = [m.subject for m in sent]
    assert f"Application {application.reference} received" in subjects
    assert f"Application {application.reference} is under review" in subjects
    assert "Welcome to the GMN" in subjects
    for message in sent:
        assert application.reference in message.body
        assert application.get_status_url() in message.body


# --- 2. declining needs a reason -----------------------------------------------------


def test_declining_an_application_requires_a_reason(
    live_server, page, new_context, network, secretariat, screenshot_dir
):
    today = timezone.localdate()
    for i, text in enumerate(CRITERIA, 1):
        f.CriterionFactory(network=network, position=i, text=text)
    application = f.ApplicationFactory(
        network=network,
        org_name="Coastal Shelter Alliance",
        org_acronym="CSA",
        status=ApplicationStatus.UNDER_REVIEW,
        submitted_at=timezone.now(),
        reviewer=secretariat,
    )

    sign_in(page, live_server, secretariat.email, f.PASSWORD)
    page.locator("nav").get_by_role("link", name="Applications").click()
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_test_id("status")).to_have_text("Under review")

    # No reason: refused, and nothing changes.
    field(page, "Decline").check()
    field(page, "Decided by").select_option(label="Executive committee")
    field(page, "Date of the decision").fill(today.isoformat())
    field(page, "Where it was decided").fill("Executive committee call")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Give the reason for declining.")).to_be_visible()
    expect(field(page, "Reason / message to the applicant")).to_have_class(
        re.compile(r"\bis-invalid\b")
    )
    expect(page.get_by_test_id("status")).to_have_text("Under review")
    expect(field(page, "Decline")).to_be_checked()
    expect(field(page, "Where it was decided")).to_have_value("Executive committee call")
    shot(page, screenshot_dir, "11-decline-without-reason.png")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.decision_date is None
    assert not [m for m in mail.outbox if m.subject.startswith("Decision on")]

    # With the reason: declined.
    reason = "The alliance works in one country only; the network admits cross-border agencies."
    field(page, "Reason / message to the applicant").fill(reason)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("Declined")
    expect(page.locator(".alert-secondary")).to_contain_text(reason)
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    shot(page, screenshot_dir, "12-declined.png")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.decided_by == DecidingBody.EXECUTIVE_COMMITTEE
    assert application.membership is None

    # The applicant's private page gives the reason.
    applicant = new_context().new_page()
    applicant.goto(live_server.url + application.get_status_url())
    expect(applicant.get_by_test_id("status")).to_have_text("Declined")
    expect(applicant.get_by_text("not to admit your organization at this time")).to_be_visible()
    expect(applicant.locator(".alert-secondary")).to_contain_text(reason)
    shot(applicant, screenshot_dir, "13-applicant-declined.png")
    [decision] = [
        m for m in applicant_mail(application.contact_email) if m.subject.startswith("Decision on")
    ]
    assert reason in decision.body
    assert application.get_status_url() in decision.body


# --- 3. a focal point keeps the agency's contacts ----------------------------------------


def test_focal_point_adds_a_contact_to_their_agency(
    live_server, page, focal_a, agency_a, network, screenshot_dir
):
    sign_in(page, live_server, focal_a.email, f.PASSWORD)
    represent = page.locator(".card").filter(has=page.get_by_text("You represent", exact=True))
    expect(represent).to_contain_text("AAA")
    expect(represent).to_contain_text("Focal point")
    shot(page, screenshot_dir, "21-focal-dashboard.png")

    represent.get_by_role("link", name="AAA").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agency A")
    shot(page, screenshot_dir, "22-agency-page.png")
    page.get_by_role("link", name="Add a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New contact for AAA")

    field(page, "Name").fill("Jorge Ramírez")
    field(page, "Rank or honorific").fill("Dr.")
    field(page, "Job title").fill("Head of the Migration Unit")
    field(page, "Level").select_option(label="Alternate")
    field(page, "E-mail").fill("jorge.ramirez@agency-a.example.org")
    field(page, "Phone").fill("+1 212 555 0199")
    field(page.locator("main"), "Network").select_option(label=network.short_name)
    shot(page, screenshot_dir, "23-contact-form.png")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Agency A")
    expect(page.get_by_text("Jorge Ramírez was added.")).to_be_visible()
    people = page.locator(".card").filter(has=page.get_by_text("People", exact=True))
    contact = people.get_by_role("listitem").filter(has_text="Jorge Ramírez")
    expect(contact).to_contain_text("Alternate (GTN)")
    expect(contact).to_contain_text("Head of the Migration Unit")
    expect(contact).to_contain_text("jorge.ramirez@agency-a.example.org")
    shot(page, screenshot_dir, "24-contact-added.png")
    assert Person.objects.filter(
        organization=agency_a,
        email="jorge.ramirez@agency-a.example.org",
        level=PersonLevel.ALTERNATE,
        network=network,
    ).exists()
