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
evidence, agenda papers, task teams' terms of reference) pick the suffixes
they accept from `CONTENT_TYPES` and ask here. Their file fields store under
`UploadTo(folder)`; the sender's name, cleaned, is kept beside the file
(`KeepsUploadNames`) and offered back only as the download's name
(`stored_file_response`). The admin's forms check uploads the same way
(core/admin.py, `CheckedUploadsForm`).
"""

from __future__ import annotations

import unicodedata
import uuid
import zipfile
from pathlib import PurePath
from typing import IO, Any, ClassVar

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

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


def upload_problem(upload: IO[bytes], *, accepted=CONTENT_TYPES) -> str | None:
    """Why `upload` is refused, or None: its suffix must be one of `accepted`
    and its bytes what that suffix says. The apps' forms add their own limits
    (size, kinds); this is the floor every upload, the admin's too, stands on."""
    name = PurePath(str(getattr(upload, "name", "") or "")).name
    suffix = suffix_of(name)
    if suffix not in accepted:
        return _(
            "%(name)s is not a kind of file we keep: attach a PDF, an Office or "
            "OpenDocument file, plain text or a picture."
        ) % {"name": name}
    if not content_matches(upload, suffix):
        return _("%(name)s is not really a %(kind)s file, so nothing was saved.") % {
            "name": name,
            "kind": suffix[1:].upper(),
        }
    return None


@deconstructible
class UploadTo:
    """The `upload_to` of every file field: the file goes into `folder`
    under a name the server makes (`server_file_name`), never the sender's.
    `folder` may name the instance's attributes (`"meetings/{instance.meeting_id}"`)
    and date codes (`"workplans/evidence/%Y"`)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        folder = timezone.now().strftime(self.folder).format(instance=instance)
        stored = f"{folder}/{server_file_name(filename)}"
        # For `KeepsUploadNames`, when the file is stored before the model
        # is saved (`instance.file.save(name, content)`).
        vars(instance).setdefault("_upload_original_names", {})[stored] = filename
        return stored

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def upload_display_name(name: str) -> str:
    """The sender's file name as we keep it: no folders, cleaned, ending in
    its (lower-cased) suffix."""
    return safe_download_name(name, suffix=suffix_of(name), max_length=200)


class KeepsUploadNames:
    """Model mixin: `upload_names = {"paper": "paper_name"}` keeps, when a new
    upload in `paper` is saved, the sender's name (cleaned) in `paper_name`,
    as the file itself is stored under a random name (`UploadTo`); a file
    taken away takes its name with it."""

    upload_names: ClassVar[dict[str, str]] = {}

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        stored_now = vars(self).pop("_upload_original_names", {})
        for field, name_field in self.upload_names.items():
            file: FieldFile = getattr(self, field)
            if file and not file._committed:  # a new upload, not stored yet
                setattr(self, name_field, upload_display_name(file.name))
            elif file and file.name in stored_now:  # stored by `file.save(name, content)`
                setattr(self, name_field, upload_display_name(stored_now[file.name]))
            elif not file:
                setattr(self, name_field, "")
            else:
                continue
            if update_fields is not None and field in update_fields:
                kwargs["update_fields"] = {*kwargs["update_fields"], name_field}
        super().save(*args, **kwargs)  # type: ignore[misc]
        vars(self).pop("_upload_original_names", None)


def stored_file_response(file: FieldFile, *, name: str = "") -> FileResponse:
    """A stored upload as the download every app gives: an attachment under
    the sender's name (`name`, cleaned; the stored name for files kept
    before names were), of the type its checked suffix names, never sniffed.
    A file missing from the storage is a 404."""
    suffix = suffix_of(file.name)
    try:
        return protected_file_response(
            file,
            filename=safe_download_name(name or PurePath(file.name).name, suffix=suffix),
            content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        )
    except FileNotFoundError as exc:
        raise Http404 from exc
