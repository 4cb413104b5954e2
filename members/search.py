"""What the search finds of the members app: organizations (for everyone,
as the public directory lists them) and, for members only, people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.search import SearchSource, SearchText

from .models import Organization, Person
from .permissions import visible_people


def organization_text(org: Organization) -> SearchText:
    return SearchText(
        title=f"{org.name} ({org.acronym})",
        body=" ".join(p for p in (org.headquarters, org.description) if p),
        url=org.get_absolute_url(),
    )


def person_text(person: Person) -> SearchText | None:
    if not person.is_active:
        return None
    org = person.organization
    return SearchText(
        title=" ".join(p for p in (person.honorific, person.name) if p),
        body=" ".join(p for p in (person.position, org.acronym, org.name) if p),
        url=f"{org.get_absolute_url()}#person-{person.pk}",
        network_id=person.network_id,
    )


registry.search_source(
    SearchSource(
        "members",
        "organization",
        _("Organizations"),
        Organization,
        organization_text,
        lambda actor: Organization.objects.all(),
        order=80,
    )
)
registry.search_source(
    SearchSource(
        "members",
        "person",
        _("People"),
        Person,
        person_text,
        visible_people,
        order=81,
        queryset=lambda: Person.objects.select_related("organization"),
        members_only=True,
    )
)
