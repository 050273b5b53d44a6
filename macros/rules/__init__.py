"""The semantic rules, run in this order after every file passed its schema.

Each rule lives in its own module with a name, one sentence and a check(data, tree) generator;
tests/rules/ holds one bad fixture per rule.
"""

from macros.rules import (build_milestones, cell_requirements, date_order, default_in_values,
                          file_name, lifecycle_fields, pg_openssl_consistency, pg_protocol_floor,
                          protocol_complete, protocol_values, release_belongs, removed_history,
                          schema_line, setting_ranges, text_links, unique_names, unknown_version)

RULES = [module.RULE for module in (
    schema_line, file_name, protocol_complete, unknown_version, release_belongs, date_order,
    lifecycle_fields, cell_requirements, removed_history, build_milestones, unique_names,
    setting_ranges, default_in_values, protocol_values, pg_protocol_floor, pg_openssl_consistency,
    text_links,
)]
