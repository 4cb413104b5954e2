"""What the members side brings to the shared pages and commands (core.registry):
the network's troika and members and four "For you" panels on the dashboard,
its menu entries, the demo's agencies, networks and accounts, the synthetic
agencies and networks of seed_scale, and its benchmark pages."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry
from core.registry import BenchPage

from . import demo, scale, selectors
from .models import MembershipApplication, Network, Organization, Person
from .permissions import visible_applications
from .sitemaps import MemberPages, NetworkPages, OrganizationPages

# --- dashboard ------------------------------------------------------------------------


@registry.dashboard_panel(
    "members", order=10, section="network", template="members/panels/network.html"
)
def network(request, actor, network) -> dict:
    """The chair and troika (or the coordinator) and the current members."""
    return selectors.network_page(network=network)


@registry.dashboard_panel("members", order=10, template="members/panels/applications.html")
def applications(request, actor, network) -> dict | None:
    """Applications to review, for whoever manages a network."""
    if not actor.manages_any:
        return None
    waiting = selectors.applications_waiting(visible_applications(actor))
    if network is not None:
        waiting = waiting.filter(network=network)
    return {"applications": list(waiting[:10]), "applications_count": waiting.count()}


def applications_by_network(actor) -> dict[int, int]:
    if not actor.manages_any:
        return {}
    rows = (
        selectors.applications_waiting(visible_applications(actor))
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
    )
    return {row["network_id"]: row["n"] for row in rows}


registry.work_counter("members", applications_by_network)


@registry.dashboard_panel("members", order=5, template="members/panels/chair_terms.html")
def chairing(request, actor, network) -> dict | None:
    """ "You chair / you coordinate": the networks the user's agency leads
    now, in every network (it is about the user, not the network shown):
    the current chair terms, and the networks it coordinates."""
    if not actor.chair_network_ids:
        return None
    terms = list(selectors.current_chair_terms().filter(network_id__in=actor.chair_network_ids))
    termed = {t.network_id for t in terms}
    coordinated = list(
        Network.objects.in_display_order()
        .filter(pk__in=actor.chair_network_ids - termed, coordinator__isnull=False)
        .select_related("coordinator")
    )
    return {"chair_terms": terms, "coordinated": coordinated}


@registry.dashboard_panel("members", order=60, template="members/panels/my_people.html")
def my_people(request, actor, network) -> dict | None:
    """The agencies the user speaks for."""
    if not actor.affiliations:
        return None
    people = Person.objects.filter(user_id=actor.user_id, is_active=True).select_related(
        "organization", "network"
    )
    return {"my_people": list(people)}


@registry.dashboard_panel("members", order=70, template="members/panels/my_applications.html")
def my_applications(request, actor, network) -> dict:
    """The membership applications the user sent."""
    mine = MembershipApplication.objects.filter(submitted_by_id=actor.user_id).select_related(
        "network"
    )
    return {"my_applications": list(mine[:10])}


# --- menu ------------------------------------------------------------------------------

registry.menu_entry(
    "members", _("Members"), "members:directory", order=10, visible=lambda a, u: True
)
registry.menu_entry(
    "members", _("Networks"), "members:network_list", order=20, visible=lambda a, u: True
)
registry.menu_entry(
    "members",
    _("Applications"),
    "members:application_list",
    order=60,
    visible=lambda actor, user: actor.manages_any,
)
registry.menu_entry(
    "members",
    _("Apply to join"),
    "members:apply_start",
    order=70,
    visible=lambda actor, user: not user.is_authenticated,
)

# --- demo, scale data, benchmarks --------------------------------------------------------

registry.demo_loader("members", demo.load_demo, accounts=demo.DEMO_ACCOUNTS)
registry.scale_builder(scale.BUILDER)


def bench_pages() -> list[BenchPage]:
    network = Network.objects.in_display_order().first()
    organization = Organization.objects.order_by("pk").first()
    application = MembershipApplication.objects.order_by("pk").first()
    pages = [
        BenchPage("members directory", reverse("members:directory"), False),
        BenchPage("network list", reverse("members:network_list"), False),
        BenchPage("applications list", reverse("members:application_list"), True),
    ]
    if network:
        directory = reverse("members:directory") + f"?network={network.pk}"
        pages.insert(1, BenchPage("directory, one network", directory, False))
        pages.append(BenchPage("network page", network.get_absolute_url(), True))
    if organization:
        pages.append(BenchPage("organization page", organization.get_absolute_url(), True))
    if application:
        pages.append(BenchPage("application page", application.get_absolute_url(), True))
    return pages


def bench_counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "networks": Network.objects.count(),
        "applications": MembershipApplication.objects.count(),
    }


registry.bench_pages("members", bench_pages, counts=bench_counts)


from . import search  # noqa: E402, F401 - registers what the search finds

# --- the public site --------------------------------------------------------------------

registry.sitemap_section("members", "members", MemberPages)
registry.sitemap_section("members", "networks", NetworkPages)
registry.sitemap_section("members", "organizations", OrganizationPages)
