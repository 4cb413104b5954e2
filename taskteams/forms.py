from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.services.agenda import paper_problem
from members.forms import ValidateAllConstraintsMixin
from members.models import Network, Organization, Person

from .models import TaskTeam
from .services import RESERVED_SLUGS, eligible_people

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.acronym} — {obj.name}"


class TaskTeamForm(ValidateAllConstraintsMixin, forms.ModelForm):
    """Set up or edit a task team (the secretariat). Status changes have
    their own buttons; people are added on the membership page."""

    co_chairs = OrganizationChoice(
        queryset=Organization.objects.order_by("acronym"),
        label=_("Co-chairs"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Co-chairs are members of the team too. Their focal points manage its membership."
        ),
    )
    member_organizations = OrganizationChoice(
        queryset=Organization.objects.order_by("acronym"),
        label=_("Member organizations"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "Network members and other partners, as relevant (hold Ctrl or ⌘ to pick several)."
        ),
    )

    class Meta:
        model = TaskTeam
        fields = [
            "kind",
            "name",
            "slug",
            "focus",
            "co_chairs",
            "member_organizations",
            "terms_of_reference",
            "tor_document",
            "established",
            "establishing_decision",
            "end_date",
            "next_review",
        ]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 3}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 8}),
            "established": DATE,
            "end_date": DATE,
            "next_review": DATE,
        }
        help_texts = {
            "slug": _("Used in the team's address, e.g. migration-data."),
            "next_review": _(
                "At a minimum every four years, immediately after the International Migration "
                "Review Forum. The secretariat is reminded ahead of it."
            ),
            "tor_document": _(
                "PDF, Word or OpenDocument, up to 10 MB. Only network members can download it."
            ),
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        if self.instance.pk:
            self.initial["co_chairs"] = list(self.instance.co_chairs.all())
            self.initial["member_organizations"] = list(self.instance.member_organizations.all())

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved: choose another slug.") % {"slug": slug}
            )
        clash = TaskTeam.objects.filter(network=self.instance.network, slug=slug).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("Another task team of this network already uses the slug “%(slug)s”.")
                % {"slug": slug}
            )
        return slug

    def clean_tor_document(self):
        document = self.cleaned_data.get("tor_document")
        # A new upload has a size and a content type; a kept file does not.
        if document and hasattr(document, "content_type"):
            problem = paper_problem(document)
            if problem:
                raise forms.ValidationError(problem)
        return document

    def clean(self):
        data = super().clean()
        established, end, review = (
            data.get("established"),
            data.get("end_date"),
            data.get("next_review"),
        )
        if established and end and end < established:
            self.add_error("end_date", _("A task team cannot end before it is established."))
        if established and review and review < established:
            self.add_error(
                "next_review", _("The next review cannot come before the team is established.")
            )
        return data


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        title = f", {obj.position}" if obj.position else ""
        return f"{obj.organization.acronym}: {obj.name}{title} ({obj.get_level_display().lower()})"


class AddOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Add an organization")
    )

    def __init__(self, *args, team: TaskTeam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.exclude(
            pk__in=team.member_organizations.values("pk")
        ).order_by("acronym")
        self.fields["organization"].label_from_instance = lambda o: f"{o.acronym} — {o.name}"


class AddPersonForm(forms.Form):
    person = PersonChoice(queryset=Person.objects.none(), label=_("Add a person"))

    def __init__(self, *args, team: TaskTeam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = eligible_people(team)
        self.fields["person"].help_text = _(
            "Current contacts of the member agencies. Add the agency first for anyone else."
        )
