"""Every write path leaves history: each bulk write of the services (invite,
attendance, agenda order, the progress and workplan imports), the guarded
save of the minutes text, progress updates, and edits in the admin, each
with the acting user and the kind of change."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import AgendaItem, AgendaItemStatus, Attendance, Minutes, Participant
from meetings.services import agenda, minutes, schedule
from members.models import PersonLevel
from members.roles import build_actor
from tests import factories as f
from tests.meetings.conftest import make_meeting
from tests.workplans import make_activity, make_objective, make_workplan
from workplans.models import Activity, ProgressUpdate, WorkplanStatus
from workplans.services import imports, progress, progress_import
from workplans.services.progress import Period

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _people(meeting, *orgs):
    for org in orgs:
        f.PersonFactory(organization=org, level=PersonLevel.FOCAL_POINT)
    return meeting


# --- meetings ----------------------------------------------------------------------------


def test_inviting_writes_a_created_record_per_invitation_naming_who_invited(
    network, agency_a, agency_b, secretariat
):
    """participants_invite (a bulk create) leaves one "+" history record per
    new participant, with the user who invited."""
    meeting = _people(make_meeting(network), agency_a, agency_b)

    count = schedule.participants_invite(meeting=meeting, by=secretariat)

    assert count == 2
    records = Participant.history.filter(meeting_id=meeting.pk)
    assert records.count() == 2
    assert {(r.history_type, r.history_user_id) for r in records} == {("+", secretariat.pk)}
    assert {r.id for r in records} == set(meeting.participants.values_list("pk", flat=True))


def test_recording_attendance_writes_a_changed_record_naming_who_recorded(
    network, agency_a, agency_b, chair
):
    """attendance_record (a bulk update) leaves one "~" history record per
    participant whose attendance changed, with the recorder and the value."""
    meeting = _people(make_meeting(network, days=-1), agency_a, agency_b)
    schedule.participants_invite(meeting=meeting)
    first, *others = meeting.participants.order_by("pk")
    assert others

    schedule.attendance_record(
        meeting=meeting,
        attendance={first.pk: Attendance.PRESENT} | {p.pk: Attendance.UNKNOWN for p in others},
        by=chair,
    )

    changed = Participant.history.filter(meeting_id=meeting.pk, history_type="~")
    assert [(r.id, r.attendance, r.history_user_id) for r in changed] == [
        (first.pk, Attendance.PRESENT, chair.pk)
    ]


def test_attendance_recorded_on_the_page_names_the_signed_in_user(client, network, agency_a, chair):
    """Through the page, without the view naming anyone, the record names
    the request's user (HistoryRequestMiddleware) as well."""
    meeting = _people(make_meeting(network, days=-1), agency_a)
    schedule.participants_invite(meeting=meeting)
    participant, *others = meeting.participants.order_by("pk")
    client.force_login(chair)

    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"p{participant.pk}": Attendance.ABSENT}
        | {f"p{p.pk}": Attendance.UNKNOWN for p in others},
    )

    assert response.status_code == 302
    record = Participant.history.filter(id=participant.pk, history_type="~").get()
    assert (record.attendance, record.history_user_id) == (Attendance.ABSENT, chair.pk)


def test_reordering_the_agenda_writes_a_changed_record_per_moved_item(network, agency_a, chair):
    """agenda_reorder (a bulk update of positions) leaves a "~" record with
    the new position for each item it moved, naming who reordered."""
    meeting = make_meeting(network, days=20)
    items = []
    for title in ("Alpha", "Bravo", "Charlie"):
        item = agenda.agenda_item_propose(meeting=meeting, title=title, by=chair)
        items.append(agenda.agenda_item_decide(item=item, status=AgendaItemStatus.ACCEPTED))
    alpha, bravo, charlie = items
    before = AgendaItem.history.filter(history_type="~").count()

    agenda.agenda_reorder(meeting=meeting, item_ids=[charlie.pk, bravo.pk, alpha.pk], by=chair)

    moved = AgendaItem.history.filter(history_type="~").order_by("history_id")[before:]
    assert {(r.id, r.position, r.history_user_id) for r in moved} == {
        (charlie.pk, 1, chair.pk),
        (alpha.pk, 3, chair.pk),
    }


