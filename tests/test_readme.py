"""The README's examples run, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from madoguchi.router import answer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[str]:
    block = README.split("<!-- examples:start -->")[1].split("<!-- examples:end -->")[0]
    return re.findall(r"^\| `([^`]+)` \|", block, flags=re.MULTILINE)


def test_there_are_examples_of_every_command() -> None:
    found = examples()
    for command in ("/quote", "/hpki", "/prorate", "/madoguchi"):
        assert any(e.startswith(command) for e in found), command


@pytest.mark.parametrize("example", examples())
def test_readme_example_answers(example: str) -> None:
    reply = answer(example, today=date(2026, 11, 22))
    assert reply.kind not in {"error", "unknown"}, reply.text


def test_ci_runs_the_readme_test_command() -> None:
    command = re.search(r"^    (python3 -m venv .venv && .*pytest)$", README, flags=re.MULTILINE)
    assert command, "the README shows the test command"
    assert command.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
