"""The task teams of the demo data: those of the Asia-Pacific regional network.

Seed 002 says task teams are established "per decision of the Regional
Network including their focus, composition, (co)-chairing arrangements and a
ToR", drawn from the regional executive committee (ILO, IOM, OHCHR, UNDP,
UNHCR, UNICEF, UNODC, ESCAP, OCHA, UNAIDS, UNDRR, UNFPA, UN Women) and the
other members. The teams below are plausible, not historical: three active
teams, a proposed working group and a closed, time-bound one. Dates are
fixed, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from core.seeding import DemoData, upsert
from members.models import Person

from .models import TaskTeam, TaskTeamKind, TaskTeamStatus

TT, WG = TaskTeamKind.TASK_TEAM, TaskTeamKind.WORKING_GROUP
ACTIVE, PROPOSED, CLOSED = TaskTeamStatus.ACTIVE, TaskTeamStatus.PROPOSED, TaskTeamStatus.CLOSED

DATA_TOR = """\
1. Purpose. The Task Team strengthens the evidence base on migration in Asia and the Pacific
(GCM objective 1; SDG target 10.7): it brings together the members' data work, agrees on a
small set of regional indicators, and supports country networks and national statistical
offices in collecting and using age- and gender-disaggregated data.

2. Deliverables. A biennial regional migration data snapshot; harmonized indicators for the
regional review of the GCM; a peer-learning session a year for national statistical offices.

3. Composition and co-chairs. Open to all members of the Regional Network; co-chaired by ESCAP
and IOM. Members designate one focal point each.

4. Working methods. Meets quarterly, online; reports to the Regional Network at its technical
meetings. Decisions by consensus.

5. Review. Reviewed by the Regional Network after each International Migration Review Forum.
"""

LABOUR_TOR = """\
1. Purpose. Joint work on fair and ethical recruitment and decent work for migrant workers in the
region's main labour migration corridors (GCM objectives 5, 6 and 22), with particular attention
to women migrant workers.

2. Deliverables. A regional dialogue with governments, employers' and workers' organizations; a
corridor study on recruitment costs; joint messages for the regional review of the GCM.

3. Composition and co-chairs. Co-chaired by ILO and UN Women; open to all members.
"""

ATD_TOR = """\
1. Purpose. Support governments in the region to end immigration detention of children and to
develop alternatives to detention (GCM objective 13), through peer learning and technical advice.

2. Deliverables. A regional peer-learning platform for governments; guidance for country networks
on child-sensitive alternatives; a yearly stocktaking.

