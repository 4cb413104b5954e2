"""The meetings of the demo data: the GMG meetings that seeds 001 and 003
report (IOM's and UN/DESA's chairmanships, 2007), and an upcoming meeting of
the UN Network on Migration with a full agenda."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from core.seeding import DemoData, Tally, upsert
from members.models import Network, Organization

from .models import (
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Meeting,
    MeetingLevel,
    MeetingStatus,
    Participant,
    Response,
)
from .services.schedule import chair_term_for

GENEVA = "Europe/Zurich"
NEW_YORK = "America/New_York"
BANGKOK = "Asia/Bangkok"

P, W = MeetingLevel.PRINCIPALS, MeetingLevel.WORKING

# (date, level, city, time zone, title, note) — seed 001 (IOM, Jan–Jun 2007)
# and seed 003 (UN/DESA, Jul–Dec 2007). The seeds give dates and places,
# not hours: 10:00 local time stands in for them.
GMG_MEETINGS = (
    (
        "2007-01-22",
        W,
        "Geneva",
        GENEVA,
        "GMG working-level meeting",
        "European Commission representatives briefed members on EU migration policies.",
    ),
    ("2007-02-27", P, "Geneva", GENEVA, "GMG principals' meeting", ""),
    ("2007-04-20", W, "Geneva", GENEVA, "GMG working-level meeting", ""),
    (
        "2007-04-30",
        W,
        "Geneva",
        GENEVA,
        "GMG working-level meeting",
        "Geneva-based colleagues met; other agencies joined by video conference, "
        "on a draft document on international migration for the Policy Committee.",
    ),
    (
        "2007-05-02",
        P,
        "New York",
        NEW_YORK,
        "GMG principals' meeting",
        "The troika (IOM, UNHCR, UN/DESA) briefed UN Member States the same day.",
    ),
    (
        "2007-06-08",
        P,
        "Geneva",
        GENEVA,
        "GMG principals' meeting",
        "Convened at the request of SRSG Sutherland, with the Belgian and Philippine GFMD chairs.",
    ),
    ("2007-10-01", W, "New York", NEW_YORK, "GMG working-level meeting", ""),
    (
        "2007-11-09",
        P,
        "New York",
        NEW_YORK,
        "GMG principals' meeting",
        "Admitted UNESCO, UNICEF, the UN Regional Commissions and UNITAR; endorsed the "
        "International Partnership on Migration and Development.",
    ),
    (
        "2007-12-04",
        W,
        "New York",
        NEW_YORK,
        "GMG working-level meeting",
        "UN/DESA briefed the working level on its meetings with the GFMD chairs.",
    ),
)

# Seed 003: "attended by four Principals (IOM, UN/DESA, UNCTAD, and UNHCR)".
NOVEMBER_PRINCIPALS = ("IOM", "UN DESA", "UNCTAD", "UNHCR")
# Seed 001: EC representatives attended the working-level meeting of 22 January.
JANUARY_GUEST = ("EC", "European Commission")

UPCOMING_TITLE = "Executive Committee meeting"
UPCOMING_AGENDA = (
    # (title, presenter, minutes, status, purpose)
    ("Opening and adoption of the agenda", "IOM", 10, AgendaItemStatus.ACCEPTED, ""),
    (
        "Preparations for the International Migration Review Forum",
        "UN DESA",
        30,
        AgendaItemStatus.ACCEPTED,
        "Agree the Network's inputs and a timeline for the regional reviews.",
    ),
    (
        "Workplan progress: mid-year review",
        "IOM",
        25,
        AgendaItemStatus.ACCEPTED,
        "Secretariat's report on the annual workplan; activities at risk.",
    ),
    (
        "Capacity-building mechanism: start-up fund round",
        "UNDP",
        20,
        AgendaItemStatus.ACCEPTED,
        "Proposals shortlisted by the decision-making body.",
    ),
    (
        "Joint statement on climate-related displacement",
        "UNHCR",
        20,
        AgendaItemStatus.PROPOSED,
        "Proposed by UNHCR: a common position ahead of the next COP.",
    ),
    (
        "Data on labour migration corridors",
        "ILO",
        15,
        AgendaItemStatus.DEFERRED,
        "Deferred by the coordinator to the next meeting: the data set is not final.",
    ),
)


def _local(day: str, zone: str, hour: int = 10) -> datetime:
    return datetime.combine(datetime.fromisoformat(day).date(), time(hour), tzinfo=ZoneInfo(zone))


def load_gmg_meetings(tally: Tally, orgs: dict[str, Organization], gmg: Network) -> None:
    guest = upsert(
        tally,
        Organization,
        {"acronym": JANUARY_GUEST[0]},
        {
            "name": JANUARY_GUEST[1],
            "slug": "ec",
            "kind": "external_partner",
            "headquarters": "Brussels",
        },
    )
    for day, level, city, zone, title, note in GMG_MEETINGS:
        start = _local(day, zone)
        # Held, or on with its minutes approved (the decisions demo approves
        # those of 9 November): a later run does not take it back.
        status = (
            Meeting.objects.filter(network=gmg, start=start)
            .values_list("status", flat=True)
            .first()
        )
        if status != MeetingStatus.MINUTES_APPROVED:
            status = MeetingStatus.HELD
        meeting = upsert(
            tally,
            Meeting,
            {"network": gmg, "start": start},
            {
                "level": level,
                "title": title,
                "end": start + timedelta(hours=2),
                "time_zone": zone,
                "city": city,
                "status": status,
                "chair_term": chair_term_for(gmg, start),
                "cancel_reason": "",
                "online_url": "https://video.example.org/gmg" if "video" in note else "",
                "notes": note,
            },
        )
        if day == "2007-11-09":
            for acronym in NOVEMBER_PRINCIPALS:
                upsert(
                    tally,
                    Participant,
                    {"meeting": meeting, "organization": orgs[acronym], "person": None},
                    {"attendance": Attendance.PRESENT, "response": Response.ATTENDING},
                )
        if day == "2007-01-22":
            upsert(
                tally,
                Participant,
                {"meeting": meeting, "organization": guest, "person": None},
                {
                    "is_guest": True,
                    "attendance": Attendance.PRESENT,
                    "response": Response.ATTENDING,
                },
            )


def load_upcoming_meeting(tally: Tally, orgs: dict[str, Organization], unnm: Network) -> None:
    """Create-only (keyed on its title): a later run leaves its dates, and
    whatever users did to it, alone."""
    if Meeting.objects.filter(network=unnm, title=UPCOMING_TITLE).exists():
        tally.add(Meeting, created=False, updated=False)
        return
    today = timezone.localdate()
    start = _local((today + timedelta(days=21)).isoformat(), GENEVA, 14)
    meeting = Meeting.objects.create(
        network=unnm,
        level=MeetingLevel.EXECUTIVE_COMMITTEE,
        title=UPCOMING_TITLE,
        start=start,
        end=start + timedelta(hours=3),
        time_zone=GENEVA,
        city="Geneva",
        venue="IOM Headquarters, 17 route des Morillons",
        online_url="https://video.example.org/unnm-excom",
        proposals_deadline=start - timedelta(days=7),
        chair_term=chair_term_for(unnm, start),
    )
    tally.add(Meeting, created=True, updated=False)
    for position, (title, presenter, minutes, status, purpose) in enumerate(UPCOMING_AGENDA, 1):
        AgendaItem.objects.create(
            meeting=meeting,
            title=title,
            presenter=orgs[presenter],
            proposed_by_org=orgs[presenter],
            minutes_wanted=minutes,
            status=status,
            purpose=purpose,
            position=position,
        )
        tally.add(AgendaItem, created=True, updated=False)
    from .services.schedule import participants_invite

    participants_invite(meeting=meeting)


REGIONAL_TITLE = "Regional Network technical meeting"


def load_regional_meeting(tally: Tally, asia_pacific: Network) -> None:
    """A working-level meeting in Bangkok (seed 002: technical meetings on a
    quarterly basis, chaired by IOM in Bangkok), focal points invited.
    Create-only, like the upcoming Executive Committee."""
    from .services.schedule import participants_invite

    if Meeting.objects.filter(network=asia_pacific, title=REGIONAL_TITLE).exists():
        tally.add(Meeting, created=False, updated=False)
        return
    start = _local((timezone.localdate() + timedelta(days=45)).isoformat(), BANGKOK, 9)
    meeting = Meeting.objects.create(
        network=asia_pacific,
        level=MeetingLevel.WORKING,
        title=REGIONAL_TITLE,
        start=start,
        end=start + timedelta(hours=3),
        time_zone=BANGKOK,
        city="Bangkok",
        venue="UN Conference Centre",
        online_url="https://video.example.org/ap",
        proposals_deadline=start - timedelta(days=14),
        chair_term=chair_term_for(asia_pacific, start),
    )
    tally.add(Meeting, created=True, updated=False)
    participants_invite(meeting=meeting)


def load_meetings(demo: DemoData) -> None:
    """The meetings part of the demo (core.registry demo loader)."""
    tally, orgs, networks = demo.tally, demo.orgs, demo.networks
    load_gmg_meetings(tally, orgs, networks["gmg"])
    load_upcoming_meeting(tally, orgs, networks["unnm"])
    load_regional_meeting(tally, networks["asia-pacific"])
