"""Adapting the encoder to our labels: LoRA on attention query and value, trained multi-task.

The frozen encoder reads a post's topic well but not what the author wants
from the brand. A rank-8 LoRA on every layer's attention query and value,
trained together with throwaway linear heads for sentiment, intent (partial
labels allowed) and risk, moves the embedding towards our labels. Only the
LoRA matrices are kept (``adapter.safetensors``, a few hundred KB); the
encoder merges them into its weights before int8, so judging costs the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn
from transformers import BertModel

from classifiers.encoders.pooling import mean_pool
from classifiers.heads import TASK_LABELS
from classifiers.labelled import NOT_COMPLAINT
from classifiers.text import normalise
from classifiers.training import Row

__all__ = ["AdaptConfig", "LoRALinear", "train_adapter"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class AdaptConfig:
    """The knobs of an adaptation run; the defaults built the shipped adapter."""

    rank: int = 8
    alpha: float = 16.0
    epochs: int = 2
    batch_size: int = 32
    max_length: int = 96
    learning_rate: float = 1e-3
    seed: int = 13
    prefix: str = "query: "


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update."""

    def __init__(self, base: nn.Linear, *, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(torch.randn(rank, base.in_features) * 0.01)
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """The base output plus the scaled low-rank update."""
        update: torch.Tensor = (inputs @ self.lora_A.T @ self.lora_B.T) * self.scale
        return self.base(inputs) + update


def _wrap(model: BertModel, config: AdaptConfig) -> dict[str, LoRALinear]:
    """Freeze the model and put a LoRA on each attention query and value."""
    for parameter in model.parameters():
        parameter.requires_grad = False
    wrapped: dict[str, LoRALinear] = {}
    for index, layer in enumerate(model.encoder.layer):
        attention: nn.Module = layer.attention.self  # type: ignore[union-attr,assignment]
        for name in ("query", "value"):
            lora = LoRALinear(getattr(attention, name), rank=config.rank, alpha=config.alpha)
            setattr(attention, name, lora)
            wrapped[f"encoder.layer.{index}.attention.self.{name}"] = lora
    return wrapped


def _targets(batch: Sequence[Row]) -> dict[str, torch.Tensor]:
    sentiment = TASK_LABELS["sentiment"]
    intents, risks = TASK_LABELS["intent"], TASK_LABELS["risk"]
    out = {
        "sentiment": torch.tensor(
            [
                sentiment.index(r.labels["sentiment"]) if r.labels["sentiment"] else -100
                for r in batch
            ]
        ),
        "intent": torch.tensor(
            [
                [
                    label != "complaint" if gold == NOT_COMPLAINT else label == gold
                    for label in intents
                ]
                if (gold := r.labels["intent"])
                else [False] * len(intents)
                for r in batch
            ],
            dtype=torch.float32,
        ),
        "risk": torch.tensor(
            [[label in (r.labels["risk"] or ()) for label in risks] for r in batch],
            dtype=torch.float32,
        ),
        "has_risk": torch.tensor([r.labels["risk"] is not None for r in batch]),
    }
    return out


def _loss(
    heads: nn.ModuleDict, pooled: torch.Tensor, target: dict[str, torch.Tensor]
) -> torch.Tensor:
    loss = nn.functional.cross_entropy(
        heads["sentiment"](pooled), target["sentiment"], ignore_index=-100
    ).nan_to_num(0.0)
    has_intent = target["intent"].sum(1) > 0
    if has_intent.any():
        logits = heads["intent"](pooled[has_intent])
        allowed = target["intent"][has_intent]
        loss = (
            loss
            + (
                torch.logsumexp(logits, 1)
                - torch.logsumexp(logits.masked_fill(allowed == 0, -1e9), 1)
            ).mean()
        )
    if target["has_risk"].any():
        rows = target["has_risk"]
        loss = loss + nn.functional.binary_cross_entropy_with_logits(
            heads["risk"](pooled[rows]), target["risk"][rows], pos_weight=torch.full((4,), 4.0)
        )
    return loss


def train_adapter(
    model: BertModel,
    tokenizer: Callable[..., dict[str, torch.Tensor]],
    rows: Sequence[Row],
    *,
    output: Path,
    config: AdaptConfig = AdaptConfig(),
    progress: Progress | None = None,
) -> Path:
    """Train a LoRA adapter on ``rows`` and write it to ``output``; ``model`` gains the LoRAs."""
    torch.manual_seed(config.seed)
    shuffler = random.Random(config.seed)  # noqa: S311 (shuffling, not secrets)
    wrapped = _wrap(model, config)
    hidden = int(model.config.hidden_size)
    heads = nn.ModuleDict(
        {task: nn.Linear(hidden, len(labels)) for task, labels in TASK_LABELS.items()}
    )
    parameters = [p for lora in wrapped.values() for p in (lora.lora_A, lora.lora_B)]
    optimiser = torch.optim.AdamW([*parameters, *heads.parameters()], lr=config.learning_rate)
    order = list(rows)
    steps = config.epochs * -(-len(order) // config.batch_size)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / max(steps, 1))
    )
    done = 0
    model.train()
    for _ in range(config.epochs):
        shuffler.shuffle(order)
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            encoded = tokenizer(
                [config.prefix + normalise(row.text) for row in batch],
                truncation=True,
                max_length=config.max_length,
                padding=True,
                return_tensors="pt",
            )
            pooled = mean_pool(model(**encoded).last_hidden_state, encoded["attention_mask"])
            loss = _loss(heads, pooled, _targets(batch))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            done += 1
            if progress is not None:
                progress("adapt", done, steps)
    model.eval()
    return _save(wrapped, output, config)


def _save(wrapped: dict[str, LoRALinear], output: Path, config: AdaptConfig) -> Path:
    tensors = {}
    for name, lora in wrapped.items():
        tensors[f"{name}.lora_A"] = lora.lora_A.detach().contiguous()
        tensors[f"{name}.lora_B"] = lora.lora_B.detach().contiguous()
    output.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"rank": str(config.rank), "alpha": str(config.alpha), "seed": str(config.seed)}
    save_file(tensors, str(output), metadata=metadata)
    return output
