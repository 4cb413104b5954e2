"""A refused authorisation is logged once, in one line, with who, what and
the rule that refused; never with a traceback."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _security_records(caplog):
    return [r for r in caplog.records if r.name == "secretariat.security"]


def test_a_403_logs_the_user_the_path_and_the_rule(client, world, caplog):
    """A focal point opening meeting creation: one WARNING on
    secretariat.security naming the user (id and e-mail), the method and
    path, and the rule (meeting.create); no exception attached."""
    user = world.users["focal_b"]
    client.force_login(user)
    url = reverse("meetings:create", args=[world.network.slug])
    with caplog.at_level(logging.INFO):
        assert client.get(url).status_code == 403
    [record] = _security_records(caplog)
    assert record.levelno == logging.WARNING
    line = record.getMessage()
    assert f"user={user.pk}" in line and user.email in line
    assert f"method=GET path={url}" in line
    assert "rule=meeting.create" in line
    assert "\n" not in line
    assert record.exc_info is None and record.exc_text is None


def test_django_does_not_log_the_same_refusal_with_a_traceback(client, world, caplog):
    """Django's own request logger would log the PermissionDenied with its
    traceback; the project's filter drops that record, so the refusal is one
    line in the log, the one above."""
    client.force_login(world.users["focal_b"])
    with caplog.at_level(logging.INFO):
        client.post(reverse("members:membership_edit", args=[world.membership_b.pk]), {})
    assert [r for r in caplog.records if r.exc_info] == []
    assert [r.name for r in caplog.records if r.levelno >= logging.WARNING] == [
        "secretariat.security"
    ]


def test_the_formatted_line_has_no_traceback(client, world):
    """Through the project's LOGGING configuration (the console handler's
    formatter), the refusal is exactly one line."""
    import io

    from django.conf import settings

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]))
    for name in ("secretariat.security", "django.request"):
        logging.getLogger(name).addHandler(handler)
    try:
        client.force_login(world.users["focal_b"])
        client.get(reverse("members:chair_term_edit", args=[world.term.pk]))
    finally:
        for name in ("secretariat.security", "django.request"):
            logging.getLogger(name).removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "rule=chair.manage" in lines[0] and "Traceback" not in stream.getvalue()


def test_a_forged_newline_in_the_path_cannot_add_a_line(client, world, caplog):
    """The path is escaped: %0A in the address stays on the one line."""
    client.force_login(world.users["focal_b"])
    url = f"/workplans/{world.workplan.pk}/import/template.csv%0A2026-01-01 forged line"
    with caplog.at_level(logging.INFO):
        assert client.get(url).status_code == 403
    [record] = _security_records(caplog)
    assert "\n" not in record.getMessage()
    assert "template.csv\\n2026-01-01 forged line" in record.getMessage()


@pytest.mark.parametrize(
    ("role", "url_name", "rule"),
    [
        ("cochair", "workplans:approve", "workplan.manage"),
        ("focal_a", "workplans:activity_edit", "activity.manage"),
        ("chair", "taskteams:edit", "taskteam.manage"),
        ("focal_a", "meetings:agenda_decide", "agenda.decide"),
        ("focal_b", "members:person_edit", "person.change"),
    ],
)
def test_each_app_names_its_rule(client, world, caplog, role, url_name, rule):
    """Every app's views refuse through the one helper, so every refusal
    names the `can` action that refused."""
    args = {
        "workplans:approve": [world.workplan.pk],
        "workplans:activity_edit": [world.activity.pk],
        "taskteams:edit": [world.network.slug, world.team.slug],
        "meetings:agenda_decide": [world.meeting.pk, world.proposal.pk],
        "members:person_edit": [world.contact_a.pk],
    }[url_name]
    client.force_login(world.users[role])
    with caplog.at_level(logging.INFO):
        assert client.get(reverse(url_name, args=args)).status_code == 403
    [record] = _security_records(caplog)
    assert f"rule={rule}" in record.getMessage()


def test_a_404_for_what_is_not_visible_is_not_a_logged_refusal(client, world, caplog):
    """What the user may not see answers 404 like a missing record: it is
    not logged as a refusal (that would tell the log reader it exists and
    flood it with mistyped addresses)."""
    client.force_login(world.users["outsider"])
    with caplog.at_level(logging.INFO):
        assert client.get(world.meeting.get_absolute_url()).status_code == 404
    assert _security_records(caplog) == []
