"""Writing an observation: data/observations/<name>.yaml, deterministic YAML with quoted versions."""

from __future__ import annotations

from pathlib import Path

import yaml

from macros.core.files import atomic_write
from macros.lab.handshake import progress

REPO_ROOT = Path(__file__).resolve().parents[2]
OBSERVATIONS_DIR = REPO_ROOT / "data" / "observations"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/observation.schema.json\n"


def default_out_path(doc: dict, directory: Path = OBSERVATIONS_DIR) -> Path:
    """postgresql-<major>-openssl-<series>-<platform id>-<version>[-<variant>].yaml"""
    name = (f"postgresql-{doc['postgresql']['major']}-openssl-{doc['openssl']['server_series']}-"
            f"{doc['platform']['id']}-{doc['platform']['version_id']}")
    variant = doc.get("build", {}).get("variant")
    return directory / (f"{name}-{variant}.yaml" if variant else f"{name}.yaml")


def write_observation(doc: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, to_yaml(doc))
    progress(f"wrote {path}")


class _QuotedDumper(yaml.SafeDumper):
    """safe_dump, but versions and dates ("15", "3.0.19", "2026-11-29") always in double quotes."""


def _represent_str(dumper, value: str):
    # PyYAML already quotes what YAML 1.1 would misread ("15.18", dates); quoting everything
    # that starts with a digit also covers "3.0.19" and matches the other data files.
    style = '"' if value[:1].isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotedDumper.add_representer(str, _represent_str)


def to_yaml(doc: dict) -> str:
    body = yaml.dump(doc, Dumper=_QuotedDumper, sort_keys=True, allow_unicode=True,
                     default_flow_style=False, width=1000)   # no folded lines: clean diffs
    return SCHEMA_COMMENT + body
