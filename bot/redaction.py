"""Personal data out of free text before Leeway stores it.

Every situation, note, reason and unmatched message goes through :func:`redact`
before it reaches the ledger, so the database, its backups and the reports built
from it never hold a full card number, a card security code, an email address or
a phone number (nor half an emoji: an unpaired surrogate, which SQLite cannot
store, becomes ``�``). Agents paste whatever the customer wrote; the rules below are
written for that text: odd spacing, full-width or Arabic-Indic digits, invisible
characters copied from chat clients.

Rules, in the order they run:

1. **Invisible characters next to digits go.** Zero-width spaces and joiners,
   soft hyphens and direction marks touching a digit are dropped, so
   ``4111<ZWSP>1111...`` is seen as ``41111111...``. Elsewhere (emoji joiners,
   words) the text is left alone.
2. **International phones** -> ``[phone]``: ``+``, a country code and 8-15
   digits in all (``+34 612 345 678``, ``+1 (555) 123-4567``). They go before
   cards because a 13-15 digit phone can pass Luhn by chance, and nobody writes
   a card number after a plus sign.
3. **Card numbers** -> ``[card ••••1234]``. A *run* is digit groups joined by up
   to five separator characters (spaces, dashes, dots, invisible characters);
   any Unicode decimal digit counts (``unicodedata.decimal``). A candidate is a
   whole run, or consecutive whole groups of it, holding 13-19 digits that pass
   the Luhn check. Groups are never cut: an unseparated 24-digit tracking number
   stays as it is, but ``4111 1111 1111 1111 123`` (card, then CVV) loses the
   card. When candidates overlap, the whole run wins, then the one written like
   a card (a 4-digit group first, then groups of 4-6), then the longer, then the
   earlier. Runs failing Luhn (order and tracking numbers) stay.
4. **Emails** -> ``[email]``.
5. **Other phones** -> ``[phone]``: North American ``(555) 123-4567``,
   ``555-123-4567``; Spanish 9-digit (first digit 6-9) and Mexican 10-digit
   numbers written in groups (``612 34 56 78``, ``55 1234 5678``); unseparated
   9-10 digits right after a phone word (``tel``, ``whatsapp``, ``llamar al``).
   Money (``$1,234.56``, ``1.234,56 €``, ``123 456 789 COP``), dates and times,
   ``#order`` numbers, short numbers and bare unseparated numbers stay.
6. **Security codes** -> ``[cvv]``: a 3-4 digit token within four words after
   (or three before) ``cvv``, ``cvc``, ``cvv2``, ``csc``, ``security code``,
   ``código de seguridad``. Expiry dates (``12/28``) and amounts stay.

The passes repeat until nothing changes, which makes :func:`redact` idempotent
by construction; a pass that changes the text removes digits, ``@`` signs or
invisible characters, so the loop ends (in practice after one or two passes).

>>> redact("cx card 4111 1111 1111 1111 cvv 123, mail ana@example.com")
'cx card [card ••••1111] cvv [cvv], mail [email]'
>>> redact("order #123456789 for $1,234.56 on 2026-11-23, call +34 612 345 678")
'order #123456789 for $1,234.56 on 2026-11-23, call [phone]'
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator

__all__ = ["redact", "contains_card_number"]

# Format characters (Unicode category Cf) seen in pasted chat text, plus the
# combining grapheme joiner: all invisible, all able to hide a card number.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_INVISIBLE_CHARS = frozenset(
    chr(code) for part in re.findall(".-.|.", _INVISIBLE) for code in range(ord(part[0]), ord(part[-1]) + 1)
)
# Matched only from the start of a stretch (the lookbehind), so a page of zero-width
# spaces is one linear scan instead of one scan per character.
_INVISIBLE_NEAR_DIGIT = re.compile(rf"(?<=\d)[{_INVISIBLE}]+|(?<![{_INVISIBLE}])[{_INVISIBLE}]++(?=\d)")

# Characters people put between the groups of a card number.
_CARD_SEPARATOR = (
    r" \t\u00a0\u2007\u2009\u202f\u3000.\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d\uff0e" + _INVISIBLE
)
_DIGIT_RUN = re.compile(rf"\d+(?:[{_CARD_SEPARATOR}]{{1,5}}\d+)*")
_DIGIT_GROUP = re.compile(r"\d+")
_CARD_DIGITS = range(13, 20)
_CARD_MARK = "[card ••••{}]"

_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")

# Money around a digit run: a currency sign or code just before or just after.
_CURRENCY = r"(?:[$€£¥]|usd|eur|mxn|cop|ars|clp|pen|gbp|d[oó]lares|dollars|euros|pesos)"
_MONEY_AFTER = re.compile(rf"\s*{_CURRENCY}(?![^\W\d_])", re.IGNORECASE)
_MONEY_BEFORE = re.compile(rf"(?<![^\W\d_]){_CURRENCY}\s*\Z", re.IGNORECASE)
_NOT_BEFORE_PHONE = r"(?<![\w#$€£¥+.,/\-])"
_NOT_AFTER_PHONE = r"(?![^\W_]|[.,:/\-]\d)"
# +34 612 345 678, +1 (555) 123-4567, +52 1 55 1234 5678, +34612345678.
_INTERNATIONAL_PHONE = re.compile(rf"(?<![\w+])\+\d{{1,3}}(?:[ .\-]?\(?\d{{1,4}}\)?){{1,6}}{_NOT_AFTER_PHONE}")
_PHONE_PATTERNS = (
    # (555) 123-4567, 555-123-4567, 1 555 123 4567
    re.compile(
        rf"{_NOT_BEFORE_PHONE}(?:1[ .\-]?)?(?:\(\d{{3}}\)[ .\-]?|\d{{3}}[ .\-])\d{{3}}[ .\-]\d{{4}}{_NOT_AFTER_PHONE}"
    ),
    # 612 345 678, 612 34 56 78, 91 123 45 67, 55 1234 5678
    re.compile(rf"{_NOT_BEFORE_PHONE}\d{{2,4}}(?:[ .\-]\d{{2,4}}){{2,4}}{_NOT_AFTER_PHONE}"),
)
# tel 612345678, whatsapp: 5512345678, llamar al 612345678: bare digits only count after a phone word.
_PHONE_AFTER_WORD = re.compile(
    r"(?<!\w)((?:tel|tlf|phone|cel|celular|m[oó]vil|whatsapp|call|llamar(?: al)?)[:.]?\s*)\d{9,10}(?!\w)",
    re.IGNORECASE,
)
_PHONE_WORD_HINTS = ("tel", "tlf", "phone", "cel", "vil", "whatsapp", "call", "llamar")

_CVV_WORD = re.compile(
    r"(?<![\w\[])(?:cvv2?|cvc2?|csc|security\s+code|c[oó]d(?:igo|\.)?\s+de\s+seguridad)(?![^\W\d_])",
    re.IGNORECASE,
)
_CVV_TOKEN = re.compile(r"[(:\"'¿¡]*(\d{3,4})[)\]:,.;\"'!?]*")
_WORD = re.compile(r"\S+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a str holds a surrogate only when it is unpaired
_CURRENCY_WORD = re.compile(rf"{_CURRENCY}[.,;:!?)]*", re.IGNORECASE)
_CVV_WORDS_AFTER, _CVV_WORDS_BEFORE = 4, 3
_CVV_WORD_HINTS = ("cvv", "cvc", "csc", "security", "seguridad")


def redact(text: str) -> str:
    r"""Text safe to store: cards, security codes, emails and phones replaced by markers.

    >>> redact("tarjeta ４１１１-１１１１-１１１１-１１１１, código de seguridad: 987")
    'tarjeta [card ••••1111], código de seguridad: [cvv]'
    >>> redact("tracking 123456789012345678901234 stays")
    'tracking 123456789012345678901234 stays'
    >>> redact("half an emoji \ud83d")
    'half an emoji �'
    """
    text = _LONE_SURROGATE.sub("\ufffd", text)  # half an emoji from a broken client: SQLite refuses to store it
    while True:
        redacted = _redact_once(text)
        if redacted == text:
            return redacted
        text = redacted


def contains_card_number(text: str) -> bool:
    r"""True when ``text`` holds a Luhn-valid card number, reading digit runs as :func:`redact` does.

    Always False on what :func:`redact` returns, which makes it the check for tests and log scans.

    >>> contains_card_number("5555\u200b5555\u200b5555\u200b4444")  # zero-width spaces
    True
    >>> contains_card_number("order 4111 1111 1111 1112")
    False
    """
    return any(True for _ in _card_spans(_strip_invisible(text)))


def _redact_once(text: str) -> str:
    """One pass of every rule; cards come first (after ``+`` phones) as the one thing that must never get through.

    Rules whose trigger (an invisible character, an ``@``, a phone or code word) is
    absent are skipped: a regex scan costs a few microseconds even when it finds nothing.
    """
    text = _strip_invisible(text)
    text = _INTERNATIONAL_PHONE.sub(_phone_or_keep, text)
    text = _redact_cards(text)
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    for pattern in _PHONE_PATTERNS:
        text = pattern.sub(_phone_or_keep, text)
    lowered = text.lower()
    if any(word in lowered for word in _PHONE_WORD_HINTS):
        text = _PHONE_AFTER_WORD.sub(r"\1[phone]", text)
    if any(word in lowered for word in _CVV_WORD_HINTS):
        text = _redact_cvvs(text)
    return text


def _strip_invisible(text: str) -> str:
    return text if _INVISIBLE_CHARS.isdisjoint(text) else _INVISIBLE_NEAR_DIGIT.sub("", text)


# --- cards -------------------------------------------------------------------


def _redact_cards(text: str) -> str:
    spans = sorted(_card_spans(text))
    if not spans:
        return text
    parts, last = [], 0
    for start, end, last_four in spans:
        parts += [text[last:start], _CARD_MARK.format(last_four)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _card_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, last four digits)`` of each card number in ``text``, never overlapping."""
    for run in _DIGIT_RUN.finditer(text):
        found = run.group()
        if len(found) < _CARD_DIGITS.start or sum(map(str.isdecimal, found)) < _CARD_DIGITS.start:
            continue
        groups = [(m.start() + run.start(), m.end() + run.start(), _digits(m.group()))
                  for m in _DIGIT_GROUP.finditer(found)]
        yield from _best_windows(groups)


