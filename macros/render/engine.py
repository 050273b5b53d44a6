"""The one place that knows which static-site engine runs us.

Under MkDocs a PluginError ends the build with its message and no traceback. Another engine
(Zensical) has no such class; any exception still stops its build, and `stop_cleanly_under_zensical`
turns what it then prints into the message alone.
"""

from __future__ import annotations

import re
import shutil
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

try:
    from mkdocs.exceptions import PluginError as BuildFailure
except ImportError:  # pragma: no cover - only without MkDocs
    class BuildFailure(Exception):
        pass


class MacroCallError(BuildFailure):
    """A macro call in a docs page failed: the message is already the project's one line."""


def report_macro_errors_in_one_line(macro_names=()) -> None:
    """mkdocs-macros prints a failing macro with its traceback (errors.format_error, a
    singledispatch function); for our MacroCallError it prints the message alone, and still
    stops the build (on_error_fail). A misspelt macro or broken template syntax in a page (a Jinja
    error, which never reaches our macros) gets the same one line, with the page's line and the
    macro it was probably meant to be. Without mkdocs-macros (Zensical) the exception stops it."""
    try:
        from jinja2 import TemplateError, TemplateSyntaxError
        from mkdocs_macros.errors import format_error
    except ImportError:  # pragma: no cover - another engine
        return
    names = tuple(macro_names)
    format_error.register(MacroCallError)(lambda error, markdown, page: str(error))
    for kind in (TemplateError, TemplateSyntaxError):  # mkdocs-macros registers the second itself
        format_error.register(kind)(lambda error, markdown, page: template_error_line(error, markdown, page, names))


def template_error_line(error, markdown: str, page, macro_names=()) -> str:
    """`docs/page.md:line:col: macro-call: 'tlskb_tabel' is undefined; did you mean tlskb_table?`"""
    from macros.load.suggest import did_you_mean
    message = str(getattr(error, "message", None) or error).splitlines()[0]
    undefined = re.fullmatch(r"'([^']+)' is undefined", message)
    name = undefined.group(1) if undefined else None
    text = markdown.splitlines()
    number = getattr(error, "lineno", None) or template_line(error)
    line = text[number - 1] if number and 0 < number <= len(text) else ""
    column = line.find(name) + 1 if name and name in line else 1
    where = source_position(page, line, number)
    hint = did_you_mean(name, macro_names) if name else ""
    return f"{where}:{column}: macro-call: {message}{hint}"


def template_line(error) -> int | None:
    """The line of the page's template where Jinja stopped, from the traceback it rewrote."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == "<template>"]
    return lines[-1] if lines else None


def source_position(page, line: str, number: int | None) -> str:
    """docs/page.md:N, N counted in the source file (front matter included, unlike the template)."""
    path, source = page_source(page)
    if line.strip() and line in source:
        number = source.index(line) + 1
    return f"{path}:{number or 1}"


def page_source(page, docs_dir: Path = Path("docs")) -> tuple[str, list[str]]:
    """("docs/page.md", the file's lines, front matter included) of the page being rendered;
    ("docs", []) when the engine does not say. MkDocs gives page.file (src_path, abs_src_path),
    Zensical page.path, relative to docs_dir."""
    file = getattr(page, "file", None)
    source = getattr(file, "src_path", None) or getattr(page, "path", None)
    if not isinstance(source, str):
        return "docs", []
    absolute = getattr(file, "abs_src_path", None) or docs_dir / source
    try:
        return f"docs/{source}", Path(absolute).read_text(encoding="utf-8").splitlines()
    except (OSError, TypeError):
        return f"docs/{source}", []


def is_zensical(env) -> bool:
    """Zensical hands define_env its own MacroEnv (zensical.extensions.macros); MkDocs the plugin."""
    return type(env).__module__.split(".")[0] == "zensical"


@contextmanager
def stop_cleanly_under_zensical(env):
    """Let a BuildFailure through unchanged; under Zensical, also make its end read as our message.

    Zensical (0.0.73) catches any exception raised in define_env or a macro, SystemExit included,
    and re-raises it from its Rust core as one RuntimeError carrying two tracebacks; the process
    then dies with that uncaught error, exit status 1. By then it has emptied site/ and written
    part of the new site (static files, 404 page, search index). Nothing in a macro module runs
    before that, so the clean end is installed here and acts when the process ends: the message
    alone, and no partial site/.
    """
    try:
        yield
    except BuildFailure as failure:
        if is_zensical(env):
            _failures.append(str(failure))
            _install_exit_report(_site_dir(env))
        raise


_failures: list[str] = []  # BuildFailure messages raised under Zensical in this process


def _site_dir(env) -> Path | None:
    """site_dir from the engine's configuration, when it lies inside the project (Zensical insists)."""
    root = Path(env.project_dir).resolve()
    site = (root / str(env.conf.get("site_dir") or "site")).resolve()
    return site if site.is_relative_to(root) and site != root else None


def _install_exit_report(site_dir: Path | None) -> None:
    if getattr(sys.excepthook, "tlskb_site_dir", False) is not False:
        return  # one hook per process, however many pages failed
    previous = sys.excepthook

    def report(kind, error, trace):
        ours = [message for message in dict.fromkeys(_failures) if message in str(error)]
        if not (isinstance(error, RuntimeError) and ours):
            return previous(kind, error, trace)
        if site_dir is not None:
            shutil.rmtree(site_dir, ignore_errors=True)  # Zensical emptied it at the start: all partial
        print("\n".join(ours), file=sys.stderr)
    report.tlskb_site_dir = site_dir
    sys.excepthook = report
