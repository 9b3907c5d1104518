"""How close a shallower student gets to the encoder: distil its first layers, then judge with it.

A feasibility measurement for a faster judge, nothing ships from it. The
student is multilingual-e5-small cut to its first ``--layers`` layers (token
table frozen), trained in fp32 to give each text the int8 teacher's pooled
embedding (loss 1 - cosine). The texts are the team-written training rows plus
``--texts`` others from the training cache (never the held-back fifth). After
each epoch it prints the cosine to the teacher on the demo's 340 independent
mentions; at the end it judges the held-back fifth and the demo with the
*shipped* heads on the student's embeddings, which tells whether the heads
carry over without retraining. Run ``socialcrm train`` once first so the cache
holds the teacher's embeddings::

    .venv/bin/python -P benchmarks/distil_student.py --layers 6 --texts 30000 --epochs 2
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import BertModel, PreTrainedTokenizerFast

from classifiers.encoders.e5_build import build_e5
from classifiers.encoders.e5_verify import QUERY_PREFIX
from classifiers.encoders.pooling import embed_batch, l2_normalise, mean_pool
from classifiers.heads import load_heads
from classifiers.trainer import cached_encoder
from classifiers.training import held_back, read_rows, score_held_back
from classifiers.transformer import DEFAULT_MODEL_DIR, TransformerJudge

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OWN = ROOT / "classifiers/data/mentions"
PUBLIC = [
    SHARED / "tweeteval_sentiment/train.jsonl",
    SHARED / "umsab_xlmt_sentiment/train.jsonl",
    SHARED / "sentipers_fa/train.jsonl",
]
DEMO = ROOT / "socialcrm/data/demo_mentions.jsonl"
BATCH = 32


class Student:
    """The cut-down encoder behind the ``Encoder`` protocol, for ``TransformerJudge``."""

    version = "student"

    def __init__(self, model: BertModel, tokenizer: PreTrainedTokenizerFast) -> None:
        self.model, self.tokenizer = model, tokenizer

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Pooled, normalised embeddings, in input order."""
        self.model.eval()
        parts = [
            embed_batch(self.model, self._batch(texts[i : i + batch_size], max_length=512))
            for i in range(0, len(texts), batch_size)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)

    def pooled(self, texts: Sequence[str]) -> torch.Tensor:
        """Embeddings with gradients, for training."""
        batch = self._batch(texts, max_length=128)
        hidden = self.model(**batch).last_hidden_state
        return l2_normalise(mean_pool(hidden, batch["attention_mask"]))

    def _batch(self, texts: Sequence[str], *, max_length: int) -> dict[str, torch.Tensor]:
        encoded = self.tokenizer(
            [QUERY_PREFIX + text for text in texts],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        )
        return {key: encoded[key] for key in ("input_ids", "attention_mask")}


def student(layers: int) -> Student:
    """The encoder's first ``layers`` layers, starting from its own weights."""
    model, tokenizer = build_e5(None)
    model.encoder.layer = model.encoder.layer[:layers]
    model.config.num_hidden_layers = layers
    for parameter in model.embeddings.parameters():
        parameter.requires_grad = False
    return Student(model, tokenizer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--texts", type=int, default=30000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    missing = [path for path in PUBLIC if not path.is_file()]
    if missing:
        raise SystemExit(f"needs ../shared/data beside the repository; missing {missing[0]}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    teacher = cached_encoder("int8")
    inner = teacher.inner
    own_rows = read_rows(sorted(OWN.glob("*.jsonl")))
    others = [row.text for row in read_rows(PUBLIC) if not held_back(row.text)]
    random.Random(0).shuffle(others)
    texts = list(
        dict.fromkeys([r.text for r in own_rows if not held_back(r.text)] + others[: args.texts])
    )
    demo = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    demo_texts = [item["text"] for item in demo]
    targets = torch.from_numpy(teacher.encode(texts))
    demo_targets = inner.encode(demo_texts)
    pupil = student(args.layers)
    trainable = [p for p in pupil.model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.learning_rate, weight_decay=0.01)

    def demo_cosine() -> str:
        cosines = (pupil.encode(demo_texts) * demo_targets).sum(axis=1)
        return f"demo cosine to the teacher: mean {cosines.mean():.4f}, min {cosines.min():.4f}"

    print(f"{len(texts):,} texts, {args.layers} layers; before: {demo_cosine()}", flush=True)
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    batches = [by_length[i : i + BATCH] for i in range(0, len(by_length), BATCH)]
    started = time.monotonic()
    for epoch in range(args.epochs):
        random.Random(epoch).shuffle(batches)
        pupil.model.train()
        for chosen in batches:
            predicted = pupil.pooled([texts[i] for i in chosen])
            loss = (1 - (predicted * targets[chosen]).sum(dim=1)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        elapsed = time.monotonic() - started
        print(f"epoch {epoch + 1}: {elapsed:.0f} s; {demo_cosine()}", flush=True)
    judge = TransformerJudge(encoder=pupil, heads=load_heads(DEFAULT_MODEL_DIR))
    held = score_held_back(own_rows, predict=judge.predict)
    verdicts = judge.predict(demo_texts)
    gold = [d["gold"]["intent"] == "complaint" and bool(d["gold"]["risk"]) for d in demo]
    hits = sum(v.escalate and g for v, g in zip(verdicts, gold, strict=True))
    intent = np.mean(
        [v.intent.value == d["gold"]["intent"] for v, d in zip(verdicts, demo, strict=True)]
    )
    print(
        f"shipped heads on the student: held-back intent macro-F1 {held['intent'].macro_f1:.3f},"
        f" escalation recall {held['escalate'].classes['true'].recall:.3f};"
        f" demo intent accuracy {intent:.3f}, escalation recall {hits / sum(gold):.3f}"
    )


if __name__ == "__main__":
    main()
