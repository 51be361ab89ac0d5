"""Exceptions per week by playbook, counted from the ledger and drawn as a PNG for the leads' digest.

Counting and drawing are separate so the numbers can be tested without pixels.
matplotlib is imported only when a chart is drawn (it takes most of a second),
so starting the bot and matching a situation never pay for it; the drawing uses
the Agg canvas directly, never ``pyplot``, so it holds no global state and is
safe on any thread.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.ledger import Ledger, iso, parse_iso
from bot.messages import t

PLAYBOOKS_SHOWN = 6  # more colours than this are hard to tell apart; the rest are summed as "other"
OTHER = ""  # the key of the summed rest; a playbook id is never empty


@dataclass(frozen=True)
class WeeklyCounts:
    """Weeks (their Mondays, oldest first) and, per playbook, one count per week."""

    weeks: tuple[date, ...]
    series: dict[str, tuple[int, ...]]

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.series.values())


def week_of(moment: datetime, zone: ZoneInfo) -> date:
    """The Monday of the week ``moment`` falls in, in ``zone``.

    >>> from datetime import UTC
    >>> week_of(datetime(2026, 11, 23, 1, tzinfo=UTC), ZoneInfo("America/Mexico_City")).isoformat()
    '2026-11-16'
    """
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def weekly_counts(ledger: Ledger, *, start: datetime, end: datetime, timezone: str = "UTC",
                  shown: int = PLAYBOOKS_SHOWN) -> WeeklyCounts:
    """Exceptions logged in ``[start, end)`` per week and playbook; the busiest ``shown`` playbooks, then the rest."""
    zone = ZoneInfo(timezone)
    first, last = week_of(start, zone), week_of(end - timedelta(microseconds=1), zone)
    weeks = tuple(first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1))
    rows = ledger.db.execute("SELECT playbook, created_at FROM exceptions WHERE created_at >= ? AND created_at < ?",
                             [iso(start), iso(end)]).fetchall()
    counts = Counter((playbook, week_of(parse_iso(created), zone)) for playbook, created in rows)
    totals = Counter(playbook for playbook, _ in rows)
    top = [playbook for playbook, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:shown]]
    series = {playbook: tuple(counts[(playbook, week)] for week in weeks) for playbook in top}
    rest = [p for p in totals if p not in series]
    if rest:
        series[OTHER] = tuple(sum(counts[(p, week)] for p in rest) for week in weeks)
    return WeeklyCounts(weeks=weeks, series=series)


def exceptions_chart_png(counts: WeeklyCounts, *, lang: str = "en", titles: dict[str, str] | None = None) -> bytes:
    """A stacked bar per week, one colour per playbook, as PNG bytes. ``titles``: playbook id -> name to show."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(counts.weeks))
    bottom = [0] * len(counts.weeks)
    for playbook, values in counts.series.items():
        label = t("chart_other", lang) if playbook == OTHER else (titles or {}).get(playbook, playbook)
        axes.bar(positions, values, bottom=bottom, label=label[:40])
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(list(positions), [week.isoformat() for week in counts.weeks], rotation=30, ha="right", fontsize=8)
    axes.set_title(t("chart_title", lang))
    axes.set_ylabel(t("chart_axis", lang))
    axes.yaxis.get_major_locator().set_params(integer=True)
    if counts.series:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)  # beside, never over, the bars
    else:
        axes.text(0.5, 0.5, t("chart_empty", lang), ha="center", va="center", transform=axes.transAxes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
