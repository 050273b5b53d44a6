"""Downloads for the lab's builds, each kept once under CACHE/downloads/<kind>/<exact key>/.

npm (`npm pack`), Debian (`apt-get download` through a private APT root per suite family that
never touches the system's APT state) and wheels (`pip download`). Each download lands in a
temporary directory renamed into place at the end: an interrupted run leaves nothing half-made.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macros.lab.build_catalog import WHEEL_PLATFORMS, WHEEL_PYTHON, Deb, Npm

DOWNLOAD_TIMEOUT = 900        # seconds for one npm pack / pip download / apt-get run
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
DEBIAN_MIRROR = os.environ.get("LAB_DEBIAN_MIRROR", "http://deb.debian.org/debian")
DEBIAN_SECURITY = os.environ.get("LAB_DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security")
UNREACHABLE_MARKERS = ("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET",
                       "Temporary failure resolving", "Could not resolve", "Failed to fetch",
                       "Connection refused", "Connection timed out", "Network is unreachable",
                       "NewConnectionError", "Max retries exceeded", "ProxyError",
                       "No matching distribution", "Unable to connect", "Unable to fetch")
STATS = {"downloaded_bytes": 0, "downloads": 0}


class FetchError(RuntimeError):
    """A build could not be fetched or prepared; the message says why (printed without traceback)."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n    ".join(kept[-lines:])


def run(args, *, cwd=None, env=None, timeout=DOWNLOAD_TIMEOUT, what=None) -> str:
    """Run a command; FetchError with the key lines of its output when it fails or cannot start."""
    what = what or str(args[0])
    try:
        result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                                text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise FetchError(f"{what}: program not found: {args[0]}") from None
    except subprocess.TimeoutExpired:
        raise FetchError(f"{what}: no answer after {timeout}s (registry unreachable?)") from None
    output = result.stdout + result.stderr
    if result.returncode != 0:
        hint = (" (registry unreachable, or the exact version is gone from it)"
                if any(marker in output for marker in UNREACHABLE_MARKERS) else "")
        key_lines = [line.strip() for line in output.splitlines()
                     if re.search(r"npm error (code|errno|request)|^ERROR:|^E:|^W: Failed|Unable to locate|"
                                  r"Can't find|not found", line.strip())]
        raise FetchError(f"{what} failed{hint}:\n    " + ("\n    ".join(key_lines[-6:]) or tail(output)))
    return output


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_temp_dir(parent: Path, prefix: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".tmp-{prefix}-", dir=parent))


def publish(temp: Path, final: Path) -> None:
    """Move a finished temporary directory into place (when two runs race, the first one wins)."""
    temp.chmod(0o755)
    try:
        os.rename(temp, final)
    except OSError:
        if not final.exists():
            raise
        shutil.rmtree(temp, ignore_errors=True)


