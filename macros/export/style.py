"""Inline styles for exports that travel without the site's stylesheet (embed page, pasted HTML,
Confluence and MediaWiki cells).

STATUS_BACKGROUND repeats the light-scheme colours of docs/stylesheets/tlskb.css;
tests/test_export_formats.py fails when the two drift apart.
"""

STATUS_BACKGROUND = {
    "on": "#e6f4ea",
    "off": "#fff4e0",
    "conditional": "#e8f0fe",
    "unsupported": "#f4f4f4",
    "removed": "#f4f4f4",
    "unknown": "#fafafa",
}

BORDER = "1px solid #d0d0d0"
WRAPPER = "font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:14px;line-height:1.4;color:#222"
TABLE = "border-collapse:collapse;font-size:13px"
CAPTION = "text-align:left;font-weight:700;padding:4px 0"
HEAD_CELL = f"border:{BORDER};padding:4px 8px;vertical-align:top;text-align:left;background:#eeeeee"
ROW_HEAD = f"border:{BORDER};padding:4px 8px;vertical-align:top;text-align:left;white-space:nowrap"
MARK = "display:inline-block;font-size:11px;font-weight:400;border:1px solid currentColor;border-radius:3px;padding:0 3px;margin-left:3px"
NOTES = "font-size:12px"
SMALL = "font-size:12px;color:#555"


def cell_style(status: str | None) -> str:
    style = f"border:{BORDER};padding:4px 8px;vertical-align:top"
    if status in STATUS_BACKGROUND:
        style += f";background:{STATUS_BACKGROUND[status]}"
    if status in ("unsupported", "removed", "absent"):
        style += ";color:#555"
    if status == "absent":
        style += ";text-align:center"
    return style
