"""The README's promises: its commands are the ones CI runs and the CLI offers."""

import re

from bot.cli import build_parser
from conversations import router

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
    for name in router.COMMANDS:
        assert f"/{name}" in README, name


def test_env_example_lists_every_setting():
    from bot.config import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        assert f"BIAOGAN_{field.upper()}=" in example
        assert f"BIAOGAN_{field.upper()}" in README
