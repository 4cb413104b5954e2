"""The "not reported yet" page of a workplan and a quarter: which agencies
have activities due and no update, and the one-click digest reminder to
each, sent once (ProgressReminderSent and the outbox's dedupe key) however
often and by however many people the button is pressed."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from members.models import PersonLevel
from notifications.models import OutboundEmail
from tests import factories as f
from tests.workplans import make_activity, make_objective, make_workplan, this_year
from workplans.models import (
    Activity,
    ActivityStatus,
    ProgressReminderSent,
    ProgressUpdate,
    WorkplanStatus,
)
from workplans.services import not_reported as service
from workplans.services.progress import Period

pytestmark = pytest.mark.django_db

Q2_2030 = Period(2030, 2)
IN_Q2_2030 = date(2030, 5, 15)
FOCAL_A = "ana@agency-a.example.org"
ALTERNATE_A = "ali@agency-a.example.org"
FOCAL_B = "bo@agency-b.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://secretariat.example.org"


def _update(activity, period, organization, percent=30):
    return ProgressUpdate.objects.create(
        activity=activity,
        year=period.year,
        quarter=period.quarter,
        percent_complete=percent,
        status=ActivityStatus.ON_TRACK,
        narrative="Done so far.",
        organization=organization,
    )


@pytest.fixture
def plan2030(network, other_network, agency_a, agency_b):
    """An approved 2030 workplan. In 2030 Q2: 1.1 (A leads, B partners) is
    due; 1.2 (A leads, B partners) was reported by its partner B; 1.3 starts
    in July; 1.4 is completed; 1.5 (B leads) was reported in Q1 only. A has a
    focal point and an alternate, a principal, a contact for another network
    and a former focal point; B a focal point."""
    f.PersonFactory(organization=agency_a, level=PersonLevel.FOCAL_POINT, email=FOCAL_A, name="Ana")
    f.PersonFactory(
        organization=agency_a, level=PersonLevel.ALTERNATE, email=ALTERNATE_A, name="Ali"
    )
    f.PersonFactory(organization=agency_a, level=PersonLevel.PRINCIPAL, email="head@a.example.org")
    f.PersonFactory(organization=agency_a, email="elsewhere@a.example.org", network=other_network)
    f.PersonFactory(organization=agency_a, email="former@a.example.org", is_active=False)
    f.PersonFactory(organization=agency_b, level=PersonLevel.FOCAL_POINT, email=FOCAL_B, name="Bo")
    workplan = make_workplan(
        network, status=WorkplanStatus.APPROVED, start_year=2030, end_year=2030
    )
    objective = make_objective(workplan)
    due = make_activity(objective, "1.1", leads=[agency_a], partners=[agency_b], title="Portal")
    by_partner = make_activity(objective, "1.2", leads=[agency_a], partners=[agency_b])
    _update(by_partner, Q2_2030, agency_b)
    make_activity(objective, "1.3", leads=[agency_a], start=date(2030, 7, 1))
    make_activity(objective, "1.4", leads=[agency_a], status=ActivityStatus.COMPLETED, percent=100)
    b_leads = make_activity(objective, "1.5", leads=[agency_b], title="Census")
    _update(b_leads, Period(2030, 1), agency_b)
    return {"workplan": workplan, "due": due, "b_leads": b_leads}


# --- the selector ---------------------------------------------------------------------------


def _codes(page):
    return {
        row.organization.acronym: [(m.activity.code, m.role) for m in row.activities]
        for row in page.agencies
    }


def test_it_lists_the_due_activities_without_update_by_agency(plan2030):
    """1.1 for A (lead) and B (partner), 1.5 for B: reported by the partner
    (1.2), not started yet (1.3) and completed (1.4) are not due."""
    page = service.not_reported(plan2030["workplan"], Q2_2030)
    assert _codes(page) == {"AAA": [("1.1", "lead")], "BBB": [("1.1", "partner"), ("1.5", "lead")]}
    assert page.activity_count == 2
    b = page.agencies[1]
    assert [m.last for m in b.activities] == [None, Period(2030, 1)]
    assert service.not_reported_agency_count(plan2030["workplan"], Q2_2030) == 2


def test_the_reporting_people_are_the_current_focal_points_and_alternates(plan2030):
    """Not the principal, not a contact for another network, not a former one."""
    page = service.not_reported(plan2030["workplan"], Q2_2030)
    people = {r.organization.acronym: [p.email for p in r.people] for r in page.agencies}
    assert people == {"AAA": [ALTERNATE_A, FOCAL_A], "BBB": [FOCAL_B]}


def test_an_update_by_any_agency_of_the_activity_is_enough(plan2030, agency_b):
    _update(plan2030["due"], Q2_2030, agency_b)
    page = service.not_reported(plan2030["workplan"], Q2_2030)
    assert _codes(page) == {"BBB": [("1.5", "lead")]}


def test_a_draft_workplan_has_nothing_due(plan2030):
    workplan = plan2030["workplan"]
    workplan.status = WorkplanStatus.DRAFT
    workplan.save()
    assert service.not_reported(workplan, Q2_2030).agencies == []
    assert service.not_reported_agency_count(workplan, Q2_2030) == 0
    assert service.monitor_link(workplan) is None
    assert "draft" in service.monitor_problem(workplan, Q2_2030, today=IN_Q2_2030)


def test_the_quarters_are_those_of_the_workplan_that_have_started(network):
    workplan = make_workplan(network, start_year=2030, end_year=2031)
    assert service.workplan_periods(workplan, today=date(2029, 12, 31)) == []
    assert service.default_period(workplan, today=date(2029, 12, 31)) is None
    assert service.workplan_periods(workplan, today=IN_Q2_2030) == [Q2_2030, Period(2030, 1)]
    # Ended: its last quarter.
    assert service.default_period(workplan, today=date(2033, 3, 1)) == Period(2031, 4)
    assert len(service.workplan_periods(workplan, today=date(2033, 3, 1))) == 8


@pytest.mark.parametrize(
    "value", ["", "2030", "2030-Q5", "2030-Q0", "x-Q1", "2030-q2 ", "20300-Q1"]
)
def test_parse_period(value):
    expected = Period(2030, 2) if value.strip().upper() == "2030-Q2" else None
    assert service.parse_period(value) == expected


# --- sending the digest ---------------------------------------------------------------------


def _send(workplan, organization, by, period=Q2_2030, today=IN_Q2_2030):
    return service.digest_send(
        workplan=workplan, period=period, organization=organization, by=by, today=today
    )


def test_the_digest_goes_once_to_each_reporting_person(
    plan2030, agency_b, secretariat, django_capture_on_commit_callbacks
):
    """B's focal point gets one e-mail listing 1.1 (partner) and 1.5 (lead)."""
    with django_capture_on_commit_callbacks(execute=True):
        record, created = _send(plan2030["workplan"], agency_b, secretariat)
    assert created and record.recipients == 1 and record.sent_by == secretariat
    (email,) = OutboundEmail.objects.all()
    assert email.to == FOCAL_B
    assert "BBB has not reported on 2 activities for 2030 Q2" in email.subject
    assert "1.1 Portal" in email.body and "1.5 Census" in email.body
    assert "Last reported: 2030 Q1." in email.body
    assert "Dear Bo," in email.body
    log_url = "https://secretariat.example.org" + reverse(
        "workplans:progress_log", args=[plan2030["b_leads"].pk]
    )
    assert log_url in email.body
    assert email.dedupe_key == (
        f"progress:digest:{plan2030['workplan'].pk}:{agency_b.pk}:2030-Q2:{FOCAL_B}"
    )


