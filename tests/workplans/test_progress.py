"""Progress on activities: who may log it (the permission matrix), what a
logged update is (never overwritten; the activity's figures follow the
newest update of the latest quarter), what is refused and kept, the
activity page with its history table and chart, a focal point's own list,
the quarter's updates as one spreadsheet, and the query budgets of the
activity page and the list."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from members.models import PersonLevel
from members.roles import build_actor
from taskteams.models import TaskTeam, TaskTeamStatus
from tests import factories as f
from workplans.models import (
    Activity,
    ActivityStatus,
    Objective,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)
from workplans.services import progress
from workplans.services.progress import Period

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def this_quarter() -> Period:
    return Period.current()


# --- the world: one workplan of `network`, an activity with a lead, a partner
# and a task team -------------------------------------------------------------------------


def make_workplan(network, *, status=WorkplanStatus.APPROVED, title="Workplan") -> Workplan:
    year = timezone.localdate().year
    return Workplan.objects.create(
        network=network, title=title, start_year=year - 1, end_year=year + 1, status=status
    )


def make_activity(
    objective: Objective,
    code: str,
    *,
    leads=(),
    partners=(),
    task_team=None,
    start: date | None = None,
    end: date | None = None,
    title: str | None = None,
) -> Activity:
    year = timezone.localdate().year
    activity = Activity.objects.create(
        objective=objective,
        code=code,
        title=title or f"Activity {code}",
        start=start or date(year - 1, 1, 1),
        end=end or date(year + 1, 12, 31),
        task_team=task_team,
    )
    activity.lead_organizations.set(leads)
    activity.partner_organizations.set(partners)
    return activity


def person_user(org, email, level=PersonLevel.FOCAL_POINT, network=None):
    user = f.UserFactory(email=email)
    f.PersonFactory(organization=org, level=level, user=user, email=email, network=network)
    return user


@pytest.fixture
def workplan(network):
    return make_workplan(network)


@pytest.fixture
def objective(workplan):
    return Objective.objects.create(workplan=workplan, code="1", title="Evidence and data")


@pytest.fixture
def agency_c(network):
    org = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def agency_d(network):
    """Co-chairs the activity's task team."""
    org = f.OrganizationFactory(acronym="DDD", name="Agency D", slug="ddd")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def agency_e(network):
    """Has a person on the activity's task team."""
    org = f.OrganizationFactory(acronym="EEE", name="Agency E", slug="eee")
    f.MembershipFactory(network=network, organization=org)
    return org


@pytest.fixture
def focal_c(agency_c):
    return person_user(agency_c, "focal@agency-c.example.org")


@pytest.fixture
def co_chair(agency_d):
    return person_user(agency_d, "focal@agency-d.example.org")


@pytest.fixture
def team_member(agency_e):
    return person_user(agency_e, "expert@agency-e.example.org", level=PersonLevel.PRINCIPAL)


@pytest.fixture
def task_team(network, agency_d, team_member):
    team = TaskTeam.objects.create(
        network=network,
        name="Data task team",
        slug="data",
        focus="Data",
        status=TaskTeamStatus.ACTIVE,
    )
    team.co_chairs.add(agency_d)
    team.members.add(team_member.people.get())
    return team


@pytest.fixture
def activity(objective, agency_a, agency_b, task_team):
    """Led by agency A, with agency B as partner, in the data task team."""
    return make_activity(
        objective,
        "1.1",
        title="Regional migration data portal",
        leads=[agency_a],
        partners=[agency_b],
        task_team=task_team,
    )


def log_data(org, *, period: Period | None = None, **overrides) -> dict:
    period = period or this_quarter()
    data = {
        "organization": org.pk,
        "year": period.year,
        "quarter": period.quarter,
        "percent_complete": 40,
        "status": ActivityStatus.ON_TRACK,
        "narrative": "Two regional workshops held; the portal's data model is agreed.",
        "evidence_url": "",
    }
    data.update(overrides)
    return data


def log(activity, user, org, *, period: Period | None = None, **values) -> ProgressUpdate:
    """Log through the service, as the view does."""
    data = log_data(org, period=period, **values)
    return progress.progress_log(
        activity=activity,
        actor=build_actor(user),
        organization=org,
        period=Period(data["year"], data["quarter"]),
        percent_complete=data["percent_complete"],
        status=data["status"],
        narrative=data["narrative"],
        evidence_url=data["evidence_url"],
        by=user,
    )


