"""`{% countdown decision.deadline %}`: the time left, written by the server,
with the deadline in a data attribute for static/js/countdown.js to tick."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..countdown import countdown_text

register = template.Library()


@register.simple_tag
def countdown(deadline):
    if deadline is None:
        return ""
    return format_html(
        '<span class="decision-countdown" data-countdown="{}" data-before="{}" '
        'data-after="{}">{}</span>',
        deadline.isoformat(),
        _("Closes in %(time)s.") % {"time": "{}"},
        _("The deadline has passed."),
        countdown_text(deadline),
    )
