"""The request inside what an agent types: which action of the catalogue, how much, in what currency.

"cx wants $25 store credit, order #48213 came a week late" asks for a goodwill
credit of 25 USD. The action comes from the policy's action catalogue (names and
synonyms in English and Spanish), the amount from :mod:`bot.amounts`. Nothing
is guessed: when two actions are named and neither clearly dominates, or the
amount is unclear, the request says so and the bot asks the agent.

How an action is recognised
---------------------------
* Text and vocabulary are compared as words: lowercase, accents stripped, small
  words ("the", "de", "el", "for", "al cliente"...), numbers and currency words left
  out, so "refund the customer 12 for shipping" reads as the phrase "refund shipping".
  Punctuation breaks phrases.
* A word matches a vocabulary word exactly, by a light stem ("devolvamos" ~
  "devolverle", "refunded" ~ "refund", stems of five letters or more), or as a typo
  (one edit, two for words of ten letters or more, same first letter, words of
  five letters or more: "refnd", "reembolzo", "remplazo").
* The longest phrase wins where phrases overlap ("shipping refund" is
  refund_shipping, not refund). A phrase right after "no", "not", "sin", "without",
  "instead of", "en vez de"... is not asked for. A few phrases are known not to be
  actions ("credit card", "tarjeta de crédito", "tipo de cambio").
* A match whose words are part of a longer phrase of another action found in the
  same message gives way to it: in "le devolvamos los 12 dólares del envío",
  "devolvamos" (refund) is part of refund_shipping's "devolver el envío", found
  through "envío", so the request is refund_shipping.
* Of the actions left, each counts its matches (exact 1, stem 0.9, typo 0.75). One
  action is chosen when it has at least twice the score of the next; otherwise the
  request is ambiguous and ``actions`` lists them, best first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.amounts import find_money
from bot.models import Action

_STOPWORDS = frozenset(
    "a an the of on in to for de del al el la los las lo un una unos unas en por para him her them us me le les "
    "cx customer client cliente clienta his su sus it se te nos ha han has have had he hemos is are was be".split()
)
_CURRENCY_WORDS = frozenset("dolares dolar dollars dollar bucks usd eur euros euro pesos peso mxn gbp dlls".split())
_NEGATORS = frozenset("no not without sin ni nor instead vez lugar never nunca".split())
_NOT_ACTIONS = ("credit card", "debit card", "tarjeta de crédito", "tarjeta de débito", "tipo de cambio",
                "exchange rate", "cambio de dirección", "cambio de domicilio", "vale la pena")
_SUFFIXES = tuple(sorted(
    "amientos amiento aciones acion mente ments ment ieron aron amos emos imos ando iendo ados adas idos idas ado "
    "ada ido ida ing ed es er ar ir an en as os le les lo la s a e o".split(), key=len, reverse=True
))
_TOKENS = re.compile(r"[a-z]+|[0-9][0-9.,]*|[.!?;,:()\[\]|]")
_BOUNDARY = "|"
_WEIGHTS = {"exact": 1.0, "stem": 0.9, "typo": 0.75}
_MIN_STEM = 5
_CACHE_SIZE = 20_000


def _fold(text: str) -> str:
    """Lowercase ASCII without accents: 'Reembolsó' -> 'reembolso'."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.replace("'", "")


def _words(text: str) -> list[str]:
    """The words that matter, with ``|`` where punctuation breaks a phrase."""
    words = []
    for token in _TOKENS.findall(_fold(text)):
        if not token[0].isalpha():
            if token[0].isdigit() or (words and words[-1] == _BOUNDARY):
                continue
            token = _BOUNDARY
        elif token in _STOPWORDS or token in _CURRENCY_WORDS:
            continue
        words.append(token)
    return words


@functools.lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """A light English/Spanish stem: 'devolverle' -> 'devolv', 'refunded' -> 'refund'."""
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


class _Match(NamedTuple):
    length: int
    position: int
    actions: frozenset[str]
    weight: float
    stems: tuple[str, ...]


class ActionMatch(BaseModel):
    """The actions a message names: ``action`` only when one clearly dominates."""

    model_config = ConfigDict(frozen=True)

    action: str | None = None
    actions: list[str] = []
    ambiguous: bool = False


