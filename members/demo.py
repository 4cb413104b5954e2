"""The members side of the demo (`seed_demo`): the networks, members and chairs
of the source documents (the Global Migration Group 2003–2007, the UN Network
on Migration and its Annex II members, the Regional UN Network on Migration
for Asia and the Pacific) and one demo account per role.

Idempotent: every row is looked up by its natural key and written only when a
value differs, so a second run changes nothing (not even the history tables).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from accounts.models import Role, RoleGrant, User
from core.seeding import DemoData, Tally, upsert

from .models import (
    AdmissionCriterion,
    ApplicationStatus,
    ChairTerm,
    CriterionAssessment,
    DecidingBody,
    Governance,
    Membership,
    MembershipApplication,
    Network,
    NetworkLevel,
    Organization,
    OrganizationKind,
    Person,
    PersonLevel,
    RotationPosition,
)

PASSWORD = "demo-password-2026"

UN = OrganizationKind.UN_ENTITY
RELATED = OrganizationKind.RELATED

# --- organizations -----------------------------------------------------------
# (acronym, name, slug, kind, headquarters). One row per agency across networks.
# Names follow Annex II of the UN Network on Migration's terms of reference
# (seed 002), except two slips of that annex corrected from seed 001 and the
# agencies' own names (see ANNEX_II_SPELLING).
ORGANIZATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("CEB", "Chief Executives Board Secretariat", "ceb", UN, "New York"),
    ("UN DESA", "Department of Economic and Social Affairs", "un-desa", UN, "New York"),
    ("DPI", "Department of Public Information", "dpi", UN, "New York"),
    ("FAO", "Food and Agriculture Organization", "fao", UN, "Rome"),
    ("IASC", "Inter-Agency Standing Committee Secretariat", "iasc", UN, "Geneva"),
    ("IFAD", "International Fund for Agricultural Development", "ifad", UN, "Rome"),
    ("ILO", "International Labour Organization", "ilo", UN, "Geneva"),
    ("IMO", "International Maritime Organization", "imo", UN, "London"),
    ("IOM", "International Organization for Migration", "iom", RELATED, "Geneva"),
    ("UNAIDS", "Joint United Nations Programme on HIV/AIDS", "unaids", UN, "Geneva"),
    ("MPTFO", "Multi-Partner Trust Fund Office", "mptfo", UN, "New York"),
    ("OCHA", "Office for the Coordination of Humanitarian Affairs", "ocha", UN, "New York"),
    ("OHCHR", "Office of the High Commissioner for Human Rights", "ohchr", UN, "Geneva"),
    ("PBSO", "Peacebuilding Support Office", "pbso", UN, "New York"),
    ("UNAoC", "United Nations Alliance of Civilizations", "unaoc", UN, "New York"),
    ("UNICEF", "United Nations Children's Fund", "unicef", UN, "New York"),
    ("UNCTAD", "United Nations Conference on Trade and Development", "unctad", UN, "Geneva"),
    ("UNDP", "United Nations Development Programme", "undp", UN, "New York"),
    (
        "UNESCO",
        "United Nations Educational, Scientific and Cultural Organization",
        "unesco",
        UN,
        "Paris",
    ),
    ("UNECA", "United Nations Economic Commission for Africa", "uneca", UN, "Addis Ababa"),
    (
        "UNECLAC",
        "United Nations Economic Commission for Latin America and the Caribbean",
        "uneclac",
        UN,
        "Santiago",
    ),
    (
        "UNESCAP",
        "United Nations Economic and Social Commission for Asia and the Pacific",
        "unescap",
        UN,
        "Bangkok",
    ),
    (
        "UNESCWA",
        "United Nations Economic and Social Commission for Western Asia",
        "unescwa",
        UN,
        "Beirut",
    ),
    ("UNECE", "United Nations Economic Commission for Europe", "unece", UN, "Geneva"),
    (
        "UN Women",
        "United Nations Entity for Gender Equality and the Empowerment of Women",
        "un-women",
        UN,
        "New York",
    ),
    ("UNEP", "United Nations Environment Programme", "unep", UN, "Nairobi"),
    ("UNFCCC", "United Nations Framework Convention on Climate Change", "unfccc", UN, "Bonn"),
    ("UNHCR", "United Nations High Commissioner for Refugees", "unhcr", UN, "Geneva"),
    ("UN-Habitat", "United Nations Human Settlements Programme", "un-habitat", UN, "Nairobi"),
    ("UNIDO", "United Nations Industrial Development Organization", "unido", UN, "Vienna"),
    ("UNITAR", "United Nations Institute for Training and Research", "unitar", UN, "Geneva"),
    ("UNODC", "United Nations Office on Drugs and Crime", "unodc", UN, "Vienna"),
    ("UNFPA", "United Nations Population Fund", "unfpa", UN, "New York"),
    (
        "UNSDG",
        "United Nations Sustainable Development Group Secretariat",
        "unsdg",
        UN,
        "New York",
    ),
    ("UNU", "United Nations University", "unu", UN, "Tokyo"),
    ("WFP", "World Food Programme", "wfp", UN, "Rome"),
    ("World Bank", "World Bank", "world-bank", RELATED, "Washington, D.C."),
    ("WHO", "World Health Organization", "who", UN, "Geneva"),
    # Not in Annex II: the GMG's member for the five regional commissions, and
    # the "UN DRR" of the Asia-Pacific regional executive committee.
    ("UNRC", "United Nations Regional Commissions (Coordinator)", "unrc", UN, "New York"),
    ("UNDRR", "United Nations Office for Disaster Risk Reduction", "undrr", UN, "Geneva"),
)

# Where Annex II spells an agency differently from the name kept above.
ANNEX_II_SPELLING = {
    "UNCTAD": "United Nations Conference for Trade and Development",
    "UNESCO": "United Nations Educational, Social and Cultural Organization",
    "UN-Habitat": "United Nations Human Settlements Programme (UN Habitat)",
    "UNSDG": "United Nations Sustainable Development Group (UNSDG) Secretariat",
}

# --- the Global Migration Group (seeds 000, 001, 003) ---------------------------

GMG_TERMS_OF_REFERENCE = """\
The GMG is an inter-agency group, meeting at the level of Heads of agencies, which aims to \
promote the wider application of all relevant international and regional instruments and norms \
relating to migration, and the provision of more coherent and stronger leadership to improve the \
overall effectiveness of the United Nations and the international community's policy and \
operational response to the opportunities and challenges presented by international migration.

