"""Spec for bot.redaction: what personal data never reaches storage, and what text is left alone."""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given, settings, strategies as st

from bot.redaction import _LuhnSums, _luhn_valid, contains_card_number, redact

ZWSP, ZWJ, WORD_JOINER, SOFT_HYPHEN, NBSP = "\u200b", "\u200d", "\u2060", "\u00ad", "\u00a0"


def script(number: str, zero: str) -> str:
    """``number`` written with the digits of another script (``zero`` is that script's 0)."""
    return "".join(chr(ord(zero) + int(d)) if d.isdigit() else d for d in number)


CARDS = [
    # (as typed, marker expected in its place)
    ("4111 1111 1111 1111", "[card ••••1111]"),  # Visa, spaces
    ("5555-5555-5555-4444", "[card ••••4444]"),  # Mastercard, dashes
    ("6011.1111.1111.1117", "[card ••••1117]"),  # Discover, dots
    ("4000056655665556", "[card ••••5556]"),  # Visa debit, no separators
    ("4111 1111-1111.1111", "[card ••••1111]"),  # mixed separators
    ("4111 - 1111 - 1111 - 1111", "[card ••••1111]"),  # spaced dashes
    ("4222222222222", "[card ••••2222]"),  # 13 digits
    ("3056 930902 5904", "[card ••••5904]"),  # Diners, 14 digits
    ("3782 822463 10005", "[card ••••0005]"),  # Amex, 15 digits, 4-6-5
    ("378282246310005", "[card ••••0005]"),
    ("6304 0000 0000 0000 018", "[card ••••0018]"),  # 19 digits
    ("4111111111111111110", "[card ••••1110]"),  # 19 digits, no separators
    (script("4111 1111 1111 1111", "０"), "[card ••••1111]"),  # full-width
    (script("4111111111111111", "٠"), "[card ••••1111]"),  # Arabic-Indic
    (script("5555 5555 5555 4444", "०"), "[card ••••4444]"),  # Devanagari
    (ZWSP.join("4111111111111111"), "[card ••••1111]"),  # zero-width space between every digit
    ("5555" + WORD_JOINER + "5555" + ZWJ + "5555" + SOFT_HYPHEN + "4444", "[card ••••4444]"),
    ("4111" + ZWSP + " 1111 " + ZWSP + "1111 1111", "[card ••••1111]"),
    ("4111" + NBSP + "1111" + NBSP + "1111" + NBSP + "1111", "[card ••••1111]"),
    ("4111–1111–1111–1111", "[card ••••1111]"),  # en dashes
]


@pytest.mark.parametrize(("card", "marker"), CARDS, ids=[repr(c) for c, _ in CARDS])
def test_card_numbers_become_a_marker_with_the_last_four_digits(card, marker):
    text = f"cx paid with {card}, please check"
    assert contains_card_number(text)
    assert redact(text) == f"cx paid with {marker}, please check"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the card is cut out of a longer run at group boundaries
        ("card 4111 1111 1111 1111 123", "card [card ••••1111] 123"),
        ("on 2026-11-23 4111 1111 1111 1111", "on 2026-11-23 [card ••••1111]"),
        ("two: 4111 1111 1111 1111 5555 5555 5555 4444", "two: [card ••••1111] [card ••••4444]"),
        ("4111111111111111/5555555555554444", "[card ••••1111]/[card ••••4444]"),
        ("tarjeta:4111111111111111.", "tarjeta:[card ••••1111]."),
        ("ref4111111111111111x", "ref[card ••••1111]x"),  # letters around do not protect it
    ],
)
def test_card_numbers_inside_longer_text(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 4111 1111 1111 1112",  # fails Luhn
        "tracking 1Z999AA10123456784",
        "tracking 4111111111111111000000000",  # 25 digits with a card inside: groups are never cut
        "order 123456789012",  # 12 digits: too short for a card
        "ref 12345678901234567890",  # 20 digits
        "order #1234567812345678",  # fails Luhn
        "[card ••••1111]",  # a marker stays a marker
    ],
)
def test_digit_runs_that_are_not_cards_stay(text):
    assert not contains_card_number(text)
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cvv 123", "cvv [cvv]"),
        ("CVV: 4567", "CVV: [cvv]"),
        ("cvv2 321", "cvv2 [cvv]"),
        ("CVC is 987", "CVC is [cvv]"),
        ("the security code is 1234", "the security code is [cvv]"),
        ("csc=123", "csc=123"),  # one token with the word: not a bare code
        ("123 is the cvv", "[cvv] is the cvv"),
        ("el cvv es 123", "el cvv es [cvv]"),
        ("código de seguridad: 987", "código de seguridad: [cvv]"),
        ("codigo de seguridad 987", "codigo de seguridad [cvv]"),
        ("me dio el código cvv (456)", "me dio el código cvv ([cvv])"),
        ("card 4111111111111111 exp 12/28 cvv 123",
         "card [card ••••1111] exp 12/28 cvv [cvv]"),  # the expiry may stay
        ("cvv ok, refund 150 usd", "cvv ok, refund 150 usd"),  # an amount, not a code
        ("cvv missing, order 123456", "cvv missing, order 123456"),  # 6 digits
        ("asked for 123 things", "asked for 123 things"),  # no card word
        ("cvv was given earlier, then order 123", "cvv was given earlier, then order 123"),  # too far
    ],
)
def test_security_codes_next_to_card_words(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail ana.perez+leeway@example.co.uk ok", "mail [email] ok"),
        ("JOSE_99@Correo.MX", "[email]"),
        ("correo: maría@dominio.es.", "correo: [email]."),
        ("user@localhost", "user@localhost"),  # no dot in the domain: not an address
        ("@channel please", "@channel please"),
    ],
)
def test_emails(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "phone",
    [
        "+34 612 345 678",
        "+34612345678",
        "+1 555 123 4567",
        "+1 (555) 123-4567",
        "+52 1 55 1234 5678",  # 13 digits and Luhn-valid: still a phone, not a card
        "+44 20 7946 0958",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "1 555 123 4567",
        "612 345 678",
        "612 34 56 78",
        "91 123 45 67",
        "55 1234 5678",
        "33-1234-5678",
    ],
)
def test_phone_numbers(phone):
    assert redact(f"llamar al {phone} mañana") == "llamar al [phone] mañana"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tel 612345678", "tel [phone]"),
        ("whatsapp: 5512345678", "whatsapp: [phone]"),
        ("order 612345678", "order 612345678"),  # bare digits need a phone word
    ],
)
def test_unseparated_phone_numbers_need_a_phone_word(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "refund $1,234.56 approved",
        "reembolso de 1.234,56 € aprobado",
        "cobro de 123 456 789 COP",
        "USD 555 123 4567",  # an amount written with spaces
        "€ 612 345 678",
        "delivered 2026-11-23, promised 23/11/2026",
        "23-11-2026 10:30 llamó",
        "order #123456789",
        "order #612 345 678",
        "123.456.789",  # thousands, first digit is not a Spanish phone's
        "order 123 456 789",
        "3 items, 2 boxes, 45 min",
        "ticket 48213 and 99120",
        "version 10.2.3.4",
    ],
)
def test_money_dates_and_order_numbers_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a" * 40_000,
        "1 " * 20_000,
        "4111 1111 1111 1111 " * 2_000,
        "cvv 123 " * 5_000,
        "👨‍👩‍👧 " * 5_000,
        ZWSP * 40_000,
        "\ud800 lone surrogate 4111111111111111",
        "@" * 40_000,
        "+1 " * 13_000,
    ],
    ids=["empty", "letters", "digits", "cards", "cvvs", "emoji", "zwsp", "surrogate", "at", "plus"],
)
def test_never_raises_and_no_card_survives_big_or_odd_input(text):
    started = time.perf_counter()
    redacted = redact(text)
    assert time.perf_counter() - started < 5, "a pattern backtracks quadratically"  # about 0.3 s today
    assert not contains_card_number(redacted)
    assert redact(redacted) == redacted


