"""Files uploaded through the admin are checked as those uploaded in the app
(core/admin.py `CheckedUploadsForm`, core/files.py): a web page renamed
`.pdf` is refused with the reason on the field and nothing is stored; a real
PDF is stored under a name the server makes, the sender's kept beside it.

Persona: the admin (a superuser, tests/conftest.py), the only one who sees
the admin at all.
"""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from core.admin import CheckedUploadsForm
from members.models import ApplicationDocument
from taskteams.models import TaskTeam
from tests import factories as f
from workplans.models import ActivityStatus, Objective, ProgressUpdate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OLD_PDF = b"%PDF-1.4\n% the file stored before\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _post_data(response) -> dict:
    """What the admin's change page would send back untouched: the main
    form's and every inline form's current values, with the management forms."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page.append(inline.formset.management_form)
        forms_on_page.extend(inline.formset.forms)
    data: dict = {}
    for form in forms_on_page:
        for bound in form:
            value = bound.value()
            widget = bound.field.widget
            if value is None or isinstance(bound.field, forms.FileField):
                continue
            if isinstance(widget, forms.MultiWidget):
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def _stored_files(settings) -> list:
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


# --- the three things that hold uploads -----------------------------------------------------


def _application_document(network):
    """An application under review with one document the applicant sent; the
    admin adds another through the inline."""
    application = f.ApplicationFactory(network=network)
    document = ApplicationDocument(application=application, title="mandate.pdf")
    document.file.save("mandate.pdf", ContentFile(OLD_PDF), save=True)
    url = reverse("admin:members_membershipapplication_change", args=[application.pk])

    def upload(data, content, name):
        data["documents-1-title"] = name
        data["documents-1-application"] = str(application.pk)
        data["documents-TOTAL_FORMS"] = "2"
        return {**data, "documents-1-file": SimpleUploadedFile(name, content)}

    def stored():
        return list(application.documents.order_by("pk").values_list("title", "file"))

    def new_upload():
        newest = application.documents.order_by("-pk").first()
        return newest.file.name, newest.title

    return url, upload, stored, new_upload, "documents-1-file"


def _progress_update(network):
    """A logged update whose evidence the admin replaces."""
    from tests.workplans.test_progress import make_activity, make_workplan

    agency = f.OrganizationFactory(acronym="AAA")
    objective = Objective.objects.create(workplan=make_workplan(network), code="1", title="Data")
    update = ProgressUpdate(
        activity=make_activity(objective, "1.1", leads=[agency]),
        year=date.today().year,
        quarter=1,
        percent_complete=10,
        status=ActivityStatus.ON_TRACK,
        narrative="Started.",
        organization=agency,
        reported_by=f.UserFactory(),
    )
    update.evidence_file.save("evidence.pdf", ContentFile(OLD_PDF), save=True)
    url = reverse("admin:workplans_progressupdate_change", args=[update.pk])

    def upload(data, content, name):
        return {**data, "evidence_file": SimpleUploadedFile(name, content)}

    def stored():
        update.refresh_from_db()
        return [(update.evidence_file.name, update.evidence_file_name, update.evidence_url)]

    def new_upload():
        update.refresh_from_db()
        return update.evidence_file.name, update.evidence_file_name

    return url, upload, stored, new_upload, "evidence_file"


def _task_team(network):
    """A team whose terms of reference the admin replaces."""
    team = TaskTeam.objects.create(
        network=network, name="Data", slug="data", focus="Data.", status="active"
    )
    team.tor_document.save("tor.pdf", ContentFile(OLD_PDF), save=True)
    url = reverse("admin:taskteams_taskteam_change", args=[team.pk])

    def upload(data, content, name):
        return {**data, "tor_document": SimpleUploadedFile(name, content)}

    def stored():
        team.refresh_from_db()
        return [(team.tor_document.name, team.tor_document_name, team.name)]

    def new_upload():
        team.refresh_from_db()
        return team.tor_document.name, team.tor_document_name

    return url, upload, stored, new_upload, "tor_document"


HOLDERS = {
    "application_document": _application_document,
    "progress_evidence": _progress_update,
    "terms_of_reference": _task_team,
}


@pytest.mark.parametrize("holder", HOLDERS)
def test_the_admin_refuses_a_web_page_renamed_pdf_and_stores_nothing(
    client, settings, admin_user, network, holder
):
    """The page comes back with the reason on the file field; the row and
    the files on disk are as they were."""
    url, upload, stored, _new, field = HOLDERS[holder](network)
    client.force_login(admin_user)
    data = _post_data(client.get(url))
    before, files_before = stored(), _stored_files(settings)

    response = client.post(url, upload(data, HTML_AS_PDF, "Annual report.pdf"))

    assert response.status_code == 200
    assert "Annual report.pdf is not really a PDF file" in response.content.decode()
    assert stored() == before
    assert _stored_files(settings) == files_before


@pytest.mark.parametrize("holder", HOLDERS)
def test_the_admin_stores_a_real_pdf_under_a_server_made_name(
    client, settings, admin_user, network, holder
):
    """The same form with the real document saves it, under a random name
    with its suffix, the sender's name kept for the download."""
    url, upload, _stored, new_upload, field = HOLDERS[holder](network)
    client.force_login(admin_user)
    data = _post_data(client.get(url))

    response = client.post(url, upload(data, PDF, "Annual report.pdf"))

    assert response.status_code == 302, response.context["errors"]
    stored_name, kept_name = new_upload()
    assert stored_name.endswith(".pdf") and "Annual" not in stored_name
    assert kept_name == "Annual report.pdf"
    assert (settings.MEDIA_ROOT / stored_name).read_bytes() == PDF


def _file_fields(model) -> list[str]:
    return [
        fld.name
        for fld in model._meta.get_fields()
        if isinstance(fld, models.FileField) and fld.editable
    ]


def test_every_admin_form_that_takes_files_checks_them():
    """No model admin or inline of the project lets a file in without the
    content check: each one whose model has a file field uses a form built on
    `CheckedUploadsForm` (a new one that does not fails here)."""
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        holders = [(model, model_admin.form)]
        holders += [(inline.model, inline.form) for inline in model_admin.inlines]
        for held, form in holders:
            if _file_fields(held) and not issubclass(form, CheckedUploadsForm):
                unchecked.append(f"{held._meta.label} ({form.__name__})")
    assert unchecked == []
    # The three that do hold files are among those walked.
    walked = {m._meta.label for m in admin.site._registry}
    assert {"members.MembershipApplication", "workplans.ProgressUpdate", "taskteams.TaskTeam"} <= (
        walked
    )