def _figures(activity) -> tuple[str, int]:
    activity.refresh_from_db()
    return activity.status, activity.percent_complete


# --- who may log ----------------------------------------------------------------------------

# persona: (the activity page, the log-progress page, the agency it reports for)
MATRIX = {
    "focal_a": (200, 200, "agency_a"),  # lead agency's focal point
    "focal_b": (200, 200, "agency_b"),  # partner agency's focal point
    "co_chair": (200, 200, "agency_d"),  # focal point of the task team's co-chair
    "team_member": (200, 200, "agency_e"),  # named on the task team
    "focal_c": (200, 403, None),  # another member agency
    "secretariat": (200, 403, None),  # monitors, does not report
    "outsider": (404, 404, None),  # no role in the network
}


@pytest.mark.parametrize("persona", MATRIX)
def test_it_answers_each_persona_as_the_matrix_says(client, request, activity, persona):
    page, log_page, _org = MATRIX[persona]
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("workplans:activity", args=[activity.pk])).status_code == page
    assert client.get(reverse("workplans:progress_log", args=[activity.pk])).status_code == log_page


@pytest.mark.parametrize("persona", [p for p, row in MATRIX.items() if row[1] == 200])
def test_it_lets_lead_partner_co_chair_and_team_member_log(client, request, activity, persona):
    org = request.getfixturevalue(MATRIX[persona][2])
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(reverse("workplans:progress_log", args=[activity.pk]), log_data(org))

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    update = ProgressUpdate.objects.get()
    assert (update.organization, update.reported_by, update.percent_complete) == (org, user, 40)
    assert _figures(activity) == (ActivityStatus.ON_TRACK, 40)


@pytest.mark.parametrize("persona", ["focal_c", "secretariat", "outsider"])
def test_it_refuses_others_and_changes_nothing(client, request, activity, agency_a, persona):
    """Another agency's focal point and the secretariat may see the activity
    (403); an outsider may not (404). Nothing is written either way, even
    posting for the lead agency."""
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]), log_data(agency_a)
    )

    assert response.status_code == MATRIX[persona][1]
    assert ProgressUpdate.objects.count() == 0
    assert _figures(activity) == (ActivityStatus.NOT_STARTED, 0)


