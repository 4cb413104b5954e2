"""The members side of the synthetic data set for benchmarks (`seed_scale`).

Every synthetic row is recognisable: organizations by the acronym prefix
"SC-", networks by the slug prefix "scale-", applications by the reference
prefix "SCALE-". The data is deterministic (random.Random(42)). Rows are
written with bulk_create, so simple-history records no history for them.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q

from core.registry import ScaleBuilder

from .models import (
    AdmissionCriterion,
    ApplicationStatus,
    ChairTerm,
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
from .services import add_months

ORG_PREFIX = "SC-"
NETWORK_PREFIX = "scale-"
REFERENCE_PREFIX = "SCALE-"
BATCH = 500
SEED = 42

CHAIR_TERMS_PER_NETWORK = 20
CHAIR_TERM_MONTHS = 6
FIRST_TERM_START = date(2018, 1, 1)  # 20 six-month terms run to the end of 2027
ROTATION_LENGTH = 10
EXECUTIVE_COMMITTEE_SIZE = 8

STATUSES = [
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.ADMITTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
]
CRITERIA = (
    "A member of the United Nations system",
    "Migration is of relevance to its mandate",
    "Approval by the deciding body",
)
KINDS = [OrganizationKind.UN_ENTITY] * 6 + [OrganizationKind.RELATED, OrganizationKind.EXTERNAL]


def scale_networks():
    return Network.objects.filter(slug__startswith=NETWORK_PREFIX)


def scale_organizations():
    return Organization.objects.filter(acronym__startswith=ORG_PREFIX)


def delete_synthetic() -> dict[str, int]:
    """Delete the synthetic rows, children before the rows they protect."""
    networks = scale_networks()
    applications = MembershipApplication.objects.filter(
        Q(reference__startswith=REFERENCE_PREFIX) | Q(network__in=networks)
    )
    counts = {
        "applications": applications.delete()[0],
        "chair terms": ChairTerm.objects.filter(network__in=networks).delete()[0],
        "memberships": Membership.objects.filter(network__in=networks).delete()[0],
        "networks": networks.count(),
    }
    # A network protects its children: delete from the leaves up.
    while networks.exists():
        networks.filter(children__isnull=True).delete()
    counts["people"] = Person.objects.filter(organization__in=scale_organizations()).count()
    counts["organizations"] = scale_organizations().count()
    scale_organizations().delete()  # their people go with them
    return counts


def build_organizations(n: int, rng: random.Random) -> list[Organization]:
    orgs = [
        Organization(
            acronym=f"{ORG_PREFIX}{i:05d}",
            name=f"Scale Agency {i:05d}",
            slug=f"{NETWORK_PREFIX}sc-{i:05d}",
            kind=rng.choice(KINDS),
            headquarters=rng.choice(["Geneva", "New York", "Vienna", "Rome", "Nairobi", "Bangkok"]),
        )
        for i in range(1, n + 1)
    ]
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    return list(scale_organizations().order_by("acronym"))


def build_people(orgs: list[Organization]) -> int:
    people = []
    for org in orgs:
        domain = f"{org.slug}.example.org"
        people.append(
            Person(
                organization=org,
                name=f"Principal of {org.acronym}",
                level=PersonLevel.PRINCIPAL,
                email=f"head@{domain}",
            )
        )
        people.append(
            Person(
                organization=org,
                name=f"Focal point of {org.acronym}",
                level=PersonLevel.FOCAL_POINT,
                email=f"focal@{domain}",
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH)
    return len(people)


def network_specs(m: int) -> list[dict]:
    """One global network with a rotating chair; a third of the rest regional
    (alternately rotating chair and coordinator), the others country networks
    under the regional ones."""
    specs = [{"index": 0, "level": NetworkLevel.GLOBAL, "parent": None, "rotating": True}]
    rest = m - 1
    regional = max(1, rest // 3) if rest else 0
    for i in range(1, m):
        if i <= regional:
            specs.append(
                {"index": i, "level": NetworkLevel.REGIONAL, "parent": 0, "rotating": i % 2 == 1}
            )
        else:
            parent = 1 + (i - regional - 1) % regional
            specs.append(
                {"index": i, "level": NetworkLevel.COUNTRY, "parent": parent, "rotating": False}
            )
    return specs


def build_networks(m: int, orgs: list[Organization], rng: random.Random) -> list[Network]:
    networks: list[Network] = []
    for spec in network_specs(m):
        i = spec["index"]
        coordinator = None if spec["rotating"] else rng.choice(orgs)
        network = Network(
            name=f"Scale Network {i:03d} ({spec['level']})",
            short_name=f"SCALE-{i:03d}",
            slug=f"{NETWORK_PREFIX}{i:03d}",
            level=spec["level"],
            parent=networks[spec["parent"]] if spec["parent"] is not None else None,
            governance=Governance.ROTATING_CHAIR if spec["rotating"] else Governance.COORDINATOR,
            chair_term_months=CHAIR_TERM_MONTHS if spec["rotating"] else None,
            coordinator=coordinator,
            secretariat=coordinator,
            established=date(2010 + i % 10, 1, 1),
            terms_of_reference=f"Synthetic terms of reference of scale network {i}.",
            admission_body=DecidingBody.PRINCIPALS
            if spec["rotating"]
            else DecidingBody.EXECUTIVE_COMMITTEE,
        )
        network.save()  # one at a time: children need their parent's pk
        networks.append(network)
    AdmissionCriterion.objects.bulk_create(
        [
            AdmissionCriterion(network=network, position=p, text=text)
            for network in networks
            for p, text in enumerate(CRITERIA, start=1)
        ]
    )
    return networks


def build_memberships(
    networks: list[Network], orgs: list[Organization], rng: random.Random
) -> dict[int, list[Membership]]:
    per_network = max(1, len(orgs) // 2)
    memberships = []
    for network in networks:
        members = rng.sample(orgs, per_network)
        if network.coordinator_id and network.coordinator not in members:
            members[0] = network.coordinator
        committee = set(rng.sample(range(per_network), min(EXECUTIVE_COMMITTEE_SIZE, per_network)))
        for j, org in enumerate(members):
            memberships.append(
                Membership(
                    network=network,
                    organization=org,
                    joined=network.established + timedelta(days=rng.randrange(0, 3000)),
                    executive_committee=not network.has_rotating_chair and j in committee,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    by_network: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(network__in=networks).select_related(
        "organization"
    ):
        by_network.setdefault(membership.network_id, []).append(membership)
    return by_network


def build_chair_terms(
    networks: list[Network], members: dict[int, list[Membership]], rng: random.Random
) -> int:
    terms, rotation = [], []
    for network in networks:
        if not network.has_rotating_chair:
            continue
        candidates = [m.organization for m in members[network.pk]]
        order = rng.sample(candidates, min(ROTATION_LENGTH, len(candidates)))
        rotation += [
            RotationPosition(network=network, organization=org, position=p)
            for p, org in enumerate(order, start=1)
        ]
        start = FIRST_TERM_START
        for k in range(CHAIR_TERMS_PER_NETWORK):
            end = add_months(start, CHAIR_TERM_MONTHS) - timedelta(days=1)
            terms.append(
                ChairTerm(
                    network=network,
                    organization=order[k % len(order)],
                    start=start,
                    end=end,
                    theme=f"Synthetic theme {k + 1}",
                )
            )
            start = end + timedelta(days=1)
    RotationPosition.objects.bulk_create(rotation, batch_size=BATCH)
    ChairTerm.objects.bulk_create(terms, batch_size=BATCH)
    return len(terms)


def build_applications(
    count: int, networks: list[Network], members: dict[int, list[Membership]], rng: random.Random
) -> int:
    free = {pk: list(ms) for pk, ms in members.items()}  # memberships not yet linked
    base = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    applications = []
    for i in range(1, count + 1):
        network = networks[(i - 1) % len(networks)]
        status = STATUSES[(i - 1) % len(STATUSES)]
        submitted_at = None if status == ApplicationStatus.DRAFT else base + timedelta(hours=7 * i)
        application = MembershipApplication(
            network=network,
            reference=f"{REFERENCE_PREFIX}{i:06d}",
            status=status,
            org_name=f"Scale Applicant {i:06d}",
            org_acronym=f"SCA-{i:06d}",
            org_kind=rng.choice(KINDS),
            mandate="A synthetic mandate.",
            relevance="Synthetic relevance to migration.",
            areas_of_work="Synthetic areas of work.",
            focal_point_name=f"Applicant Focal Point {i}",
            focal_point_email=f"focal{i}@applicant.example.org",
            contact_email=f"contact{i}@applicant.example.org",
            submitted_at=submitted_at,
        )
        if status in (ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED):
            application.decided_by = network.admission_body
            application.decision_date = (submitted_at + timedelta(days=30)).date()
            application.decision_record = "Synthetic decision"
        if status == ApplicationStatus.DECLINED:
            application.outcome_reason = "Synthetic reason"
        if status == ApplicationStatus.ADMITTED and free[network.pk]:
            membership = free[network.pk].pop(rng.randrange(len(free[network.pk])))
            application.membership = membership
            application.organization = membership.organization
            application.org_name = membership.organization.name
            application.org_acronym = membership.organization.acronym
        if status in (
            ApplicationStatus.ADMITTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
        ):
            application.closed_at = submitted_at + timedelta(days=30)
        applications.append(application)
    MembershipApplication.objects.bulk_create(applications, batch_size=BATCH)
    return len(applications)


def add_arguments(parser) -> None:
    parser.add_argument("--organizations", type=int, default=600)
    parser.add_argument("--networks", type=int, default=12)
    parser.add_argument("--applications", type=int, default=300)


def check(options: dict) -> list[str]:
    problems = []
    if options["organizations"] < ROTATION_LENGTH:
        problems.append(f"--organizations must be at least {ROTATION_LENGTH}.")
    if options["networks"] < 1:
        problems.append("--networks must be at least 1.")
    if options["applications"] < 0:
        problems.append("--applications cannot be negative.")
    return problems


def loaded() -> bool:
    return scale_organizations().exists() or scale_networks().exists()


def build(options: dict) -> dict[str, int]:
    """Agencies, their people, networks, memberships, chair terms and
    applications; deterministic (random.Random(SEED))."""
    n, m, a = options["organizations"], options["networks"], options["applications"]
    rng = random.Random(SEED)
    orgs = build_organizations(n, rng)
    people = build_people(orgs)
    networks = build_networks(m, orgs, rng)
    members = build_memberships(networks, orgs, rng)
    terms = build_chair_terms(networks, members, rng)
    applications = build_applications(a, networks, members, rng)
    return {
        "organizations": len(orgs),
        "people": people,
        "networks": len(networks),
        "memberships": sum(len(ms) for ms in members.values()),
        "chair terms": terms,
        "membership applications": applications,
    }


BUILDER = ScaleBuilder(
    app="members",
    add_arguments=add_arguments,
    loaded=loaded,
    delete=delete_synthetic,
    build=build,
    check=check,
    describe="organizations SC-*, networks scale-*",
)
