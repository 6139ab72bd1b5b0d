"""Leave-one-out accuracy of FAQ search over the entries' own paraphrases.

For k = 0..3, every entry's k-th paraphrase is taken out of the index and asked as a question: the
search has never seen that phrasing, so this measures how it does on new wording without touching
the held-out sets. Used to choose search parameters.

    python bench/faq_loo.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faq import index, search  # noqa: E402
from faq.models import load_entries  # noqa: E402


def run(rounds: int = 4) -> tuple[int, int, int, list[str]]:
    entries = load_entries()
    top1 = confident = total = 0
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(rounds):
            held = {e.id: e.paraphrases[k] for e in entries if len(e.paraphrases) > k}
            reduced = tuple(
                e.model_copy(update={"paraphrases": tuple(p for i, p in enumerate(e.paraphrases) if i != k)})
                for e in entries
            )
            path = index.build(Path(tmp) / f"loo{k}.db", entries=reduced)
            searcher = search.Searcher(path)
            for entry_id, question in held.items():
                hits = searcher.search(question)
                total += 1
                if hits and hits[0].entry_id == entry_id:
                    top1 += 1
                    confident += hits[0].score >= search.THRESHOLD
                else:
                    misses.append(f"{question} -> {hits[0].entry_id if hits else None} (want {entry_id})")
            searcher.close()
    return top1, confident, total, misses


if __name__ == "__main__":
    top1, confident, total, misses = run()
    print(
        f"leave-one-out: top-1 {top1}/{total} ({top1 / total:.1%}), top-1 and confident {confident}/{total}"
    )
    if "-v" in sys.argv:
        print("\n".join(misses))