def test_it_sends_anonymous_to_sign_in_and_changes_nothing(client, activity, agency_a):
    for url in (
        reverse("workplans:activity", args=[activity.pk]),
        reverse("workplans:progress_log", args=[activity.pk]),
        reverse("workplans:mine"),
        reverse("workplans:progress_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]), log_data(agency_a)
    )
    assert response.status_code == 302 and ProgressUpdate.objects.count() == 0


def test_it_hides_the_activity_from_a_focal_point_of_another_network(
    client, activity, other_network
):
    """A focal point scoped to another network, of an agency not member here."""
    org = f.OrganizationFactory(acronym="ZZZ")
    f.MembershipFactory(network=other_network, organization=org)
    client.force_login(person_user(org, "fp@zzz.example.org", network=other_network))

    assert client.get(reverse("workplans:activity", args=[activity.pk])).status_code == 404
    assert client.get(reverse("workplans:progress_log", args=[activity.pk])).status_code == 404


def test_it_lets_a_focal_point_of_two_agencies_choose_which_one_reports(
    client, activity, agency_a, agency_b, agency_c
):
    """Focal point of the lead and of the partner: the form asks for which;
    an agency that is neither is refused."""
    user = person_user(agency_a, "twice@example.org")
    f.PersonFactory(organization=agency_b, user=user, email="twice@example.org")
    client.force_login(user)
    url = reverse("workplans:progress_log", args=[activity.pk])

    form = client.get(url).context["form"]
    assert [o.acronym for o in form.fields["organization"].queryset] == ["AAA", "BBB"]

    response = client.post(url, log_data(agency_c))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert ProgressUpdate.objects.count() == 0

    assert client.post(url, log_data(agency_b)).status_code == 302
    assert ProgressUpdate.objects.get().organization == agency_b


def test_the_service_refuses_an_agency_the_actor_does_not_report_for(activity, focal_a, agency_b):
    with pytest.raises(DomainError) as refused:
        log(activity, focal_a, agency_b)

    assert refused.value.field == "organization"
    assert ProgressUpdate.objects.count() == 0


# --- the history and the figures ------------------------------------------------------------


def test_a_logged_update_never_overwrites_an_earlier_one(
    activity, focal_a, focal_b, agency_a, agency_b
):
    """A second update for the same quarter is another row; the first keeps
    its values, its author and its agency."""
    first = log(activity, focal_a, agency_a, percent_complete=30, narrative="First report.")
    second = log(
        activity, focal_b, agency_b, percent_complete=45, status="at_risk", narrative="Second."
    )

    assert ProgressUpdate.objects.count() == 2
    first.refresh_from_db()
    assert (first.percent_complete, first.status, first.narrative) == (
        30,
        "on_track",
        "First report.",
    )
    assert (first.organization, first.reported_by) == (agency_a, focal_a)
    assert second.pk != first.pk
    assert _figures(activity) == ("at_risk", 45)


def test_the_activity_figures_follow_the_newest_update_of_the_latest_quarter(
    activity, focal_a, agency_a
):
    """A late report on an earlier quarter joins the history without
    changing the figures; a newer one of the latest quarter does."""
    now = this_quarter()
    log(activity, focal_a, agency_a, percent_complete=40)
    assert _figures(activity) == ("on_track", 40)

    log(activity, focal_a, agency_a, period=now.previous(), percent_complete=90, status="at_risk")
    assert _figures(activity) == ("on_track", 40)

    log(activity, focal_a, agency_a, percent_complete=60, status="delayed")
    assert _figures(activity) == ("delayed", 60)

    log(activity, focal_a, agency_a, percent_complete=100, status="completed")
    assert _figures(activity) == ("completed", 100)
    assert ProgressUpdate.objects.count() == 4


def test_the_figures_are_saved_with_update_fields_only(activity, focal_a, agency_a):
    """The service writes the two figures (and updated_at), nothing else: an
    edit of the activity made meanwhile survives."""
    Activity.objects.filter(pk=activity.pk).update(title="Renamed meanwhile")

    log(activity, focal_a, agency_a, percent_complete=20)

    activity.refresh_from_db()
    assert activity.title == "Renamed meanwhile"
    assert activity.percent_complete == 20
    # The history names who reported.
    assert activity.history.first().history_user == focal_a


# --- refused and kept -----------------------------------------------------------------------


def _future() -> Period:
    return this_quarter().next()


BAD_INPUT = {
    "percent_over_100": ({"percent_complete": 120}, "percent_complete"),
    "negative_percent": ({"percent_complete": -5}, "percent_complete"),
    "completed_at_40": ({"status": "completed", "percent_complete": 40}, "percent_complete"),
    "100_not_completed": ({"status": "on_track", "percent_complete": 100}, "status"),
    "not_started_at_30": ({"status": "not_started", "percent_complete": 30}, "percent_complete"),
    "no_narrative": ({"narrative": "  "}, "narrative"),
    "not_a_link": ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
    "unknown_status": ({"status": "done"}, "status"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_it_refuses_bad_input_and_keeps_what_was_typed(client, activity, focal_a, agency_a, case):
    values, field = BAD_INPUT[case]
    client.force_login(focal_a)
    data = log_data(agency_a, narrative="Kept: workshops in Bangkok and Suva.")
    data.update(values)

    response = client.post(reverse("workplans:progress_log", args=[activity.pk]), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    if case != "no_narrative":
        assert "Kept: workshops in Bangkok and Suva." in response.content.decode()
    assert ProgressUpdate.objects.count() == 0
    assert _figures(activity) == ("not_started", 0)


def test_it_refuses_a_quarter_that_has_not_started(client, activity, focal_a, agency_a):
    client.force_login(focal_a)
    future = _future()

    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]), log_data(agency_a, period=future)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    # Next year is not even offered; a later quarter of this year is explained.
    assert "quarter" in errors if future.year == this_quarter().year else "year" in errors
    assert ProgressUpdate.objects.count() == 0
    with pytest.raises(DomainError, match="has not started yet"):
        log(activity, focal_a, agency_a, period=future)
    assert ProgressUpdate.objects.count() == 0


def test_it_refuses_a_quarter_before_the_activity_starts(client, activity, focal_a, agency_a):
    before = Period(activity.start.year - 1, 4)
    client.force_login(focal_a)

    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]), log_data(agency_a, period=before)
    )

    assert response.status_code == 200 and "year" in response.context["form"].errors
    with pytest.raises(DomainError, match="starts in"):
        log(activity, focal_a, agency_a, period=before)
    assert ProgressUpdate.objects.count() == 0


