"""python -m macros new postgresql 20 | openssl 4.2: start the files for a new version.

Creates the data file from macros/tools/templates/new/ (placeholders the check refuses until they are
filled in), the page stub in docs/, and the nav entry in mkdocs.yml, in version order. Refuses an
existing or malformed version; writes nothing unless it can write everything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from macros.core.files import atomic_write
from macros.core.problems import DataError
from macros.core.versions import openssl_key, openssl_series_of, pg_major_key
from macros.load.suggest import expected_text
from macros.load.yamlfile import load_file

TEMPLATES = Path(__file__).parent / "templates" / "new"


@dataclass(frozen=True)
class Kind:
    name: str  # folder under data/ and docs/
    product: str
    field: str  # the template variable holding the version
    definition: str  # the version's definition in data/schemas/common.schema.json
    key: Callable  # version order
    nav_section: str  # the nav group in mkdocs.yml
    macro: str  # the page macro the stub calls


KINDS = {
    "postgresql": Kind("postgresql", "PostgreSQL", "major", "pg_major", pg_major_key,
                       "PostgreSQL versions", "tlskb_postgresql_page"),
    "openssl": Kind("openssl", "OpenSSL", "series", "openssl_series", openssl_key,
                    "OpenSSL versions", "tlskb_openssl_page"),
}


class ScaffoldError(Exception):
    """A refusal, with the message to print."""


@dataclass(frozen=True)
class NewVersion:
    """Everything `new` will write, computed before anything is written."""

    data_path: Path
    data_text: str
    page_path: Path
    page_text: str
    mkdocs_path: Path
    mkdocs_text: str


def _environment() -> Environment:
    # The stubs contain mkdocs-macros' own {{ }}, so these templates use ${ } and <% %>.
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                       variable_start_string="${", variable_end_string="}",
                       block_start_string="<%", block_end_string="%>",
                       comment_start_string="<#", comment_end_string="#>",
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       autoescape=False)


def render_data_file(kind: Kind, version: str, protocols: list[str]) -> str:
    return _environment().get_template(f"{kind.name}.yaml.j2").render(
        {kind.field: version, "protocols": protocols})


def render_page(kind: Kind, version: str) -> str:
    return _environment().get_template("page.md.j2").render(
        product=kind.product, version=version, macro=kind.macro)


def _usual_spelling(kind: Kind, version: str) -> str:
    """'3.06' -> '3.6': the spelling file names, links and the nav use."""
    if kind.name == "postgresql":
        major, minor = pg_major_key(version)
        return f"{major}.{minor}" if major < 10 else str(major)
    return openssl_series_of(version)


def check_version(kind: Kind, version: str, schema_dir: Path) -> None:
    """Refuse what the schema refuses, and odd spellings of a valid version."""
    try:
        definition = json.loads((schema_dir / "common.schema.json").read_text(encoding="utf-8"))[
            "definitions"][kind.definition]
    except (OSError, ValueError, KeyError) as error:
        raise ScaffoldError(f"cannot read the {kind.definition} definition in {schema_dir}: {error}") from None
    if not re.search(definition["pattern"], version):
        raise ScaffoldError(f"'{version}' is not {expected_text(definition)}")
    usual = _usual_spelling(kind, version)
    if usual != version:
        raise ScaffoldError(f"write '{usual}', not '{version}'")


def protocol_ids(data_dir: Path) -> list[str]:
    try:
        return [p["id"] for p in load_file(data_dir / "protocols.yaml").data["protocols"]]
    except (DataError, KeyError, TypeError):
        raise ScaffoldError("data/protocols.yaml cannot be read; run `make check` and fix it first") from None


_NAV_ENTRY = re.compile(r'^(?P<indent>\s*)- "(?P<version>[^"]+)": (?P<path>\S+)\s*$')


def nav_with(mkdocs_text: str, kind: Kind, version: str) -> str:
    """mkdocs.yml with `- "<version>": <kind>/<version>.md` inserted in version order."""
    lines = mkdocs_text.splitlines(keepends=True)
    header = next((i for i, line in enumerate(lines) if line.strip() == f"- {kind.nav_section}:"), None)
    if header is None:
        raise ScaffoldError(f"mkdocs.yml has no nav group '{kind.nav_section}:'; add the page to the nav by hand")
    entries = []
    for index in range(header + 1, len(lines)):
        match = _NAV_ENTRY.match(lines[index])
        if not match:
            break
        entries.append((index, match))
    if not entries:
        raise ScaffoldError(f"the nav group '{kind.nav_section}:' in mkdocs.yml lists no version")
    if any(m["version"] == version for _, m in entries):
        raise ScaffoldError(f"mkdocs.yml already lists {kind.product} {version} in the nav")
    try:
        later = [index for index, m in entries if kind.key(m["version"]) > kind.key(version)]
    except ValueError as error:
        raise ScaffoldError(f"mkdocs.yml, nav group '{kind.nav_section}': {error}") from None
    position = later[0] if later else entries[-1][0] + 1
    lines.insert(position, f'{entries[0][1]["indent"]}- "{version}": {kind.name}/{version}.md\n')
    text = "".join(lines)
    try:  # compose, not load: mkdocs.yml may hold !!python/name tags that only MkDocs resolves
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ScaffoldError(f"adding the nav entry would break mkdocs.yml: {error}") from None
    return text


def plan(root: Path, kind_name: str, version: str) -> NewVersion:
    """Check everything and render every file; raise ScaffoldError on the first refusal."""
    kind = KINDS[kind_name]
    root = Path(root)
    data_dir = root / "data"
    if not (data_dir.is_dir() and (root / "mkdocs.yml").is_file()):
        raise ScaffoldError(f"no data/ and mkdocs.yml in {root}: run this from the repository's top folder")
    check_version(kind, version, data_dir / "schemas")
    data_path = data_dir / kind.name / f"{version}.yaml"
    page_path = root / "docs" / kind.name / f"{version}.md"
    if data_path.exists():
        raise ScaffoldError(f"{kind.product} {version} already exists: edit data/{kind.name}/{version}.yaml")
    if page_path.exists():
        raise ScaffoldError(f"docs/{kind.name}/{version}.md already exists without a data file; "
                            "remove it or write the data file by hand")
    mkdocs_path = root / "mkdocs.yml"
    try:
        mkdocs_text = mkdocs_path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScaffoldError(f"cannot read mkdocs.yml: {error.strerror}") from None
    return NewVersion(data_path, render_data_file(kind, version, protocol_ids(data_dir)),
                      page_path, render_page(kind, version),
                      mkdocs_path, nav_with(mkdocs_text, kind, version))


def write(new: NewVersion) -> None:
    """Write the three files; if one fails, remove what was already created."""
    created = []
    try:
        for path, text in ((new.data_path, new.data_text), (new.page_path, new.page_text)):
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
            created.append(path)
        atomic_write(new.mkdocs_path, new.mkdocs_text)
    except OSError as error:
        for path in created:
            path.unlink(missing_ok=True)
        raise ScaffoldError(f"could not write {error.filename}: {error.strerror}; nothing was changed") from None


def create(root: Path, kind_name: str, version: str) -> NewVersion:
    new = plan(root, kind_name, version)
    write(new)
    return new
