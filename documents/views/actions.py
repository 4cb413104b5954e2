"""What is done to a document: create it, edit what it says about itself,
upload a file version, move its status.

Each view fetches and authorises first (404 for a document the user may
not see, 403 for what they may not do), then calls one service; a
DomainError lands on the form with what was typed kept. An edit made on an
older version of the record is refused by the service and comes back with
the user's text and the current record beside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import drop_fields
from core.errors import DomainError
from core.views_helpers import deny_unless, form_error, get_for_action
from members.models import Network
from members.roles import actor_for

from .. import selectors
from ..forms import (
    ACCESS_FIELDS,
    DocumentEditForm,
    DocumentForm,
    SupersedeForm,
    UploadForm,
    WithdrawForm,
)
from ..models import Document, DocumentStatus
from ..permissions import can
from ..services import document_create, document_edit, document_move, file_upload

FORM = "documents/document_form.html"


def _document(request: HttpRequest, pk: int, action: str) -> Document:
    actor = actor_for(request)
    return get_for_action(actor, selectors.document_for(actor, pk), can=can, action=action, pk=pk)


@login_required
def document_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    actor = actor_for(request)
    deny_unless(can(actor, "document.create", network_id=network.pk), "document.create")
    form = DocumentForm(request.POST or None, network=network, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_create(network=network, by=request.user, **form.service_kwargs())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The document is saved as a draft: upload its files, then mark it final."),
            )
            return redirect(document)
    return render(
        request,
        FORM,
        {
            "form": form,
            "network": network,
            "title": _("New document of %(network)s") % {"network": network.short_name},
            "back_url": reverse("documents:list", args=[network.slug]),
        },
    )


@login_required
def document_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, "document.edit")
    actor = actor_for(request)
    form = DocumentEditForm(
        request.POST or None,
        instance=document,
        network=document.network,
        actor=actor,
        initial={"expected_version": document.version},
    )
    if not can(actor, "document.status", document):
        # Who may read it and when is the managers' to say.
        drop_fields(form, ACCESS_FIELDS)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        try:
            document_edit(
                document=document,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"],
                **data,
            )
        except DomainError as error:
            form_error(form, error)
            # A stale version: keep what was typed, expect the current
            # version now, and show the current record beside the form.
            current = get_for_action(
                actor, selectors.document_for(actor, pk), can=can, action="document.edit", pk=pk
            )
            form.data = form.data.copy()
            form.data["expected_version"] = str(current.version)
        else:
            messages.success(request, _("The document is saved."))
            return redirect(document)
    return render(
        request,
        FORM,
        {
            "form": form,
            "document": document,
            "current": current if current and current.version != document.version else None,
            "network": document.network,
            "title": _("Edit the document"),
            "back_url": document.get_absolute_url(),
        },
    )


@login_required
def file_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, "document.upload")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            with transaction.atomic():
                version = file_upload(
                    document=document,
                    upload=form.cleaned_data["file"],
                    language=language,
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                if form.cleaned_data["original"] and document.original_language != language:
                    document_edit(document=document, by=request.user, original_language=language)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(n)s of the %(language)s file is saved.")
                % {"n": version.number, "language": version.get_language_display()},
            )
            return redirect(document)
    return render(
        request,
        "documents/upload_form.html",
        {"form": form, "document": document},
    )


@login_required
def document_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A status move. Final, published and back to draft are buttons (POST);
    superseded asks for the newer document and withdrawn for a reason (a
    form, shown on GET and on a POST without them)."""
    document = _document(request, pk, "document.status")
    actor = actor_for(request)
    status = request.POST.get("status") or request.GET.get("status") or ""
    if status not in DocumentStatus.values or not document.can_move_to(status):
        messages.error(
            request,
            _("This document cannot be moved there from “%(now)s”.")
            % {"now": document.get_status_display()},
        )
        return redirect(document)
    form = None
    if status == DocumentStatus.SUPERSEDED:
        form = SupersedeForm(
            request.POST if request.method == "POST" else None, document=document, actor=actor
        )
    elif status == DocumentStatus.WITHDRAWN:
        form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            document_move(
                document=document,
                status=status,
                by=request.user,
                superseded_by=data.get("superseded_by"),
                reason=data.get("reason", ""),
            )
        except DomainError as error:
            if form is None:
                messages.error(request, error.message)
                return redirect(document)
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The document is now %(status)s.")
                % {"status": DocumentStatus(status).label.lower()},
            )
            return redirect(document)
    if form is None:
        # A click-only move is a POST: a GET shows the page with its buttons.
        return redirect(document)
    return render(
        request,
        "documents/move_form.html",
        {"form": form, "document": document, "status": status},
    )
