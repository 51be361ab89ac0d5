"""Matching accuracy on a labelled set: top-1, top-3, out-of-scope precision and recall, by language.

A line is ``{"text", "lang", "expected": playbook id or null}``; null means no
playbook fits and the right answer is the outcome ``none``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.matching import MatchIndex


@dataclass(frozen=True)
class LabelledSituation:
    text: str
    lang: str
    expected: str | None


@dataclass
class Tally:
    in_scope: int = 0
    top1: int = 0
    top3: int = 0

    def rate(self, hits: int) -> float:
        return hits / self.in_scope if self.in_scope else 0.0


@dataclass
class EvalReport:
    total: int = 0
    by_lang: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    out_of_scope: int = 0
    said_none: int = 0
    said_none_correctly: int = 0
    in_scope_said_none: int = 0
    said_match: int = 0  # a confident match: the agent is shown one playbook's steps and limits
    said_match_right: int = 0
    confusions: Counter = field(default_factory=Counter)

    @property
    def oos_recall(self) -> float:
        return self.said_none_correctly / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def oos_precision(self) -> float:
        return self.said_none_correctly / self.said_none if self.said_none else 0.0

    @property
    def match_precision(self) -> float:
        """How often a confident match shows the right playbook (an out-of-scope one never is)."""
        return self.said_match_right / self.said_match if self.said_match else 0.0

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "top1": round(self.overall.rate(self.overall.top1), 4),
            "top3": round(self.overall.rate(self.overall.top3), 4),
            **{f"top1_{lang}": round(t.rate(t.top1), 4) for lang, t in sorted(self.by_lang.items())},
            **{f"top3_{lang}": round(t.rate(t.top3), 4) for lang, t in sorted(self.by_lang.items())},
            "oos_precision": round(self.oos_precision, 4),
            "oos_recall": round(self.oos_recall, 4),
            "in_scope_rejected": self.in_scope_said_none,
            "match_share": round(self.said_match / self.total, 4) if self.total else 0.0,
            "match_precision": round(self.match_precision, 4),
            "worst_confusions": [f"{a} -> {b}: {n}" for (a, b), n in self.confusions.most_common(8)],
        }


def read_labelled(path: Path) -> list[LabelledSituation]:
    situations = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        situations.append(LabelledSituation(item["text"], item.get("lang", "en"), item.get("expected")))
    return situations


def evaluate(index: MatchIndex, situations: list[LabelledSituation]) -> EvalReport:
    """Top-1 and top-3 count the ranking (an ambiguous answer that ranks right still helps the agent)."""
    report = EvalReport()
    for item in situations:
        result = index.match(item.text, limit=5)
        ranked = [c.playbook for c in result.matches]
        report.total += 1
        if result.outcome == "none":
            report.said_none += 1
        if result.outcome == "match":
            report.said_match += 1
            report.said_match_right += ranked[0] == item.expected
        if item.expected is None:
            report.out_of_scope += 1
            report.said_none_correctly += result.outcome == "none"
            continue
        report.in_scope_said_none += result.outcome == "none"
        for tally in (report.overall, report.by_lang.setdefault(item.lang, Tally())):
            tally.in_scope += 1
            tally.top1 += bool(ranked) and ranked[0] == item.expected and result.outcome != "none"
            tally.top3 += item.expected in ranked[:3] and result.outcome != "none"
        if ranked and ranked[0] != item.expected:
            report.confusions[(item.expected, ranked[0])] += 1
    return report


def format_report(report: EvalReport) -> str:
    figures = report.as_dict()
    lines = [f"situations: {report.total} ({report.overall.in_scope} in scope, {report.out_of_scope} out of scope)",
             f"top-1: {figures['top1']:.1%}   top-3: {figures['top3']:.1%}"]
    for lang, tally in sorted(report.by_lang.items()):
        lines.append(f"  {lang}: top-1 {tally.rate(tally.top1):.1%}  top-3 {tally.rate(tally.top3):.1%}  (n={tally.in_scope})")
    lines += [f"out of scope: precision {report.oos_precision:.1%}  recall {report.oos_recall:.1%}  "
              f"(in-scope situations answered 'none': {report.in_scope_said_none})",
              f"confident matches: {figures['match_share']:.1%} of situations, right {report.match_precision:.1%}"]
    if report.confusions:
        lines.append("worst confusions (expected -> ranked first):")
        lines += [f"  {a} -> {b}: {n}" for (a, b), n in report.confusions.most_common(8)]
    return "\n".join(lines)
