"""Sentence embeddings from a token encoder: mean pooling, L2 normalisation, length buckets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from transformers import PreTrainedTokenizerBase

__all__ = ["embed_batch", "embed_texts", "l2_normalise", "length_buckets", "mean_pool"]


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average each text's token vectors over its attention mask, ignoring padding."""
    weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def l2_normalise(vectors: torch.Tensor) -> torch.Tensor:
    """Scale each row to unit length (a zero row stays zero)."""
    return torch.nn.functional.normalize(vectors, p=2.0, dim=-1, eps=1e-12)


def embed_batch(model: torch.nn.Module, batch: Mapping[str, torch.Tensor]) -> np.ndarray:
    """Mean-pooled, L2-normalised float32 embeddings for one padded batch of token ids."""
    attention_mask = batch["attention_mask"]
    with torch.inference_mode():
        output = model(input_ids=batch["input_ids"], attention_mask=attention_mask)
        hidden = output.last_hidden_state
        pooled = l2_normalise(mean_pool(hidden, attention_mask))
    return pooled.to(torch.float32).numpy()


def embed_texts(
    model: torch.nn.Module,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int,
) -> np.ndarray:
    """Embed ``texts`` (already prefixed) as a single padded batch."""
    batch = tokenizer(
        list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="pt"
    )
    return embed_batch(model, batch)


def length_buckets(
    lengths: Sequence[int],
    *,
    batch_size: int,
    max_tokens: int | None = None,
    pad_multiple: int | None = None,
) -> list[np.ndarray]:
    """Split indices into batches of similar length, so each batch pads little.

    A batch holds at most ``batch_size`` texts and, with ``max_tokens``, at most
    that many padded tokens, so a batch of long posts is smaller than one of short
    ones and memory stays flat. Every index appears in exactly one batch; writing
    each batch's results back at its indices restores the input order.

    With ``pad_multiple``, a batch holds only texts that pad to the same length
    (their own length rounded up to the multiple), so no text is ever padded
    further because of its batch mates: every text then meets the same shapes,
    and with integer matrix products the same arithmetic, whatever it is batched with.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        stop = min(start + batch_size, len(order))
        if pad_multiple is not None:
            padded = -(-lengths[order[start]] // pad_multiple) * pad_multiple
            while lengths[order[stop - 1]] > padded:
                stop -= 1
        if max_tokens is not None:
            # Sorted ascending, so the batch's last text is its longest: shrink until it fits.
            while stop - start > 1 and (stop - start) * lengths[order[stop - 1]] > max_tokens:
                stop -= 1
        batches.append(order[start:stop])
        start = stop
    return batches
