"""The probe against the PostgreSQL installed on this machine must agree with the committed data.

In CI (CI=true, Debian 12 with postgresql-15) this runs for real: a fresh observation must give
the same outcome and error for every scenario and protocol as the committed one for the same
PostgreSQL major, OpenSSL series and platform, and the check must pass with it in place of the
committed file. Elsewhere it skips when no throwaway cluster can run.
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import DATA_DIR, skip_unless_ci

from macros.check.runner import check_data
from macros.lab.host import unavailable_reason
from macros.lab.probe import default_out_path, run_probe

pytestmark = pytest.mark.server


def outcomes(doc: dict) -> dict:
    """(scenario id, protocol) -> (outcome, negotiated version or error reason)."""
    return {(s["id"], protocol): (r["outcome"], r.get("negotiated") or r.get("error"))
            for s in doc["scenarios"] for protocol, r in s["results"].items()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    reason = unavailable_reason()
    if reason:
        skip_unless_ci(f"no throwaway PostgreSQL cluster can run here: {reason}")
    out = tmp_path_factory.mktemp("probe") / "observation.yaml"
    doc = run_probe(out_path=out)
    return doc, out


def committed_for(doc: dict) -> dict:
    """The committed observation of the same PostgreSQL major, OpenSSL series and platform."""
    path = DATA_DIR / "observations" / default_out_path(doc).name
    if not path.exists():
        skip_unless_ci(f"no committed observation {path.name} for this machine's build; "
                       "run `python -m macros probe` and commit its file")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_fresh_probe_gives_the_committed_outcomes(fresh):
    doc, _ = fresh
    committed = committed_for(doc)
    assert [s["id"] for s in doc["scenarios"]] == [s["id"] for s in committed["scenarios"]], (
        "the probe's scenarios changed: run `python -m macros probe` and commit the new observation")
    new, old = outcomes(doc), outcomes(committed)
    differences = {key: (old.get(key), new.get(key)) for key in sorted(set(new) | set(old))
                   if new.get(key) != old.get(key)}
    assert differences == {}, f"(committed, fresh) per (scenario, protocol): {differences}"
    assert ("defaults", "TLSv1.2") in new      # the comparison covered real handshakes


def test_check_passes_with_the_fresh_observation(fresh, tmp_path):
    doc, out = fresh
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    target = data / "observations" / default_out_path(doc).name
    shutil.copyfile(out, target)
    dataset, problems = check_data(data)
    assert [str(p) for p in problems] == []
    assert any(o.name == target.stem and o.date == doc["date"] for o in dataset.observations)
