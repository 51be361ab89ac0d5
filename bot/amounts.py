"""Money in what an agent types: "$12", "12,50 €", "40 dólares", "usd40", "1.5k".

Agents write amounts in English and Spanish conventions, glue them to words and
mix them with order numbers, dates and counts. :func:`find_money` reads the one
amount a message asks for, or says why it cannot (``reason``) so the bot asks
the agent instead of guessing. Money is ``Decimal``; nothing here ever raises on
odd text (40,000 characters, emoji, zero-width or right-to-left marks).

How a number becomes money
--------------------------
* A number with a currency marker is money: a symbol (``$ € £ ¥``, ``US$``,
  ``MX$``...), an ISO code before or after it (``USD 40``, ``40usd``; lower case
  only for usd/eur/gbp/mxn and the base currency, so "40 pen" is not soles) or a
  currency word after it (dólares, dollars, bucks, euros, pesos). ``$`` and
  dollar words mean the base currency when it is a dollar (or, for ``$``, a
  peso) currency, else USD. "pesos" means the base currency when it is a peso
  currency; otherwise the currency is unclear. "pounds"/"libras" are not read
  as money: agents use them for weight.
* A bare number is money in the base currency only when a money word is right
  before it (refund, reembolso, credit, crédito, devolver, bono, descuento,
  cobro, cargo, charge, fee, total, ..., with only small words such as "the",
  "of", "de", "al cliente" in between) or right after it ("20 off", "12 de
  crédito"), and never when a unit follows ("6 días", "2 items", "3 weeks"),
  a month is next to it, or an identifier word precedes it ("order 48213",
  "pedido 4521"). A unit misspelt after its fourth letter ("2 vecez") is still a
  unit. Bare numbers of more than six digits are identifiers.
* A bare number joined to an amount by "or", "to", "-", "y", "hasta"...
  ("$20 or 40", "20-30 dollars") is read as a second amount of that currency.
* Never money: ``#48213``, dates and times (``5/12``, ``2024-05-01``, ``10:30``,
  ``3pm``), percentages (reported in ``percents``), phone-like numbers
  (``+1 ...``, ``555-123-4567``), versions and numbers glued to letters that are
  not a currency (``v2``, ``A4``, ``3rd``).

Numbers themselves (separators, ``1.234`` unclear, digits of any script, ``½``)
are read by :mod:`bot.number_formats`; ``mentions`` quote the normalised text.
Multipliers: ``k``/``K``, "mil", "thousand".
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from bot.currencies import UNCLEAR, dollar_sign, fold, prefix_currency, word_currency
from bot.number_formats import (HAS_DIGIT, NUMBER, decimal_mark, format_money, normalise, read_number,
                                shown_reversed)

__all__ = ["MAX_AMOUNT", "MoneyProblem", "MoneyScan", "find_money", "format_money"]

MoneyProblem = Literal[
    "direction_override", "negative", "too_large", "unclear_currency", "several_currencies", "unclear_separator",
    "unclear_digits", "several_amounts",
]
"""Why no amount was read, most serious first:

``direction_override`` a right-to-left override shows the amount's digits reversed;
``negative`` a minus sign before an amount; ``too_large`` above :data:`MAX_AMOUNT`;
``unclear_currency`` "pesos" when the base is not a peso currency, or a symbol and a
code that disagree (``€12 USD``); ``several_currencies``; ``unclear_separator``
``1.234`` with nothing to tell thousands from decimals, or more than two decimals;
``unclear_digits`` a numeral that is not a decimal digit in the number (``12½``, ``2⁵``, ``⑫``),
or a notation (``1e3``, ``0x10``);
``several_amounts`` different amounts (the same amount repeated is fine).
"""
PROBLEM_ORDER: tuple[MoneyProblem, ...] = MoneyProblem.__args__
MAX_AMOUNT = Decimal(10) ** 9
_MAX_BARE_DIGITS = 6


class MoneyScan(BaseModel):
    """What :func:`find_money` read. ``ambiguous`` means: ask the agent; ``reason`` says why."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal | None = None
    currency: str | None = None
    ambiguous: bool = False
    reason: MoneyProblem | None = None
    mentions: tuple[str, ...] = ()
    percents: tuple[Decimal, ...] = ()


# ------------------------------------------------------------------ words around bare numbers

