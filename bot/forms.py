"""HTML forms posted to the server-rendered pages (the mail links' pages, the organizers'
console): a size-limited body read as ``application/x-www-form-urlencoded``, or a file upload
(``multipart/form-data``, parsed by Starlette with python-multipart) whose size is limited while
it is read."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message

FORM_BYTES = 64 * 1024  # a broadcast's text (4,096 characters, escaped) and a few fields


class FormTooLarge(ValueError):
    """The body is over the limit: refused before it is all read."""


class FormMalformed(ValueError):
    """A multipart body that does not parse (cut short, no boundary, too many parts)."""


async def read_body(request: Request, limit: int = FORM_BYTES) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FormTooLarge(f"{declared} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise FormTooLarge(f"over {limit} bytes")
    return body


def parse_form(raw: bytes, max_fields: int = 32) -> dict[str, str]:
    """The fields of a urlencoded body (the first value of each); {} when it is not one."""
    try:
        parsed = parse_qs(raw.decode("utf-8"), max_num_fields=max_fields, keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {key: values[0] for key, values in parsed.items() if values}


async def read_form(request: Request, limit: int = FORM_BYTES) -> dict[str, str]:
    return parse_form(await read_body(request, limit))


async def read_upload(
    request: Request, limit: int, max_fields: int = 8
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """A form with at most one file: its text fields (the first value of each) and its files
    by field name as (the name the browser gave, the bytes). The body is refused past
    ``limit`` bytes — at once when Content-Length says so, else when the bytes read pass it —
    so an oversized upload is never buffered whole."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FormTooLarge(f"{declared} bytes")
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise FormTooLarge(f"over {limit} bytes")
        return message

    reader = Request(request.scope, counted)
    try:
        form = await reader.form(max_files=1, max_fields=max_fields, max_part_size=FORM_BYTES)
    except MultiPartException as exc:
        raise FormMalformed(exc.message) from exc
    except HTTPException as exc:  # how Starlette reports a malformed part inside an app
        raise FormMalformed(str(exc.detail)) from exc
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.setdefault(key, (value.filename or "", await value.read()))
            else:
                fields.setdefault(key, value)
    finally:
        await form.close()
    return fields, files


async def discard_body(request: Request, cap: int) -> None:
    """Read and drop what is left of a refused upload, at most ``cap`` bytes, nothing kept: a
    browser still sending when the answer comes shows a reset connection, not the answer."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return  # not worth reading: the connection is closed after the answer
    dropped = 0
    while dropped <= cap:
        message = await request.receive()
        dropped += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return
