"""What changes for TLS between two PostgreSQL majors, and what to change (Setup.upgrade_from)."""

from __future__ import annotations

from macros.model.resolver_layers import Context, evaluate
from macros.model.resolver_types import ResolveError, Setup


def _setting_changes(data, old: str, new: str) -> list[dict]:
    changes = []
    for kind in sorted(data.settings):
        for s in data.settings[kind]:
            before, after = s.exists_in(old), s.exists_in(new)
            old_default = new_default = None
            if before and not after:
                change = "renamed" if s.renamed_to else "removed"
                text = (f"{s.name} is gone in {new}: it became {s.renamed_to}." if s.renamed_to
                        else f"{s.name} is gone in {new}.")
            elif after and not before:
                found = s.range_for(new)
                default = f", default {found.default!r}" if found and found.default else ""
                change, text = "added", f"{s.name} was added in {s.added}{default}."
                new_default = found.default if found else None
            elif before and after:
                a, b = s.range_for(old), s.range_for(new)
                if not a or not b or a.default == b.default:
                    continue
                change, text = "default", f"The default of {s.name} changed from {a.default!r} to {b.default!r}."
                old_default, new_default = a.default, b.default
            else:
                continue
            changes.append({"kind": kind, "name": s.name, "change": change,
                            "renamed_to": s.renamed_to if change == "renamed" else None,
                            # The values themselves, for pages that word the change in their own language.
                            "old_default": old_default or None, "new_default": new_default or None,
                            "text": text})
    return changes


def _protocol_changes(ctx: Context, old_setup: Setup) -> tuple[list[dict], str | None]:
    from macros.model.resolver import build_context  # the same checks as a direct request
    try:
        old_ctx = build_context(ctx.data, old_setup)
    except ResolveError as error:
        return [], f"Protocol defaults not compared: {error}."
    before, after = evaluate(old_ctx), evaluate(ctx)
    return [{"protocol": p, "from": "accepted" if before[p].accepted else "refused",
             "to": "accepted" if after[p].accepted else "refused"}
            for p in after if before[p].accepted != after[p].accepted], None


def upgrade_changes(data, ctx: Context, setup: Setup, oldest: str | None) -> dict:
    old = setup.upgrade_from
    old_setup = Setup(old, None, ctx.series.series, setup.platform)
    protocols, note = _protocol_changes(ctx, old_setup)
    settings = _setting_changes(data, old, ctx.pg.major)
    actions = [f"Rename {c['name']} to {c['renamed_to']} in postgresql.conf."
               for c in settings if c["change"] == "renamed" and c["kind"] == "server"]
    for change in protocols:
        if change["to"] != "refused":
            continue
        covered = oldest and ctx.index(oldest) <= ctx.index(change["protocol"])
        actions.append(f"{change['protocol']} is refused by default in {ctx.pg.major}: "
                       + ("the configuration above lets it back in." if covered else
                          f"if clients still need it, ask for --min-protocol {change['protocol']}."))
    return {"from": old, "to": ctx.pg.major, "settings": settings, "protocols": protocols,
            "note": note, "actions": actions}

