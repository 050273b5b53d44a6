"""Warnings about stale data: they depend on today's date, never stop the check, never reach the site.

tests/check/rules/<rule>/ holds each warning's bad fixture (test_rules.py); these tests pin down the
date arithmetic and the severity. conftest.py pins today to TEST_TODAY (2026-11-29).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import DATA_DIR, ROOT

from macros.check.runner import check_data, load_dataset
from macros.core.problems import WARNING
from macros.render.pages import openssl_page, postgresql_page
from macros.render.tables import TABLE_IDS, build_table

WARNING_RULES = {"review-age", "latest-release-age", "eol-since-review"}


def found(data_dir, rule: str) -> list:
    _, problems = check_data(data_dir)
    assert not [p for p in problems if p.severity != WARNING], "the edit must not cause errors"
    return [p for p in problems if p.rule == rule]


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def today(monkeypatch):
    def pin(day: str) -> None:
        monkeypatch.setenv("TLSKB_TODAY", day)
    return pin


def test_the_real_data_has_no_warning_on_the_pinned_day():
    _, problems = check_data(DATA_DIR)
    assert [str(p) for p in problems if p.rule in WARNING_RULES] == []


# --- review-age -----------------------------------------------------------------------------

@pytest.mark.parametrize("day, warned", [("2027-11-29", False), ("2027-11-30", True)])
def test_review_age_starts_after_365_days(data_copy, today, day, warned):
    today(day)
    paths = {p.path for p in found(data_copy, "review-age")}
    assert (str(data_copy / "protocols.yaml") in paths) is warned
    assert (str(data_copy / "postgresql/10.yaml") in paths) is warned


def test_review_age_message_and_place(data_copy):
    replace(data_copy / "settings/hba.yaml", 'reviewed: "2026-11-29"', 'reviewed: "2024-01-31"')
    [problem] = found(data_copy, "review-age")
    assert problem.severity == WARNING
    assert problem.path.endswith("settings/hba.yaml")
    assert problem.message == ("last reviewed on 2024-01-31, more than a year ago: check the file against "
                               "its sources, then update `reviewed`")


# --- latest-release-age ---------------------------------------------------------------------

def test_latest_release_age_on_a_supported_major(data_copy):
    replace(data_copy / "postgresql/17.yaml", 'date: "2026-08-13"', 'date: "2025-11-28"')
    [problem] = found(data_copy, "latest-release-age")
    assert problem.path.endswith("postgresql/17.yaml") and problem.severity == WARNING
    assert problem.message.startswith("PostgreSQL 17 is supported until 2029-11-08, but its latest release 17.11 "
                                      "is dated 2025-11-28, more than a year ago")


def test_latest_release_age_is_silent_after_the_end_of_life(data_copy, today):
    # OpenSSL 3.6 ended on 2026-11-01; its last release being old is expected.
    today("2028-01-01")
    assert not [p for p in found(data_copy, "latest-release-age") if "openssl/3.6.yaml" in p.path]
    assert [p for p in found(data_copy, "latest-release-age") if "openssl/3.5.yaml" in p.path]


def test_latest_release_age_ignores_a_beta(data_copy, today):
    today("2030-01-01")
    assert not [p for p in found(data_copy, "latest-release-age") if "postgresql/19.yaml" in p.path]


# --- eol-since-review -----------------------------------------------------------------------

@pytest.mark.parametrize("day, warned", [("2027-05-13", False), ("2027-05-14", True)])
def test_eol_since_review_from_the_end_of_life_day(data_copy, today, day, warned):
    today(day)  # OpenSSL 4.0 ends on 2027-05-14; its file was reviewed before that
    assert bool([p for p in found(data_copy, "eol-since-review") if "openssl/4.0.yaml" in p.path]) is warned


@pytest.mark.parametrize("day, warned", [("2027-10-31", False), ("2027-11-01", True)])
def test_eol_given_as_a_month_counts_from_its_first_day(data_copy, today, day, warned):
    replace(data_copy / "openssl/4.0.yaml", 'eol: "2027-05-14"', 'eol: "2027-11"')
    today(day)
    [problem] = [p for p in found(data_copy, "eol-since-review") if "openssl/4.0.yaml" in p.path] or [None]
    assert (problem is not None) is warned
    if warned:
        assert problem.message == ("end of life 2027-11 has passed since this file was last reviewed "
                                   "(2026-11-29): check `latest_release` for the final release, then "
                                   "update `reviewed`")


def test_eol_since_review_is_silent_once_reviewed_after_it(data_copy, today):
    today("2027-06-01")
    replace(data_copy / "openssl/4.0.yaml", 'reviewed: "2026-11-29"', 'reviewed: "2027-05-20"')
    assert not [p for p in found(data_copy, "eol-since-review") if "openssl/4.0.yaml" in p.path]


# --- warnings never fail anything and never show on the site -------------------------------

def test_warnings_leave_the_exit_status_at_zero():
    env = dict(os.environ, PYTHONPATH=str(ROOT), TLSKB_TODAY="2030-01-01")
    result = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(": warning: " in line for line in lines)
    assert {line.split(": ")[1] for line in lines} <= WARNING_RULES
    assert f"data OK ({len(lines)} warning(s))" in result.stderr


def test_a_bad_pinned_date_is_one_message_not_a_traceback():
    env = dict(os.environ, PYTHONPATH=str(ROOT), TLSKB_TODAY="tomorrow")
    result = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    # Said once by the command, not once by every rule that reads the date.
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "check: TLSKB_TODAY='tomorrow' is not a date (YYYY-MM-DD)\n"


def render_everything() -> list[str]:
    data = load_dataset(DATA_DIR)
    pages = [postgresql_page(data, m.major) for m in data.postgresql]
    pages += [openssl_page(data, s.series) for s in data.openssl]
    return pages + [repr(build_table(data, table_id)) for table_id in TABLE_IDS]


def test_the_site_does_not_depend_on_the_date(today):
    now = render_everything()
    today("2031-06-30")
    assert render_everything() == now
