"""The reports of a network: the list of builds with the form that asks for
one, a build's page (which follows a build in flight by itself), its PDF,
its Word draft and the retry of a failed one."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import protected_file_response
from core.views_helpers import deny_unless, paginate, querystring_without_page
from members.models import Network
from members.roles import actor_for

from . import builder
from .docx import html_to_docx
from .forms import BuildForm, ListFilter
from .kinds import ReportProblem
from .models import BuildStatus, ReportBuild, ReportKind
from .permissions import buildable_kinds, can, manages, visible_builds
from .publishing import PublishForm
from .workplan_progress import period_dates, workplan_of


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _build_or_404(actor, pk: int) -> ReportBuild:
    build = (
        visible_builds(actor)
        .select_related("network", "requested_by", "document")
        .filter(pk=pk)
        .first()
    )
    if build is None:
        raise Http404
    return build


def _list_context(request, actor, network, form) -> dict:
    builds = visible_builds(actor).filter(network=network).select_related("requested_by")
    filters = ListFilter(request.GET or None)
    if filters.is_valid():
        if filters.cleaned_data["kind"]:
            builds = builds.filter(kind=filters.cleaned_data["kind"])
        if filters.cleaned_data["year"]:
            year = filters.cleaned_data["year"]
            builds = builds.filter(period_start__year__lte=year, period_end__year__gte=year)
    return {
        "network": network,
        "page": paginate(request, builds, 25),
        "querystring": querystring_without_page(request),
        "filters": filters,
        "form": form,
        "manages": manages(actor, network.pk),
    }


@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    network = _network(slug)
    deny_unless(can(actor, "read", network), "read")
    kinds = buildable_kinds(actor, network.pk)
    form = BuildForm(network=network, kinds=kinds) if kinds else None
    return render(request, "reports/list.html", _list_context(request, actor, network, form))


def _period(kind: str, network: Network, data: dict) -> tuple[date, date, int | None]:
    if kind == ReportKind.CHAIR_SUMMARY:
        term = network.chair_terms.filter(pk=data["term"]).first()
        if term is None:
            raise ReportProblem(_("Choose one of the network's chair terms."))
        return term.start, term.end, term.pk
    year = data["year"]
    if kind == ReportKind.WORKPLAN_PROGRESS:
        workplan = workplan_of(network, data.get("workplan"))
        start, end = period_dates(year, data.get("quarter"))
        return start, end, workplan.pk
    if kind == ReportKind.BIENNIAL:  # the two years ending with the year given
        return date(year - 1, 1, 1), date(year, 12, 31), None
    return date(year, 1, 1), date(year, 12, 31), None


@login_required
@require_POST
def report_build(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    network = _network(slug)
    kinds = buildable_kinds(actor, network.pk)
    deny_unless(bool(kinds), "build")
    form = BuildForm(request.POST, network=network, kinds=kinds)
    if form.is_valid():
        data = form.cleaned_data
        try:
            start, end, subject = _period(data["kind"], network, data)
            build, created = builder.request_build(
                builder.Request(data["kind"], network, start, end, data["language"], subject),
                by=request.user,
            )
        except ReportProblem as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("The report is being built."))
            else:
                messages.info(request, _("This report is already being built: here is that build."))
            return redirect(build)
    context = _list_context(request, actor, network, form)
    return render(request, "reports/list.html", context, status=400)


def _detail_context(actor, build: ReportBuild) -> dict:
    return {
        "build": build,
        "network": build.network,
        "manages": manages(actor, build.network_id),
        "can_retry": can(actor, "retry", build),
        "publish_form": PublishForm() if manages(actor, build.network_id) else None,
        "newer": ReportBuild.objects.filter(key=build.key, requested_at__gt=build.requested_at)
        .order_by("-requested_at")
        .first()
        if build.status == BuildStatus.FAILED
        else None,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    return render(request, "reports/detail.html", _detail_context(actor, build))


@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the build's page that htmx asks for again while the build
    is in flight; it stops asking once the build is ready or failed."""
    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    return render(request, "reports/_status.html", _detail_context(actor, build))


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    if build.status != BuildStatus.READY or not build.file:
        raise Http404
    return protected_file_response(
        build.file, filename=build.download_name(), content_type="application/pdf"
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The ready report as a Word draft for the drafting team: the same
    sections as its PDF, made from the stored snapshot (no PDF rendering)."""
    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    if build.status != BuildStatus.READY:
        raise Http404
    data = html_to_docx(builder.render_html(build, build.snapshot))
    name = build.download_name().removesuffix(".pdf") + ".docx"
    return protected_file_response(ContentFile(data, name=name), filename=name, content_type=DOCX)


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    if build.status != BuildStatus.FAILED:
        messages.info(request, _("Only a build that failed can be tried again."))
        return redirect(build)
    deny_unless(can(actor, "retry", build), "retry")
    new = builder.retry(build, by=request.user)
    messages.success(request, _("The report is being built again."))
    return redirect(new)