The members of the GMG recognize that migration is an important, complex and multi-dimensional \
issue, and that, properly managed, in full respect for the human rights and international legal \
principles at issue, migration benefits individuals and societies, and can make an important \
contribution to the early achievement of the internationally agreed development goals and \
objectives, including the Millennium Development Goals.

The GMG's regular consultations shall be for the purpose of:
- establishing a comprehensive and coherent approach in the overall institutional response to \
international migration;
- providing direction and leadership in a system-wide context and promoting interest, dialogue \
and debate on migration-related issues, including trade and development aspects, with \
governments, employers' and workers' organizations and civil society;
- contributing to greater consistency in policy formulation and programme implementation;
- exchanging information and expertise to improve understanding, inter-agency cooperation and \
collaboration, to promote synergies and avoid duplication;
- identifying critical issues, opportunities, challenges, weaknesses, gaps and best practices \
along the migration "life cycle";
- pooling efforts in and exchanging results of research, data collection and analysis;
- agreeing on common positions, responses and actions in addressing specific situations or themes;
- agreeing on common activities to develop and exchange thematic expertise among staff, such as \
training programmes, especially in the field of capacity building, and inter-agency transfers;
- reinforcing the human rights, labour rights, human security and criminal justice dimensions of \
migration governance and management, with a focus on the protection and well-being of migrants, \
including victims of trafficking;
- contributing to major initiatives of GMG members and the international community, such as the \
2006 General Assembly High Level Dialogue on Migration and Development and the follow-up to the \
recommendations of the Global Commission on International Migration;
- enhancing the efforts of individual states, regional bodies, regional and global consultative \
processes; and
- finding appropriate mechanisms to interact with states.

The GMG meetings shall be held on a quarterly basis (and whenever required on an ad hoc basis) \
and have a rotating chair, which shall in turn be responsible for proposing the agenda and \
preparing the minutes of the meeting. Working-level meetings may be convened to prepare meetings \
of the GMG and ensure appropriate follow-up of its deliberations. The chair of the meetings \
rotates at the same time as the chair of the GMG. GMG members may propose topics for the agenda \
to the rotating chair, and may request the participation of additional organizations on an ad \
hoc basis. All meetings will have an informal, un-bureaucratic character.

