"""`python bench/freeze_pages.py TARGET`, run in a project copy: build it once and write every page's
Markdown as the macros left it (docs/ layout kept) under TARGET/docs, for bench.py's "pre-rendered"
build. A benchmark tool: it patches MkDocs in its own process, which the site itself never does."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page


def main(target: Path) -> None:
    render = Page.render

    def keep_markdown(page: Page, config, files) -> None:
        path = target / "docs" / page.file.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
        render(page, config, files)

    Page.render = keep_markdown
    build.build(load_config("mkdocs.yml", strict=True, site_dir=str(target / "unused-site")))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
