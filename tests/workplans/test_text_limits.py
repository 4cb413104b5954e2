"""Long text in workplans has a maximum far beyond a real document: each
form says it, a longer submission is refused on its field and changes
nothing, and the services (and the import) refuse it too."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.limits import LONG_TEXT_MAX_CHARS
from members.roles import build_actor
from tests.form_data import assert_refused, assert_says_limit, form_data, too_long
from tests.workplans import make_activity, make_objective, make_workplan
from workplans.models import (
    NARRATIVE_MAX_CHARS,
    Activity,
    Objective,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)
from workplans.services import imports, plans, progress
from workplans.services.progress import Period

pytestmark = pytest.mark.django_db

LONG = too_long(LONG_TEXT_MAX_CHARS)


@pytest.fixture
def plan(network, agency_a):
    workplan = make_workplan(network, description="As adopted.")
    objective = make_objective(workplan)
    make_activity(objective, "1.1", leads=[agency_a])
    return workplan


def _edit_refused(client, url: str, field: str = "description") -> None:
    page = client.get(url)
    assert_says_limit(page, field, LONG_TEXT_MAX_CHARS)
    response = client.post(url, form_data(page.context["form"], **{field: LONG}))
    assert_refused(response, field, LONG_TEXT_MAX_CHARS)


def test_a_workplan_description_over_the_limit_is_refused(client, plan, secretariat):
    """The workplan form says the limit; over it the workplan keeps its
    description; the service refuses it too."""
    client.force_login(secretariat)
    _edit_refused(client, reverse("workplans:edit", args=[plan.pk]))
    assert Workplan.objects.get(pk=plan.pk).description == "As adopted."
    with pytest.raises(DomainError):
        plans.workplan_update(
            workplan=plan,
            title=plan.title,
            start_year=plan.start_year,
            end_year=plan.end_year,
            description=LONG,
        )
    assert Workplan.objects.get(pk=plan.pk).description == "As adopted."


def test_an_objective_description_over_the_limit_is_refused(client, plan, secretariat):
    """The objective form says the limit; over it nothing changes."""
    objective = plan.objectives.get()
    client.force_login(secretariat)
    _edit_refused(client, reverse("workplans:objective_edit", args=[objective.pk]))
    assert Objective.objects.get(pk=objective.pk).description == ""
    with pytest.raises(DomainError):
        plans.objective_update(
            objective=objective, code=objective.code, title=objective.title, description=LONG
        )
    assert Objective.objects.get(pk=objective.pk).description == ""


def test_an_activity_description_over_the_limit_is_refused(client, plan, secretariat):
    """The activity form says the limit; over it nothing changes."""
    activity = Activity.objects.get(code="1.1")
    client.force_login(secretariat)
    _edit_refused(client, reverse("workplans:activity_edit", args=[activity.pk]))
    assert Activity.objects.get(pk=activity.pk).description == ""


def test_an_import_with_a_description_over_the_limit_imports_nothing(plan, secretariat):
    """The workplan import refuses the row (by row and column), writing nothing."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.KEYS)
    values = {key: "" for key in imports.KEYS}
    values.update(
        objective_code="1",
        activity_code="1.2",
        title="A new activity",
        description=LONG,
        lead="AAA",
        start=f"{plan.start_year}-01-15",
        end=f"{plan.start_year}-06-30",
    )
    writer.writerow([values[key] for key in imports.KEYS])

    with pytest.raises(imports.ImportRefused) as refused:
        imports.workplan_import(
            workplan=plan, name="plan.csv", raw=out.getvalue().encode(), by=secretariat
        )

    assert [e.column for e in refused.value.errors] == ["description"]
    assert not Activity.objects.filter(code="1.2").exists()


def test_a_progress_narrative_over_the_limit_is_refused(client, network, agency_a, focal_a):
    """Logging progress says the limit of the narrative; over it no update
    is logged."""
    workplan = make_workplan(network, status=WorkplanStatus.APPROVED)
    activity = make_activity(make_objective(workplan), "1.1", leads=[agency_a])
    client.force_login(focal_a)
    url = reverse("workplans:progress_log", args=[activity.pk])
    page = client.get(url)
    assert_says_limit(page, "narrative", NARRATIVE_MAX_CHARS)

    response = client.post(
        url,
        form_data(
            page.context["form"],
            percent_complete=10,
            status="on_track",
            narrative=too_long(NARRATIVE_MAX_CHARS),
        ),
    )

    assert_refused(response, "narrative", NARRATIVE_MAX_CHARS)
    assert not ProgressUpdate.objects.exists()
    with pytest.raises(DomainError):
        progress.progress_log(
            activity=activity,
            actor=build_actor(focal_a),
            organization=agency_a,
            period=Period.current(),
            percent_complete=10,
            status="on_track",
            narrative=too_long(NARRATIVE_MAX_CHARS),
            by=focal_a,
        )
    assert not ProgressUpdate.objects.exists()
