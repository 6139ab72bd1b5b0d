"""FAQ search benchmark: answer latency with 156 (real), 1,000 and 10,000 entries, cold start, memory.

    python bench/faq_bench.py            # prints a table; numbers go in the README

Synthetic entries are the real ones cloned with their phrasings shuffled and a few words swapped for
other corpus words, so the index grows with realistic vocabulary. Latency is measured in-process
(terms + FTS5 candidates + the sentence model + re-ranking) over the real questions of the question sets.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from question_sets import questions  # noqa: E402

from faq import index  # noqa: E402
from faq.models import FaqEntry, load_entries  # noqa: E402
from faq.search import Searcher  # noqa: E402


def synthesise(count: int, seed: int = 7) -> tuple[FaqEntry, ...]:
    rng = random.Random(seed)
    real = load_entries()
    words = sorted(
        {w for e in real for p in e.paraphrases for w in p.split()} | {e.question[:6] for e in real}
    )
    out = list(real)
    while len(out) < count:
        base = rng.choice(real)
        extra = " ".join(rng.sample(words, 2))
        phr = tuple(f"{p} {extra}" for p in base.paraphrases)
        out.append(
            base.model_copy(
                update={
                    "id": f"{base.id}-s{len(out)}",
                    "question": f"{base.question} {extra}",
                    "paraphrases": phr,
                }
            )
        )
    return tuple(out[:count])


def latency(searcher: Searcher, asks: list[str], rounds: int = 5) -> tuple[float, float]:
    for text in asks:  # warm-up
        searcher.search(text)
    samples = []
    for _ in range(rounds):
        for text in asks:
            started = time.perf_counter()
            searcher.search(text)
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start(db: Path) -> float:
    env = {**os.environ, "MADOGUCHI_DB": str(db), "MADOGUCHI_LOG": "off"}
    exe = Path(sys.executable).with_name("madoguchi")
    subprocess.run([str(exe), "ask", "warm"], env=env, capture_output=True, check=True)  # builds the index
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [str(exe), "ask", "コンビニ払いの手数料は？"], env=env, capture_output=True, check=True
        )
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    asks = questions()
    print(f"{len(asks)} questions, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'entries':>8} {'build s':>8} {'p50 ms':>8} {'p99 ms':>8} {'RSS MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (len(load_entries()), 1000, 10000):
            entries = synthesise(count)
            path = Path(tmp) / f"i{count}.db"
            started = time.perf_counter()
            index.build(path, entries=entries)
            built = time.perf_counter() - started
            searcher = Searcher(path)
            p50, p99 = latency(searcher, asks)
            print(f"{count:>8} {built:>8.2f} {p50:>8.2f} {p99:>8.2f} {rss_mb():>8.1f}")
            searcher.close()
        print(
            f"cold start, process start to first FAQ answer (median of 5): {cold_start(Path(tmp) / 'c.db'):.2f} s"
        )


if __name__ == "__main__":
    main()
