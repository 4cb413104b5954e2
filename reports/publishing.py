"""A ready report published by the network's managers becomes a document of
the register (kind "report"), with the build's PDF as its file: members or
the public then find it there, on the network's page and in the feed, under
the register's own rules. Publishing a build twice gives the same document."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views_helpers import deny_unless
from documents import services as documents
from documents.models import Access, Document, DocumentKind, DocumentStatus
from members.roles import actor_for

from .models import BuildStatus, ReportBuild
from .permissions import manages

REPORT_KIND = "report"


class PublishForm(forms.Form):
    access = forms.ChoiceField(
        label=gettext_lazy("Who may read it in the register"),
        choices=[(Access.MEMBERS, Access.MEMBERS.label), (Access.PUBLIC, Access.PUBLIC.label)],
        initial=Access.MEMBERS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access"].widget.attrs["class"] = "form-select form-select-sm"


def publish_build(*, build: ReportBuild, by, access: str) -> Document:
    if build.status != BuildStatus.READY or not build.file:
        raise DomainError(_("Only a report that is ready can be published."))
    if build.document_id:
        return build.document
    if access not in (Access.MEMBERS, Access.PUBLIC):
        raise DomainError(_("Choose who may read it."), field="access")
    kind = DocumentKind.objects.get(slug=REPORT_KIND)
    day = min(build.period_end, timezone.localdate())
    with transaction.atomic():
        ReportBuild.objects.select_for_update().filter(pk=build.pk).first()
        document = documents.document_create(
            network=build.network,
            by=by,
            title=build.title,
            kind=kind,
            date=day,
            access=access,
            original_language=build.language,
            summary=_("%(kind)s, %(start)s – %(end)s, built on %(built)s.")
            % {
                "kind": build.get_kind_display(),
                "start": f"{build.period_start:%d %B %Y}",
                "end": f"{build.period_end:%d %B %Y}",
                "built": f"{build.finished_at:%d %B %Y}",
            },
        )
        with build.file.open("rb") as stored:
            upload = SimpleUploadedFile(
                build.download_name(), stored.read(), content_type="application/pdf"
            )
        documents.file_upload(
            document=document,
            upload=upload,
            language=build.language,
            by=by,
            note=_("Report build %(pk)s, SHA-256 %(sum)s")
            % {"pk": build.pk, "sum": build.checksum},
        )
        documents.document_move(document=document, status=DocumentStatus.FINAL, by=by)
        documents.document_move(document=document, status=DocumentStatus.PUBLISHED, by=by)
        ReportBuild.objects.filter(pk=build.pk).update(document=document)
    return document


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    from .views import _build_or_404

    actor = actor_for(request)
    build = _build_or_404(actor, pk)
    deny_unless(manages(actor, build.network_id), "publish")
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who may read the report in the register."))
        return redirect(build)
    try:
        document = publish_build(build=build, by=request.user, access=form.cleaned_data["access"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(build)
    messages.success(request, _("The report is in the register."))
    return redirect(document)
