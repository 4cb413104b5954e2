"""The public application form's anti-automation token is single-use: the
same submission sent twice saves once, and the second gets a clear message."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from members import services
from members.models import ApplicationStatus, MembershipApplication
from tests.members.test_applications import form_data

pytestmark = pytest.mark.django_db(transaction=True)

REPLAYED = "This form was already sent once. Please open it again to send new changes."


def apply_url(network):
    return reverse("members:apply_form", args=[network.slug])


def test_a_replayed_submission_is_refused_and_saves_nothing(client, network):
    """The very same POST sent again (a script, or the back button) is refused
    with a message; there is still one application."""
    data = form_data(submit="1")
    assert client.post(apply_url(network), data).status_code == 302

    replay = client.post(apply_url(network), data)
    assert replay.status_code == 200
    assert REPLAYED in replay.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_a_token_is_refused_with_other_answers_too(client, network):
    """Changing the answers does not make a used token good again."""
    data = form_data(submit="1")
    client.post(apply_url(network), data)
    replay = client.post(apply_url(network), {**data, "org_acronym": "NEW", "org_name": "New"})
    assert REPLAYED in replay.content.decode()
    assert list(MembershipApplication.objects.values_list("org_acronym", flat=True)) == ["ITU"]


def test_a_token_on_the_private_page_is_single_use_too(client, network):
    """Editing a draft through its link: the same form sent twice changes the
    draft once; the replay changes nothing."""
    client.post(apply_url(network), form_data(save="1"))
    application = MembershipApplication.objects.get()
    edit = form_data(save="1", mandate="A better mandate.")
    assert client.post(application.get_status_url(), edit).status_code == 302

    replay = client.post(application.get_status_url(), {**edit, "mandate": "Replayed."})
    assert REPLAYED in replay.content.decode()
    application.refresh_from_db()
    assert application.mandate == "A better mandate."


def test_a_form_sent_back_with_errors_keeps_its_token(client, network):
    """Answers that need another look do not use the token up: the corrected
    form, with the same token, goes through."""
    data = form_data(submit="1")
    response = client.post(apply_url(network), {**data, "mandate": ""})
    assert "This field is required." in response.content.decode()
    assert client.post(apply_url(network), data).status_code == 302
    assert MembershipApplication.objects.count() == 1


def test_a_submission_refused_by_the_service_keeps_its_token(client, network, monkeypatch):
    """When the service refuses (a domain error), nothing was saved, so the
    same form may be sent again."""
    real = services.application_submit

    def refuse_once(**kwargs):
        monkeypatch.setattr(services, "application_submit", real)
        raise DomainError("The network stopped taking applications a moment ago.")

    monkeypatch.setattr(services, "application_submit", refuse_once)
    data = form_data(submit="1")
    refused = client.post(apply_url(network), data)
    assert "stopped taking applications" in refused.content.decode()
    assert not MembershipApplication.objects.exists()

    assert client.post(apply_url(network), data).status_code == 302
    assert MembershipApplication.objects.get().status == ApplicationStatus.SUBMITTED
