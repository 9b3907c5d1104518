"""Tests for classifiers.registry and the classifiers exception tree."""

from __future__ import annotations

import importlib

import pytest

from classifiers.baseline import LexiconJudge
from classifiers.errors import ClassifierError, UnknownJudge
from classifiers.registry import JUDGES, load_judge


def test_baseline_is_registered_and_loads() -> None:
    judge = load_judge("baseline")
    assert isinstance(judge, LexiconJudge)
    assert judge.version == "baseline-lexicon-1"


def test_loaded_judge_judges() -> None:
    [result] = load_judge("baseline").predict(["Worst service ever, I want a refund"])
    assert result.intent.value == "complaint"


@pytest.mark.parametrize("name", sorted(JUDGES))
def test_every_registered_path_resolves_to_a_class(name: str) -> None:
    module_name, _, class_name = JUDGES[name].partition(":")
    assert isinstance(getattr(importlib.import_module(module_name), class_name), type)


@pytest.mark.parametrize("name", ["bert", "", "Baseline", "classifiers.baseline:LexiconJudge"])
def test_unknown_name_raises_unknown_judge(name: str) -> None:
    with pytest.raises(UnknownJudge) as caught:
        load_judge(name)
    assert caught.value.name == name
    assert caught.value.choices == tuple(sorted(JUDGES))


def test_unknown_judge_message_names_the_valid_choices() -> None:
    with pytest.raises(UnknownJudge, match=r"unknown judge 'bert'; choose one of: baseline"):
        load_judge("bert")


def test_unknown_judge_is_a_value_error_and_a_classifier_error() -> None:
    error = UnknownJudge("bert", ["baseline"])
    assert isinstance(error, ValueError)
    assert isinstance(error, ClassifierError)
