"""Shared fixtures. Helpers for the fake Telegram Bot API live in tests/fake_bot_api.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conversations.core import Context
from knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture
def ctx(kb):
    return Context(kb=kb)
