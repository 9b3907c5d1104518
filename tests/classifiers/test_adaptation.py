"""LoRA adaptation on a tiny random BERT: it trains, saves, and merges into identical outputs."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import BertConfig, BertModel

from classifiers.adaptation import AdaptConfig, train_adapter
from classifiers.encoders.adapter import adapter_sha, merge_adapter
from classifiers.encoders.e5 import E5Encoder
from classifiers.training import Row


def tiny_bert() -> BertModel:
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=64,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    return BertModel(config).eval()


def tokenize(texts: list[str], **_: object) -> dict[str, torch.Tensor]:
    """Words hashed into the tiny vocabulary, padded with 0."""
    ids = [
        [int(hashlib.md5(w.encode()).hexdigest(), 16) % 63 + 1 for w in t.split()][:20] or [1]
        for t in texts
    ]
    width = max(len(row) for row in ids)
    input_ids = torch.tensor([row + [0] * (width - len(row)) for row in ids])
    return {"input_ids": input_ids, "attention_mask": (input_ids != 0).long()}


ROWS = [
    Row(
        "refund broken lawyer",
        {"sentiment": "negative", "intent": "complaint", "risk": ("legal",)},
        "en",
        "t",
    ),
    Row("how do I reset", {"sentiment": "neutral", "intent": "question", "risk": ()}, "en", "t"),
    Row("love it thanks", {"sentiment": "positive", "intent": "praise", "risk": ()}, "en", "t"),
    Row("worst day ever", {"sentiment": "negative", "intent": None, "risk": None}, "en", "t"),
    Row(
        "order late again", {"sentiment": None, "intent": "not_complaint", "risk": None}, "en", "t"
    ),
]


def test_adapter_trains_saves_and_merges_to_the_same_outputs(tmp_path: Path) -> None:
    original = tiny_bert()
    model = copy.deepcopy(original)
    path = train_adapter(
        model,
        tokenize,
        ROWS * 4,
        output=tmp_path / "adapter.safetensors",
        config=AdaptConfig(epochs=2, batch_size=4, rank=2, alpha=4),
    )
    with safe_open(str(path), framework="pt") as handle:
        keys = set(handle.keys())
        assert handle.metadata()["rank"] == "2"
    assert keys == {
        f"encoder.layer.{i}.attention.self.{n}.lora_{m}"
        for i in range(2)
        for n in ("query", "value")
        for m in "AB"
    }
    batch = tokenize(["refund broken lawyer", "love it"])
    with torch.no_grad():
        adapted = model(**batch).last_hidden_state
        before = original(**batch).last_hidden_state
    assert merge_adapter(original, path) == 4
    with torch.no_grad():
        merged = original(**batch).last_hidden_state
    torch.testing.assert_close(merged, adapted, rtol=1e-4, atol=1e-5)
    assert not torch.allclose(before, merged)  # training moved the weights


def test_merging_refuses_an_adapter_for_another_model(tmp_path: Path) -> None:
    path = tmp_path / "bad.safetensors"
    save_file(
        {"pooler.lora_A": torch.zeros(2, 16), "pooler.lora_B": torch.zeros(16, 2)},
        str(path),
        metadata={"rank": "2", "alpha": "4"},
    )
    with pytest.raises(ValueError, match="pooler is not a linear layer"):
        merge_adapter(tiny_bert(), path)


def test_the_encoder_version_names_the_adapter(tmp_path: Path) -> None:
    source, adapter = tmp_path / "model.bin", tmp_path / "adapter.safetensors"
    source.write_bytes(b"weights")
    save_file({"x": torch.zeros(1)}, str(adapter))
    version = E5Encoder(source=source, adapter=adapter, precision="int8").version
    assert version.endswith(f"+lora-{adapter_sha(adapter)}-int8r")
    assert "+lora-" not in E5Encoder(source=source).version