(The GMG was succeeded by the UN Network on Migration, established by the Secretary-General on \
23 May 2018.)
"""

GMG_CRITERIA = (
    "A mandate of direct relevance to international migration",
    "A United Nations system entity or a related organization",
    "A commitment to contribute actively to the Group's work, at the level of principals "
    "and at the working level",
    "A designated focal point for the Group's working-level meetings",
)

# (acronym, joined, notes)
GMG_MEMBERS: tuple[tuple[str, date, str], ...] = tuple(
    (acronym, date(2003, 4, 1), "Founding member of the Geneva Migration Group (April 2003).")
    for acronym in ("ILO", "IOM", "OHCHR", "UNCTAD", "UNHCR", "UNODC")
) + tuple(
    (
        acronym,
        date(2006, 5, 1),
        "Joining date approximate: a member when the GMG was established in 2006 "
        "(ten members as of June 2007).",
    )
    for acronym in ("UN DESA", "UNDP", "UNFPA", "World Bank")
)

GMG_ROTATION = (
    "UNHCR",
    "IOM",
    "UN DESA",
    "UNFPA",
    "ILO",
    "OHCHR",
    "UNCTAD",
    "UNODC",
    "UNDP",
    "World Bank",
)

IOM_ACHIEVEMENTS = """\
- Convened and led meetings at the principals level (27 February 2007, Geneva; 2 May 2007, \
New York; 8 June 2007, Geneva, at the request of SRSG Sutherland) and at the working level \
(22 January, 20 April and 30 April 2007, Geneva).
- Formulated a joint programme and workplan and agreed the schedule of GMG meetings.
- Coordinated and finalized the GMG contributions to the UN General Assembly, the Global Forum \
on Migration and Development (GFMD) and other international fora; delivered statements on behalf \
of the GMG to the Friends of the Forum (30 January 2007, Brussels; 27 March 2007, Geneva).
- Advanced research and advocacy on mainstreaming migration and gender in policy, laying the \
foundation for the Handbook on Mainstreaming Migration into Development Planning.
- Established a platform for GMG agencies to contribute to mainstreaming migration into poverty \
reduction strategy papers and other national development planning mechanisms, and encouraged \
regional consultative processes to take up migration and development.
- Coordinated joint documents: the GMG Brochure; an information note on the agencies' \
involvement in preparing the first GFMD; questions and issues on migration, gender and \
development; a matrix of projects and activities of interest to GFMD participants; surveys of \
policy research, data collection and publications, of migration and development projects, and \
of capacity-building initiatives.
- The GMG Troika (IOM, UNHCR, UN/DESA) briefed UN Member States in New York on 2 May 2007.
- Expanded the terms of reference, developed a GMG website, established criteria for the \
admission of new members and a template for agencies seeking to join; considered the applications \
of UNESCO, UNITAR and the UN Regional Commissions.
"""

IOM_CHALLENGES = """\
The Group grew quickly (ten members as of June 2007) without the structural mechanisms and \
comprehensive operating modalities needed to ensure its efficacy: six-month chairmanships, a \
troika with little weight, no multi-year workplan and no systematic reporting or handover \
between chairs.
"""

IOM_RECOMMENDATIONS = """\
- A longer and more empowered chairmanship.
- A strengthened troika system.
- A multi-year workplan approved at the start of the chairmanship period.
- Comprehensive reporting on outcomes, recommendations and handover at the end of each chairing \
cycle.
- A more empowered working-level group.
"""

DESA_ACHIEVEMENTS = """\
- One meeting at the principals level (9 November 2007), attended by the principals of IOM, \
UN/DESA, UNCTAD and UNHCR; two working-level meetings (1 October and 4 December 2007).
- New members: the principals decided on 9 November 2007 to admit UNESCO, UNICEF, the \
Coordinator of the United Nations Regional Commissions and UNITAR.
- GFMD: Under-Secretary-General Sha delivered a statement on behalf of the GMG at the first \
GFMD (Brussels, 9–11 July 2007); UN/DESA prepared a matrix of its recommendations and outcomes.
- The principals endorsed a proposal for an International Partnership on Migration and \
Development, shared with the GFMD Chair-in-Office (the Steering Group deferred it on 19 November), \
and UN/DESA's initiative on Migration Governance, with an electronic discussion forum.
- Meetings with Under-Secretary Conejos and Ambassador Declercq (26 November) on the GMG's \
contribution to the GFMD; a statement on behalf of the GMG at the first Friends of the Forum \
under the Philippines' chairmanship (17 December 2007, Geneva).
- An electronic GMG Workspace holding all official GMG documents since the creation of the \
Group, open to all members at the working level.
"""

# (organization, start, end, theme, chairperson, achievements, challenges, recommendations)
GMG_CHAIR_TERMS = (
    ("UNHCR", date(2006, 7, 1), date(2006, 12, 31), "", "", "", "", ""),
    (
        "IOM",
        date(2007, 1, 1),
        date(2007, 6, 30),
        "Integrating Migration into Development Planning Agendas",
        "",
        IOM_ACHIEVEMENTS,
        IOM_CHALLENGES,
        IOM_RECOMMENDATIONS,
    ),
    (
        "UN DESA",
        date(2007, 7, 1),
        date(2007, 12, 31),
        "",
        "Under-Secretary-General Sha",
        DESA_ACHIEVEMENTS,
        "",
        "",
    ),
)

GMG_DECISION = date(2007, 11, 9)
GMG_DECISION_RECORD = "Principals' meeting of 9 November 2007"

# The four admissions of 9 November 2007 (seed 003), as the applications the
# template of seed 001 would have collected.
GMG_APPLICATIONS = (
    {
        "reference": "GMG-2007-0001",
        "acronym": "UNESCO",
        "submitted_at": datetime(2007, 4, 16, 9, 0, tzinfo=UTC),
        "website": "https://www.unesco.org",
        "mandate": "UNESCO contributes to peace and security by promoting international "
        "cooperation in education, the sciences, culture and communication.",
        "relevance": "Migration shapes education systems, cultural diversity and social "
        "cohesion; UNESCO's International Migration Programme studies the social "
        "dimensions of migration and the rights of migrants.",
        "areas_of_work": "Research on migration and social transformation; education of "
        "migrant children; the International Convention on the Protection of the Rights of "
        "All Migrant Workers; intercultural dialogue.",
        "focal_point": ("Claire Dubois", "Programme Specialist, International Migration"),
        "email": "c.dubois@unesco.example.org",
        "review_notes": "Considered during IOM's chairmanship (January–June 2007) against the "
        "new admission criteria.",
    },
    {
        "reference": "GMG-2007-0002",
        "acronym": "UNITAR",
        "submitted_at": datetime(2007, 5, 10, 9, 0, tzinfo=UTC),
        "website": "https://www.unitar.org",
        "mandate": "UNITAR enhances the effectiveness of the United Nations through training "
        "and research.",
        "relevance": "Delegates and officials need a shared understanding of migration and "
        "development to take part in the High Level Dialogue and the GFMD.",
        "areas_of_work": "Migration and development seminars for New York and Geneva "
        "delegates; training of national officials on migration policy.",
        "focal_point": ("Rafael Morales", "Senior Training Coordinator"),
        "email": "r.morales@unitar.example.org",
        "review_notes": "Considered during IOM's chairmanship (January–June 2007) against the "
        "new admission criteria.",
    },
    {
        "reference": "GMG-2007-0003",
        "acronym": "UNRC",
        "submitted_at": datetime(2007, 5, 28, 9, 0, tzinfo=UTC),
        "website": "https://www.regionalcommissions.org",
        "mandate": "The five United Nations Regional Commissions promote economic integration "
        "and sustainable development in their regions; their Coordinator speaks for them "
        "jointly.",
        "relevance": "Migration is a regional phenomenon first: the Commissions gather regional "
        "data, host intergovernmental dialogue and prepared the regional inputs to the High "
        "Level Dialogue.",
        "areas_of_work": "Regional migration statistics; regional consultations on migration "
        "and development; analysis of remittances and labour mobility.",
        "focal_point": ("Samir Haddad", "Coordinator, Regional Commissions New York Office"),
        "email": "s.haddad@regionalcommissions.example.org",
        "review_notes": "Considered during IOM's chairmanship (January–June 2007) against the "
        "new admission criteria.",
    },
    {
        "reference": "GMG-2007-0004",
        "acronym": "UNICEF",
        "submitted_at": datetime(2007, 9, 14, 9, 0, tzinfo=UTC),
        "website": "https://www.unicef.org",
        "mandate": "UNICEF advocates for the protection of children's rights, to help meet their "
        "basic needs and to expand their opportunities to reach their full potential.",
        "relevance": "Children migrate, are left behind by migrating parents and are trafficked; "
        "their rights must be part of the system's response to migration.",
        "areas_of_work": "Children left behind; unaccompanied and separated children; child "
        "trafficking; the social impact of remittances on children.",
        "focal_point": ("Ingrid Solberg", "Policy Specialist, Division of Policy and Planning"),
        "email": "i.solberg@unicef.example.org",
        "review_notes": "Considered at the working-level meeting of 1 October 2007.",
    },
)

# --- the UN Network on Migration (seed 002, Annex I) ------------------------------

UNNM_TERMS_OF_REFERENCE = """\
The United Nations system is committed to supporting the implementation, follow-up and review \
of the Global Compact for Safe, Orderly and Regular Migration (GCM). The Secretary-General \
decided, at a meeting of the Executive Committee on 23 May 2018, to establish a UN Network on \
Migration as a successor to the Global Migration Group, to ensure effective, timely and \
coordinated system-wide support to Member States, prioritizing the rights and wellbeing of \
migrants and their communities of destination, origin and transit.

