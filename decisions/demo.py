"""The decisions of the demo data, written through the app's own services
(and the meetings' ones), so that they are what users would have made.

The Global Migration Group, 2007 (seeds 001 and 003):
- under IOM's chairmanship the principals established the criteria for the
  admission of new members and the template agencies fill in to join. The
  seed does not date it; the principals' meeting of 27 February 2007 is the
  only one before the first application (UNESCO's, 16 April 2007), so the
  decision is recorded as taken there;
- the principals' meeting of 9 November 2007 took its decisions in its
  minutes: the loader writes and approves them (meetings.services.minutes),
  and the approval records each decision in the register
  (services.minutes.record_minutes_decisions): the four admissions, each
  linked to its membership application of the members demo, the
  International Partnership on Migration and Development (whose follow-up
  says that the GFMD Steering Group deferred it on 19 November) and UN/DESA's
  Migration Governance initiative.

The UN Network on Migration, today: decisions of its Executive Committee
around the day of seeding (in Geneva time): two adopted ones with follow-up
actions done, in progress and overdue, one broken by an objection and in
escalation, and one silence procedure open with some positions in. Their
times are counted from the day of seeding, so that an open deadline is in
the future and an overdue action is overdue; each is created once (looked up
by its title) and a later run leaves it, and whatever users did to it, alone.

The services stamp their rows with the time they run; the loader moves the
stamps the pages show (when a decision was drafted, a note written, an action
done) to the day of the story, once, when it creates them, as the members
demo does for its applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from core.history import set_history_user
from core.seeding import DemoData, Tally
from core.timezones import zone_of
from meetings.models import (
    ActionNote,
    ActionPoint,
    ActionPointStatus,
    Meeting,
    MeetingLevel,
    Minutes,
)
from meetings.services import actions as action_services
from meetings.services.minutes import minutes_approve, minutes_save
from members.demo import GMG_APPLICATIONS, GMG_CRITERIA
from members.models import MembershipApplication, Network, Organization
from members.roles import build_actor
from workplans.models import FrameworkObjective

from .models import (
    Body,
    Decision,
    DecisionAction,
    DecisionVersion,
    EscalationStep,
    Position,
    Procedure,
    Stance,
)
from .services import escalation, follow_up, positions, register

SECRETARIAT = "secretariat@demo.example.org"
CHAIR = "chair@demo.example.org"  # IOM's focal point: the UN Network's coordinator
FOCAL = "focal@demo.example.org"  # UNHCR
PRINCIPAL = "principal@demo.example.org"  # UNICEF

OPEN, IN_PROGRESS, DONE = (
    ActionPointStatus.OPEN,
    ActionPointStatus.IN_PROGRESS,
    ActionPointStatus.DONE,
)
SUPPORT, RESERVATION, ABSTAIN, OBJECT = (
    Stance.SUPPORT,
    Stance.RESERVATION,
    Stance.ABSTAIN,
    Stance.OBJECT,
)

# --- the Global Migration Group, 2007 -------------------------------------------------------

CRITERIA_TITLE = "Criteria for the admission of new members and the application template"
CRITERIA_DAY = date(2007, 2, 27)


def criteria_text() -> str:
    criteria = "\n".join(f"{n}. {text}." for n, text in enumerate(GMG_CRITERIA, 1))
    return (
        "The Principals establish the criteria for the admission of new members of the Global "
        f"Migration Group:\n\n{criteria}\n\n"
        "An agency seeking to join completes the application template (its mandate, the "
        "relevance of migration to it, its areas of work and its focal point). The chair "
        "examines each application against the criteria at the working level, and the "
        "Principals decide on admission."
    )


NOVEMBER_DAY = date(2007, 11, 9)
NOVEMBER_BODY = """\
Principals' meeting of the Global Migration Group, New York, 9 November 2007, chaired by \
Under-Secretary-General Sha (UN/DESA).

Present: the principals of IOM, UN/DESA, UNCTAD and UNHCR.

