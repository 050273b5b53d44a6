from macros.check.rules.base import Rule

# Characters a reader cannot see but a copy carries: bidirectional overrides and isolates reorder
# what is shown (a command can look harmless and run something else), zero-width ones hide inside
# names and commands. U+FEFF is allowed only as a byte order mark, which the loader removes.
INVISIBLE = {
    **{chr(c): "zero-width or directional mark" for c in range(0x200B, 0x2010)},
    **{chr(c): "bidirectional embedding or override" for c in range(0x202A, 0x202F)},
    **{chr(c): "bidirectional isolate" for c in range(0x2066, 0x206A)},
    "\ufeff": "zero-width no-break space (byte order mark)",
}


def _strings(value, keys=()):
    """(keys, string, is_key) for every string in a parsed file, mapping keys included."""
    if isinstance(value, str):
        yield keys, value, False
    elif isinstance(value, dict):
        for key, child in value.items():
            if isinstance(key, str):
                yield keys + (key,), key, True
            yield from _strings(child, keys + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, keys + (index,))


def check(data, tree):
    """What a reader copies must be what they see: no invisible or direction-changing characters."""
    for loaded in tree.files():
        for keys, text, is_key in _strings(loaded.data):
            found = next((ch for ch in text if ch in INVISIBLE), None)
            if found:
                position = text.index(found)
                yield loaded.problem(keys, RULE.name, f"U+{ord(found):04X} ({INVISIBLE[found]}) at character "
                                     f"{position + 1}: it is invisible in every output; remove it",
                                     at_key=is_key)


RULE = Rule("invisible-characters",
            "No zero-width, bidirectional or BOM characters inside any string (U+200B-U+200F, "
            "U+202A-U+202E, U+2066-U+2069, U+FEFF).", check)
