"""Two builds of the same sources are byte-identical: no build time, no random ids, no paths.

There is no faketime here, so the second build changes everything else it can: another folder,
another time zone (a different local date for most of the day), another hash seed (set order),
and another "today" for the data-age warnings (TLSKB_TODAY), which must not reach the site.
MkDocs' only clock, the sitemap date and the gzip header of sitemap.xml.gz, follows
SOURCE_DATE_EPOCH, which the Makefile takes from the last commit (0 outside git).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import struct
import subprocess

import pytest

from conftest import ROOT, SHARED_SITE_ENV, skip_unless_ci
from sandbox import copy_project, run_make



def make_variable(makefile_dir, name: str, **env: str) -> str:
    """The value make gives a variable, from its database (-p) without running anything (-n)."""
    result = subprocess.run(["make", "-pn", "--no-print-directory", "check"], cwd=makefile_dir,
                            env=dict(os.environ, **env), capture_output=True, text=True, timeout=60)
    values = re.findall(rf"^{name} :?= ?(.*)$", result.stdout, flags=re.M)
    assert values, f"make does not define {name}:\n{result.stderr[-2000:]}"
    return values[-1]


def test_makefile_dates_builds_by_the_last_commit():
    git = shutil.which("git")
    commit_time = subprocess.run([git, "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True,
                                 text=True, timeout=60) if git else None
    if not commit_time or commit_time.returncode != 0 or not commit_time.stdout.strip():
        skip_unless_ci("not a git checkout with a commit (or no git): nothing to date the build by")
    assert make_variable(ROOT, "SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH="") == commit_time.stdout.strip()


def test_makefile_falls_back_to_a_fixed_date_outside_git(tmp_path):
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    assert make_variable(tmp_path, "SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH="") == "0"
    assert make_variable(tmp_path, "SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH="1700000000") == "1700000000"


def site_files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.build
def test_two_builds_are_byte_identical(shared_site, tmp_path):
    """One full build of its own (the other is the shared one): byte-identical output can only be
    shown by building twice under different folders, time zones, hash seeds and dates."""
    # The first build is the session's shared one (tests/conftest.py: TZ=Etc/GMT+12, PYTHONHASHSEED=1).
    assert SHARED_SITE_ENV["TZ"] == "Etc/GMT+12" and SHARED_SITE_ENV["SOURCE_DATE_EPOCH"] == ""
    first = shared_site
    second = copy_project(tmp_path / "b" / "somewhere else" / "project")
    result = run_make(second, "site", SOURCE_DATE_EPOCH="", TZ="Etc/GMT-14", PYTHONHASHSEED="2", TLSKB_SITE_URL="",
                      TLSKB_TODAY="2031-01-01")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    one, two = site_files(first / "site"), site_files(second / "site")
    assert len(one) > 50
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"differ between two builds: {differing}"
    # The one time stamp MkDocs writes is SOURCE_DATE_EPOCH (0 here), not today.
    gzip_mtime = struct.unpack("<I", one["sitemap.xml.gz"][4:8])[0]
    assert gzip_mtime == 0
    assert gzip.decompress(one["sitemap.xml.gz"]) == one["sitemap.xml"]
    for name, content in one.items():
        for folder in (first, second):
            assert str(folder).encode() not in content, f"{name} contains the build folder's path"
