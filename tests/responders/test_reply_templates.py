"""The reply templates themselves: all present, shipped, clean, and in the right script."""

from __future__ import annotations

import importlib.resources
import re
from itertools import product

import pytest
from jinja2 import meta

from responders.drafting import DRAFTABLE, environment, lint_draft

LANGUAGES = ("en", "tr", "fa")
BASES = sorted([str(intent) for intent in DRAFTABLE] + ["complaint_escalated"])
EXPECTED = {f"replies/{base}.{lang}.j2" for base, lang in product(BASES, LANGUAGES)}
ALLOWED_VARIABLES = {"first_name", "case_ref", "short"}


def source(name: str) -> str:
    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def test_every_intent_and_language_has_a_template_and_nothing_else() -> None:
    assert set(environment().list_templates(extensions=["j2"])) == EXPECTED


def test_templates_live_in_the_package_as_data() -> None:
    folder = importlib.resources.files("responders") / "templates" / "replies"
    assert {f"replies/{f.name}" for f in folder.iterdir() if f.name.endswith(".j2")} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_templates_only_see_the_name_the_reference_and_the_variant(name: str) -> None:
    env = environment()
    assert meta.find_undeclared_variables(env.parse(source(name))) == ALLOWED_VARIABLES


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_variant_renders_clean(name: str) -> None:
    template = environment().get_template(name)
    texts = set()
    for short, first_name in product((False, True), ("Ayşe", None)):
        text = template.render(short=short, first_name=first_name, case_ref="C-000123").strip()
        texts.add(text)
        assert text.endswith("C-000123")
        assert text.count("C-000123") == 1
        assert lint_draft(text) == ()
        assert all(line == line.strip() and line for line in text.splitlines())
        assert ("Ayşe" in text) is (first_name is not None)
    assert len(texts) == 4  # short and full differ, with and without a name


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if ".fa." in n))
def test_persian_templates_use_persian_letters_not_arabic(name: str) -> None:
    text = source(name)
    assert "\u064a" not in text  # Arabic yeh
    assert "\u0643" not in text  # Arabic kaf
    assert "ی" in text
    assert re.search("می\u200c", text) or "ممنون" in text


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if ".tr." in n))
def test_turkish_templates_are_turkish(name: str) -> None:
    text = source(name)
    assert re.search("[çğıöşüİ]", text)
    assert "Referans: {{ case_ref }}" in text


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if ".en." in n))
def test_english_templates_are_plain_ascii(name: str) -> None:
    assert source(name).isascii()
