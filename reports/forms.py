from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Network

from .models import Language, ReportKind


class BuildForm(forms.Form):
    """What report to build: its kind, and the period as the kind takes it
    (a chair term, or a year; a workplan's progress report also takes the
    workplan and, optionally, a quarter of the year)."""

    kind = forms.ChoiceField(label=_("Report"))
    term = forms.TypedChoiceField(
        label=_("Chair term"), required=False, coerce=int, empty_value=None
    )
    workplan = forms.TypedChoiceField(
        label=_("Workplan"), required=False, coerce=int, empty_value=None
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("The whole year"))] + [(q, _("Q%(n)s") % {"n": q}) for q in (1, 2, 3, 4)],
        help_text=_("For a workplan progress report only."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial="en")

    def __init__(self, *args, network: Network, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["kind"].choices = [(k, ReportKind(k).label) for k in kinds]
        terms = network.chair_terms.select_related("organization").order_by("-start")
        self.fields["term"].choices = [("", _("—"))] + [
            (t.pk, f"{t.organization.acronym}: {t.start:%d %b %Y} – {t.end:%d %b %Y}")
            for t in terms
        ]
        self.fields["workplan"].choices = [("", _("—"))] + [
            (w.pk, str(w)) for w in network.workplans.order_by("-start_year", "title")
        ]
        self.fields["year"].initial = timezone.localdate().year - 1
        for name in ("kind", "term", "workplan", "quarter", "language"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportKind.CHAIR_SUMMARY and not data.get("term"):
            self.add_error("term", _("Choose the chair term the report covers."))
        elif kind and kind != ReportKind.CHAIR_SUMMARY and not data.get("year"):
            self.add_error("year", _("Give the year the report covers."))
        if kind == ReportKind.WORKPLAN_PROGRESS and not data.get("workplan"):
            self.add_error("workplan", _("Choose the workplan the report covers."))
        return data


class ListFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Every kind"))] + list(ReportKind.choices)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"