class ActionVocabulary:
    """Every way agents name the catalogue's actions, ready for fast lookup. Build once per policy load."""

    def __init__(self, phrases: Mapping[tuple[str, ...], frozenset[str]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]]] = {}
        for phrase in sorted(phrases, key=len, reverse=True):
            stems = tuple(_stem(word) for word in phrase)
            self._by_first.setdefault(phrase[0], []).append((phrase, phrases[phrase], stems))
        self._vocabulary = frozenset(word for phrase in phrases for word in phrase)
        self._stems: dict[str, set[str]] = {}
        for word in self._vocabulary:
            if len(stem := _stem(word)) >= _MIN_STEM:
                self._stems.setdefault(stem, set()).add(word)
        self._typo_targets: dict[str, list[str]] = {}
        for word in sorted(self._vocabulary):
            if len(word) >= 5:
                self._typo_targets.setdefault(word[0], []).append(word)
        self._inside = _inner_phrases(phrases)
        self._cache: dict[str, dict[str, float]] = {}

    @classmethod
    def from_actions(cls, actions: Mapping[str, Action]) -> ActionVocabulary:
        """The vocabulary of an action catalogue: ids, names and synonyms in every language.

        >>> from bot.models import Action
        >>> vocabulary = ActionVocabulary.from_actions({
        ...     "refund": Action(name={"en": "Refund"}, synonyms={"es": ["reembolso"]}),
        ...     "refund_shipping": Action(name={"en": "Shipping refund"}, synonyms={"es": ["devolver el envío"]}),
        ... })
        >>> vocabulary.find_actions("reembolzo").action, vocabulary.find_actions("refund the shipping").action
        ('refund', 'refund_shipping')
        """
        phrases: dict[tuple[str, ...], set[str]] = {}
        for action_id, action in actions.items():
            texts = [action_id.replace("_", " "), *action.name.all_texts()]
            texts += [synonym for synonyms in action.synonyms.values() for synonym in synonyms]
            for text in texts:
                if phrase := tuple(word for word in _words(text) if word != _BOUNDARY):
                    phrases.setdefault(phrase, set()).add(action_id)
        for text in _NOT_ACTIONS:
            phrases.setdefault(tuple(_words(text)), set())
        frozen = {phrase: frozenset(ids) for phrase, ids in phrases.items()}
        return cls(frozen)

    def find_actions(self, text: str) -> ActionMatch:
        """The actions ``text`` names, best first.

        >>> from bot.models import Action
        >>> vocabulary = ActionVocabulary.from_actions({
        ...     "refund": Action(name={"en": "Refund"}), "replacement": Action(name={"en": "Replacement"}),
        ... })
        >>> vocabulary.find_actions("refund or replacement?")
        ActionMatch(action=None, actions=['refund', 'replacement'], ambiguous=True)
        >>> vocabulary.find_actions("no refund, send a replacement").action
        'replacement'
        """
        words = _words(text)
        slots = [self._candidates(word) if word != _BOUNDARY else {} for word in words]
        matches = [m for m in self._chosen_matches(slots) if not m.position or words[m.position - 1] not in _NEGATORS]
        found = {action for match in matches for action in match.actions}
        specific = [m for m in matches if not self._refined(m, found)]
        scores: dict[str, float] = {}
        first_seen: dict[str, int] = {}
        for match in specific or matches:
            for action in match.actions:
                scores[action] = scores.get(action, 0.0) + match.weight
                first_seen.setdefault(action, match.position)
        return _verdict(scores, first_seen)

    def _refined(self, match: _Match, found: set[str]) -> bool:
        """Is this match's phrase part of a longer phrase of another action found in the message?"""
        return any(match.stems in self._inside.get(other, ()) for other in found - match.actions)

    def _candidates(self, word: str) -> dict[str, float]:
        """Vocabulary words ``word`` may stand for, with how sure: exact, same stem, or a typo."""
        found = self._cache.get(word)
        if found is None:
            found = self._lookup(word)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[word] = found
        return found

    def _lookup(self, word: str) -> dict[str, float]:
        found = {other: _WEIGHTS["stem"] for other in self._stems.get(_stem(word), ())}
        if word in self._vocabulary:
            found[word] = _WEIGHTS["exact"]
        if found or len(word) < 5:
            return found
        targets = self._typo_targets.get(word[0], ())
        best = process.extractOne(word, targets, scorer=OSA.distance, score_cutoff=2 if len(word) >= 10 else 1)
        if best and max(len(word), len(best[0])) >= 6 and min(len(word), len(best[0])) >= 5:
            found[best[0]] = _WEIGHTS["typo"]
        return found

    def _chosen_matches(self, slots: list[dict[str, float]]) -> list[_Match]:
        """Every phrase found, keeping the longest where they overlap."""
        matches = []
        for position, candidates in enumerate(slots):
            for word, weight in candidates.items():
                for phrase, actions, stems in self._by_first.get(word, ()):
                    end = position + len(phrase)
                    if end > len(slots) or not all(w in slots[i] for i, w in enumerate(phrase[1:], position + 1)):
                        continue
                    weight = min([weight] + [slots[i][w] for i, w in enumerate(phrase[1:], position + 1)])
                    matches.append(_Match(len(phrase), position, actions, weight, stems))
        matches.sort(key=lambda m: (-m.length, m.position, -m.weight))
        taken: set[int] = set()
        chosen = []
        for match in matches:
            span = range(match.position, match.position + match.length)
            if not taken.intersection(span):
                taken.update(span)
                chosen.append(match)
        return chosen



