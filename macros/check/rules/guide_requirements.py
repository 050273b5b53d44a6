from macros.check.rules.base import Rule
from macros.core.problems import Problem
from macros.load.i18n import DEFAULT_LANGUAGE, has_text
from macros.model.guide_values import (
    IN_EVERY_MAJOR,
    RANGE_FIELDS,
    REQUIRED_CLI_OPTIONS,
    REQUIRED_FEATURES,
    REQUIRED_PROFILES,
    REQUIRED_SETTINGS,
)

LOCALE = f"macros/locales/{DEFAULT_LANGUAGE}.yaml"
# The words the guide template prints for each message and each sslmode value.
MESSAGE_KEYS = ("title", "cause", "fix")
SSLMODE_KEYS = ("guide.sslmode_notes", "guide.sslmode_impostor_notes")


def _missing_ids(loaded, list_key, kind, required, present):
    """One problem per id the guide needs that the registry lacks, at the registry's list."""
    if loaded is None:  # a required file: file-missing already said so
        return
    for wanted in required:
        if wanted not in present:
            yield loaded.problem((list_key,), RULE.name, f"the setup guides need the {kind} `{wanted}` "
                                 "(macros/model/guide.py); rename it there too if it was renamed", "error", True)


def _registry_problems(data, tree):
    yield from _missing_ids(tree.profiles, "profiles", "profile", REQUIRED_PROFILES,
                            {p.id for p in data.profiles})
    yield from _missing_ids(tree.features, "features", "feature", REQUIRED_FEATURES,
                            {f.id for f in data.features})
    yield from _missing_ids(tree.openssl_cli, "features", "OpenSSL option", REQUIRED_CLI_OPTIONS,
                            {f.id for f in data.cli_features})
    for kind, names in REQUIRED_SETTINGS.items():
        files = [f for f in tree.settings.values() if f.data["kind"] == kind]
        present = {s.name for s in data.settings.get(kind, ())}
        if files:
            yield from _missing_ids(files[0], "settings", f"{kind} setting", names, present)
        else:
            yield Problem(f"{tree.root}/settings", 1, 1, RULE.name,
                          f"no file of kind {kind}; the setup guides need {', '.join(names)}")


def _setting_problems(data):
    """Settings the guide reads per major: present in every major, with the field it prints."""
    for kind, name in IN_EVERY_MAJOR:
        setting = data.setting(kind, name)
        missing = [m.major for m in data.postgresql if setting and not setting.exists_in(m.major)]
        if missing:
            yield setting.origin.problem(RULE.name, f"the setup guide of every major reads {name}; it "
                                         f"does not exist in {', '.join(missing)}", "added")
    for (kind, name), field in RANGE_FIELDS.items():
        setting = data.setting(kind, name)
        for rng in setting.ranges if setting else ():
            if getattr(rng, field) is None:
                yield rng.origin.problem(RULE.name, f"the setup guides print {name}'s `{field}`; "
                                         "give it in this range")


def _tab_problems(data):
    """A guide has one tab per OpenSSL series the major builds with, naming its highest protocol."""
    for major in data.postgresql:
        if not data.buildable_series(major):
            yield major.min_openssl.origin.problem(RULE.name, f"PostgreSQL {major.major} builds with no "
                                                   "OpenSSL series on file, so its setup guide has no "
                                                   "OpenSSL tab", "series")
    for series in data.openssl:
        if not any(p.pg_value and series.cells.get(p.id) and series.cells[p.id].status == "on"
                   for p in data.protocols):
            yield series.origin.problem(RULE.name, "no protocol PostgreSQL can name is on by default; the "
                                        "setup guides show the highest one", "protocols", at_key=True)


def _word_problems(data):
    """Words the template looks up by a data value: a new value needs its words first."""
    for message in data.messages:
        keys = [f"guide.troubles.{message.id}.{part}" for part in MESSAGE_KEYS]
        if not all(has_text(key) for key in keys):
            yield message.origin.problem(RULE.name, f"message {message.id} has no words in {LOCALE} "
                                         f"(guide.troubles.{message.id}: {', '.join(MESSAGE_KEYS)})", "id")
    sslmode = data.setting("libpq", "sslmode")
    for rng in sslmode.ranges if sslmode else ():
        for index, mode in enumerate(rng.values or ()):
            keys = [f"{prefix}.{mode}" for prefix in SSLMODE_KEYS]
            if not all(has_text(key) for key in keys):
                yield rng.origin.problem(RULE.name, f"sslmode {mode} has no words in {LOCALE} "
                                         f"({', '.join(keys)})", "values", index)


def check(data, tree):
    """The setup guides look these up by id or by value: a rename would end the site build."""
    yield from _registry_problems(data, tree)
    yield from _setting_problems(data)
    yield from _tab_problems(data)
    yield from _word_problems(data)


RULE = Rule("guide-requirements",
            "The ids, settings and locale words the setup guides look up are all there.", check)
