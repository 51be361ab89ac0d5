"""Every sentence a person reads, in English and Spanish, in one place.

One catalogue, ``{key: {"en": ..., "es": ...}}`` with ``str.format`` placeholders,
so a translator sees both languages side by side and a test can check that each
key has both, with the same placeholders. Nothing here prints or decides: the
decision engine gives reason codes with raw parameters (ids, amounts as strings),
and this module turns them into words, with localized action and role names and
money in the reader's language.

Texts are plain (no rich markup, no Slack mrkdwn), so both doors can show them.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.catalogue_answers import ANSWERS
from bot.catalogue_reports import REPORTS
from bot.catalogue_review import REVIEW
from bot.decision import Decision, Reason
from bot.errors import UserInputError
from bot.models import Policy, PolicySet

if TYPE_CHECKING:  # answering pulls in the matcher; words need only the request it read
    from bot.answering import RequestSeen

# one table, three files by area (each short enough to read both languages side by side);
# add a new area's keys to its file, or here for a sentence that fits none
CATALOGUE: dict[str, dict[str, str]] = {**ANSWERS, **REVIEW, **REPORTS}

LANGS = ("en", "es")
MONEY_PARAMS = frozenset({"amount", "limit", "cap", "playbook_limit", "left", "budget", "top"})
ROLE_PARAMS = frozenset({"role", "approver", "needed"})
BLOCKER_CODES = ("above_limit", "budget_today", "budget_month", "frequency_reached")


def t(key: str, lang: str | None, **params) -> str:
    """The sentence ``key`` in ``lang`` (English when the language is unknown), filled with ``params``.

    A missing key or parameter raises ``KeyError`` naming it: a person must never read a bare key.
    Extra parameters are ignored, so an error's whole ``params`` can be passed along.

    >>> t("chat_ask_amount", "es", currency="USD")
    'Monto en USD:'
    >>> t("chat_ask_amount", "fr", currency="USD")
    'Amount in USD:'
    >>> t("chat_ask_amount", "en")
    Traceback (most recent call last):
    KeyError: "message 'chat_ask_amount' needs the parameter 'currency'"
    """
    try:
        entry = CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in bot.messages") from None
    template = entry.get(lang or "en") or entry["en"]
    try:
        return template.format(**params)
    except KeyError as missing:
        raise KeyError(f"message {key!r} needs the parameter {missing.args[0]!r}") from None


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template fills.

    >>> sorted(placeholders("{amount} is above your {limit} limit"))
    ['amount', 'limit']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def money(amount: Decimal, currency: str, lang: str | None) -> str:
    """An amount as people read it: no ``.00`` on whole amounts, the reader's decimal mark.

    >>> money(Decimal("15.00"), "USD", "en"), money(Decimal("1234.5"), "USD", "en"), money(Decimal("1234.5"), "EUR", "es")
    ('15 USD', '1,234.50 USD', '1.234,50 EUR')
    """
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if lang == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text} {currency}"


def action_name(policy: Policy, action: str, lang: str | None) -> str:
    """The catalogue name of an action in ``lang``; the id itself when the catalogue lacks it."""
    entry = policy.actions.get(action)
    return entry.name.text(lang or "en") if entry else action


def role_name(policy: Policy, role: str, lang: str | None) -> str:
    """The name of a role in ``lang``; the id itself for a role the policy does not define."""
    return policy.role(role).name.text(lang or "en") if role in policy.role_ids else role


def someone(role: str, lang: str | None) -> str:
    """A role as the subject of a sentence: "A Team lead", "An Area manager", "Un Líder de equipo".

    >>> someone("Team lead", "en"), someone("Area manager", "en"), someone("Líder de equipo", "es")
    ('A Team lead', 'An Area manager', 'Un Líder de equipo')
    """
    key = "someone_vowel" if role[:1].lower() in "aeiou" else "someone"
    return t(key, lang, role=role)


def words_for(params: Mapping[str, str], lang: str | None, policy_set: PolicySet) -> dict[str, str]:
    """A reason's raw parameters as words: action and role names localized, amounts as money."""
    policy = policy_set.policy
    currency = params.get("currency") or policy.currency
    words = dict(params)
    for key, value in params.items():
        if key in MONEY_PARAMS and value != "":
            words[key] = money(Decimal(value), currency, lang)
        elif key in ROLE_PARAMS and value:
            words[key] = role_name(policy, value, lang)
        elif key == "action":
            words[key] = action_name(policy, value, lang)
    return words