1. New members. The principals considered the applications of UNESCO, UNITAR and the \
Coordinator of the United Nations Regional Commissions, examined against the admission criteria \
during IOM's chairmanship, and that of UNICEF, considered at the working-level meeting of \
1 October 2007.
2. Preparations for the second meeting of the GFMD. The principals discussed a proposal for an \
International Partnership on Migration and Development, to be shared with the GFMD \
Chair-in-Office, and UN/DESA's initiative on Migration Governance.

(Written from UN/DESA's summary of its chairmanship, July–December 2007.)
"""
NOVEMBER_APPROVAL_REASON = (
    "Minutes of 2007, recorded from the chair's summary report: they were approved by the "
    "principals at the time and kept in the GMG Workspace."
)

# The Chair informed the principals of the four entities (seed 003).
_INFORMED = "Under-Secretary-General Sha informed the principal of {org} of its admission."


@dataclass(frozen=True)
class Note:
    """A progress note on an action: `at` is when it was written, `status`
    the move it records ("" for a note alone), `who` the account."""

    at: datetime
    status: str
    text: str
    who: str


@dataclass(frozen=True)
class Act:
    owner: str  # acronym
    description: str
    due: date
    notes: tuple[Note, ...] = ()


def _at(day: date, hour: int, zone: str = "America/New_York") -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zone_of(zone))


def _informed(org: str) -> Act:
    return Act(
        "UN DESA",
        f"Inform the principal of {org} of its admission to the Group.",
        date(2007, 11, 30),
        (Note(_at(date(2007, 11, 20), 12), DONE, _INFORMED.format(org=org), SECRETARIAT),),
    )


def _admission(org: str, name: str, reference: str, considered: str) -> tuple:
    return (
        "New members",
        f"The Principals admit {name} as a member of the Global Migration Group. Its "
        f"application ({reference}) was {considered}.",
        reference,
        (_informed(org),),
    )


_UNDER_IOM = "examined against the admission criteria during IOM's chairmanship"

# The decisions of the minutes, in their order: (label, text, the application
# it admits or None, its follow-up actions). Seed 003 names the four in this order.
NOVEMBER_DECISIONS: tuple[tuple[str, str, str | None, tuple[Act, ...]], ...] = (
    _admission("UNESCO", "UNESCO", "GMG-2007-0001", _UNDER_IOM),
    _admission(
        "UNICEF", "UNICEF", "GMG-2007-0004", "considered at the working level on 1 October 2007"
    ),
    _admission(
        "the Regional Commissions",
        "the Coordinator of the United Nations Regional Commissions, for the five Commissions,",
        "GMG-2007-0003",
        _UNDER_IOM,
    ),
    _admission("UNITAR", "UNITAR", "GMG-2007-0002", _UNDER_IOM),
    (
        "International Partnership on Migration and Development",
        "The Principals endorse the proposal for an *International Partnership on Migration "
        "and Development*. The working level revises the draft, and the Chair shares it with "
        "the GFMD Chair-in-Office for discussion at the Steering Group of 19 November 2007.",
        None,
        (
            Act(
                "UN DESA",
                "Revise the draft proposal at the working level and share it with the GFMD "
                "Chair-in-Office for the Steering Group of 19 November 2007.",
                date(2007, 11, 19),
                (
                    Note(
                        _at(date(2007, 11, 15), 12),
                        IN_PROGRESS,
                        "The working level revised the draft; shared with the Chair-in-Office.",
                        SECRETARIAT,
                    ),
                    Note(
                        _at(date(2007, 11, 19), 18),
                        DONE,
                        "Discussed at the GFMD Steering Group on 19 November 2007: the Steering "
                        "Group deferred its consideration of the proposal.",
                        SECRETARIAT,
                    ),
                ),
            ),
        ),
    ),
    (
        "Migration Governance",
        "The Principals endorse UN/DESA's initiative on *Migration Governance*. UN/DESA opens "
        "an electronic forum for the project, and the members of the Group are invited to "
        "discuss it and contribute.",
        None,
        (
            Act(
                "UN DESA",
                "Open an electronic discussion forum for the Migration Governance project and "
                "invite the members of the Group.",
                date(2007, 12, 4),
                (
                    Note(
                        _at(date(2007, 12, 4), 12),
                        DONE,
                        "Forum opened (http://ittmig.wetpaint.com/); the working level was "
                        "briefed on 4 December and the members invited to take part.",
                        SECRETARIAT,
                    ),
                ),
            ),
        ),
    ),
)


def _minutes_decisions_text() -> str:
    lines = [f"- **{label}:** {text}" for label, text, _ref, _acts in NOVEMBER_DECISIONS]
    return "The Principals decided:\n\n" + "\n".join(lines) + "\n"


def _meeting_on(network: Network, day: date) -> Meeting | None:
    """The principals' meeting of the meetings demo held on `day`."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return (
        Meeting.objects.filter(
            network=network,
            level=MeetingLevel.PRINCIPALS,
            start__gte=start,
            start__lt=start + timedelta(days=1),
        )
        .order_by("start")
        .first()
    )


