"""``7d``, ``24h``, ``30m`` or a date, as the moment a period starts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bot.errors import UserInputError

AGE = re.compile(r"^\s*(\d{1,5})\s*([dhmw])\s*$", re.IGNORECASE)
UNITS = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}


def since(text: str | None, *, now: datetime) -> datetime | None:
    """The start of the period ``text`` names, counted back from ``now``.

    >>> now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    >>> since("7d", now=now).isoformat(), since("2026-11-01", now=now).isoformat()
    ('2026-11-16T12:00:00+00:00', '2026-11-01T00:00:00+00:00')
    """
    if not text:
        return None
    age = AGE.match(text)
    if age:
        return now - timedelta(**{UNITS[age.group(2).lower()]: int(age.group(1))})
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserInputError("invalid_period", {"value": text}) from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


DEFAULT_WINDOW = "7d"


def window(*, since_text: str | None = None, from_text: str | None = None, to_text: str | None = None,
           now: datetime) -> tuple[datetime, datetime]:
    """The ``[start, end)`` a report covers: ``--since 7d``, or ``--from DATE --to DATE`` (both days included).

    >>> now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    >>> [d.isoformat() for d in window(from_text="2026-11-01", to_text="2026-11-07", now=now)]
    ['2026-11-01T00:00:00+00:00', '2026-11-08T00:00:00+00:00']
    >>> window(now=now)[0].isoformat()
    '2026-11-16T12:00:00+00:00'
    """
    if since_text and (from_text or to_text):
        raise UserInputError("period_both", {"value": since_text})
    if from_text or to_text:
        start = since(from_text, now=now) if from_text else datetime(1970, 1, 1, tzinfo=UTC)
        end = _until(to_text, now=now)
    else:
        start, end = since(since_text or DEFAULT_WINDOW, now=now), now
    if start >= end:
        raise UserInputError("period_empty", {"value": f"{start:%Y-%m-%d} .. {end:%Y-%m-%d}"})
    return start, end


def _until(text: str | None, *, now: datetime) -> datetime:
    """The end of a period: ``now`` when not given, the moment an age names, or the day after a date (included)."""
    if not text:
        return now
    end = since(text, now=now)
    return end if AGE.match(text) else end + timedelta(days=1)
