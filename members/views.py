from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.throttle import within_limit
from core import files, registry
from core.errors import DomainError
from core.history import changes_for
from core.net import client_ip
from core.views_helpers import (
    deny_unless,
    form_error,
    form_page,
    get_for_action,
    get_visible_or_404,
    paginate,
    querystring_without_page,
    require,
)
from members.middleware import CHOSEN_KEY, SESSION_KEY
from members.roles import actor_for
from members.scope import list_scope

from . import form_tokens, selectors, services
from .filters import ApplicationFilter, MembershipFilter
from .forms import (
    ApplicationAssessmentForm,
    ApplicationDecisionForm,
    ApplicationForm,
    ChairNarrativeForm,
    ChairPlanForm,
    ChairTermForm,
    MembershipForm,
    NetworkForm,
    OrganizationForm,
    PersonForm,
    RotationForm,
    WithdrawForm,
)
from .models import (
    ApplicationDocument,
    ApplicationStatus,
    ChairTerm,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
)
from .permissions import (
    PERSON_ACCESS,
    can,
    contact_scope,
    visible_applications,
    visible_people,
)

# --- directory, organizations, people ------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    filterset = MembershipFilter(data, queryset=selectors.membership_directory())
    page = paginate(request, filterset.qs)
    scope = list_scope(
        request,
        filterset,
        empty=not page.object_list,
        count_label=lambda n: ngettext("%(n)s member", "%(n)s members", n) % {"n": n},
        public=True,
    )
    return render(
        request,
        "members/directory.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    actor = actor_for(request)
    context = selectors.organization_page(
        organization=organization, with_people=can(actor, "people.view")
    )
    context.update(
        organization=organization,
        can_edit=can(actor, "organization.change", organization),
        can_add_person=can(actor, "person.create", organization),
        # No query per contact: person.change reads the contact's own fields.
        editable_people={p.pk for p in context["people"] if can(actor, "person.change", p)},
        history=changes_for(organization) if can(actor, "history.view") else None,
    )
    return render(request, "members/organization_detail.html", context)


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    require(can, actor_for(request), "organization.create")
    form = OrganizationForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda f: f.save(),
        done=form.instance,  # saved by then: redirect() asks it for its URL
        message=lambda f: _("%(org)s was added.") % {"org": f.instance},
        title=_("New organization"),
    )


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    require(can, actor_for(request), "organization.change", organization)
    return form_page(
        request,
        OrganizationForm(request.POST or None, instance=organization),
        save=lambda f: f.save(),
        done=organization,
        message=_("Saved."),
        title=_("Edit %(org)s") % {"org": organization},
        back=organization,
    )


@login_required
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    if not can(actor, "people.view"):
        raise Http404
    organization = get_object_or_404(Organization, slug=slug)
    require(can, actor, "person.create", organization)
    person = Person(organization=organization)
    locked = PERSON_ACCESS.locked(actor, can, person)
    # Where the new contact may go: the networks this actor manages.
    scope = contact_scope(actor, organization.pk, linked=False)
    return form_page(
        request,
        PersonForm(
            request.POST or None,
            instance=person,
            organization=organization,
            locked=locked,
            scope=scope,
        ),
        save=lambda f: services.person_save(person=f.instance, locked=locked, actor=actor),
        done=organization,
        message=lambda f: _("%(name)s was added.") % {"name": f.instance.name},
        title=_("New contact for %(org)s") % {"org": organization},
        back=organization,
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    person = get_for_action(
        actor,
        visible_people(actor).select_related("organization"),
        can=can,
        action="person.change",
        pk=pk,
    )
    # Who the contact is for the app (agency, network, level, account) stays
    # with those who manage every network it reaches: see PERSON_ACCESS.
    locked = PERSON_ACCESS.locked(actor, can, person)
    scope = contact_scope(actor, person.organization_id, linked=person.user_id is not None)
    return form_page(
        request,
        PersonForm(
            request.POST or None,
            instance=person,
            organization=person.organization,
            locked=locked,
            scope=scope,
        ),
        save=lambda f: services.person_save(person=f.instance, locked=locked, actor=actor),
        done=person.organization,
        message=_("Saved."),
        title=_("Edit %(name)s") % {"name": person.name},
        back=person.organization,
    )


# --- networks ---------------------------------------------------------------------


def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "members/network_list.html", {"networks": selectors.network_list()})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(
        Network.objects.select_related("parent", "coordinator", "secretariat"), slug=slug
    )
    actor = actor_for(request)
    context = selectors.network_page(network=network)
    context.update(
        network=network,
        narratable={t.pk for t in context["terms"] if can(actor, "chair.narrate", t)},
        can_manage=can(actor, "network.change", network),
        history=changes_for(network) if can(actor, "history.view") else None,
        # What the apps above publish of this network (public decisions,
        # published documents, engagements): each app's parts.py decides
        # what this user may see.
        sections=registry.page_sections("members.network", request, actor, network),
    )
    return render(request, "members/network_detail.html", context)


