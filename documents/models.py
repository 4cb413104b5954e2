"""The network's records: official documents with their language versions
and immutable file versions, and the network's engagements outside it.

A document belongs to a network and has a kind (a list the admin extends),
a status (draft → final → published, then superseded or withdrawn) and an
access level (public, members, executive committee, named agencies) with an
optional publication date in the future (an embargo). What a user may see
is decided in `documents/permissions.py`, in the query, so a record the user
may not see is absent from every list, count, feed and search result.

Its content is either an external link or uploaded files: one `DocumentFile`
per upload, numbered per language, never changed once written (its
checksum, uploader and note say what it is); the newest of a language is
that language's current file, and the document's original language is
marked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.files import KeepsUploadNames, UploadTo
from core.limits import LimitedTextField
from decisions.models import Decision
from meetings.models import AgendaItem, Meeting
from members.models import ChairTerm, Network, Organization
from taskteams.models import TaskTeam
from workplans.models import Activity, FrameworkObjective

SUMMARY_MAX_CHARS = 5_000
OUTCOME_MAX_CHARS = 5_000
NOTE_MAX_CHARS = 500
# The text read out of an uploaded PDF, for search: enough for a long report.
EXTRACTED_TEXT_MAX_CHARS = 500_000


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class DocumentKind(models.Model):
    """What a document is; the admin may add kinds."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kind of document")
        verbose_name_plural = _("kinds of document")

    def __str__(self) -> str:
        return self.name


# The kinds every network starts with (data migration 0002 and the demo).
STANDARD_KINDS = (
    ("joint-document", _("Joint document or publication")),
    ("statement", _("Statement")),
    ("briefing-note", _("Briefing note")),
    ("terms-of-reference", _("Terms of reference")),
    ("report", _("Report")),
    ("correspondence", _("Correspondence")),
    ("background-paper", _("Background paper")),
)


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DOCUMENT_TRANSITIONS: dict[str, set[str]] = {
    DocumentStatus.DRAFT: {DocumentStatus.FINAL, DocumentStatus.PUBLISHED},
    DocumentStatus.FINAL: {
        DocumentStatus.DRAFT,
        DocumentStatus.PUBLISHED,
        DocumentStatus.SUPERSEDED,
        DocumentStatus.WITHDRAWN,
    },
    DocumentStatus.PUBLISHED: {DocumentStatus.SUPERSEDED, DocumentStatus.WITHDRAWN},
    DocumentStatus.SUPERSEDED: set(),
    DocumentStatus.WITHDRAWN: set(),
}
# Readers other than the drafting agencies and the managers see these.
RELEASED_STATUSES = (DocumentStatus.FINAL, DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)


class Access(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the network")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    AGENCIES = "agencies", _("Named agencies")


class Document(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="documents")
    symbol = models.CharField(
        _("symbol or reference"),
        max_length=80,
        blank=True,
        help_text=_("As printed on the document, e.g. GMG/2007/3. Unique in the network."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.ForeignKey(
        DocumentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="documents"
    )
    date = models.DateField(_("date"))
    lead_agency = models.ForeignKey(
        Organization,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_led",
    )
    contributors = models.ManyToManyField(
        Organization,
        verbose_name=_("contributing agencies"),
        related_name="documents_contributed",
        blank=True,
    )
    summary = LimitedTextField(_("summary"), blank=True, max_length=SUMMARY_MAX_CHARS)
    topics = models.ManyToManyField(
        FrameworkObjective, verbose_name=_("topics"), related_name="documents", blank=True
    )
    external_url = models.URLField(
        _("external link"),
        max_length=500,
        blank=True,
        help_text=_("Where the document is published elsewhere, instead of or beside a file."),
    )
    original_language = models.CharField(
        _("original language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )

    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    status_note = models.CharField(_("reason"), max_length=NOTE_MAX_CHARS, blank=True)
    access = models.CharField(
        _("who may read it"), max_length=20, choices=Access.choices, default=Access.MEMBERS
    )
    access_agencies = models.ManyToManyField(
        Organization,
        verbose_name=_("agencies that may read it"),
        related_name="documents_shared",
        blank=True,
    )
    publish_on = models.DateTimeField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("A date in the future keeps it under embargo until then."),
    )

    # What it belongs to.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    # Picked from the register as a paper of agenda items (of any meeting of
    # the network), instead of being uploaded to each item again.
    agenda_papers = models.ManyToManyField(
        AgendaItem,
        verbose_name=_("paper for the agenda items"),
        related_name="register_papers",
        blank=True,
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    task_team = models.ForeignKey(
        TaskTeam,
        verbose_name=_("task team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every edit: an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["summary"])

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["network", "status", "-date"]),
            models.Index(fields=["status", "access", "publish_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "symbol"],
                condition=~Q(symbol=""),
                name="document_symbol_once_per_network",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_by__isnull=False),
                name="document_superseded_names_the_newer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}" if self.symbol else self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in DOCUMENT_TRANSITIONS[self.status]

    @property
    def under_embargo(self) -> bool:
        return self.publish_on is not None and self.publish_on > timezone.now()


class DocumentFile(KeepsUploadNames, models.Model):
    """One upload of one language of a document: written once, never changed.
    The highest number of a language is its current file."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(
        _("file"), upload_to=UploadTo("documents/{instance.document.network_id}")
    )
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(max_length=120)
    note = models.CharField(_("what changed"), max_length=NOTE_MAX_CHARS, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Read out of a PDF by a worker (documents.tasks.extract_text), for search.
    text = LimitedTextField(blank=True, max_length=EXTRACTED_TEXT_MAX_CHARS, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)

    upload_names = {"file": "file_name"}

    class Meta:
        ordering = ["document", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language", "number"], name="document_file_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.language}, v{self.number})"

    def save(self, *args, **kwargs):
        # Only the worker's extracted text is written after the upload.
        if self.pk is not None and set(kwargs.get("update_fields") or ()) - {
            "text",
            "text_extracted_at",
        }:
            raise ValueError("A document's file version is never changed; upload a new one.")
        if self.pk is not None and not kwargs.get("update_fields"):
            raise ValueError("A document's file version is never changed; upload a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.document_id, self.pk])


class EngagementKind(models.TextChoices):
    STATEMENT = "statement", _("Statement delivered")
    BRIEFING = "briefing", _("Briefing")
    PARTICIPATION = "participation", _("Participation")
    BILATERAL = "bilateral", _("Bilateral meeting")


class Engagement(models.Model):
    """The network's presence outside it: an event where it was represented."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="engagements")
    event = models.CharField(_("event"), max_length=300)
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EngagementKind.choices)
    represented_by = models.ForeignKey(
        Organization,
        verbose_name=_("agency representing the network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
    )
    representative = models.CharField(
        _("represented by"),
        max_length=200,
        blank=True,
        help_text=_("Who spoke, e.g. the Chair, Under-Secretary-General Sha of UN/DESA."),
    )
    documents = models.ManyToManyField(
        Document,
        verbose_name=_("statement or briefing"),
        related_name="engagements",
        blank=True,
    )
    outcome = LimitedTextField(_("outcome"), blank=True, max_length=OUTCOME_MAX_CHARS)
    chair_term = models.ForeignKey(
        ChairTerm,
        verbose_name=_("chair term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        editable=False,
    )
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the network's public pages.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["outcome"])

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["network", "-start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="engagement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.event

    def get_absolute_url(self) -> str:
        return reverse("documents:engagement_detail", args=[self.pk])