def cite(sentence: str, source: str | None) -> str:
    """Add the file and line a rule lives in, before the final full stop.

    >>> cite("Your limit is 15 USD.", "playbooks/late-delivery.yaml:9")
    'Your limit is 15 USD (playbooks/late-delivery.yaml:9).'
    """
    if not source:
        return sentence
    if sentence.endswith("."):
        return f"{sentence[:-1]} ({source})."
    return f"{sentence} ({source})"


def reason_text(reason: Reason, lang: str | None, policy_set: PolicySet) -> str:
    """One reason of a decision as a sentence, citing the rule's ``path:line`` when it is known."""
    return cite(t(f"reason_{reason.code}", lang, **words_for(reason.params, lang, policy_set)), reason.source)


def verdict_line(decision: Decision, lang: str | None, policy_set: PolicySet) -> str:
    """The one-glance verdict, worded from the decision's first reason (the one that settled it)."""
    first = decision.reasons[0]
    words = words_for(first.params, lang, policy_set)
    if first.code == "needs_approval":
        words["someone"] = someone(words["approver"], lang)
        words["why"] = _why(decision, lang, policy_set)
    return t(f"verdict_{first.code}", lang, **words)


def _why(decision: Decision, lang: str | None, policy_set: PolicySet) -> str:
    """The short clause saying what the asker ran into: their limit, their budget, or a frequency limit."""
    blocker = next((r for r in decision.reasons if r.code in BLOCKER_CODES), None)
    if blocker is None:  # the engine always gives one; say the limit rather than nothing
        return t("why_above_limit", lang, limit=money(decision.limit or Decimal(0), decision.leeway.currency, lang))
    return t(f"why_{blocker.code}", lang, **words_for(blocker.params, lang, policy_set))


def request_question(seen: "RequestSeen", lang: str | None, policy_set: PolicySet) -> str | None:
    """What to ask when the request could not be read for sure (several amounts ...); None when it could."""
    if not seen.ambiguous and not seen.reason:
        return None
    key = f"request_{seen.reason}"
    return t(key if key in CATALOGUE else "request_unclear", lang, base=policy_set.policy.currency)


def refusal_text(error: UserInputError, lang: str | None, policy_set: PolicySet | None = None) -> str:
    """A refused write or a bad entry in the person's language, with roles, statuses and people named."""
    params = {k: v for k, v in error.params.items() if isinstance(v, str | int) and not isinstance(v, bool)}
    key = error.code
    if key == "already_decided" and params.get("status"):
        params["status"] = t(f"status_{params['status']}", lang)
        key = "already_decided_by" if params.get("by") else "already_decided_as"
    if key == "approver_role_too_low" and not params.get("needed"):
        key = "approver_role_unknown"
    if policy_set is not None:
        policy = policy_set.policy
        for name in ROLE_PARAMS & params.keys():
            params[name] = role_name(policy, str(params[name]), lang)
        person = policy.people.users.get(str(params.get("by", "")))
        if person is not None and person.name:
            params["by"] = person.name
    return t(key, lang, **params)


def budget_line(decision: Decision, lang: str) -> str | None:
    """What is left of the asker's own budget, today and this month, in one sentence."""
    leeway = decision.leeway
    today = None if leeway.left_today is None else money(leeway.left_today, leeway.currency, lang)
    month = None if leeway.left_this_month is None else money(leeway.left_this_month, leeway.currency, lang)
    if today and month:
        return t("budget_left", lang, today=today, month=month)
    if today:
        return t("budget_left_today", lang, today=today)
    if month:
        return t("budget_left_month", lang, month=month)
    return None