3. Composition and co-chairs. Co-chaired by UNHCR and UNICEF; open to all members.
"""

# (slug, kind, name, focus, co-chairs, other members, people's e-mails,
#  established, decision, end, next review, status, ToR text, ToR file)
TEAMS = (
    (
        "migration-data",
        TT,
        "Task Team on Migration Data",
        "Strengthen the regional evidence base on migration: harmonized indicators, a regional "
        "data snapshot and support to national statistical offices (GCM objective 1, SDG 10.7).",
        ("UNESCAP", "IOM"),
        ("ILO", "UNFPA", "UNHCR", "UNICEF", "UN Women", "UNODC"),
        ("chair@demo.example.org",),
        date(2021, 6, 15),
        "Regional Network meeting of 15 June 2021 (Bangkok)",
        None,
        # Reviewed after the International Migration Review Forum of May 2026.
        date(2026, 12, 10),
        ACTIVE,
        DATA_TOR,
        "tor-task-team-migration-data.pdf",
    ),
    (
        "labour-migration",
        TT,
        "Task Team on Labour Migration and Decent Work",
        "Fair and ethical recruitment and decent work for migrant workers in the region's labour "
        "migration corridors, with a focus on women migrant workers (GCM objectives 5, 6, 22).",
        ("ILO", "UN Women"),
        ("IOM", "OHCHR", "UNDP", "UNESCAP"),
        ("m.gonzalez@ilo.example.org", "chair@demo.example.org"),
        date(2021, 6, 15),
        "Regional Network meeting of 15 June 2021 (Bangkok)",
        None,
        date(2027, 3, 31),
        ACTIVE,
        LABOUR_TOR,
        None,
    ),
    (
        "alternatives-to-detention",
        TT,
        "Task Team on Alternatives to Immigration Detention",
        "Peer learning and technical support for governments to end child immigration detention "
        "and develop alternatives to detention (GCM objective 13).",
        ("UNHCR", "UNICEF"),
        ("IOM", "OHCHR", "UNODC"),
        ("focal@demo.example.org", "t.novak@unicef.example.org"),
        date(2022, 3, 8),
        "Written consultation of the Regional Executive Committee, concluded 8 March 2022",
        None,
        date(2027, 6, 30),
        ACTIVE,
        ATD_TOR,
        None,
    ),
    (
        "climate-mobility",
        WG,
        "Working Group on Climate Change, Disasters and Human Mobility",
        "Proposed: joint analysis and advocacy on mobility in the context of disasters, climate "
        "change and environmental degradation (GCM objective 2), ahead of the next regional review.",
        ("UNDRR", "IOM"),
        ("UNEP", "UNHCR", "UN-Habitat", "UNDP"),
        (),
        None,
        "",
        None,
        None,
        PROPOSED,
        "",
        None,
    ),
    (
        "covid-19-response",
        WG,
        "Working Group on COVID-19 and Migrants",
        "Time-bound: joint messages and guidance on migrants' access to health care, vaccines and "
        "social protection during the COVID-19 pandemic (GCM objectives 7 and 15).",
        ("WHO", "IOM"),
        ("ILO", "OHCHR", "UNHCR", "UNICEF", "UNAIDS"),
        ("chair@demo.example.org", "focal@demo.example.org"),
        date(2020, 4, 20),
        "Regional Network meeting of 20 April 2020 (online)",
        date(2021, 12, 31),
        None,
        CLOSED,
        "Time-bound until the end of 2021. Produced the joint statement on migrants' access to "
        "COVID-19 vaccines and a checklist for country networks.",
        None,
    ),
)


def _pdf(title: str, text: str) -> bytes:
    """A one-page PDF of plain text, small enough to build by hand: the demo
    offers a document to download without a PDF library."""
    lines = [title, ""] + [line for block in text.splitlines() for line in _wrap(block, 95)]
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 10 Tf 50 800 Td 13 TL " + " ".join(f"({s}) '" for s in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


def _set(team: TaskTeam, name: str, wanted: list) -> None:
    """Make a many-to-many hold exactly `wanted`, writing only differences
    (an unchanged composition writes no history row)."""
    manager = getattr(team, name)
    wanted_ids = {o.pk for o in wanted}
    current = set(manager.values_list("pk", flat=True))
    if current - wanted_ids:
        manager.remove(*(current - wanted_ids))
    if wanted_ids - current:
        manager.add(*(wanted_ids - current))


def load_task_teams(demo: DemoData) -> dict[str, TaskTeam]:
    """The task-teams part of the demo (core.registry demo loader)."""
    tally, orgs, networks = demo.tally, demo.orgs, demo.networks
    network = networks["asia-pacific"]
    teams = {}
    for (
        slug,
        kind,
        name,
        focus,
        co_chairs,
        others,
        emails,
        established,
        decision,
        end_date,
        next_review,
        status,
        tor,
        tor_file,
    ) in TEAMS:
        team = upsert(
            tally,
            TaskTeam,
            {"network": network, "slug": slug},
            {
                "kind": kind,
                "name": name,
                "focus": focus,
                "terms_of_reference": tor,
                "established": established,
                "establishing_decision": decision,
                "end_date": end_date,
                "next_review": next_review,
                "status": status,
            },
        )
        chairs = [orgs[a] for a in co_chairs]
        _set(team, "co_chairs", chairs)
        _set(team, "member_organizations", chairs + [orgs[a] for a in others])
        people = list(
            Person.objects.filter(
                email__in=emails,
                organization__acronym__in=co_chairs + others,
                level="focal_point",
                is_active=True,
            )
        )
        _set(team, "members", people)
        # Create-only: a document replaced in the browser stays.
        if tor_file and not team.tor_document:
            team.tor_document.save(tor_file, ContentFile(_pdf(name, tor)), save=False)
            team.save(update_fields=["tor_document"])
        teams[slug] = team
    return teams
