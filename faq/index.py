"""The FAQ index: curated entries → SQLite (sqlite-utils) with an FTS5 table over search terms.

Built aside and swapped in by an atomic rename, so a running bot never reads a half-built index.
Rebuilt automatically when missing, unreadable, or built from other data (a hash of the data files
and of this package's version is stored in the index). When its folder cannot be written (read-only,
full, not a folder), the index is built in a per-user folder of the temporary directory instead, with
one warning: the FAQ keeps answering.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np
import sqlite_utils

from faq import semantic
from faq.facets import entry_facets
from faq.models import DATA_FILES, FaqEntry, load_entries
from faq.paths import index_path
from faq.text import terms

log = logging.getLogger("madoguchi.faq")
SCHEMA_VERSION = "4"


def data_hash(entries: tuple[FaqEntry, ...] | None = None) -> str:
    """What the index was built from: the data files (or the given entries), the synonyms, and the
    code that turns text into terms (a change in tokenisation must rebuild the index too), and the
    sentence model the vectors come from (:func:`faq.semantic.model_version`)."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    digest.update(semantic.model_version().encode())
    for code in ("text.py", "facets.py"):
        digest.update(Path(__file__).with_name(code).read_bytes())
    digest.update(resources.files("faq.data").joinpath("facets.toml").read_bytes())
    if entries is None:
        for name in (*DATA_FILES, "synonyms.toml"):
            digest.update(resources.files("faq.data").joinpath(name).read_bytes())
    else:
        digest.update(json.dumps([e.model_dump(mode="json") for e in entries], ensure_ascii=False).encode())
        digest.update(resources.files("faq.data").joinpath("synonyms.toml").read_bytes())
    return digest.hexdigest()[:16]


def _rows(entries: tuple[FaqEntry, ...]) -> tuple[list[dict], list[dict]]:
    entry_rows, text_rows = [], []
    for entry in entries:
        question_terms = terms(" ".join((entry.question, *entry.paraphrases, *entry.tags)))
        answer_terms = terms(entry.answer)
        entry_rows.append(
            {
                "id": entry.id,
                "question": entry.question,
                "answer": entry.answer,
                "source": entry.source.model_dump_json(),
                "calculator": entry.calculator,
                "question_terms": " ".join(question_terms),
                "answer_terms": " ".join(answer_terms),
                "facets": json.dumps(
                    {
                        name: sorted(values)
                        for name, values in entry_facets(
                            (entry.question, *entry.paraphrases, *entry.tags, entry.answer),
                            document=entry.source.doc,
                        ).items()
                    },
                    ensure_ascii=False,
                ),
            }
        )
        for field, text in (("question", entry.question), *(("paraphrase", p) for p in entry.paraphrases)):
            text_rows.append({"entry_id": entry.id, "field": field, "terms": " ".join(terms(text))})
        text_rows.append({"entry_id": entry.id, "field": "answer", "terms": " ".join(answer_terms)})
    return entry_rows, text_rows


def _vector_rows(entries: tuple[FaqEntry, ...]) -> list[dict]:
    """One sentence vector per entry (:mod:`faq.semantic`): the normalised mean of its question's
    and paraphrases' vectors. None when the sentence model is unavailable (search then goes by
    words alone). A mean, not every phrasing: on eval/ it answers as well as the closest phrasing
    did (547 against 548 documented questions right, 165 against 164 out of scope), with a ninth
    of the vectors to read per question (at 1,000 entries 18 MB, 1.2 ms, became 2 MB)."""
    phrasings = [(entry.id, text) for entry in entries for text in (entry.question, *entry.paraphrases)]
    vectors = semantic.encode([text for _, text in phrasings])
    if vectors is None:
        return []
    sums: dict[str, np.ndarray] = {}
    for (entry_id, _), vector in zip(phrasings, vectors, strict=True):
        sums[entry_id] = sums[entry_id] + vector if entry_id in sums else vector.copy()
    return [
        {"entry_id": entry_id, "vector": semantic.to_blob(total / np.linalg.norm(total))}
        for entry_id, total in sums.items()
    ]


def build(path: Path | None = None, *, entries: tuple[FaqEntry, ...] | None = None) -> Path:
    """Build the index into a temporary file beside ``path`` and rename it into place."""
    target = path or index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    chosen = entries if entries is not None else load_entries()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        db = sqlite_utils.Database(tmp_name)
        entry_rows, text_rows = _rows(chosen)
        db["entries"].insert_all(entry_rows, pk="id")
        db["texts"].insert_all(text_rows)
        db["texts"].enable_fts(["terms"], tokenize="unicode61", create_triggers=False)
        vector_rows = _vector_rows(chosen)
        if vector_rows:
            db["vectors"].insert_all(vector_rows)
        db["meta"].insert_all(
            [
                {"key": "data_hash", "value": data_hash(entries)},
                {"key": "entries", "value": str(len(chosen))},
            ],
            pk="key",
        )
        db.conn.commit()
        db.close()
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    log.info("FAQ index built: %d entries at %s", len(chosen), target)
    return target


def is_current(path: Path, *, expected: str | None = None) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("select value from meta where key = 'data_hash'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == (expected or data_hash())


def fallback_path(target: Path) -> Path:
    """Where the index of ``target`` is built when ``target``'s folder cannot be written: a folder
    of this user's in the temporary directory, one file per configured path."""
    user = os.getuid() if hasattr(os, "getuid") else "user"
    key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"madoguchi-{user}" / f"{key}-{target.name}"


def ensure(path: Path | None = None, *, reason: str | None = None) -> Path:
    """The index path, built first when missing, corrupt or older than the data; the fallback path
    (:func:`fallback_path`) when the index is not current and cannot be written where it belongs.

    ``reason`` says why the caller knows the index is broken (a query failed, the file vanished):
    it is rebuilt even if it looks current, and the one warning logged gives the reason.
    """
    target = path or index_path()
    if reason is None and is_current(target):
        return target
    problem = reason or ("stale or unreadable" if target.exists() else "missing")
    try:
        built = build(target)
    except (OSError, sqlite3.Error) as error:
        fallback = fallback_path(target)
        if reason is not None or not is_current(fallback):
            fallback.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            build(fallback)
        log.warning(
            "FAQ index at %s is %s and cannot be written there (%s: %s); using %s instead",
            target,
            problem,
            type(error).__name__,
            error,
            fallback,
        )
        return fallback
    if problem != "missing":
        log.warning("FAQ index at %s was %s: rebuilt", target, problem)
    return built
