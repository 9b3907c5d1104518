"""Errors raised by the classifiers package.

The tree::

    ClassifierError                 anything this package raises on purpose
     └── UnknownJudge (ValueError)  a judge name not in ``registry.JUDGES``

Judges themselves never raise on odd input: any string gets a ``Judgement``.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ClassifierError", "UnknownJudge"]


class ClassifierError(Exception):
    """Base class for errors raised by ``classifiers``."""


class UnknownJudge(ClassifierError, ValueError):
    """A judge was asked for by a name the registry does not know."""

    def __init__(self, name: str, choices: Iterable[str]) -> None:
        self.name = name
        self.choices = tuple(sorted(choices))
        super().__init__(f"unknown judge {name!r}; choose one of: {', '.join(self.choices)}")
