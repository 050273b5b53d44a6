"""What the pages can call. define_env() hands these to the engine; nothing else happens there."""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path

from macros.check.runner import load_dataset
from macros.core.clock import BadDate
from macros.core.problems import DataError
from macros.export.api_page import files_table
from macros.export.context import ExportContext
from macros.export.errors import ExportError
from macros.export.site_block import embed_block, site_context
from macros.model.dataset import Dataset
from macros.render.engine import (
    BuildFailure,
    MacroCallError,
    page_source,
    report_macro_errors_in_one_line,
    stop_cleanly_under_zensical,
)
from macros.render.guide_page import platform_tabs
from macros.render.html import render_fragment, render_table
from macros.render.pages import observations_html, openssl_page, postgresql_page
from macros.render.platform_defaults import platform_defaults
from macros.render.setup_page import setup_page
from macros.render.tables import as_of, build_table

_cache: dict = {}


def _fingerprint(data_dir: Path) -> tuple:
    # Re-read the data when any file changed: `make serve` rebuilds on every save.
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                 for p in sorted(data_dir.rglob("*")) if p.is_file())


def dataset_for(data_dir: Path, config) -> tuple[Dataset, ExportContext]:
    """The checked dataset and the exports' context, cached across pages: Zensical calls
    define_env once per page, and both read every data file (the context hashes them)."""
    site = (str(config.get("site_name") or ""), str(config.get("site_url") or ""))
    key = (str(data_dir), _fingerprint(data_dir), site)
    if key not in _cache:
        _cache.clear()
        _cache[key] = _load_or_failure(data_dir, config)
    if isinstance(_cache[key], BuildFailure):  # Zensical asks once per page: fail each fast
        raise BuildFailure(*_cache[key].args)
    return _cache[key]


def _load_or_failure(data_dir: Path, config) -> tuple[Dataset, ExportContext] | BuildFailure:
    try:
        dataset = load_dataset(data_dir)
        return dataset, site_context(dataset, data_dir, config)
    except DataError as error:
        return BuildFailure("the data has errors (same as `python -m macros check`):\n"
                            + "\n".join(str(p) for p in error.problems))
    except (BadDate, ExportError) as error:  # TLSKB_TODAY; site_url in mkdocs.yml
        return BuildFailure(str(error))


def relative_link(target: str, page_url: str) -> str:
    """A link from the current page to a site path, so the site also works from a sub-folder."""
    start = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    link = posixpath.relpath(target or ".", start or ".")
    return link + "/" if target.endswith("/") and not link.endswith("/") else link


def data_repo_url(env) -> str:
    """extra.data_repo_url in mkdocs.yml: the repository "Edit this data" links point into."""
    config = getattr(env, "conf", None) or {}
    url = str((config.get("extra") or {}).get("data_repo_url") or "").rstrip("/")
    if url and not re.fullmatch(r"https://[^\s\"'<>]+", url):
        raise BuildFailure(f"extra.data_repo_url in mkdocs.yml must be an https:// URL, not {url!r}")
    return url


def call_site(env, name: str) -> str:
    """docs/page.md:line:col of the first call of `name` in the page being rendered, as far as known."""
    docs_dir = (getattr(env, "conf", None) or {}).get("docs_dir") or "docs"  # absolute under MkDocs
    path, lines = page_source(getattr(env, "page", None), Path(getattr(env, "project_dir", None) or ".") / docs_dir)
    if path == "docs":
        return path
    for number, line in enumerate(lines or str(getattr(env, "markdown", "") or "").splitlines(), start=1):
        column = line.find(name + "(")
        if column >= 0:
            return f"{path}:{number}:{column + 1}"
    return path


def guarded(env, function):
    """The macro, with any failure reported as `page:line:col: macro-call: name(args): what went wrong`."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        with stop_cleanly_under_zensical(env):
            try:
                return function(*args, **kwargs)
            except MacroCallError:
                raise
            except BuildFailure as error:  # already a clear message; printed without a traceback
                raise MacroCallError(str(error)) from None
            except Exception as error:  # a wrong call in a page: say which, in one line
                raise MacroCallError(call_failure(env, function, args, kwargs, error)) from None
    return call


def call_failure(env, function, args, kwargs, error: Exception) -> str:
    what = error.args[0] if isinstance(error, KeyError) and error.args else error
    arguments = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return f"{call_site(env, function.__name__)}: macro-call: {function.__name__}({arguments}): {what}"


def register(env, data_dir: Path) -> None:
    with stop_cleanly_under_zensical(env):
        data, exports = dataset_for(data_dir, getattr(env, "conf", None) or {})
        repo_url = data_repo_url(env)

    def link(target: str) -> str:
        page = getattr(env, "page", None)
        return relative_link(target, getattr(page, "url", "") or "")

    def tlskb_table(table_id: str) -> str:
        table = build_table(data, table_id)
        return render_table(table, link, embed_block(table, exports, link))

    def tlskb_postgresql_page(major: str) -> str:
        return postgresql_page(data, major, link, repo_url)

    def tlskb_openssl_page(series: str) -> str:
        return openssl_page(data, series, link, repo_url)

    def tlskb_protocols() -> str:
        return render_fragment("protocols.html.j2", protocols=data.protocols)

    def tlskb_as_of() -> str:
        return as_of(data)

    def tlskb_observations() -> str:
        """Every observation in data/observations/, each under a level-3 heading."""
        return observations_html(data, data.observations, 3)

    def tlskb_repo_link(target: str, label: str) -> str:
        """[label](<repository>/<target>), or the label alone when mkdocs.yml names no repository."""
        return f"[{label}]({repo_url}/{target})" if repo_url else label

    def tlskb_platforms() -> str:
        """Content tabs: where OpenSSL lives on each platform (data/platforms.yaml)."""
        return platform_tabs(data)

    def tlskb_setup_page() -> str:
        """The "Your setup" form; its answers come from /api/v1/answers/ (export --all)."""
        return setup_page(data, link)

    def tlskb_platform_defaults() -> str:
        """One section per platform release under a searchable heading (data/platforms.yaml)."""
        return platform_defaults(data, link)

    def tlskb_table_files() -> str:
        """Every table's page, JSON, CSV and embed page, for the API page."""
        return files_table(data_dir.parent / "docs")

    functions = (tlskb_table, tlskb_postgresql_page, tlskb_openssl_page, tlskb_protocols, tlskb_as_of,
                 tlskb_repo_link, tlskb_platforms, tlskb_observations, tlskb_table_files, tlskb_setup_page,
                 tlskb_platform_defaults)
    report_macro_errors_in_one_line(function.__name__ for function in functions)
    for function in functions:
        env.macro(guarded(env, function), function.__name__)
