"""The judges socialcrm can run, by name, imported only when asked for.

Settings name a judge ("baseline"); ``load_judge`` turns the name into an
instance. Entries are dotted paths, so a judge that needs torch costs nothing
until it is chosen.
"""

from __future__ import annotations

import importlib
from typing import cast

from classifiers.errors import UnknownJudge
from classifiers.judgement import Judge

__all__ = ["JUDGES", "load_judge"]

JUDGES: dict[str, str] = {
    "baseline": "classifiers.baseline:LexiconJudge",
    "e5": "classifiers.transformer:TransformerJudge",
}


def load_judge(name: str) -> Judge:
    """Import and build the judge registered as ``name``; ``UnknownJudge`` if there is none."""
    try:
        target = JUDGES[name]
    except KeyError:
        raise UnknownJudge(str(name), JUDGES) from None
    module_name, _, class_name = target.partition(":")
    judge_class = getattr(importlib.import_module(module_name), class_name)
    return cast(Judge, judge_class())
