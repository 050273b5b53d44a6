"""site_name and site_url from mkdocs.yml, read the way MkDocs reads them (with !ENV).

site_url is optional. Without it every exported link is relative to the site root and the site
works from a file share; with it (or `export --base-url`) snippets and the API carry absolute links
back to their pages. MkDocs itself keeps page links relative either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from macros.export.errors import ExportError


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's tags: !ENV resolved like MkDocs does; Python tags are not needed here."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_constructor("!relative", lambda loader, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteConfig:
    name: str
    url: str | None  # ends with "/"; None: links stay relative


def normalize_url(url: str | None, origin: str) -> str | None:
    if url is None or url == "":
        return None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise ExportError(f"{origin}: site_url must start with https:// or http://, got {url!r}")
    return url if url.endswith("/") else url + "/"  # as MkDocs normalises it


def read_config(path: Path) -> dict:
    """mkdocs.yml as a dict, !ENV settings resolved from the environment."""
    path = Path(path)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    except OSError as error:
        raise ExportError(f"{path}: cannot read the site configuration: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ExportError(f"{path}: not valid YAML: {error}") from None


def read_site_config(path: Path) -> SiteConfig:
    config = read_config(path)
    return SiteConfig(str(config.get("site_name") or ""), normalize_url(config.get("site_url"), str(path)))
