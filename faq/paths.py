"""Where madoguchi keeps its SQLite files: ``MADOGUCHI_DB`` or the user's data directory.

The inquiry log lives in the configured file itself; the FAQ index is a sibling file
(``<name>.faq-index.db``) so that it can be rebuilt aside and swapped in by one atomic rename
without touching the log.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "MADOGUCHI_DB"
CACHE_ENV = "MADOGUCHI_CACHE"


def database_path() -> Path:
    configured = os.environ.get(ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("madoguchi", appauthor=False)) / "madoguchi.db"


def cache_dir() -> Path:
    """Where madoguchi keeps what it can rebuild (the sentence model's unpacked weights):
    ``MADOGUCHI_CACHE`` or the user's cache directory, shared by every database path."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("madoguchi", appauthor=False))


def index_path() -> Path:
    db = database_path()
    return db.with_name(db.stem + ".faq-index.db")
