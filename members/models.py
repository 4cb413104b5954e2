"""The members side of a network: agencies, networks, memberships, contacts,
chair terms and membership applications."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import UploadTo
from core.limits import LimitedTextField
from core.timezones import validate_time_zone


class OrganizationKind(models.TextChoices):
    UN_ENTITY = "un_entity", _("UN entity")
    RELATED = "related_organization", _("Related organization")
    EXTERNAL = "external_partner", _("External partner")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=OrganizationKind.choices,
        default=OrganizationKind.UN_ENTITY,
    )
    website = models.URLField(_("website"), blank=True)
    headquarters = models.CharField(_("headquarters"), max_length=120, blank=True)
    description = LimitedTextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("members:organization_detail", args=[self.slug])


class NetworkLevel(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    COUNTRY = "country", _("Country")


class Governance(models.TextChoices):
    ROTATING_CHAIR = "rotating_chair", _("Rotating chair")
    COORDINATOR = "coordinator", _("Coordinator with an executive committee")


class DecidingBody(models.TextChoices):
    PRINCIPALS = "principals", _("Principals")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")


# Whole sentences for each deciding body (never "the %(body)s"): one per
# body, so that every language can say each one as it must.
_P, _EC = DecidingBody.PRINCIPALS, DecidingBody.EXECUTIVE_COMMITTEE
ADMISSIONS_DECIDED_BY = {
    _P: _("Admissions are decided by the principals."),
    _EC: _("Admissions are decided by the executive committee."),
}
REVIEW_AND_DECISION = {
    _P: _(
        "The secretariat reviews each application against the admission criteria below; "
        "the decision rests with the principals."
    ),
    _EC: _(
        "The secretariat reviews each application against the admission criteria below; "
        "the decision rests with the executive committee."
    ),
}
DECIDED_TO_ADMIT = {
    _P: _("The principals decided on %(date)s to admit your organization as a member."),
    _EC: _("The executive committee decided on %(date)s to admit your organization as a member."),
    "": _("It was decided on %(date)s to admit your organization as a member."),
}
DECIDED_NOT_TO_ADMIT = {
    _P: _("The principals decided on %(date)s not to admit your organization at this time."),
    _EC: _(
        "The executive committee decided on %(date)s not to admit your organization at this time."
    ),
    "": _("It was decided on %(date)s not to admit your organization at this time."),
}
WELCOME = {
    _P: _("Welcome: the principals admitted your organization to the %(net)s on %(date)s."),
    _EC: _(
        "Welcome: the executive committee admitted your organization to the %(net)s on %(date)s."
    ),
    "": _("Welcome: your organization was admitted to the %(net)s on %(date)s."),
}
NETWORK_KINDS = {
    NetworkLevel.GLOBAL: _("Global network"),
    NetworkLevel.REGIONAL: _("Regional network"),
    NetworkLevel.COUNTRY: _("Country network"),
}


class NetworkQuerySet(models.QuerySet["Network"]):
    def in_display_order(self) -> NetworkQuerySet:
        """Global networks first, then regional, then country; the newest
        first within a level (the GMG's successor before the GMG)."""
        rank = models.Case(
            models.When(level=NetworkLevel.GLOBAL, then=0),
            models.When(level=NetworkLevel.REGIONAL, then=1),
            default=2,
        )
        return self.alias(level_rank=rank).order_by(
            "level_rank", models.F("established").desc(nulls_last=True), "name"
        )


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=NetworkLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    governance = models.CharField(_("governance"), max_length=20, choices=Governance.choices)
    chair_term_months = models.PositiveSmallIntegerField(
        _("chair term (months)"),
        null=True,
        blank=True,
        help_text=_("Length of a chair term, for networks with a rotating chair."),
    )
    coordinator = models.ForeignKey(
        Organization,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_networks",
    )
    secretariat = models.ForeignKey(
        Organization,
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_of",
    )
    seat = models.CharField(_("seat"), max_length=120, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Where the network usually meets: new meetings start in this time zone."),
    )
    established = models.DateField(_("established"), null=True, blank=True)
    terms_of_reference = LimitedTextField(_("terms of reference"), blank=True)
    admission_body = models.CharField(
        _("admissions decided by"),
        max_length=30,
        choices=DecidingBody.choices,
        default=DecidingBody.PRINCIPALS,
    )
    accepts_applications = models.BooleanField(_("accepts membership applications"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        constraints = [
            models.CheckConstraint(
                condition=Q(governance="coordinator") | Q(chair_term_months__gte=1),
                name="network_rotating_chair_has_term_length",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("members:network_detail", args=[self.slug])

    @property
    def kind_label(self) -> str:
        """ "Regional network": the level and the noun as one phrase."""
        return str(NETWORK_KINDS[NetworkLevel(self.level)])

    @property
    def admissions_sentence(self) -> str:
        return str(ADMISSIONS_DECIDED_BY[DecidingBody(self.admission_body)])

    @property
    def review_sentence(self) -> str:
        return str(REVIEW_AND_DECISION[DecidingBody(self.admission_body)])

    @property
    def has_rotating_chair(self) -> bool:
        return self.governance == Governance.ROTATING_CHAIR

    def clean(self) -> None:
        if self.governance == Governance.ROTATING_CHAIR and not self.chair_term_months:
            raise ValidationError(
                {"chair_term_months": _("A network with a rotating chair needs a term length.")}
            )
        if self.governance == Governance.COORDINATOR and not self.coordinator_id:
            raise ValidationError(
                {"coordinator": _("A network governed by a coordinator needs one.")}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A network cannot be its own parent.")})


class ActiveCriterionManager(models.Manager["AdmissionCriterion"]):
    def get_queryset(self):
        return super().get_queryset().filter(retired=False)


class AdmissionCriterion(models.Model):
    """A criterion applications are reviewed against. Removing one from the
    network retires it, so the assessments made against it stay on record."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("criterion"), max_length=300)
    retired = models.BooleanField(default=False)

    objects = ActiveCriterionManager()
    all_objects = models.Manager()  # noqa: DJ012 - a manager, not a field

    class Meta:
        ordering = ["network", "position", "id"]
        verbose_name = _("admission criterion")
        verbose_name_plural = _("admission criteria")

    def __str__(self) -> str:
        return self.text


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(joined__lte=on).filter(Q(left__isnull=True) | Q(left__gt=on))

    def former(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(left__lte=on)


class MembershipStatus(models.TextChoices):
    CURRENT = "current", _("Current member")
    FORMER = "former", _("Former member")
    UPCOMING = "upcoming", _("Admitted, not yet joined")


class Membership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)
    executive_committee = models.BooleanField(_("executive committee"), default=False)
    notes = LimitedTextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "organization__acronym"]
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"],
                condition=Q(left__isnull=True),
                name="membership_one_open_per_network",
                violation_error_message=_("This organization is already a member of the network."),
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.network}"

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.left and self.left <= today:
            return MembershipStatus.FORMER
        if self.joined > today:
            return MembershipStatus.UPCOMING
        return MembershipStatus.CURRENT

    def get_status_display(self) -> str:
        return MembershipStatus(self.status).label


class PersonLevel(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    FOCAL_POINT = "focal_point", _("Focal point")
    ALTERNATE = "alternate", _("Alternate")


class Person(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Leave empty when this person represents the agency in every network."),
    )
    name = models.CharField(_("name"), max_length=150)
    honorific = models.CharField(
        _("rank or honorific"),
        max_length=80,
        blank=True,
        help_text=_("Shown before the name, e.g. Under-Secretary-General, Ambassador, Dr."),
    )
    position = models.CharField(
        _("job title"), max_length=150, blank=True, help_text=_("e.g. Director, Migration Division")
    )
    level = models.CharField(_("level"), max_length=20, choices=PersonLevel.choices)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    is_active = models.BooleanField(_("current contact"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__acronym", "level", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email", "level"],
                condition=Q(is_active=True) & Q(network__isnull=True),
                name="person_unique_active_contact_everywhere",
                violation_error_message=_("This agency already has this contact at this level."),
            ),
            models.UniqueConstraint(
                fields=["organization", "network", "email", "level"],
                condition=Q(is_active=True),
                name="person_unique_active_contact",
                violation_error_message=_("This agency already has this contact at this level."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class ChairTerm(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="chair_terms")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="chair_terms"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    chairperson = models.CharField(
        _("chairperson"),
        max_length=150,
        blank=True,
        help_text=_("e.g. Under-Secretary-General Sha"),
    )
    achievements = LimitedTextField(_("achievements"), blank=True)
    challenges = LimitedTextField(_("challenges"), blank=True)
    recommendations = LimitedTextField(_("recommendations for the handover"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "start"]
        verbose_name = _("chair term")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="chairterm_end_after_start",
                violation_error_message=_("A chair term must end after it starts."),
            ),
        ]
        # Overlap between terms of one network is refused by the database too:
        # an exclusion constraint on PostgreSQL, triggers on SQLite (migration 0002).

    def __str__(self) -> str:
        return f"{self.organization} ({self.start:%b %Y}–{self.end:%b %Y})"

    def overlapping(self) -> models.QuerySet[ChairTerm]:
        qs = ChairTerm.objects.filter(
            network_id=self.network_id, start__lte=self.end, end__gte=self.start
        )
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        return qs

    def overlap_message(self) -> str | None:
        """The clash with another term of the network, said for the user."""
        clash = self.overlapping().select_related("organization").first()
        if clash is None:
            return None
        return _("This term overlaps the term of %(org)s (%(start)s – %(end)s).") % {
            "org": clash.organization,
            "start": clash.start.strftime("%-d %b %Y"),
            "end": clash.end.strftime("%-d %b %Y"),
        }

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A chair term must end after it starts.")})
        if self.network_id and self.start and self.end:
            message = self.overlap_message()
            if message:
                raise ValidationError(message)

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on <= self.end


class RotationPosition(models.Model):
    """The order in which agencies take the chair of a rotating-chair network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rotation")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["network", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "position"], name="rotation_unique_position"
            ),
            models.UniqueConstraint(fields=["network", "organization"], name="rotation_unique_org"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.organization}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The only allowed moves; services refuse anything else.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.UNDER_REVIEW: {
        ApplicationStatus.ADMITTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.ADMITTED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}
FINAL_APPLICATION_STATES = {
    ApplicationStatus.ADMITTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
}


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class MembershipApplication(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    access_token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    # The organization.
    org_name = models.CharField(_("organization name"), max_length=200)
    org_acronym = models.CharField(_("acronym"), max_length=30)
    org_kind = models.CharField(
        _("kind of organization"), max_length=30, choices=OrganizationKind.choices
    )
    org_website = models.URLField(_("website"), blank=True)
    org_headquarters = models.CharField(_("headquarters"), max_length=120, blank=True)
    # The case for joining.
    mandate = LimitedTextField(_("mandate"))
    relevance = LimitedTextField(_("relevance to migration"))
    areas_of_work = LimitedTextField(_("areas of work on migration"))
    # The proposed focal point.
    focal_point_name = models.CharField(_("focal point name"), max_length=150)
    focal_point_position = models.CharField(_("focal point position"), max_length=150, blank=True)
    focal_point_email = models.EmailField(_("focal point e-mail"))
    focal_point_phone = models.CharField(_("focal point phone"), max_length=40, blank=True)
    contact_email = models.EmailField(
        _("your e-mail"), help_text=_("We send the reference and every change of status here.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
    )
    # Review and decision.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_notes = LimitedTextField(_("review notes"), blank=True)
    decided_by = models.CharField(
        _("decided by"), max_length=30, choices=DecidingBody.choices, blank=True
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_record = models.CharField(
        _("where it was decided"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Principals' meeting of 9 November 2007"),
    )
    outcome_reason = LimitedTextField(_("reason"), blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["access_token"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership application")
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} — {self.org_acronym}"

    def get_absolute_url(self) -> str:
        return reverse("members:application_detail", args=[self.pk])

    def get_status_url(self) -> str:
        return reverse("members:application_status", args=[self.access_token])

    def _decision_sentence(self, sentences: dict) -> str:
        from django.utils.formats import date_format

        day = date_format(self.decision_date, "j F Y") if self.decision_date else ""
        text = sentences.get(self.decided_by) or sentences[""]
        return text % {"date": day, "net": self.network.name}

    @property
    def decided_to_admit_sentence(self) -> str:
        return self._decision_sentence(DECIDED_TO_ADMIT)

    @property
    def decided_not_to_admit_sentence(self) -> str:
        return self._decision_sentence(DECIDED_NOT_TO_ADMIT)

    @property
    def welcome_sentence(self) -> str:
        return self._decision_sentence(WELCOME)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_APPLICATION_STATES

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    def can_move_to(self, status: str) -> bool:
        return status in APPLICATION_TRANSITIONS[self.status]


def application_document_path(instance: ApplicationDocument, filename: str) -> str:
    """Stored under a name the server makes; the sender's name is kept in
    `title` and given back (cleaned) only as the download's name."""
    return UploadTo("applications/{instance.application.reference}")(instance, filename)


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=application_document_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class CriterionAssessment(models.Model):
    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(AdmissionCriterion, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="assessment_unique_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_verdict_display()}"