def _best_windows(groups: list[tuple[int, int, list[int]]]) -> Iterator[tuple[int, int, str]]:
    """Pick non-overlapping Luhn-valid windows of whole groups, best first (see module rules)."""
    digits = [d for group in groups for d in group[2]]
    luhn = _LuhnSums(digits)
    starts = [0]
    for group in groups:
        starts.append(starts[-1] + len(group[2]))
    candidates = []
    for first in range(len(groups)):
        for last in range(first, len(groups)):
            count = starts[last + 1] - starts[first]
            if count >= _CARD_DIGITS.stop:
                break
            if count in _CARD_DIGITS and luhn.valid(starts[first], starts[last + 1]):
                whole = first == 0 and last == len(groups) - 1
                shaped = _card_shaped([len(g[2]) for g in groups[first:last + 1]])
                candidates.append(((whole, shaped, count, -first), first, last))
    taken = [False] * len(groups)
    for _, first, last in sorted(candidates, reverse=True):
        if not any(taken[first:last + 1]):
            taken[first:last + 1] = [True] * (last - first + 1)
            last_four = "".join(map(str, digits[starts[last + 1] - 4:starts[last + 1]]))
            yield groups[first][0], groups[last][1], last_four


class _LuhnSums:
    """Luhn checks of any slice of one digit list in constant time, from prefix sums.

    A long run of separated digits has thousands of candidate windows; summing
    each from scratch made a 40,000-character message take half a second.

    >>> sums = _LuhnSums([9, 4] + [4] + [1] * 15)
    >>> sums.valid(2, 18), sums.valid(1, 17), _luhn_valid([4] + [1] * 15)
    (True, False, True)
    """

    def __init__(self, digits: list[int]):
        # plain[p][k] / doubled[p][k]: sum over i < k with i % 2 == p of d_i, or of its Luhn double.
        self.plain, self.doubled = ([0], [0]), ([0], [0])
        for index, digit in enumerate(digits):
            twice = digit * 2 - 9 if digit > 4 else digit * 2
            for parity in (0, 1):
                hit = index % 2 == parity
                self.plain[parity].append(self.plain[parity][-1] + (digit if hit else 0))
                self.doubled[parity].append(self.doubled[parity][-1] + (twice if hit else 0))

    def valid(self, start: int, end: int) -> bool:
        """Luhn check of ``digits[start:end]``: the rightmost digit is kept, every second one doubled."""
        kept = (end - 1) % 2  # indices with the parity of the last digit are not doubled
        total = (self.plain[kept][end] - self.plain[kept][start]
                 + self.doubled[1 - kept][end] - self.doubled[1 - kept][start])
        return total % 10 == 0


