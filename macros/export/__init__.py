"""The tables outside the site: JSON API, CSV downloads, embed pages and paste-ready snippets.

Every format renders a macros.render.tables.Table (the site's own words) with an ExportContext (data
version, where links point). One small module per format; formats.py lists them; command.py is
`python -m macros export`; published.py writes what `make site` publishes beside the pages.
"""
