"""`madoguchi faq build | check | stats | eval FILE`."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from faq import index, search

    started = time.perf_counter()
    path = index.build()
    search.reset()
    print(f"built {path} in {time.perf_counter() - started:.2f} s")
    return 0


def _check(args: argparse.Namespace) -> int:
    from faq.lint import problems

    found = problems()
    for problem in found:
        print(problem)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


def _stats(args: argparse.Namespace) -> int:
    from calculators.common import DOCUMENT_TITLES
    from faq.models import load_entries

    entries = load_entries()
    by_doc = Counter(e.source.doc for e in entries)
    by_section = Counter((e.source.doc, e.source.section) for e in entries)
    print(f"{len(entries)} entries")
    for doc, title in DOCUMENT_TITLES.items():
        print(f"\n{title}: {by_doc[doc]}")
        for (d, section), count in sorted(by_section.items()):
            if d == doc:
                print(f"  {section}: {count}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from datetime import date

    from faq.evaluate import evaluate, precision
    from madoguchi.router import answer

    today = date.fromisoformat(args.today) if args.today else None
    outcomes = evaluate(Path(args.file), lambda text: answer(text, today=today))
    groups: dict[str, list[int]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.group, [0, 0])[0 if outcome.passed else 1] += 1
        if not outcome.passed:
            print(f"FAIL {outcome.case_id}: {outcome.why}")
    summary = ", ".join(f"{g} {p}/{p + f}" for g, (p, f) in sorted(groups.items()))
    passed = sum(o.passed for o in outcomes)
    print(f"groups: {summary}")
    p = precision(outcomes)
    if p.oos_total:
        share = f"{p.unknown_precision:.0%}" if p.unknown_precision is not None else "-"
        print(
            f"out of scope: {p.oos_refused}/{p.oos_total} answered unknown; "
            f"{p.oos_refused} of {p.unknown_total} unknown answers were out of scope ({share})"
        )
    if p.answered:
        print(f"wrong answers: {p.wrong_answers} of {p.answered} faq/calc questions answered")
    print(f"{passed} passed, {len(outcomes) - passed} failed")
    return 0 if passed == len(outcomes) else 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    faq = sub.add_parser("faq", help="the curated FAQ: build the index, lint, stats, evaluate")
    actions = faq.add_subparsers(dest="faq_command", required=True)
    actions.add_parser("build", help="build the search index now").set_defaults(run=_build)
    actions.add_parser("check", help="lint the FAQ data").set_defaults(run=_check)
    actions.add_parser("stats", help="entries per document and section").set_defaults(run=_stats)
    evaluate = actions.add_parser("eval", help="score a question set (JSONL, ../shared/eval format)")
    evaluate.add_argument("file")
    evaluate.set_defaults(run=_eval)
