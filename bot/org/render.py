"""The console's templates (Jinja2, autoescaped) and its one page function."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2
from starlette.responses import HTMLResponse

from conversations import texts

STATIC = Path(str(resources.files("bot.org") / "static"))

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.org", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_templates.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
# An ISO time as the console shows it: 2027-03-01 09:00 ("" for none).
_templates.filters["when"] = lambda iso: (iso or "")[:16].replace("T", " ")


def page(template: str, *, status_code: int = 200, **values: object) -> HTMLResponse:
    values.setdefault("who", None)
    values.setdefault("here", "")
    values.setdefault("error", "")
    values.setdefault("notice", "")
    values.setdefault("lead", "")
    values.setdefault("again", False)
    html = _templates.get_template(template).render(texts=texts, **values)
    return HTMLResponse(
        html,
        status_code=status_code,
        # same-origin: the browser then sends Origin on the console's own form posts (checked:
        # bot.org.auth.same_site); no-referrer, the chat page's, would make it "null".
        headers={
            "cache-control": "no-store",
            "x-robots-tag": "noindex",
            "referrer-policy": "same-origin",
        },
    )
