"""Task team pages: the list of a network's teams, a team's page, setting one
up and editing it, activating and closing it, its membership, and its terms
of reference as a download. Each view fetches and authorises in one step:
what the user may not see is a 404, what they may see but not do a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import files
from core.errors import DomainError
from core.views_helpers import (
    form_error,
    form_page,
    paginate,
    querystring_without_page,
    require,
)
from members.models import Network
from members.roles import Actor, actor_for
from members.scope import Scope, elsewhere_of

from . import selectors, services
from .filters import TaskTeamFilter
from .forms import AddOrganizationForm, AddPersonForm, TaskTeamForm
from .models import TaskTeam, TaskTeamStatus
from .permissions import can, is_co_chair, sees_any_network, sees_network, visible_task_teams


def _network_or_404(actor: Actor, slug: str) -> Network:
    """The network, if the user may read its task teams."""
    network = get_object_or_404(Network, slug=slug)
    if not sees_network(actor, network.pk):
        raise Http404
    return network


def _team_or_404(request: HttpRequest, network: str, slug: str) -> TaskTeam:
    return get_object_or_404(
        selectors.task_team_for_page(visible_task_teams(actor_for(request))),
        network__slug=network,
        slug=slug,
    )


def _count_label(n: int) -> str:
    return ngettext("%(n)s task team", "%(n)s task teams", n) % {"n": n}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The menu's "Task teams": those of the network in the header (members.
    scope), or, with ?all=1 or when the header's network is not one whose
    teams the user may read, those of all the user's networks."""
    actor = actor_for(request)
    if not sees_any_network(actor):
        raise Http404
    header = request.network or None
    if request.GET.get("all") != "1":
        if header is not None and sees_network(actor, header.pk):
            return redirect("taskteams:list", network=header.slug)
        readable = [n for n in Network.objects.in_display_order() if sees_network(actor, n.pk)]
        if len(readable) == 1:  # one network: always that one
            return redirect("taskteams:list", network=readable[0].slug)
    return _list_page(request, actor, None, visible_task_teams(actor), header=header)


@login_required
def task_team_list(request: HttpRequest, network: str) -> HttpResponse:
    actor = actor_for(request)
    net = _network_or_404(actor, network)
    return _list_page(request, actor, net, visible_task_teams(actor).filter(network=net))


def _list_page(request, actor, net: Network | None, teams, header: Network | None = None):
    filterset = TaskTeamFilter(request.GET or None, queryset=selectors.task_team_list(teams))
    page = paginate(request, filterset.qs)
    scope = Scope(
        network=net, all_label=_("All my networks"), all_url=reverse("taskteams:index") + "?all=1"
    )
    if net is None and header is not None and sees_network(actor, header.pk):
        scope.one_url, scope.one_network = reverse("taskteams:list", args=[header.slug]), header
    if net is not None and not page.object_list and not filterset.form.has_changed():
        scope.elsewhere = elsewhere_of(
            visible_task_teams(actor),
            url_for=lambda n: reverse("taskteams:list", args=[n.slug]),
            count_label=_count_label,
        )
    return render(
        request,
        "taskteams/list.html",
        {
            "network": net,
            "scope": scope,
            "filter": filterset,
            "page": page,
            "querystring": querystring_without_page(request),
            "can_create": net is not None and can(actor, "taskteam.create", net),
        },
    )


