from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import drop_fields
from core.files import CONTENT_TYPES, content_matches
from core.limits import LONG_TEXT_MAX_CHARS, up_to, with_limit
from core.timezones import TimeZoneField, time_zone_choices
from members.roles import Actor

from .models import (
    ChairTerm,
    CriterionAssessment,
    DecidingBody,
    Membership,
    MembershipApplication,
    Network,
    Organization,
    Person,
)
from .permissions import ContactScope, parent_network_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ValidateAllConstraintsMixin:
    """ModelForm skips constraints on fields it does not show (the agency of a
    contact, the network of a membership); the view sets those on the
    instance, so check every constraint once the form has cleaned."""

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                self.instance.validate_constraints()
            except ValidationError as exc:
                self._update_errors(exc)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "acronym", "slug", "kind", "website", "headquarters", "description"]
        help_texts = {"slug": _("Used in the address of the agency's page, e.g. unhcr.")}


class NetworkForm(forms.ModelForm):
    time_zone = TimeZoneField(
        help_text=_("Where the network usually meets: new meetings start in this time zone.")
    )
    criteria_text = forms.CharField(
        label=_("Admission criteria"),
        required=False,
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=with_limit(
            _("One criterion per line. Applications are reviewed against them."),
            LONG_TEXT_MAX_CHARS,
        ),
    )

    class Meta:
        model = Network
        fields = [
            "name",
            "short_name",
            "level",
            "parent",
            "governance",
            "chair_term_months",
            "coordinator",
            "secretariat",
            "seat",
            "time_zone",
            "established",
            "admission_body",
            "accepts_applications",
            "terms_of_reference",
        ]
        widgets = {"established": DATE, "terms_of_reference": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, actor: Actor, **kwargs):
        """`actor`: the editor; the parent offered (and accepted) is one of
        the networks it manages (members.permissions.parent_network_choices)."""
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_network_choices(actor, self.instance)
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)
        if self.instance.pk:
            self.initial["criteria_text"] = "\n".join(c.text for c in self.instance.criteria.all())

    def criteria_lines(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["criteria_text"].splitlines() if line.strip()
        ]


class MembershipForm(ValidateAllConstraintsMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organization", "joined", "left", "executive_committee", "notes"]
        widgets = {"joined": DATE, "left": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        if self.instance.pk:
            self.fields["organization"].disabled = True

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined"), data.get("left")
        if joined and left and left < joined:
            self.add_error("left", _("A membership cannot end before it starts."))
        return data


class PersonForm(ValidateAllConstraintsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "honorific",
            "position",
            "level",
            "email",
            "phone",
            "network",
            "is_active",
        ]

    def __init__(
        self,
        *args,
        organization: Organization,
        locked: Iterable[str] = (),
        scope: ContactScope | None = None,
        **kwargs,
    ):
        """`locked`: the access fields this editor may not change
        (members.permissions.PERSON_ACCESS); the form does not show them.
        `scope`: where this editor may place the contact
        (members.permissions.contact_scope): the networks offered, and
        "Every network" only if it may; any other value posted is refused."""
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        networks = Network.objects.filter(memberships__organization=organization)
        if scope is not None and scope.network_ids is not None:
            networks = networks.filter(pk__in=scope.network_ids)
        field = self.fields["network"]
        field.queryset = networks.distinct()
        if scope is None or scope.everywhere:
            field.empty_label = _("Every network")
        else:
            field.required = True
            field.empty_label = None
            field.error_messages["required"] = _(
                "Choose one of the networks you manage: a contact for every network of "
                "this agency is set by a manager of all of them."
            )
        drop_fields(self, locked)


class ChairTermForm(forms.ModelForm):
    class Meta:
        model = ChairTerm
        fields = ["organization", "start", "end", "theme", "chairperson"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["organization"].queryset = Organization.objects.filter(
            memberships__network=network
        ).distinct()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("A chair term must end after it starts."))
        return data


class ChairNarrativeForm(forms.ModelForm):
    class Meta:
        model = ChairTerm
        fields = ["theme", "chairperson", "achievements", "challenges", "recommendations"]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 6}),
            "challenges": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
        }


class ChairPlanForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of terms to plan"), min_value=1, max_value=12, initial=2
    )


