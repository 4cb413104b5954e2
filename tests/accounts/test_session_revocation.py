"""A user made inactive, or whose password changes, loses every other session
at once; re-activating the account does not bring an old session back."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

HOME = reverse("home")


def signed_in(user, password=f.PASSWORD) -> Client:
    """A browser of its own, signed in through the real sign-in form."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get(HOME).wsgi_request.user.is_authenticated


@pytest.fixture
def ana(db):
    return f.UserFactory(email="ana@example.org")


def test_deactivating_signs_the_user_out_everywhere(ana):
    """Two browsers signed in as the same user; deactivating the account
    (by saving the user, as every path does) ends both sessions."""
    office, laptop = signed_in(ana), signed_in(ana)
    assert is_signed_in(office) and is_signed_in(laptop)

    ana.is_active = False
    ana.save()

    assert not is_signed_in(office)
    assert not is_signed_in(laptop)


def test_re_activating_does_not_bring_an_old_session_back(ana):
    """The session cookie from before the deactivation still does not sign in
    after the account is active again; a fresh sign-in works."""
    laptop = signed_in(ana)
    old_cookie = laptop.cookies["sessionid"].value

    ana.is_active = False
    ana.save()
    ana.is_active = True
    ana.save(update_fields=["is_active"])

    stolen = Client()
    stolen.cookies["sessionid"] = old_cookie
    assert not is_signed_in(stolen)
    assert not is_signed_in(laptop)
    assert is_signed_in(signed_in(ana))


def test_deactivating_in_the_admin_signs_the_user_out(ana, admin_user):
    """The admin's change form (the way staff deactivate an account) ends the
    user's sessions; the re-activation there does not revive them."""
    laptop = signed_in(ana)
    admin = Client()
    admin.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[ana.pk])
    form = {
        "email": ana.email,
        "first_name": ana.first_name,
        "last_name": "",
        "is_active": "",
        "is_staff": "",
        "is_superuser": "",
        "date_joined_0": ana.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": ana.date_joined.strftime("%H:%M:%S"),
        "role_grants-TOTAL_FORMS": "0",
        "role_grants-INITIAL_FORMS": "0",
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
    }
    response = admin.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=ana.pk).is_active is False
    assert not is_signed_in(laptop)

    admin.post(url, {**form, "is_active": "on"})
    assert User.objects.get(pk=ana.pk).is_active is True
    assert not is_signed_in(laptop)


def test_saving_a_user_without_changing_is_active_keeps_the_sessions(ana):
    """Only a change of is_active ends sessions: an edit of the name does not."""
    laptop = signed_in(ana)
    ana.first_name = "Ana María"
    ana.save()
    assert is_signed_in(laptop)
    assert User.objects.get(pk=ana.pk).session_epoch == 0


def test_changing_the_password_signs_out_the_other_sessions_only(ana):
    """The browser where the password was changed stays signed in; the other
    browser of the same user is signed out at once."""
    office, laptop = signed_in(ana), signed_in(ana)
    new = "a brand new long passphrase 77"
    response = office.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302

    assert is_signed_in(office)
    assert not is_signed_in(laptop)
    assert is_signed_in(signed_in(ana, password=new))


def test_sessions_from_before_the_epoch_field_still_count(ana):
    """A user whose epoch was never raised keeps Django's own session hash,
    so deploying this change signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    assert ana.session_epoch == 0
    assert ana.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(ana)


def test_resetting_the_password_signs_out_every_session(ana):
    """A password set through a reset link (someone else may hold a session)
    ends every session the account had."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    laptop = signed_in(ana)
    ana.refresh_from_db()  # the sign-in set last_login, which the token covers
    uid = urlsafe_base64_encode(force_bytes(ana.pk))
    token = default_token_generator.make_token(ana)
    anonymous = Client()
    response = anonymous.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    new = "a brand new long passphrase 78"
    response = anonymous.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert not is_signed_in(laptop)