BAD_FILES = {
    "renamed_executable": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
    "web_page": ("evidence.html", b"<html><script>alert(1)</script></html>"),
    "web_page_renamed_pdf": ("report.pdf", b"<html><script>alert(1)</script></html>"),
    "too_large": ("big.pdf", PDF + b"0" * (1024 * 1024)),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_it_refuses_a_bad_evidence_file(client, settings, activity, focal_a, agency_a, case):
    settings.PROGRESS_EVIDENCE_MAX_MB = 1
    name, content = BAD_FILES[case]
    client.force_login(focal_a)
    data = log_data(agency_a)
    data["evidence_file"] = SimpleUploadedFile(name, content)

    response = client.post(reverse("workplans:progress_log", args=[activity.pk]), data)

    assert response.status_code == 200
    assert "evidence_file" in response.context["form"].errors
    assert ProgressUpdate.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "workplans").exists()


def test_an_evidence_file_is_kept_and_served_only_to_those_the_reporting_concerns(
    client, activity, focal_a, focal_c, outsider, agency_a, secretariat
):
    """The file is stored under a name the server makes (the sender's is kept
    beside it) and served by the app, as an attachment under the sender's
    name that the browser may not sniff, to the secretariat (and the agencies
    of the activity, the chair: tests/security); another member agency that
    sees the activity and an outsider get a 404."""
    client.force_login(focal_a)
    data = log_data(agency_a, evidence_url="https://example.org/report")
    data["evidence_file"] = SimpleUploadedFile("Workshop report; final.pdf", PDF)
    assert (
        client.post(reverse("workplans:progress_log", args=[activity.pk]), data).status_code == 302
    )
    update = ProgressUpdate.objects.get()
    stored = update.evidence_file.name
    assert stored.startswith("workplans/evidence/") and stored.endswith(".pdf")
    assert "orkshop" not in stored and "report" not in stored
    assert update.evidence_file_name == "Workshop report, final.pdf"
    url = reverse("workplans:progress_evidence", args=[activity.pk, update.pk])
    assert url in client.get(activity.get_absolute_url()).content.decode()

    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Workshop report, final.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF

    client.force_login(focal_c)
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- the activity page ----------------------------------------------------------------------


