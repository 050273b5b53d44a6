"""Today's date, for the warnings about ageing data. Nothing the site prints may depend on it.

TLSKB_TODAY=YYYY-MM-DD pins the date: the tests use it, and `TLSKB_TODAY=2027-12-01 make check`
shows what will have gone stale by then.
"""

from __future__ import annotations

import datetime
import os

STALE_AFTER = datetime.timedelta(days=365)


class BadDate(ValueError):
    """TLSKB_TODAY is set but is not a date: a mistake in how the command was run, not in the data."""


def today() -> datetime.date:
    """Today, or the pinned date. macros/check/runner.py calls it once before the rules, so a bad
    TLSKB_TODAY ends the check with one message (the CLI's, or the build's) and no rule sees it."""
    pinned = os.environ.get("TLSKB_TODAY", "").strip()
    if not pinned:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(pinned)
    except ValueError:
        raise BadDate(f"TLSKB_TODAY={pinned!r} is not a date (YYYY-MM-DD)") from None


def day_of(text: str) -> datetime.date:
    """'2026-09-07' as a date; a planned month ('2027-11') counts from its first day, as the
    site's end-of-life mark does."""
    return datetime.date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def older_than_a_year(day: str) -> bool:
    """Whether a data file's date lies more than a year before today."""
    return day_of(day) < today() - STALE_AFTER


def passed(day: str) -> bool:
    """Whether a data file's date is today or earlier."""
    return day_of(day) <= today()