def download(part, cache: Path) -> Path:
    """The downloaded file of one part; fetched only when its exact key is not cached yet."""
    final = cache / "downloads" / part.key
    if final.is_dir() and (final / "meta.json").is_file():
        return final / json.loads((final / "meta.json").read_text())["file"]
    temp = new_temp_dir(final.parent, final.name)
    try:
        log(f"    downloading {part.label()}")
        _download_one(part, temp, cache)
        files = list(temp.iterdir())
        if len(files) != 1:
            raise FetchError(f"{part.label()}: expected one downloaded file, got {[p.name for p in files]}")
        size = files[0].stat().st_size
        (temp / "meta.json").write_text(json.dumps({
            "part": part.label(), "file": files[0].name, "size": size, "sha256": sha256_of(files[0]),
            "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=1))
        STATS["downloaded_bytes"] += size
        STATS["downloads"] += 1
        shutil.rmtree(final, ignore_errors=True)
        publish(temp, final)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return final / files[0].name


def meta_of(archive: Path) -> dict:
    return json.loads((archive.parent / "meta.json").read_text())


def _download_one(part, target: Path, cache: Path) -> None:
    if isinstance(part, Npm):
        _download_npm(part, target)
    elif isinstance(part, Deb):
        _download_deb(part, target, cache)
    else:
        _download_wheel(part, target)


def _download_npm(part: Npm, target: Path) -> None:
    npm_cache = Path(tempfile.mkdtemp(prefix=".npm-cache-", dir=target.parent))
    env = dict(os.environ, npm_config_cache=str(npm_cache), npm_config_update_notifier="false",
               npm_config_fund="false", npm_config_audit="false")
    try:
        run(["npm", "pack", f"{part.name}@{part.version}", "--loglevel=error"], cwd=target, env=env,
            what=f"npm pack {part.name}@{part.version}")
    finally:
        shutil.rmtree(npm_cache, ignore_errors=True)


def _download_wheel(part, target: Path) -> None:
    platforms = [arg for platform in WHEEL_PLATFORMS for arg in ("--platform", platform)]
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--disable-pip-version-check", "--no-cache-dir", "--python-version", WHEEL_PYTHON, *platforms,
         "--dest", str(target), f"{part.name}=={part.version}"], what=f"pip download {part.name}=={part.version}")


# -- Debian: one private APT root per suite family

_APT_UPDATED: set[str] = set()


def apt_root(cache: Path, family: str) -> Path:
    root = cache / "apt" / family
    if (root / "apt.conf").exists():
        return root
    for sub in ("lists/partial", "cache/archives/partial", "etc/parts", "etc/preferences.d", "state"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "status").touch()
    sources = [f"deb [signed-by={DEBIAN_KEYRING}] {DEBIAN_MIRROR} {family} main",
               f"deb [signed-by={DEBIAN_KEYRING}] {DEBIAN_MIRROR} {family}-updates main",
               f"deb [signed-by={DEBIAN_KEYRING}] {DEBIAN_SECURITY} {family}-security main"]
    (root / "etc" / "sources.list").write_text("\n".join(sources) + "\n")
    settings = {"Dir::Etc::SourceList": root / "etc/sources.list", "Dir::Etc::SourceParts": root / "etc/parts",
                "Dir::Etc::Parts": root / "etc/parts", "Dir::Etc::PreferencesParts": root / "etc/preferences.d",
                "Dir::Etc::Preferences": root / "etc/preferences", "Dir::State": root / "state",
                "Dir::State::Lists": root / "lists", "Dir::State::status": root / "status",
                "Dir::Cache": root / "cache", "APT::Architecture": "amd64", "Acquire::Languages": "none",
                "APT::Sandbox::User": "root", "Acquire::Retries": "2", "Acquire::http::Timeout": "30"}
    (root / "apt.conf").write_text("".join(f'{name} "{value}";\n' for name, value in settings.items())
                                   + 'APT::Architectures { "amd64"; };\n')
    return root


def apt_update(root: Path, family: str) -> None:
    if family in _APT_UPDATED:
        return
    log(f"    apt-get update ({family} suites, private lists)")
    output = run(["apt-get", "-q", "update"], env=apt_env(root), what=f"apt-get update ({family})")
    if re.search(r"^(W|E): .*(Failed to fetch|Temporary failure|Could not)", output, re.M):
        raise FetchError(f"apt-get update ({family}): Debian mirror unreachable:\n    {tail(output)}")
    _APT_UPDATED.add(family)


def apt_env(root: Path) -> dict:
    return dict(os.environ, APT_CONFIG=str(root / "apt.conf"), LC_ALL="C")


def _download_deb(part: Deb, target: Path, cache: Path) -> None:
    root = apt_root(cache, part.family)
    if not any((root / "lists").glob("*_Packages")):
        apt_update(root, part.family)
    args = ["apt-get", "-q", "download", f"{part.name}={part.version}"]
    what = f"apt-get download {part.name}={part.version}"
    try:
        run(args, cwd=target, env=apt_env(root), what=what)
    except FetchError:
        if part.family in _APT_UPDATED:
            raise
        apt_update(root, part.family)          # the lists may be stale: refresh once and retry
        try:
            run(args, cwd=target, env=apt_env(root), what=what)
        except FetchError as exc:
            raise FetchError(f"{exc}\n    (is {part.name} {part.version} still on the {part.family} "
                             f"mirror? APT_CONFIG={root / 'apt.conf'} apt-cache madison {part.name})") from None
