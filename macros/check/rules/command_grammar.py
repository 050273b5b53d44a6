import re

from macros.check.rules.base import Rule

# The programs a platform command may run, and what an argument may look like: options and plain
# words only. No `;`, `|`, `&`, backticks, `$(`, quotes, redirections or newlines: the guides put
# these commands behind a copy button.
PROGRAMS = ("openssl", "update-crypto-policies")
ARGUMENT = re.compile(r"-{0,2}[A-Za-z0-9][A-Za-z0-9._:=/,+@-]*")
PROGRAM_PATH = re.compile(r"/?(?:[A-Za-z0-9._+-]+/)*(?P<name>[A-Za-z0-9._+-]+)")

# The reviewed exceptions: a prefix that is a shell substitution, allowed in front of a program
# path because a reviewer decided so. Adding one is a code change, and so goes through review.
ALLOWED_PREFIXES = {
    # Homebrew installs under /opt/homebrew (Apple silicon) or /usr/local (Intel); it prints which.
    "$(brew --prefix)": "platforms.yaml: homebrew's openssl_command",
}


def _program_problem(program: str) -> str | None:
    match = PROGRAM_PATH.fullmatch(program)
    if not match:
        return f"{program!r} is not a program path (letters, digits, . _ + - and /)"
    if match.group("name") not in PROGRAMS:
        return f"{match.group('name')!r} is not a known program ({', '.join(PROGRAMS)})"
    return None


def command_problem(command: str, program_only: bool = False) -> str | None:
    """Why a command does not fit the grammar `program [argument ...]`, or None."""
    prefix = next((p for p in ALLOWED_PREFIXES if command.startswith(p + "/")), None)
    if prefix:  # the reviewed substitution stands in front of an absolute program path
        command = command[len(prefix):]
    words = command.split(" ")
    if "" in words or "\n" in command or "\t" in command:
        return "words must be separated by single spaces, on one line"
    if program_only and len(words) > 1:
        return "only the program (a path to openssl), no arguments"
    problem = _program_problem(words[0])
    if problem:
        return problem
    bad = next((w for w in words[1:] if not ARGUMENT.fullmatch(w)), None)
    if bad is not None:
        return f"argument {bad!r} is not a plain option or word (no shell syntax)"
    return None


def _commands(loaded):
    d = loaded.data
    yield ("openssldir", "command"), d["openssldir"]["command"], False
    for i, platform in enumerate(d["platforms"]):
        yield ("platforms", i, "openssl_command"), platform["openssl_command"], True
        for j, extra in enumerate(platform.get("extra_commands", ())):
            yield ("platforms", i, "extra_commands", j, "command"), extra["command"], False


def check(data, tree):
    """Commands that the guides offer to copy must be exactly one known program with plain options."""
    if tree.platforms is None:
        return
    for keys, command, program_only in _commands(tree.platforms):
        problem = command_problem(command, program_only)
        if problem:
            yield tree.platforms.problem(keys, RULE.name, f"{problem}; allowed: {', '.join(PROGRAMS)} with "
                                         "plain options (reviewed exceptions: macros/check/rules/"
                                         "command_grammar.py ALLOWED_PREFIXES)")


RULE = Rule("command-grammar",
            "Platform commands are one known program with plain options: no chaining, substitution or "
            "newlines, except the reviewed prefixes.", check)
