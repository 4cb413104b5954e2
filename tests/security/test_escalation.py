"""The reported escalation, reproduced: a focal point edits their own contact
record to widen their rights. Each test failed before the fix."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Meeting
from members.models import Person, PersonLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped_focal_point(world):
    """A focal point of agency A for `network` only. Agency A chairs
    `other_network`, where this person therefore is not the chair."""
    user = f.UserFactory(email="scoped@agency-a.example.org")
    person = f.PersonFactory(
        organization=world.agency_a,
        level=PersonLevel.FOCAL_POINT,
        network=world.network,
        user=user,
        email=user.email,
    )
    return user, person


def _contact_post(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "honorific": person.honorific,
        "position": person.position,
        "level": person.level,
        "email": person.email,
        "phone": person.phone,
        "network": person.network_id or "",
        "is_active": "on" if person.is_active else "",
    }
    data.update(changes)
    return data


def test_clearing_the_own_network_does_not_make_a_focal_point_chair_elsewhere(
    client, world, scoped_focal_point
):
    """The report: the focal point clears `network` on their own record and
    meeting creation and agenda circulation in the network their agency
    chairs went from 403 to 200. Now the network is not on their form, the
    forged value is ignored, the row keeps its network, meeting creation
    there stays 403 and the other network's meeting stays out of sight."""
    user, person = scoped_focal_point
    other_meeting = Meeting.objects.create(
        network=world.other_network,
        title="Chaired elsewhere",
        level=world.meeting.level,
        start=world.meeting.start,
        end=world.meeting.end,
        time_zone=world.meeting.time_zone,
    )
    client.force_login(user)
    create_url = reverse("meetings:create", args=[world.other_network.slug])
    circulate_url = reverse("meetings:agenda_circulate", args=[other_meeting.pk])
    assert client.get(create_url).status_code == 403

    edit_url = reverse("members:person_edit", args=[person.pk])
    response = client.post(edit_url, _contact_post(person, network=""))

    assert response.status_code == 302
    assert client.get(create_url).status_code == 403
    # Not a member there: the meeting is not even visible (404, not 403).
    assert client.get(circulate_url).status_code == 404
    person.refresh_from_db()
    assert person.network_id == world.network.pk
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'id="id_network"' not in page.content.decode()


def test_raising_the_own_level_is_ignored(client, world, scoped_focal_point):
    """A focal point who posts `level=principal` on their own record stays
    a focal point; the rest of the form (the phone) is saved."""
    user, person = scoped_focal_point
    client.force_login(user)
    response = client.post(
        reverse("members:person_edit", args=[person.pk]),
        _contact_post(person, level=PersonLevel.PRINCIPAL, phone="+41 22 000 00 00"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.level == PersonLevel.FOCAL_POINT
    assert person.phone == "+41 22 000 00 00"


def test_the_service_refuses_what_the_form_let_through(world, scoped_focal_point):
    """Defence in depth: even if a form kept the field, `person_save` with
    the locked fields refuses a change to them and the row stays."""
    from core.errors import DomainError
    from members import services

    _user, person = scoped_focal_point
    person.network = None
    with pytest.raises(DomainError):
        services.person_save(person=person, locked={"network", "level"})
    person.refresh_from_db()
    assert person.network_id == world.network.pk


def test_the_secretariat_still_changes_a_contacts_network_and_level(
    client, world, scoped_focal_point
):
    """The roles that manage the networks a contact reaches keep its fields:
    the network's secretariat re-levels a contact for its network; making it
    a contact for every network (agency A is in another network too) takes a
    manager of every network, here the admin (tests/security/
    test_network_scope.py has the whole matrix)."""
    _user, person = scoped_focal_point
    client.force_login(world.users["sec"])
    edit_url = reverse("members:person_edit", args=[person.pk])
    assert 'id="id_network"' in client.get(edit_url).content.decode()
    response = client.post(edit_url, _contact_post(person, level="principal"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.network_id, person.level) == (world.network.pk, PersonLevel.PRINCIPAL)
    client.force_login(world.users["admin"])
    response = client.post(edit_url, _contact_post(person, network="", level="focal_point"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.network_id, person.level) == (None, PersonLevel.FOCAL_POINT)


def test_a_focal_point_still_sets_the_level_of_a_contact_without_an_account(client, world):
    """A contact not linked to an account gives no one any right: the
    agency's focal point keeps all of it current, level and network too."""
    person = world.unlinked_a
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("members:person_edit", args=[person.pk]),
        _contact_post(person, level=PersonLevel.PRINCIPAL, network=world.network.pk),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.level, person.network_id) == (PersonLevel.PRINCIPAL, world.network.pk)
