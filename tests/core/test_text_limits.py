"""Every free text has a maximum length far beyond a real document: the
models say it (LimitedTextField), so every ModelForm (and the admin)
enforces it and says "Up to N characters."; the plain forms of members say
and enforce it too. Meetings and workplans are tested in their own trees."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from core.limits import LONG_TEXT_MAX_CHARS, LimitedTextField, check_length, too_long
from members import forms as member_forms
from members.models import ChairTerm, Membership, Network, Organization
from taskteams.models import TaskTeam
from tests import factories as f
from tests.form_data import assert_refused, assert_says_limit, form_data
from tests.form_data import too_long as long_text

pytestmark = pytest.mark.django_db

LONG = long_text(LONG_TEXT_MAX_CHARS)

# Text nobody types: a copy of minutes already checked, an outgoing e-mail,
# why a report build failed (cut to 2,000 characters by reports.builder).
NOT_TYPED = {
    "meetings.MinutesVersion.body",
    "meetings.MinutesVersion.decisions",
    "notifications.OutboundEmail.body",
    "notifications.OutboundEmail.last_error",
    "reports.ReportBuild.error",
}


def test_every_typed_text_field_has_a_limit():
    """A guard for the next apps: a TextField that people type into is a
    LimitedTextField (historical copies follow their model)."""
    ours = [
        c
        for c in apps.get_app_configs()
        if c.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in c.path
    ]
    assert {"meetings", "members", "workplans", "taskteams"} <= {c.label for c in ours}
    unlimited = []
    for model in (m for c in ours for m in c.get_models()):
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            label = f"{model._meta.label}.{field.name}"
            if (
                isinstance(field, models.TextField)
                and not isinstance(field, LimitedTextField)
                and label not in NOT_TYPED
            ):
                unlimited.append(label)
    assert unlimited == []


def test_the_limit_is_said_and_enforced_by_a_model_form_and_the_model():
    """A ModelForm of a model with a LimitedTextField says the limit after
    the field's own help text and refuses one character more; the model's
    full_clean refuses it too."""
    form = member_forms.OrganizationForm()
    assert str(form.fields["description"].help_text).endswith("Up to 20,000 characters.")
    assert form.fields["description"].widget.attrs["maxlength"] == str(LONG_TEXT_MAX_CHARS)
    organization = Organization(acronym="X", name="X", slug="x", description=LONG)
    with pytest.raises(Exception, match="at most"):
        organization.full_clean()


def test_the_messages_name_the_limit_and_the_length():
    """too_long says the limit and the length, grouped; check_length raises
    on the field."""
    assert too_long("x" * 10, 10) is None
    assert too_long("x" * 20_001, 20_000) == "At most 20,000 characters: this text has 20,001."
    with pytest.raises(Exception) as refused:
        check_length("x" * 3, limit=2, field="notes")
    assert refused.value.field == "notes"


# --- the pages of members and task teams --------------------------------------------------


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def _refused_on_page(client, url: str, field: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    assert_says_limit(page, field, LONG_TEXT_MAX_CHARS)
    response = client.post(url, form_data(page.context["form"], **{field: LONG}))
    assert_refused(response, field, LONG_TEXT_MAX_CHARS)


def test_an_organization_description_over_the_limit_is_refused(staff, agency_a):
    """The organization form: refused, the description unchanged."""
    _refused_on_page(
        staff, reverse("members:organization_edit", args=[agency_a.slug]), "description"
    )
    assert Organization.objects.get(pk=agency_a.pk).description == agency_a.description


def test_network_terms_of_reference_over_the_limit_are_refused(staff, network):
    """The network form: refused, the terms of reference unchanged."""
    _refused_on_page(
        staff, reverse("members:network_edit", args=[network.slug]), "terms_of_reference"
    )
    assert Network.objects.get(pk=network.pk).terms_of_reference == network.terms_of_reference


def test_membership_notes_over_the_limit_are_refused(staff, network, agency_a):
    """The membership form: refused, the notes unchanged."""
    membership = Membership.objects.get(network=network, organization=agency_a)
    _refused_on_page(staff, reverse("members:membership_edit", args=[membership.pk]), "notes")
    assert Membership.objects.get(pk=membership.pk).notes == membership.notes


def test_a_chair_narrative_over_the_limit_is_refused(staff, current_term):
    """The chair's handover narrative: refused, unchanged."""
    _refused_on_page(
        staff, reverse("members:chair_term_narrative", args=[current_term.pk]), "achievements"
    )
    assert ChairTerm.objects.get(pk=current_term.pk).achievements == ""


def test_a_task_team_focus_over_the_limit_is_refused(staff, network, agency_a):
    """The task team form: refused, the focus unchanged."""
    team = TaskTeam.objects.create(network=network, name="Data", slug="data", focus="Data.")
    team.co_chairs.set([agency_a])
    _refused_on_page(staff, reverse("taskteams:edit", args=[network.slug, team.slug]), "focus")
    assert TaskTeam.objects.get(pk=team.pk).focus == "Data."


@pytest.mark.parametrize(
    ("form_class", "kwargs", "field", "data"),
    [
        (member_forms.WithdrawForm, {}, "reason", {}),
        (
            member_forms.ApplicationDecisionForm,
            {},
            "reason",
            {"outcome": "decline", "decided_by": "principals", "decision_date": "2020-01-01"},
        ),
        (member_forms.RotationForm, {"network": None}, "order", {}),
    ],
)
def test_the_plain_forms_of_members_say_and_enforce_their_limit(form_class, kwargs, field, data):
    """Forms not made from a model say their limit too and refuse over it."""
    form = form_class(data={**data, field: "x" * 50_000}, **kwargs)
    assert "Up to" in str(form.fields[field].help_text)
    assert not form.is_valid()
    assert "at most" in " ".join(form.errors[field])


def test_the_application_form_limits_its_free_text():
    """The public application's free text (mandate, relevance, areas of
    work) says and enforces the limit."""
    form = member_forms.ApplicationForm()
    for name in ("mandate", "relevance", "areas_of_work"):
        assert str(form.fields[name].help_text).endswith("Up to 20,000 characters.")
        assert form.fields[name].max_length == LONG_TEXT_MAX_CHARS


def test_the_assessment_notes_say_and_enforce_their_limit(network):
    """The review notes of an application (a plain form field)."""
    application = f.ApplicationFactory(network=network)
    form = member_forms.ApplicationAssessmentForm(
        data={"review_notes": LONG}, application=application, assessments={}
    )
    assert "Up to 20,000 characters." in str(form.fields["review_notes"].help_text)
    assert not form.is_valid() and "review_notes" in form.errors
