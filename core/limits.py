"""How long free text may be: far beyond any real document, short of what
would fill the database or stall a page (a paste of a whole book, a script
that posts megabytes).

`LimitedTextField` is a TextField whose form field enforces the limit and
says it ("Up to N characters."), so every ModelForm and the admin get both.
Plain forms use `up_to` for the same words; services call `check_length`,
so an import or a script is refused the same way.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext

from .errors import DomainError

# Minutes of a long meeting run to some 60,000 characters; 200,000 is a book.
MINUTES_MAX_CHARS = 200_000
# Descriptions, purposes, notes, narratives, free text of an application.
LONG_TEXT_MAX_CHARS = 20_000
# A reason, a note for one item: a paragraph or two.
SHORT_TEXT_MAX_CHARS = 2_000


def _up_to(limit: int) -> str:
    return gettext("Up to %(n)s characters.") % {"n": number_format(limit, force_grouping=True)}


up_to = lazy(_up_to, str)


def with_limit(help_text, limit: int):
    """A help text followed by "Up to N characters." (lazily translated)."""
    if not help_text:
        return up_to(limit)
    return format_lazy("{} {}", help_text, up_to(limit))


def too_long(value: str | None, limit: int) -> str | None:
    """The message for a text longer than `limit`, or None."""
    length = len(value or "")
    if length <= limit:
        return None
    return gettext("At most %(limit)s characters: this text has %(n)s.") % {
        "limit": number_format(limit, force_grouping=True),
        "n": number_format(length, force_grouping=True),
    }


def check_length(value: str | None, *, limit: int, field: str | None = None) -> None:
    """Raise DomainError (on `field`) when `value` is longer than `limit`."""
    message = too_long(value, limit)
    if message:
        raise DomainError(message, field=field)


def check_model_lengths(model: type[models.Model], **values: str | None) -> None:
    """check_length for each named field of `model` that has a max_length."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit:
            check_length(value, limit=limit, field=name)


class LimitedTextField(models.TextField):
    """A TextField with a maximum length that forms and model validation
    enforce (the database does not need to) and forms say."""

    def __init__(self, *args, max_length: int = LONG_TEXT_MAX_CHARS, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        if isinstance(field, forms.CharField):
            field.help_text = with_limit(field.help_text, self.max_length)
        return field
