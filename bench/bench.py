"""`make bench`: where the build time goes, side by side on this machine. Prints numbers; asserts nothing.

    build vs plain pages   the real site against as many plain Markdown pages with one 30x7 table each
                           (same theme, same search, same Markdown extensions)
    build vs pre-rendered  the real site against the same pages as the macros leave them, built without
                           the macros plugin: what this project's own layer (load, check, render) adds
    output volume          MB of HTML pages each build writes, and seconds per MB: the rest of the gap
    check                  `python -m macros check`, best of 5
    tests vs a build       BENCH_TEST_SECONDS (a `make test` wall time measured by hand) / one build
    MkDocs vs Zensical     the same project built by both
    scale                  the real data with synthetic PostgreSQL majors: x4 and x7 as many majors

Each build runs in a throw-away copy of the project (nothing here touches docs/ or site/). Builds
are timed twice, best kept (BENCH_RUNS to change): the first run of a fresh copy also compiles its
Python and templates. On a shared machine, read ratios, not seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PARTS = ("mkdocs.yml", "docs", "macros", "data", "overrides")  # overrides: theme.custom_dir
RUNS = int(os.environ.get("BENCH_RUNS", "2"))
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", PYTHONPATH="")


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "api",
                                                                                  "downloads", "embed"))
        else:
            shutil.copy2(source, target / part)
    return target


def timed(command: list[str], cwd: Path, runs: int = RUNS) -> float:
    """Best wall time of `runs` runs; exits with the command's output if it fails."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"failed in {cwd}: {' '.join(command)}\n{(result.stdout + result.stderr)[-3000:]}")
    return best


def build_seconds(project: Path, engine: str = "mkdocs") -> float:
    """export --all (untimed: it is the same for any engine), then one build, timed."""
    timed([str(BIN / "python"), "-m", "macros", "export", "--all"], project, runs=1)
    if engine == "zensical":
        return timed([str(BIN / "zensical"), "build", "--clean"], project)
    return timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", "site"], project)


def plain_project(target: Path, pages: int) -> Path:
    """`pages` Markdown pages with one 30x7 table each, built with mkdocs.yml's theme and extensions."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    plain = {key: config[key] for key in ("site_name", "theme", "markdown_extensions") if key in config}
    plain["plugins"] = ["search"]
    (target / "docs").mkdir(parents=True)
    (target / "mkdocs.yml").write_text(yaml.safe_dump(plain), encoding="utf-8")
    custom_dir = plain.get("theme", {}).get("custom_dir")
    if custom_dir:  # the same theme, template overrides included
        shutil.copytree(ROOT / custom_dir, target / custom_dir)
    header = "| " + " | ".join(f"Column {c}" for c in range(7)) + " |\n" + "|---" * 7 + "|\n"
    for number in range(pages):
        rows = "".join("| " + " | ".join(f"cell {number}.{r}.{c}" for c in range(7)) + " |\n" for r in range(30))
        name = "index.md" if number == 0 else f"page-{number}.md"
        (target / "docs" / name).write_text(f"# Page {number}\n\nSome text.\n\n{header}{rows}", encoding="utf-8")
    return target


def prerendered_project(real: Path, target: Path) -> Path:
    """The real site's pages as plain Markdown (bench/freeze_pages.py captures what the macros wrote),
    its static files and theme overrides, and mkdocs.yml without the macros plugin or `watch`."""
    timed([str(BIN / "python"), str(ROOT / "bench" / "freeze_pages.py"), str(target)], real)
    shutil.rmtree(target / "unused-site")
    for source in (real / "docs").rglob("*"):
        if source.is_file() and source.suffix != ".md":
            destination = target / "docs" / source.relative_to(real / "docs")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    shutil.copytree(real / "overrides", target / "overrides")
    config = (real / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^watch:\n(?:  - .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^  - macros:\n(?:      .*\n)+", "", config, flags=re.M)
    assert "macros:" not in config and "watch:" not in config, "mkdocs.yml changed shape: update prerendered_project"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def html_megabytes(site: Path) -> float:
    return sum(path.stat().st_size for path in site.rglob("*.html")) / 1e6


def add_majors(project: Path, count: int) -> None:
    """`count` synthetic PostgreSQL majors ("20", "21", ...), copies of 13 with its page and nav entry."""
    from macros.tools.scaffold import KINDS, nav_with
    template = (project / "data/postgresql/13.yaml").read_text(encoding="utf-8")
    page = (project / "docs/postgresql/13.md").read_text(encoding="utf-8")
    config = project / "mkdocs.yml"
    for major in map(str, range(20, 20 + count)):
        text = template.replace('major: "13"', f'major: "{major}"').replace('"13.', f'"{major}.')
        (project / f"data/postgresql/{major}.yaml").write_text(text, encoding="utf-8")
        (project / f"docs/postgresql/{major}.md").write_text(page.replace("13", major), encoding="utf-8")
        config.write_text(nav_with(config.read_text(encoding="utf-8"), KINDS["postgresql"], major),
                          encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tlskb-bench-") as scratch:
        scratch = Path(scratch)
        real = copy_project(scratch / "real")
        pages = len(list((real / "docs").rglob("*.md")))
        check = timed([str(BIN / "python"), "-m", "macros", "check"], real, runs=5)
        build = build_seconds(real)
        plain = timed([str(BIN / "mkdocs"), "build", "--quiet", "--site-dir", "site"],
                      plain_project(scratch / "plain", pages))
        print(f"check (best of 5)            {check:6.2f} s")
        print(f"MkDocs build, {pages} pages      {build:6.2f} s")
        print(f"{pages} plain pages (30x7 table) {plain:6.2f} s   build / plain = {build / plain:.2f}")
        frozen_project = prerendered_project(real, scratch / "prerendered")
        frozen = timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", "site"], frozen_project)
        print(f"same pages, pre-rendered     {frozen:6.2f} s   build / pre-rendered = {build / frozen:.2f}")
        for name, project, seconds in (("real site", real, build), ("plain pages", scratch / "plain", plain)):
            megabytes = html_megabytes(project / "site")
            print(f"{name:12} HTML pages     {megabytes:6.2f} MB  {seconds / megabytes:.2f} s per MB")
        if shutil.which("zensical", path=str(BIN)):
            zensical = build_seconds(copy_project(scratch / "zensical"), "zensical")
            print(f"Zensical build               {zensical:6.2f} s   Zensical / MkDocs = {zensical / build:.2f}")
        else:
            print("Zensical build               not installed")
        tests = os.environ.get("BENCH_TEST_SECONDS")
        if tests:
            print(f"make test                    {float(tests):6.0f} s   tests / build = {float(tests) / build:.1f}")
        majors = len(list((real / "data/postgresql").glob("*.yaml")))
        for factor in (4, 7):
            project = copy_project(scratch / f"x{factor}")
            add_majors(project, majors * (factor - 1))
            seconds = build_seconds(project)
            added = majors * (factor - 1)
            # Each added major is a version page, the heaviest kind, and rows in every aggregate
            # table: the cost per added major says whether growth is linear.
            print(f"x{factor} majors ({majors * factor}), build    {seconds:6.2f} s   / real = {seconds / build:.2f}"
                  f"   {(seconds - build) / added:.3f} s per added major"
                  f"   check {timed([str(BIN / 'python'), '-m', 'macros', 'check'], project):.2f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: the project's macros package for add_majors
    main()