def _verdict(scores: dict[str, float], first_seen: dict[str, int]) -> ActionMatch:
    """One action when it scores at least twice the next; otherwise all of them, ambiguous."""
    ranked = sorted(scores, key=lambda action: (-scores[action], first_seen[action]))
    if len(ranked) <= 1 or scores[ranked[0]] >= 2 * scores[ranked[1]]:
        return ActionMatch(action=ranked[0] if ranked else None, actions=ranked)
    return ActionMatch(actions=ranked, ambiguous=True)


def _inner_phrases(phrases: Mapping[tuple[str, ...], frozenset[str]]) -> dict[str, frozenset[tuple[str, ...]]]:
    """action -> every shorter run of words inside its phrases, stemmed: refund_shipping -> ('refund',), ...

    "refund" found beside "shipping refund" elsewhere in the message is the same request said twice.
    """
    inside: dict[str, set[tuple[str, ...]]] = {}
    for phrase, actions in phrases.items():
        stems = tuple(_stem(word) for word in phrase)
        runs = {stems[i:j] for i in range(len(stems)) for j in range(i + 1, len(stems) + 1)} - {stems}
        for action in actions:
            inside.setdefault(action, set()).update(runs)
    return {action: frozenset(runs) for action, runs in inside.items()}


class ExtractedRequest(BaseModel):
    """What an agent's message asks for. ``ambiguous``: ask the agent (``reason`` says why)."""

    model_config = ConfigDict(frozen=True)

    action: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    ambiguous: bool = False
    ambiguous_action: bool = False
    reason: str | None = None
    actions: list[str] = []
    mentions: tuple[str, ...] = ()
    percents: tuple[Decimal, ...] = ()


def extract_request(text: str, vocabulary: ActionVocabulary, *, base_currency: str) -> ExtractedRequest:
    """The action, amount and currency ``text`` asks for; foreign currencies are kept, never converted.

    ``reason`` is the amount's problem (see :data:`bot.amounts.MoneyProblem`) or ``several_actions``.

    >>> from bot.models import Action
    >>> vocabulary = ActionVocabulary.from_actions({
    ...     "refund": Action(name={"en": "Refund"}, synonyms={"es": ["reembolso"]}),
    ...     "goodwill_credit": Action(name={"en": "Goodwill credit"}, synonyms={"en": ["store credit"]}),
    ... })
    >>> request = extract_request("cx wants $25 store credit, order #48213", vocabulary, base_currency="USD")
    >>> request.action, request.amount, request.currency, request.ambiguous
    ('goodwill_credit', Decimal('25'), 'USD', False)
    >>> extract_request("refund 1.234,56 €", vocabulary, base_currency="USD").currency
    'EUR'
    >>> extract_request("refund or store credit, $20 or $40", vocabulary, base_currency="USD").reason
    'several_amounts'
    """
    money = find_money(text, base_currency=base_currency)
    found = vocabulary.find_actions(text)
    return ExtractedRequest(
        action=found.action,
        amount=money.amount,
        currency=money.currency,
        ambiguous=money.ambiguous or found.ambiguous,
        ambiguous_action=found.ambiguous,
        reason=money.reason or ("several_actions" if found.ambiguous else None),
        actions=found.actions,
        mentions=money.mentions,
        percents=money.percents,
    )
