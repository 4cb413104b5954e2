"""Which network a page shows. One rule for every page (README, "The network
a page shows"):

- The header names the network you are in. The dashboard and every list of
  a network's records (meetings, the year, workplans, task teams, the members
  directory, membership applications, My activities) show that network, say
  so, and offer all of your networks.
- Until you choose one in the header, you start on one of your networks
  (where you speak for a member agency, hold a role, chair or coordinate):
  at sign-in, the first of them, in the usual order, where something waits
  for you (as the apps count it, `core.registry.work_counter`), else the
  first of them. A user with one network always starts on it; the public
  and applicants start on the first network.
- A list that is empty in the network shown while some of your rows are in
  other networks says so, with a link to each of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from core.registry import registry

from .models import Network
from .permissions import work_network_ids
from .roles import Actor


def your_networks(actor: Actor):
    """The user's networks in display order (every network for the admin
    and the secretariat everywhere; none for the public)."""
    ids = work_network_ids(actor)
    networks = Network.objects.in_display_order()
    return networks if ids is None else networks.filter(pk__in=ids)


def start_network_id(actor: Actor) -> int | None:
    """The network a user starts on (the rule above). A few queries, run
    once at sign-in, never on a page."""
    mine = list(your_networks(actor).values_list("pk", flat=True))
    if not mine:
        return Network.objects.in_display_order().values_list("pk", flat=True).first()
    if len(mine) == 1:
        return mine[0]
    work = registry.work_by_network(actor)
    return next((pk for pk in mine if work.get(pk)), mine[0])


@dataclass
class Elsewhere:
    network: Network
    label: str  # "2 workplans"
    url: str


@dataclass
class Scope:
    """What a list shows: one network (named) or all of the user's networks,
    the links between the two, and where the user's rows are when the one
    network shown has none."""

    network: Network | None
    all_label: str
    all_url: str
    one_url: str = ""
    one_network: Network | None = None
    elsewhere: list[Elsewhere] = field(default_factory=list)
    # A public list (the directory): the rows are not "yours".
    public: bool = False


def _url(params: QueryDict, **changes: str) -> str:
    params = params.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


def _all_label(public: bool) -> str:
    return _("All networks") if public else _("All my networks")


def list_scope(
    request: HttpRequest,
    filterset,
    *,
    empty: bool,
    count_label: Callable[[int], str],
    public: bool = False,
    network_field: str = "network_id",
) -> Scope:
    """The scope of a list filtered by a `network` filter (meetings,
    workplans, the directory, applications, my activities). `empty`: the
    page shows no row; `network_field`: the path from a row to its network's
    id (`objective__workplan__network_id` for activities). Two queries when
    the one network shown is empty, none otherwise."""
    # django-filter applies every valid field even when another is invalid:
    # the network is the one the list is filtered by, valid form or not.
    filterset.is_valid()  # runs the validation; cleaned_data then holds the valid fields
    network = filterset.form.cleaned_data.get("network")
    header = request.network or None
    scope = Scope(
        network=network,
        all_label=_all_label(public),
        public=public,
        all_url=_url(request.GET, network=""),
    )
    if network is None and header is not None:
        scope.one_url = _url(request.GET, network=str(header.pk))
        scope.one_network = header
    if network is not None and empty:
        data = filterset.data.copy()
        data["network"] = ""
        everywhere = type(filterset)(data, queryset=filterset.queryset).qs.order_by()
        if network_field != "network_id":
            everywhere = everywhere.annotate(network_id=F(network_field))
        scope.elsewhere = _elsewhere(
            everywhere.values("network_id").annotate(n=Count("pk", distinct=True)),
            lambda network: _url(request.GET, network=str(network.pk)),
            count_label,
        )
    return scope


def _elsewhere(rows, url_for: Callable[[Network], str], count_label) -> list[Elsewhere]:
    counts = {row["network_id"]: row["n"] for row in rows if row["n"]}
    if not counts:
        return []
    networks = Network.objects.in_display_order().filter(pk__in=counts)
    return [Elsewhere(n, count_label(counts[n.pk]), url_for(n)) for n in networks]


def networks_with_counts(counts: dict[int, int]) -> list[tuple[Network, int]]:
    """The networks of {network id: count}, in display order (one query, none
    when empty)."""
    if not counts:
        return []
    return [(n, counts[n.pk]) for n in Network.objects.in_display_order().filter(pk__in=counts)]


def elsewhere_of(queryset, *, url_for: Callable[[Network], str], count_label) -> list[Elsewhere]:
    """Where the rows of `queryset` (the user's, in every network) are, for a
    list that is not filtered by a form (task teams). Two queries."""
    rows = queryset.order_by().values("network_id").annotate(n=Count("pk", distinct=True))
    return _elsewhere(rows, url_for, count_label)
