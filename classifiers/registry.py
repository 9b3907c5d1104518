"""The judges socialcrm can run, by name, imported only when asked for.

Settings name a judge ("baseline"); ``load_judge`` turns the name into an
instance. Entries are dotted paths, so a judge that needs torch costs nothing
until it is chosen. Judges that run an encoder also take its precision
(``classifier.precision``: auto, bf16, int8 or fp32).
"""

from __future__ import annotations

import importlib
from typing import cast

from classifiers.errors import UnknownJudge
from classifiers.judgement import Judge
from config.settings import ClassifierSettings

__all__ = ["ENCODER_JUDGES", "JUDGES", "configured_judge", "load_judge"]

JUDGES: dict[str, str] = {
    "baseline": "classifiers.baseline:LexiconJudge",
    "e5": "classifiers.transformer:TransformerJudge",
}
ENCODER_JUDGES = frozenset({"e5"})


def load_judge(name: str, *, precision: str = "auto") -> Judge:
    """Import and build the judge registered as ``name``; ``UnknownJudge`` if there is none."""
    try:
        target = JUDGES[name]
    except KeyError:
        raise UnknownJudge(str(name), JUDGES) from None
    module_name, _, class_name = target.partition(":")
    judge_class = getattr(importlib.import_module(module_name), class_name)
    options = {"precision": precision} if name in ENCODER_JUDGES else {}
    return cast(Judge, judge_class(**options))


def configured_judge(settings: ClassifierSettings) -> Judge:
    """The judge that ``classifier.judge`` names, at ``classifier.precision``."""
    return load_judge(settings.judge, precision=settings.precision)
