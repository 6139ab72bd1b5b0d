"""The questions the benchmarks ask: every question set in the repo and the team's dev set."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("eval/heldout.jsonl", "eval/heldout2.jsonl", "eval/tuning.jsonl", "../shared/eval/dev.jsonl")


def questions() -> list[str]:
    out: list[str] = []
    for name in SETS:
        path = ROOT / name
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            out += [json.loads(line)["ask"] for line in lines if line.strip()]
    return out
