"""Which languages' sentiment the encoder's embeddings carry: a linear probe per UMSAB language.

For each of UMSAB's 8 languages, a softmax regression is fitted on that
language's training rows alone (standardised embeddings, full batch, fixed
seed) and scored on its validation rows. A probe near chance (0.33 on the
balanced splits) says the frozen encoder does not read the language, whatever
heads sit on it. Embeddings go through the training cache (int8, as
``socialcrm train`` embeds), so run ``socialcrm train`` once first::

    .venv/bin/python -P benchmarks/language_probe.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from classifiers.trainer import CachedEncoder, cached_encoder

UMSAB = Path(__file__).resolve().parents[2] / "shared" / "data" / "umsab_xlmt_sentiment"
LABELS = ("negative", "neutral", "positive")


def split(encoder: CachedEncoder, name: str, language: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Embeddings and label indices of one language's rows in one split."""
    rows = [json.loads(line) for line in (UMSAB / f"{name}.jsonl").open(encoding="utf-8")]
    rows = [row for row in rows if row["lang"] == language]
    embeddings = torch.from_numpy(encoder.encode([row["text"] for row in rows]))
    return embeddings, torch.tensor([LABELS.index(row["label"]) for row in rows])


def probe(
    train: tuple[torch.Tensor, torch.Tensor], val: tuple[torch.Tensor, torch.Tensor]
) -> tuple[float, float]:
    """Training and validation accuracy of a softmax regression fitted on ``train``."""
    (x_train, y_train), (x_val, y_val) = train, val
    center, scale = x_train.mean(0), x_train.std(0) + 1e-6
    x_train, x_val = (x_train - center) / scale, (x_val - center) / scale
    torch.manual_seed(0)
    model = torch.nn.Linear(x_train.shape[1], len(LABELS))
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    for _ in range(300):
        optimiser.zero_grad()
        torch.nn.functional.cross_entropy(model(x_train), y_train).backward()
        optimiser.step()
    with torch.no_grad():
        fitted = (model(x_train).argmax(1) == y_train).float().mean().item()
        held = (model(x_val).argmax(1) == y_val).float().mean().item()
    return fitted, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--languages", nargs="+", default=["ar", "de", "en", "es", "fr", "hi", "it", "pt"]
    )
    parser.add_argument("--precision", choices=["int8", "bf16", "fp32"], default="int8")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not (UMSAB / "val.jsonl").is_file():
        raise SystemExit(f"needs ../shared/data beside the repository; missing {UMSAB}")
    torch.set_num_threads(args.threads)
    encoder = cached_encoder(args.precision)
    print("language  train rows  train accuracy  val accuracy")
    for language in args.languages:
        train = split(encoder, "train", language)
        fitted, held = probe(train, split(encoder, "val", language))
        print(f"{language:<9} {len(train[1]):>10,}  {fitted:>14.3f}  {held:>12.3f}", flush=True)


if __name__ == "__main__":
    main()
