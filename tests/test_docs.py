"""The README's promises: its commands are the ones CI runs and the CLI offers."""

import re

from bot.cli import build_parser
from conversations import commands

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    start, test = readme_commands()[:2]
    assert "biaogan" in start and "pytest" in test
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test.strip() in [line.strip() for line in ci_lines]


def test_every_cli_subcommand_is_documented_with_help():
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name in subparsers.choices:
        assert f"biaogan {name}" in README or name == "start", name
    helps = {a.dest: a.help for a in subparsers._choices_actions}
    assert all(helps.values()), helps


def test_every_telegram_command_is_in_the_readme():
    for name in commands.COMMANDS:
        assert f"/{name}" in README, name


def test_env_example_lists_every_setting():
    from bot.config import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        assert f"BIAOGAN_{field.upper()}=" in example
        assert f"BIAOGAN_{field.upper()}" in README


LAYOUT_TOPS = ("bot", "conversations", "knowledge")


def layout_sections() -> dict[str, str]:
    """The README's Layout block cut at its column-0 lines: ``{"bot": "bot/   the I/O…", …}``."""
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.+?)\n```", section, flags=re.S).group(1)
    parts = re.split(r"\n(?=\S)", block)
    return {part.split("/", 1)[0]: part for part in parts if "/" in part.split(None, 1)[0]}


def undocumented_packages(sections: dict[str, str]) -> list[str]:
    missing = []
    for top in LAYOUT_TOPS:
        if top not in sections:
            missing.append(f"{top}/")
            continue
        for init in sorted((ROOT / top).rglob("__init__.py")):
            relative = init.parent.relative_to(ROOT / top).as_posix()
            if relative == ".":
                continue
            pattern = rf"(?<![\w/])(?:{top}/)?{re.escape(relative)}/"
            if re.search(pattern, sections[top]) is None:
                missing.append(f"{top}/{relative}/")
    return missing


def test_the_layout_names_every_package():
    """README's "## Layout" block names every package of bot/, conversations/ and knowledge/.

    The rule: the block is cut into sections at its column-0 lines, one per top package (a line
    starting ``bot/``, ``conversations/``, ``knowledge/``). Every directory holding an
    ``__init__.py`` below a top is named in that top's section by its path relative to the top,
    with a trailing slash (the top's own prefix allowed), not preceded by a letter, digit, ``_``
    or ``/``: ``bot/web`` as ``web/`` (or ``bot/web/``), ``conversations/flows/areas`` as
    ``flows/areas/`` (``areas/`` alone is not enough). A new package fails this test until the
    Layout says what it is."""
    missing = undocumented_packages(layout_sections())
    assert missing == [], f"add these packages to README.md's Layout section: {missing}"


def test_the_layout_rule_sees_a_missing_package():
    sections = {top: f"{top}/  x" for top in LAYOUT_TOPS}
    assert "bot/web/" in undocumented_packages(sections)
    sections["bot"] += "\n  conversations/web/, bot/website/  not bot's web package"
    assert "bot/web/" in undocumented_packages(sections)
    sections["bot"] += "\n  web/   the web chat"
    assert "bot/web/" not in undocumented_packages(sections)
    sections["conversations"] += "\n  areas/ is not enough: the path is relative to the top"
    assert "conversations/flows/areas/" in undocumented_packages(sections)
    sections["conversations"] += "\n  conversations/flows/areas/  the area flow"
    assert "conversations/flows/areas/" not in undocumented_packages(sections)