Objectives: ensure coordinated UN system-wide support to Member States in implementing the GCM; \
support coherent action at country, regional and global levels; act as a source of ideas, tools, \
reliable data, analysis and policy guidance, including through the capacity-building mechanism; \
promote the application of international norms and the protection of the human rights of \
migrants; speak with one voice as appropriate; collaborate with other UN coordination mechanisms; \
engage with external partners; and report to the Secretary-General, supporting the biennial \
report to the General Assembly.

Working principles: accountability; a human rights-based, gender-responsive and child-sensitive \
approach; coherence; unity of purpose; efficiency; inclusivity; impact; agility.

Membership and structure: the Network consists of those members of the UN system who wish to be \
a part of it and for whom migration is of relevance to their mandates. An Executive Committee is \
composed of the entities with clear mandates, technical expertise and capacity in \
migration-related fields. Other UN system entities may become members upon approval by the \
Executive Committee. IOM serves as the Coordinator and Secretariat of all constituent parts of \
the Network, which includes Working Groups.

Decision-making: the Network endeavours to take all decisions by consensus; decisions are made \
by the Executive Committee. Where there is no consensus, the Coordinator works with the \
Principals of the Executive Committee to agree on a way forward; should this fail, the Executive \
Committee, through the Coordinator, refers the matter to the Secretary-General.