def test_sending_twice_queues_nothing_new(plan2030, agency_a, secretariat, admin_user):
    first, created = _send(plan2030["workplan"], agency_a, secretariat)
    assert created and first.recipients == 2
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [ALTERNATE_A, FOCAL_A]
    again, created = _send(plan2030["workplan"], agency_a, admin_user)
    assert not created and again.pk == first.pk and again.sent_by == secretariat
    assert OutboundEmail.objects.count() == 2
    assert ProgressReminderSent.objects.count() == 1


def test_a_record_made_meanwhile_wins(plan2030, agency_a, admin_user, monkeypatch):
    """The other secretary's record commits between the read and the write:
    get_or_create finds it, and no message is queued."""
    ProgressReminderSent.objects.create(
        workplan=plan2030["workplan"], year=2030, quarter=2, organization=agency_a
    )
    original = service.not_reported

    def stale(*args, **kwargs):
        page = original(*args, **kwargs)
        for row in page.agencies:
            row.sent = None
        return page

    monkeypatch.setattr(service, "not_reported", stale)
    _, created = _send(plan2030["workplan"], agency_a, admin_user)
    assert not created
    assert OutboundEmail.objects.count() == 0


def test_an_agency_without_reporting_people_is_refused(plan2030, network, secretariat):
    lonely = f.OrganizationFactory(acronym="CCC", name="Agency C", slug="ccc")
    f.MembershipFactory(network=network, organization=lonely)
    f.PersonFactory(organization=lonely, level=PersonLevel.PRINCIPAL, email="head@c.example.org")
    plan2030["due"].partner_organizations.add(lonely)
    row = next(
        r
        for r in service.not_reported(plan2030["workplan"], Q2_2030).agencies
        if r.organization == lonely
    )
    assert row.people == [] and not row.may_remind
    with pytest.raises(service.DomainError, match="no focal point or alternate"):
        _send(plan2030["workplan"], lonely, secretariat)
    assert not ProgressReminderSent.objects.exists() and not OutboundEmail.objects.exists()