@login_required
def network_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    actor = actor_for(request)
    require(can, actor, "network.change", network)

    def save(form: NetworkForm) -> None:
        with transaction.atomic():
            form.save()
            services.criteria_set(network=network, texts=form.criteria_lines())

    return form_page(
        request,
        NetworkForm(request.POST or None, instance=network, actor=actor),
        save=save,
        done=network,
        message=_("Saved."),
        title=_("Edit %(n)s") % {"n": network},
        back=network,
    )


@require_POST
def switch_network(request: HttpRequest) -> HttpResponse:
    network = Network.objects.filter(pk=request.POST.get("network")).first()
    if network is not None:
        request.session[SESSION_KEY] = network.pk
        request.session[CHOSEN_KEY] = True
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    # The page comes back on the network just chosen: a list's own network
    # filter (and its page number) would contradict the header.
    parts = urlsplit(target)
    query = QueryDict(parts.query, mutable=True)
    for key in ("network", "page", "all"):
        query.pop(key, None)
    # A task-team list carries its network in its path: go to the index,
    # which opens the list of the network just chosen.
    if parts.path.startswith("/networks/") and parts.path.endswith("/task-teams/"):
        parts = parts._replace(path=reverse("taskteams:index"))
    return redirect(urlunsplit(parts._replace(query=query.urlencode())) or "/")


@login_required
def membership_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "membership.manage", network)
    return form_page(
        request,
        MembershipForm(request.POST or None, network=network),
        save=lambda f: services.membership_save(membership=f.instance),
        done=network,
        message=lambda f: (
            _("%(org)s was added to %(net)s.") % {"org": f.instance.organization, "net": network}
        ),
        title=_("Add a member to %(n)s") % {"n": network},
        back=network,
    )


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("network", "organization"), pk=pk
    )
    require(can, actor_for(request), "membership.manage", membership)
    return form_page(
        request,
        MembershipForm(request.POST or None, instance=membership, network=membership.network),
        save=lambda f: services.membership_save(membership=f.instance),
        done=membership.network,
        message=_("Saved."),
        title=_("Membership of %(m)s") % {"m": membership},
        back=membership.network,
    )


# --- chair terms ---------------------------------------------------------------


@login_required
def chair_term_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "chair.manage", network)
    return form_page(
        request,
        ChairTermForm(request.POST or None, network=network),
        save=lambda f: services.chair_term_save(term=f.instance),
        done=network,
        message=_("The chair term was added."),
        title=_("New chair term in %(n)s") % {"n": network},
        back=network,
    )


@login_required
def chair_term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(ChairTerm.objects.select_related("network", "organization"), pk=pk)
    require(can, actor_for(request), "chair.manage", term)
    return form_page(
        request,
        ChairTermForm(request.POST or None, instance=term, network=term.network),
        save=lambda f: services.chair_term_save(term=f.instance),
        done=term.network,
        message=_("Saved."),
        title=_("Chair term of %(t)s") % {"t": term},
        back=term.network,
    )


