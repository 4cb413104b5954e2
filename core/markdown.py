"""Markdown as the chair types it, turned into HTML that is safe to show.

The text comes from users, so the HTML Markdown makes (raw HTML typed in the
text passes through it) is cleaned by nh3 with an allow-list: formatting,
lists, tables, links. Nothing else survives: no script or style (with their
content), no event handler attribute (`onclick`…), no `style`, no image (a
remote image would be fetched by every reader, and by WeasyPrint on the
server when the PDF is made), and links only to http(s), mailto or relative
addresses, so no `javascript:` link.
"""

from __future__ import annotations

import re

import markdown as _markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "sup",
    "sub",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists", "fenced_code", "nl2br"]
_LIST_LINE = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S")


def _lists_open_paragraphs(text: str) -> str:
    """A blank line before a list that follows a paragraph line: people type
    "The purpose of:" and the items under it, and Markdown would otherwise
    keep the items in the paragraph, each a line starting with "- ". Inside
    fenced code nothing changes."""
    lines, fenced, out = text.splitlines(), False, []
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        previous = out[-1] if out else ""
        if (
            not fenced
            and _LIST_LINE.match(line)
            and previous.strip()
            and not _LIST_LINE.match(previous)
            and not previous.startswith((" ", "\t"))
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str | None) -> SafeString:
    """The HTML of `text` (Markdown), sanitised; empty for an empty text."""
    if not text or not text.strip():
        return mark_safe("")
    html = _markdown.markdown(
        _lists_open_paragraphs(text), extensions=EXTENSIONS, output_format="html"
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # cleaned by nh3 just above
