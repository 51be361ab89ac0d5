"""Ledger rows -> suggestions for policy owners, each with its evidence and the file and line to change.

An insight is only worth a policy owner's time when the pattern is clear, so each
kind has named thresholds (below) and stays silent under them: a quiet or normal
ledger yields nothing. Every insight cites ``path:line`` from the PolicySet's
locations, and reads the same in English and Spanish (``bot.messages``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from bot.decision import effective_limit
from bot.ledger import Ledger, from_cents, iso, parse_iso
from bot.messages import action_name, money, role_name, t
from bot.models import PolicySet, cap_for

CALIBRATION_MIN_DECISIONS = 10
"""Fewer decided escalations in one amount band say more about individual cases than about the limit."""
CALIBRATION_APPROVAL_SHARE = 0.85
"""When leads approve at least 85% of the requests in a band, asking them adds delay but no judgement."""
RECURRING_MIN_COUNT = 10
"""Below ten uses in a period, doubling is noise (2 -> 4 is not a wave)."""
RECURRING_RATIO = 2.0
"""Twice the previous period is well beyond week-to-week variation of a steady cause."""
ROUTINE_MIN_CASES = 10
"""A share of a handful of cases is an anecdote, not a routine."""
ROUTINE_SHARE = 0.8
"""A gesture in four cases out of five is what agents do anyway: the playbook should say so."""
RARE_MIN_AVERAGE = 10
"""Only call a playbook rare when playbooks are used ten times each on average: on a quiet ledger all are rare."""
RARE_SHARE = 0.1
"""Used less than a tenth as often as the average playbook."""
CONFUSION_MIN = 3
"""Three "not this one" choices between the same pair is a pattern, one or two are slips."""
EXAMPLES_SHOWN = 3


@dataclass(frozen=True)
class Money:
    """An amount to show in the reader's number format."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Insight:
    """One finding: what (``title``), what to do (``suggestion``), why (``evidence``) and where (``cites``)."""

    kind: str
    subject: str
    params: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    cites: tuple[str, ...] = ()
    weight: float = 0.0
    variant: str = ""
    title_variant: str = ""

    def title(self, lang: str | None) -> str:
        return t(f"insight_{self.kind}{self.title_variant}_title", lang, **self.words(lang))

    def suggestion(self, lang: str | None) -> str:
        return t(f"insight_{self.kind}{self.variant}_suggestion", lang, **self.words(lang))

    def words(self, lang: str | None) -> dict[str, str]:
        """Parameters as words: localized names in the reader's language, money in their number format."""
        return {key: _word(value, lang) for key, value in self.params.items()}

    def as_dict(self, lang: str | None = "en") -> dict:
        return {"kind": self.kind, "subject": self.subject, "title": self.title(lang),
                "suggestion": self.suggestion(lang), "evidence": self.evidence, "cites": list(self.cites),
                "weight": self.weight}


def _word(value, lang: str | None) -> str:
    if isinstance(value, Money):
        return money(value.amount, value.currency, lang)
    if isinstance(value, dict):
        return value.get(lang or "en") or value["en"]
    return str(value)


def find_insights(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime,
                  encoder=None) -> list[Insight]:
    """Every insight for ``[start, end)``, the weightiest first. ``encoder`` helps group unmatched situations."""
    from bot.insight_gaps import gap_insights

    found = [
        *limit_calibration(ledger, policy_set, start=start, end=end),
        *recurring(ledger, policy_set, start=start, end=end),
        *routine_gestures(ledger, policy_set, start=start, end=end),
        *gap_insights(ledger, policy_set, start=start, end=end, encoder=encoder),
        *rarely_used(ledger, policy_set, start=start, end=end),
        *confusion(ledger, policy_set, start=start, end=end),
    ]
    return sorted(found, key=lambda i: (-i.weight, i.kind, i.subject))


# ---------------------------------------------------------------- names and places


def localized(policy_set: PolicySet, *, action: str | None = None, playbook: str | None = None,
              role: str | None = None) -> dict[str, str]:
    """A name in both languages, so an insight can be read in either."""
    policy = policy_set.policy
    if action is not None:
        return {lang: action_name(policy, action, lang) for lang in ("en", "es")}
    if role is not None:
        return {lang: role_name(policy, role, lang) for lang in ("en", "es")}
    found = policy_set.playbooks.get(playbook)
    return {lang: found.title.text(lang) if found else playbook for lang in ("en", "es")}


