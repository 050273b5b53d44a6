"""Look up the words the site prints: t("status.on") -> "On by default"."""

from __future__ import annotations

import functools
from pathlib import Path

from macros.load.yamlfile import load_file

LOCALES = Path(__file__).parent.parent / "locales"
DEFAULT_LANGUAGE = "en"


@functools.cache
def _strings(language: str) -> dict:
    return load_file(LOCALES / f"{language}.yaml").data


def t(key: str, language: str = DEFAULT_LANGUAGE, **params) -> str:
    value = _strings(language)
    for part in key.split("."):
        value = value[part]  # a missing key is a bug in a template: fail loudly
    if not isinstance(value, str):
        raise KeyError(f"{key} is not a single string in locales/{language}.yaml")
    return value.format(**params) if params else value


def section(key: str, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every string under a key, e.g. the words a page's script prints: {"copy": "Copy", ...}."""
    value = _strings(language)
    for part in key.split("."):
        value = value[part]
    return {name: text for name, text in value.items() if isinstance(text, str)}


def has_text(key: str, language: str = DEFAULT_LANGUAGE) -> bool:
    """Whether t(key) finds a single string: for the check, before a template asks."""
    value = _strings(language)
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return isinstance(value, str)


def localize(text: dict | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A data text in the wanted language, falling back to English."""
    if not text:
        return ""
    return text.get(language) or text["en"]
