"""The model: typed, read-only facts built from schema-valid files (dataset.py builds them all)."""