def test_the_activity_page_shows_details_history_and_chart(
    client, activity, focal_a, focal_b, agency_a, agency_b, secretariat
):
    """One chart point per update, coloured by status; a superseded update
    is marked in the table and hollow in the chart. The secretariat sees it
    all, without the log-progress link."""
    from workplans.models import FrameworkObjective

    activity.framework_objectives.add(FrameworkObjective.objects.get(code="GCM 1"))
    now = this_quarter()
    log(activity, focal_a, agency_a, period=now.previous(), percent_complete=20)
    log(activity, focal_a, agency_a, percent_complete=35, status="at_risk")
    log(activity, focal_b, agency_b, percent_complete=45, status="delayed")

    client.force_login(secretariat)
    response = client.get(activity.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    for text in ("Regional migration data portal", "AAA", "BBB", "Data task team", "GCM 1"):
        assert text in html
    assert html.count('<svg id="progress-chart"') == 1
    assert html.count('class="progress-point') == 3
    assert html.count('class="progress-point superseded"') == 1
    assert 'data-status="delayed"' in html and 'data-status="at_risk"' in html
    assert html.count('class="progress-update') == 3
    assert "superseded" in html
    assert "<script" not in html.split('<svg id="progress-chart"')[1].split("</svg>")[0]
    assert reverse("workplans:progress_log", args=[activity.pk]) not in html

    client.force_login(focal_b)
    assert (
        reverse("workplans:progress_log", args=[activity.pk])
        in client.get(activity.get_absolute_url()).content.decode()
    )


def test_the_activity_page_without_updates_has_no_chart(client, activity, focal_a):
    client.force_login(focal_a)
    html = client.get(activity.get_absolute_url()).content.decode()

    assert '<svg id="progress-chart"' not in html
    assert "No progress has been logged yet." in html
    assert reverse("workplans:progress_log", args=[activity.pk]) in html


def test_the_chart_escapes_what_it_shows(activity, focal_a, agency_a):
    from workplans.charts import progress_chart

    agency_a.acronym = "<b>A&A</b>"
    agency_a.save()
    log(activity, focal_a, agency_a)
    svg = progress_chart(
        progress.activity_updates(activity), first=this_quarter(), last=this_quarter()
    )

    assert "<b>A&A</b>" not in svg and "&lt;b&gt;A&amp;A&lt;/b&gt;" in svg


# --- my activities ----------------------------------------------------------------------------


def test_my_activities_puts_those_missing_this_quarter_first(
    client, objective, activity, focal_a, agency_a, agency_b, agency_c
):
    """Each of agency A's activities once; those due this quarter without an
    update on top, each with a one-click log link; then the others (reported,
    or not running this quarter); another agency's activity is not listed."""
    reported = make_activity(objective, "0.1", leads=[agency_a])
    ended = make_activity(
        objective, "0.0", leads=[agency_a], start=date(2020, 1, 1), end=date(2020, 12, 31)
    )
    partner = make_activity(objective, "2.1", leads=[agency_c], partners=[agency_a])
    make_activity(objective, "3.1", leads=[agency_c])
    log(reported, focal_a, agency_a)
    log(activity, focal_a, agency_a, period=this_quarter().previous())
    client.force_login(focal_a)

    response = client.get(reverse("workplans:mine"))

    rows = response.context["rows"]
    assert [row["activity"].code for row in rows] == ["1.1", "2.1", "0.0", "0.1"]
    assert [row["activity"].missing for row in rows] == [True, True, False, False]
    assert [row["activity"].reported for row in rows] == [False, False, False, True]
    html = response.content.decode()
    for a in (activity, partner, ended, reported):
        assert reverse("workplans:progress_log", args=[a.pk]) in html
    assert response.context["missing"] == 2
    assert str(this_quarter().previous()) in html  # the last update of 1.1
    # The dashboard's summary says the same.
    waiting = progress.progress_waiting(build_actor(focal_a))
    assert waiting["missing_count"] == 2
    assert [a.code for a in waiting["missing"]] == ["1.1", "2.1"]


def test_my_activities_filters_to_the_missing_ones(client, objective, activity, focal_a, agency_a):
    done = make_activity(objective, "0.1", leads=[agency_a])
    log(done, focal_a, agency_a)
    client.force_login(focal_a)

    missing = client.get(reverse("workplans:mine"), {"update": "missing"}).context["rows"]
    logged = client.get(reverse("workplans:mine"), {"update": "logged"}).context["rows"]

    assert [row["activity"].code for row in missing] == ["1.1"]
    assert [row["activity"].code for row in logged] == ["0.1"]


def test_a_closed_workplan_takes_no_more_updates(client, activity, workplan, focal_a, agency_a):
    Workplan.objects.filter(pk=workplan.pk).update(status=WorkplanStatus.CLOSED)
    activity.refresh_from_db()
    client.force_login(focal_a)

    page = client.get(activity.get_absolute_url()).content.decode()
    response = client.post(
        reverse("workplans:progress_log", args=[activity.pk]), log_data(agency_a)
    )

    assert reverse("workplans:progress_log", args=[activity.pk]) not in page
    assert response.status_code == 200
    assert "is closed" in str(response.context["form"].non_field_errors())
    assert ProgressUpdate.objects.count() == 0


def test_my_activities_of_someone_without_an_agency_is_empty(client, activity, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("workplans:mine"))

    assert response.status_code == 200
    assert response.context["rows"] == []


# --- a quarter's updates as one spreadsheet ---------------------------------------------------


@pytest.fixture
def portfolio(objective, activity, agency_a, agency_c):
    """Agency A leads 1.1 and 1.2 and is a partner in 1.3; it also led 1.4,
    ended in 2020; agency C leads 9.9."""
    return {
        "1.2": make_activity(objective, "1.2", leads=[agency_a], title="Training of trainers"),
        "1.3": make_activity(objective, "1.3", leads=[agency_c], partners=[agency_a]),
        "9.9": make_activity(objective, "9.9", leads=[agency_c], title="Not A's"),
        "1.4": make_activity(
            objective, "1.4", leads=[agency_a], start=date(2020, 1, 1), end=date(2020, 12, 31)
        ),
    }


def _csv(
    rows: list[list[str]],
    header=("code", "title", "percent_complete", "status", "narrative", "evidence_url"),
) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("progress.csv", out.getvalue().encode("utf-8"), "text/csv")


def _import(client, upload, org, period: Period | None = None):
    period = period or this_quarter()
    return client.post(
        reverse("workplans:progress_import"),
        {"organization": org.pk, "year": period.year, "quarter": period.quarter, "file": upload},
    )


def test_a_valid_csv_logs_every_filled_row(client, portfolio, activity, focal_a, agency_a):
    client.force_login(focal_a)
    upload = _csv(
        [
            ["1.1", "Regional migration data portal", "40", "on_track", "Portal online.", ""],
            ["1.2", "Training of trainers", "100%", "Completed", "Done.", "https://example.org/r"],
            ["1.3", "", "", "", "", ""],  # nothing to report this quarter
        ]
    )

    response = _import(client, upload, agency_a)

    assert response.status_code == 302 and response["Location"] == reverse("workplans:mine")
    updates = {u.activity.code: u for u in ProgressUpdate.objects.select_related("activity")}
    assert sorted(updates) == ["1.1", "1.2"]
    assert (updates["1.2"].status, updates["1.2"].percent_complete) == ("completed", 100)
    assert updates["1.2"].evidence_url == "https://example.org/r"
    assert {u.organization for u in updates.values()} == {agency_a}
    assert {u.reported_by for u in updates.values()} == {focal_a}
    assert _figures(portfolio["1.2"]) == ("completed", 100)


def test_a_valid_xlsx_from_the_downloaded_template_logs_its_rows(
    client, portfolio, activity, focal_a, agency_a
):
    """Download the template, fill it in as a spreadsheet would (a percent
    typed as 40%), send it back."""
    client.force_login(focal_a)
    template = client.get(
        reverse("workplans:progress_template"), {"organization": agency_a.pk, "format": "xlsx"}
    )
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "code",
        "title",
        "percent_complete",
        "status",
        "narrative",
        "evidence_url",
        "decrease_reason",
    ]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    assert sorted(rows) == ["1.1", "1.2", "1.3"]  # not 9.9: A does not report on it
    sheet.cell(row=rows["1.1"], column=3, value=0.4).number_format = "0%"
    sheet.cell(row=rows["1.1"], column=4, value="at_risk")
    sheet.cell(row=rows["1.1"], column=5, value="Delayed procurement.")
    sheet.cell(row=rows["1.3"], column=3, value=10)
    sheet.cell(row=rows["1.3"], column=4, value="on track")
    sheet.cell(row=rows["1.3"], column=5, value="Started.")
    out = io.BytesIO()
    book.save(out)

    response = _import(client, SimpleUploadedFile("progress.xlsx", out.getvalue()), agency_a)

    assert response.status_code == 302
    assert sorted(
        ProgressUpdate.objects.values_list("activity__code", "percent_complete", "status")
    ) == [("1.1", 40, "at_risk"), ("1.3", 10, "on_track")]


