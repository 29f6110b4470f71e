"""Every tunable in settings.py says what it tunes, and docs/settings.md (the settings reference) lists every one
as it is now: a setting added without a comment, or not written into the reference, fails here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from dragoman import settings

ROOT = Path(__file__).resolve().parents[1]


def _reference_tool():
    spec = importlib.util.spec_from_file_location("settings_reference", ROOT / "tools" / "settings_reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["settings_reference"] = module
    spec.loader.exec_module(module)
    return module


def test_every_setting_has_a_comment():
    tool = _reference_tool()
    missing = [f"settings.py:{s.line} {s.name}" for s in tool.read_settings() if not s.comment]
    assert not missing, f"settings without a comment saying what they tune: {missing}"


def test_the_reads_match_the_module():
    tool = _reference_tool()
    read = {s.name for s in tool.read_settings()}
    public = {name for name in vars(settings) if name.isupper()}
    assert read == public


def test_the_reference_is_up_to_date():
    tool = _reference_tool()
    expected = tool.render(tool.read_settings())
    actual = tool.REFERENCE.read_text(encoding="utf-8") if tool.REFERENCE.exists() else ""
    assert actual == expected, "docs/settings.md is out of date: run .venv/bin/python tools/settings_reference.py"


def test_the_readme_points_at_the_reference():
    assert "docs/settings.md" in (ROOT / "README.md").read_text(encoding="utf-8")