def _card_shaped(lengths: list[int]) -> bool:
    """Written like a card: one block, or 4 digits then blocks of 4-6 (the last may be shorter)."""
    return len(lengths) == 1 or (lengths[0] == 4 and all(4 <= n <= 6 for n in lengths[1:-1]))


def _digits(chars: str) -> list[int]:
    """Values of the decimal digits in ``chars``, whatever script they are written in."""
    return [unicodedata.decimal(ch) for ch in chars if unicodedata.decimal(ch, None) is not None]


def _luhn_valid(digits: list[int]) -> bool:
    """The Luhn checksum every card number satisfies; the plain reference :class:`_LuhnSums` is tested against.

    >>> _luhn_valid([4] + [1] * 15), _luhn_valid([4] + [1] * 14 + [2])
    (True, False)
    """
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


# --- phones and security codes -------------------------------------------------


def _phone_or_keep(match: re.Match[str]) -> str:
    """``[phone]`` when the match has a phone's digit count and is not an amount of money."""
    found = match.group()
    digits = [ch for ch in found if ch.isdecimal()]
    text, start, end = match.string, match.start(), match.end()
    if _MONEY_AFTER.match(text, end) or _MONEY_BEFORE.search(text, max(0, start - 12), start):
        return found
    if found.lstrip().startswith("+"):
        return "[phone]" if 8 <= len(digits) <= 15 else found
    if len(digits) == 11 and digits[0] == "1":  # North American trunk prefix
        digits = digits[1:]
    if len(digits) == 9 and digits[0] in "6789":
        return "[phone]"
    return "[phone]" if len(digits) == 10 and digits[0] not in "01" else found


