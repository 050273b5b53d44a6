"""mkdocs-macros entry point. Registration only: loading, checking and rendering live in plain
modules (check, model, tables, html, pages) that tests call directly."""

import importlib.util
import sys
from pathlib import Path

# Zensical runs this file by its path (spec_from_file_location) without putting the project root
# on sys.path, so the absolute imports below (`from macros.site ...`) would not resolve. Where
# `macros` is already importable (MkDocs, `python -m macros`, tests) sys.path is left alone, so
# this never shadows the copy of the project that was meant.
if importlib.util.find_spec("macros") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def define_env(env):
    from macros.site import register

    project_dir = Path(getattr(env, "project_dir", None) or Path.cwd())
    register(env, project_dir / "data")
