"""The transformer judge and its training, on a tiny hashing encoder (no model files needed).

The hashing encoder maps words to fixed dimensions, so heads can learn from it
and every test runs in milliseconds; the real encoder has its own tests.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import torch

from classifiers.features import join_features
from classifiers.heads import HeadSet, load_heads, save_heads
from classifiers.training import Row, TrainingConfig, fit_heads, held_back, score_held_back
from classifiers.transformer import TransformerJudge
from config.labels import Intent, Risk, Sentiment

WORDS = {
    "complaint": ["broken", "terrible", "refund", "worst", "delayed", "rude"],
    "question": ["how", "where", "when", "which", "help", "explain"],
    "praise": ["love", "great", "thanks", "amazing", "awesome", "brilliant"],
    "spam": ["crypto", "giveaway", "followers", "promo", "casino", "airdrop"],
}
RISK_WORDS = {"legal": "lawyer", "safety": "fire", "privacy": "hacked", "churn": "cancel"}


class HashEncoder:
    """Words hashed into 64 dimensions, rows L2-normalised; records what it was asked."""

    version = "hash-64"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        self.seen += list(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def synthetic_rows(count: int = 600, seed: int = 0) -> list[Row]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        intent = rng.choice(list(WORDS))
        words = [*rng.sample(WORDS[intent], 3), f"filler{rng.randint(0, 50)}", f"n{i}"]
        risk = (
            [rng.choice(list(RISK_WORDS))] if intent == "complaint" and rng.random() < 0.5 else []
        )
        words += [RISK_WORDS[flag] for flag in risk]
        sentiment = {"complaint": "negative", "praise": "positive"}.get(intent, "neutral")
        labels = {
            "sentiment": sentiment,
            "intent": intent,
            "risk": tuple(risk),
            "escalate": str(bool(risk)).lower(),
        }
        rows.append(Row(" ".join(words), labels, "en", "synthetic"))
    return rows


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = synthetic_rows()
    encoder = HashEncoder()
    heads = fit_heads(
        rows,
        embed=lambda texts: join_features(texts, embed=encoder.encode),
        config=TrainingConfig(epochs=20, min_epochs=5, patience=4, hidden=64, members=2),
    )
    heads.meta["name"] = "tiny-heads"
    directory = tmp_path_factory.mktemp("model")
    save_heads(heads, directory)
    return directory


def test_training_learns_the_signal_on_held_back_rows(model_dir: Path) -> None:
    judge = TransformerJudge(model_dir=model_dir, encoder=HashEncoder())
    reports = score_held_back(synthetic_rows(), predict=judge.predict)
    assert reports["intent"].accuracy >= 0.95
    assert reports["sentiment"].accuracy >= 0.95
    assert reports["escalate"].classes["true"].recall >= 0.9


def test_judgements_come_back_in_order_with_scores_and_version(model_dir: Path) -> None:
    judge = TransformerJudge(model_dir=model_dir, encoder=HashEncoder())
    verdicts = judge.predict(["terrible broken refund lawyer", "love great thanks amazing"])
    assert [v.intent for v in verdicts] == [Intent.COMPLAINT, Intent.PRAISE]
    assert Risk.LEGAL in verdicts[0].risk and verdicts[0].escalate
    assert verdicts[1].sentiment is Sentiment.POSITIVE and not verdicts[1].escalate
    for verdict in verdicts:
        assert sum(verdict.intent_scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert sum(verdict.sentiment_scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert set(verdict.risk_scores) == {r.value for r in Risk}
        assert verdict.model_version == f"tiny-heads@{judge.heads.digest}+hash-64"


def test_the_version_names_these_heads_so_retrained_ones_read_as_new(
    model_dir: Path, tmp_path: Path
) -> None:
    shipped = load_heads(model_dir)
    assert len(shipped.digest) == 12 and shipped.digest == load_heads(model_dir).digest
    save_heads(shipped, tmp_path)  # a copy of the same heads is the same version
    assert load_heads(tmp_path).digest == shipped.digest
    rows = synthetic_rows()
    encoder = HashEncoder()
    retrained = fit_heads(
        rows,
        embed=lambda texts: join_features(texts, embed=encoder.encode),
        config=TrainingConfig(epochs=20, min_epochs=5, patience=4, hidden=64, members=2, seed=99),
    )
    assert retrained.digest != shipped.digest
    shifted = load_heads(model_dir)
    shifted.thresholds["legal"] = 0.9  # a new decision rule is a new version too
    assert shifted.digest != shipped.digest


def test_identical_texts_are_encoded_once(model_dir: Path) -> None:
    encoder = HashEncoder()
    judge = TransformerJudge(model_dir=model_dir, encoder=encoder)
    verdicts = judge.predict(["worst rude delayed"] * 5 + ["how help"])
    assert len(verdicts) == 6
    assert encoder.seen == ["worst rude delayed", "how help"]
    assert verdicts[0] == verdicts[4]


def test_hostile_input_is_cut_and_cleaned_before_the_encoder(model_dir: Path) -> None:
    encoder = HashEncoder()
    judge = TransformerJudge(model_dir=model_dir, encoder=encoder)
    texts = [
        "",
        "🔥🙄🔥",
        "x" * 100_000,
        "nul\x00 and \x1b[31m bell\x07",
        "\u202eعالی بود ممنون\u202c mixed English",
        "ok\ud800",
    ]
    verdicts = judge.predict(texts)
    assert len(verdicts) == len(texts)
    assert max(len(text) for text in encoder.seen) <= 2000
    assert not any(ch in "".join(encoder.seen) for ch in "\x00\x1b\x07\u202e\ud800")


def test_saved_heads_load_to_the_same_probabilities(model_dir: Path, tmp_path: Path) -> None:
    heads = load_heads(model_dir)
    save_heads(heads, tmp_path)
    again = load_heads(tmp_path)
    features = join_features(["refund broken", "crypto promo"], embed=HashEncoder().encode)
    for task, probs in heads.probabilities(features).items():
        np.testing.assert_allclose(probs, again.probabilities(features)[task], rtol=1e-6)


def test_training_is_deterministic_for_a_seed() -> None:
    rows = synthetic_rows(200, seed=3)

    def train() -> np.ndarray:
        heads = fit_heads(
            rows,
            embed=lambda t: join_features(t, embed=HashEncoder().encode),
            config=TrainingConfig(epochs=5, min_epochs=5),
        )
        return heads.probabilities(join_features(["refund how"], embed=HashEncoder().encode))[
            "intent"
        ]

    np.testing.assert_array_equal(train(), train())


def _quick(seed: int, members: int) -> TrainingConfig:
    return TrainingConfig(epochs=5, min_epochs=5, hidden=32, seed=seed, members=members)


def _embed(texts: Sequence[str]) -> np.ndarray:
    return join_features(texts, embed=HashEncoder().encode)


def test_each_member_is_the_head_a_one_member_run_of_its_seed_trains() -> None:
    rows = synthetic_rows(200, seed=5)
    ensemble = fit_heads(rows, embed=_embed, config=_quick(seed=3, members=3))
    alone = fit_heads(rows, embed=_embed, config=_quick(seed=4, members=1))
    assert {task: len(members) for task, members in ensemble.heads.items()} == {
        "sentiment": 3,
        "intent": 3,
        "risk": 3,
    }
    for task, members in alone.heads.items():
        second = ensemble.heads[task][1].state_dict()
        for name, tensor in members[0].state_dict().items():
            assert torch.equal(second[name], tensor), f"{task} {name}"


def test_an_ensemble_reads_the_mean_of_its_members_probabilities(tmp_path: Path) -> None:
    rows = synthetic_rows(200, seed=5)
    ensemble = fit_heads(rows, embed=_embed, config=_quick(seed=3, members=2))
    features = _embed(["refund broken lawyer", "crypto promo", "how thanks"])
    singles = [
        HeadSet(
            ensemble.dim,
            {t: [m[i]] for t, m in ensemble.heads.items()},
            ensemble.center,
            ensemble.scale,
        )
        for i in range(2)
    ]
    save_heads(ensemble, tmp_path)
    again = load_heads(tmp_path).probabilities(features)
    for task, probs in ensemble.probabilities(features).items():
        mean = (
            singles[0].probabilities(features)[task] + singles[1].probabilities(features)[task]
        ) / 2
        np.testing.assert_allclose(probs, mean, rtol=1e-6)
        np.testing.assert_allclose(again[task], probs, rtol=1e-6)
    assert not np.allclose(
        singles[0].probabilities(features)["intent"], singles[1].probabilities(features)["intent"]
    )  # the seeds really differ, so the mean is not one of them


def test_heads_saved_with_one_head_per_task_still_load(tmp_path: Path) -> None:
    # The layout before ensembles: tensors named "<task>.<param>", no "members" in the JSON.
    import json

    from safetensors.torch import load_file, save_file

    heads = fit_heads(synthetic_rows(200, seed=5), embed=_embed, config=_quick(seed=3, members=1))
    save_heads(heads, tmp_path)
    tensors = {
        name.replace(".0.", ".", 1): t
        for name, t in load_file(str(tmp_path / "heads.safetensors")).items()
    }
    save_file(tensors, str(tmp_path / "heads.safetensors"))
    description = json.loads((tmp_path / "heads.json").read_text())
    for spec in description["tasks"].values():
        del spec["members"]
    (tmp_path / "heads.json").write_text(json.dumps(description))
    features = _embed(["refund broken lawyer", "crypto promo"])
    old = load_heads(tmp_path)
    for task, probs in heads.probabilities(features).items():
        np.testing.assert_allclose(old.probabilities(features)[task], probs, rtol=1e-6)


def test_training_refuses_no_members() -> None:
    with pytest.raises(ValueError, match="members must be at least 1"):
        fit_heads(synthetic_rows(50), embed=_embed, config=_quick(seed=3, members=0))


def test_the_held_back_fifth_is_stable_and_about_a_fifth() -> None:
    texts = [f"mention number {i}" for i in range(5000)]
    share = sum(held_back(t) for t in texts) / len(texts)
    assert 0.18 < share < 0.22
    assert held_back("Mention  NUMBER 7") == held_back("mention number 7")


def test_heads_refuse_a_file_with_other_labels(model_dir: Path, tmp_path: Path) -> None:
    import json
    import shutil

    for name in ("heads.json", "heads.safetensors"):
        shutil.copy(model_dir / name, tmp_path / name)
    description = json.loads((tmp_path / "heads.json").read_text())
    description["tasks"]["intent"]["labels"] = ["a", "b", "c", "d", "e", "f", "g"]
    (tmp_path / "heads.json").write_text(json.dumps(description))
    with pytest.raises(ValueError, match="intent labels"):
        load_heads(tmp_path)