def action_site(policy_set: PolicySet, playbook: str, action: str) -> str:
    """Where a playbook sets an action's limits: ``playbooks/x.yaml:LINE`` (the file, when the line is unknown)."""
    found = policy_set.locations.get(f"playbooks/{playbook}/actions/{action}")
    return found or policy_set.playbook_files.get(playbook, playbook)


def section_site(policy_set: PolicySet, playbook: str, section: str) -> str:
    """The line of a top-level key (``steps:``, ``examples:``) of a playbook file, read from the file itself."""
    path = policy_set.playbook_files.get(playbook, playbook)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return path
    number = next((n for n, line in enumerate(lines, 1) if line.startswith(f"{section}:")), None)
    return f"{path}:{number}" if number else path


def _examples(ledger: Ledger, *, start: datetime, end: datetime, playbook: str, action: str) -> list[str]:
    """A few of the period's own words for these cases (stored redacted), newest first."""
    rows = ledger.db.execute(
        "SELECT COALESCE(situation, note) FROM exceptions WHERE playbook = ? AND action = ? AND created_at >= ? "
        "AND created_at < ? AND COALESCE(situation, note) IS NOT NULL AND COALESCE(situation, note) != '' "
        "ORDER BY created_at DESC LIMIT ?", [playbook, action, iso(start), iso(end), EXAMPLES_SHOWN]).fetchall()
    return [row[0] for row in rows]


# ---------------------------------------------------------------- limit calibration


