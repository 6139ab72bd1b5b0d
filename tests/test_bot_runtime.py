"""Event de-duplication: bounded memory, expiry, and the keys of an event."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from bot.runtime import SeenSet, SharedSeenSet, _event_keys, from_a_bot


def test_seen_once_then_duplicate() -> None:
    seen = SeenSet()
    assert seen.first_time("event:Ev1")
    assert not seen.first_time("event:Ev1")
    assert seen.first_time("event:Ev2")


def test_bounded_by_capacity_oldest_forgotten_first() -> None:
    seen = SeenSet(capacity=3)
    for key in "abcd":
        assert seen.first_time(key)
    assert len(seen) == 3
    assert seen.first_time("a")  # forgotten
    assert not seen.first_time("d")


def test_expires_after_the_ttl() -> None:
    now = [1000.0]
    seen = SeenSet(ttl=60, clock=lambda: now[0])
    assert seen.first_time("x")
    now[0] += 59
    assert not seen.first_time("x")
    now[0] += 61
    assert seen.first_time("x")


def test_any_known_key_makes_a_duplicate_and_all_keys_are_remembered() -> None:
    seen = SeenSet()
    assert seen.first_time("event:Ev1", "message:D1:1.0")
    assert not seen.first_time("event:Ev2", "message:D1:1.0")
    assert not seen.first_time("event:Ev2")


def test_concurrent_deliveries_get_one_first_time() -> None:
    seen = SeenSet()
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(seen.first_time("event:same"))) for _ in range(32)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1


def test_event_keys_and_bots() -> None:
    body = {"event_id": "Ev9", "event": {"type": "message", "channel": "D1", "ts": "1.5"}}
    assert _event_keys(body) == ("event:Ev9", "message:D1:1.5")
    assert _event_keys({"event_id": "Ev9", "event": {"type": "app_home_opened"}}) == ("event:Ev9",)
    assert from_a_bot({"bot_id": "B1"}, None)
    assert from_a_bot({"user": "UBOT"}, "UBOT")
    assert not from_a_bot({"user": "U1"}, "UBOT")


# --- shared by the processes of a pre-forked server --------------------------------------------------


def test_shared_seen_set_is_one_memory_for_several_processes(tmp_path: Path) -> None:
    # two instances on one file stand for two worker processes
    first, second = SharedSeenSet(tmp_path / "seen.db"), SharedSeenSet(tmp_path / "seen.db")
    assert first.first_time("event:Ev1")
    assert not second.first_time("event:Ev1")
    assert second.first_time("event:Ev2", "message:C1:1.0")
    assert not first.first_time("event:Ev3", "message:C1:1.0")  # any known key: a duplicate
    assert first.first_time()


def test_shared_seen_set_expires_after_the_ttl(tmp_path: Path) -> None:
    now = [1000.0]
    seen = SharedSeenSet(tmp_path / "seen.db", ttl=60, clock=lambda: now[0])
    assert seen.first_time("a")
    now[0] += 59
    assert not seen.first_time("a")
    now[0] += 61
    assert seen.first_time("a")


def test_shared_seen_set_concurrent_deliveries_get_one_first_time(tmp_path: Path) -> None:
    sets = [SharedSeenSet(tmp_path / "seen.db") for _ in range(4)]
    results: list[bool] = []
    lock = threading.Lock()

    def deliver(seen: SharedSeenSet) -> None:
        fresh = seen.first_time("event:EvSame")
        with lock:
            results.append(fresh)

    threads = [threading.Thread(target=deliver, args=(sets[n % 4],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 15 + [True]


def test_shared_seen_set_falls_back_to_memory_when_its_file_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen = SharedSeenSet(tmp_path)  # a directory: SQLite cannot open it
    with caplog.at_level(logging.WARNING, logger="madoguchi.bot"):
        assert seen.first_time("event:Ev1")
        assert not seen.first_time("event:Ev1")
        assert seen.first_time("event:Ev2")
    assert len([r for r in caplog.records if "de-duplication" in r.getMessage()]) == 1
