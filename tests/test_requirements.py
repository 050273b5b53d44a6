"""requirements.lock is what pip-tools compiles from requirements.in: no network, both files parsed."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = ROOT / "requirements.lock"
INPUT = ROOT / "requirements.in"


def direct_requirements() -> dict[str, Requirement]:
    found = {}
    for line in INPUT.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = requirement
    return found


def locked() -> dict[str, dict]:
    """{name: {"version", "hashes", "via"}} from pip-compile's output."""
    packages: dict[str, dict] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if pin:
            current = packages.setdefault(canonicalize_name(pin.group(1)),
                                          {"version": pin.group(2), "hashes": [], "via": []})
        elif current is not None and "--hash=sha256:" in line:
            current["hashes"] += re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
        elif current is not None and line.strip().startswith("#"):
            reason = line.strip("# ").removeprefix("via").strip()
            current["via"] += [reason] if reason else []
    return packages


def test_every_direct_dependency_is_locked_within_its_range():
    pins = locked()
    for name, requirement in direct_requirements().items():
        assert name in pins, f"{name} is in requirements.in but not in the lock: run `make lock`"
        assert requirement.specifier.contains(pins[name]["version"], prereleases=True), (
            f"{name}=={pins[name]['version']} is outside {requirement.specifier}: run `make lock`")


def test_the_lock_marks_exactly_the_direct_dependencies():
    """pip-compile writes `-r requirements.in` under each direct dependency: a package removed from
    (or added to) requirements.in without recompiling shows here."""
    marked = {name for name, entry in locked().items() if "-r requirements.in" in entry["via"]}
    assert marked == set(direct_requirements()), "requirements.lock is stale: run `make lock`"


def test_every_pin_has_a_hash_and_a_reason():
    for name, entry in locked().items():
        assert entry["hashes"], f"{name} has no hash"
        assert entry["via"], f"{name} is in the lock but nothing needs it: run `make lock`"


def test_the_lock_was_made_by_pip_compile_from_requirements_in():
    command = re.search(r"^#\s+(pip-compile .*)$", LOCK.read_text(encoding="utf-8"), re.M)
    assert command, "requirements.lock has no pip-compile header: run `make lock`"
    assert "--generate-hashes" in command.group(1) and command.group(1).endswith(" requirements.in")


def test_pyproject_ranges_agree_with_requirements_in():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = direct_requirements()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in direct and direct[name].specifier == requirement.specifier, (
            f"pyproject.toml says {line}, requirements.in says {direct.get(name)}")
