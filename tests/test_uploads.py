"""A file's type by its content, never its name: PDF, .docx, .xlsx; forgeries refused from the
bytes alone (a ZIP bomb from its directory, nothing unpacked)."""

from __future__ import annotations

import time

import pytest

from bot.uploads import DOCX, PDF, XLSX, FileType, UploadRefused, file_type, stored_name
from tests.documents_data import docm, docx, exe, many_entries, pdf, xlsx, zip_bomb_docx


def test_pdf_docx_and_xlsx_are_told_by_their_content():
    assert file_type(pdf()) == FileType(*PDF)
    assert file_type(docx()) == FileType(*DOCX)
    assert file_type(xlsx()) == FileType(*XLSX)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (exe(), "not_allowed"),  # an .exe renamed .docx
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "not_allowed"),  # an old .doc
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not_allowed"),
        (b"PK\x03\x04" + b"\0" * 100, "damaged"),  # a ZIP cut short
        (docm(), "macros"),
        (many_entries(2100), "bomb"),
    ],
)
def test_forgeries_are_refused_with_their_reason(content, reason):
    with pytest.raises(UploadRefused) as refused:
        file_type(content)
    assert refused.value.reason == reason


def test_a_zip_that_is_no_office_file_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRefused) as refused:
        file_type(buffer.getvalue())
    assert refused.value.reason == "not_office"


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking():
    bomb = zip_bomb_docx(200)  # 200 MB of zeros in a .docx of a few hundred KB
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(UploadRefused) as refused:
        file_type(bomb)
    assert refused.value.reason == "bomb"
    assert time.perf_counter() - started < 0.5  # nothing unpacked
    with pytest.raises(UploadRefused) as ratio:  # 50 MB in all, but packed ~1000x
        file_type(zip_bomb_docx(50))
    assert ratio.value.reason == "bomb"


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(UploadRefused) as refused:
        file_type(pdf() + b"\0" * 2048, limit=1024)
    assert refused.value.reason == "too_large"


def test_the_stored_name_keeps_the_stem_and_takes_the_extension_of_the_content():
    word, portable = FileType(*DOCX), FileType(*PDF)
    assert stored_name("申报表.docx", word, "x") == "申报表.docx"
    assert stored_name("通知.docx", portable, "x") == "通知.pdf"  # a PDF named .docx
    assert stored_name("C:\\Users\\张\\桌面\\要求.DOCX", word, "x") == "要求.docx"
    assert stored_name("../../etc/passwd", word, "x") == "passwd.docx"
    assert stored_name('a<b>:"c|?*\x00.pdf', portable, "x") == "abc.pdf"
    assert stored_name("", portable, "培训会通知") == "培训会通知.pdf"
    assert stored_name("...", portable, "") == "file.pdf"
    assert len(stored_name("长" * 300 + ".pdf", portable, "x")) == 80 + len(".pdf")