_MONEY_STEMS = ("refund", "reimburs", "credit", "reembols", "devol", "devuelv", "reintegr", "bonific", "descuent",
                "discount", "charg", "compens", "waiv", "voucher", "coupon", "cupon", "comision", "cobr", "abon",
                "rebaj", "subtotal")
_MONEY_WORDS = frozenset(
    "bono bonos cargo cargos cargaron cargar cargado fee fees tarifa pay paid pays payment pago pagar pagaron "
    "pagado pague pagamos cost costs costo costos coste price precio total amount monto importe saldo worth sum "
    "suma gift back off vuelta".split()
)
_FILLERS_BEFORE = frozenset(
    "the a an of for him her them us me cx customer client cliente clienta al el la los las le les lo de del un "
    "una unos unas about around approx approximately aprox aproximadamente like only just solo exactly "
    "exactamente up to hasta max maximo partial parcial full completo por para is es was fue be another otro "
    "extra additional adicional".split()
)
_FILLERS_AFTER = frozenset("de in of en as como a an un una the el la".split())
_UNITS = frozenset(
    "day days dia dias week weeks semana semanas hour hours hora horas hr hrs h hs minute minutes min mins minuto "
    "minutos second seconds segundo segundos month months mes meses year years ano anos item items articulo "
    "articulos producto productos product products unit units unidad unidades order orders pedido pedidos orden "
    "ordenes time times vez veces package packages paquete paquetes box boxes caja cajas piece pieces pieza "
    "piezas pcs pzas people persona personas customer customers cliente clientes ticket tickets call calls "
    "llamada llamadas email emails correo correos message messages mensaje mensajes attempt attempts intento "
    "intentos kg kilo kilos g gr lb lbs pound pounds libra libras km mile miles milla millas meter meters metro "
    "metros cm mm m gb mb tb pm am star stars estrella estrellas pair pairs par pares business working habiles "
    "calendar naturales seat seats asiento asientos user users usuario usuarios line lines linea lineas".split()
)
_UNIT_STARTS = frozenset(unit[:4] for unit in _UNITS if len(unit) >= 5)  # "vecez", "dayz": typos of units
_MORE = frozenset("more mas extra additional adicionales other otros otras late tarde".split())
_ID_WORDS = frozenset(
    "order orden pedido ticket case caso invoice factura ref reference referencia tracking guia sku id account "
    "cuenta number numero no nro num n phone tel telefono celular cel zip code codigo room apt version ver v "
    "item articulo page pagina step paso option opcion store tienda sucursal ext extension po rma".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene abr ago dic".split()
)

# ------------------------------------------------------------------ patterns, compiled once

_PREFIX = re.compile(
    r"""(?:(?<![^\s(:=])(?<![0-9]\s)(?P<neg1>-)\s?)?
        (?:(?P<sym>U\$S|(?:(?<![^\W\d_])(?P<lead>[A-Z]{1,3}))?\$|€|£|¥|(?<![^\W\d_])(?P<code>[^\W\d_]{3}))
           \s?(?P<neg2>-)?)?
        \s?\Z""",
    re.X,
)
_SUFFIX = re.compile(
    r"""(?P<k>[kK](?![^\W\d_]))?
        (?:\s?(?P<mil>mil|thousand)(?![^\W\d_]))?
        (?:\s?(?P<pct>%|percent(?![^\W\d_])|per\s?cent(?![^\W\d_])|por\s?ciento(?![^\W\d_])|pct(?![^\W\d_])))?
        (?:\s?(?P<cur>[$€£¥]|[^\W\d_]+))?""",
    re.X | re.I,
)
_NOTATION = re.compile(r"[0-9][^\W\d_]{1,2}\Z")  # the "1e" of 1e3, the "0x" of 0x10
_WORDS = re.compile(r"[^\W\d_]+|[0-9]+|[^\w\s]")
_LINK = re.compile(r"\s*(?:[-–—~/,]|to|or|o|u|y|and|a|hasta|or\s+maybe|o\s+quiz[aá]s)\s*", re.I)
_NOT_AMOUNTS = re.compile(  # the lookahead lets the scan skip most positions quickly
    r"(?=[0-9+(])(?:(?<![0-9])[0-9]++(?:[-/][0-9]++){2,}"  # dates, phones with dashes
    r"|\+\s?[0-9][0-9\s().-]{5,}[0-9]"  # international phone numbers
    r"|(?<![0-9])\(?[0-9]{3}\)?[\s.-][0-9]{3}[\s.-][0-9]{4})"  # 555 123 4567
)

