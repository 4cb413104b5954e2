"""The documents of the demo data: the network's records and its presence
outside it, from the source documents.

Seed 001 (IOM's chairmanship, January–June 2007) lists the seven joint
documents of the term, the statements to the Friends of the Forum in Brussels
(30 January) and Geneva (27 March) and the Troika's briefing to Member States
in New York (2 May); its footnotes give where four of them are published, kept
here as external links. Seed 003 (UN/DESA, July–December 2007) adds the
statement to the first GFMD in Brussels (9–11 July), the matrix of its
recommendations, the proposal for an International Partnership on Migration
and Development shared with the GFMD Steering Group (19 November), the
meeting with the incoming and outgoing chairs (26 November), the statement to
the Friends of the Forum of 17 December and the GMG Workspace itself. For the
UN Network and the Asia-Pacific network: their terms of reference (seed 002)
and the regional workplan; for today's UN Network also a draft shared with
its drafting agencies, a paper for the executive committee and a paper under
embargo, so that who sees what can be tried with the demo accounts.

Everything goes through the app's services, create-only (keyed on the
network and the title): a second run, and whatever users did since, is left
alone. The files are small real PDFs whose text the search reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.seeding import DemoData, Tally
from workplans.models import Activity

from . import services
from .models import (
    STANDARD_KINDS,
    Access,
    Document,
    DocumentKind,
    DocumentStatus,
    Engagement,
    EngagementKind,
    Language,
)

GFMD = "http://www.gfmd.org/documents/brussels/"
IOM_DOCS = (
    "http://www.iom.int/jahia/webdav/site/myjahiasite/shared/shared/mainsite/partnerships/docs/"
)

# (title, kind, date, lead, contributors, summary, external link, files {language: text})
GMG_DOCUMENTS = (
    (
        "GMG Brochure",
        "joint-document",
        date(2007, 3, 15),
        "IOM",
        ("UNHCR", "UN DESA", "ILO"),
        "An outline of the members of the Global Migration Group and their areas of work on "
        "migration. Later updated to reflect a membership of sixteen agencies.",
        "",
        {
            Language.ENGLISH: "The Global Migration Group brings together agencies working on "
            "migration to promote the wider application of international and regional "
            "instruments and norms relating to migration.",
            Language.FRENCH: "Le Groupe mondial sur la migration réunit les organismes qui "
            "travaillent sur la migration pour promouvoir une application plus large des "
            "instruments et normes internationaux et régionaux relatifs à la migration.",
        },
    ),
    (
        "GMG Information Note on the Involvement of Participating Agencies in the "
        "Preparations for the First Meeting of the GFMD",
        "joint-document",
        date(2007, 6, 1),
        "IOM",
        (),
        "Shared with the Global Forum on Migration and Development ahead of its first "
        "meeting in Brussels.",
        GFMD + "gfmd_brussels07_contribution_gmg_input_en.pdf",
        {},
    ),
    (
        "GMG: Questions and Issues of Relevance to the Interlinkages Between International "
        "Migration, Gender and Development",
        "joint-document",
        date(2007, 6, 8),
        "IOM",
        (),
        "Shared with the GFMD: the gender dimension of migration and development.",
        GFMD + "gfmd_brussels07_contribution_gmg_survey_md_projects_activities_en.pdf",
        {},
    ),
    (
        "GMG Matrix of Projects and Activities of Potential Interest to GFMD Participants",
        "joint-document",
        date(2007, 6, 15),
        "IOM",
        (),
        "The expertise of the GMG agencies and the support they could offer in the thematic "
        "areas of focus of the GFMD.",
        GFMD + "gfmd_brussels07_contribution_gmg_matrix_of_projects_activities_en.pdf",
        {},
    ),
    (
        "GMG Survey of Migration and Development-related Policy Research, Data Collection "
        "and Publications",
        "joint-document",
        date(2007, 6, 20),
        "IOM",
        (),
        "An overview of the members' policy research, data collection and publications.",
        IOM_DOCS + "gmg_mpr.pdf",
        {},
    ),
    (
        "GMG Survey of Migration and Development Projects and Activities",
        "joint-document",
        date(2007, 6, 22),
        "IOM",
        (),
        "Prepared in the context of the GFMD.",
        GFMD + "gfmd_brussels07_contribution_results_of_the_gmg_survey_en.pdf",
        {},
    ),
    (
        "GMG Survey of Capacity Building Initiatives",
        "joint-document",
        date(2007, 6, 29),
        "IOM",
        (),
        "Gaps, overlaps and potential synergies of the capacity building activities of the "
        "GMG agencies.",
        IOM_DOCS + "GMG_survey_CB%20final_29June07.pdf",
        {},
    ),
    (
        "Statement on behalf of the GMG to the first meeting of the Friends of the Forum",
        "statement",
        date(2007, 1, 30),
        "IOM",
        (),
        "Delivered by IOM as GMG Chair in Brussels.",
        "",
        {
            Language.ENGLISH: "Statement of the Global Migration Group to the Friends of the "
            "Forum, Brussels, 30 January 2007. The GMG agencies stand ready to support the "
            "preparations of the first Global Forum on Migration and Development."
        },
    ),
    (
        "Statement on behalf of the GMG to the Friends of the Forum, Geneva",
        "statement",
        date(2007, 3, 27),
        "IOM",
        (),
        "Delivered by IOM as GMG Chair in Geneva.",
        "",
        {
            Language.ENGLISH: "Statement of the Global Migration Group to the Friends of the "
            "Forum, Geneva, 27 March 2007. Integrating migration into development planning "
            "agendas at the national, regional and global level."
        },
    ),
    (
        "Briefing to United Nations Member States on the work of the GMG",
        "briefing-note",
        date(2007, 5, 2),
        "IOM",
        ("UNHCR", "UN DESA"),
        "The GMG Troika (IOM, UNHCR, UN DESA) informed Member States in New York of the "
        "activities of the GMG and its agencies in migration and development.",
        "",
        {
            Language.ENGLISH: "Briefing by the GMG Troika to Member States, New York, 2 May "
            "2007: poverty reduction strategy papers, regional consultative processes and "
            "the first Global Forum."
        },
    ),
    (
        "Statement of the Global Migration Group to the first meeting of the GFMD",
        "statement",
        date(2007, 7, 10),
        "UN DESA",
        (),
        "Delivered by Under-Secretary-General Sha of UN/DESA, GMG Chair, in Brussels.",
        "",
        {
            Language.ENGLISH: "Statement delivered on behalf of the Global Migration Group by "
            "Under-Secretary-General Sha at the first meeting of the Global Forum on Migration "
            "and Development, Brussels, 9 to 11 July 2007. Remittances and circular migration "
            "can serve development.",
            Language.FRENCH: "Déclaration du Groupe mondial sur la migration prononcée par le "
            "Secrétaire général adjoint Sha à la première réunion du Forum mondial sur la "
            "migration et le développement, Bruxelles, 9-11 juillet 2007. Les envois de fonds "
            "et la migration circulaire peuvent servir le développement.",
        },
    ),
    (
        "Matrix of recommendations and outcomes of the Brussels meeting of the GFMD",
        "report",
        date(2007, 9, 14),
        "UN DESA",
        (),
        "Prepared by UN/DESA after the first meeting of the GFMD.",
        "",
        {
            Language.ENGLISH: "Matrix of the recommendations and outcomes of the first "
            "meeting of the Global Forum on Migration and Development, Brussels, July 2007, "
            "with the GMG agencies able to follow each one up."
        },
    ),
    (
        "Proposal for an International Partnership on Migration and Development",
        "background-paper",
        date(2007, 11, 16),
        "UN DESA",
        ("IOM", "UNHCR", "UNCTAD"),
        "Endorsed by the GMG Principals on 9 November 2007 and revised by the working level; "
        "shared with the GFMD Chair-in-Office for the Steering Group of 19 November, which "
        "deferred its consideration.",
        "",
        {
            Language.ENGLISH: "Proposal for an International Partnership on Migration and "
            "Development, as revised by the GMG working level, November 2007."
        },
    ),
    (
        "Statement on behalf of the GMG to the Friends of the Forum under the Chair of the "
        "Philippines",
        "statement",
        date(2007, 12, 17),
        "UN DESA",
        (),
        "Prepared and delivered by UN/DESA in Geneva.",
        "",
        {
            Language.ENGLISH: "Statement of the Global Migration Group to the first meeting "
            "of the Friends of the Forum under the Chair of the Government of the Philippines, "
            "Geneva, 17 December 2007."
        },
    ),
    (
        "GMG Workspace",
        "background-paper",
        date(2007, 10, 1),
        "UN DESA",
        (),
        "The electronic workspace created by UN/DESA as the central place for all official "
        "GMG documents (minutes, outputs, correspondence), with collaboration on drafts; "
        "every working-level member has access.",
        "http://public.bscw.de/bscw/bscw.cgi",
        {},
    ),
)

UNNM_TOR = (
    "Terms of Reference of the United Nations Network on Migration",
    "The Network's purpose (to ensure effective, timely and coordinated system-wide "
    "support to Member States in implementing the Global Compact for Safe, Orderly and "
    "Regular Migration), its members, Executive Committee, Coordinator and secretariat, "
    "and how it takes decisions: by consensus.",
    "Terms of Reference of the United Nations Network on Migration. The Network will "
    "endeavour to take all decisions by consensus. The Executive Committee sets the "
    "Network's priorities; IOM serves as Coordinator and secretariat.",
)
ASIA_TOR = (
    "Terms of Reference of the Regional United Nations Network on Migration for Asia and the "
    "Pacific",
    "Guidance to resident coordinators and country teams, joint regional action and support "
    "to the global Network, including regional input to the Secretary-General's report.",
    "Terms of Reference of the Regional United Nations Network on Migration for Asia and the "
    "Pacific: three strategic objectives, a two-year work plan monitored by the secretariat.",
)

# (event, organizer, place, start, end, kind, agency, representative, outcome, public,
#  titles of the documents linked)
GMG_ENGAGEMENTS = (
    (
        "First meeting of the Friends of the Forum",
        "GFMD Chair-in-Office (Belgium)",
        "Brussels",
        date(2007, 1, 30),
        None,
        EngagementKind.STATEMENT,
        "IOM",
        "IOM, GMG Chair",
        "The GMG's support to the preparations of the first Forum presented.",
        True,
        ("Statement on behalf of the GMG to the first meeting of the Friends of the Forum",),
    ),
    (
        "Friends of the Forum",
        "GFMD Chair-in-Office (Belgium)",
        "Geneva",
        date(2007, 3, 27),
        None,
        EngagementKind.STATEMENT,
        "IOM",
        "IOM, GMG Chair",
        "",
        True,
        ("Statement on behalf of the GMG to the Friends of the Forum, Geneva",),
    ),
    (
        "Briefing to United Nations Member States",
        "Global Migration Group",
        "New York",
        date(2007, 5, 2),
        None,
        EngagementKind.BRIEFING,
        "IOM",
        "The GMG Troika: IOM, UNHCR and UN DESA",
        "Member States informed of the GMG's and its agencies' activities in migration and "
        "development.",
        True,
        ("Briefing to United Nations Member States on the work of the GMG",),
    ),
    (
        "GFMD Civil Society Day",
        "Global Forum on Migration and Development",
        "Brussels",
        date(2007, 7, 9),
        None,
        EngagementKind.PARTICIPATION,
        "IOM",
        "GMG agencies with partner NGOs, migrant associations and diaspora groups",
        "",
        True,
        (),
    ),
    (
        "First meeting of the Global Forum on Migration and Development",
        "Government of Belgium",
        "Brussels",
        date(2007, 7, 9),
        date(2007, 7, 11),
        EngagementKind.STATEMENT,
        "UN DESA",
        "Under-Secretary-General Sha of UN/DESA, GMG Chair",
        "UN/DESA prepared a matrix with the recommendations and outcomes of the meeting.",
        True,
        (
            "Statement of the Global Migration Group to the first meeting of the GFMD",
            "Matrix of recommendations and outcomes of the Brussels meeting of the GFMD",
        ),
    ),
    (
        "GFMD Steering Group",
        "GFMD Chair-in-Office",
        "Geneva",
        date(2007, 11, 19),
        None,
        EngagementKind.PARTICIPATION,
        "UN DESA",
        "",
        "The Steering Group deferred its consideration of the proposal for an International "
        "Partnership on Migration and Development.",
        False,
        ("Proposal for an International Partnership on Migration and Development",),
    ),
    (
        "Meeting with Under-Secretary Conejos and Ambassador Declercq",
        "UN/DESA",
        "New York",
        date(2007, 11, 26),
        None,
        EngagementKind.BILATERAL,
        "UN DESA",
        "Under-Secretary-General Sha of UN/DESA, GMG Chair",
        "How the GMG could contribute to the GFMD; the working level was briefed on 4 December.",
        False,
        (),
    ),
    (
        "First meeting of the Friends of the Forum under the Chair of the Philippines",
        "Government of the Philippines",
        "Geneva",
        date(2007, 12, 17),
        None,
        EngagementKind.STATEMENT,
        "UN DESA",
        "UN/DESA, GMG Chair",
        "",
        True,
        (
            "Statement on behalf of the GMG to the Friends of the Forum under the Chair of the "
            "Philippines",
        ),
    ),
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int = 80) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def small_pdf(text: str) -> bytes:
    """A one-page PDF of `text` in Helvetica (Latin-1), made by hand: real
    enough for any reader and for pypdf to read the words back, and quick."""
    rows = ["BT /F1 11 Tf 14 TL 56 780 Td"]
    for line in _wrap(text):
        rows.append(f"({_escape(line)}) Tj T*")
    rows.append("ET")
    stream = "\n".join(rows).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _document(
    tally: Tally,
    network,
    *,
    title: str,
    kind: str,
    day: date,
    lead,
    by,
    contributors=(),
    summary: str = "",
    url: str = "",
    files: dict | None = None,
    status: str = DocumentStatus.PUBLISHED,
    access: str = Access.PUBLIC,
    access_agencies=(),
    publish_on: datetime | None = None,
    **links,
) -> Document:
    existing = Document.objects.filter(network=network, title=title).first()
    if existing is not None:
        tally.add(Document, created=False, updated=False)
        return existing
    document = services.document_create(
        network=network,
        by=by,
        title=title,
        kind=DocumentKind.objects.get(slug=kind),
        date=day,
        lead_agency=lead,
        summary=summary,
        external_url=url,
        access=access,
        access_agencies=access_agencies,
        contributors=contributors,
        publish_on=publish_on or (_noon(day) if status == DocumentStatus.PUBLISHED else None),
        **links,
    )
    for language, text in (files or {}).items():
        short = title if len(title) <= 60 else title[:60].rsplit(" ", 1)[0]
        name = f"{short} ({language}).pdf"
        version = services.file_upload(
            document=document,
            upload=SimpleUploadedFile(name, small_pdf(text), content_type="application/pdf"),
            language=language,
            by=by,
            note="As delivered." if kind == "statement" else "",
        )
        # The demo needs no worker: read the text now (the queued task finds
        # it done and does nothing).
        services.extract_file_text(version.pk)
    if status in (DocumentStatus.FINAL, DocumentStatus.PUBLISHED):
        services.document_move(document=document, status=DocumentStatus.FINAL, by=by)
    if status == DocumentStatus.PUBLISHED:
        services.document_move(document=document, status=DocumentStatus.PUBLISHED, by=by)
    tally.add(Document, created=True, updated=False)
    return document


def _engagement(tally: Tally, network, row, orgs, by, documents: dict) -> None:
    event, organizer, place, start, end, kind, agency, who, outcome, public, titles = row
    if Engagement.objects.filter(network=network, event=event, start=start).exists():
        tally.add(Engagement, created=False, updated=False)
        return
    services.engagement_save(
        network=network,
        by=by,
        documents=[documents[t] for t in titles],
        event=event,
        organizer=organizer,
        place=place,
        start=start,
        end=end,
        kind=kind,
        represented_by=orgs[agency],
        representative=who,
        outcome=outcome,
        public=public,
    )
    tally.add(Engagement, created=True, updated=False)


def load_gmg(demo: DemoData, by) -> None:
    gmg, orgs = demo.networks["gmg"], demo.orgs
    documents = {}
    for title, kind, day, lead, contributors, summary, url, files in GMG_DOCUMENTS:
        documents[title] = _document(
            demo.tally,
            gmg,
            title=title,
            kind=kind,
            day=day,
            lead=orgs[lead],
            by=by,
            contributors=[orgs[a] for a in contributors],
            summary=summary,
            url=url,
            files=files,
            # The proposal went to the GFMD's Steering Group, not to the public.
            **(
                {"status": DocumentStatus.FINAL, "access": Access.MEMBERS}
                if title.startswith("Proposal")
                else {}
            ),
        )
    for row in GMG_ENGAGEMENTS:
        _engagement(demo.tally, gmg, row, orgs, by, documents)


def load_today(demo: DemoData, by) -> None:
    """The UN Network's and the Asia-Pacific network's terms of reference and
    workplan paper, and three of the UN Network's own papers of today: a draft
    its drafting agencies share, a paper for the executive committee and one
    under embargo."""
    unnm, asia, orgs = demo.networks["unnm"], demo.networks["asia-pacific"], demo.orgs
    for network, (title, summary, text), day in (
        (unnm, UNNM_TOR, date(2019, 5, 14)),
        (asia, ASIA_TOR, date(2020, 3, 1)),
    ):
        _document(
            demo.tally,
            network,
            title=title,
            kind="terms-of-reference",
            day=day,
            lead=network.secretariat or network.coordinator,
            by=by,
            summary=summary,
            files={Language.ENGLISH: text},
        )
    activity = Activity.objects.filter(objective__workplan__network=asia).order_by("pk").first()
    _document(
        demo.tally,
        asia,
        title="Regional Network workplan 2025–2026: the paper approved by the network",
        kind="report",
        day=date(2025, 1, 15),
        lead=asia.secretariat or asia.coordinator,
        by=by,
        summary="The two-year work plan that puts the three strategic objectives to work, "
        "with the activities led by the members of the executive committee.",
        files={
            Language.ENGLISH: "Workplan 2025-2026 of the Regional United Nations Network on "
            "Migration for Asia and the Pacific: objectives, activities, leads and timelines."
        },
        access=Access.MEMBERS,
        activity=activity,
    )
    today = timezone.localdate()
    _document(
        demo.tally,
        unnm,
        title="Joint statement on climate-related displacement (draft)",
        kind="statement",
        day=today - timedelta(days=10),
        lead=orgs["UNHCR"],
        by=by,
        contributors=[orgs["IOM"]],
        summary="A common position of the Network ahead of the next COP, drafted by UNHCR "
        "with IOM.",
        files={
            Language.ENGLISH: "Draft joint statement of the United Nations Network on Migration "
            "on displacement in the context of disasters and climate change."
        },
        status=DocumentStatus.DRAFT,
        access=Access.MEMBERS,
    )
    _document(
        demo.tally,
        unnm,
        title="Briefing for the Executive Committee: the International Migration Review Forum",
        kind="briefing-note",
        day=today - timedelta(days=20),
        lead=orgs["IOM"],
        by=by,
        summary="Options for the Network's inputs to the Forum, for the principals.",
        files={
            Language.ENGLISH: "Briefing for the Executive Committee on the preparations for "
            "the International Migration Review Forum."
        },
        status=DocumentStatus.FINAL,
        access=Access.EXECUTIVE_COMMITTEE,
    )
    _document(
        demo.tally,
        unnm,
        title="Annual review of the Network's workplan (to be released)",
        kind="report",
        day=today - timedelta(days=3),
        lead=orgs["IOM"],
        by=by,
        summary="Published when the embargo ends.",
        files={Language.ENGLISH: "Annual review of the workplan of the Network."},
        publish_on=_noon(today + timedelta(days=30)),
    )


def ensure_standard_kinds() -> None:
    """The kinds data migration 0002 writes, written again where a database
    was emptied since (a test that flushes its tables, a restore of data only)."""
    for order, (slug, name) in enumerate(STANDARD_KINDS, 1):
        DocumentKind.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})


def load_documents(demo: DemoData) -> None:
    """The documents part of the demo (core.registry demo loader)."""
    ensure_standard_kinds()
    by = demo.users.get("secretariat@demo.example.org")
    load_gmg(demo, by)
    load_today(demo, by)
