"""core.markdown: the Markdown people type (minutes, decisions, terms of
reference), as safe HTML that reads the way they typed it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from tests import factories as f


def test_a_list_under_a_paragraph_line_is_a_list():
    html = render_markdown("The consultations are for the purpose of:\n- one;\n- two.")
    assert "<p>The consultations are for the purpose of:</p>" in html
    assert "<li>one;</li>" in html and "<li>two.</li>" in html
    assert "- one" not in html


def test_numbered_lists_and_lists_already_set_apart_are_kept():
    assert render_markdown("Steps:\n1. first\n2. second").count("<li>") == 2
    assert render_markdown("Steps:\n\n- a\n- b") == render_markdown("Steps:\n- a\n- b")


def test_fenced_code_and_a_hyphen_inside_a_line_are_left_alone():
    html = render_markdown("```\nkey:\n- value\n```\nA well-known - dash")
    assert "<pre><code>key:\n- value\n</code></pre>" in html
    assert "A well-known - dash" in html


@pytest.mark.django_db
def test_the_network_page_shows_its_terms_of_reference_as_written(client):
    network = f.NetworkFactory(
        terms_of_reference="The purpose of the Network:\n- to coordinate;\n- to <b>report</b>."
    )
    html = client.get(reverse("members:network_detail", args=[network.slug])).content.decode()
    assert "<li>to coordinate;</li>" in html
    assert "<b>report</b>" in html  # bold is allowed; a script would not be
