"""The one place that knows which static-site engine runs us.

Under MkDocs a PluginError ends the build with its message and no traceback. Another engine
(Zensical) has no such class; any exception still stops its build.
"""

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
