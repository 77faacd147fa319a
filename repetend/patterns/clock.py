"""The time the use loop reads: now, or the time `REPETEND_CLOCK` names.

The circuit breaker's half-open delay and the alerts' ages are measured on
this clock, so a test (or a replay of old evidence) sets the time instead of
sleeping through it; the variable also reaches git hooks and their drains.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from repetend.errors import ConfigError

CLOCK_VARIABLE = "REPETEND_CLOCK"


def now() -> datetime:
    """The current UTC time, or the ISO-8601 time in `REPETEND_CLOCK` when it is set."""
    given = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not given:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(given.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{CLOCK_VARIABLE} = {given!r} is not valid (expected an ISO-8601 time)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