def test_a_file_with_errors_imports_nothing_and_lists_them_by_row_and_column(
    client, portfolio, activity, focal_a, agency_a
):
    client.force_login(focal_a)
    upload = _csv(
        [
            ["1.1", "", "40", "on_track", "Fine on its own.", ""],
            ["1.2", "", "120", "on_track", "Too much.", ""],
            ["1.3", "", "40", "done", "Unknown status.", ""],
            ["1.1", "", "50", "on_track", "Twice.", ""],
            ["7.7", "", "10", "on_track", "No such activity.", ""],
            ["", "", "10", "completed", "", "not a link"],
        ]
    )

    response = _import(client, upload, agency_a)

    assert response.status_code == 200
    assert ProgressUpdate.objects.count() == 0
    errors = [(e.row, e.column, e.letter) for e in response.context["check"].errors]
    assert errors == [
        (3, "percent_complete", "C"),
        (4, "status", "D"),
        (5, "code", "A"),
        (6, "code", "A"),
        (7, "code", "A"),
    ]
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert html.count('class="import-error"') == 5
    assert "already reported in row 2" in html
    assert "No activity has the code 7.7" in html


def test_a_row_for_an_activity_the_agency_does_not_report_on_is_an_error(
    client, portfolio, activity, focal_a, agency_a
):
    client.force_login(focal_a)
    upload = _csv(
        [
            ["1.1", "", "40", "on_track", "Fine.", ""],
            ["9.9", "Not A's", "40", "on_track", "Not ours to report.", ""],
        ]
    )

    response = _import(client, upload, agency_a)

    assert response.status_code == 200
    assert ProgressUpdate.objects.count() == 0
    [error] = response.context["check"].errors
    assert (error.row, error.column) == (3, "code")
    assert "AAA does not report on 9.9" in error.message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("progress.xls", b"\xd0\xcf\x11\xe0", "Send the spreadsheet as .xlsx or .csv."),
        ("progress.xlsx", b"not a zip", "This is not really an XLSX file."),
        ("progress.csv", b"code,title\n1.1,x\n", "percent_complete, status, narrative is missing"),
        (
            "progress.csv",
            b"code,title,percent_complete,status,narrative\n1.1,,,,\n",
            "No row is filled in",
        ),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(
    client, portfolio, focal_a, agency_a, name, content, message
):
    client.force_login(focal_a)

    response = _import(client, SimpleUploadedFile(name, content), agency_a)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert ProgressUpdate.objects.count() == 0