def test_saving_the_minutes_text_writes_a_changed_record_per_version(network, chair, secretariat):
    """The minutes text is saved by a guarded queryset update (to refuse a
    stale editor); each new version still leaves a history record naming
    its author."""
    meeting = make_meeting(network, days=-1, status="held")
    saved = minutes.minutes_save(
        meeting=meeting, body="First.", decisions="", base_version=0, by=chair
    ).minutes
    minutes.minutes_save(
        meeting=meeting, body="Second.", decisions="", base_version=1, by=secretariat
    )

    records = Minutes.history.filter(id=saved.pk).order_by("history_id")
    assert [(r.history_type, r.version, r.history_user_id) for r in records] == [
        ("+", 0, chair.pk),
        ("~", 1, chair.pk),
        ("~", 2, secretariat.pk),
    ]


def test_no_service_writes_in_bulk_without_history():
    """A guard for the next write path: in the services of meetings and
    workplans, a bulk_create/bulk_update goes through simple-history's
    *_with_history, and no queryset .update()/.delete() touches a row
    (the guarded minutes update records its history by hand)."""
    raw = re.compile(r"(?<!_with_history)\.bulk_(create|update)\(|objects\.bulk_")
    offenders = []
    for folder in ("meetings/services", "workplans/services"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if raw.search(line) and "_with_history" not in line:
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


# --- workplans ---------------------------------------------------------------------------


@pytest.fixture
def reported(network, agency_a):
    workplan = make_workplan(network, status=WorkplanStatus.APPROVED)
    activity = make_activity(make_objective(workplan), "1.1", leads=[agency_a])
    return activity


def test_logging_progress_writes_a_created_record_naming_the_reporter(reported, agency_a, focal_a):
    """A progress update has a history of its own: logging it leaves a "+"
    record naming the focal point; the activity's figures change with them
    named too."""
    update = progress.progress_log(
        activity=reported,
        actor=build_actor(focal_a),
        organization=agency_a,
        period=Period.current(),
        percent_complete=30,
        status="on_track",
        narrative="Started.",
        by=focal_a,
    )

    record = update.history.get()
    assert (record.history_type, record.history_user_id, record.narrative) == (
        "+",
        focal_a.pk,
        "Started.",
    )
    latest = reported.history.latest()
    assert (latest.percent_complete, latest.history_user_id) == (30, focal_a.pk)


def _progress_csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(progress_import.COLUMNS)
    writer.writerows(rows)
    return SimpleUploadedFile("progress.csv", out.getvalue().encode(), "text/csv")


def test_the_quarterly_progress_import_writes_a_record_per_update(
    reported, network, agency_a, focal_a
):
    """Importing a quarter's progress for several activities leaves one "+"
    record per update logged, each naming who imported."""
    second = make_activity(reported.objective, "1.2", leads=[agency_a])
    upload = _progress_csv(
        [
            ["1.1", "", "40", "on_track", "Portal online.", ""],
            ["1.2", "", "10", "at_risk", "Late start.", ""],
        ]
    )

    check, created = progress_import.progress_import(
        upload=upload,
        actor=build_actor(focal_a),
        organization=agency_a,
        period=Period.current(),
        by=focal_a,
    )

    assert not check.errors and len(created) == 2
    records = ProgressUpdate.history.filter(activity_id__in=[reported.pk, second.pk])
    assert sorted((r.activity_id, r.history_type, r.history_user_id) for r in records) == [
        (reported.pk, "+", focal_a.pk),
        (second.pk, "+", focal_a.pk),
    ]


def test_the_workplan_import_writes_a_record_per_activity(network, agency_a, secretariat):
    """Importing a workplan leaves a "+" record for each activity and
    objective it creates, naming who imported."""
    workplan = make_workplan(network)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.KEYS)
    year = workplan.start_year
    for code in ("1.1", "1.2"):
        values = {key: "" for key in imports.KEYS}
        values.update(
            objective_code="1",
            objective_title="Evidence",
            activity_code=code,
            title=f"Activity {code}",
            lead=agency_a.acronym,
            start=f"{year}-01-15",
            end=f"{year}-06-30",
        )
        writer.writerow([values[key] for key in imports.KEYS])

    imports.workplan_import(
        workplan=workplan, name="plan.csv", raw=out.getvalue().encode(), by=secretariat
    )

    created = Activity.history.filter(history_type="+", objective__workplan=workplan)
    assert sorted((r.code, r.history_user_id) for r in created) == [
        ("1.1", secretariat.pk),
        ("1.2", secretariat.pk),
    ]
    assert workplan.objectives.get().history.get().history_user_id == secretariat.pk


