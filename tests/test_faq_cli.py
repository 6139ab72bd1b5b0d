"""`madoguchi faq build | check | stats | eval`: each runs, says what it did, and exits by its result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from faq.evaluate import Outcome, precision
from faq.models import load_entries


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MADOGUCHI_DB": str(db), "MADOGUCHI_LOG": "off"}
    return subprocess.run(
        [sys.executable, "-m", "madoguchi", "--today", "2026-11-22", "faq", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_build_writes_the_index_beside_the_database(tmp_path: Path) -> None:
    done = run("build", db=tmp_path / "m.db")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "m.faq-index.db").exists() and "built" in done.stdout


def test_check_finds_no_problem(tmp_path: Path) -> None:
    done = run("check", db=tmp_path / "m.db")
    assert done.returncode == 0 and done.stdout.strip().endswith("0 problem(s)")


def test_stats_counts_every_entry(tmp_path: Path) -> None:
    done = run("stats", db=tmp_path / "m.db")
    assert done.returncode == 0
    assert done.stdout.startswith(f"{len(load_entries())} entries")
    assert "利用者認証サービス利用規約" in done.stdout and "第22条" in done.stdout


def test_eval_scores_a_set_and_fails_when_a_case_fails(tmp_path: Path) -> None:
    cases = [
        {"id": "a", "group": "calc", "ask": "/quote CM 5", "expect": [{"yen": 24500}]},
        {"id": "b", "group": "oos", "ask": "社員食堂の今日のメニュー", "expect": [], "kind": "unknown"},
        {"id": "c", "group": "calc", "ask": "/quote CM 5", "expect": [{"yen": 25500}]},  # wrong on purpose
    ]
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases[:2]), encoding="utf-8")
    bad.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    passed = run("eval", str(good), db=tmp_path / "m.db")
    assert passed.returncode == 0 and "2 passed, 0 failed" in passed.stdout
    assert "out of scope: 1/1 answered unknown" in passed.stdout
    failed = run("eval", str(bad), db=tmp_path / "m.db")
    assert failed.returncode == 1 and "FAIL c" in failed.stdout
    assert "wrong answers: 1 of 2" in failed.stdout


def test_precision_counts_confident_wrong_answers_and_unknowns() -> None:
    outcomes = [
        Outcome("1", "faq", passed=True, kind="faq", why=""),
        Outcome("2", "faq", passed=False, kind="faq", why="missing"),  # answered, wrong
        Outcome("3", "faq", passed=False, kind="unknown", why="kind"),  # not answered
        Outcome("4", "oos", passed=True, kind="unknown", why=""),
        Outcome("5", "oos", passed=False, kind="faq", why="kind"),
        Outcome("6", "en", passed=True, kind="unknown", why=""),  # allowed, not counted
    ]
    p = precision(outcomes)
    assert (p.oos_refused, p.oos_total, p.unknown_total) == (1, 2, 2)
    assert (p.wrong_answers, p.answered) == (1, 2)
    assert p.unknown_precision == 0.5
