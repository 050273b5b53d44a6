import re

from macros.check.rules.base import Rule

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check(data, tree):
    """Every {name} must be declared, so the guide knows which value of the reader's setup goes there."""
    declared = set(data.message_placeholders)
    used = set()
    for message in data.messages:
        for version in message.versions:
            for side in ("client", "server"):
                for index, line in enumerate(getattr(version, side)):
                    for name in PLACEHOLDER.findall(line):
                        used.add(name)
                        if name not in declared:
                            yield version.origin.problem(
                                RULE.name, f"{{{name}}} is not declared under `placeholders:` "
                                f"(declared: {', '.join(sorted(declared))})", side, index)
    if tree.messages is not None:
        for name in sorted(declared - used):
            yield tree.messages.problem(("placeholders", name), RULE.name,
                                        f"placeholder {name} is declared but no message uses it",
                                        "error", True)


RULE = Rule("message-placeholders", "Message placeholders are declared, and declared ones are used.",
            check)
