"""The README's command list and the real CLI stay in step (every command documented, nothing stale)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from dragoman.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def cli_commands(group: click.Group, prefix: str = "dragoman") -> set[str]:
    names: set[str] = set()
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(cmd, click.Group) and cmd.commands:
            sub = cli_commands(cmd, full)
            names |= sub
            if getattr(cmd, "invoke_without_command", False):
                names.add(full)
        else:
            names.add(full)
    return names


def readme_commands() -> set[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- commands")[1].split("<!-- /commands -->")[0]
    found = set()
    for item in re.findall(r"^- `(dragoman [^`]+)`", block, flags=re.M):
        words = [w for w in item.split() if re.fullmatch(r"[a-z][a-z-]*", w)]
        found.add(" ".join(words))
    return found


def test_readme_starts_with_demo_and_test() -> None:
    head = README.read_text(encoding="utf-8")[:400]
    assert "make demo" in head and "make test" in head


def test_every_command_is_documented_and_nothing_stale() -> None:
    documented = readme_commands()
    real = cli_commands(main)
    assert real - documented == set(), f"commands missing from README: {sorted(real - documented)}"
    assert documented - real == set(), f"README lists commands that do not exist: {sorted(documented - real)}"