def load_gmg_criteria(tally: Tally, gmg: Network, orgs: dict, by: User) -> None:
    if Decision.objects.filter(network=gmg, title=CRITERIA_TITLE).exists():
        tally.add(Decision, created=False, updated=False)
        return
    decision = register.decision_create(
        network=gmg,
        body=Body.PRINCIPALS,
        procedure=Procedure.MEETING,
        title=CRITERIA_TITLE,
        text=criteria_text(),
        by=by,
        proposed_by=orgs["IOM"],
        public=True,
        meeting=_meeting_on(gmg, CRITERIA_DAY),
    )
    register.decision_record_adopted(decision=decision, on=CRITERIA_DAY, by=by)
    tally.add(Decision, created=True, updated=False)


def load_gmg_november(tally: Tally, gmg: Network, orgs: dict, by: User) -> None:
    """The minutes of 9 November 2007, approved: their decisions enter the
    register. Minutes the demo finds (approved, or taken on by a user) are
    left as they are."""
    meeting = _meeting_on(gmg, NOVEMBER_DAY)
    if meeting is None:
        return
    created = not Minutes.objects.filter(meeting=meeting).exists()
    if created:
        saved = minutes_save(
            meeting=meeting,
            body=NOVEMBER_BODY,
            decisions=_minutes_decisions_text(),
            base_version=0,
            by=by,
        )
        minutes_approve(minutes=saved.minutes, by=by, reason=NOVEMBER_APPROVAL_REASON)
        # The Group published what its principals decided (seed 003 is its
        # public summary): the register shows them on the network's page.
        # Once, when recorded; a user's later choice is left alone.
        Decision.objects.filter(meeting=meeting).exclude(minutes_item=None).update(public=True)
    tally.add(Minutes, created=created, updated=False)
    recorded = {
        d.minutes_item: d
        for d in Decision.objects.filter(meeting=meeting).exclude(minutes_item=None)
    }
    applications = {
        a.reference: a
        for a in MembershipApplication.objects.filter(
            reference__in=[spec["reference"] for spec in GMG_APPLICATIONS]
        )
    }
    for number, (_label, _text, reference, acts) in enumerate(NOVEMBER_DECISIONS, 1):
        decision = recorded.get(number)
        if decision is None:
            continue  # the minutes say otherwise now
        application = applications.get(reference) if reference else None
        linked = application is not None and decision.application_id != application.pk
        if linked:
            # What the decision admitted (the members demo's admitted
            # application): the register has no service that relinks an
            # adopted decision, so the link is written here, with its history.
            decision.application = application
            set_history_user(decision, by)
            decision.save(update_fields=["application", "updated_at"])
        tally.add(Decision, created=created, updated=linked and not created)
        _load_actions(tally, decision, acts, by)


# --- the UN Network on Migration, today ----------------------------------------------------


@dataclass(frozen=True)
class Stated:
    acronym: str
    stance: str
    statement: str
    who: str  # an account e-mail, or "" for the secretariat recording it (by e-mail)
    at: datetime


@dataclass(frozen=True)
class Story:
    title: str
    text: str
    procedure: str
    proposed_by: str
    topics: tuple[str, ...]  # the objectives' titles begin so
    opened: datetime
    deadline: datetime
    positions: tuple[Stated, ...]
    closes: bool = True  # closed at its deadline (adopted, or no consensus)
    escalated: datetime | None = None  # the first step of the ladder started
    public: bool = False
    actions: tuple[Act, ...] = ()


