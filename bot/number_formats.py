"""Numbers as agents write them: digits of any script, both decimal conventions, and back.

:mod:`bot.amounts` decides which number of a message is money; this module only
reads and writes one number, so the two conventions agents use (``1,234.56`` and
``1.234,56``) are handled in one place and never guessed.

Reading
-------
* With both ``.`` and ``,`` the last one is the decimal mark; one separator
  followed by one or two digits is a decimal mark; repeated separators with
  groups of three are thousands. ``1.234`` / ``1,234`` alone could be either, so
  it is unclear unless another number in the message shows the decimal mark
  (:func:`decimal_mark`). Spaces are never thousands separators.
* Text is normalised first (:func:`normalise`): any Unicode decimal digit becomes
  ASCII (``unicodedata.decimal``: Arabic-Indic ``١٢``, full-width ``１２``...),
  full-width ``＄％．，`` and the minus sign ``−`` become ASCII, zero-width and
  direction marks are dropped.
* Numerals that are not decimal digits (``½``, ``²``, ``₁₂``, ``⑫``, ``Ⅻ``) are
  kept as they are and read as part of a number, which is then unclear
  (``unclear_digits``): ``12½`` is neither 12 nor 12.5 until the agent says so.
* Digits after a right-to-left override (U+202E) are shown reversed, so what is
  read is not what the agent sees: :func:`shown_reversed` tells :mod:`bot.amounts` to ask.

>>> read_number("1.234,56", None), read_number("1,234", None), read_number("1,234", ".")
(Decimal('1234.56'), 'unclear_separator', Decimal('1234'))
>>> normalise("＄١٢٫٥"), read_number("12½", None)
('$12.5', 'unclear_digits')
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Literal

NumberProblem = Literal["too_large", "unclear_separator", "unclear_digits"]
MAX_DIGITS = 15


def _odd_numerals() -> str:
    """A regex class body of the numerals that are not decimal digits (categories No and Nl, BMP)."""
    codes = [code for code in range(0xA0, 0x10000) if unicodedata.category(chr(code)) in ("No", "Nl")]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


ODD_NUMERALS = _odd_numerals()
NUMBER = re.compile(rf"[0-9{ODD_NUMERALS}]+(?:[.,][0-9{ODD_NUMERALS}]+)*")
HAS_DIGIT = re.compile(rf"[0-9{ODD_NUMERALS}]")
_SEPARATOR = re.compile(r"[.,]")
_ISOLATES = "\u2066\u2067\u2068"
_OPENERS = "\u202a\u202b\u202d\u202e" + _ISOLATES  # embeddings, overrides, isolates
_BIDI = re.compile(rf"[\u202a-\u202e\u2066-\u2069\n\r\u2029]|[\d{ODD_NUMERALS}]")

_SPACES = " \u00a0\u2007\u2009\u202f\u3000"
_FOLDS = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061"
                             "\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c\u180e")),
    **{ord(c): " " for c in _SPACES[1:]},
    **{ord(c): "-" for c in "\u2212\ufe63\uff0d"},
    **{ord(a): b for a, b in zip("＄﹩￡￥％﹪٪．，٫٬＃﹟＋：／", "$$£¥%%%.,.,##+:/", strict=True)},
}


class _Folding(dict):
    """``str.translate`` table: any Unicode decimal digit and full-width letter to ASCII, cached."""

    def __missing__(self, code: int):
        char = chr(code)
        digit = unicodedata.decimal(char, None)
        value = str(digit) if digit is not None else chr(code - 0xFEE0) if 0xFF21 <= code <= 0xFF5A else code
        if len(self) < 4096:
            self[code] = value
        return value


_FOLDING = _Folding(_FOLDS)
_NEEDS_FOLDING = re.compile(r"[^\x00-\x9f\xa1-\xac\xae-\xff]")  # beyond ASCII and Latin-1 letters


def normalise(text: str) -> str:
    r"""Digits of any script as ASCII, full-width signs as ASCII, invisible characters gone.

    >>> normalise("re\u200bfund ＄１２ \u202e−5")
    'refund $12 -5'
    """
    return text.translate(_FOLDING) if _NEEDS_FOLDING.search(text) else text


def shown_reversed(text: str) -> bool:
    r"""Does a right-to-left override (U+202E) show some digits of ``text`` reversed?

    "refund $<U+202E>21" shows as "refund $12": what the agent sees is not what is read, so ask.
    An override lasts until its pop (U+202C), the end of an isolate around it, or the end of the line;
    an embedding or isolate inside it shows digits normally.

    >>> shown_reversed("refund $\u202e21"), shown_reversed("refund $12 \u202eok"), shown_reversed("\u202eok\u202c $12")
    (True, False, False)
    """
    if "\u202e" not in text:
        return False
    stack: list[str] = []
    for found in _BIDI.finditer(text):
        char = found.group()
        if char in _OPENERS:
            stack.append(char)
        elif char == "\u202c":  # pops the last embedding or override, never an isolate
            if stack and stack[-1] not in _ISOLATES:
                stack.pop()
        elif char == "\u2069":  # closes the last isolate and everything opened inside it
            while stack and stack.pop() not in _ISOLATES:
                pass
        elif char in "\n\r\u2029":
            stack.clear()
        elif stack and stack[-1] == "\u202e":
            return True
    return False


def grouped(groups: list[str]) -> bool:
    """Thousands groups: '1', '234', '567' (never '0', '234')."""
    head = groups[0]
    return 1 <= len(head) <= 3 and head[0] != "0" and all(len(g) == 3 for g in groups[1:])


def read_number(raw: str, decimal_mark: str | None) -> Decimal | NumberProblem:
    """The value of '1.234,56', '12.50', '1,234' (a problem code when it cannot be told).

    ``decimal_mark`` is the mark other numbers of the message show, when they do.
    """
    if not raw.isascii():
        return "unclear_digits"
    if not ("." in raw or "," in raw):
        return Decimal(raw) if len(raw) <= MAX_DIGITS else "too_large"
    if len(raw) > MAX_DIGITS * 2:
        return "too_large"
    groups = _SEPARATOR.split(raw)
    last = raw[-len(groups[-1]) - 1]
    if "." in raw and "," in raw:
        if raw.count(last) != 1 or not grouped(groups[:-1]) or len(groups[-1]) > 2:
            return "unclear_separator"
        return Decimal("".join(groups[:-1]) + "." + groups[-1])
    if len(groups) > 2:
        return Decimal("".join(groups)) if grouped(groups) else "unclear_separator"
    whole, fraction = groups
    if len(fraction) <= 2:
        return Decimal(whole + "." + fraction)
    if len(fraction) == 3 and grouped(groups) and decimal_mark not in (None, last):
        return Decimal(whole + fraction)
    return "unclear_separator"


def decimal_mark(raws: list[str]) -> str | None:
    """The decimal mark other numbers of the message show, when they agree: '12,50' -> ','.

    >>> decimal_mark(["12,50", "1.234"]), decimal_mark(["1,234,567"]), decimal_mark(["12.50", "3,5"])
    (',', '.', None)
    """
    marks = set()
    for raw in raws:
        groups = _SEPARATOR.split(raw)
        if len(groups) == 1:
            continue
        last = raw[-len(groups[-1]) - 1]
        if "." in raw and "," in raw or len(groups) == 2 and len(groups[-1]) <= 2:
            marks.add(last)
        elif len(groups) > 2 and grouped(groups):
            marks.add("," if last == "." else ".")
    return marks.pop() if len(marks) == 1 else None


def format_money(amount: Decimal, currency: str, lang: Literal["en", "es"] = "en") -> str:
    """An amount as agents read it, and as :func:`bot.amounts.find_money` reads it back.

    English writes dollars as ``$1,234.56`` and other currencies as ``1,234.56 EUR``;
    Spanish always writes ``1.234,56 USD`` (the code avoids guessing what ``$`` means).

    >>> format_money(Decimal("1234.5"), "USD", "en"), format_money(Decimal("1234.5"), "EUR", "en")
    ('$1,234.50', '1,234.50 EUR')
    >>> format_money(Decimal("1234.56"), "USD", "es")
    '1.234,56 USD'
    """
    exponent = amount.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    digits = f"{abs(amount):,.{places}f}"
    sign = "-" if amount < 0 else ""
    if lang == "es":
        return f"{sign}{digits.translate(_SPANISH_SEPARATORS)} {currency}"
    return f"{sign}${digits}" if currency == "USD" else f"{sign}{digits} {currency}"


_SPANISH_SEPARATORS = str.maketrans(",.", ".,")
