"""Money in what agents type: what is an amount, what is not, and when to ask."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.amounts import MAX_AMOUNT, MoneyScan, find_money, format_money

D = Decimal

# text, base currency -> amount, currency
FOUND = [
    ("el cliente recibió el pedido 6 días tarde y pide que le devolvamos los 12 dólares del envío", "USD",
     D("12"), "USD"),
    ("cx wants $25 store credit, order #48213 came a week late", "USD", D("25"), "USD"),
    ("refund 1.234,56 €", "USD", D("1234.56"), "EUR"),
    ("$12", "USD", D("12"), "USD"),
    ("$ 12.50", "USD", D("12.50"), "USD"),
    ("12 USD", "USD", D("12"), "USD"),
    ("USD 40", "USD", D("40"), "USD"),
    ("usd40", "USD", D("40"), "USD"),
    ("12,50 €", "USD", D("12.50"), "EUR"),
    ("€12", "USD", D("12"), "EUR"),
    ("£5", "USD", D("5"), "GBP"),
    ("reembolso de 1.234,56", "USD", D("1234.56"), "USD"),
    ("refund 1,234.56", "USD", D("1234.56"), "USD"),
    ("$1,234,567.89", "USD", D("1234567.89"), "USD"),
    ("1.234.567 €", "USD", D("1234567"), "EUR"),
    ("40 dólares", "USD", D("40"), "USD"),
    ("40 dolares", "USD", D("40"), "USD"),
    ("40 dollars", "USD", D("40"), "USD"),
    ("40 bucks", "USD", D("40"), "USD"),
    ("20 euros", "USD", D("20"), "EUR"),
    ("refund 50k", "USD", D("50000"), "USD"),
    ("$50k", "USD", D("50000"), "USD"),
    ("refund 1.5k", "USD", D("1500"), "USD"),
    ("1,5k €", "USD", D("1500"), "EUR"),
    ("2 mil dólares", "USD", D("2000"), "USD"),
    ("＄１２", "USD", D("12"), "USD"),  # full-width
    ("٣٠ USD", "USD", D("30"), "USD"),  # Arabic-Indic digits
    ("refund$12", "USD", D("12"), "USD"),  # glued to words
    ("refund12usd pls", "USD", D("12"), "USD"),
    ("de12€", "USD", D("12"), "EUR"),
    ("40dólares", "USD", D("40"), "USD"),
    ("US$40", "USD", D("40"), "USD"),
    ("U$S 40", "MXN", D("40"), "USD"),
    ("$12 MXN", "USD", D("12"), "MXN"),
    ("refund 12 for shipping", "USD", D("12"), "USD"),
    ("devolver 15 del envío", "USD", D("15"), "USD"),
    ("reembolso de 20 al cliente", "EUR", D("20"), "EUR"),
    ("12 de crédito", "USD", D("12"), "USD"),
    ("20 off his next order", "USD", D("20"), "USD"),
    ("order total 12.50", "USD", D("12.50"), "USD"),
    ("wants a replacement ($55)", "USD", D("55"), "USD"),
    ("$12 and 12 dollars", "USD", D("12"), "USD"),  # the same amount twice is one amount
    ("$0", "USD", D("0"), "USD"),
    ("re\u200bfund $1\u200b2 \u202eok", "USD", D("12"), "USD"),  # zero-width and RTL marks
    ("refund 🙂$12🙂", "USD", D("12"), "USD"),
]


@pytest.mark.parametrize(("text", "base", "amount", "currency"), FOUND)
def test_amounts_are_read(text, base, amount, currency):
    scan = find_money(text, base_currency=base)
    assert (scan.amount, scan.currency, scan.ambiguous, scan.reason) == (amount, currency, False, None)
    assert isinstance(scan.amount, Decimal)
    assert scan.mentions


# The dollar sign and dollar words follow the base currency only when it is a dollar (or peso) currency.
@pytest.mark.parametrize(
    ("text", "base", "currency"),
    [
        ("$12", "USD", "USD"),
        ("$12", "MXN", "MXN"),
        ("$12", "CAD", "CAD"),
        ("$12", "EUR", "USD"),
        ("12 dólares", "MXN", "USD"),
        ("12 dollars", "CAD", "CAD"),
        ("12 pesos", "COP", "COP"),
        ("12 eur", "USD", "EUR"),
        ("12 cop", "COP", "COP"),  # lower-case code accepted for the base currency
    ],
)
def test_dollar_signs_follow_the_base_currency(text, base, currency):
    assert find_money(text, base_currency=base).currency == currency


NOT_MONEY = [
    "order #48213",
    "order 48213 came late",
    "pedido 4521 llegó tarde",
    "refund order 48213",
    "el pedido llegó 6 días tarde",
    "refund 2 items",
    "credit for 3 weeks",
    "reembolso tras 3 semanas",
    "refund after 4 hours",
    "le aparece el cargo 2 vecez",  # a misspelt unit is still a unit
    "refund on 2024-05-01",
    "refund on 5/12",
    "reembolso el 5 de mayo",
    "refund May 5",
    "call at 10:30 about the refund",
    "refund at 3pm",
    "refund at 3 pm",
    "call 555-123-4567 for the refund",
    "call +1 555 123 4567",
    "version 2.3.1 refund",
    "v2 refund",
    "the 3rd refund",
    "A4 paper",
    "I paid for 2-day shipping",
    "refund 1500000",  # seven bare digits: an identifier
    "50k followers",
    "temperature -20",
    "tracking hasn't moved in 9 days",
    "5 pounds of coffee",  # pounds are weight, not money
    "",
    "no numbers here",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_numbers_that_are_not_money(text):
    scan = find_money(text, base_currency="USD")
    assert (scan.amount, scan.ambiguous, scan.mentions) == (None, False, ())


@pytest.mark.parametrize(
    ("text", "percents"),
    [("10% off", (D("10"),)), ("descuento del 10 %", (D("10"),)), ("15 percent", (D("15"),)),
     ("un 25 por ciento", (D("25"),)), ("charged 21% should be 10%", (D("21"), D("10")))],
)
def test_percentages_are_reported_apart_never_as_money(text, percents):
    scan = find_money(text, base_currency="USD")
    assert (scan.amount, scan.percents) == (None, percents)


# text -> reason; never an amount
AMBIGUOUS = [
    ("refund 1.234", "unclear_separator"),
    ("refund 1,234", "unclear_separator"),
    ("$1,234", "unclear_separator"),
    ("3.000 €", "unclear_separator"),
    ("refund of 0.125 dollars", "unclear_separator"),
    ("$20 or $40", "several_amounts"),
    ("$20 or 40", "several_amounts"),
    ("20 or 40 dollars", "several_amounts"),
    ("$20-30", "several_amounts"),
    ("refund 20 - 30", "several_amounts"),
    ("entre 20 y 40 dólares", "several_amounts"),
    ("charged $120 instead of $95", "several_amounts"),
    ("$20 and €20", "several_currencies"),
    ("12 USD or 12 EUR", "several_currencies"),
    ("€12 USD", "unclear_currency"),
    ("20 pesos", "unclear_currency"),  # base USD: which pesos?
    ("refund -20", "negative"),
    ("$-20", "negative"),
    ("-$20", "negative"),
    ("−20 USD", "negative"),  # U+2212 minus sign
    ("$5000000000", "too_large"),
    ("$" + "9" * 40, "too_large"),
]


@pytest.mark.parametrize(("text", "reason"), AMBIGUOUS)
def test_ambiguity_is_reported_never_guessed(text, reason):
    scan = find_money(text, base_currency="USD")
    assert (scan.amount, scan.ambiguous, scan.reason) == (None, True, reason)


@pytest.mark.parametrize(
    ("text", "amount", "reason"),
    [
        ("1.234 € y el otro era 1.234,00 €", D("1234"), None),
        ("paid 12,50, refund 1.234", None, "several_amounts"),  # 12.50 and 1234, both read
        ("$1,234 ... it was $12.50 before", None, "several_amounts"),
        ("refund 1.234 or 1.234", None, "unclear_separator"),  # nothing tells
    ],
)
def test_other_numbers_tell_the_decimal_mark(text, amount, reason):
    """'12,50' shows that ',' is the decimal mark in this message, so '1.234' is a thousand and more."""
    scan = find_money(text, base_currency="USD")
    assert (scan.amount, scan.reason) == (amount, reason)


def test_the_scan_is_frozen():
    scan = find_money("$12", base_currency="USD")
    with pytest.raises(ValidationError):
        scan.amount = D(1)


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "text"),
    [
        (D("1234.56"), "USD", "en", "$1,234.56"),
        (D("1234.56"), "EUR", "en", "1,234.56 EUR"),
        (D("1234.56"), "USD", "es", "1.234,56 USD"),
        (D("12"), "USD", "en", "$12.00"),
        (D("0.5"), "MXN", "es", "0,50 MXN"),
        (D("10000000"), "USD", "en", "$10,000,000.00"),
    ],
)
def test_format_money(amount, currency, lang, text):
    assert format_money(amount, currency, lang) == text


@settings(max_examples=400, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=10**9),
    currency=st.sampled_from(["USD", "EUR", "MXN", "GBP", "COP", "CAD", "XAF"]),
    lang=st.sampled_from(["en", "es"]),
)
def test_formatted_money_reads_back_exactly(cents, currency, lang):
    amount = D(cents).scaleb(-2)
    scan = find_money(format_money(amount, currency, lang), base_currency=currency)
    assert (scan.amount, scan.currency, scan.ambiguous) == (amount, currency, False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_result(text):
    scan = find_money(text, base_currency="USD")
    assert isinstance(scan, MoneyScan)
    assert scan.amount is None or D(0) <= scan.amount <= MAX_AMOUNT
    assert (scan.reason is None) is (not scan.ambiguous)


_NOISE = st.sampled_from(["$", "€", "-", "−", ".", ",", "%", "#", " ", "k", "\u200b", "\u202e", "١", "１", "usd",
                          "dólares", "refund", "días", "1", "23", "456", "7890", ":", "/", "+", "🙂"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_NOISE, max_size=40).map("".join))
def test_money_like_noise_gives_a_result(text):
    scan = find_money(text, base_currency="USD")
    assert scan.amount is None or scan.amount >= 0


@pytest.mark.parametrize(
    "text",
    ["9" * 40_000, "1 " * 20_000, "$1 " * 13_000, "$" + "1.1" * 13_000, "🙂\u200b" * 20_000, "\u202e" * 40_000,
     "+1" * 20_000, "1-" * 20_000],
)
def test_long_messages_return_promptly(text):
    started = time.perf_counter()
    scan = find_money(text, base_currency="USD")
    assert isinstance(scan, MoneyScan)
    assert time.perf_counter() - started < 3  # linear time: a quadratic scan takes minutes here


def test_an_amount_at_the_end_of_a_long_message_is_found():
    text = "🙂\u200b lorem ipsum " * 3000 + " refund $12"
    assert find_money(text, base_currency="USD").amount == D("12")