RETURN = "Cooperate in facilitating safe and dignified return"
SOCIAL_SECURITY = "Establish mechanisms for the portability of social security"
BASIC_SERVICES = "Provide access to basic services for migrants"
DISCOURSE = "Eliminate all forms of discrimination"
COOPERATION = "Strengthen international cooperation and global partnerships"
BY_EMAIL = "E-mail to the secretariat"


def unnm_stories(today: date, zone: str) -> tuple[Story, ...]:
    """The UN Network's decisions, told from `today` (in its time zone)."""

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour, minute), zone_of(zone))

    def day(days: int) -> date:
        return today + timedelta(days=days)

    return (
        Story(
            title="Common messages on the inclusion of migrants in social protection",
            text=(
                "The Executive Committee adopts the Network's common messages on the inclusion "
                "of migrants in national social protection systems, for use by the regional and "
                "country networks in their work with governments:\n\n"
                "1. Migrants and their families are covered by social protection floors, "
                "whatever their status.\n"
                "2. Bilateral and multilateral agreements make social security entitlements and "
                "earned benefits portable.\n"
                "3. Children on the move have access to child benefits and to services on the "
                "same footing as national children.\n\n"
                "The secretariat publishes the messages in English, French and Spanish."
            ),
            procedure=Procedure.SILENCE,
            proposed_by="ILO",
            topics=(SOCIAL_SECURITY, BASIC_SERVICES),
            opened=at(-95, 18),
            deadline=at(-90, 18),
            positions=(
                Stated("UNHCR", SUPPORT, "", FOCAL, at(-94, 11)),
                Stated("UNICEF", SUPPORT, "", PRINCIPAL, at(-93, 9, 30)),
                Stated("ILO", SUPPORT, "", "", at(-92, 15)),
            ),
            public=True,
            actions=(
                Act(
                    "IOM",
                    "Publish the common messages on the Network's website in English, French "
                    "and Spanish.",
                    day(-75),
                    (
                        Note(at(-84, 10), IN_PROGRESS, "Sent for translation.", CHAIR),
                        Note(
                            at(-77, 16),
                            DONE,
                            "Published in the three languages on the Network's website.",
                            CHAIR,
                        ),
                    ),
                ),
                Act(
                    "UNICEF",
                    "Brief the regional networks on the common messages, with a note on child "
                    "benefits for children on the move.",
                    day(-12),
                    (
                        Note(
                            at(-40, 14),
                            IN_PROGRESS,
                            "Briefings held for Asia-Pacific and for Latin America and the "
                            "Caribbean; the note on child benefits is in draft.",
                            PRINCIPAL,
                        ),
                        Note(
                            at(-9, 10),
                            "",
                            "The Africa and Arab States briefings move to January, with the "
                            "regional networks' meetings.",
                            PRINCIPAL,
                        ),
                    ),
                ),
                Act(
                    "UNHCR",
                    "Reflect the common messages in the guidance for UN Country Teams on "
                    "refugees and migrants in mixed movements.",
                    day(30),
                    (
                        Note(
                            at(-20, 11),
                            IN_PROGRESS,
                            "Section 4 of the guidance redrafted; consultation with the country "
                            "operations until the end of the month.",
                            FOCAL,
                        ),
                    ),
                ),
            ),
        ),
        Story(
            title="Review of the Network's working arrangements for 2027",
            text=(
                "Following the Coordinator's yearly review of the working arrangements, the "
                "Executive Committee decides:\n\n"
                "1. The Working Groups continue in 2027, each with updated terms of reference "
                "and two co-leads, one of them a member of the Executive Committee.\n"
                "2. The annual meeting of the full membership is held in Geneva in the first "
                "half of the year, with online participation.\n"
                "3. The secretariat reports on the implementation of the Executive Committee's "
                "decisions at each of its meetings."
            ),
            procedure=Procedure.WRITTEN,
            proposed_by="IOM",
            topics=(COOPERATION,),
            opened=at(-52, 18),
            deadline=at(-45, 18),
            positions=(
                Stated("UNHCR", SUPPORT, "", FOCAL, at(-50, 10)),
                Stated(
                    "UNICEF",
                    RESERVATION,
                    "UNICEF supports the arrangements and asks that each Working Group's terms "
                    "of reference say how children's views are sought.",
                    PRINCIPAL,
                    at(-48, 16),
                ),
                Stated("OHCHR", SUPPORT, "", "", at(-47, 12)),
                Stated("UNODC", ABSTAIN, "", "", at(-46, 9)),
            ),
            actions=(
                Act(
                    "UNHCR",
                    "Nominate UNHCR's co-lead of the Working Group on alternatives to detention.",
                    day(-30),
                    (
                        Note(
                            at(-33, 15),
                            DONE,
                            "Co-lead nominated: the Senior Policy Adviser of the Division of "
                            "International Protection.",
                            FOCAL,
                        ),
                    ),
                ),
                Act(
                    "IOM",
                    "Circulate the updated terms of reference of the Working Groups to the "
                    "Executive Committee.",
                    day(-5),
                    (
                        Note(
                            at(-14, 17),
                            "",
                            "Drafts sent to the co-leads of the five Working Groups; two have "
                            "replied.",
                            CHAIR,
                        ),
                    ),
                ),
                Act(
                    "UNICEF",
                    "Propose how the Working Groups seek the views of children and young migrants.",
                    day(40),
                ),
            ),
        ),
        Story(
            title="Joint statement of the Network for International Migrants Day",
            text=(
                "The Executive Committee agrees the Network's statement for International "
                "Migrants Day, 18 December, as attached to this decision, to be issued by the "
                "Coordinator on behalf of the Network.\n\n"
                "The statement calls on States to expand regular pathways, to end the "
                "criminalization of migrants and of those who help them, and to act against "
                "the smuggling of migrants and trafficking in persons."
            ),
            procedure=Procedure.SILENCE,
            proposed_by="IOM",
            topics=(DISCOURSE,),
            opened=at(-21, 18),
            deadline=at(-16, 18),
            positions=(
                Stated("UNHCR", SUPPORT, "", FOCAL, at(-20, 10)),
                Stated("UNICEF", SUPPORT, "", PRINCIPAL, at(-19, 15)),
                Stated(
                    "UNODC",
                    OBJECT,
                    "UNODC cannot join consensus on the fourth paragraph as drafted: it treats "
                    "the smuggling of migrants and trafficking in persons as one crime. UNODC "
                    "proposes the definitions of the two Protocols to the Convention against "
                    "Transnational Organized Crime.",
                    "",
                    at(-17, 11),
                ),
            ),
            escalated=at(-15, 10),
        ),
        Story(
            title="Guidance note for UN Country Teams on sustainable reintegration",
            text=(
                "The Executive Committee adopts the guidance note for UN Country Teams on the "
                "sustainable reintegration of returning migrants, and asks the regional "
                "networks to support its use in the Cooperation Frameworks.\n\n"
                "The note sets out how the UN Country Teams support the economic, social and "
                "psychosocial dimensions of reintegration, in line with objective 21 of the "
                "Global Compact."
            ),
            procedure=Procedure.SILENCE,
            proposed_by="IOM",
            topics=(RETURN,),
            opened=at(-2, 18),
            deadline=at(3, 18),
            positions=(
                Stated(
                    "UNHCR",
                    RESERVATION,
                    "UNHCR supports the note on the understanding that it concerns returns "
                    "found to be voluntary, and that people who may need international "
                    "protection are referred to asylum procedures (paragraph 12).",
                    FOCAL,
                    at(-1, 10),
                ),
                Stated("ILO", SUPPORT, "", "", at(-1, 15)),
                Stated("UN DESA", SUPPORT, "", "", at(-1, 16)),
            ),
            closes=False,
        ),
    )


