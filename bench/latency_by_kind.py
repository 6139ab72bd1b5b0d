"""In-process answer latency per reply kind (p50/p99) over the question sets and the README examples.

python bench/latency_by_kind.py
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MADOGUCHI_DB", str(Path(tempfile.mkdtemp()) / "bench.db"))
os.environ.setdefault("MADOGUCHI_LOG", "off")

from question_sets import questions  # noqa: E402

from madoguchi.router import answer  # noqa: E402


def messages() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return questions() + re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE)


def main(rounds: int = 20) -> None:
    today = date(2026, 11, 22)
    asks = messages()
    for text in asks:
        answer(text, today=today)  # warm-up: index, dictionary, dateparser
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for text in asks:
            started = time.perf_counter()
            reply = answer(text, today=today)
            samples[reply.kind].append((time.perf_counter() - started) * 1000)
    print(f"{len(asks)} messages x {rounds} rounds, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'kind':<15} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    every = []
    for kind, values in sorted(samples.items()):
        values.sort()
        every += values
        print(
            f"{kind:<15} {len(values):>6} {statistics.median(values):>8.2f} {values[int(len(values) * 0.99) - 1]:>8.2f}"
        )
    every.sort()
    print(
        f"{'all':<15} {len(every):>6} {statistics.median(every):>8.2f} {every[int(len(every) * 0.99) - 1]:>8.2f}"
    )


if __name__ == "__main__":
    main()