# ------------------------------------------------------------------ reading one number


class _Item(NamedTuple):
    kind: Literal["money", "percent", "bare", "skip"]
    start: int = 0
    end: int = 0
    raw: str = ""
    value: Decimal | None = None
    currency: str | None = None
    problem: MoneyProblem | None = None


_SKIP = _Item("skip")


def _next_to_date(text: str, start: int, end: int) -> bool:
    """Part of a date, time, phone, handle, '#48213' or a compound: 5/12, 10:30, +1, @3, 2-day."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return (
        before[-1:] in ("#", "+", "@", "_") and before != ""
        or len(before) == 2 and before[1] in "/:" and before[0].isdigit()
        or len(after) == 2 and (after[0] in "/:" and after[1].isdigit() or after[0] == "-" and after[1].isalpha())
    )


def _words(segment: str, *, backwards: bool) -> list[str]:
    """Up to four folded words next to a number, closest first, stopping at punctuation."""
    tokens = _WORDS.findall(segment)
    words = []
    for token in reversed(tokens) if backwards else tokens:
        if token in ":=":
            continue
        if not token[0].isalpha() or len(words) == 4:
            break
        words.append(fold(token))
    return words


def _is_money_word(word: str) -> bool:
    return word in _MONEY_WORDS or word.startswith(_MONEY_STEMS)


def _money_near(words: list[str], fillers: frozenset[str]) -> bool:
    for word in words:
        if word not in fillers:
            return _is_money_word(word)
    return False


def _counts_or_dates(first: str, second: str) -> bool:
    """Do the words after a number make it a count or a date: '6 días', '2 more days', '5 de mayo'?"""
    if first in _UNITS or first[:4] in _UNIT_STARTS or first in _MONTHS:
        return True
    return second in _UNITS and first in _MORE or second in _MONTHS and first == "de"


def _bare_kind(text: str, start: int, end: int) -> Literal["money", "bare", "skip"]:
    """Is a number without currency marker an amount ('refund 12'), not one ('6 días'), or maybe one?"""
    after = _words(text[end:end + 40], backwards=False)
    before = _words(text[max(0, start - 50):start], backwards=True)
    first, second = (after + ["", ""])[:2]
    if _counts_or_dates(first, second) or before and (before[0] in _ID_WORDS or before[0] in _MONTHS):
        return "skip"
    if _money_near(before, _FILLERS_BEFORE) or _money_near(after, _FILLERS_AFTER):
        return "money"
    return "bare"


def _may_have_prefix(text: str, start: int) -> bool:
    """Cheap test before the prefix pattern: a symbol, a minus or a letter just before the number."""
    window = text[max(0, start - 8):start]
    return any(char in window for char in "$€£¥-") or window.rstrip()[-1:].isalpha()


def _classify(text: str, number: re.Match, *, base: str, mark: str | None, excluded: list[tuple[int, int]]) -> _Item:
    """Read one number of the message with what surrounds it."""
    start, end = number.span()
    if any(a <= start < b for a, b in excluded) or _next_to_date(text, start, end):
        return _SKIP
    prefix = _PREFIX.search(text, max(0, start - 8), start) if _may_have_prefix(text, start) else None
    suffix = _SUFFIX.match(text, end)
    k, mil, pct, word = suffix.group("k", "mil", "pct", "cur")
    value = read_number(number.group(), mark)
    if text[start - 1:start].isalpha() and _NOTATION.search(text, max(0, start - 3), start):
        value = "unclear_digits"  # "1e3 dollars", "0x10 USD": not 3 or 10, and not worth guessing
    if isinstance(value, Decimal) and (k or mil):
        value *= 1000
    if pct:
        return _Item("percent", value=value) if isinstance(value, Decimal) else _SKIP
    before = prefix_currency(prefix, base) if prefix else None
    if not before and word and word[0].isalpha() and fold(word) in _UNITS:
        return _SKIP  # "6 días", "2 items": the common case, decided before any other work
    after = word_currency(word, base) if word else None
    currency = _combine(before, after, base)
    negative = bool(prefix and (prefix.group("neg1") or prefix.group("neg2")))
    start = prefix.start() if before or negative else start
    end = suffix.end("cur") if after else max(end, suffix.end("k"), suffix.end("mil"))
    kind = "money"
    if currency is None:
        glued = text[start - 1:start].isalpha() or text[end:end + 1].isalpha()
        if glued or number.group().isdigit() and len(number.group()) > _MAX_BARE_DIGITS:
            return _SKIP
        kind = _bare_kind(text, start, end)
        if kind == "skip" or kind == "bare" and not isinstance(value, Decimal):
            return _SKIP
        currency = base if kind == "money" else None
    problem = "negative" if negative else value if isinstance(value, str) else None
    if problem is None and value > MAX_AMOUNT:
        problem = "too_large"
    if currency == UNCLEAR:
        currency, problem = None, problem or "unclear_currency"
    return _Item(kind, start, end, text[start:end].strip(), None if problem else value, currency, problem)


def _combine(before: str | None, after: str | None, base: str) -> str | None:
    """One currency from the marker before and the one after: '$12 MXN' is MXN, '€12 USD' unclear."""
    if before is None or after is None or before == after:
        return before or after
    if before == dollar_sign(base) and UNCLEAR not in (before, after):
        return after
    return UNCLEAR


def _link(text: str, items: list[_Item]) -> list[_Item]:
    """'$20 or 40', '20-30 dólares': a bare number joined to an amount is a second amount."""
    items = [item for item in items if item.kind != "skip"]
    for _ in range(2):
        for i, item in enumerate(items):
            for j in (i - 1, i + 1):
                if item.kind != "bare" or not 0 <= j < len(items):
                    continue
                other = items[j]
                left, right = (other, item) if j < i else (item, other)
                if other.kind == "money" and other.currency and _LINK.fullmatch(text, left.end, right.start):
                    items[i] = item = item._replace(kind="money", currency=other.currency)
    return items


def _summary(items: list[_Item]) -> MoneyScan:
    money = [item for item in items if item.kind == "money"]
    percents = tuple(dict.fromkeys(item.value for item in items if item.kind == "percent"))
    if not money:
        return MoneyScan(percents=percents)
    mentions = tuple(dict.fromkeys(item.raw for item in money))
    currencies = {item.currency for item in money if item.currency}
    problems = {item.problem for item in money if item.problem}
    if len(currencies) > 1:
        problems.add("several_currencies")
    if len({item.value for item in money}) > 1:
        problems.add("several_amounts")
    currency = next(iter(currencies)) if len(currencies) == 1 else None
    if problems:
        reason = next(code for code in PROBLEM_ORDER if code in problems)
        return MoneyScan(
            currency=currency, ambiguous=True, reason=reason, mentions=mentions, percents=percents
        )
    return MoneyScan(amount=money[0].value, currency=currency, mentions=mentions, percents=percents)


def find_money(text: str, *, base_currency: str) -> MoneyScan:
    """The amount and currency a message asks for, or why it cannot be told.

    >>> find_money("cx wants $25 store credit, order #48213 came a week late", base_currency="USD").amount
    Decimal('25')
    >>> scan = find_money("reembolso de 1.234,56 €", base_currency="USD")
    >>> scan.amount, scan.currency
    (Decimal('1234.56'), 'EUR')
    >>> find_money("refund 12 for shipping, 6 days late", base_currency="MXN").currency
    'MXN'
    >>> find_money("$20 or $40?", base_currency="USD").reason
    'several_amounts'
    >>> find_money("refund $1,234", base_currency="USD").reason
    'unclear_separator'
    """
    reversed_digits = shown_reversed(text)
    text = normalise(text)
    if not HAS_DIGIT.search(text):
        return MoneyScan()
    base = base_currency.upper()
    excluded = [match.span() for match in _NOT_AMOUNTS.finditer(text)]
    numbers = list(NUMBER.finditer(text))
    items = [_classify(text, number, base=base, mark=None, excluded=excluded) for number in numbers]
    if any(item.problem == "unclear_separator" for item in items):
        mark = decimal_mark([n.group() for n, item in zip(numbers, items, strict=True) if item.kind != "skip"])
        if mark:
            items = [_classify(text, number, base=base, mark=mark, excluded=excluded) for number in numbers]
    scan = _summary(_link(text, items))
    if reversed_digits and scan.mentions:
        return scan.model_copy(update={"amount": None, "ambiguous": True, "reason": "direction_override"})
    return scan