@login_required
def task_team_detail(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    team = _team_or_404(request, network, slug)
    actor = actor_for(request)
    may_manage = can(actor, "taskteam.manage", team)
    context = selectors.task_team_page(team)
    context.update(
        team=team,
        network=team.network,
        may_manage=may_manage,
        may_manage_membership=can(actor, "taskteam.manage_membership", team),
        is_co_chair=is_co_chair(actor, team),
        history=selectors.team_history(team) if may_manage else None,
    )
    return render(request, "taskteams/detail.html", context)


@login_required
def task_team_create(request: HttpRequest, network: str) -> HttpResponse:
    actor = actor_for(request)
    net = _network_or_404(actor, network)
    require(can, actor, "taskteam.create", net)
    form = TaskTeamForm(request.POST or None, request.FILES or None, network=net)
    return form_page(
        request,
        form,
        save=lambda f: services.taskteam_save(
            team=f.instance,
            co_chairs=f.cleaned_data["co_chairs"],
            member_organizations=f.cleaned_data["member_organizations"],
            by=request.user,
        ),
        done=form.instance,  # saved by then: redirect() asks it for its URL
        message=lambda f: (
            _("%(team)s was set up as proposed; activate it once decided.")
            % {"team": f.instance.name}
        ),
        title=_("New task team or working group of %(n)s") % {"n": net.short_name},
        lead=_(
            "A task team or working group is established by decision of the network, with "
            "its focus, composition, co-chairs and terms of reference. It starts as proposed."
        ),
        back=net,
    )


@login_required
def task_team_edit(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    team = _team_or_404(request, network, slug)
    require(can, actor_for(request), "taskteam.manage", team)
    return form_page(
        request,
        TaskTeamForm(
            request.POST or None, request.FILES or None, instance=team, network=team.network
        ),
        save=lambda f: services.taskteam_save(
            team=f.instance,
            co_chairs=f.cleaned_data["co_chairs"],
            member_organizations=f.cleaned_data["member_organizations"],
            by=request.user,
        ),
        done=team,
        message=_("Saved."),
        title=_("Edit %(team)s") % {"team": team.name},
        back=team,
    )


@require_POST
@login_required
def task_team_transition(request: HttpRequest, network: str, slug: str, to: str) -> HttpResponse:
    team = _team_or_404(request, network, slug)
    require(can, actor_for(request), "taskteam.manage", team)
    try:
        services.taskteam_transition(team=team, to=to, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(team)s is active.") % {"team": team.name}
            if to == TaskTeamStatus.ACTIVE
            else _("%(team)s is closed.") % {"team": team.name},
        )
    return redirect(team)


@login_required
def task_team_membership(request: HttpRequest, network: str, slug: str) -> HttpResponse:
    """Co-chairs' focal points (and the secretariat) add and remove the
    team's agencies and people."""
    team = _team_or_404(request, network, slug)
    require(can, actor_for(request), "taskteam.manage_membership", team)
    post = request.POST if request.method == "POST" else None
    org_form = AddOrganizationForm(post if post and "add_organization" in post else None, team=team)
    person_form = AddPersonForm(post if post and "add_person" in post else None, team=team)
    if post is not None:
        done = _change_membership(request, team, post, org_form, person_form)
        if done:
            return redirect("taskteams:membership", network=team.network.slug, slug=team.slug)
    context = selectors.membership_page(team)
    context.update(team=team, network=team.network, org_form=org_form, person_form=person_form)
    return render(request, "taskteams/membership.html", context)


def _change_membership(request, team, post, org_form, person_form) -> bool:
    """Carry out one membership change; True when it was made."""
    try:
        if "add_organization" in post:
            if not org_form.is_valid():
                return False
            organization = org_form.cleaned_data["organization"]
            services.taskteam_add_organization(
                team=team, organization=organization, by=request.user
            )
            messages.success(request, _("%(org)s joined the team.") % {"org": organization})
        elif "add_person" in post:
            if not person_form.is_valid():
                return False
            person = person_form.cleaned_data["person"]
            services.taskteam_add_person(team=team, person=person, by=request.user)
            messages.success(request, _("%(name)s joined the team.") % {"name": person.name})
        elif "remove_organization" in post:
            organization = get_object_or_404(
                team.member_organizations.all(), pk=_pk(post["remove_organization"])
            )
            people = services.taskteam_remove_organization(
                team=team, organization=organization, by=request.user
            )
            message = _("%(org)s left the team.") % {"org": organization}
            if people:
                message += " " + _("So did its people: %(names)s.") % {
                    "names": ", ".join(p.name for p in people)
                }
            messages.success(request, message)
        elif "remove_person" in post:
            person = get_object_or_404(team.members.all(), pk=_pk(post["remove_person"]))
            services.taskteam_remove_person(team=team, person=person, by=request.user)
            messages.success(request, _("%(name)s left the team.") % {"name": person.name})
        else:
            return False
    except DomainError as error:
        form = person_form if "add_person" in post else org_form
        if form.is_bound:
            form_error(form, error)
        else:
            messages.error(request, error.message)
        return False
    return True


def _pk(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


@login_required
def tor_document(request: HttpRequest, network: str, slug: str) -> FileResponse:
    """The terms of reference are not public media: members download them here."""
    team = _team_or_404(request, network, slug)
    if not team.tor_document:
        raise Http404
    return files.stored_file_response(team.tor_document, name=team.tor_document_name)
