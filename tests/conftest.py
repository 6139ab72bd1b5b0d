import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

# Never touch the user's real data directory: every test session gets its own database path
# (the FAQ index is built beside it on first use).
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="madoguchi-tests-"))
os.environ["MADOGUCHI_DB"] = str(_SESSION_DIR / "madoguchi.db")
os.environ["MADOGUCHI_CACHE"] = str(_SESSION_DIR / "cache")

TODAY = date(2026, 11, 22)


@pytest.fixture
def today() -> date:
    return TODAY
