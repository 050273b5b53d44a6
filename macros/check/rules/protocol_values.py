from macros.check.rules.base import Rule
from macros.load.suggest import did_you_mean, protocol_aliases


def check(data, tree):
    """Protocol settings take PostgreSQL's spelling (TLSv1, not TLSv1.0); the registry has it."""
    spellings = [p.pg_value for p in data.protocols if p.pg_value]
    aliases = protocol_aliases(tree.protocols.data["protocols"]) if tree.protocols else {}
    for settings in data.settings.values():
        for setting in settings:
            if not setting.name.endswith("protocol_version"):
                continue
            for rng in setting.ranges:
                for index, value in enumerate(rng.values or ()):
                    if value and value not in spellings:
                        yield rng.origin.problem(RULE.name, f"{value!r} is not a protocol value "
                                                 f"(PostgreSQL accepts: {', '.join(spellings)})"
                                                 + did_you_mean(value, spellings, aliases),
                                                 "values", index)


RULE = Rule("protocol-values", "Protocol-version settings list only values from data/protocols.yaml.",
            check)
