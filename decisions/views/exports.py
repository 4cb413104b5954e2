"""A filtered list as a CSV or XLSX download, as the decisions pages share
them (the implementation page's actions, the register's decisions): the
table through core.exports (formula-safe cells, typed values), the XLSX with
an "About" sheet saying which network, when, how many rows and which
filters; dates and times in the network's time zone."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exports import exported_at, table_csv, table_xlsx
from core.timezones import zone_of
from members.models import Network

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def described_filters(filterset) -> str:
    """The filters a valid form applied, as "Label: value; …" ("none")."""
    cleaned = getattr(filterset.form, "cleaned_data", {}) or {}
    described = [
        f"{f.label}: {v}"
        for name, f in filterset.form.fields.items()
        if (v := cleaned.get(name)) not in (None, "", False)
    ]
    return "; ".join(described) or str(_("none"))


def export_response(
    *,
    fmt: str,
    network: Network,
    filterset,
    stem: str,
    title: str,
    headers: Sequence[object],
    rows_of,
    items: list,
    widths: Sequence[int] = (),
) -> HttpResponse:
    """`rows_of(items)` gives the table's rows; it runs under the network's
    time zone, so that times read as the network reads them."""
    headers = [str(h) for h in headers]
    filename = slugify(f"{network.short_name} {stem} {timezone.localdate()}")
    with timezone.override(zone_of(network.time_zone)):
        rows = rows_of(items)
        if fmt == "csv":
            response = HttpResponse(
                table_csv(headers, rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                table_xlsx(
                    title=title,
                    headers=headers,
                    rows=rows,
                    widths=widths,
                    about=[
                        (_("Network"), network.name),
                        (_("Exported"), exported_at()),
                        (_("Time zone"), network.time_zone or "UTC"),
                        (title, len(items)),
                        (_("Filters"), described_filters(filterset)),
                    ],
                    about_title=_("About"),
                ),
                content_type=XLSX,
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
