"""Embeddings kept on disk by encoder version, so training reruns embed each text once.

Embedding 80,000 training texts takes many minutes on two cores; the cache
writes finished parts as it goes, so an interrupted run resumes where it
stopped, and a rerun with the same encoder embeds nothing again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["EmbeddingCache", "default_cache_root"]

Encode = Callable[[Sequence[str]], np.ndarray]
Progress = Callable[[int, int], None]
PART_SIZE = 2048


def default_cache_root() -> Path:
    """``$XDG_CACHE_HOME/socialcrm/embeddings`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialcrm" / "embeddings"


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class EmbeddingCache:
    """Vectors of texts for one encoder version, in numbered ``.npz`` parts."""

    def __init__(self, root: Path, *, encoder_version: str) -> None:
        self.directory = root / encoder_version.replace("/", "_")
        self._vectors: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            for part in sorted(self.directory.glob("part-*.npz")):
                with np.load(part) as data:
                    self._vectors.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
        return self._vectors

    def embed(
        self, texts: Sequence[str], *, encode: Encode, progress: Progress | None = None
    ) -> np.ndarray:
        """Vectors for ``texts`` in order, encoding (and saving) only the ones not cached."""
        vectors = self._load()
        missing = list(dict.fromkeys(t for t in texts if _key(t) not in vectors))
        for start in range(0, len(missing), PART_SIZE):
            chunk = missing[start : start + PART_SIZE]
            encoded = np.asarray(encode(chunk), dtype=np.float32)
            self._save_part([_key(t) for t in chunk], encoded)
            vectors.update(zip((_key(t) for t in chunk), encoded, strict=True))
            if progress is not None:
                progress(start + len(chunk), len(missing))
        return np.stack([vectors[_key(t)] for t in texts]) if texts else np.zeros((0, 0), "f4")

    def _save_part(self, keys: list[str], vectors: np.ndarray) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        number = len(list(self.directory.glob("part-*.npz")))
        final = self.directory / f"part-{number:05d}.npz"
        temporary = final.with_suffix(".tmp.npz")
        np.savez(temporary, keys=np.array(keys), vectors=vectors)
        temporary.replace(final)  # a part is there whole or not at all
