# Two commands set everything up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE := site
# Material prints an end-of-life banner about MkDocs 2 on every build; it says nothing about us.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: venv check site serve test test-update-golden clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	touch $@

check: venv
	$(BIN)/python -m macros check

# Build into a fresh folder and swap it in only when the build succeeded:
# a failed build leaves the previous site/ untouched.
site: check
	rm -rf .site-build-tmp
	$(BIN)/mkdocs build --strict --quiet --site-dir .site-build-tmp
	rm -rf $(SITE).old && { [ ! -d $(SITE) ] || mv $(SITE) $(SITE).old; } && mv .site-build-tmp $(SITE) && rm -rf $(SITE).old
	@echo "site built in $(SITE)/"

serve: venv
	$(BIN)/mkdocs serve --livereload

test: venv
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(SITE) .site-build-tmp .pytest_cache

test-update-golden: venv
	$(BIN)/python -m pytest --update-golden tests
