"""The "Your setup" page (/setup/): a form whose choices select a precomputed answer.

The answers are the resolver's, written at build time by `python -m macros export --all` as JSON
under /api/v1/answers/ (macros/export/answers.py). The page holds only the choices, the words its
script prints and a fallback for readers without JavaScript; docs/javascripts/setup.js fetches
answers/index.json, then the one file the choice needs, and shows it with textContent only.
Embedding every answer would make the page tens of megabytes.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from macros.load.i18n import section, t
from macros.model.dataset import Dataset
from macros.model.resolver import ANSWER_FLOORS
from macros.model.resolver_types import DEFAULT_PLATFORM
from macros.render.html import Linker, render_fragment, same_path

PAGE = "setup/"
SCRIPT = "javascripts/setup.js"
ANSWERS_INDEX = "api/v1/answers/index.json"


def setup_link(link: Linker, **choice: str) -> str:
    """A link to the page with a choice preselected: setup_link(link, pg="16") -> ../setup/?pg=16."""
    query = "&".join(f"{name}={value}" for name, value in choice.items())
    return link(PAGE) + (f"?{query}" if query else "")


def script_json(value) -> Markup:
    """JSON that is safe inside <script type="application/json">: no `<`, `>` or `&` left to parse."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def default_major(data: Dataset) -> str:
    """The newest released major: what a reader arriving without a choice most likely runs."""
    released = [m.major for m in data.postgresql if m.status != "beta"]
    return released[-1] if released else data.postgresql[-1].major


def platform_options(data: Dataset) -> list[tuple[str, str, str]]:
    """(id, label, implied series or "") with the upstream defaults first."""
    releases = sorted(data.releases, key=lambda r: r.id != DEFAULT_PLATFORM)
    return [(r.id, t("setup.platform_series", name=r.name, series=r.openssl) if r.openssl
             else t("setup.platform_any", name=r.name), r.openssl or "") for r in releases]


def setup_page(data: Dataset, link: Linker = same_path) -> str:
    """The page's HTML: the form (shown by the script), the fallback without JavaScript, the script."""
    protocols = {p.id: p.name for p in data.protocols}
    major = default_major(data)
    return render_fragment(
        "setup_page.html.j2",
        majors=[m.major for m in data.postgresql], default_major=major,
        platforms=platform_options(data), default_platform=DEFAULT_PLATFORM,
        series=[s.series for s in data.openssl],
        floors=[(f, protocols.get(f, f)) for f in ANSWER_FLOORS if f],
        profiles=[(p.id, t("setup.profile_option", name=p.name, protocol=protocols.get(p.min_protocol,
                                                                                      p.min_protocol)))
                  for p in data.profiles],
        guides=[(m.major, link(f"postgresql/{m.major}/")) for m in data.postgresql],
        cli=f"python -m macros answer --postgresql {major} --platform {_example_platform(data)} "
            f"--min-protocol {ANSWER_FLOORS[-2]}",
        index_url=link(ANSWERS_INDEX), root_url=link("./"), script_url=link(SCRIPT),
        words=script_json(section("setup.script")))


def _example_platform(data: Dataset) -> str:
    """A distribution release that implies its series, for the command-line example."""
    return next((r.id for r in reversed(data.releases) if r.openssl and r.id != DEFAULT_PLATFORM),
                DEFAULT_PLATFORM)
