"""Files for the document tests, built here: a real (minimal) .docx, .xlsx and PDF, and the
forgeries an upload must refuse — an .exe renamed .docx, a ZIP bomb dressed as a .docx."""

from __future__ import annotations

import functools
import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _zip(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():  # dated, so the same file is the same bytes
            archive.writestr(zipfile.ZipInfo(name, (2027, 3, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def docx(text: str = "“质量标杆”申报表") -> bytes:
    run = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    body = f'<w:document xmlns:w="w"><w:body>{run}</w:body></w:document>'
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": "<Relationships/>",
                 "word/document.xml": body})  # fmt: skip


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"})


def pdf(text: str = "training") -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\n%%EOF\n"


def exe() -> bytes:
    """A Windows executable's start (the MZ header and its DOS stub), to be named .docx."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
        + b"\x00" * 54
        + b"This program cannot be run in DOS mode.\r\n"
        + b"\x00" * 4000
    )


def docm() -> bytes:
    """A Word file with a macro project."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document/>",
                 "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})  # fmt: skip


@functools.lru_cache(maxsize=2)
def zip_bomb_docx(unpacked_mb: int = 200) -> bytes:
    """A .docx whose one extra entry is ``unpacked_mb`` MB of zeros (about 0.2 MB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        chunk = b"\0" * (1024 * 1024)
        with archive.open("word/media/image1.png", "w", force_zip64=True) as entry:
            for _ in range(unpacked_mb):
                entry.write(chunk)
    return buffer.getvalue()


def many_entries(n: int) -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document/>",
                 **{f"word/parts/{i}.xml": "" for i in range(n)}})  # fmt: skip