def limit_calibration(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime) -> list[Insight]:
    """Escalations above the asker's limit that leads (nearly) always approve, by amount band.

    Bands are multiples of the asker's limit: with a 20 USD limit, 20-40 USD, 40-60 USD ...
    Escalations sent up for a budget or a frequency limit (amount within the limit) are not about the limit.
    """
    bands: dict[tuple, dict] = defaultdict(lambda: {"approved": 0, "denied": 0, "ids": []})
    policy = policy_set.policy
    rows = ledger.db.execute(
        "SELECT playbook, action, requester_role, amount_cents, status, id FROM escalations "
        "WHERE created_at >= ? AND created_at < ? AND status IN ('approved', 'denied') AND currency = ? ORDER BY id",
        [iso(start), iso(end), policy.currency]).fetchall()
    for playbook_id, action, role, cents, status, escalation_id in rows:
        playbook = policy_set.playbooks.get(playbook_id)
        if playbook is None or role not in policy.role_ids:
            continue
        limit = effective_limit(policy, playbook, action, role)
        amount = from_cents(cents)
        if limit <= 0 or amount <= limit:
            continue
        band = bands[(playbook_id, action, role, int((amount - Decimal("0.01")) // limit))]
        band[status] += 1
        band["ids"].append(escalation_id)
    days = max(1, round((end - start).total_seconds() / 86400))
    return [_calibration(policy_set, key, band, days) for key, band in sorted(bands.items()) if _clear_yes(band)]


def _clear_yes(band: dict) -> bool:
    decided = band["approved"] + band["denied"]
    return decided >= CALIBRATION_MIN_DECISIONS and band["approved"] / decided >= CALIBRATION_APPROVAL_SHARE


def _calibration(policy_set: PolicySet, key: tuple, band: dict, days: int) -> Insight:
    playbook_id, action, role, step = key
    policy = policy_set.policy
    limit = effective_limit(policy, policy_set.playbooks[playbook_id], action, role)
    low, high = limit * step, limit * (step + 1)  # step >= 1: the amount was above the limit
    cap = cap_for(policy, action, role)
    cites = [action_site(policy_set, playbook_id, action)]
    params = {"approved": band["approved"], "decided": band["approved"] + band["denied"], "days": days,
              "action": localized(policy_set, action=action), "playbook": localized(policy_set, playbook=playbook_id),
              "role": localized(policy_set, role=role), "low": Money(low, policy.currency),
              "high": Money(high, policy.currency), "file": cites[0]}
    variant = ""
    if cap is not None and cap < high:
        cites.append(policy_set.locations.get(f"caps/{action}") or policy.sources.get("caps", "policies"))
        params.update(cap=Money(cap, policy.currency), cap_file=cites[1])
        variant = "_cap"
    evidence = {"playbook": playbook_id, "action": action, "role": role, "limit": str(limit), "band": [str(low), str(high)],
                "approved": band["approved"], "denied": band["denied"], "examples": band["ids"][-EXAMPLES_SHOWN:]}
    return Insight(kind="limit_calibration", subject=f"{playbook_id}/{action}/{role}/{low}-{high}", params=params,
                   evidence=evidence, cites=tuple(cites), weight=float(params["decided"]), variant=variant)


# ---------------------------------------------------------------- recurring exceptions


def recurring(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime) -> list[Insight]:
    """The same playbook and action much more often than in the previous period of the same length.

    Silent when the ledger does not reach back to the previous period: a new ledger has no "before".
    """
    before = start - (end - start)
    earliest = ledger.db.execute("SELECT MIN(created_at) FROM exceptions").fetchone()[0]
    if earliest is None or parse_iso(earliest) > before + (start - before) / 7:
        return []
    now_counts, then_counts = _pair_counts(ledger, start, end), _pair_counts(ledger, before, start)
    found = []
    for (playbook_id, action), count in sorted(now_counts.items()):
        previous = then_counts.get((playbook_id, action), 0)
        if _wave(count, previous) and playbook_id in policy_set.playbooks:
            found.append(_recurring(ledger, policy_set, playbook_id, action, count, previous, start=start, end=end))
    explained = {_owner_of(policy_set, insight.evidence["playbook"]) for insight in found}
    return found + _owner_waves(policy_set, now_counts, then_counts, skip=explained)


def _wave(count: int, previous: int) -> bool:
    return count >= RECURRING_MIN_COUNT and count >= RECURRING_RATIO * previous


def _owner_of(policy_set: PolicySet, playbook_id: str) -> str | None:
    playbook = policy_set.playbooks.get(playbook_id)
    return playbook.owner.team if playbook and playbook.owner else None


def _owner_waves(policy_set: PolicySet, now_counts: dict, then_counts: dict, *, skip: set) -> list[Insight]:
    """One back-office cause spread over several playbooks: each alone is steady, together they are a wave."""
    by_owner: dict[str, list] = defaultdict(lambda: [0, 0, set()])
    for counts, slot in ((now_counts, 0), (then_counts, 1)):
        for (playbook_id, _), count in counts.items():
            owner = _owner_of(policy_set, playbook_id)
            if owner and owner not in skip:
                by_owner[owner][slot] += count
                by_owner[owner][2].add(playbook_id)
    found = []
    for owner, (count, previous, playbooks) in sorted(by_owner.items()):
        if len(playbooks) >= 2 and previous and _wave(count, previous):  # a new cause shows in its own playbook
            cites = tuple(section_site(policy_set, pid, "owner") for pid in sorted(playbooks))
            params = {"owner": owner, "count": count, "previous": previous, "ratio": _ratio(count, previous),
                      "playbooks": ", ".join(sorted(playbooks)), "file": cites[0]}
            found.append(Insight(kind="recurring", subject=f"owner:{owner}", params=params, cites=cites,
                                 evidence={"owner": owner, "count": count, "previous": previous,
                                           "playbooks": sorted(playbooks)},
                                 weight=float(count), variant="_by_owner", title_variant="_by_owner"))
    return found


def _pair_counts(ledger: Ledger, start: datetime, end: datetime) -> dict[tuple[str, str], int]:
    rows = ledger.db.execute("SELECT playbook, action, COUNT(*) FROM exceptions WHERE created_at >= ? AND created_at < ? "
                             "GROUP BY playbook, action", [iso(start), iso(end)]).fetchall()
    return {(playbook, action): count for playbook, action, count in rows}


def _recurring(ledger, policy_set, playbook_id, action, count, previous, *, start, end) -> Insight:
    owner = policy_set.playbooks[playbook_id].owner
    site = section_site(policy_set, playbook_id, "owner") if owner else action_site(policy_set, playbook_id, action)
    params = {"playbook": localized(policy_set, playbook=playbook_id), "action": localized(policy_set, action=action),
              "count": count, "previous": previous, "ratio": _ratio(count, previous),
              "owner": owner.team if owner else "", "file": site}
    evidence = {"playbook": playbook_id, "action": action, "count": count, "previous": previous,
                "owner": owner.team if owner else None,
                "examples": _examples(ledger, start=start, end=end, playbook=playbook_id, action=action)}
    return Insight(kind="recurring", subject=f"{playbook_id}/{action}", params=params, evidence=evidence,
                   cites=(site,), weight=float(count), variant="_owner" if owner else "",
                   title_variant="" if previous else "_new")


def _ratio(count: int, previous: int) -> dict[str, str]:
    """How many times the previous period, to one decimal, in each language's number format.

    >>> _ratio(42, 14)["en"], _ratio(17, 8)["es"], _ratio(10, 0)["en"]
    ('3', '2,1', '')
    """
    text = f"{count / previous:.1f}".rstrip("0").rstrip(".") if previous else ""
    return {"en": text, "es": text.replace(".", ",")}


# ---------------------------------------------------------------- routine gestures


def routine_gestures(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime) -> list[Insight]:
    """A gesture agents grant on their own in most cases of a playbook that offers several.

    Only exceptions on the agent's own authority count: an approved escalation is not routine.
    """
    rows = ledger.db.execute(
        "SELECT playbook, action, COUNT(*) FROM exceptions WHERE created_at >= ? AND created_at < ? "
        "AND decision = 'allowed' GROUP BY playbook, action", [iso(start), iso(end)]).fetchall()
    by_playbook: dict[str, Counter] = defaultdict(Counter)
    for playbook_id, action, count in rows:
        by_playbook[playbook_id][action] += count
    found = []
    for playbook_id, actions in sorted(by_playbook.items()):
        playbook = policy_set.playbooks.get(playbook_id)
        total = sum(actions.values())
        action, count = min(actions.items(), key=lambda item: (-item[1], item[0]))
        if playbook and len(playbook.actions) >= 2 and total >= ROUTINE_MIN_CASES and count / total >= ROUTINE_SHARE:
            found.append(_routine(ledger, policy_set, playbook_id, action, count, total, start=start, end=end))
    return found


def _routine(ledger, policy_set, playbook_id, action, count, total, *, start, end) -> Insight:
    site = section_site(policy_set, playbook_id, "steps")
    params = {"playbook": localized(policy_set, playbook=playbook_id), "action": localized(policy_set, action=action),
              "count": count, "total": total, "file": site}
    evidence = {"playbook": playbook_id, "action": action, "count": count, "total": total,
                "examples": _examples(ledger, start=start, end=end, playbook=playbook_id, action=action)}
    return Insight(kind="routine_gesture", subject=f"{playbook_id}/{action}", params=params, evidence=evidence,
                   cites=(site, action_site(policy_set, playbook_id, action)), weight=float(count))


# ---------------------------------------------------------------- playbooks seldom used or confused


def rarely_used(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime) -> list[Insight]:
    """Playbooks with gestures used far less than the others (those without actions never reach the ledger)."""
    counts = Counter(dict(ledger.db.execute(
        "SELECT playbook, COUNT(*) FROM exceptions WHERE created_at >= ? AND created_at < ? GROUP BY playbook",
        [iso(start), iso(end)]).fetchall()))
    with_actions = sorted(pid for pid, playbook in policy_set.playbooks.items() if playbook.actions)
    if not with_actions:
        return []
    average = sum(counts[pid] for pid in with_actions) / len(with_actions)
    if average < RARE_MIN_AVERAGE:
        return []
    found = []
    for playbook_id in with_actions:
        if counts[playbook_id] < RARE_SHARE * average:
            site = section_site(policy_set, playbook_id, "examples")
            params = {"playbook": localized(policy_set, playbook=playbook_id), "count": counts[playbook_id],
                      "average": f"{average:.0f}", "file": site}
            found.append(Insight(kind="rarely_used", subject=playbook_id, params=params, cites=(site,), weight=1.0,
                                 evidence={"playbook": playbook_id, "count": counts[playbook_id],
                                           "average": round(average, 1)}))
    return found


def confusion(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime) -> list[Insight]:
    """Playbooks agents keep turning down ("not this one") for the same other playbook, or for none."""
    from bot.rematches import rematch_counts

    found = []
    for rematch in rematch_counts(ledger, start=start, end=end):
        if rematch.count < CONFUSION_MIN or rematch.offered not in policy_set.playbooks:
            continue
        cites = [section_site(policy_set, rematch.offered, "examples")]
        params = {"offered": localized(policy_set, playbook=rematch.offered), "count": rematch.count, "file": cites[0]}
        if rematch.chosen:
            cites.append(section_site(policy_set, rematch.chosen, "examples"))
            params.update(chosen=localized(policy_set, playbook=rematch.chosen), chosen_file=cites[1])
        found.append(Insight(kind="confusion", subject=f"{rematch.offered}->{rematch.chosen or ''}", params=params,
                             evidence={"offered": rematch.offered, "chosen": rematch.chosen, "count": rematch.count},
                             cites=tuple(cites), weight=float(rematch.count),
                             variant="" if rematch.chosen else "_none", title_variant="" if rematch.chosen else "_none"))
    return found
