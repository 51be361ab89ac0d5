"""Situation text -> Answer: the one flow every door (CLI, chat, Slack) goes through.

text -> language -> match -> request extraction -> history -> decision. Writes
(logging, escalating) live in ``bot.acting`` and re-run the decision inside the
ledger's transaction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.decision import Decision, History, Request, decide
from bot.extraction import ActionVocabulary, extract_request
from bot.language import detect_language
from bot.matching import MatchIndex, build_index
from bot.models import PolicySet

MAX_SITUATION_CHARS = 4000
ANSWERS_AT_ONCE = 2  # one per core of a small server; see Engine


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)
    playbook: str
    score: float


class RequestSeen(BaseModel):
    """The request as read from the text; ``ambiguous`` means ask the agent, never guess."""

    model_config = ConfigDict(frozen=True)
    action: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    ambiguous: bool = False
    reason: str | None = None


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)
    text: str
    lang: Literal["en", "es"]
    outcome: Literal["match", "ambiguous", "none", "empty"]
    candidates: tuple[Candidate, ...]
    playbook: str | None
    request: RequestSeen
    decision: Decision | None
    role: str
    policy_revision: str


@dataclass(frozen=True)
class Engine:
    """What is built once per policy revision: the policy set, the match index, the action vocabulary.

    ``computing`` bounds how many answers compute at once. Answering is CPU work
    under the GIL: in a server, twenty threads answering together finish no sooner
    than two would, and they starve the threads that acknowledge Slack's requests
    (``benchmarks/http_ack.py``). The rest wait on the semaphore, which costs nothing.
    """

    policy_set: PolicySet
    index: MatchIndex
    vocabulary: ActionVocabulary
    computing: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(ANSWERS_AT_ONCE),
                                                   repr=False, compare=False)

    @classmethod
    def build(cls, policy_set: PolicySet, *, encoder=None, cache_dir=None) -> "Engine":
        return cls(policy_set, build_index(policy_set.playbooks, encoder=encoder, cache_dir=cache_dir),
                   ActionVocabulary.from_actions(policy_set.policy.actions))


def answer(engine: Engine, text: str, *, role: str, history: History, now: datetime,
           lang: str | None = None, playbook: str | None = None, usual_lang: str | None = None) -> Answer:
    """Answer one situation. ``playbook`` forces a choice (the agent picked a candidate).

    The reply's language: ``lang`` when forced, else the text's, else ``usual_lang`` (the
    person's Slack locale) when the text shows neither, else English.
    """
    with engine.computing:
        return _answer(engine, text, role=role, history=history, now=now, lang=lang, playbook=playbook,
                       usual_lang=usual_lang)


def _answer(engine: Engine, text: str, *, role: str, history: History, now: datetime, lang: str | None,
            playbook: str | None, usual_lang: str | None) -> Answer:
    policy_set = engine.policy_set
    text = (text or "")[:MAX_SITUATION_CHARS]
    fallback = usual_lang if usual_lang in ("en", "es") else "en"
    language = lang if lang in ("en", "es") else detect_language(text, default=fallback)
    seen = _request(engine, text)
    if not text.strip():
        return Answer(text=text, lang=language, outcome="empty", candidates=(), playbook=None, request=seen,
                      decision=None, role=role, policy_revision=policy_set.revision)
    result = engine.index.match(text, limit=5)
    candidates = tuple(Candidate(playbook=c.playbook, score=float(c.score)) for c in result.matches)
    outcome = result.outcome
    chosen = candidates[0].playbook if outcome == "match" and candidates else None
    if playbook is not None and playbook in policy_set.playbooks:
        chosen, outcome = playbook, "match"
    decision = None
    if chosen is not None:
        decision = decide_for(engine, chosen, seen, role=role, history=history, now=now)
    return Answer(text=text, lang=language, outcome=outcome, candidates=candidates, playbook=chosen,
                  request=seen, decision=decision, role=role, policy_revision=policy_set.revision)


def decide_for(engine: Engine, playbook: str, seen: RequestSeen, *, role: str, history: History,
               now: datetime) -> Decision:
    """The decision for what was read; an ambiguous amount is not decided (the agent is asked)."""
    amount = None if seen.ambiguous else seen.amount
    request = Request(action=seen.action, amount=amount, currency=seen.currency if amount is not None else None)
    return decide(engine.policy_set, playbook, request, role=role, history=history, now=now)


def _request(engine: Engine, text: str) -> RequestSeen:
    extracted = extract_request(text, engine.vocabulary, base_currency=engine.policy_set.policy.currency)
    return RequestSeen(action=extracted.action, amount=extracted.amount, currency=extracted.currency,
                       ambiguous=extracted.ambiguous, reason=extracted.reason)
