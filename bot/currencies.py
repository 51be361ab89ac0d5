"""Which currency the markers around a number name: symbols, ISO codes, currency words.

"$" and dollar words mean the base currency when it is a dollar (or, for "$", a
peso) currency, else USD; "pesos" the base currency when it is a peso currency,
else it is unclear which. ISO codes count in lower case only for usd/eur/gbp/mxn
and the base currency, so "40 pen" is not soles. Used by :mod:`bot.amounts`.

>>> word_currency("dólares", "MXN"), word_currency("pesos", "EUR"), word_currency("€", "USD")
('USD', '?', 'EUR')
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["DOLLAR_CURRENCIES", "PESO_CURRENCIES", "KNOWN_CODES", "UNCLEAR", "dollar_sign", "fold",
           "prefix_currency", "word_currency"]

DOLLAR_CURRENCIES = frozenset("USD CAD AUD NZD SGD HKD TWD BSD BZD JMD TTD XCD BBD KYD BMD".split())
PESO_CURRENCIES = frozenset("MXN ARS CLP COP UYU DOP CUP PHP".split())
KNOWN_CODES = DOLLAR_CURRENCIES | PESO_CURRENCIES | frozenset(
    "EUR GBP BRL PEN BOB PYG VES GTQ CRC HNL NIO PAB CHF JPY CNY INR SEK NOK DKK PLN CZK ZAR".split()
)
_LOWERCASE_CODES = frozenset({"usd", "eur", "gbp", "mxn"})
_LEAD_DOLLARS = {"US": "USD", "MX": "MXN", "C": "CAD", "CA": "CAD", "A": "AUD", "AU": "AUD",
                 "NZ": "NZD", "R": "BRL", "S": "SGD", "HK": "HKD", "COL": "COP", "CLP": "CLP", "AR": "ARS",
                 "RD": "DOP", "UY": "UYU", "NT": "TWD"}
_DOLLAR_WORDS = frozenset({"dolares", "dolar", "dollars", "dollar", "bucks", "buck", "dlls", "dls"})
_PESO_WORDS = frozenset({"pesos", "peso"})
_EURO_WORDS = frozenset({"euros", "euro"})
UNCLEAR = "?"  # currency marker present, but which currency is unclear


@functools.lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lowercase without accents: 'Días' -> 'dias'."""
    word = word.lower()
    return word if word.isascii() else unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def dollar_sign(base: str) -> str:
    """The currency a bare "$" means with this base currency."""
    return base if base in DOLLAR_CURRENCIES or base in PESO_CURRENCIES else "USD"


def prefix_currency(prefix: re.Match, base: str) -> str | None:
    sym, lead, code = prefix.group("sym", "lead", "code")
    if code:
        return code_currency(code, base)
    if sym is None:
        return None
    if sym == "U$S":
        return "USD"
    if lead:
        return _LEAD_DOLLARS.get(lead, dollar_sign(base))
    return symbol_currency(sym, base)


def symbol_currency(sym: str, base: str) -> str:
    return {"$": dollar_sign(base), "€": "EUR", "£": "GBP", "¥": "CNY" if base == "CNY" else "JPY"}[sym]


def code_currency(word: str, base: str) -> str | None:
    upper = word.upper()
    if upper == base or (upper in KNOWN_CODES and (word == upper or word in _LOWERCASE_CODES)):
        return upper
    return None


def word_currency(word: str, base: str) -> str | None:
    if word in "$€£¥":
        return symbol_currency(word, base)
    folded = fold(word)
    if folded in _DOLLAR_WORDS:
        return base if base in DOLLAR_CURRENCIES else "USD"
    if folded in _EURO_WORDS:
        return "EUR"
    if folded in _PESO_WORDS:
        return base if base in PESO_CURRENCIES else UNCLEAR
    return code_currency(word, base) if len(word) == 3 else None
