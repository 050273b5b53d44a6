"""The one place that knows which static-site engine runs us.

Under MkDocs a PluginError ends the build with its message and no traceback. Another engine
(Zensical) has no such class; any exception still stops its build, and `stop_cleanly_under_zensical`
turns what it then prints into the message alone.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

try:
    from mkdocs.exceptions import PluginError as BuildFailure
except ImportError:  # pragma: no cover - only without MkDocs
    class BuildFailure(Exception):
        pass


class MacroCallError(BuildFailure):
    """A macro call in a docs page failed: the message is already the project's one line."""


def report_macro_errors_in_one_line() -> None:
    """mkdocs-macros prints a failing macro with its traceback (errors.format_error, a
    singledispatch function); for our MacroCallError it prints the message alone, and still
    stops the build (on_error_fail). Without mkdocs-macros (Zensical) the exception stops it."""
    try:
        from mkdocs_macros.errors import format_error
    except ImportError:  # pragma: no cover - another engine
        return
    format_error.register(MacroCallError)(lambda error, markdown, page: str(error))


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
