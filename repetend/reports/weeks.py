"""ISO weeks: `2026-W49` from the command line, and the UTC times a week spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from repetend.errors import UsageError

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday, in UTC)."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """`2026-W49`: the name of the week and of its report file."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> datetime:
        """Monday 00:00 UTC."""
        monday = date.fromisocalendar(self.year, self.number, 1)
        return datetime(monday.year, monday.month, monday.day, tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 UTC (not part of the week)."""
        return self.start + timedelta(days=7)


def week_of(moment: datetime) -> Week:
    """The ISO week that holds `moment` (taken in UTC)."""
    year, number, _day = moment.astimezone(timezone.utc).isocalendar()
    return Week(year, number)


def parse_week(text: str, now: datetime, argument: str = "--week") -> Week:
    """`2026-W49`, `this` (the week so far) or `last` (the week before); else a one-line error."""
    word = text.strip().lower()
    if word in ("this", "last"):
        return week_of(now - timedelta(days=7 if word == "last" else 0))
    found = _WEEK.fullmatch(text.strip())
    if found is None:
        raise UsageError(
            f"{argument}: expected a week such as 2026-W49 (or this, last), got {text!r}"
        )
    year, number = int(found.group(1)), int(found.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise UsageError(
            f"{argument}: {year} has no week {number} (its ISO weeks are 1 to {_weeks_in(year)})"
        ) from None
    return Week(year, number)


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]  # 28 December is always in the year's last week
