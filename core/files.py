"""Uploaded files: what is inside them, the names they are stored under, and
how they are handed back.

An upload's name and declared type are the sender's word; its bytes are not.
`content_matches` reads the first bytes (and, for the zip-based Office and
OpenDocument formats, the zip's table of contents) and says whether they are
a file of the kind the suffix claims, so an HTML page or an SVG picture
renamed `.pdf` is refused. Files are stored under a name the server makes
(`server_file_name`), never the sender's, and served as attachments that the
browser may not sniff into something else (`protected_file_response`).

Apps that take uploads (members' application documents, workplans' progress
evidence) pick the suffixes they accept from `CONTENT_TYPES` and ask here.
"""

from __future__ import annotations

import unicodedata
import uuid
import zipfile
from pathlib import PurePath
from typing import IO

from django.core.files import File
from django.http import FileResponse

# What we serve each accepted suffix as.
CONTENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".rtf": "application/rtf",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, .xls, .ppt
_SIGNATURES: dict[str, bytes] = {
    ".pdf": b"%PDF-",
    ".doc": _OLE2,
    ".xls": _OLE2,
    ".ppt": _OLE2,
    ".rtf": b"{\\rtf",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
# Office Open XML: a zip with a content-types part and the format's main part.
_OOXML_PARTS: dict[str, str] = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
# OpenDocument: a zip whose `mimetype` entry names the format.
_ODF_MIMETYPES: dict[str, bytes] = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
# Plain text must not be markup a browser (or a careless reader) would run.
_MARKUP = (b"<html", b"<!doctype", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe", b"<head")
_TEXT_SNIFF_BYTES = 64 * 1024


def suffix_of(name: str) -> str:
    """The lower-cased suffix of a file name (".pdf"), "" when it has none."""
    return PurePath(name or "").suffix.lower()


def _head(upload: IO[bytes], size: int) -> bytes:
    position = upload.tell()
    upload.seek(0)
    try:
        return upload.read(size)
    finally:
        upload.seek(position)


def _zip_entries_match(upload: IO[bytes], suffix: str) -> bool:
    """Only the zip's table of contents is read (and, for OpenDocument, the
    few bytes of its `mimetype` entry): nothing is unpacked."""
    position = upload.tell()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if suffix in _OOXML_PARTS:
                return "[Content_Types].xml" in names and _OOXML_PARTS[suffix] in names
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as entry:
                return entry.read(100).strip() == _ODF_MIMETYPES[suffix]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return False
    finally:
        upload.seek(position)


def _is_plain_text(upload: IO[bytes]) -> bool:
    head = _head(upload, _TEXT_SNIFF_BYTES)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut in two at the end of the sample is still text.
        if error.start < len(head) - 3:
            return False
    lowered = head.lower()
    return not any(tag in lowered for tag in _MARKUP)


def content_matches(upload: IO[bytes], suffix: str) -> bool:
    """Are the bytes of `upload` a file of the kind `suffix` names? False for
    a suffix this module does not know. The read position is kept."""
    suffix = suffix.lower()
    if suffix in _SIGNATURES:
        return _head(upload, len(_SIGNATURES[suffix])) == _SIGNATURES[suffix]
    if suffix in _OOXML_PARTS or suffix in _ODF_MIMETYPES:
        return _head(upload, 4) == b"PK\x03\x04" and _zip_entries_match(upload, suffix)
    if suffix == ".txt":
        return _is_plain_text(upload)
    return False


def server_file_name(original: str) -> str:
    """A name the server makes for a stored upload: random, with the
    original's suffix when it is one we know (else none)."""
    suffix = suffix_of(original)
    return uuid.uuid4().hex + (suffix if suffix in CONTENT_TYPES else "")


def safe_download_name(name: str, *, suffix: str = "", max_length: int = 120) -> str:
    """A file name fit for Content-Disposition, from a name a user gave: no
    folders, no control or quote characters, not too long, ending in
    `suffix` when one is given."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(
        " " if unicodedata.category(ch).startswith(("C", "Z")) else ch
        for ch in unicodedata.normalize("NFC", base)
    )
    base = " ".join(base.replace('"', "'").replace(";", ",").split()).strip(" .")
    suffix = suffix.lower()
    stem = base[: -len(suffix)] if suffix and suffix_of(base) == suffix else base
    stem = stem[: max_length - len(suffix)].strip(" .") or "document"
    return stem + suffix


def protected_file_response(file: File, *, filename: str, content_type: str) -> FileResponse:
    """A stored upload as a download: always an attachment, with the type we
    decided (not one guessed from the name), and `nosniff` so the browser
    never renders it as something else."""
    file.open("rb")
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