def _topics(prefixes: tuple[str, ...]) -> list[FrameworkObjective]:
    # By title, not code: the title says which objective it is.
    return [
        topic
        for prefix in prefixes
        if (topic := FrameworkObjective.objects.filter(title__startswith=prefix).first())
    ]


def _stamp(decision: Decision, when: datetime) -> None:
    """Drafted the day before it was opened."""
    drafted = when - timedelta(days=1)
    Decision.objects.filter(pk=decision.pk).update(created_at=drafted)
    DecisionVersion.objects.filter(decision=decision).update(created_at=drafted)


def load_story(tally: Tally, network: Network, orgs: dict, users: dict, story: Story) -> None:
    existing = Decision.objects.filter(network=network, title=story.title).first()
    if existing is not None:
        tally.add(Decision, created=False, updated=False)
        for model, rows in (
            (Position, existing.positions),
            (EscalationStep, existing.escalation),
            (ActionPoint, existing.action_links),
        ):
            for _row in range(rows.count()):
                tally.add(model, created=False, updated=False)
        return
    coordinator, secretariat = users[CHAIR], users[SECRETARIAT]
    decision = register.decision_create(
        network=network,
        body=Body.EXECUTIVE_COMMITTEE,
        procedure=story.procedure,
        title=story.title,
        text=story.text,
        by=coordinator,
        proposed_by=orgs[story.proposed_by],
        public=story.public,
        topics=_topics(story.topics),
    )
    register.decision_open(
        decision=decision, deadline=story.deadline, by=coordinator, now=story.opened
    )
    _stamp(decision, story.opened)
    for stated in story.positions:
        user = users[stated.who] if stated.who else secretariat
        positions.position_state(
            decision=decision,
            actor=build_actor(user),
            organization_id=orgs[stated.acronym].pk,
            stance=stated.stance,
            statement=stated.statement,
            by=user,
            received_by="" if stated.who else BY_EMAIL,
            now=stated.at,
        )
        tally.add(Position, created=True, updated=False)
    if story.closes:
        register.decision_close(decision=decision, now=story.deadline + timedelta(minutes=1))
    if story.escalated is not None:
        escalation.escalation_start(decision=decision, by=coordinator, now=story.escalated)
        tally.add(EscalationStep, created=True, updated=False)
    decision.refresh_from_db()
    tally.add(Decision, created=True, updated=False)
    _load_actions(tally, decision, story.actions, coordinator)


