"""What the area flow shows: the suggestion, the ten areas, the case title and the checklist."""

from __future__ import annotations

from conversations import texts
from conversations.callbacks import encode
from conversations.core import Button, Context, Reply, Turn
from conversations.menu import back_button
from knowledge import Knowledge
from knowledge.areas import AreaScore, AreaSuggestion
from knowledge.models import Area

CODE = "a"
FLOW_NAME = "area"
MAX_ALTERNATIVES = 2
MIN_ALTERNATIVE_SCORE = 0.03  # an alternative below this is not worth showing
MAX_WORDS_SHOWN = 4


def suggestion_reply(kb: Knowledge, suggestion: AreaSuggestion) -> Reply:
    """What the user sees after describing the practice."""
    if suggestion.low_confidence:
        return _low_confidence_reply(kb, suggestion)
    shown = shown_options(suggestion)
    lines = [texts.AREA_SUGGEST_HEADER, _option_text(shown[0], "★")]
    if len(shown) > 1:
        lines += ["", texts.AREA_ALTS_HEADER]
        lines += [_option_text(s, "·") for s in shown[1:]]
    lines += ["", texts.AREA_SUGGEST_FOOTER]
    picks = [[pick_button(s.area, texts.AREA_BTN_PICK)] for s in shown]
    extra = [button(texts.AREA_BTN_ALL, "all"), button(texts.AREA_BTN_AGAIN, "again")]
    return Reply(text="\n".join(lines), buttons=[*picks, extra, back_button()])


def shown_options(suggestion: AreaSuggestion) -> list[AreaScore]:
    alternatives = [
        s for s in suggestion.ranked[1:] if s.raw > 0 and s.score >= MIN_ALTERNATIVE_SCORE
    ]
    return [suggestion.best, *alternatives[:MAX_ALTERNATIVES]]


def _option_text(scored: AreaScore, mark: str) -> str:
    words = list(scored.matched[:MAX_WORDS_SHOWN])
    area = scored.area
    return texts.AREA_OPTION.format(
        mark=mark,
        number=area.number,
        title=area.title,
        level=confidence_level(scored.score),
        words=texts.AREA_WORDS_SEP.join(words) if words else texts.AREA_NO_WORDS,
        description=area.description,
        clause=area.clause,
    )


def confidence_level(score: float) -> str:
    """A plain word for how sure the suggestion is (高 / 较高 / 中 / 低)."""
    return next(word for floor, word in texts.AREA_LEVELS if score >= floor)


def _low_confidence_reply(kb: Knowledge, suggestion: AreaSuggestion) -> Reply:
    best = suggestion.best
    hint = ""
    if best.raw > 0:
        hint = texts.AREA_LOW_HINT.format(number=best.number, title=best.area.title)
    text = texts.AREA_LOW_CONFIDENCE.format(hint=hint) + "\n" + all_lines(kb)
    return Reply(text=text, buttons=all_buttons(kb))


def all_lines(kb: Knowledge) -> str:
    return "\n".join(
        texts.AREA_ALL_LINE.format(number=a.number, title=a.title, description=a.description)
        for a in areas_in_order(kb)
    )


def all_buttons(kb: Knowledge) -> list[list[Button]]:
    picks = [pick_button(a, texts.AREA_BTN_PICK_SHORT) for a in areas_in_order(kb)]
    rows = [picks[i : i + 2] for i in range(0, len(picks), 2)]
    return [*rows, [button(texts.AREA_BTN_AGAIN, "again")], back_button()]


def case_title(ctx: Context, turn: Turn, number: int) -> str:
    """企业+方法实践经验 (四(三)), with a placeholder when the enterprise name is unknown."""
    enterprise = turn.profile.enterprise_name or texts.AREA_NAME_PLACEHOLDER
    method = ctx.areas.title_method(number, str(turn.state.data.get("text", "")))
    return f"{enterprise}{method}实践经验"


def title_text(ctx: Context, turn: Turn, number: int) -> str:
    if turn.profile.enterprise_name:
        note = texts.AREA_TITLE_NOTE
    else:
        note = texts.AREA_TITLE_NOTE_NO_NAME.format(placeholder=texts.AREA_NAME_PLACEHOLDER)
    return texts.AREA_TITLE.format(title=case_title(ctx, turn, number), note=note)


def checklist_text(kb: Knowledge) -> str:
    """The materials of 四(三)/四(四): the case material (附件1) first, then the form (附件2)."""
    materials = sorted(kb.programme.materials, key=lambda m: m.attachment)
    lines = [texts.AREA_CHECKLIST_HEADER]
    for n, material in enumerate(materials, start=1):
        lines.append(
            texts.AREA_CHECKLIST_ITEM.format(
                n=n,
                name=material.name,
                attachment=(
                    texts.AREA_CHECKLIST_REQUIREMENTS.format(attachment=material.attachment)
                    if material.attachment_role == "requirements"
                    else material.attachment
                ),
                clause=material.clause,
            )
        )
        lines += [texts.AREA_CHECKLIST_REQ.format(text=r) for r in material.requirements]
    lines.append(texts.AREA_CHECKLIST_FOOTER)
    return "\n".join(lines)


# ---- helpers ------------------------------------------------------------------------------


def button(label: str, action: str, arg: str | int = "") -> Button:
    return Button(label=label, data=encode(CODE, action, arg))


def pick_button(area: Area, label: str) -> Button:
    return button(label.format(number=area.number, title=area.title), "pick", area.number)


def area_number(arg: str) -> int | None:
    return int(arg) if arg.isdigit() and 1 <= int(arg) <= 10 else None


def areas_in_order(kb: Knowledge) -> list[Area]:
    return sorted(kb.areas, key=lambda a: a.number)


def area_of(kb: Knowledge, number: int) -> Area:
    return next(a for a in kb.areas if a.number == number)
