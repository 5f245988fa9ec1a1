"""What an uploaded file is, by its content, never by its name: a PDF, a Word (.docx) or an
Excel (.xlsx) file, or refused with a reason.

- PDF: the bytes start with ``%PDF-``.
- .docx / .xlsx: a ZIP (read with ``zipfile``, nothing extracted) holding ``[Content_Types].xml``
  and ``word/document.xml`` or ``xl/workbook.xml``; a macro project (``vbaProject.bin``) is
  refused. A ZIP bomb is refused from its directory alone: too many entries, more than
  ``UNPACKED_BYTES`` unpacked in all, or an entry packed more than ``MAX_RATIO`` times.

An .exe renamed .docx is an ``MZ`` file, not a ZIP: refused. The file's name is only kept for
its stem; its extension is the one its content says (a PDF named .docx is stored as .pdf).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

FILE_BYTES = 10 * 1024 * 1024  # the largest file an organizer may publish
UNPACKED_BYTES = 100 * 1024 * 1024  # a .docx/.xlsx unpacking to more is a bomb
MAX_RATIO = 100  # an entry packed more than this (over RATIO_FLOOR bytes unpacked) is a bomb
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 2000
NAME_LENGTH = 80  # characters of the file name's stem kept

PDF = ("application/pdf", ".pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
OFFICE_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


class UploadRefused(ValueError):
    """The file is not one we publish. ``reason``: ``empty``, ``too_large``, ``not_allowed``
    (not a PDF, .docx or .xlsx: an executable, an image, an old .doc…), ``not_office`` (a ZIP
    that is no Word or Excel file), ``macros``, ``bomb``, ``damaged``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str


def file_type(content: bytes, limit: int = FILE_BYTES) -> FileType:
    """The type of ``content`` (PDF, .docx, .xlsx), or UploadRefused."""
    if not content:
        raise UploadRefused("empty")
    if len(content) > limit:
        raise UploadRefused("too_large")
    if content.startswith(b"%PDF-"):
        return FileType(*PDF)
    if not content.startswith(b"PK\x03\x04"):
        raise UploadRefused("not_allowed")
    return FileType(*_office(content))


def _office(content: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
        raise UploadRefused("damaged") from exc  # no ZIP, or a malformed directory
    _not_a_bomb(entries)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise UploadRefused("not_office")
    if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names):
        raise UploadRefused("macros")
    found = [kind for part, kind in OFFICE_PARTS.items() if part in names]
    if len(found) != 1:
        raise UploadRefused("not_office")
    return found[0]


def _not_a_bomb(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse from the ZIP's directory, nothing unpacked."""
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused("bomb")
    if sum(entry.file_size for entry in entries) > UNPACKED_BYTES:
        raise UploadRefused("bomb")
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise UploadRefused("bomb")


def stored_name(uploaded: str, kind: FileType, fallback: str) -> str:
    """The file's name as enterprises get it: the uploaded name's stem (no folders, no control
    characters, at most NAME_LENGTH characters; ``fallback`` when nothing is left) with the
    extension of its content."""
    base = PurePosixPath((uploaded or "").replace("\\", "/")).name
    stem = base[: -len(PurePosixPath(base).suffix)] if PurePosixPath(base).suffix else base
    stem = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", stem).strip(" .")[:NAME_LENGTH]
    if not stem:
        stem = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", fallback).strip(" .")[:NAME_LENGTH]
    return (stem or "file") + kind.extension
