"""People who sign in. A user signs in with an e-mail address; what they may do
comes from their role grants (admin, secretariat) and from the data: the
person record linked to the account says which agency they speak for and at
which level, and the chair terms say which agency chairs (see members.roles)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    # Part of every session's auth hash: raising it signs the user out of every
    # session at once. Raised whenever is_active changes (see save), so a
    # session from before a deactivation stays dead after re-activation.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._loaded_is_active = user.__dict__.get("is_active")
        return user

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        loaded = getattr(self, "_loaded_is_active", None)
        update_fields = kwargs.get("update_fields")
        saves_is_active = update_fields is None or "is_active" in update_fields
        if saves_is_active and loaded is not None and loaded != self.is_active:
            # Every path that saves the user (admin, shell, a service) ends
            # the sessions here; a bulk queryset.update() would not, so
            # nothing in the app changes is_active that way.
            self.session_epoch += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "session_epoch"}
        super().save(*args, **kwargs)
        if saves_is_active:
            self._loaded_is_active = self.is_active

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's HMAC of the password, plus the session epoch once it was
        raised. A changed password or a raised epoch fails every session's
        stored hash, so those sessions are signed out on their next request.
        (Epoch 0 keeps Django's own hash: sessions from before this field
        stay valid.) Django calls this for the current and fallback keys."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    """Roles granted by hand. Chair, focal point and principal are not here:
    they follow from the data (see members.roles)."""

    ADMIN = "admin", _("Admin")
    SECRETARIAT = "secretariat", _("Secretariat")


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    network = models.ForeignKey(
        "members.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        help_text=_("Leave empty to grant the role in every network."),
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "network"], name="rolegrant_unique_per_network"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(network__isnull=True),
                name="rolegrant_unique_everywhere",
            ),
        ]

    def __str__(self) -> str:
        where = self.network or _("all networks")
        return f"{self.user} — {self.get_role_display()} ({where})"


class SignInEvent(models.Model):
    """One row per successful sign-in or sign-out; failures are logged by axes."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_OUT = "sign_out", _("Signed out")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("sign-in event")

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display().lower()} at {self.at:%Y-%m-%d %H:%M}"
