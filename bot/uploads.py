"""What an uploaded file is, by its content, never by its name: a PDF, a Word (.docx) or an
Excel (.xlsx) file, or refused with a reason.

- PDF: the bytes start with ``%PDF-``.
- .docx / .xlsx: a ZIP (read with ``zipfile``, nothing extracted) holding ``[Content_Types].xml``
  and ``word/document.xml`` or ``xl/workbook.xml``; a macro project (``vbaProject.bin``) is
  refused. A ZIP bomb is refused from its directory alone: too many entries, more than
  ``UNPACKED_BYTES`` unpacked in all, or an entry packed more than ``MAX_RATIO`` times.

An .exe renamed .docx is an ``MZ`` file, not a ZIP: refused. The file's name is only kept for
its stem; its extension is the one its content says (a PDF named .docx is stored as .pdf).

``draft_text`` reads the text of a case draft a visitor uploads (the web page's 上传草稿), with
the same checks and tighter limits: python-docx for .docx (its parser resolves no entities),
pypdf for PDF (an encrypted or damaged file, or one of more than ``DRAFT_PAGES`` pages, is
refused); nothing is written anywhere.
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


DRAFT_BYTES = 10 * 1024 * 1024  # the largest draft a visitor may upload
DRAFT_UNPACKED = 30 * 1024 * 1024  # a draft .docx unpacking to more is a bomb
DRAFT_PAGES = 100
NAME_SHOWN = 60  # characters of an uploaded file's name shown in the conversation


class UploadRefused(ValueError):
    """The file is not one we publish. ``reason``: ``empty``, ``too_large``, ``not_allowed``
    (not a PDF, .docx or .xlsx: an executable, an image, an old .doc…), ``not_office`` (a ZIP
    that is no Word or Excel file), ``macros``, ``bomb``, ``damaged``; for a draft also
    ``encrypted`` and ``xlsx`` (a spreadsheet is no draft)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str


def file_type(content: bytes, limit: int = FILE_BYTES, unpacked: int = UNPACKED_BYTES) -> FileType:
    """The type of ``content`` (PDF, .docx, .xlsx), or UploadRefused."""
    if not content:
        raise UploadRefused("empty")
    if len(content) > limit:
        raise UploadRefused("too_large")
    if content.startswith(b"%PDF-"):
        return FileType(*PDF)
    if not content.startswith(b"PK\x03\x04"):
        raise UploadRefused("not_allowed")
    return FileType(*_office(content, unpacked))


def _office(content: bytes, unpacked: int = UNPACKED_BYTES) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
        raise UploadRefused("damaged") from exc  # no ZIP, or a malformed directory
    _not_a_bomb(entries, unpacked)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise UploadRefused("not_office")
    if any(PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names):
        raise UploadRefused("macros")
    found = [kind for part, kind in OFFICE_PARTS.items() if part in names]
    if len(found) != 1:
        raise UploadRefused("not_office")
    return found[0]


def _not_a_bomb(entries: list[zipfile.ZipInfo], unpacked: int = UNPACKED_BYTES) -> None:
    """Refuse from the ZIP's directory, nothing unpacked."""
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused("bomb")
    if sum(entry.file_size for entry in entries) > unpacked:
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


def shown_name(uploaded: str) -> str:
    """An uploaded draft's name as the conversation shows it: the base name, no control
    characters or angle brackets, at most NAME_SHOWN characters; 草稿 for none."""
    base = PurePosixPath((uploaded or "").replace("\\", "/")).name
    cleaned = re.sub(r"[\x00-\x1f\x7f<>]", "", base).strip()
    return cleaned[:NAME_SHOWN] or "草稿"


def draft_text(content: bytes) -> str:
    """The text of an uploaded case draft (.docx or PDF, by content), or UploadRefused."""
    kind = file_type(content, DRAFT_BYTES, DRAFT_UNPACKED)
    if kind.extension == ".xlsx":
        raise UploadRefused("xlsx")
    if kind.extension == ".docx":
        return _docx_text(content)
    return _pdf_text(content)


def _docx_text(content: bytes) -> str:
    import docx  # python-docx, loaded with the first upload
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UploadRefused("damaged") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and kin: a malformed part
        if type(exc).__module__.startswith("lxml"):
            raise UploadRefused("damaged") from exc
        raise
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip()


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader  # loaded with the first upload
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UploadRefused("encrypted")
        if len(reader.pages) > DRAFT_PAGES:
            raise UploadRefused("too_large")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UploadRefused("damaged") from exc
    # Some writers' character maps come out of pypdf with a NUL before each character.
    return text.replace("\x00", "").strip()
