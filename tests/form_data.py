"""The POST a browser would send for a form as a page rendered it: its
values as shown, with some fields changed. For tests that submit an edit
page with one field altered."""

from __future__ import annotations

from datetime import date, datetime, time


def form_data(form, **changes) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
            continue
        if isinstance(value, datetime | date | time):
            data[key] = field.widget.format_value(value)
            continue
        data[key] = str(value)
    data.update(changes)
    return data


def too_long(limit: int) -> str:
    """A text one character over `limit`, in lines as a real text has."""
    line = "A line of a very long document. " * 3 + "\n"
    text = line * (limit // len(line) + 1)
    return text[:limit] + "x"  # not a space: a form strips those


def assert_refused(response, field: str, limit: int) -> None:
    """The page came back (no redirect) with the limit said on the field."""
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    message = " ".join(errors[field])
    assert "at most" in message and (str(limit) in message or f"{limit:,}" in message)


def assert_says_limit(response, field: str, limit: int) -> None:
    form = response.context["form"]
    assert f"Up to {limit:,} characters." in str(form.fields[field].help_text)
    assert f"Up to {limit:,} characters." in response.content.decode()
