"""What the pages can call. define_env() hands these to the engine; nothing else happens there."""

from __future__ import annotations

import posixpath
from pathlib import Path

from macros.check import load_dataset
from macros.engine import BuildFailure
from macros.html import render_fragment, render_table
from macros.model import Dataset
from macros.pages import openssl_page, postgresql_page
from macros.problems import DataError
from macros.tables import as_of, build_table

_cache: dict = {}


def _fingerprint(data_dir: Path) -> tuple:
    # Re-read the data when any file changed: `make serve` rebuilds on every save.
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                 for p in sorted(data_dir.rglob("*")) if p.is_file())


def dataset_for(data_dir: Path) -> Dataset:
    """The checked dataset, cached across pages (Zensical calls define_env once per page)."""
    key = (str(data_dir), _fingerprint(data_dir))
    if key not in _cache:
        try:
            dataset = load_dataset(data_dir)
        except DataError as error:
            raise BuildFailure("the data has errors (same as `python -m macros check`):\n"
                               + "\n".join(str(p) for p in error.problems)) from None
        _cache.clear()
        _cache[key] = dataset
    return _cache[key]


def relative_link(target: str, page_url: str) -> str:
    """A link from the current page to a site path, so the site also works from a sub-folder."""
    start = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    link = posixpath.relpath(target or ".", start or ".")
    return link + "/" if target.endswith("/") and not link.endswith("/") else link


def register(env, data_dir: Path) -> None:
    data = dataset_for(data_dir)

    def link(target: str) -> str:
        page = getattr(env, "page", None)
        return relative_link(target, getattr(page, "url", "") or "")

    def tlskb_table(table_id: str) -> str:
        return render_table(build_table(data, table_id), link)

    def tlskb_postgresql_page(major: str) -> str:
        return postgresql_page(data, major, link)

    def tlskb_openssl_page(series: str) -> str:
        return openssl_page(data, series, link)

    def tlskb_protocols() -> str:
        return render_fragment("protocols.html.j2", protocols=data.protocols)

    def tlskb_as_of() -> str:
        return as_of(data)

    for function in (tlskb_table, tlskb_postgresql_page, tlskb_openssl_page, tlskb_protocols,
                     tlskb_as_of):
        env.macro(function, function.__name__)