def test_nothing_is_sent_for_a_draft_workplan_or_a_reported_agency(
    plan2030, agency_a, agency_b, secretariat
):
    with pytest.raises(service.DomainError, match="starts|not a quarter"):
        _send(plan2030["workplan"], agency_a, secretariat, period=Period(2030, 4))
    _update(plan2030["due"], Q2_2030, agency_a)
    with pytest.raises(service.DomainError, match="nothing left to report"):
        _send(plan2030["workplan"], agency_a, secretariat)
    workplan = plan2030["workplan"]
    workplan.status = WorkplanStatus.DRAFT
    workplan.save()
    with pytest.raises(service.DomainError, match="draft"):
        _send(workplan, agency_b, secretariat)
    assert not ProgressReminderSent.objects.exists() and not OutboundEmail.objects.exists()


# --- the pages: this year's workplan, the current quarter -----------------------------------


@pytest.fixture
def current(network, agency_a, agency_b):
    """An approved workplan of this year: 1.1 (A leads, B partners) is due
    in the current quarter with no update. A has a focal point for reminders."""
    f.PersonFactory(organization=agency_a, level=PersonLevel.FOCAL_POINT, email=FOCAL_A, name="Ana")
    workplan = make_workplan(network, status=WorkplanStatus.APPROVED)
    activity = make_activity(
        make_objective(workplan), "1.1", leads=[agency_a], partners=[agency_b], title="Portal"
    )
    return {"workplan": workplan, "activity": activity}


def _url(workplan):
    return reverse("workplans:not_reported", args=[workplan.pk])


def _remind_url(workplan):
    return reverse("workplans:not_reported_remind", args=[workplan.pk])


@pytest.fixture
def other_secretariat(other_network):
    user = f.UserFactory(email="secretariat@other.example.org")
    f.grant(user, Role.SECRETARIAT, other_network)
    return user


PERSONAS = [
    ("secretariat", 200),
    ("admin_user", 200),
    ("other_secretariat", 404),
    ("chair", 403),
    ("focal_a", 403),
    ("focal_b", 403),
    ("principal_a", 403),
    ("outsider", 404),
]


@pytest.mark.parametrize("persona,status", PERSONAS)
def test_the_page_is_for_the_secretariat_and_admins(client, request, current, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_url(current["workplan"]))
    assert response.status_code == status
    if status == 200:
        assert b"Portal" in response.content
        assert b"Send a reminder" in response.content


