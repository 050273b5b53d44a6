"""The one place that knows which static-site engine runs us.

Under MkDocs a PluginError ends the build with its message and no traceback. Another engine
(Zensical) has no such class; any exception still stops its build.
"""

try:
    from mkdocs.exceptions import PluginError as BuildFailure
except ImportError:  # pragma: no cover - only without MkDocs
    class BuildFailure(Exception):
        pass
