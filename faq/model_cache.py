"""An unpacked copy of the sentence model's weights, so that a new process loads it in milliseconds.

The package ships its weights compressed, its 65 MB token table in 17 interleaved chunks: unpacking
them takes 0.35 s of every process's cold start. After the first load the backend's arrays are
written once to the user's cache directory (:func:`folder`): the token
table as ``.npy``, memory-mapped on load (the pages a question uses are read; processes of one
server share them), the other arrays in one uncompressed ``.npz``. A probe vector is stored with
them and checked on load: a folder that fails to load or to reproduce it is ignored (and written
anew), so the cache can only make loading faster, never change a vector.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from faq.paths import cache_dir

log = logging.getLogger("madoguchi.faq")

PROBE = "利用料の支払期限はいつですか"
TABLE = "table"
"""The one attribute memory-mapped (by far the largest; rows are read per token)."""


def folder(version: str) -> Path:
    """Where this version's copy lives, in :func:`faq.paths.cache_dir`."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in version)
    return cache_dir() / "sentence-model" / safe


def load(version: str, backend_class: type, tokenizer: Any) -> Any | None:
    """The backend rebuilt from the cache, or None when there is none or it does not hold up."""
    where = folder(version)
    if not (where / "meta.json").exists():
        return None
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
        backend = backend_class.__new__(backend_class)
        backend.sp = tokenizer
        backend._threadpool = None
        for name, value in meta["scalars"].items():
            setattr(backend, name, value)
        setattr(backend, TABLE, np.load(where / f"{TABLE}.npy", mmap_mode="r"))
        lists: dict[str, dict[int, np.ndarray]] = {}
        with np.load(where / "arrays.npz") as arrays:
            for key in arrays.files:
                name, _, position = key.partition(".")
                if position:
                    lists.setdefault(name, {})[int(position)] = arrays[key]
                else:
                    setattr(backend, name, arrays[key])
        for name, items in lists.items():
            setattr(backend, name, [items[i] for i in sorted(items)])
        probe = backend.encode([PROBE])[0]
        if not np.allclose(probe, np.asarray(meta["probe"], dtype=np.float32), atol=1e-6):
            raise ValueError("the probe vector differs")
        return backend
    except Exception as error:  # a damaged or foreign cache: load from the package instead
        log.warning("FAQ sentence model cache at %s not used: %s", where, error)
        return None


def save(version: str, backend: Any) -> None:
    """Write the backend's arrays to the cache (aside, then renamed into place); failures (a
    read-only folder, a full disk) only mean the next process unpacks the package again."""
    where = folder(version)
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        aside = Path(tempfile.mkdtemp(prefix=where.name + ".", dir=where.parent))
    except OSError as error:
        log.info("FAQ sentence model cache not written: %s", error)
        return
    try:
        arrays: dict[str, np.ndarray] = {}
        scalars: dict[str, object] = {}
        for name, value in vars(backend).items():
            if name == TABLE:
                np.save(aside / f"{TABLE}.npy", np.ascontiguousarray(value))
            elif isinstance(value, np.ndarray):
                arrays[name] = value
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
            elif isinstance(value, int | float | str | bool):
                scalars[name] = value
        np.savez(aside / "arrays.npz", **arrays)
        probe = backend.encode([PROBE])[0]
        meta = {"scalars": scalars, "probe": probe.tolist()}
        (aside / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if where.exists():
            shutil.rmtree(where)
        os.replace(aside, where)
    except OSError as error:
        log.info("FAQ sentence model cache not written: %s", error)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(aside)