def test_invisible_characters_away_from_digits_are_kept():
    text = f"cx sent 👨{ZWJ}👩{ZWJ}👧 and a soft{SOFT_HYPHEN}hyphen"
    assert redact(text) == text


# --- properties ---------------------------------------------------------------

DIGIT_ZEROS = ["0", "０", "٠", "۰", "०"]  # ASCII, full-width, Arabic-Indic, Persian, Devanagari
SEPARATORS = ["", "", "", " ", "-", ".", "  ", " - ", ZWSP, NBSP, WORD_JOINER, "\u2013"]


def with_check_digit(body: list[int]) -> list[int]:
    """``body`` followed by the digit that makes the whole Luhn-valid."""
    return body + [next(d for d in range(10) if _luhn_valid(body + [d]))]


card_digits = st.integers(12, 18).flatmap(lambda n: st.lists(st.integers(0, 9), min_size=n, max_size=n)).map(
    with_check_digit
)


@st.composite
def written_card(draw):
    """A Luhn-valid 13-19 digit number, typed in some script with some separators; and its last four."""
    digits = draw(card_digits)
    zero = draw(st.sampled_from(DIGIT_ZEROS))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(digits) - 1, max_size=len(digits) - 1))
    typed = "".join(chr(ord(zero) + d) + sep for d, sep in zip(digits, seps + [""]))
    return typed, "".join(map(str, digits[-4:]))


@settings(max_examples=500)
@given(written_card(), st.text(max_size=80), st.text(max_size=80))
@example(("4111 1111 1111 1111", "1111"), "cvv", "123")
def test_no_card_number_survives_and_its_last_four_do(card, before, after):
    typed, last_four = card
    text = f"{before} card {typed} thanks {after}"
    assert contains_card_number(text)
    redacted = redact(text)
    assert not contains_card_number(redacted)
    assert f"[card ••••{last_four}]" in redacted


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(exclude_categories=("Nd", "Cs"), exclude_characters="@")))  # Cs: see redact
def test_text_without_digits_or_at_signs_is_untouched(text):
    assert redact(text) == text


@settings(max_examples=300)
@given(card_digits.map(lambda ds: ds[:-1] + [(ds[-1] + 1) % 10]))
def test_a_wrong_check_digit_is_left_alone(digits):
    text = "order " + "".join(map(str, digits)) + " shipped"
    assert not contains_card_number(text)
    assert redact(text) == text


chatty = st.lists(
    st.sampled_from(
        list("0123456789 -.+()#$€@/:,") + [ZWSP, NBSP, "٤", "４", "cvv", " cvv ", "código de seguridad",
                                           "tel ", "usd", "ana@x.com", "4111", "1111", "[cvv]", "\n", "a"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=1000)
@given(st.one_of(chatty, st.text()))
def test_redaction_is_idempotent_and_leaves_no_card(text):
    once = redact(text)
    assert redact(once) == once
    assert not contains_card_number(once)


@given(st.lists(st.integers(0, 9), max_size=40), st.data())
def test_windowed_luhn_matches_the_plain_check(digits, data):
    start = data.draw(st.integers(0, len(digits)))
    end = data.draw(st.integers(start, len(digits)))
    if end > start:
        assert _LuhnSums(digits).valid(start, end) == _luhn_valid(digits[start:end])