class RotationForm(forms.Form):
    order = forms.CharField(
        label=_("Rotation order"),
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=with_limit(
            _("The acronyms of member agencies, one per line, in the order they take the chair."),
            LONG_TEXT_MAX_CHARS,
        ),
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_order(self) -> list[Organization]:
        acronyms = [a.strip() for a in self.cleaned_data["order"].splitlines() if a.strip()]
        members = {
            m.organization.acronym.lower(): m.organization
            for m in Membership.objects.current()
            .filter(network=self.network)
            .select_related("organization")
        }
        unknown = [a for a in acronyms if a.lower() not in members]
        if unknown:
            raise forms.ValidationError(
                _("Not current members of this network: %(list)s") % {"list": ", ".join(unknown)}
            )
        lowered = [a.lower() for a in acronyms]
        if len(set(lowered)) != len(lowered):
            raise forms.ValidationError(_("An agency can appear only once in the rotation."))
        if not acronyms:
            raise forms.ValidationError(_("Name at least one agency."))
        return [members[a] for a in lowered]


# --- membership applications ----------------------------------------------

# Documents, spreadsheets, slides, plain text and pictures; each is checked
# for being what its suffix says (core/files.py).
ALLOWED_DOCUMENT_SUFFIXES = set(CONTENT_TYPES)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.ModelForm):
    """The template an agency fills in. Two guards against abuse sit beside
    the rate limit in the view: a field people never see (bots fill it) and a
    signed start time (bots post faster than anyone types)."""

    documents = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_(
            "Up to 5 files (PDF, Word, Excel, PowerPoint, OpenDocument, text or image), 10 MB each."
        ),
    )
    homepage_url = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = MembershipApplication
        fields = [
            "org_name",
            "org_acronym",
            "org_kind",
            "org_website",
            "org_headquarters",
            "mandate",
            "relevance",
            "areas_of_work",
            "focal_point_name",
            "focal_point_position",
            "focal_point_email",
            "focal_point_phone",
            "contact_email",
        ]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 4}),
            "relevance": forms.Textarea(attrs={"rows": 4}),
            "areas_of_work": forms.Textarea(attrs={"rows": 4}),
        }

    # A draft needs only enough to find it again; submitting needs everything.
    DRAFT_REQUIRED = ("org_name", "org_acronym", "org_kind", "contact_email")

    def __init__(self, *args, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt="application-form")
        if draft:
            for name, field in self.fields.items():
                if name in self._meta.fields and name not in self.DRAFT_REQUIRED:
                    field.required = False

    def clean_homepage_url(self):
        if self.cleaned_data.get("homepage_url"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_started(self):
        try:
            started = signing.loads(
                self.cleaned_data["started"], salt="application-form", max_age=7 * 24 * 3600
            )
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("This form has expired. Please check your answers and send it again.")
            ) from exc
        if time.time() - float(started) < settings.APPLICATION_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "That was quicker than anyone can fill in this form. "
                    "Please check your answers and send it again."
                )
            )
        return self.cleaned_data["started"]

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        existing = self.instance.documents.count() if self.instance.pk else 0
        if len(files) + existing > MAX_DOCUMENTS:
            raise forms.ValidationError(_("Attach at most %(n)s documents.") % {"n": MAX_DOCUMENTS})
        for f in files:
            if Path(f.name).suffix.lower() not in ALLOWED_DOCUMENT_SUFFIXES:
                raise forms.ValidationError(
                    _("%(name)s is not a document type we accept.") % {"name": f.name}
                )
            if f.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 10 MB.") % {"name": f.name})
            if not content_matches(f, Path(f.name).suffix):
                raise forms.ValidationError(
                    _(
                        "%(name)s is not really a %(kind)s file, so nothing was saved. "
                        "Attach the document itself: PDF, Office, OpenDocument, plain text "
                        "or a picture."
                    )
                    % {"name": f.name, "kind": Path(f.name).suffix[1:].upper()}
                )
        return files

    def clean_org_acronym(self):
        return self.cleaned_data["org_acronym"].strip()


class ApplicationAssessmentForm(forms.Form):
    """A verdict and a note per admission criterion, then general notes."""

    def __init__(self, *args, application: MembershipApplication, assessments: dict, **kwargs):
        super().__init__(*args, **kwargs)
        # The network's criteria, and any since retired that this
        # application was already assessed against.
        self.criteria = list(application.network.criteria.all())
        current = {c.pk for c in self.criteria}
        self.criteria += [
            a.criterion for a in assessments.values() if a.criterion_id not in current
        ]
        for criterion in self.criteria:
            done = assessments.get(criterion.pk)
            self.fields[f"verdict_{criterion.pk}"] = forms.ChoiceField(
                label=_("Verdict"),
                choices=[("", _("— not assessed —")), *CriterionAssessment.Verdict.choices],
                required=False,
                initial=done.verdict if done else "",
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500, initial=done.note if done else ""
            )
        self.fields["review_notes"] = forms.CharField(
            label=_("Review notes for the deciding body"),
            required=False,
            initial=application.review_notes,
            max_length=LONG_TEXT_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=up_to(LONG_TEXT_MAX_CHARS),
        )

    def rows(self):
        """(criterion, verdict field, note field) for the template."""
        return [(c, self[f"verdict_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def verdicts(self) -> dict[int, tuple[str, str]]:
        return {
            c.pk: (self.cleaned_data[f"verdict_{c.pk}"], self.cleaned_data[f"note_{c.pk}"])
            for c in self.criteria
            if self.cleaned_data.get(f"verdict_{c.pk}")
        }


class ApplicationDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("Admit as a member")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    decision_date = forms.DateField(label=_("Date of the decision"), widget=DATE)
    decision_record = forms.CharField(
        label=_("Where it was decided"),
        max_length=200,
        required=False,
        help_text=_("e.g. Principals' meeting of 9 November 2007"),
    )
    reason = forms.CharField(
        label=_("Reason / message to the applicant"),
        required=False,
        max_length=LONG_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=with_limit(_("Required when declining."), LONG_TEXT_MAX_CHARS),
    )

    def without_admission(self) -> None:
        """For an agency already a member: declining is the only decision."""
        self.fields["outcome"].choices = [("decline", _("Decline"))]
        self.fields["outcome"].initial = "decline"

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining."))
        when = data.get("decision_date")
        if when and when > timezone.localdate():
            self.add_error("decision_date", _("The decision cannot be dated in the future."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing the application?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=up_to(2000),
    )
