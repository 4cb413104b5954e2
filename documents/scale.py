"""The documents of the synthetic data set (`seed_scale`): for each synthetic
network ("scale-*" of members/scale.py) its share of `--documents` records
and of `--engagements`, titled and summarised from a small vocabulary so that
searches find some and not others, over every kind, status and access level.
Marked by the symbol prefix "SCALE/" and the event prefix "Scale: ";
deterministic (random.Random(42)); written with bulk_create (no history, no
search entries: seed_scale rebuilds the index at its end)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from core.registry import ScaleBuilder
from members.models import Membership, Network

from .models import Access, Document, DocumentKind, DocumentStatus, Engagement, EngagementKind

SYMBOL_PREFIX = "SCALE/"
EVENT_PREFIX = "Scale: "
BATCH = 1000
SEED = 42

SUBJECTS = (
    "labour migration corridors",
    "climate-related displacement",
    "remittances and financial inclusion",
    "return and reintegration",
    "migrant smuggling",
    "regular pathways",
    "data on international migration",
    "alternatives to detention",
    "migrant children",
    "skills partnerships",
    "diaspora engagement",
    "border governance",
)
FORMS = ("Joint statement on", "Briefing note:", "Background paper on", "Report on", "Survey of")
PLACES = ("Geneva", "New York", "Bangkok", "Nairobi", "Brussels", "Panama City", "Cairo")


def _networks():
    return Network.objects.filter(slug__startswith="scale-").order_by("pk")


def delete_synthetic() -> dict[str, int]:
    engagements, _ = Engagement.objects.filter(event__startswith=EVENT_PREFIX).delete()
    documents = Document.objects.filter(symbol__startswith=SYMBOL_PREFIX)
    Document.objects.filter(superseded_by__in=documents).update(superseded_by=None)
    count, _ = documents.delete()
    return {"documents (rows)": count, "engagements (rows)": engagements}


def loaded() -> bool:
    return Document.objects.filter(symbol__startswith=SYMBOL_PREFIX).exists()


def add_arguments(parser) -> None:
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--engagements", type=int, default=1000)


def check(options: dict) -> list[str]:
    problems = []
    if options["documents"] < 0:
        problems.append("--documents cannot be negative.")
    if options["engagements"] < 0:
        problems.append("--engagements cannot be negative.")
    return problems


def build(options: dict) -> dict[str, int]:
    rng = random.Random(SEED)
    networks = list(_networks())
    if not networks:
        return {"documents": 0, "engagements": 0}
    kinds = list(DocumentKind.objects.order_by("order", "pk"))
    members: dict[int, list[int]] = {}
    for network_id, organization_id in Membership.objects.filter(network__in=networks).values_list(
        "network_id", "organization_id"
    ):
        members.setdefault(network_id, []).append(organization_id)
    statuses = [
        DocumentStatus.PUBLISHED,
        DocumentStatus.PUBLISHED,
        DocumentStatus.FINAL,
        DocumentStatus.DRAFT,
        DocumentStatus.WITHDRAWN,
    ]
    accesses = [Access.PUBLIC, Access.PUBLIC, Access.MEMBERS, Access.EXECUTIVE_COMMITTEE]
    start = date(2016, 1, 1)
    documents = []
    for i in range(options["documents"]):
        network = networks[i % len(networks)]
        subject = rng.choice(SUBJECTS)
        day = start + timedelta(days=rng.randrange(0, 3650))
        status = rng.choice(statuses)
        agencies = members.get(network.pk) or [None]
        documents.append(
            Document(
                network=network,
                symbol=f"{SYMBOL_PREFIX}{network.pk}/{i:06d}",
                title=f"{rng.choice(FORMS)} {subject} ({day.year}, no. {i})",
                kind=kinds[i % len(kinds)],
                date=day,
                lead_agency_id=rng.choice(agencies),
                summary=(
                    f"What the agencies of the network found on {subject} in "
                    f"{rng.choice(PLACES)}, with recommendations on {rng.choice(SUBJECTS)}."
                ),
                status=status,
                access=rng.choice(accesses),
                publish_on=(
                    datetime.combine(day, time(12), tzinfo=UTC)
                    if status == DocumentStatus.PUBLISHED
                    else None
                ),
                status_note="Replaced by a later paper." if status == "withdrawn" else "",
            )
        )
    Document.objects.bulk_create(documents, batch_size=BATCH)
    engagements = []
    kinds_of_engagement = list(EngagementKind.values)
    for i in range(options["engagements"]):
        network = networks[i % len(networks)]
        day = start + timedelta(days=rng.randrange(0, 3650))
        engagements.append(
            Engagement(
                network=network,
                event=f"{EVENT_PREFIX}regional review on {rng.choice(SUBJECTS)} ({i})",
                organizer="Scale organizer",
                place=rng.choice(PLACES),
                start=day,
                end=day + timedelta(days=rng.randrange(0, 3)),
                kind=rng.choice(kinds_of_engagement),
                represented_by_id=rng.choice(members.get(network.pk) or [None]),
                outcome=f"Recommendations on {rng.choice(SUBJECTS)}.",
                public=rng.random() < 0.6,
            )
        )
    Engagement.objects.bulk_create(engagements, batch_size=BATCH)
    return {"documents": len(documents), "engagements": len(engagements)}


BUILDER = ScaleBuilder(
    app="documents",
    add_arguments=add_arguments,
    loaded=loaded,
    delete=delete_synthetic,
    build=build,
    check=check,
    describe="documents with the symbol SCALE/…",
)