@pytest.mark.parametrize("persona,status", PERSONAS)
def test_only_the_secretariat_and_admins_send_reminders(
    client, request, current, agency_a, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        _remind_url(current["workplan"]),
        {"organization": agency_a.pk, "period": Period.current().slug},
    )
    if status == 200:
        assert response.status_code == 302
        assert ProgressReminderSent.objects.count() == 1
        assert OutboundEmail.objects.count() == 1
    else:
        assert response.status_code == status
        assert not ProgressReminderSent.objects.exists()
        assert not OutboundEmail.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client, current, agency_a):
    for response in (
        client.get(_url(current["workplan"])),
        client.post(
            _remind_url(current["workplan"]),
            {"organization": agency_a.pk, "period": Period.current().slug},
        ),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not OutboundEmail.objects.exists()


def test_the_reminder_is_a_post(client, secretariat, current):
    client.force_login(secretariat)
    assert client.get(_remind_url(current["workplan"])).status_code == 405


def test_the_secretariat_of_a_network_does_not_monitor_another_network(
    client, other_network, other_secretariat, secretariat, agency_a
):
    """The workplan of the other network is not there for the secretariat of `network`."""
    workplan = make_workplan(other_network, status=WorkplanStatus.APPROVED)
    make_activity(make_objective(workplan), "1.1", leads=[agency_a])
    client.force_login(secretariat)
    assert client.get(_url(workplan)).status_code == 404
    response = client.post(
        _remind_url(workplan), {"organization": agency_a.pk, "period": Period.current().slug}
    )
    assert response.status_code == 404
    client.force_login(other_secretariat)
    assert client.get(_url(workplan)).status_code == 200


def test_the_page_says_who_has_not_reported(client, secretariat, current):
    client.force_login(secretariat)
    period = Period.current()
    response = client.get(_url(current["workplan"]))
    content = response.content.decode()
    assert f"2 agencies, 1 activity not reported for {period}." in content
    assert 'id="agency-' in content and "Ana" in content
    assert 'role="region"' in content
    # B has no focal point: no button, and where to add one.
    assert "BBB has no focal point or alternate with an e-mail address for GTN" in content
    assert content.count("Send a reminder") == 1


def test_clicking_sends_once_and_the_page_says_so(
    client, secretariat, admin_user, current, agency_a
):
    period = Period.current()
    data = {"organization": agency_a.pk, "period": period.slug}
    client.force_login(secretariat)
    response = client.post(_remind_url(current["workplan"]), data, follow=True)
    assert "The reminder to AAA was queued for 1 person." in response.content.decode()
    assert "Reminder sent on" in response.content.decode()
    assert response.content.decode().count("Send a reminder") == 0
    client.force_login(admin_user)
    response = client.post(_remind_url(current["workplan"]), data, follow=True)
    assert "A reminder was already sent to AAA" in response.content.decode()
    assert OutboundEmail.objects.count() == 1
    assert ProgressReminderSent.objects.get().sent_by == secretariat


def test_the_htmx_button_swaps_the_agency_box(client, secretariat, current, agency_a):
    client.force_login(secretariat)
    response = client.post(
        _remind_url(current["workplan"]),
        {"organization": agency_a.pk, "period": Period.current().slug},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith("<div") and f'id="reminder-{agency_a.pk}"' in content
    assert "queued for 1 person" in content and "Reminder sent on" in content
    assert "<html" not in content


@pytest.mark.parametrize(
    "data",
    [{}, {"organization": "x", "period": "2030-Q2"}, {"organization": "999999", "period": "?"}],
)
def test_a_reminder_that_cannot_be_read_changes_nothing(client, secretariat, current, data):
    client.force_login(secretariat)
    response = client.post(_remind_url(current["workplan"]), data, follow=True)
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert not ProgressReminderSent.objects.exists() and not OutboundEmail.objects.exists()


@pytest.mark.parametrize("value", ["2026-Q7", "garbage", "1999-Q1", "2999-Q1"])
def test_an_invalid_period_says_so(client, secretariat, current, value):
    client.force_login(secretariat)
    response = client.get(_url(current["workplan"]), {"period": value})
    assert response.status_code == 200
    content = response.content.decode()
    assert "is not a quarter of this workplan that has started" in content
    # The current quarter is shown instead.
    assert f"not reported for {Period.current()}" in content


def test_everything_reported_says_so(client, secretariat, current, agency_b):
    _update(current["activity"], Period.current(), agency_b)
    client.force_login(secretariat)
    response = client.get(_url(current["workplan"]))
    assert f"Every activity due in {Period.current()} has been reported." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "status,words",
    [(WorkplanStatus.DRAFT, "takes no progress yet"), (WorkplanStatus.CLOSED, "closed")],
)
def test_a_draft_or_closed_workplan_says_why_nothing_is_due(
    client, secretariat, current, status, words
):
    workplan = current["workplan"]
    workplan.status = status
    workplan.save()
    client.force_login(secretariat)
    content = client.get(_url(workplan)).content.decode()
    assert words in content and "Send a reminder" not in content


def test_a_workplan_that_has_not_started_says_so(client, secretariat, network):
    workplan = make_workplan(
        network,
        status=WorkplanStatus.APPROVED,
        start_year=this_year() + 1,
        end_year=this_year() + 1,
    )
    client.force_login(secretariat)
    response = client.get(_url(workplan))
    assert response.status_code == 200
    assert "no quarter has started yet" in response.content.decode()


# --- the link on the workplan page ---------------------------------------------------------


@pytest.mark.parametrize("persona,shown", [("secretariat", True), ("focal_a", False)])
def test_the_workplan_page_links_to_it_for_those_who_monitor(
    client, request, current, persona, shown
):
    client.force_login(request.getfixturevalue(persona))
    content = client.get(current["workplan"].get_absolute_url()).content.decode()
    assert (f"Not reported for {Period.current()}: 2 agencies" in content) is shown
    assert (_url(current["workplan"]) in content) is shown


# --- query budgets -------------------------------------------------------------------------


def _grow(workplan, count, agencies):
    """`count` more due activities without update, each led by one agency
    and partnered by another, every fifth one reported last quarter."""
    objective = workplan.objectives.first() or make_objective(workplan)
    start = Activity.objects.filter(objective__workplan=workplan).count()
    year = workplan.start_year
    created = Activity.objects.bulk_create(
        Activity(
            objective=objective,
            code=f"2.{i}",
            title=f"Activity {i}",
            start=date(year, 1, 1),
            end=date(year, 12, 31),
        )
        for i in range(start, start + count)
    )
    Activity.lead_organizations.through.objects.bulk_create(
        Activity.lead_organizations.through(activity=a, organization=agencies[n % len(agencies)])
        for n, a in enumerate(created)
    )
    Activity.partner_organizations.through.objects.bulk_create(
        Activity.partner_organizations.through(
            activity=a, organization=agencies[(n + 1) % len(agencies)]
        )
        for n, a in enumerate(created)
    )
    previous = Period.current().previous()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            activity=a,
            year=previous.year,
            quarter=previous.quarter,
            percent_complete=10,
            status=ActivityStatus.ON_TRACK,
            narrative="Earlier.",
            organization=agencies[0],
        )
        for a in created[::5]
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def many(network, agency_a, agency_b):
    agencies = [agency_a, agency_b] + [f.OrganizationFactory() for _ in range(4)]
    for n, org in enumerate(agencies):
        f.PersonFactory(organization=org, level=PersonLevel.FOCAL_POINT, email=f"fp{n}@x.org")
    workplan = make_workplan(network, status=WorkplanStatus.APPROVED)
    return workplan, agencies


