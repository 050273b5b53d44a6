"""The only formatting free text in the data may carry: `code` and [text](https://...) links.

One grammar for every output: the site's HTML, the Markdown guides and each export format split
a note into segments here, then escape the plain parts their own way, so text from a data file
can never turn into markup anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[([^\]\n]+)\]\((https://[^\s()<>\"']+)\)")
_MARKUP = re.compile(f"{LINK.pattern}|{CODE_SPAN.pattern}")


@dataclass(frozen=True)
class Segment:
    kind: str  # "text", "code" or "link"
    text: str
    url: str = ""


def segments(text: str) -> tuple[Segment, ...]:
    """Split free text into plain text, code spans and https links.

    Runs of white space, newlines included, become one space, as they do in HTML: a newline would
    otherwise end a table row or a list item in the line-based formats, or open a Markdown block.
    """
    text = " ".join(text.split())
    found, position = [], 0
    for match in _MARKUP.finditer(text):
        if match.start() > position:
            found.append(Segment("text", text[position:match.start()]))
        if match.group(1) is not None:
            found.append(Segment("link", match.group(1), match.group(2)))
        else:
            found.append(Segment("code", match.group(3)))
        position = match.end()
    if position < len(text):
        found.append(Segment("text", text[position:]))
    return tuple(found)