def _redact_cvvs(text: str) -> str:
    """Replace 3-4 digit tokens near a security-code word; a token stays one word, so passes agree."""
    spans: set[tuple[int, int]] = set()
    for word in _CVV_WORD.finditer(text):
        after = list(itertools.islice(_WORD.finditer(text, word.end()), _CVV_WORDS_AFTER + 1))
        spans.update(_code_spans(after[:_CVV_WORDS_AFTER], after[1:]))
        before = _words_before(text, word.start())
        spans.update(_code_spans(before, before[1:]))
    parts, last = [], 0
    for start, end in sorted(spans):
        parts += [text[last:start], "[cvv]"]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _words_before(text: str, position: int) -> list[re.Match[str]]:
    """The last few words before ``position`` (looking back a bounded distance, for speed)."""
    start = max(0, position - 100)
    words = list(_WORD.finditer(text, start, position))
    if words and words[0].start() == start > 0 and not text[start - 1].isspace():
        words = words[1:]  # the tail of a longer word
    return words[-_CVV_WORDS_BEFORE:]


def _code_spans(words: list[re.Match[str]], following: list[re.Match[str]]) -> Iterator[tuple[int, int]]:
    """Digits of the words that are bare 3-4 digit codes, not amounts like ``150 usd``."""
    for index, word in enumerate(words):
        code = _CVV_TOKEN.fullmatch(word.group())
        money = index < len(following) and _CURRENCY_WORD.fullmatch(following[index].group())
        if code and not money:
            yield word.start() + code.start(1), word.start() + code.end(1)
