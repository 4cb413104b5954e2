"""A ready report as a Word draft for the drafting team: the HTML the PDF
is rendered from (`builder.render_html`), walked with the standard
library's `html.parser` and written with python-docx, so each kind of
report gets its .docx with no template of its own.

What the HTML says, Word says in its own terms: the `.cover` section is a
title page (its "prepared by" line in the first page's footer), the
contents are Word's TOC field (its cached result already lists the section
headings, so the draft reads right before the field is updated),
`h2.section` headings are Heading 1, numbered I., II., … as the PDF's CSS
counters number them, `h3` Heading 2; tables keep a bold header row that
repeats on each page and rows that never split; lists are Word lists; a
link is its text; a chart (inline SVG) gives way to its caption. The page
header carries the network and the period, the footer the page number.
Nothing is fetched, and no text is escaped by hand: python-docx writes it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html.parser import HTMLParser

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
MONO = "Liberation Mono"
BLUE = RGBColor(0x0B, 0x53, 0x94)
INK = RGBColor(0x11, 0x11, 0x11)
GREY = RGBColor(0x55, 0x55, 0x55)
HEADER_FILL = "EEF3F9"
RULE = "BBBBBB"

# A4 with the PDF's margins (static/css/report-pdf.css: 24mm 22mm 22mm 22mm).
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = Mm(24), Mm(22), Mm(22)
TEXT_W = PAGE_W - 2 * MARGIN_SIDE

# The spelling language of the draft, from <html lang>.
LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


# --- the HTML as a small tree -------------------------------------------------------------

VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr", "area", "base", "source"}
# Elements whose content is never text of the document.
SKIP = {"head", "style", "script", "title", "svg", "template", "noscript", "img"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip
# A start tag of these closes an open <p> (as an HTML parser would).
CLOSES_P = BLOCKS - {"li", "dd", "dt", "figcaption"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def walk(self):
        for child in self.elements():
            yield child
            yield from child.walk()

    def find(self, tag: str, cls: str | None = None) -> Node | None:
        for node in self.walk():
            if node.tag == tag and (cls is None or cls in node.classes):
                return node
        return None

    def text(self) -> str:
        parts: list[str] = []

        def collect(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in SKIP:
                    collect(child)

        collect(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    """Builds the tree forgivingly: an end tag closes the nearest open
    element of its name (a stray one is ignored), and the implied ends of
    <p>, <li>, <tr>, <td> and <th> are supplied."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def _close_to(self, names: set[str], stop: set[str]) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in stop:
                return
            if tag in names:
                del self.stack[i:]
                return

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in CLOSES_P:
            self._close_to({"p"}, stop=BLOCKS - {"p"})
        if tag == "li":
            self._close_to({"li"}, stop={"ul", "ol"})
        elif tag == "tr":
            self._close_to({"tr"}, stop={"table"})
        elif tag in ("td", "th"):
            self._close_to({"td", "th"}, stop={"tr", "table"})
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    small: bool = False
    muted: bool = False
    mono: bool = False
    underline: bool = False
    strike: bool = False
    sup: bool = False
    sub: bool = False


INLINE_FMT = {
    "strong": {"bold": True},
    "b": {"bold": True},
    "em": {"italic": True},
    "i": {"italic": True},
    "cite": {"italic": True},
    "code": {"mono": True},
    "kbd": {"mono": True},
    "u": {"underline": True},
    "ins": {"underline": True},
    "s": {"strike": True},
    "del": {"strike": True},
    "sup": {"sup": True},
    "sub": {"sub": True},
}

BREAK = object()  # a <br> among the runs of a paragraph


def _with_classes(fmt: Fmt, node: Node) -> Fmt:
    changes = dict(INLINE_FMT.get(node.tag, {}))
    if "small" in node.classes:
        changes["small"] = True
    if "muted" in node.classes:
        changes["muted"] = True
    return replace(fmt, **changes) if changes else fmt


class Styles:
    """The paragraph style for the next paragraph of a flow: the first
    paragraph of a list item takes the list's style, the ones after it
    continue the item without a new bullet."""

    def __init__(self, first: str, rest: str | None = None, num_id: int | None = None) -> None:
        self.first, self.rest, self.num_id = first, rest or first, num_id
        self.used = False

    def take(self) -> tuple[str, int | None]:
        if self.used:
            return self.rest, None
        self.used = True
        return self.first, self.num_id