def test_the_page_keeps_its_budget(client, secretariat, many, django_assert_max_num_queries):
    """10 then 500 activities, with a reminder already sent to one agency."""
    workplan, agencies = many
    period = Period.current()
    ProgressReminderSent.objects.create(
        workplan=workplan,
        year=period.year,
        quarter=period.quarter,
        organization=agencies[0],
        sent_by=secretariat,
    )
    client.force_login(secretariat)
    _grow(workplan, 10, agencies)
    small = _count(client, _url(workplan))
    _grow(workplan, 490, agencies)
    # session, user, role grants, person records (the actor); the workplan
    # with its network; activities (with their latest period), their leads,
    # partners; the agencies' people; the reminders sent (with who sent
    # them); the network switcher's current network and its list.
    with django_assert_max_num_queries(small):
        large = _count(client, _url(workplan))
    assert large == small
    assert small <= 13


def test_the_workplan_page_keeps_its_budget_with_the_link(
    client, secretariat, many, django_assert_max_num_queries
):
    """The link costs one count query, whatever the number of activities."""
    workplan, agencies = many
    client.force_login(secretariat)
    _grow(workplan, 10, agencies)
    small = _count(client, workplan.get_absolute_url())
    _grow(workplan, 490, agencies)
    with django_assert_max_num_queries(small):
        large = _count(client, workplan.get_absolute_url())
    assert large == small
    content = client.get(workplan.get_absolute_url()).content.decode()
    assert f"Not reported for {Period.current()}: 6 agencies" in content
