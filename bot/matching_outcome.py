"""From a ranking to an outcome: a confident ``match``, a choice to offer (``ambiguous``), or ``none``.

The thresholds are calibrated on data, not guessed: ``benchmarks/calibrate_thresholds.py``
derives them by leaving out, one at a time, each of the sample playbooks' own examples and
out-of-scope lines (never the evaluation set), prints them, and the values below
are what it printed. benchmarks/eval/README.md explains the method and the trade-off.

>>> signals = Signals(has_words=True, best=0.8, second=0.1, rejected=0.05, nearest=0.6, dense=True)
>>> decide(signals, THRESHOLDS)[0]
'match'
>>> decide(signals._replace(rejected=0.9, best=0.05), THRESHOLDS)[0]
'none'
>>> decide(signals._replace(hidden_nearest=0.9), THRESHOLDS)[1]  # a line no playbook covers is much closer
'closer to a request no playbook covers than to any example'
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

__all__ = ["Outcome", "Thresholds", "THRESHOLDS", "LEXICAL_THRESHOLDS", "SEMANTIC_THRESHOLDS", "Signals", "decide",
           "default_thresholds"]

Outcome = Literal["match", "ambiguous", "none"]


class Thresholds(BaseModel):
    """When a ranking is a match, a choice to offer, or nothing (a gap to record)."""

    model_config = ConfigDict(frozen=True)

    none_below: float = 0.35  # best similarity to any example of the top playbook under this: nothing fits
    none_below_lexical: float = 0.0  # the same, for situations matched on words alone (no embedding for them)
    reject_ratio: float = 4.59  # nothing fits when the hidden "nothing fits" class is this many times likelier
    hidden_closer: float = 0.28  # ... or when one of its lines is this much closer than the top playbook's closest row
    match_probability: float = 0.55  # the top playbook must be at least this likely ...
    match_margin: float = 0.25  # ... and this much more likely than the second


class Signals(NamedTuple):
    """What the ranking says about one situation, all the outcome depends on."""

    has_words: bool  # any content word at all (an order number alone is not a situation)
    best: float  # probability of the top playbook among the re-ranked candidates
    second: float  # probability of the runner-up
    rejected: float  # probability of the hidden "nothing fits" class
    nearest: float  # cosine to the top playbook's closest row (lexical cosine when not dense)
    dense: bool  # whether the sentence embedding took part (a language the encoder places)
    hidden_nearest: float = -1.0  # cosine to the closest line of the hidden class (same scale as ``nearest``)


# What benchmarks/calibrate_thresholds.py printed for each encoder (--encoder static / none / semantic).
THRESHOLDS = Thresholds()
# Words only: a match needs a likelier top. MiniLM: lower cosines.
LEXICAL_THRESHOLDS = Thresholds(none_below_lexical=0.125, reject_ratio=18.38, hidden_closer=0.24, match_probability=0.45,
                                match_margin=0.10)
SEMANTIC_THRESHOLDS = Thresholds(none_below=0.30, reject_ratio=6.06, hidden_closer=0.28, match_probability=0.40,
                                 match_margin=0.35)


def default_thresholds(encoder_name: str) -> Thresholds:
    """The calibrated thresholds for this kind of encoder.

    >>> default_thresholds("none").match_probability
    0.45
    """
    if encoder_name.startswith("semantic"):
        return SEMANTIC_THRESHOLDS
    return LEXICAL_THRESHOLDS if encoder_name == "none" else THRESHOLDS


def decide(signals: Signals, thresholds: Thresholds) -> tuple[Outcome, str]:
    """The outcome and a short reason an agent or a policy owner can read."""
    t, s = thresholds, signals
    floor = t.none_below if s.dense else t.none_below_lexical
    if not s.has_words:
        return "none", "no words to match on"
    if s.rejected > t.reject_ratio * s.best:
        return "none", "reads like small talk or a request no playbook covers"
    if s.hidden_nearest - s.nearest > t.hidden_closer:
        return "none", "closer to a request no playbook covers than to any example"
    if s.nearest < floor:
        return "none", f"closest example is only {max(s.nearest, 0):.2f} similar (< {floor})"
    lead = s.best - s.second
    if s.best >= t.match_probability and lead >= t.match_margin:
        return "match", f"{s.best:.0%} likely, {lead:.0%} ahead of the next"
    return "ambiguous", f"{s.best:.0%} likely, only {lead:.0%} ahead of the next"