The Coordinator (the Director General of IOM or a designee) fosters collaboration and consensus, \
convenes the Network and maintains its Secretariat. The Secretariat services the Network: annual \
work plan, reporting to the Secretary-General, preparation of meetings, timely dissemination of \
minutes and decisions, and monitoring of their implementation. The Coordinator convenes an \
annual meeting of the full membership and reviews the working arrangements at least every \
12 months.
"""

UNNM_CRITERIA = (
    "A member of the United Nations system",
    "Migration is of relevance to its mandate",
    "Approval by the Executive Committee",
)

# Annex II, in its order; True for the Network's Executive Committee.
UNNM_MEMBERS: tuple[tuple[str, bool], ...] = (
    ("CEB", False),
    ("UN DESA", True),
    ("DPI", False),
    ("FAO", False),
    ("IASC", False),
    ("IFAD", False),
    ("ILO", True),
    ("IMO", False),
    ("IOM", True),
    ("UNAIDS", False),
    ("MPTFO", False),
    ("OCHA", False),
    ("OHCHR", True),
    ("PBSO", False),
    ("UNAoC", False),
    ("UNICEF", True),
    ("UNCTAD", False),
    ("UNDP", True),
    ("UNESCO", False),
    ("UNECA", False),
    ("UNECLAC", False),
    ("UNESCAP", False),
    ("UNESCWA", False),
    ("UNECE", False),
    ("UN Women", False),
    ("UNEP", False),
    ("UNFCCC", False),
    ("UNHCR", True),
    ("UN-Habitat", False),
    ("UNIDO", False),
    ("UNITAR", False),
    ("UNODC", True),
    ("UNFPA", False),
    ("UNSDG", False),
    ("UNU", False),
    ("WFP", False),
    ("World Bank", False),
    ("WHO", False),
)

# --- the Regional UN Network on Migration for Asia and the Pacific (seed 002) ----

ASIA_PACIFIC_TERMS_OF_REFERENCE = """\
The United Nations system in Asia and the Pacific, drawing on the global UN Network on \
Migration, establishes a Regional UN Network on Migration for Asia and the Pacific to facilitate \
effective, timely and coordinated UN system-wide support to Member States on the implementation \
of the Global Compact for Safe, Orderly and Regular Migration (GCM), where a common UN system \
approach would add value. It promotes migration policies that support the well-being and the \
human rights of migrants and their communities, aligned with the Sustainable Development Goals \
and the 23 objectives of the GCM.

The Regional Network will: enhance collaboration within the UN system to support States' \
implementation of the GCM, including through joint projects and programmes; support Resident \
Coordinators, UN Country Teams and country networks on migration; provide policy guidance and \
targeted capacity-building; strengthen the evidence base and age- and gender-disaggregated data \
on migration in the region; and support the global Network and other regional networks, \
including regional input to the Secretary-General's biennial report.

Membership: all UN agencies at the Asia and the Pacific regional level wishing to join. IOM \
convenes the Regional Network as Coordinator and Secretariat: it organizes and chairs meetings in \
Bangkok, organizes technical-level meetings quarterly, monitors the work plans and decisions, and \
keeps the members list, the record of meetings and the minutes.