# --- follow-up actions -----------------------------------------------------------------------


def _load_actions(tally: Tally, decision: Decision, acts: tuple[Act, ...], by: User) -> None:
    """The decision's follow-up actions, once: a decision that has some
    (the demo's, or a user's) is left as it is."""
    if not acts:
        return
    if DecisionAction.objects.filter(decision=decision).exists():
        for _act in acts:
            tally.add(ActionPoint, created=False, updated=False)
        return
    users = {
        u.email: u for u in User.objects.filter(email__in={n.who for a in acts for n in a.notes})
    }
    owners = {
        o.acronym: o for o in Organization.objects.filter(acronym__in={a.owner for a in acts})
    }
    start = decision.closed_at or timezone.now()
    for act in acts:
        point = follow_up.decision_action_create(
            decision=decision,
            description=act.description,
            owner=owners[act.owner],
            due=act.due,
            by=by,
        )
        ActionPoint.objects.filter(pk=point.pk).update(created_at=start + timedelta(hours=2))
        for note in act.notes:
            author = users[note.who]
            speaks = {a.organization_id for a in build_actor(author).affiliations}
            action_services.action_update(
                action=point,
                status=note.status or point.status,
                note=note.text,
                by=author,
                organization_id=point.owner_id if point.owner_id in speaks else None,
            )
            latest = ActionNote.objects.filter(action=point).order_by("-pk").first()
            ActionNote.objects.filter(pk=latest.pk).update(created_at=note.at)
            if note.status == DONE:
                ActionPoint.objects.filter(pk=point.pk).update(done_at=note.at)
        tally.add(ActionPoint, created=True, updated=False)


# --- the loader ------------------------------------------------------------------------------


def load(demo: DemoData) -> None:
    """The decisions part of the demo (core.registry demo loader)."""
    tally, orgs, networks, users = demo.tally, demo.orgs, demo.networks, demo.users
    secretariat = users[SECRETARIAT]
    load_gmg_criteria(tally, networks["gmg"], orgs, secretariat)
    load_gmg_november(tally, networks["gmg"], orgs, secretariat)
    unnm = networks["unnm"]
    today = timezone.localdate(timezone=zone_of(unnm.time_zone))
    for story in unnm_stories(today, unnm.time_zone):
        load_story(tally, unnm, orgs, users, story)
