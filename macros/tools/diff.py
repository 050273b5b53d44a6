"""python -m macros diff [BASE [HEAD]]: what a change does to the facts, as Markdown for a PR.

Compares the data at BASE (default: `git merge-base HEAD main`) with HEAD (default: the working
tree): the cells of every table (as the site words them), the versions' lifecycle facts, and the
settings registries. Each side is checked first; a side that fails the check is named, with its
errors, and not compared.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from macros.check.runner import check_data
from macros.core.problems import errors_in
from macros.model.dataset import Dataset
from macros.model.openssl import OpenSSLSeries
from macros.model.settings import Setting
from macros.render.html import note_key
from macros.render.markdown import code as _code
from macros.render.tables import TABLE_IDS, Table, build_table

MAX_ERRORS_SHOWN = 20


class DiffError(Exception):
    """git could not give us a side (bad revision, not a repository)."""


class GitMissing(DiffError):
    """git itself could not be started (not installed, not on PATH)."""


@dataclass
class Side:
    label: str
    dataset: Dataset | None
    errors: list[str] = field(default_factory=list)


# --- reading each side ------------------------------------------------------------------------

def git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError as error:
        raise GitMissing(f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def default_base(root: Path) -> str:
    try:
        return git(root, "merge-base", "HEAD", "main")
    except GitMissing:
        raise
    except DiffError as error:
        raise DiffError(f"{error}\nno merge base with `main`; name the base: python -m macros diff BASE") from None


def _extract_data(root: Path, revision: str, target: Path) -> None:
    """data/ as it is at `revision`, written under target. Only plain files and folders: a
    symlink in a pull request must not make us read files outside the checkout."""
    try:
        archive = subprocess.run(["git", "archive", "--format=tar", revision, "data"], cwd=root,
                                 capture_output=True, check=False)
    except OSError as error:
        raise GitMissing(f"cannot run git: {error.strerror}") from None
    if archive.returncode != 0:
        raise DiffError(f"git archive {revision} data: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            parts = PurePosixPath(member.name).parts
            if not member.isfile() or not parts or parts[0] != "data" or ".." in parts:
                continue
            path = target.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(tar.extractfile(member).read())


def _side(label: str, data_dir: Path, shown_as: Path) -> Side:
    dataset, problems = check_data(data_dir)
    errors = errors_in(problems)
    prefix = str(shown_as) + "/"
    shown = [str(p).replace(prefix, "") for p in errors]
    return Side(label, None if errors or dataset is None else dataset, shown)


def revision_side(root: Path, revision: str, workdir: Path, name: str | None = None) -> Side:
    try:
        commit = git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitMissing:
        raise  # "cannot run git", not a verdict on the revision
    except DiffError:
        raise DiffError(f"'{revision}' is not a commit of the repository in {root}") from None
    name = name or (revision if revision != commit else None)
    label = f"{name} ({commit[:12]})" if name else commit[:12]
    target = workdir / commit
    _extract_data(root, commit, target)
    return _side(label, target / "data", target)


def working_tree_side(root: Path) -> Side:
    return _side("working tree", root / "data", root.resolve())


# --- comparing ------------------------------------------------------------------------------

def _value(value) -> str:
    return "(none)" if value is None else _code(value)


def _changes(old: dict, new: dict) -> list[str]:
    """'key: old → new' for every key that differs (added and removed keys included)."""
    lines = []
    for key in list(old) + [k for k in new if k not in old]:
        before, after = old.get(key), new.get(key)
        if before != after:
            lines.append(f"{_code(key)}: {_value(before)} → {_value(after)}")
    return lines


def version_facts(version) -> dict[str, str]:
    """The lifecycle facts of a version file, keyed by their place in the file."""
    facts = {}
    if isinstance(version, OpenSSLSeries):
        facts.update(released=version.released, eol=version.eol, lts="true" if version.lts else "false")
        facts["latest_release"] = f"{version.latest.version} ({version.latest.date})"
        level = version.security_level.value
        facts["default_security_level.value"] = "null" if level is None else str(level)
    else:
        facts.update(status=version.status, released=version.released, eol=version.eol)
        if version.latest:
            facts["latest_minor"] = f"{version.latest.version} ({version.latest.date})"
        facts["build.min_openssl.series"] = version.min_openssl.series
        for milestone in version.milestones:
            facts[f"build.openssl_support {milestone.openssl}"] = (
                milestone.status + (f" since {milestone.since}" if milestone.since else ""))
    facts["reviewed"] = version.reviewed
    return {key: value for key, value in facts.items() if value is not None}


def _versions_section(old: Dataset, new: Dataset) -> list[str]:
    lines = []
    for product, attribute in (("PostgreSQL", "postgresql"), ("OpenSSL", "openssl")):
        before = {v.version: v for v in getattr(old, attribute)}
        after = {v.version: v for v in getattr(new, attribute)}
        for name, version in after.items():
            if name not in before:
                facts = "; ".join(f"{_code(k)}: {_code(v)}" for k, v in version_facts(version).items())
                lines.append(f"- Added **{product}** {_code(name)}: {facts}")
        for name in before:
            if name not in after:
                lines.append(f"- Removed **{product}** {_code(name)}")
        for name in before:
            if name in after:
                changed = _changes(version_facts(before[name]), version_facts(after[name]))
                if changed:
                    lines.append(f"- **{product}** {_code(name)}: " + "; ".join(changed))
    return lines


def _cells(table: Table) -> dict:
    return {(row.header, column): cell
            for row in table.rows for column, cell in zip(table.columns, row.cells)}


def _table_section(old: Table, new: Table) -> list[str]:
    lines = []
    old_rows = {row.header: row for row in old.rows}
    new_rows = {row.header: row for row in new.rows}
    old_cells, new_cells = _cells(old), _cells(new)
    for header, row in new_rows.items():
        if header not in old_rows:
            cells = "; ".join(f"{_code(c)}: {_code(cell.text)}" for c, cell in zip(new.columns, row.cells))
            lines.append(f"- New row {_code(header)}: {cells}")
    for header in old_rows:
        if header not in new_rows:
            lines.append(f"- Removed row {_code(header)}")
    for column in new.columns:
        if column not in old.columns:
            cells = "; ".join(f"{_code(h)}: {_code(new_cells[(h, column)].text)}"
                              for h in new_rows if h in old_rows)
            lines.append(f"- New column {_code(column)}" + (f": {cells}" if cells else ""))
    for column in old.columns:
        if column not in new.columns:
            lines.append(f"- Removed column {_code(column)}")
    for header, row in new_rows.items():
        if header in old_rows and old_rows[header].marks != row.marks:
            lines.append(f"- {_code(header)} marks: {_value(', '.join(old_rows[header].marks) or None)} → "
                         f"{_value(', '.join(row.marks) or None)}")
    for key, cell in new_cells.items():
        before = old_cells.get(key)
        if before is None:
            continue
        where = f"{_code(key[0])} × {_code(key[1])}"
        if before.text != cell.text:
            lines.append(f"- {where}: {_code(before.text)} → {_code(cell.text)}")
        elif (before.note and note_key(before.note)) != (cell.note and note_key(cell.note)):
            lines.append(f"- {where}: note or sources changed ({_code(cell.text)})")
    return lines


def setting_facts(setting: Setting) -> dict[str, str]:
    facts = {"added": setting.added, "removed": setting.removed, "renamed_to": setting.renamed_to,
             "env": setting.env}
    for rng in setting.ranges:
        span = f"versions {rng.start}–{rng.end or ''}"
        if rng.has_default:
            facts[f"{span} default"] = "null" if rng.default is None else repr(rng.default)
        if rng.values is not None:
            facts[f"{span} values"] = ", ".join(repr(v) for v in rng.values)
        facts[f"{span} apply"] = rng.apply
    return {key: value for key, value in facts.items() if value is not None}


def _settings_section(old: Dataset, new: Dataset) -> list[str]:
    lines = []
    for kind in sorted(set(old.settings) | set(new.settings)):
        before = {s.name: s for s in old.settings.get(kind, ())}
        after = {s.name: s for s in new.settings.get(kind, ())}
        for name in sorted(set(before) | set(after)):
            label = f"{kind} {_code(name)}"
            if name not in before:
                facts = "; ".join(f"{_code(k)}: {_code(v)}" for k, v in setting_facts(after[name]).items())
                lines.append(f"- Added {label}: {facts}")
            elif name not in after:
                lines.append(f"- Removed {label}")
            else:
                changed = _changes(setting_facts(before[name]), setting_facts(after[name]))
                if changed:
                    lines.append(f"- {label}: " + "; ".join(changed))
    return lines


def compare(old: Dataset, new: Dataset) -> list[str]:
    """Markdown sections for every data-level difference (empty when there is none)."""
    lines = []
    versions = _versions_section(old, new)
    if versions:
        lines += ["### Versions", "", *versions, ""]
    tables = []
    for table_id in TABLE_IDS:
        before, after = build_table(old, table_id), build_table(new, table_id)
        changed = _table_section(before, after)
        if changed:
            tables += [f"#### {after.title}", "", *changed, ""]  # a title from the locale, not data
    if tables:
        lines += ["### Table cells", "", *tables]
    settings = _settings_section(old, new)
    if settings:
        lines += ["### Settings", "", *settings, ""]
    return lines


def report(base: Side, head: Side) -> tuple[str, bool]:
    """The Markdown summary, and whether both sides passed the check."""
    lines = [f"## Data changes: {_code(base.label)} → {_code(head.label)}", ""]
    for side in (base, head):
        if side.dataset is None:
            lines += [f"**{_code(side.label)} fails the check** ({len(side.errors)} error(s)); "
                      "run `make check` there. Not compared.", "", "```text",
                      *side.errors[:MAX_ERRORS_SHOWN], "```", ""]
    if base.dataset is None or head.dataset is None:
        return "\n".join(lines).rstrip() + "\n", False
    changes = compare(base.dataset, head.dataset)
    lines += changes or ["No data-level changes.", ""]
    return "\n".join(lines).rstrip() + "\n", True


def run(root: Path, base: str | None = None, head: str | None = None) -> tuple[str, bool]:
    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="tlskb-diff-") as workdir:
        if base:
            base_side = revision_side(root, base, Path(workdir))
        else:
            base_side = revision_side(root, default_base(root), Path(workdir), "merge base with main")
        head_side = revision_side(root, head, Path(workdir)) if head else working_tree_side(root)
        return report(base_side, head_side)
