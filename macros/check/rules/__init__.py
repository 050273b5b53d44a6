"""The semantic rules, run in this order after every file passed its schema.

Each rule lives in its own module with a name, one sentence and a check(data, tree) generator;
tests/check/rules/ holds one bad fixture per rule.
"""

# Warnings about ageing data (they depend on today's date; errors never do).
# The registries behind the setup guides (openssl-cli, features, messages, profiles, platforms).
# Observed handshakes (data/observations/, written by `python -m macros probe`) against the claims.
from macros.check.rules import (
    build_milestones,
    cell_requirements,
    command_grammar,
    date_order,
    default_in_values,
    ended_before_series,
    eol_since_review,
    file_name,
    guide_requirements,
    invisible_characters,
    latest_release_age,
    lifecycle_fields,
    message_placeholders,
    message_ranges,
    observation_claims,
    pg_openssl_consistency,
    pg_protocol_floor,
    platform_releases,
    profile_values,
    protocol_complete,
    protocol_values,
    registry_ids,
    registry_inferred,
    registry_versions,
    release_belongs,
    removed_history,
    repeated_note,
    review_age,
    schema_line,
    setting_ranges,
    text_links,
    unique_names,
    unknown_version,
)

RULES = [module.RULE for module in (
    schema_line, file_name, invisible_characters, protocol_complete, unknown_version, release_belongs, date_order,
    lifecycle_fields, cell_requirements, removed_history, build_milestones, ended_before_series, repeated_note, unique_names,
    setting_ranges, default_in_values, protocol_values, pg_protocol_floor, pg_openssl_consistency,
    text_links, eol_since_review, latest_release_age, review_age,
    registry_versions, registry_ids, registry_inferred, message_ranges, message_placeholders,
    profile_values, command_grammar, guide_requirements, observation_claims, platform_releases,
)]
