"""`{% minutes_section as section %}`: what the minutes section of the
meeting page shows to the user of the request (meetings.views.minutes
builds it), so the meeting page needs nothing from the minutes' views."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def minutes_section(context: template.Context) -> dict[str, Any]:
    from ..views.minutes import minutes_section as build

    return build(context["request"], context["meeting"])
