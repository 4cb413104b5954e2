from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import SHORT_TEXT_MAX_CHARS, up_to
from core.timezones import TimeZoneField, time_zone_choices
from members.models import Organization

from .models import Attendance, Meeting, MeetingLevel, Participant, Response

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the meeting's own time zone (the form makes
    it aware in `clean`)."""

    widget = DATETIME
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class MeetingForm(forms.ModelForm):
    start = LocalDateTimeField(label=_("Start"))
    end = LocalDateTimeField(label=_("End"))
    proposals_deadline = LocalDateTimeField(label=_("Cut-off for agenda proposals"), required=False)
    time_zone = TimeZoneField()

    class Meta:
        model = Meeting
        fields = [
            "title",
            "level",
            "start",
            "end",
            "time_zone",
            "city",
            "venue",
            "online_url",
            "proposals_deadline",
            "prepares",
            "task_team",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        # The network's zone first among the common ones, and a new
        # meeting's zone unless the caller gave one.
        self.fields["time_zone"].choices = time_zone_choices(network.time_zone)
        if self.instance.pk is None and "time_zone" not in kwargs.get("initial", {}):
            self.initial["time_zone"] = network.time_zone
        self.fields["task_team"].queryset = network.task_teams.exclude(status="closed")
        self.fields["prepares"].queryset = Meeting.objects.filter(
            network=network, level=MeetingLevel.PRINCIPALS
        ).exclude(pk=self.instance.pk)
        if self.instance.pk:
            tz = self.instance.tz
            for name in ("start", "end", "proposals_deadline"):
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = value.astimezone(tz).replace(tzinfo=None)

    def clean(self):
        import zoneinfo

        data = super().clean()
        tz_name = data.get("time_zone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            for name in ("start", "end", "proposals_deadline"):
                value = data.get(name)
                if value:
                    # Typed as wall-clock time of the meeting's place.
                    data[name] = value.replace(tzinfo=None).replace(tzinfo=tz)
                    setattr(self.instance, name, data[name])
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("A meeting must end after it starts."))
        if data.get("level") == MeetingLevel.WORKING and data.get("prepares") is None:
            pass  # optional: not every working meeting prepares one
        return data


class CopyForm(forms.Form):
    start = LocalDateTimeField(label=_("Start of the new meeting"))


class PlanYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), choices=MeetingLevel.choices)
    title = forms.CharField(label=_("Title"), max_length=150)
    month_in_quarter = forms.TypedChoiceField(
        label=_("Month of each quarter"),
        coerce=int,
        choices=[(1, _("First")), (2, _("Second")), (3, _("Third"))],
    )
    week = forms.TypedChoiceField(
        label=_("Week of the month"), coerce=int, choices=[(i, str(i)) for i in range(1, 5)]
    )
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
        ],
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours = forms.DecimalField(label=_("Length (hours)"), min_value=0.5, max_value=12, initial=2)
    time_zone = TimeZoneField()
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online link"), required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(network.time_zone)
        self.fields["time_zone"].initial = network.time_zone

    def clean(self):
        data = super().clean()
        if not (data.get("city") or data.get("venue") or data.get("online_url")):
            raise forms.ValidationError(_("Give a place (city or venue), an online link, or both."))
        return data

    def duration(self) -> timedelta:
        return timedelta(minutes=int(self.cleaned_data["hours"] * 60))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        max_length=SHORT_TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=up_to(SHORT_TEXT_MAX_CHARS),
    )


class InviteForm(forms.Form):
    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = meeting.network.memberships.current().values("organization_id")
        self.fields["guests"].queryset = Organization.objects.exclude(pk__in=members)
        self.fields["guests"].label_from_instance = lambda o: f"{o.acronym} — {o.name}"

    guests = forms.ModelMultipleChoiceField(
        label=_("Guest organizations"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_(
            "Organizations the members asked to invite for this meeting only. "
            "Hold Ctrl (or Cmd) to choose several."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class ResponseForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["response", "delegate_name"]
        widgets = {"response": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = [c for c in Response.choices if c[0] != Response.PENDING]


class AttendanceForm(forms.Form):
    """One choice per participant, recorded in one go after the meeting."""

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for p in participants:
            self.fields[f"p{p.pk}"] = forms.ChoiceField(
                label=str(p.person.name if p.person else p.organization.acronym),
                choices=Attendance.choices,
                initial=p.attendance,
                widget=forms.RadioSelect,
            )

    def rows(self):
        return [(p, self[f"p{p.pk}"]) for p in self.participants]

    def values(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in self.participants}
