"""The workplan of the demo data: a two-year work plan of the Asia-Pacific
regional network, approved at the start of the period.

Seed 002 asks the Regional Network for a work plan that operationalises its
three strategic objectives (guidance to RCs/UNCTs and country networks;
joint regional action; support to the global Network, including regional
input to the Secretary-General's biennial report), monitored by the
secretariat; seed 001 recommends a multi-year work plan agreed at the start
of a term. The activities are led by members of the regional executive
committee, some through the task teams of taskteams/demo.py, and tagged with
the GCM objectives and SDG target 10.7 they serve.

Progress: one update a quarter for 2025, then 2026 as far as each activity
has got. Every date is fixed, so a second run changes nothing. In the last
quarter of 2026 only some activities have reported, so the "missing" lists
of the progress pages show the others.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from accounts.models import User
from core.seeding import DemoData, upsert
from members.models import Organization, Person, PersonLevel
from taskteams.models import TaskTeam

from .models import (
    Activity,
    ActivityStatus,
    FrameworkObjective,
    Objective,
    ProgressUpdate,
    Workplan,
    WorkplanStatus,
)

ON, RISK, LATE, DONE = (
    ActivityStatus.ON_TRACK,
    ActivityStatus.AT_RISK,
    ActivityStatus.DELAYED,
    ActivityStatus.COMPLETED,
)

WORKPLAN = {
    "title": "Regional Network work plan",
    "start_year": 2025,
    "end_year": 2026,
    "status": WorkplanStatus.APPROVED,
    "approved_on": date(2025, 2, 20),
    "approval_reference": "Regional Network meeting of 20 February 2025 (Bangkok)",
    "description": (
        "The Regional Network's work plan for 2025–2026, agreed by its members and the Regional "
        "Executive Committee. It operationalises the three strategic objectives of the terms of "
        "reference and is monitored quarterly by the secretariat."
    ),
}

# (code, title, description) — the strategy of seed 002.
OBJECTIVES = (
    (
        "1",
        "Guidance and support to RCs, UNCTs and country networks",
        "Guidance, technical support and other inputs to Resident Coordinators, UN Country Teams "
        "and country networks on migration, for the GCM's follow-up and review and its "
        "mainstreaming in Cooperation Frameworks and national plans.",
    ),
    (
        "2",
        "Joint regional action on common priorities",
        "Joint regional actions, data and advocacy on priority issues, including support to "
        "regional meetings relevant to the GCM.",
    ),
    (
        "3",
        "Support to the global Network and engagement with stakeholders",
        "Regular updates to the global Network, regional input to the Secretary-General's "
        "biennial report, and engagement with external partners at the regional level.",
    ),
)

# code: (objective, title, leads, partners, task team slug, start, end,
#        indicator, target, framework codes, [(year, quarter, %, status, narrative)])
ACTIVITIES: dict[str, tuple] = {
    "1.1": (
        "1",
        "Guidance note on mainstreaming the GCM in Cooperation Frameworks",
        ("IOM", "UNDP"),
        ("OHCHR", "UNICEF"),
        None,
        date(2025, 1, 15),
        date(2025, 9, 30),
        "Guidance note issued and presented to UNCTs",
        "1 note; 10 UNCTs briefed",
        ("GCM 23", "SDG 10.7"),
        [
            (2025, 1, 25, ON, "Outline agreed with UNDP; drafting team of four agencies formed."),
            (2025, 2, 60, ON, "First draft shared with three pilot UNCTs for comment."),
            (2025, 3, 100, DONE, "Note issued in August; 11 UNCTs briefed in two webinars."),
            (2025, 4, 100, DONE, "Completed. Uptake followed under activity 1.2."),
        ],
    ),
    "1.2": (
        "1",
        "Support to country networks on national GCM implementation plans",
        ("IOM",),
        ("UNDP", "UNESCAP", "ILO"),
        None,
        date(2025, 2, 1),
        date(2026, 12, 31),
        "Countries supported in drafting or reviewing a GCM implementation plan",
        "6 countries",
        ("GCM 23",),
        [
            (2025, 1, 5, ON, "Requests received from Bangladesh and Nepal country networks."),
            (2025, 2, 15, ON, "Scoping missions held in two countries."),
            (2025, 3, 25, ON, "Third country (Philippines) joined; drafting support under way."),
            (2025, 4, 35, ON, "Two national plans in consultation with government ministries."),
            (2026, 1, 45, ON, "One plan adopted by government; fourth country starting."),
            (2026, 2, 55, ON, "Voluntary national review inputs prepared with two countries."),
            (2026, 3, 65, ON, "Five countries supported; sixth request under discussion."),
            (2026, 4, 75, ON, "Sixth country (Timor-Leste) started in October."),
        ],
    ),
    "1.3": (
        "1",
        "Child-sensitive guidance for country networks on children in migration",
        ("UNICEF",),
        ("UNHCR", "IOM"),
        "alternatives-to-detention",
        date(2025, 3, 1),
        date(2026, 6, 30),
        "Country networks using the guidance",
        "5 country networks",
        ("GCM 7", "GCM 13"),
        [
            (2025, 1, 5, ON, "Terms of reference for the guidance agreed by the task team."),
            (2025, 2, 20, ON, "Consultant recruited; desk review of national practice."),
            (2025, 3, 35, RISK, "Draft late: consultations with two governments postponed."),
            (2025, 4, 50, RISK, "Draft validated at a regional workshop; translation pending."),
            (2026, 1, 70, ON, "Guidance rolled out in three country networks."),
            (2026, 2, 100, DONE, "Rolled out in five country networks; activity closed."),
        ],
    ),
    "2.1": (
        "2",
        "Regional migration data snapshot and harmonized indicators",
        ("UNESCAP", "IOM"),
        ("ILO", "UNFPA", "UN Women"),
        "migration-data",
        date(2025, 1, 15),
        date(2026, 12, 31),
        "Data snapshot published; indicators agreed by the Regional Network",
        "1 snapshot a year; 12 indicators",
        ("GCM 1", "SDG 10.7"),
        [
            (2025, 1, 10, ON, "Task team agreed the list of candidate indicators."),
            (2025, 2, 25, ON, "Data collected from national statistical offices of 18 countries."),
            (2025, 3, 40, ON, "2025 snapshot drafted; peer review by members."),
            (2025, 4, 50, ON, "2025 snapshot published in December."),
            (2026, 1, 60, ON, "Indicator metadata agreed; second round of data collection."),
            (2026, 2, 70, ON, "Peer-learning session for statistical offices held online."),
            (2026, 3, 80, ON, "2026 snapshot in layout."),
            (2026, 4, 90, ON, "2026 snapshot launched at the regional statistics committee."),
        ],
    ),
    "2.2": (
        "2",
        "Regional dialogue and corridor study on fair and ethical recruitment",
        ("ILO",),
        ("IOM", "UN Women"),
        "labour-migration",
        date(2025, 4, 1),
        date(2026, 12, 31),
        "Corridor study published; dialogue held with governments and social partners",
        "1 study; 1 dialogue",
        ("GCM 6", "GCM 22"),
        [
            (2025, 2, 10, ON, "Study design agreed; corridors chosen with the task team."),
            (2025, 3, 25, ON, "Surveys of migrant workers in two corridors completed."),
            (2025, 4, 35, RISK, "Third corridor survey delayed by funding; partners sought."),
            (2026, 1, 45, RISK, "Funding secured for half of the third corridor."),
            (2026, 2, 55, RISK, "Draft study for the first two corridors under review."),
            (2026, 3, 60, RISK, "Dialogue postponed to early 2027 at governments' request."),
        ],
    ),
    "2.3": (
        "2",
        "Peer learning for governments on alternatives to immigration detention",
        ("UNHCR", "UNICEF"),
        ("IOM", "OHCHR"),
        "alternatives-to-detention",
        date(2025, 1, 15),
        date(2026, 12, 31),
        "Governments taking part in the peer-learning platform",
        "8 governments; 2 exchanges a year",
        ("GCM 13",),
        [
            (2025, 1, 10, ON, "Platform relaunched; six governments confirmed."),
            (2025, 2, 25, ON, "First exchange held in Bangkok on case management."),
            (2025, 3, 40, ON, "Seventh government joined; study visit planned."),
            (2025, 4, 50, ON, "Second exchange held online on community-based alternatives."),
            (2026, 1, 60, ON, "Stocktaking of pledges made at the regional review."),
            (2026, 2, 70, ON, "Third exchange held; eighth government joined."),
            (2026, 3, 80, ON, "Study visit to a community-based programme completed."),
            (2026, 4, 85, ON, "Fourth exchange held in October; yearly stocktaking drafted."),
        ],
    ),
    "2.4": (
        "2",
        "Joint advocacy on the rights of migrants in vulnerable situations",
        ("OHCHR",),
        ("UNHCR", "UN Women", "UNICEF"),
        None,
        date(2025, 1, 15),
        date(2026, 12, 31),
        "Joint statements and policy inputs to regional processes",
        "4 joint statements",
        ("GCM 7", "GCM 17"),
        [
            (2025, 1, 15, ON, "Joint statement on International Women's Day."),
            (2025, 2, 30, ON, "Input to the regional review of the Beijing Platform."),
            (2025, 3, 45, ON, "Joint statement on International Migrants Day drafted."),
            (2025, 4, 55, ON, "International Migrants Day statement issued."),
            (2026, 1, 60, ON, "Policy brief on xenophobia in public discourse under review."),
            (2026, 2, 65, LATE, "Brief delayed: clearance by three agencies pending."),
            (2026, 3, 70, LATE, "Brief cleared by two of three agencies."),
        ],
    ),
    "2.5": (
        "2",
        "Joint training on trafficking and smuggling for border officials",
        ("UNODC",),
        ("IOM", "UNHCR", "OHCHR"),
        None,
        date(2025, 4, 1),
        date(2026, 9, 30),
        "Border officials trained, with a human-rights based curriculum",
        "120 officials in 4 countries",
        ("GCM 9", "GCM 10", "GCM 11"),
        [
            (2025, 2, 10, ON, "Curriculum adapted with IOM and OHCHR."),
            (2025, 3, 20, LATE, "First training postponed: government nominations late."),
            (2025, 4, 30, LATE, "First training held for 25 officials."),
            (2026, 1, 50, ON, "Second and third trainings held (60 officials)."),
            (2026, 2, 75, ON, "Fourth training held; 110 officials trained in all."),
            (2026, 3, 100, DONE, "Completed: 124 officials trained in four countries."),
        ],
    ),
    "3.1": (
        "3",
        "Regional input to the Secretary-General's biennial report on the GCM",
        ("IOM",),
        ("UNESCAP", "ILO", "OHCHR", "UNHCR"),
        None,
        date(2025, 6, 1),
        date(2026, 3, 31),
        "Consolidated regional input submitted to the global Network",
        "Submitted by the global deadline",
        ("GCM 23",),
        [
            (2025, 2, 10, ON, "Template and timeline shared with members."),
            (2025, 3, 40, ON, "Inputs received from 11 members."),
            (2025, 4, 80, ON, "Consolidated draft circulated for comment."),
            (2026, 1, 100, DONE, "Submitted to the global Network on 27 February 2026."),
        ],
    ),
    "3.2": (
        "3",
        "Regular updates to the global Network and exchange with other regional networks",
        ("IOM",),
        ("UNESCAP",),
        None,
        date(2025, 1, 15),
        date(2026, 12, 31),
        "Quarterly updates sent to the global Network",
        "8 updates",
        ("GCM 23",),
        [
            (2025, 1, 12, ON, "Q1 update sent to the global Network."),
            (2025, 2, 25, ON, "Q2 update sent; exchange with the Africa regional network."),
            (2025, 3, 37, ON, "Q3 update sent."),
            (2025, 4, 50, ON, "Q4 update sent."),
            (2026, 1, 62, ON, "Q1 update sent."),
            (2026, 2, 75, ON, "Q2 update sent; joint session with the Arab States network."),
            (2026, 3, 87, ON, "Q3 update sent."),
        ],
    ),
    "3.3": (
        "3",
        "Consultation of migrant, refugee-led and civil society organizations",
        ("UNHCR",),
        ("UNESCAP", "UN Women"),
        None,
        date(2025, 3, 1),
        date(2026, 12, 31),
        "Organizations consulted ahead of the regional review; their inputs reflected",
        "2 consultations; 60 organizations",
        ("GCM 16", "GCM 23"),
        [
            (2025, 1, 5, ON, "Mapping of regional civil society networks started."),
            (2025, 2, 20, ON, "First consultation held online with 34 organizations."),
            (2025, 3, 35, ON, "Summary of inputs shared with members."),
            (2025, 4, 45, RISK, "Second consultation moved to 2026; venue costs."),
            (2026, 1, 55, RISK, "Co-funding agreed with UNESCAP."),
            (2026, 2, 70, ON, "Second consultation held in Bangkok (41 organizations)."),
            (2026, 3, 80, ON, "Inputs reflected in the regional review's outcome summary."),
        ],
    ),
}


def _reported_at(year: int, quarter: int) -> datetime:
    """When a quarter's update was written: ten days after the quarter, or
    early November for the quarter running when the demo was written."""
    if (year, quarter) == (2026, 4):
        return datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    month = 3 * quarter + 1
    return (
        datetime(year + 1, 1, 10, 9, 0, tzinfo=UTC)
        if month == 13
        else datetime(year, month, 10, 9, 0, tzinfo=UTC)
    )


def _set(manager, wanted: list) -> None:
    """Make a many-to-many hold exactly `wanted`, writing only differences
    (an unchanged activity writes no history row)."""
    wanted_ids = {o.pk for o in wanted}
    current = set(manager.values_list("pk", flat=True))
    if current - wanted_ids:
        manager.remove(*(current - wanted_ids))
    if wanted_ids - current:
        manager.add(*(wanted_ids - current))


def _reporters(orgs: dict[str, Organization]) -> dict[int, User]:
    """The demo account of each agency's focal point, where there is one."""
    people = Person.objects.filter(
        organization__in=orgs.values(),
        level=PersonLevel.FOCAL_POINT,
        is_active=True,
        user__isnull=False,
    ).select_related("user")
    return {p.organization_id: p.user for p in people}