A Regional Executive Committee (ILO, IOM, OHCHR, UNDP, UNHCR, UNICEF, UNODC, ESCAP, OCHA, \
UNAIDS, UN DRR, UNFPA, UN Women) gives overall guidance. The Regional Network develops and \
monitors an annual work plan, establishes task teams as needs emerge, and endeavours to take all \
decisions by consensus after full consultation with its members. (March 2020)
"""

ASIA_PACIFIC_CRITERIA = (
    "A UN agency working at the Asia and the Pacific regional level",
    "Migration is of relevance to its mandate",
    "Approval by the Regional Executive Committee",
)

ASIA_PACIFIC_COMMITTEE = (
    "ILO",
    "IOM",
    "OHCHR",
    "UNDP",
    "UNHCR",
    "UNICEF",
    "UNODC",
    "UNESCAP",
    "OCHA",
    "UNAIDS",
    "UNDRR",
    "UNFPA",
    "UN Women",
)
ASIA_PACIFIC_OTHER_MEMBERS = ("FAO", "WHO", "UNEP", "UN-Habitat")

# --- people and demo accounts -----------------------------------------------------
# (acronym, network slug or None, level, name, honorific, position, e-mail, account e-mail)
PEOPLE = (
    (
        "IOM",
        None,
        PersonLevel.PRINCIPAL,
        "Helena Marques",
        "Director General",
        "Director General",
        "h.marques@iom.example.org",
        None,
    ),
    (
        "IOM",
        None,
        PersonLevel.FOCAL_POINT,
        "Daniel Okafor",
        "",
        "Senior Policy Officer, Network Secretariat",
        "chair@demo.example.org",
        "chair@demo.example.org",
    ),
    (
        "UNHCR",
        None,
        PersonLevel.PRINCIPAL,
        "Anders Holmberg",
        "High Commissioner",
        "High Commissioner for Refugees",
        "a.holmberg@unhcr.example.org",
        None,
    ),
    (
        "UNHCR",
        None,
        PersonLevel.FOCAL_POINT,
        "Leila Benali",
        "",
        "Senior Policy Adviser, Division of International Protection",
        "focal@demo.example.org",
        "focal@demo.example.org",
    ),
    (
        "UN DESA",
        "gmg",
        PersonLevel.PRINCIPAL,
        "Sha Zukang",
        "Under-Secretary-General",
        "Under-Secretary-General for Economic and Social Affairs",
        "usg.office@desa.example.org",
        None,
    ),
    (
        "UN DESA",
        None,
        PersonLevel.FOCAL_POINT,
        "Elena Petrova",
        "",
        "Population Affairs Officer, Population Division",
        "e.petrova@desa.example.org",
        None,
    ),
    (
        "ILO",
        None,
        PersonLevel.PRINCIPAL,
        "Kwame Asante",
        "Deputy Director-General",
        "Deputy Director-General for Policy",
        "k.asante@ilo.example.org",
        None,
    ),
    (
        "ILO",
        None,
        PersonLevel.FOCAL_POINT,
        "Maria Gonzalez",
        "",
        "Senior Migration Specialist, Labour Migration Branch",
        "m.gonzalez@ilo.example.org",
        None,
    ),
    (
        "UNICEF",
        None,
        PersonLevel.PRINCIPAL,
        "Grace Mwangi",
        "Deputy Executive Director",
        "Deputy Executive Director, Programmes",
        "principal@demo.example.org",
        "principal@demo.example.org",
    ),
    (
        "UNICEF",
        None,
        PersonLevel.FOCAL_POINT,
        "Tomas Novak",
        "",
        "Child Protection Specialist, Migration and Displacement",
        "t.novak@unicef.example.org",
        None,
    ),
)

# (e-mail, first name, last name, superuser)
ACCOUNTS = (
    ("admin@demo.example.org", "Ada", "Admin", True),
    ("secretariat@demo.example.org", "Sam", "Secretariat", False),
    ("chair@demo.example.org", "Daniel", "Okafor", False),
    ("focal@demo.example.org", "Leila", "Benali", False),
    ("principal@demo.example.org", "Grace", "Mwangi", False),
    ("applicant@demo.example.org", "Yuki", "Tanaka", False),
)

APPLICANT_EMAIL = "applicant@demo.example.org"
ITU = {
    "org_name": "International Telecommunication Union",
    "org_acronym": "ITU",
    "org_kind": UN,
    "org_website": "https://www.itu.int",
    "org_headquarters": "Geneva",
    "mandate": "ITU is the United Nations specialized agency for information and communication "
    "technologies: it allocates radio spectrum and satellite orbits, develops technical "
    "standards and works to connect everyone, everywhere.",
    "relevance": "Migrants rely on affordable connectivity to stay in touch, to find safe and "
    "regular pathways, to send remittances and to reach services; digital identity and "
    "mobile money shape how they are protected and included (GCM objectives 3, 4 and 20).",
    "areas_of_work": "Digital inclusion of migrants and displaced people; lowering the cost of "
    "digital remittances; emergency telecommunications in displacement; data on mobile "
    "connectivity for migration statistics.",
    "focal_point_name": "Yuki Tanaka",
    "focal_point_position": "Programme Officer, Digital Inclusion",
    "focal_point_email": "y.tanaka@itu.example.org",
    "focal_point_phone": "+41 22 000 00 00",
    "contact_email": APPLICANT_EMAIL,
}
# (reference, network slug, status, submitted_at)
APPLICANT_APPLICATIONS = (
    (
        "UNNM-2026-0001",
        "unnm",
        ApplicationStatus.SUBMITTED,
        datetime(2026, 10, 12, 8, 30, tzinfo=UTC),
    ),
    ("ASIA-P-2026-0001", "asia-pacific", ApplicationStatus.DRAFT, None),
)


# --- writing rows -----------------------------------------------------------------


def load_organizations(tally: Tally) -> dict[str, Organization]:
    orgs = {}
    for acronym, name, slug, kind, headquarters in ORGANIZATIONS:
        orgs[acronym] = upsert(
            tally,
            Organization,
            {"acronym": acronym},
            {"name": name, "slug": slug, "kind": kind, "headquarters": headquarters},
        )
    return orgs


def load_criteria(tally: Tally, network: Network, texts: tuple[str, ...]) -> None:
    for position, text in enumerate(texts, start=1):
        lookup = {"network": network, "position": position}
        upsert(tally, AdmissionCriterion, lookup, {"text": text})


def load_gmg(tally: Tally, orgs: dict[str, Organization]) -> Network:
    gmg = upsert(
        tally,
        Network,
        {"slug": "gmg"},
        {
            "name": "Global Migration Group",
            "short_name": "GMG",
            "time_zone": "Europe/Zurich",  # Geneva
            "level": NetworkLevel.GLOBAL,
            "parent": None,
            "governance": Governance.ROTATING_CHAIR,
            "chair_term_months": 6,
            "coordinator": None,
            "secretariat": None,
            "established": date(2006, 1, 1),
            "terms_of_reference": GMG_TERMS_OF_REFERENCE,
            "admission_body": DecidingBody.PRINCIPALS,
            "accepts_applications": False,
        },
    )
    load_criteria(tally, gmg, GMG_CRITERIA)
    for acronym, joined, notes in GMG_MEMBERS:
        upsert(
            tally,
            Membership,
            {"network": gmg, "organization": orgs[acronym], "joined": joined},
            {"left": None, "executive_committee": False, "notes": notes},
        )
    for position, acronym in enumerate(GMG_ROTATION, start=1):
        upsert(
            tally,
            RotationPosition,
            {"network": gmg, "organization": orgs[acronym]},
            {"position": position},
        )
    for acronym, start, end, theme, chairperson, achieved, challenges, advice in GMG_CHAIR_TERMS:
        upsert(
            tally,
            ChairTerm,
            {"network": gmg, "start": start},
            {
                "organization": orgs[acronym],
                "end": end,
                "theme": theme,
                "chairperson": chairperson,
                "achievements": achieved,
                "challenges": challenges,
                "recommendations": advice,
            },
        )
    load_gmg_admissions(tally, gmg, orgs)
    return gmg


def load_gmg_admissions(tally: Tally, gmg: Network, orgs: dict[str, Organization]) -> None:
    criteria = list(gmg.criteria.all())
    decided_at = datetime(2007, 11, 9, 17, 0, tzinfo=UTC)
    for spec in GMG_APPLICATIONS:
        org = orgs[spec["acronym"]]
        membership = upsert(
            tally,
            Membership,
            {"network": gmg, "organization": org, "joined": GMG_DECISION},
            {
                "left": None,
                "executive_committee": False,
                "notes": f"Admitted by the Principals on 9 November 2007 "
                f"(application {spec['reference']}).",
            },
        )
        name, position = spec["focal_point"]
        application = upsert(
            tally,
            MembershipApplication,
            {"reference": spec["reference"]},
            {
                "network": gmg,
                "status": ApplicationStatus.ADMITTED,
                "org_name": org.name,
                "org_acronym": org.acronym,
                "org_kind": org.kind,
                "org_website": spec["website"],
                "org_headquarters": org.headquarters,
                "mandate": spec["mandate"],
                "relevance": spec["relevance"],
                "areas_of_work": spec["areas_of_work"],
                "focal_point_name": name,
                "focal_point_position": position,
                "focal_point_email": spec["email"],
                "contact_email": spec["email"],
                "review_notes": spec["review_notes"],
                "decided_by": DecidingBody.PRINCIPALS,
                "decision_date": GMG_DECISION,
                "decision_record": GMG_DECISION_RECORD,
                "organization": org,
                "membership": membership,
                "submitted_at": spec["submitted_at"],
                "closed_at": decided_at,
            },
        )
        # created_at is auto_now_add: backdate it to the submission, once.
        if application.created_at != spec["submitted_at"]:
            MembershipApplication.objects.filter(pk=application.pk).update(
                created_at=spec["submitted_at"]
            )
        for criterion in criteria:
            upsert(
                tally,
                CriterionAssessment,
                {"application": application, "criterion": criterion},
                {"verdict": CriterionAssessment.Verdict.MET, "note": ""},
            )


def load_unnm(tally: Tally, orgs: dict[str, Organization]) -> Network:
    unnm = upsert(
        tally,
        Network,
        {"slug": "unnm"},
        {
            "name": "UN Network on Migration",
            "short_name": "UNNM",
            "time_zone": "Europe/Zurich",  # Geneva
            "level": NetworkLevel.GLOBAL,
            "parent": None,
            "governance": Governance.COORDINATOR,
            "chair_term_months": None,
            "coordinator": orgs["IOM"],
            "secretariat": orgs["IOM"],
            "established": date(2018, 5, 23),
            "terms_of_reference": UNNM_TERMS_OF_REFERENCE,
            "admission_body": DecidingBody.EXECUTIVE_COMMITTEE,
            "accepts_applications": True,
        },
    )
    load_criteria(tally, unnm, UNNM_CRITERIA)
    for acronym, committee in UNNM_MEMBERS:
        notes = "Initial member (Annex II of the terms of reference)"
        notes += ", on the Executive Committee." if committee else "."
        if acronym in ANNEX_II_SPELLING:
            notes += f' Listed in Annex II as "{ANNEX_II_SPELLING[acronym]}".'
        upsert(
            tally,
            Membership,
            {"network": unnm, "organization": orgs[acronym], "joined": date(2018, 5, 23)},
            {"left": None, "executive_committee": committee, "notes": notes},
        )
    return unnm


def load_asia_pacific(tally: Tally, orgs: dict[str, Organization], unnm: Network) -> Network:
    network = upsert(
        tally,
        Network,
        {"slug": "asia-pacific"},
        {
            "name": "Regional UN Network on Migration for Asia and the Pacific",
            "short_name": "Asia-Pacific",
            "level": NetworkLevel.REGIONAL,
            "parent": unnm,
            "governance": Governance.COORDINATOR,
            "chair_term_months": None,
            "coordinator": orgs["IOM"],
            "secretariat": orgs["IOM"],
            "seat": "Bangkok",
            "time_zone": "Asia/Bangkok",
            "established": date(2020, 3, 1),
            "terms_of_reference": ASIA_PACIFIC_TERMS_OF_REFERENCE,
            "admission_body": DecidingBody.EXECUTIVE_COMMITTEE,
            "accepts_applications": True,
        },
    )
    load_criteria(tally, network, ASIA_PACIFIC_CRITERIA)
    members = [(a, True) for a in ASIA_PACIFIC_COMMITTEE]
    members += [(a, False) for a in ASIA_PACIFIC_OTHER_MEMBERS]
    for acronym, committee in members:
        upsert(
            tally,
            Membership,
            {"network": network, "organization": orgs[acronym], "joined": date(2020, 3, 1)},
            {
                "left": None,
                "executive_committee": committee,
                "notes": "On the Regional Executive Committee (terms of reference, March 2020)."
                if committee
                else "",
            },
        )
    return network


def load_accounts(tally: Tally) -> dict[str, User]:
    users = {}
    for email, first, last, superuser in ACCOUNTS:
        user = upsert(
            tally,
            User,
            {"email": email},
            {
                "first_name": first,
                "last_name": last,
                "is_active": True,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        users[email] = user
    _, created = RoleGrant.objects.get_or_create(
        user=users["secretariat@demo.example.org"], role=Role.SECRETARIAT, network=None
    )
    tally.add(RoleGrant, created=created, updated=False)
    return users


def load_people(
    tally: Tally,
    orgs: dict[str, Organization],
    networks: dict[str, Network],
    users: dict[str, User],
) -> None:
    for acronym, slug, level, name, honorific, position, email, account in PEOPLE:
        upsert(
            tally,
            Person,
            {"organization": orgs[acronym], "email": email, "level": level},
            {
                "network": networks[slug] if slug else None,
                "name": name,
                "honorific": honorific,
                "position": position,
                "user": users[account] if account else None,
                "is_active": True,
            },
        )


def load_applicant_applications(
    tally: Tally, networks: dict[str, Network], applicant: User
) -> None:
    # Create-only: a demo application moved on in the browser (reviewed,
    # admitted) is left where the user put it by the next run.
    for reference, slug, status, submitted_at in APPLICANT_APPLICATIONS:
        if MembershipApplication.objects.filter(reference=reference).exists():
            tally.add(MembershipApplication, created=False, updated=False)
            continue
        upsert(
            tally,
            MembershipApplication,
            {"reference": reference},
            {
                **ITU,
                "network": networks[slug],
                "status": status,
                "submitted_by": applicant,
                "submitted_at": submitted_at,
            },
        )


def load_demo(demo: DemoData) -> None:
    """Agencies, networks, accounts, contacts and applications; the apps above
    find them on `demo` (orgs by acronym, networks by slug, users by e-mail)."""
    tally = demo.tally
    demo.orgs = load_organizations(tally)
    gmg = load_gmg(tally, demo.orgs)
    unnm = load_unnm(tally, demo.orgs)
    asia_pacific = load_asia_pacific(tally, demo.orgs, unnm)
    demo.networks = {"gmg": gmg, "unnm": unnm, "asia-pacific": asia_pacific}
    demo.users = load_accounts(tally)
    load_people(tally, demo.orgs, demo.networks, demo.users)
    load_applicant_applications(tally, demo.networks, demo.users[APPLICANT_EMAIL])


# (role, e-mail, password, what to try), printed at the end of seed_demo.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "admin@demo.example.org", PASSWORD, "/admin/: users, role grants, networks"),
    (
        "secretariat",
        "secretariat@demo.example.org",
        PASSWORD,
        "every network: members, chair terms; review application UNNM-2026-0001",
    ),
    (
        "chair",
        "chair@demo.example.org",
        PASSWORD,
        "IOM focal point: coordinator of UNNM and Asia-Pacific",
    ),
    ("focal point", "focal@demo.example.org", PASSWORD, "UNHCR focal point: keep UNHCR contacts"),
    ("principal", "principal@demo.example.org", PASSWORD, "UNICEF principal: read, take part"),
    (
        "applicant",
        APPLICANT_EMAIL,
        PASSWORD,
        "ITU: follow UNNM-2026-0001 (submitted), finish draft ASIA-P-2026-0001",
    ),
)
