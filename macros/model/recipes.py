"""The smallest change that reaches a request (an oldest protocol, or a profile), as exact lines.

One recipe for the whole site: the setup guides' profile snippets, the answer of the CLI and the
JSON API all come from here (tests/model/test_resolver.py checks that no page prints its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.model.platform_releases import Step
from macros.model.registries import Profile
from macros.model.resolver_layers import Context, evaluate_one, most_open
from macros.model.resolver_types import Applied

SECLEVEL_TAG = "@SECLEVEL="


@dataclass(frozen=True)
class Recipe:
    applied: Applied
    reachable: bool
    settings: dict[str, str]       # postgresql.conf, name -> value
    system_steps: tuple[Step, ...]  # the platform's steps, each once, in the order they are printed

    @property
    def system(self) -> tuple[str, ...]:
        """The system steps as printed: commands and file lines, "# " lines are comments."""
        return system_lines(self.system_steps)


def targets(ctx: Context, oldest: str) -> list[str]:
    """The protocols a request for `oldest` wants accepted: it and every newer one the setup can do."""
    start = ctx.index(oldest)
    return [p.id for p in ctx.data.protocols[start:]
            if p.id == oldest or not evaluate_one(ctx, p.id, most_open(ctx, p.id)).refused_by]


def needed_level(ctx: Context, protocols: list[str]) -> int | None:
    """The level to put in ssl_ciphers, or None when the level in force already allows them all."""
    limits = [rule.max_level for p in protocols if (rule := ctx.max_level(p)) is not None]
    if not limits or ctx.default_level is None or ctx.default_level <= min(limits):
        return None
    return min(limits)


# When only the level must come down, ssl_ciphers becomes OpenSSL's DEFAULT list at that level: the
# form observed on a real server (data/observations/postgresql-15-openssl-3.0-debian-12.yaml) and the
# one the data's notes name, so the site shows one recipe.
LEVEL_ONLY_CIPHERS = "DEFAULT"


def cipher_value(base: str, level: int | None) -> str:
    return base if level is None else f"{base}:{SECLEVEL_TAG}{level}"


def floor_recipe(ctx: Context, oldest: str) -> Recipe:
    """Let `oldest` and every newer protocol in; change nothing the defaults already allow."""
    wanted = targets(ctx, oldest)
    lowers_floor = ctx.has_floor_setting and ctx.index(oldest) < ctx.index(ctx.default_floor)
    platform_floor = ctx.release.min_protocol.value
    system_floor = not ctx.has_floor_setting and bool(platform_floor) and \
        ctx.index(oldest) < ctx.index(platform_floor)
    blocks = any(set(b.protocols) & set(wanted) for b in ctx.release.blocks)
    applied = Applied(floor=oldest if lowers_floor else None, level=needed_level(ctx, wanted),
                      system_floor=system_floor, system_blocks=blocks)
    settings = {}
    if applied.floor:
        settings["ssl_min_protocol_version"] = oldest
    if applied.level is not None:
        settings["ssl_ciphers"] = cipher_value(LEVEL_ONLY_CIPHERS, applied.level)
    return _finish(ctx, applied, settings, wanted, ())


def profile_recipe(ctx: Context, profile: Profile) -> Recipe:
    """The profile's floor and ciphers, with the level lowered only where the profile needs it."""
    wanted = targets(ctx, profile.min_protocol)
    level = needed_level(ctx, wanted)
    settings = {}
    cipher_floor = None
    if ctx.has_floor_setting:
        settings["ssl_min_protocol_version"] = profile.min_protocol
    elif profile.ciphers and ctx.index(profile.min_protocol) > 0:
        cipher_floor = profile.min_protocol  # the cipher list holds no suite of the older versions
    if profile.ciphers:
        settings["ssl_ciphers"] = cipher_value(":".join(profile.ciphers), level)
    elif level is not None:
        settings["ssl_ciphers"] = cipher_value(LEVEL_ONLY_CIPHERS, level)
    platform_floor = ctx.release.min_protocol.value
    applied = Applied(floor=profile.min_protocol if ctx.has_floor_setting else None, level=level,
                      ciphers=tuple(profile.ciphers), cipher_floor=cipher_floor,
                      system_floor=not ctx.has_floor_setting and bool(platform_floor)
                      and ctx.index(profile.min_protocol) < ctx.index(platform_floor),
                      system_blocks=any(set(b.protocols) & set(wanted) for b in ctx.release.blocks))
    below = [p.id for p in ctx.data.protocols[:ctx.index(profile.min_protocol)]]
    return _finish(ctx, applied, settings, wanted, below)


def _finish(ctx: Context, applied: Applied, settings: dict, wanted: list[str], unwanted: list[str]) -> Recipe:
    reached = all(not evaluate_one(ctx, p, applied).refused_by for p in wanted) and \
        all(evaluate_one(ctx, p, applied).refused_by for p in unwanted)
    if not reached:
        return Recipe(Applied(), False, {}, ())
    return Recipe(applied, True, settings, system_steps(ctx, applied, wanted))


def system_steps(ctx: Context, applied: Applied, wanted: list[str]) -> tuple[Step, ...]:
    """The platform's steps the recipe relies on: the floor's, then the blocks' in the way."""
    steps: list[Step] = []
    if applied.system_floor:
        steps.extend(ctx.release.min_protocol.relax)
    if applied.system_blocks:
        steps.extend(s for b in ctx.release.blocks if set(b.protocols) & set(wanted) for s in b.relax)
    kept: list[Step] = []
    seen = set()
    for step in steps:
        if (step.command, step.file, step.lines) in seen:  # a step shared by floor and block: once
            continue
        seen.add((step.command, step.file, step.lines))
        kept.append(step)
    return tuple(kept)


def system_lines(steps: tuple[Step, ...]) -> tuple[str, ...]:
    lines: list[str] = []
    for step in steps:
        if step.note:
            lines.append(f"# {step.note['en']}")
        if step.command:
            lines.append(step.command)
        else:
            lines.append(f"# in {step.file}:")
            lines.extend(step.lines)
    return tuple(lines)
