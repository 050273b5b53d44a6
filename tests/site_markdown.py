"""Markdown as the site turns it into HTML: python-markdown with mkdocs.yml's extensions."""

from __future__ import annotations

import functools
from pathlib import Path

import markdown

from macros.export.siteconfig import read_config

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def site_markdown_extensions() -> tuple[list, dict]:
    """The Markdown extensions mkdocs.yml turns on, as python-markdown takes them."""
    names, configs = [], {}
    for entry in read_config(ROOT / "mkdocs.yml")["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if config:
            configs[name] = config
    return names, configs


def to_site_html(text: str) -> str:
    names, configs = site_markdown_extensions()
    return markdown.markdown(text, extensions=names, extension_configs=configs)
