"""Small classification heads on sentence embeddings: sentiment, intent and risk.

Each task has its own two-layer head, trained on whatever labelled data has
that task's label, so a sentiment corpus need not have intents. Sentiment and
intent are softmax heads; risk is four independent yes/no outputs, each with
its own threshold (``TrainingConfig.risk_threshold``; the out-of-fold check in
``benchmarks/decoding_thresholds.py`` measures it). A task may have several heads,
trained alike from different seeds, whose probabilities are averaged: one seed's
head moved held-back intent macro-F1 by up to 0.04, five together by far less.
Heads are a few hundred KB each and are saved with their label order and
thresholds, so a file is self-describing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from config.labels import Intent, Risk, Sentiment

__all__ = ["TASK_LABELS", "HeadSet", "TaskHead", "load_heads", "save_heads"]

TASK_LABELS: dict[str, tuple[str, ...]] = {
    "sentiment": tuple(s.value for s in Sentiment),
    "intent": tuple(i.value for i in Intent),
    "risk": tuple(r.value for r in Risk),
}
MULTI_LABEL = frozenset({"risk"})


class TaskHead(nn.Module):
    """Embedding → hidden layer → one logit per label."""

    def __init__(self, dim: int, labels: int, *, hidden: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(dim, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, labels),
        )

    def forward(self, embeddings: torch.Tensor) -> torch.Tensor:
        """Logits for a batch of embeddings."""
        logits: torch.Tensor = self.layers(embeddings)
        return logits


@dataclass
class HeadSet:
    """The trained heads of every task, with what they need to be read correctly.

    ``center`` and ``scale`` standardise each embedding dimension first: sentence
    embeddings share a large common direction (unrelated texts still have a high
    cosine), and heads learn far faster on the deviations from it.
    """

    dim: int
    heads: dict[str, list[TaskHead]]  # per task, one or more members whose outputs are averaged
    center: np.ndarray
    scale: np.ndarray
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def digest(self) -> str:
        """12 hex digits of a SHA-256 over every weight, the standardisation and the
        thresholds: a retrained model reads as a new version, a reloaded one as the same.
        Computed once; heads are not changed after loading."""
        sha = hashlib.sha256()
        for task in sorted(self.heads):
            for member, head in enumerate(self.heads[task]):
                for name, tensor in sorted(head.state_dict().items()):
                    sha.update(f"{task}.{member}.{name}".encode())
                    sha.update(tensor.detach().to(torch.float32).contiguous().numpy().tobytes())
        for array in (self.center, self.scale):
            sha.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        sha.update(json.dumps(self.thresholds, sort_keys=True).encode())
        return sha.hexdigest()[:12]

    def standardise(self, embeddings: np.ndarray) -> torch.Tensor:
        """Embeddings as the heads expect them."""
        values = (np.asarray(embeddings, dtype=np.float32) - self.center) / self.scale
        return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32))

    def probabilities(self, embeddings: np.ndarray) -> dict[str, np.ndarray]:
        """Per task, an (n × labels) array: softmax for single-label tasks, sigmoid for risk.

        A task with several members gets the mean of their probabilities.
        """
        inputs = self.standardise(embeddings)
        out: dict[str, np.ndarray] = {}
        with torch.inference_mode():
            for task, members in self.heads.items():
                total = None
                for head in members:
                    logits = head.eval()(inputs)
                    probs = torch.sigmoid(logits) if task in MULTI_LABEL else logits.softmax(-1)
                    total = probs if total is None else total + probs
                if total is not None:
                    out[task] = (total / len(members)).numpy()
        return out


def save_heads(heads: HeadSet, directory: Path) -> None:
    """Write ``heads.safetensors`` and ``heads.json`` (labels, sizes, thresholds, metadata)."""
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {
        f"{task}.{member}.{name}": tensor.detach().contiguous()
        for task, members in heads.heads.items()
        for member, head in enumerate(members)
        for name, tensor in head.state_dict().items()
    }
    tensors["input.center"] = torch.from_numpy(heads.center.astype(np.float32))
    tensors["input.scale"] = torch.from_numpy(heads.scale.astype(np.float32))
    save_file(tensors, str(directory / "heads.safetensors"))
    description = {
        "dim": heads.dim,
        "tasks": {
            task: {
                "labels": list(TASK_LABELS[task]),
                "hidden": _hidden(members[0]),
                "members": len(members),
            }
            for task, members in heads.heads.items()
        },
        "thresholds": heads.thresholds,
        "meta": heads.meta,
    }
    (directory / "heads.json").write_text(json.dumps(description, indent=2) + "\n", "utf-8")


def load_heads(directory: Path) -> HeadSet:
    """Read heads written by :func:`save_heads` (or by a version with one head per task)."""
    description = json.loads((directory / "heads.json").read_text("utf-8"))
    tensors = load_file(str(directory / "heads.safetensors"))
    heads: dict[str, list[TaskHead]] = {}
    for task, spec in description["tasks"].items():
        if tuple(spec["labels"]) != TASK_LABELS[task]:
            raise ValueError(
                f"{directory}: {task} labels {spec['labels']} differ from this version"
            )
        # Files from before ensembles hold one head per task, under "<task>." alone.
        prefixes = (
            [f"{task}.{member}." for member in range(spec["members"])]
            if "members" in spec
            else [f"{task}."]
        )
        heads[task] = []
        for prefix in prefixes:
            head = TaskHead(description["dim"], len(spec["labels"]), hidden=spec["hidden"])
            head.load_state_dict(
                {k.removeprefix(prefix): v for k, v in tensors.items() if k.startswith(prefix)}
            )
            heads[task].append(head.eval())
    return HeadSet(
        description["dim"],
        heads,
        tensors["input.center"].numpy(),
        tensors["input.scale"].numpy(),
        description["thresholds"],
        description["meta"],
    )


def _hidden(head: TaskHead) -> int:
    first = head.layers[1]
    return int(first.out_features) if isinstance(first, nn.Linear) else 0