def test_a_csv_saved_with_semicolons_is_read_too(client, portfolio, focal_a, agency_a):
    """Excel in a French or Spanish locale separates with semicolons."""
    client.force_login(focal_a)
    content = "code;title;percent_complete;status;narrative;evidence_url\n1.2;;35;on_track;Bien.;\n"
    upload = SimpleUploadedFile("progress.csv", ("\ufeff" + content).encode("utf-8"))

    assert _import(client, upload, agency_a).status_code == 302
    assert ProgressUpdate.objects.get().percent_complete == 35


def test_an_xlsx_that_unpacks_to_too_much_is_refused(
    client, monkeypatch, portfolio, focal_a, agency_a
):
    """A small file that would unpack to gigabytes is refused before it is read."""
    from workplans.services import progress_import

    client.force_login(focal_a)
    xlsx = client.get(reverse("workplans:progress_template"), {"organization": agency_a.pk})
    monkeypatch.setattr(progress_import, "MAX_UNPACKED_BYTES", 1000)

    response = _import(client, SimpleUploadedFile("progress.xlsx", xlsx.content), agency_a)

    assert "holds too much" in str(response.context["form"].errors["file"])
    assert ProgressUpdate.objects.count() == 0


def test_the_import_refuses_a_quarter_that_has_not_started(client, portfolio, focal_a, agency_a):
    client.force_login(focal_a)
    upload = _csv([["1.1", "", "40", "on_track", "Fine.", ""]])

    response = _import(client, upload, agency_a, period=_future())

    assert response.status_code == 200
    assert ProgressUpdate.objects.count() == 0


def test_the_csv_template_lists_only_the_agencys_activities(client, portfolio, focal_a, agency_a):
    client.force_login(focal_a)

    response = client.get(
        reverse("workplans:progress_template"), {"organization": agency_a.pk, "format": "csv"}
    )

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "code",
        "title",
        "percent_complete",
        "status",
        "narrative",
        "evidence_url",
        "decrease_reason",
    ]
    # Not 9.9 (agency C's alone), nor 1.4, which has ended.
    assert [r[:2] for r in rows[1:]] == [
        ["1.1", "Regional migration data portal"],
        ["1.2", "Training of trainers"],
        ["1.3", "Activity 1.3"],
    ]
    assert all(r[2:] == ["", "", "", "", ""] for r in rows[1:])


def test_the_template_of_an_agency_one_does_not_report_for_is_not_found(
    client, portfolio, focal_a, agency_c
):
    client.force_login(focal_a)
    response = client.get(reverse("workplans:progress_template"), {"organization": agency_c.pk})
    assert response.status_code == 404


def test_the_import_is_refused_to_someone_who_reports_on_nothing(client, portfolio, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("workplans:progress_import")).status_code == 403


def test_a_formula_in_a_title_stays_text_in_the_templates(client, objective, focal_a, agency_a):
    make_activity(objective, "4.1", leads=[agency_a], title='=HYPERLINK("http://evil","x")')
    client.force_login(focal_a)

    csv_file = client.get(
        reverse("workplans:progress_template"), {"organization": agency_a.pk, "format": "csv"}
    ).content.decode("utf-8-sig")
    xlsx = client.get(reverse("workplans:progress_template"), {"organization": agency_a.pk}).content

    assert "'=HYPERLINK" in csv_file
    cell = load_workbook(io.BytesIO(xlsx)).worksheets[0].cell(row=2, column=2)
    assert cell.data_type == "s"


