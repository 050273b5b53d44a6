"""What the export command reports as a message (exit 1), never as a traceback."""


class ExportError(Exception):
    pass