def load_workplans(demo: DemoData) -> Workplan:
    """The workplans part of the demo (core.registry demo loader)."""
    tally, orgs, networks = demo.tally, demo.orgs, demo.networks
    network = networks["asia-pacific"]
    values = {k: v for k, v in WORKPLAN.items() if k != "title"}
    workplan = upsert(tally, Workplan, {"network": network, "title": WORKPLAN["title"]}, values)
    objectives = {}
    for position, (code, title, description) in enumerate(OBJECTIVES, start=1):
        objectives[code] = upsert(
            tally,
            Objective,
            {"workplan": workplan, "code": code},
            {"title": title, "description": description, "position": position},
        )
    teams = {t.slug: t for t in TaskTeam.objects.filter(network=network)}
    frameworks = {f.code: f for f in FrameworkObjective.objects.all()}
    reporters = _reporters(orgs)
    for code, spec in ACTIVITIES.items():
        (objective, title, leads, partners, team, start, end, indicator, target, tags, updates) = (
            spec
        )
        activity = upsert(
            tally,
            Activity,
            {"objective": objectives[objective], "code": code},
            {
                "title": title,
                "task_team": teams.get(team) if team else None,
                "start": start,
                "end": end,
                "indicator": indicator,
                "target": target,
            },
        )
        _set(activity.lead_organizations, [orgs[a] for a in leads])
        _set(activity.partner_organizations, [orgs[a] for a in partners])
        _set(activity.framework_objectives, [frameworks[c] for c in tags])
        reporting_org = orgs[leads[0]]
        for year, quarter, percent, status, narrative in updates:
            # Keyed on its date too: an update a user logs for the same
            # quarter is another row (never overwritten), and stays.
            reported_at = _reported_at(year, quarter)
            update = upsert(
                tally,
                ProgressUpdate,
                {"activity": activity, "year": year, "quarter": quarter, "created_at": reported_at},
                {
                    "percent_complete": percent,
                    "status": status,
                    "narrative": narrative,
                    "organization": reporting_org,
                    "reported_by": reporters.get(reporting_org.pk),
                },
            )
            # created_at is auto_now_add: date it to its quarter, once.
            if update.created_at != reported_at:
                ProgressUpdate.objects.filter(pk=update.pk).update(created_at=reported_at)
        _mirror_newest(activity)
    return workplan


def _mirror_newest(activity: Activity) -> None:
    """Activity.status and percent_complete follow its newest update, as the
    progress service keeps them; an update logged in the browser after the
    demo was loaded stays the newest on the next run."""
    newest = activity.updates.order_by("-year", "-quarter", "-created_at", "-pk").first()
    if newest is None:
        return
    if (activity.status, activity.percent_complete) != (newest.status, newest.percent_complete):
        activity.status = newest.status
        activity.percent_complete = newest.percent_complete
        activity.save(update_fields=["status", "percent_complete", "updated_at"])
