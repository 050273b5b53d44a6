"""mkdocs-macros entry point. Registration only: loading, checking and rendering live in plain
modules (check, model, tables, html, pages) that tests call directly."""

from pathlib import Path


def define_env(env):
    from macros.site import register

    project_dir = Path(getattr(env, "project_dir", None) or Path.cwd())
    register(env, project_dir / "data")
