"""Unit tests for lint_draft: risky promises, admissions of fault and personal data."""

from __future__ import annotations

import pytest

from responders.drafting import lint_draft


def codes(text: str) -> set[str]:
    return {warning.split(":", 1)[0] for warning in lint_draft(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Sorry! We will refund your order today.",
        "We'll refund you right away.",
        "We would be happy to refund the difference.",
        "You'll get a full refund.",
        "You will be refunded within 3 days.",
        "We'll give you your money back.",
        "Ücretinizi iade edeceğiz.",
        "Paranızı hemen iade ediyoruz.",
        "İADE EDECEĞİZ",
        "Tutarı geri ödeyeceğiz.",
        "هزینه را بازپرداخت می‌کنیم.",
        "هزینه را بازپرداخت میکنیم.",
        "هزينه را بازپرداخت مي‌كنيم.",  # written with Arabic yeh and kaf
        "پولتان را برمی‌گردانیم.",
        "وجه شما را عودت می‌دهیم.",
    ],
)
def test_refund_promises_are_flagged(text: str) -> None:
    assert codes(text) == {"refund-promise"}


@pytest.mark.parametrize(
    "text",
    [
        "It's our fault, sorry.",
        "This is entirely our fault.",
        "Sorry, our mistake!",
        "We are liable for the damage.",
        "We're fully liable.",
        "We take full responsibility.",
        "We messed up.",
        "Bu bizim hatamız.",
        "Hata tamamen bizde.",
        "Sorumluluğu kabul ediyoruz.",
        "Bizden kaynaklanan bir sorun oldu.",
        "تقصیر ماست.",
        "اشتباه از طرف ما بود.",
        "ما مقصریم.",
        "مسئولیت آن را می‌پذیریم.",
    ],
)
def test_admissions_of_fault_are_flagged(text: str) -> None:
    assert codes(text) == {"fault-admission"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Write to jane.doe@example.com for help.", "e-mail"),
        ("Call +90 532 123 45 67 now.", "phone"),
        ("Call (0532) 123 45 67.", "phone"),
        ("Call 0912 345 6789.", "phone"),
        ("با ۰۹۱۲ ۳۴۵ ۶۷۸۹ تماس بگیرید.", "phone"),
        ("Card 4111 1111 1111 1111 was charged.", "card"),
        ("Card 4111-1111-1111-1111 was charged.", "card"),
    ],
)
def test_personal_data_is_flagged_without_repeating_it(text: str, kind: str) -> None:
    warnings = lint_draft(text)
    assert len(warnings) == 1
    assert warnings[0].startswith("personal-data:")
    assert kind in warnings[0]
    assert not any(ch.isdigit() for ch in warnings[0])
    assert "@" not in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "We can't promise a refund, but we'll look into it.",
        "We will not refund that.",
        "Our refund policy is on our site.",
        "We will check the refund process for you.",
        "You will get a reply soon.",
        "It's not our policy to share that.",
        "Sorry for the trouble, we're on it. Ref: C-000123",
        "Ask @brandsupport on 2024-05-01.",
        "Order 12345678 is on its way.",
        "Ürünü iade edebilirsiniz.",
        "İade politikamız sitemizde.",
        "سیاست بازپرداخت ما در سایت است.",
        "بابت مشکل پیش‌آمده متأسفیم.",
        "",
    ],
)
def test_ordinary_wording_passes(text: str) -> None:
    assert lint_draft(text) == ()


def test_each_finding_is_reported_once_and_quoted() -> None:
    warnings = lint_draft("We will refund you. Again: we will refund you.")
    assert warnings == ('refund-promise: "We will refund" promises a refund',)


def test_several_kinds_are_all_reported() -> None:
    text = "It's our fault and we will refund you; mail me at a@b.co"
    assert codes(text) == {"refund-promise", "fault-admission", "personal-data"}


def test_overlapping_patterns_give_one_warning() -> None:
    assert len(lint_draft("You'll get a full refund.")) == 1