# --- the admin -----------------------------------------------------------------------------


def test_every_admin_of_a_historied_model_keeps_history():
    """Each model with history is edited in the admin through
    SimpleHistoryAdmin, which names the admin on the record (and shows it)."""
    plain = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if hasattr(model._meta, "simple_history_manager_attribute")
        and not isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert plain == []


def test_an_admin_edit_of_a_progress_update_names_the_admin(
    client, reported, agency_a, focal_a, admin_user
):
    """A correction in the admin leaves a "~" record naming the admin, with
    the value changed; the admin's history page lists it."""
    update = progress.progress_log(
        activity=reported,
        actor=build_actor(focal_a),
        organization=agency_a,
        period=Period.current(),
        percent_complete=30,
        status="on_track",
        narrative="Started.",
        by=focal_a,
    )
    client.force_login(admin_user)
    url = reverse("admin:workplans_progressupdate_change", args=[update.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "activity": reported.pk,
            "year": update.year,
            "quarter": update.quarter,
            "percent_complete": 35,
            "status": "on_track",
            "narrative": "Started; corrected figure.",
            "evidence_url": "",
            "organization": agency_a.pk,
            "reported_by": focal_a.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    record = update.history.order_by("-history_id").first()
    assert (record.history_type, record.percent_complete, record.history_user_id) == (
        "~",
        35,
        admin_user.pk,
    )
    history_page = client.get(reverse("admin:workplans_progressupdate_history", args=[update.pk]))
    assert str(admin_user) in history_page.content.decode()


def test_an_admin_edit_of_an_activity_names_the_admin(client, reported, agency_a, admin_user):
    """An activity changed in the admin (its leads included) leaves records
    naming the admin."""
    client.force_login(admin_user)
    url = reverse("admin:workplans_activity_change", args=[reported.pk])
    before = reported.history.count()

    response = client.post(
        url,
        {
            "objective": reported.objective_id,
            "code": reported.code,
            "title": "Renamed in the admin",
            "description": "",
            "lead_organizations": [agency_a.pk],
            "partner_organizations": [],
            "task_team": "",
            "start": reported.start.isoformat(),
            "end": reported.end.isoformat(),
            "indicator": "",
            "target": "",
            "weight": "1",
            "framework_objectives": [],
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    new = list(reported.history.order_by("history_id")[before:])
    assert new and {r.history_user_id for r in new} == {admin_user.pk}
    assert new[-1].title == "Renamed in the admin"


def test_the_activity_page_shows_who_logged_progress(
    client, reported, agency_a, focal_a, secretariat
):
    """The activity page's history panel (for those who manage it) lists
    the progress updates logged, with who logged them."""
    progress.progress_log(
        activity=reported,
        actor=build_actor(focal_a),
        organization=agency_a,
        period=Period.current(),
        percent_complete=30,
        status="on_track",
        narrative="Started.",
        by=focal_a,
    )
    client.force_login(secretariat)

    response = client.get(reported.get_absolute_url())

    history = response.context["history"]
    period = Period.current()
    logged = [c for c in history if c.what == f"Progress {period.year} Q{period.quarter}"]
    assert [(c.kind, c.who) for c in logged] == [("created", str(focal_a))]
    assert "who changed what, when" in response.content.decode()


def test_a_circulated_minutes_history_row_names_the_circulator(network, chair):
    """Circulating the minutes (outside a request) names the user passed."""
    meeting = make_meeting(network, days=-1, status="held")
    saved = minutes.minutes_save(
        meeting=meeting, body="Text.", decisions="", base_version=0, by=chair
    ).minutes
    minutes.minutes_circulate(
        minutes=saved, comment_deadline=timezone.now() + timedelta(days=3), by=chair
    )
    latest = Minutes.history.filter(id=saved.pk).latest()
    assert (latest.status, latest.history_user_id) == ("circulated", chair.pk)
