"""HTML forms posted to the server-rendered pages (the mail links' pages, the organizers'
console): a size-limited body read as ``application/x-www-form-urlencoded``."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request

FORM_BYTES = 64 * 1024  # a broadcast's text (4,096 characters, escaped) and a few fields


class FormTooLarge(ValueError):
    """The body is over the limit: refused before it is all read."""


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
