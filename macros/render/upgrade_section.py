"""A version page's "What changed for TLS since the previous major", as Markdown.

The page computes nothing itself: it asks the resolver (resolve with Setup.upgrade_from, which runs
macros/model/resolver_upgrade.py) once per OpenSSL series both majors build with, and words what
the answers say. The setting changes come from the data alone and are the same for every series;
the protocol defaults can differ by series, so they are grouped into runs of series that agree.
"""

from __future__ import annotations

from macros.model.dataset import Dataset
from macros.model.resolver import resolve
from macros.model.resolver_types import Setup
from macros.render.markdown import Md, code, escape, words


def previous_major(data: Dataset, major: str) -> str | None:
    """The major before this one in the data; None for the first."""
    majors = [m.major for m in data.postgresql]
    index = majors.index(major)
    return majors[index - 1] if index else None


def upgrade_answers(data: Dataset, major: str, previous: str) -> list[tuple[str, dict]]:
    """(series, the resolver's upgrade answer) for each series both majors build with, oldest first."""
    earlier = {s.series for s in data.buildable_series(data.pg(previous))}
    return [(s.series, resolve(data, Setup(major, openssl=s.series, upgrade_from=previous)).upgrade)
            for s in data.buildable_series(data.pg(major)) if s.series in earlier]


def upgrade_markdown(data: Dataset, major: str) -> str:
    """The section, heading included; "" for the first major in the data (nothing to compare with)."""
    previous = previous_major(data, major)
    if previous is None:
        return ""
    answers = upgrade_answers(data, major, previous)
    settings = answers[0][1]["settings"] if answers else []
    lines = [f"## {words('upgrade.heading', previous=previous)}\n",
             words("upgrade.intro", previous=Md(f"[{escape(f'PostgreSQL {previous}')}]({previous}.md)")) + "\n"]
    items = [_setting_line(change) for change in settings]
    items += _protocol_lines(data, answers, previous)
    if not settings:
        items.insert(0, words("upgrade.no_setting_change"))
    lines += [f"- {item}" for item in items]
    return "\n".join(lines) + "\n"


def _setting_line(change: dict) -> Md:
    where = words(f"upgrade.where.{change['kind']}")
    name = code(change["name"])
    if change["change"] == "renamed":
        return words("upgrade.renamed", name=name, where=where, new_name=code(change["renamed_to"]))
    if change["change"] == "default":
        return words("upgrade.default", name=name, where=where, old=code(change["old_default"]),
                     new=code(change["new_default"]))
    if change["change"] == "added" and change["new_default"]:
        return words("upgrade.added_default", name=name, where=where, default=code(change["new_default"]))
    return words(f"upgrade.{change['change']}", name=name, where=where)


def _protocol_lines(data: Dataset, answers: list[tuple[str, dict]], previous: str) -> list[Md]:
    runs = _runs([(series, tuple((p["protocol"], p["from"], p["to"]) for p in upgrade["protocols"]),
                   upgrade["note"]) for series, upgrade in answers])
    if all(not changes and not note for _, changes, note in runs):
        return [words("upgrade.no_protocol_change")]
    lines = []
    for series, changes, note in runs:
        if note:
            lines.append(words("upgrade.not_compared", series=series))
        elif not changes:
            lines.append(words("upgrade.no_protocol_change_with", series=series))
        for (before, after), protocols in _by_direction(changes).items():
            names = ", ".join(data.protocol(p).name for p in protocols)
            lines.append(words("upgrade.protocols", protocols=names, series=series, previous=previous,
                               before=words(f"upgrade.{before}"), after=words(f"upgrade.{after}")))
    return lines


def _by_direction(changes: tuple) -> dict[tuple[str, str], list[str]]:
    """TLS 1.0 and TLS 1.1 both refused now: one line, not two."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for protocol, before, after in changes:
        grouped.setdefault((before, after), []).append(protocol)
    return grouped


def _runs(rows: list[tuple[str, tuple, str | None]]) -> list[tuple[Md, tuple, str | None]]:
    """Consecutive series with the same answer as one run: ("1.0.1 to 1.1.1", changes, note)."""
    runs: list[list] = []
    for series, changes, note in rows:
        if runs and runs[-1][2] == changes and runs[-1][3] == note:
            runs[-1][1] = series
        else:
            runs.append([series, series, changes, note])
    return [(escape(first) if first == last else words("guide.series_range", first=first, last=last),
             changes, note) for first, last, changes, note in runs]