@dataclass(frozen=True)
class Ctx:
    styles: Styles
    fmt: Fmt = Fmt()
    align: WD_ALIGN_PARAGRAPH | None = None
    in_cell: bool = False
    narrative: bool = False
    list_level: int = -1  # not in a list
    keep: bool = False


class Box:
    """Where paragraphs and tables go: the document's body or a table cell
    (whose first, empty paragraph is used before a new one is added)."""

    def __init__(self, target) -> None:
        self.target = target
        self.fresh = target.paragraphs[0] if isinstance(target, _Cell) else None

    def paragraph(self, style: str):
        if self.fresh is not None:
            paragraph, self.fresh = self.fresh, None
            paragraph.style = style
            return paragraph
        return self.target.add_paragraph(style=style)

    def table(self, rows: int, cols: int):
        return self.target.add_table(rows, cols)


def roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out, n = out + letters, n - value
    return out


_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break space, which stays


def _normalise(pending: list) -> list:
    """The runs of a paragraph with HTML's white space: collapsed, none at
    the start or the end of a line, same-formatted runs joined."""
    out: list = []
    line_start = True
    for item in pending:
        if item is BREAK:
            _rstrip(out)
            out.append(BREAK)
            line_start = True
            continue
        text, fmt = item
        text = _SPACES.sub(" ", text)
        if line_start or (out and out[-1] is not BREAK and out[-1][0].endswith(" ")):
            text = text.lstrip(" ")
        if not text:
            continue
        if out and out[-1] is not BREAK and out[-1][1] == fmt:
            out[-1] = (out[-1][0] + text, fmt)
        else:
            out.append((text, fmt))
        line_start = False
    _rstrip(out)
    while out and out[-1] is BREAK:
        out.pop()
        _rstrip(out)
    return out


def _rstrip(out: list) -> None:
    while out and out[-1] is not BREAK:
        text, fmt = out[-1]
        text = text.rstrip(" ")
        if text:
            out[-1] = (text, fmt)
            return
        out.pop()


def _fonts(element, name: str) -> None:
    """Set a font on a style's or the defaults' rPr, for every script, and
    drop the theme fonts that would otherwise win over it."""
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _style(doc, name: str, *, base: str | None = None):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = doc.styles[base]
        return style


def _set(style, *, font=None, size=None, color=None, bold=None, italic=None) -> None:
    if font:
        _fonts(style.element, font)
    if size is not None:
        style.font.size = Pt(size)
    if color is not None:
        style.font.color.rgb = color
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def _setup_styles(doc, language: str) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, SERIF)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)

    normal = doc.styles["Normal"]
    _set(normal, font=SERIF, size=10.5, color=INK)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.widow_control = True

    h1 = doc.styles["Heading 1"]
    _set(h1, font=SANS, size=13, color=BLUE, bold=True)
    h1.paragraph_format.space_before = Pt(18)
    h1.paragraph_format.space_after = Pt(8)
    h2 = doc.styles["Heading 2"]
    _set(h2, font=SANS, size=11, color=INK, bold=True)
    h2.paragraph_format.space_before = Pt(12)
    h2.paragraph_format.space_after = Pt(4)
    for name in ("Heading 3", "Heading 4"):
        heading = doc.styles[name]
        _set(heading, font=SANS, size=10.5, color=INK, bold=True, italic=name == "Heading 4")
        heading.paragraph_format.space_before = Pt(8)
        heading.paragraph_format.space_after = Pt(3)

    title = doc.styles["Title"]
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    _set(title, font=SERIF, size=24, color=INK)
    title.paragraph_format.space_before = Mm(60)
    title.paragraph_format.space_after = Mm(6)

    network = _style(doc, "Cover Network", base="Normal")
    _set(network, font=SANS, size=9, color=BLUE)
    network.font.all_caps = True
    cover = _style(doc, "Cover Line", base="Normal")
    _set(cover, font=SANS, size=12, color=RGBColor(0x33, 0x33, 0x33))
    cover.paragraph_format.space_after = Pt(4)

    contents = doc.styles["TOC Heading"]
    _set(contents, font=SANS, size=13, color=BLUE, bold=True)
    toc = _style(doc, "toc 1", base="Normal")
    # Word's own style for the contents' entries (its id and no custom
    # mark), so updating the field keeps this look.
    toc.element.set(qn("w:styleId"), "TOC1")
    toc.element.attrib.pop(qn("w:customStyle"), None)
    _set(toc, font=SANS, size=10)
    toc.paragraph_format.space_after = Pt(4)
    toc.paragraph_format.tab_stops.add_tab_stop(
        TEXT_W, WD_TAB_ALIGNMENT.RIGHT, leader=WD_TAB_LEADER.DOTS
    )

    table_text = _style(doc, "Table Text", base="Normal")
    _set(table_text, font=SANS, size=9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0

    caption = doc.styles["Caption"]
    _set(caption, font=SANS, size=8, color=RGBColor(0x44, 0x44, 0x44), bold=False, italic=True)
    caption.paragraph_format.space_after = Pt(10)

    note = _style(doc, "Note", base="Normal")
    _set(note, font=SANS, size=8.5, color=RGBColor(0x44, 0x44, 0x44))

    _set(doc.styles["Quote"], font=SERIF, color=RGBColor(0x33, 0x33, 0x33))
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2"):
        doc.styles[name].paragraph_format.space_after = Pt(3)
    for name in ("Header", "Footer"):
        style = doc.styles[name]
        _set(style, font=SANS, size=7.5 if name == "Header" else 8, color=GREY)
        style.paragraph_format.tab_stops.clear_all()
        ppr = style.element.get_or_add_pPr()
        tabs = ppr.find(qn("w:tabs"))
        if tabs is not None:
            ppr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(TEXT_W, WD_TAB_ALIGNMENT.RIGHT)


def _field_runs(paragraph, instruction: str):
    """The start of a complex field in `paragraph`; the caller writes its
    cached result and ends it with `_field_end`."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def _field_end(paragraph) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(char)


def _row_props(row, *, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _rules(table) -> None:
    """Thin rules between the rows, as the PDF draws them; no verticals."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if side in ("left", "right", "insideV"):
            edge.set(qn("w:val"), "nil")
        else:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), RULE)
        borders.append(edge)
    tblpr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
        "w:tblDescription", "w:tblPrChange",
    )  # fmt: skip
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(width))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


