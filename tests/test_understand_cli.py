"""`madoguchi ask` with no message explains itself in Japanese (argparse's own error is English)."""

import pytest

from madoguchi.cli import main


def test_ask_without_text_gives_japanese_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) == 2
    err = capsys.readouterr().err
    assert "使い方" in err and "madoguchi ask" in err and "例" in err
    assert "usage:" not in err and "required" not in err


def test_ask_json_without_text_gives_japanese_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json"]) == 2
    assert "使い方" in capsys.readouterr().err


def test_ask_with_text_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MADOGUCHI_LOG", "off")
    assert main(["--today", "2026-01-20", "ask", "/hpki", "期限"]) == 0
