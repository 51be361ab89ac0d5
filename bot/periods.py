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