class Writer:
    def __init__(self, root: Node) -> None:
        self.root = root
        html = root.find("html")
        lang = (html.attrs.get("lang", "en") if html else "en").split("-")[0].lower()
        self.language = LANGUAGES.get(lang, "en-GB")
        self.doc = Document()
        _setup_styles(self.doc, self.language)
        self.sections = 0  # the h2.section headings written so far
        self.break_before = False  # the next paragraph starts a page

    # -- the whole document

    def write(self) -> bytes:
        body = self.root.find("body") or self.root
        cover = body.find("section", "cover")
        self._page(cover)
        if cover is not None:
            self._cover(cover)
            self.break_before = True
        for child in body.children:
            if isinstance(child, Node) and child is cover:
                continue
            if isinstance(child, Node) and child.tag == "nav" and "toc" in child.classes:
                self._contents(child, body)
                continue
            self._flow([child], Box(self.doc), Ctx(Styles("Normal")))
        self._properties(cover)
        self._drop_thumbnail()
        self._update_fields_on_open()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _page(self, cover: Node | None) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE_W, PAGE_H
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin = section.right_margin = MARGIN_SIDE
        section.header_distance = section.footer_distance = Mm(12)
        network = cover.find("div", "org").text() if cover and cover.find("div", "org") else ""
        period = cover.find("div", "span") if cover else None
        header = section.header.paragraphs[0]
        header.style = "Header"
        header.add_run(network)
        if period is not None:
            header.add_run("\t" + period.text())
        footer = section.footer.paragraphs[0]
        footer.style = "Footer"
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field_runs(footer, " PAGE ")
        footer.add_run("1")
        _field_end(footer)
        # The title page has neither: only the line saying who prepared it.
        section.different_first_page_header_footer = True
        foot = cover.find("div", "foot") if cover else None
        if foot is not None:
            line = section.first_page_footer.paragraphs[0]
            line.style = "Footer"
            line.add_run(foot.text())
            _border(line, "top")

    def _cover(self, cover: Node) -> None:
        for child in cover.elements():
            if "foot" in child.classes:
                continue  # in the first page's footer
            if "org" in child.classes:
                style = "Cover Network"
            elif child.tag == "h1":
                style = "Title"
            else:
                style = "Cover Line"
            self._paragraph(child.children, Box(self.doc), Ctx(Styles(style)))

    def _contents(self, nav: Node, body: Node) -> None:
        heading = nav.find("h2")
        p = self.doc.add_paragraph(heading.text() if heading else "", style="TOC Heading")
        p.paragraph_format.page_break_before = True
        self.break_before = True  # and the body starts on the next page
        titles = [
            h.text()
            for h in body.walk()
            if h.tag == "h2" and "section" in h.classes and not _inside(body, h, "nav")
        ]
        if not titles:
            return
        entries = [self.doc.add_paragraph(style="toc 1") for _ in titles]
        _field_runs(entries[0], ' TOC \\o "1-1" \\h \\z \\u ')
        for i, (entry, title) in enumerate(zip(entries, titles, strict=True), start=1):
            entry.add_run(f"{roman(i)}. {title}")
        _field_end(entries[-1])

    def _properties(self, cover: Node | None) -> None:
        props = self.doc.core_properties
        title = cover.find("h1") if cover else None
        org = cover.find("div", "org") if cover else None
        props.title = title.text() if title else ""
        props.author = org.text() if org else ""
        props.subject = props.keywords = props.comments = props.category = ""
        props.last_modified_by = props.author
        props.language = self.language
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        props.created = props.modified = now
        props.revision = 1

    def _drop_thumbnail(self) -> None:
        """python-docx's template carries a picture of its own first page."""
        rels = self.doc.part.package.rels
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith("/metadata/thumbnail"):
                rels.pop(rid)

    def _update_fields_on_open(self) -> None:
        """Word fills the contents with page numbers when it opens the draft."""
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # The schema's order: updateFields comes before these.
        after = (
            "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
            "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
            "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
            "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
            "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
        )  # fmt: skip
        for child in settings:
            local = child.tag.rsplit("}", 1)[-1]
            if local in after:
                child.addprevious(update)
                return
        settings.append(update)

    # -- flows of blocks and inline content

    def _flow(self, children: list, box: Box, ctx: Ctx) -> None:
        pending: list = []
        for child in children:
            if isinstance(child, str):
                pending.append((child, ctx.fmt))
            elif child.tag in SKIP:
                continue
            elif child.tag in BLOCKS:
                self._emit(pending, box, ctx)
                pending = []
                self._block(child, box, ctx)
            else:
                self._inline(child, ctx.fmt, pending)
        self._emit(pending, box, ctx)

    def _inline(self, node: Node, fmt: Fmt, pending: list) -> None:
        if node.tag in SKIP:
            return
        if node.tag == "br":
            pending.append(BREAK)
            return
        fmt = _with_classes(fmt, node)
        for child in node.children:
            if isinstance(child, str):
                pending.append((child, fmt))
            else:
                self._inline(child, fmt, pending)

    def _emit(self, pending: list, box: Box, ctx: Ctx, *, prefix: str = ""):
        runs = _normalise(([(prefix, ctx.fmt)] if prefix else []) + pending)
        if not runs:
            return None
        style, num_id = ctx.styles.take()
        paragraph = box.paragraph(style)
        if num_id is not None:
            _number(paragraph, num_id)
        if ctx.align is not None:
            paragraph.alignment = ctx.align
        if ctx.keep:
            paragraph.paragraph_format.keep_together = True
        if self.break_before and not ctx.in_cell:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False
        for item in runs:
            if item is BREAK:
                paragraph.add_run().add_break()
                continue
            text, fmt = item
            run = paragraph.add_run(text)
            if fmt.bold:
                run.bold = True
            if fmt.italic:
                run.italic = True
            if fmt.small:
                run.font.size = Pt(8 if ctx.in_cell else 8.5)
            if fmt.muted:
                run.font.color.rgb = GREY
            if fmt.mono:
                run.font.name = MONO
            if fmt.underline:
                run.underline = True
            if fmt.strike:
                run.font.strike = True
            if fmt.sup:
                run.font.superscript = True
            if fmt.sub:
                run.font.subscript = True
        return paragraph

    def _paragraph(self, children: list, box: Box, ctx: Ctx, *, prefix: str = ""):
        pending: list = []
        for child in children:
            if isinstance(child, str):
                pending.append((child, ctx.fmt))
            else:
                self._inline(child, ctx.fmt, pending)
        return self._emit(pending, box, ctx, prefix=prefix)

    def _block(self, node: Node, box: Box, ctx: Ctx) -> None:
        tag, classes = node.tag, node.classes
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return self._heading(node, box, ctx)
        if tag in ("ul", "ol"):
            return self._list(node, box, ctx)
        if tag == "table":
            return self._table(node, box, ctx)
        if tag == "hr":
            return None
        if tag == "pre":
            text = "".join(c for c in _texts(node))
            pending: list = []
            for i, line in enumerate(text.strip("\n").split("\n")):
                if i:
                    pending.append(BREAK)
                pending.append((line.replace(" ", "\u00a0"), replace(ctx.fmt, mono=True)))
            return self._emit(pending, box, ctx)
        fmt = _with_classes(ctx.fmt, node)
        inner = replace(ctx, fmt=fmt, keep=ctx.keep or "keep" in classes)
        if "num" in classes:
            inner = replace(inner, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if "narrative" in classes:
            inner = replace(inner, narrative=True)
        if tag == "figcaption":
            inner = replace(inner, styles=Styles("Table Text" if ctx.in_cell else "Caption"))
        elif tag == "blockquote":
            inner = replace(inner, styles=Styles("Quote"))
        elif tag == "dt":
            inner = replace(inner, fmt=replace(fmt, bold=True))
        elif "note" in classes and not ctx.in_cell:
            inner = replace(inner, styles=Styles("Note"))
        # Otherwise the same styles go on: the second paragraph of a list
        # item continues the item.
        self._flow(node.children, box, inner)
        return None

    def _heading(self, node: Node, box: Box, ctx: Ctx) -> None:
        level = int(node.tag[1])
        if ctx.in_cell:
            self._paragraph(node.children, box, replace(ctx, fmt=replace(ctx.fmt, bold=True)))
            return
        prefix = ""
        if ctx.narrative:
            style = "Heading 3"  # a heading the chair typed inside the narrative
        elif node.tag == "h2" and "section" in node.classes:
            self.sections += 1
            style, prefix = "Heading 1", f"{roman(self.sections)}. "
        else:
            style = {1: "Heading 1", 2: "Heading 2", 3: "Heading 2", 4: "Heading 3"}.get(
                level, "Heading 4"
            )
        self._paragraph(node.children, box, replace(ctx, styles=Styles(style)), prefix=prefix)

    def _list(self, node: Node, box: Box, ctx: Ctx) -> None:
        ordered = node.tag == "ol"
        level = min(ctx.list_level + 1, 2)  # Word's list styles go three deep
        if ctx.in_cell:
            # A list inside a table cell: its items as lines of the cell.
            for item in node.elements():
                if item.tag == "li":
                    self._paragraph(
                        ["• ", *item.children], box, replace(ctx, styles=Styles("Table Text"))
                    )
            return
        suffix = "" if level == 0 else f" {level + 1}"
        style = ("List Number" if ordered else "List Bullet") + suffix
        rest = "List Continue" + suffix
        try:
            start = int(node.attrs.get("start", "1"))
        except ValueError:
            start = 1
        num_id = self._restart(style, start) if ordered else None
        for item in node.elements():
            if item.tag != "li":
                self._block(item, box, ctx)
                continue
            item_ctx = replace(
                ctx,
                styles=Styles(style, rest, num_id),
                list_level=level,
                keep=ctx.keep or "keep" in item.classes,
                fmt=_with_classes(ctx.fmt, item),
            )
            self._flow(item.children, box, item_ctx)

    def _restart(self, style: str, start: int) -> int:
        """A numbered list of its own, counting from `start`: a new w:num on
        the style's numbering, with its first level restarted."""
        numbering = self.doc.part.numbering_part.element
        style_num = self.doc.styles[style].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        return num.numId

    def _table(self, node: Node, box: Box, ctx: Ctx) -> None:
        rows: list[tuple[bool, list[Node]]] = []
        for part in node.elements():
            if part.tag == "tr":
                rows.append((False, _cells(part)))
            elif part.tag in ("thead", "tbody", "tfoot"):
                for tr in part.elements():
                    if tr.tag == "tr":
                        rows.append((part.tag == "thead", _cells(tr)))
        rows = [(head, cells) for head, cells in rows if cells]
        if not rows:
            return
        cols = max(sum(_span(c) for c in cells) for _head, cells in rows)
        table = box.table(len(rows), cols)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _rules(table)
        width = TEXT_W if not ctx.in_cell else box.target.width or TEXT_W
        widths = _widths(rows, cols, width)
        for column, w in zip(table.columns, widths, strict=True):
            column.width = w
        for (head, cells), row in zip(rows, table.rows, strict=True):
            _row_props(row, header=head)
            col = 0
            for cell_node in cells:
                span = min(_span(cell_node), cols - col)
                cell = row.cells[col]
                if span > 1:
                    cell = cell.merge(row.cells[col + span - 1])
                cell.width = sum(widths[col : col + span])
                fmt = replace(ctx.fmt, bold=ctx.fmt.bold or cell_node.tag == "th" or head)
                fmt = _with_classes(fmt, cell_node)
                cell_ctx = Ctx(
                    Styles("Table Text"),
                    fmt=fmt,
                    align=WD_ALIGN_PARAGRAPH.RIGHT if "num" in cell_node.classes else None,
                    in_cell=True,
                )
                cell_box = Box(cell)
                self._flow(cell_node.children, cell_box, cell_ctx)
                if cell_box.fresh is not None:
                    cell_box.fresh.style = "Table Text"
                if head:
                    _shade(cell, HEADER_FILL)
                col += span
            for rest in range(col, cols):
                row.cells[rest].width = widths[rest]
                row.cells[rest].paragraphs[0].style = "Table Text"
        if not ctx.in_cell:
            # Room under the table before the next paragraph.
            spacer = box.paragraph("Normal")
            spacer.paragraph_format.space_after = Pt(2)
            spacer.paragraph_format.line_spacing = Pt(6)


def _texts(node: Node):
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag == "br":
            yield "\n"
        elif child.tag not in SKIP:
            yield from _texts(child)


def _inside(root: Node, target: Node, tag: str) -> bool:
    def search(node: Node, under: bool) -> bool | None:
        for child in node.elements():
            here = under or child.tag == tag
            if child is target:
                return here
            found = search(child, here)
            if found is not None:
                return found
        return None

    return bool(search(root, False))


def _cells(tr: Node) -> list[Node]:
    return [c for c in tr.elements() if c.tag in ("td", "th")]


def _span(cell: Node) -> int:
    try:
        return max(1, int(cell.attrs.get("colspan", "1")))
    except ValueError:
        return 1


# A character of the tables' 9pt Liberation Sans, on average, and a cell's
# margins with a little room.
CHAR, PAD = Mm(1.75), Mm(4)


def _widths(rows, cols: int, total: int) -> list[int]:
    """Column widths by what each column holds: each at least as wide as
    its longest word (a column that may not wrap, a date's, as its longest
    entry), the room left shared by how much the columns say, a long text
    counting as no more than 48 characters."""
    floor = [int(CHAR * 3 + PAD)] * cols
    weight = [3.0] * cols
    for _head, cells in rows:
        col = 0
        for cell in cells:
            if _span(cell) == 1 and col < cols:
                text = cell.text()
                if "nowrap" in cell.classes:
                    unbroken = len(text)
                else:
                    unbroken = max((len(w) for w in text.split()), default=0)
                floor[col] = max(floor[col], int(CHAR * unbroken + PAD))
                weight[col] = max(weight[col], min(len(text), 48))
            col += _span(cell)
    if sum(floor) >= total:  # too many columns: each its share of the floors
        widths = [int(total * f / sum(floor)) for f in floor]
    else:
        # Columns whose share would fall below their floor get the floor;
        # the others share what is left, until no share falls short.
        fixed: set[int] = set()
        while True:
            left = total - sum(floor[c] for c in fixed)
            free = [c for c in range(cols) if c not in fixed]
            share = sum(weight[c] for c in free)
            short = {c for c in free if left * weight[c] / share < floor[c]}
            if not short:
                break
            fixed |= short
        widths = [floor[c] if c in fixed else int(left * weight[c] / share) for c in range(cols)]
    widths[-1] += total - sum(widths)
    return widths


def _number(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


# What follows w:pBdr in a w:pPr (the schema's order, which Word holds to).
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _border(paragraph, side: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), "4")
    edge.set(qn("w:space"), "4")
    edge.set(qn("w:color"), "999999")
    borders.append(edge)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDER)


def html_to_docx(html: str) -> bytes:
    """The report's HTML (as `builder.render_html` gives it) as a .docx."""
    return Writer(parse(html)).write()
