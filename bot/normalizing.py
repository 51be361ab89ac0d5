"""Situation text -> comparable words: case, accents, numbers, stop words, typos.

Agents type fast: "pakage damagd", "no le llego el paquete", "cx wants refund for
#48213 ($39.99)". Matching compares what a situation is *about*, so before any
scoring this module

- folds case and accents ("Devolución" and "devolucion" are one word, so are
  "recibió" and "recibio"; ñ folds to n because agents often type n);
- drops numbers, amounts and order ids: "$39.99" or "#48213" says nothing about
  which playbook applies, and must not make one example look closer than another;
- drops English and Spanish stop words for the word features (they stay in the
  character n-grams, where they cost little and help with short phrases);
- strips a plural "s"/"es" (light stemming: "packages" = "package",
  "paquetes" = "paquete"), and for the scored word features also Spanish
  participle, gerund and past-plural endings of longer words ("cobrado" =
  "cobraron" = "cobrando"); heavier stemmers conflate too much in two languages;
- repairs typos against the index's own vocabulary with rapidfuzz: a word that
  is neither in the playbooks nor a known English word is replaced by the
  closest playbook word within one edit (two for words of eight letters or
  more), so "pakage" -> "package" and "rembolso" -> "reembolso", while a real
  word such as "cable" is never turned into "table".

>>> fold("¿Recibió la DEVOLUCIÓN?")
'¿recibio la devolucion?'
>>> words("Cx says #48213 arrived 3 days late, paid USD 39.99")
['cx', 'says', 'arrived', 'days', 'late', 'paid']
>>> content_words("the customer's packages arrived late")
['customer', 'package', 'arrived', 'late']
>>> Speller(["package", "damaged", "reembolso"]).correct_all(["pakage", "damagd", "rembolso", "cable"])
['package', 'damaged', 'reembolso', 'cable']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["fold", "strip_invisible", "words", "content_words", "stem", "root", "word_features", "char_features",
           "Speller", "STOP_WORDS"]

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_DIGIT = re.compile(r"[0-9]")
_CURRENCY_CODES = frozenset("usd eur gbp mxn cad aud cop ars clp pen brl chf jpy".split())
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Invisible format characters pasted from chat clients: zero-width spaces and joiners, soft hyphens,
# direction marks and overrides. Inside a word they would split it ("re<ZWSP>fund" -> "re", "fund").
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_KNOWN_ENGLISH = Path(__file__).resolve().parent / "data" / "static-minilm-256" / "vocab.txt"

# Function words and chat filler of both languages: what a sentence needs, not what it is about.
# Negations stay ("no", "not", "never", "nunca"): "did not arrive" is the situation.
STOP_WORDS = frozenset(
    """
    a an the and or but if then so of to in on at by for with from into onto about as is are was were
    be been being am do does did done have has had having i me my mine we us our you your he him his
    she her it its they them their this that these those there here what which who whom whose when
    where why how can could will would shall should may might must just also too very really please
    pls plz hi hello hey thanks thank thx ok okay s t d ll m re ve
    de del la las el los lo le les un una unos unas y e o u que en con por para al se su sus mi mis
    tu tus te yo el ella ellos ellas usted ustedes nos nosotros este esta esto estos estas ese esa eso
    esos esas es son fue era ser estar esta estan estoy hay ha han he has me mas muy ya pero como
    cuando donde porque pues entonces tambien hola gracias favor porfa xfa q k ke x pa
    """.split()
)


def fold(text: str) -> str:
    r"""Lower-case, remove accents and invisible characters (NFKD), keeping every other character.

    >>> fold("re\u200bfund \u202eLATE\u202c ｐａｃｋａｇｅ")
    'refund late package'
    """
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", strip_invisible(text).lower()))


def strip_invisible(text: str) -> str:
    r"""Text without zero-width, soft-hyphen and direction characters, which hide words from matching.

    >>> strip_invisible("pack\u200dage\u202e")
    'package'
    """
    return text if text.isascii() else _INVISIBLE.sub("", text)


def words(text: str) -> list[str]:
    """Folded words without numbers: anything containing a digit is an amount, a date or an id;
    currency codes go with them ("USD 120"), or they would make every amount look alike."""
    return [
        token.split("'")[0]
        for token in _WORD.findall(fold(text))
        if not _DIGIT.search(token) and token not in _CURRENCY_CODES
    ]


def stem(word: str) -> str:
    """Strip a plural ending in English or Spanish ("packages", "paquetes", "boxes").

    >>> [stem(w) for w in ["packages", "paquetes", "boxes", "address", "status", "bus"]]
    ['package', 'paquete', 'box', 'address', 'status', 'bus']
    """
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith(("xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


# Spanish verb endings that say when, not what: "cobrado" / "cobraron" / "cobrando", "recibida" / "recibieron".
# Only on words of six letters or more. English "-ed"/"-ing" were tried too: no gain on the evaluation,
# and slightly fewer right on the synthetic benchmark (benchmarks/eval/README.md).
_VERB_ENDINGS = ("aron", "ieron", "ando", "iendo", "ado", "ada", "ido", "ida")


def root(word: str) -> str:
    """A word without a Spanish participle, gerund or past-plural ending: what word features
    compare, so "le cobraron dos veces" and "cobrado dos veces" share a feature. Agents are
    shown whole words (content_words), never these roots.

    >>> [root(w) for w in ["cobrado", "cobraron", "cobrando", "recibida", "recibieron", "nada", "charged"]]
    ['cobr', 'cobr', 'cobr', 'recib', 'recib', 'nada', 'charged']
    """
    if len(word) > 5:
        for ending in _VERB_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)]
    return word


def content_words(text: str | list[str], speller: Speller | None = None) -> list[str]:
    """Words that say what the situation is about: no stop words, typos repaired, plurals stripped.

    ``text`` may be a string or the result of :func:`words` already.
    """
    found = [word for word in (words(text) if isinstance(text, str) else text) if word not in STOP_WORDS]
    if speller is not None:
        found = speller.correct_all(found)
    return [stem(word) for word in found]


def word_features(text: str | list[str]) -> list[str]:
    """Content words (Spanish verb endings off, see :func:`root`) and pairs of neighbouring
    ones ("not arrived", "no llego").

    >>> word_features("package has not arrived")
    ['package', 'not', 'arrived', 'package not', 'not arrived']
    >>> word_features("le cobraron dos veces")
    ['cobr', 'dos', 'vece', 'cobr dos', 'dos vece']
    """
    found = [root(word) for word in content_words(text)]
    prefixes = [word[:PREFIX] + "~" for word in found if len(word) > PREFIX] if PREFIX else []
    return found + [f"{a} {b}" for a, b in zip(found, found[1:])] + prefixes


def char_features(text: str | list[str]) -> list[str]:
    """Character 2- to 5-grams inside each word, padded with spaces: robust to typos and endings.

    >>> char_features("cx")[:4]
    [' c', 'cx', 'x ', ' cx']
    """
    grams: list[str] = []
    for word in words(text) if isinstance(text, str) else text:
        padded = f" {word} "
        for n in range(2, 6):
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


PREFIX = 0


class Speller:
    """Repairs typos against a vocabulary (the index's words) with rapidfuzz.

    A word is left alone when it is in the vocabulary, is a stop word ("hola" is not a typo
    of "hora"), is a known English word
    (a whole word of the static model's WordPiece vocabulary), is shorter than
    four letters, or has no vocabulary word close enough.
    """

    def __init__(self, vocabulary: Iterable[str]):
        self._vocabulary = frozenset(word for word in vocabulary if word.isalpha())
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(self._vocabulary):
            self._by_length.setdefault(len(word), []).append(word)
        self._correct = lru_cache(maxsize=50_000)(self._closest)

    def __getstate__(self) -> dict:
        return {"vocabulary": sorted(self._vocabulary)}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["vocabulary"])

    def correct_all(self, found: list[str]) -> list[str]:
        return [self._correct(word) for word in found]

    def correct(self, word: str) -> str:
        return self._correct(word)

    def _closest(self, word: str) -> str:
        if len(word) < 4 or word in self._vocabulary or word in STOP_WORDS or not word.isalpha():
            return word
        if word in _known_english():
            return word
        allowed = 1 if len(word) < 8 else 2
        candidates = [
            other
            for length in range(len(word) - allowed, len(word) + allowed + 1)
            for other in self._by_length.get(length, ())
        ]
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=allowed)
        return best[0] if best else word


@lru_cache(maxsize=1)
def _known_english() -> frozenset[str]:
    """Whole English words of the shipped WordPiece vocabulary (about 20,000): never "typos"."""
    try:
        tokens = _KNOWN_ENGLISH.read_text(encoding="utf-8").split("\n")
    except OSError:
        return frozenset()
    return frozenset(token for token in tokens if token.isalpha() and token.isascii() and len(token) > 3)
