"""Version parsing and ordering for PostgreSQL and OpenSSL.

Text order is wrong for both: "10" < "9.6" and "3.10" < "3.2" as strings, and OpenSSL's letter
releases sort 1.0.1 < 1.0.1e < 1.0.1t < 1.0.2 and 0.9.8z < 0.9.8za.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PG_MINOR = re.compile(r"^(?P<major>9\.[0-9]|[1-9][0-9])\.(?P<minor>[0-9]+)$")
_PG_MAJOR = re.compile(r"^(9\.[0-9]|[1-9][0-9])$")
_OPENSSL = re.compile(r"^(?P<numbers>[0-9]+(?:\.[0-9]+){1,2})(?P<letters>[a-z]*)$")


# The sort keys are pure and the resolver asks for them about 100,000 times per export: cached.
@lru_cache(maxsize=None)
def pg_major_key(major: str) -> tuple[int, ...]:
    """'9.4' -> (9, 4); '13' -> (13, 0)."""
    if not _PG_MAJOR.match(major):
        raise ValueError(f"not a PostgreSQL major version: {major!r}")
    parts = tuple(int(p) for p in major.split("."))
    return parts if len(parts) == 2 else (parts[0], 0)


def pg_minor_parts(release: str) -> tuple[str, int]:
    """'9.4.12' -> ('9.4', 12); '13.5' -> ('13', 5)."""
    match = _PG_MINOR.match(release)
    if not match:
        raise ValueError(f"not a PostgreSQL minor release: {release!r}")
    return match["major"], int(match["minor"])


@lru_cache(maxsize=None)
def pg_release_key(release: str) -> tuple[int, ...]:
    major, minor = pg_minor_parts(release)
    return pg_major_key(major) + (minor,)


@lru_cache(maxsize=None)
def openssl_key(version: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A sort key for a series ('1.1.1', '3.0') or a release ('1.0.2u', '3.0.19')."""
    match = _OPENSSL.match(version)
    if not match:
        raise ValueError(f"not an OpenSSL version: {version!r}")
    numbers = tuple(int(p) for p in match["numbers"].split("."))
    letters = tuple(ord(c) - ord("a") + 1 for c in match["letters"])
    return numbers, letters


def openssl_series_of(release: str) -> str:
    """The series a release belongs to: '1.0.2u' -> '1.0.2'; '3.0.19' -> '3.0'."""
    numbers, _ = openssl_key(release)
    width = 3 if numbers[0] < 3 else 2
    return ".".join(str(n) for n in numbers[:width])


def is_pg_minor(text: str) -> bool:
    return bool(_PG_MINOR.match(text))
