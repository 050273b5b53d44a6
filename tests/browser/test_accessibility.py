"""axe-core in chromium: no serious or critical violation on the pages a reader starts from.

Both widths: a 1280 px desktop and a 390 px phone. Moderate and minor findings are not failures
here (axe reports some on the theme's own markup), but every serious one is.
"""

from __future__ import annotations

import pytest

from browsing import axe_violations, browser, built_site, open_page, site_url  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PAGES = ["", "openssl/", "postgresql/", "settings/", "build-support/", "postgresql/17/", "api/",
         "embed/postgresql-protocols/"]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['count']} nodes): {v['help']}; e.g. {v['nodes'][:3]}"
                     for v in violations)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(open_page, path, viewport):
    page = open_page(path, viewport)
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not serious, f"/{path} at {viewport}:\n{describe(serious)}"