# --- query budgets --------------------------------------------------------------------------


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _add_updates(activity, org, user, n: int) -> None:
    """n updates over as many quarters back as needed, a few per quarter."""
    now = this_quarter()
    periods = [now]
    while len(periods) < 40:
        periods.append(periods[-1].previous())
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=activity,
            year=periods[i % 40].year,
            quarter=periods[i % 40].quarter,
            percent_complete=i % 100,
            status=ActivityStatus.ON_TRACK,
            narrative=f"Update {i}",
            organization=org,
            reported_by=user,
        )
        for i in range(n)
    )


def test_the_activity_page_keeps_its_budget(client, activity, focal_a, agency_a):
    """10 then 200 updates: the same queries, the chart and table complete."""
    activity.start = date(this_quarter().year - 10, 1, 1)
    activity.save(update_fields=["start"])
    client.force_login(focal_a)
    _add_updates(activity, agency_a, focal_a, 10)
    small = _count(client, activity.get_absolute_url())
    _add_updates(activity, agency_a, focal_a, 190)

    response = client.get(activity.get_absolute_url())
    large = _count(client, activity.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="progress-point') == 200
    assert html.count('class="progress-update') == 200
    # session, user; the actor: grants, person records, chair terms,
    # coordinated networks; the agencies' memberships (visible networks);
    # the activity with its objective, workplan, network and task team;
    # its leads, partners, the team's co-chairs and members, its framework
    # objectives; the updates with their agency and author; the switcher's
    # networks and the current network in the frame.
    assert large == small == 16


def _add_activities(objective, org, n: int, start: int, task_team=None) -> None:
    year = timezone.localdate().year
    created = Activity.objects.bulk_create(
        Activity(
            objective=objective,
            code=f"B.{start + i}",
            title=f"Bulk activity {start + i}",
            start=date(year - 1, 1, 1),
            end=date(year + 1, 12, 31),
            task_team=task_team if i % 2 else None,
        )
        for i in range(n)
    )
    Activity.lead_organizations.through.objects.bulk_create(
        Activity.lead_organizations.through(activity_id=a.pk, organization_id=org.pk)
        for a in created
    )


def test_my_activities_keeps_its_budget(client, objective, task_team, focal_a, agency_a):
    """10 then 500 activities of agency A, half in a task team (a page of 100
    rendered)."""
    client.force_login(focal_a)
    _add_activities(objective, agency_a, 10, 0, task_team)
    small = _count(client, reverse("workplans:mine"))
    _add_activities(objective, agency_a, 490, 10, task_team)

    response = client.get(reverse("workplans:mine"))
    large = _count(client, reverse("workplans:mine"))

    assert len(response.context["rows"]) == 100
    assert response.context["total"] == 500
    # session, user; the actor: grants, person records, chair terms,
    # coordinated networks; the agencies' memberships (visible networks);
    # the paginator's count (all of them); the page with its workplan,
    # network and task team; its leads, partners, the teams' co-chairs and
    # members; the count of those missing this quarter; the switcher's
    # networks and the current network in the frame; the network filter's
    # choices (the user's networks) and the header's network it is set to
    # (members.scope).
    assert large == small == 18


def test_the_progress_period_of_a_day():
    assert Period.of(date(2030, 1, 1)) == Period(2030, 1)
    assert Period.of(date(2030, 12, 31)) == Period(2030, 4)
    assert Period(2030, 4).next() == Period(2031, 1)
    assert Period(2031, 1).previous() == Period(2030, 4)
    assert Period(2030, 2).first_day == date(2030, 4, 1)
    assert Period(2030, 2).last_day == date(2030, 6, 30)
    assert str(Period(2030, 3)) == "2030 Q3"
    assert Period(2030, 1).last_day + timedelta(days=1) == Period(2030, 2).first_day


def test_a_completed_activity_is_no_longer_asked_for_progress(db, network, agency_a):
    """Once reported completed, a still-running activity is not due again."""
    from tests.workplans import make_activity, make_objective, make_workplan

    today = timezone.localdate()
    plan = make_workplan(network, status="approved", start_year=today.year, end_year=today.year)
    objective = make_objective(plan, "1")
    running = make_activity(
        objective,
        "1.1",
        leads=[agency_a],
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
    )
    done = make_activity(
        objective,
        "1.2",
        leads=[agency_a],
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
        status=ActivityStatus.COMPLETED,
        percent=100,
    )
    period = Period.of(today)
    due = set(Activity.objects.filter(progress.active_in(period)).values_list("code", flat=True))
    assert due == {"1.1"}
    assert progress.is_due(running, period) and not progress.is_due(done, period)
