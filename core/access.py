"""Fields that decide who may do what, and who may change them.

A person's network, level and linked account, an activity's lead and partner
agencies, a membership's dates: change one and someone gains or loses rights.
Each app declares these "access fields" per model in its permissions module,
with the action that may change them:

    PERSON_ACCESS = AccessFields(
        fields=("network", "level", "user", "is_active"),
        action="person.change_access",
    )

and uses them twice, so that a forged POST changes nothing:

1. the view asks `PERSON_ACCESS.locked(actor, can, person)` and the form
   drops those fields (`drop_fields`): a lower role does not see them, and a
   value posted for a dropped field is never read;
2. the service refuses a change to a locked field (`refuse_changes` for plain
   fields, a comparison of its own for many-to-many ones), whatever the form
   did.

Nothing here imports an app: `can` is the app's own permission function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError


@dataclass(frozen=True)
class AccessFields:
    """The access fields of one model and the action that may change them."""

    fields: tuple[str, ...]
    action: str

    def locked(self, actor, can: Callable[[Any, str, Any], bool], obj=None) -> frozenset[str]:
        """The fields this actor may not change on `obj` (all or none)."""
        if can(actor, self.action, obj):
            return frozenset()
        return frozenset(self.fields)


def drop_fields(form, names: Iterable[str]) -> None:
    """Take fields off a form: not shown, and not read from a POST."""
    for name in names:
        form.fields.pop(name, None)


def changed_fields(instance, names: Iterable[str]) -> list[str]:
    """Which of these (non many-to-many) fields of an unsaved instance differ
    from the stored row. A new instance has changed none: nothing stored yet."""
    names = list(names)
    if instance.pk is None or not names:
        return []
    model = type(instance)
    attnames = {name: model._meta.get_field(name).attname for name in names}
    stored = model._default_manager.filter(pk=instance.pk).values(*attnames.values()).first()
    if stored is None:
        return []
    return [
        name for name, attname in attnames.items() if getattr(instance, attname) != stored[attname]
    ]


def refuse_changes(instance, locked: Iterable[str]) -> None:
    """A service's last line of defence: refuse to save a change to a field
    the actor may not change."""
    changed = changed_fields(instance, locked)
    if changed:
        raise DomainError(
            _("You may not change this: %(fields)s. Ask the secretariat.")
            % {
                "fields": ", ".join(
                    str(type(instance)._meta.get_field(name).verbose_name) for name in changed
                )
            },
            field=changed[0],
        )