@login_required
def chair_term_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(ChairTerm.objects.select_related("network", "organization"), pk=pk)
    require(can, actor_for(request), "chair.narrate", term)
    return form_page(
        request,
        ChairNarrativeForm(request.POST or None, instance=term),
        save=lambda f: f.save(),
        done=term.network,
        message=_("The narrative for the handover was saved."),
        title=_("The chair's narrative: %(t)s") % {"t": term},
        lead=_("Achievements, challenges and recommendations for the handover to the next chair."),
        back=term.network,
    )


@login_required
def chair_plan(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    require(can, actor_for(request), "chair.plan", network)
    rotation_form = RotationForm(
        request.POST if "save_rotation" in request.POST else None,
        network=network,
        initial={
            "order": "\n".join(
                r.organization.acronym for r in network.rotation.select_related("organization")
            )
        },
    )
    plan_form = ChairPlanForm(request.POST if "plan" in request.POST else None)
    if request.method == "POST":
        if "save_rotation" in request.POST and rotation_form.is_valid():
            services.rotation_set(
                network=network, organizations=rotation_form.cleaned_data["order"]
            )
            messages.success(request, _("The rotation order was saved."))
            return redirect("members:chair_plan", slug=network.slug)
        if "plan" in request.POST and plan_form.is_valid():
            try:
                planned = services.chair_terms_plan(
                    network=network, count=plan_form.cleaned_data["count"]
                )
            except DomainError as error:
                form_error(plan_form, error)
            else:
                messages.success(
                    request,
                    _("Planned: %(terms)s.") % {"terms": "; ".join(str(t) for t in planned)},
                )
                return redirect(network)
    context = selectors.network_page(network=network)
    context.update(network=network, rotation_form=rotation_form, plan_form=plan_form)
    return render(request, "members/chair_plan.html", context)


# --- membership applications: the public side ---------------------------------------


def apply_start(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.filter(accepts_applications=True).select_related("parent")
    return render(request, "members/apply_start.html", {"networks": networks})


def _rate_key(request: HttpRequest) -> str:
    return f"apply-rate:{client_ip(request)}"


def _rate_limited(request: HttpRequest) -> bool:
    """Has this address saved its hourly quota of applications? Only saved
    applications count: a form sent back with errors costs nothing."""
    try:
        return (cache.get(_rate_key(request)) or 0) >= settings.APPLICATION_RATE_LIMIT_PER_HOUR
    except Exception:  # a cache outage must not close the form
        return False


def _count_saved_application(request: HttpRequest) -> None:
    key = _rate_key(request)
    try:
        if not cache.add(key, 1, timeout=3600):
            cache.incr(key)
    except Exception:
        pass


def _save_application(request, form, application) -> MembershipApplication | None:
    submit = "submit" in request.POST
    token = form.cleaned_data["started"]
    if not form_tokens.claim(token):
        form.add_error(
            None,
            _("This form was already sent once. Please open it again to send new changes."),
        )
        return None
    try:
        with transaction.atomic():
            if submit:
                services.application_submit(application=application, user=request.user)
            else:
                services.application_save_draft(application=application, user=request.user)
            for upload in form.cleaned_data["documents"]:
                ApplicationDocument.objects.create(
                    application=application, title=Path(upload.name).name[:200], file=upload
                )
    except DomainError as error:
        form_tokens.release(token)
        form_error(form, error)
        return None
    return application


def _check_membership_as_typed(form: ApplicationForm, network: Network) -> None:
    """The name and acronym fields ask members:apply_check, as soon as they
    change, whether the agency is already a member (htmx)."""
    for name in ("org_name", "org_acronym"):
        form.fields[name].widget.attrs.update(
            {
                "hx-get": reverse("members:apply_check", args=[network.slug]),
                "hx-trigger": "change",
                "hx-target": "#already-member",
                "hx-include": "[name=org_name], [name=org_acronym]",
            }
        )


@require_GET
def apply_check(request: HttpRequest, slug: str) -> HttpResponse:
    """The warning for an agency that is already a member of the network
    (empty otherwise): by name, it need not apply; by acronym alone, is that
    yours? Membership is public (the directory), so anyone may ask, a
    limited number of times a minute per address (429 beyond); one query."""
    if not within_limit(
        f"apply-check:{client_ip(request)}",
        limit=settings.APPLY_CHECK_PER_ADDRESS_PER_MINUTE,
        window_seconds=60,
    ):
        return render(request, "members/_apply_check_throttled.html", status=429)
    network = get_object_or_404(Network, slug=slug, accepts_applications=True)
    match = selectors.current_membership_of(
        network=network,
        name=request.GET.get("org_name", "")[:200],
        acronym=request.GET.get("org_acronym", "")[:30],
    )
    if match is None:
        return HttpResponse("")
    return render(request, "members/_already_member.html", _already_member(match, network))


def _already_member(match: selectors.MemberMatch, network: Network) -> dict:
    message = services.already_member_message if match.same_name else services.same_acronym_message
    return {"match": match, "message": message(match.organization, network)}


def _warn_of_a_members_acronym(request: HttpRequest, application: MembershipApplication) -> None:
    """Saved under a member's acronym (a member's name is refused): say so,
    as the form's check does, for an applicant without script."""
    match = selectors.current_membership_of(
        network=application.network, name=application.org_name, acronym=application.org_acronym
    )
    if match is not None:
        messages.warning(
            request, services.same_acronym_message(match.organization, application.network)
        )


def apply_form(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug, accepts_applications=True)
    form = ApplicationForm(
        request.POST or None, request.FILES or None, draft="save" in request.POST
    )
    form.instance.network = network
    _check_membership_as_typed(form, network)
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(
                None,
                _(
                    "Too many applications were sent from your address in the last hour. "
                    "Please try again later."
                ),
            )
        elif form.is_valid():
            application = _save_application(request, form, form.instance)
            if application is not None:
                _count_saved_application(request)
                _warn_of_a_members_acronym(request, application)
                if application.status == ApplicationStatus.SUBMITTED:
                    messages.success(
                        request,
                        _("Thank you. Your application %(ref)s was submitted.")
                        % {"ref": application.reference},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "Your draft %(ref)s was saved. "
                            "Keep this page's address to come back to it."
                        )
                        % {"ref": application.reference},
                    )
                return redirect(application.get_status_url())
    criteria = list(network.criteria.all())
    return render(
        request, "members/apply_form.html", {"form": form, "network": network, "criteria": criteria}
    )


def application_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's private page: the link is the key, so no account is needed."""
    application = get_object_or_404(
        MembershipApplication.objects.select_related("network", "membership"), access_token=token
    )
    form = None
    if application.is_editable_by_applicant:
        form = ApplicationForm(
            request.POST if "save" in request.POST or "submit" in request.POST else None,
            request.FILES or None,
            instance=application,
            draft="save" in request.POST,
        )
        _check_membership_as_typed(form, application.network)
        if request.method == "POST" and form.is_bound and form.is_valid():
            if _save_application(request, form, application) is not None:
                messages.success(
                    request,
                    _("Your application was submitted.")
                    if application.status == ApplicationStatus.SUBMITTED
                    else _("Your draft was saved."),
                )
                return redirect(application.get_status_url())
    withdraw_form = WithdrawForm(request.POST if "withdraw" in request.POST else None)
    if request.method == "POST" and "withdraw" in request.POST and withdraw_form.is_valid():
        try:
            services.application_withdraw(
                application=application, reason=withdraw_form.cleaned_data["reason"]
            )
        except DomainError as error:
            form_error(withdraw_form, error)
        else:
            messages.info(request, _("Your application was withdrawn."))
            return redirect(application.get_status_url())
    return render(
        request,
        "members/application_status.html",
        {
            "application": application,
            "form": form,
            "withdraw_form": withdraw_form,
            "documents": list(application.documents.all()),
            "network": application.network,
            "criteria": list(application.network.criteria.all()) if form else [],
        },
    )


# --- membership applications: the review side ---------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if not can(actor, "application.list"):
        raise Http404
    data = request.GET.copy()
    if "network" not in data and request.network:
        data["network"] = str(request.network.pk)
    filterset = ApplicationFilter(
        data, queryset=visible_applications(actor).select_related("network")
    )
    page = paginate(request, filterset.qs)
    scope = list_scope(
        request,
        filterset,
        empty=not page.object_list,
        count_label=lambda n: ngettext("%(n)s application", "%(n)s applications", n) % {"n": n},
    )
    return render(
        request,
        "members/application_list.html",
        {
            "filter": filterset,
            "scope": scope,
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    application = get_visible_or_404(
        visible_applications(actor).select_related(
            "network", "reviewer", "organization", "membership"
        ),
        pk=pk,
    )
    may_decide = can(actor, "application.decide", application)
    assessments = {a.criterion_id: a for a in application.assessments.select_related("criterion")}
    assess_form = ApplicationAssessmentForm(
        request.POST if "assess" in request.POST else None,
        application=application,
        assessments=assessments,
    )
    decision_form = ApplicationDecisionForm(
        request.POST if "decide" in request.POST else None,
        initial={"decided_by": application.network.admission_body},
    )
    # An agency already a member cannot be admitted again: say so at the top
    # and offer only to decline (the service refuses an admission anyway).
    already_member = (
        None
        if application.is_final
        else selectors.current_membership_of(
            network=application.network,
            name=application.org_name,
            acronym=application.org_acronym,
        )
    )
    if already_member is not None:
        decision_form.without_admission()
    if request.method == "POST":
        deny_unless(may_decide, "application.decide")
        if "start_review" in request.POST:
            try:
                services.application_start_review(application=application, reviewer=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The review has started; the applicant was told."))
            return redirect(application)
        if "assess" in request.POST and assess_form.is_valid():
            try:
                services.application_assess(
                    application=application,
                    verdicts=assess_form.verdicts(),
                    notes=assess_form.cleaned_data["review_notes"],
                )
            except DomainError as error:
                form_error(assess_form, error)
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect(application)
        if "decide" in request.POST and decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.application_decide(
                    application=application,
                    admit=data["outcome"] == "admit",
                    decided_by=data["decided_by"],
                    decision_date=data["decision_date"],
                    decision_record=data["decision_record"],
                    reason=data["reason"],
                )
            except DomainError as error:
                form_error(decision_form, error)
            else:
                messages.success(
                    request, _("The decision was recorded and the applicant was told by e-mail.")
                )
                return redirect(application)
    criteria = [(c, assessments.get(c.pk)) for c in assess_form.criteria]
    if decision_form.errors:
        messages.error(request, _("The decision was not recorded: see the form below."))
    return render(
        request,
        "members/application_detail.html",
        {
            "application": application,
            "documents": list(application.documents.all()),
            "criteria": criteria,
            "unassessed": sum(1 for _c, a in criteria if a is None),
            "assess_form": assess_form,
            "decision_form": decision_form,
            "may_decide": may_decide,
            "already_member": already_member,
            "history": changes_for(application),
        },
    )


def _document_response(document: ApplicationDocument) -> HttpResponse:
    """The stored file under the sender's name (cleaned), as an attachment of
    the type its checked suffix names, never sniffed by the browser."""
    return files.stored_file_response(document.file, name=document.title)


@login_required
def application_document(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    """Supporting documents are not public media: reviewers download them here."""
    application = get_visible_or_404(visible_applications(actor_for(request)), pk=pk)
    return _document_response(get_object_or_404(application.documents, pk=doc_id))


def application_document_by_token(request: HttpRequest, token: str, doc_id: int) -> HttpResponse:
    application = get_object_or_404(MembershipApplication, access_token=token)
    return _document_response(get_object_or_404(application.documents, pk=doc_id))
