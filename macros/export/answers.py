"""The resolver's answers as static JSON under /api/v1/answers/, for the "Your setup" page and scripts.

One file per PostgreSQL major x system, where a system is a platform release that implies its
OpenSSL series (`rhel-9`) or a platform and a series (`upstream-openssl-3.0`). Each file holds
every request for that pair: the defaults, each oldest client protocol and each profile, each
exactly Answer.to_json() (what `python -m macros answer --format json` prints). One file per pair
rather than one per request keeps the file count low (a few hundred) while a reader's choice
still fetches only what it shows. Compact JSON: the answers repeat their sources and reasons, and
indentation would nearly double the bytes.

answers/index.json lists the choices: majors, platforms, series, requests, and per major which
systems have a file, or why not (the combination does not build).
"""

from __future__ import annotations

import json

from macros.export.context import ExportContext
from macros.export.json_api import API_DIR, meta
from macros.load.i18n import localize
from macros.model.dataset import Dataset
from macros.model.resolver import ANSWER_FLOORS, resolve
from macros.model.resolver_types import ResolveError, Setup

ANSWERS_DIR = "answers/"  # under API_DIR


def compact(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def system_id(platform: str, series: str, implied: bool) -> str:
    """`rhel-9` when the platform implies its series, else `upstream-openssl-3.0`."""
    return platform if implied else f"{platform}-openssl-{series}"


def answer_file(major: str, system: str) -> str:
    """Path under /api/v1/ of one major x system's answers."""
    return f"{ANSWERS_DIR}{major}/{system}.json"


def systems(data: Dataset) -> list[tuple[str, str, str]]:
    """(system id, platform id, OpenSSL series) for every platform and the series it can run."""
    found = []
    for release in data.releases:
        series = [release.openssl] if release.openssl else [s.series for s in data.openssl]
        found += [(system_id(release.id, s, bool(release.openssl)), release.id, s) for s in series]
    return found


def requests(data: Dataset) -> list[tuple[str, str | None, str | None]]:
    """(key, oldest protocol, profile): the defaults, each floor, each profile."""
    floors = [(f"min_protocol:{f}", f, None) for f in ANSWER_FLOORS if f]
    return [("default", None, None)] + floors + [(f"profile:{p.id}", None, p.id) for p in data.profiles]


def system_answers(data: Dataset, major: str, platform: str, series: str, implied: bool) -> dict:
    """{request key: Answer.to_json()}; ResolveError when this major does not run on this system."""
    openssl = None if implied else series  # as the CLI is called: the platform implies its series
    return {key: resolve(data, Setup(major, openssl=openssl, platform=platform, min_protocol=floor,
                                     profile=profile)).to_json()
            for key, floor, profile in requests(data)}


def answer_files(data: Dataset, context: ExportContext) -> dict[str, str]:
    """Every file under /api/v1/answers/, by path relative to /api/v1/."""
    files, availability = {}, {}
    implied = {r.id: bool(r.openssl) for r in data.releases}
    for major in data.postgresql:
        available = availability.setdefault(major.major, {})
        for system, platform, series in systems(data):
            try:
                answers = system_answers(data, major.major, platform, series, implied[platform])
            except ResolveError as error:
                available[system] = {"file": None, "error": str(error)}
                continue
            path = answer_file(major.major, system)
            files[path] = compact({"meta": meta(context, "answers"), "postgresql": major.major,
                                   "system": system, "platform": platform, "openssl": series,
                                   "answers": answers})
            available[system] = {"file": context.url(API_DIR + path), "error": None}
    files[f"{ANSWERS_DIR}index.json"] = compact(choices(data, context, availability))
    return files


def choices(data: Dataset, context: ExportContext, availability: dict) -> dict:
    """answers/index.json: what can be asked, and where each answer lives."""
    return {
        "meta": meta(context, "answers-index"),
        "file_pattern": context.url(API_DIR + answer_file("{postgresql}", "{system}")),
        "postgresql": [{"major": m.major, "suggested_openssl": _suggested_series(data, m),
                        "systems": [{"id": system, "platform": platform, "openssl": series}
                                    | availability[m.major][system]
                                    for system, platform, series in systems(data)]}
                       for m in data.postgresql],
        "platforms": [{"id": r.id, "name": r.name, "openssl": r.openssl,
                       "openssl_note": localize(r.openssl_fact.note) or None} for r in data.releases],
        "openssl": [s.series for s in data.openssl],
        "requests": [{"key": key, "min_protocol": floor, "profile": profile}
                     for key, floor, profile in requests(data)],
    }


def _suggested_series(data: Dataset, major) -> str | None:
    """The newest series this major builds with: the page's first pick for a platform without one."""
    buildable = data.buildable_series(major)
    return buildable[-1].series if buildable else None
