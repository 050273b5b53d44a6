"""python -m macros export: what it prints, what it writes (atomically), and how it refuses."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from conftest import DATA_DIR, ROOT

from macros.cli import main
from macros.core import files
from macros.export import markdown, published
from macros.export.context import ExportContext
from macros.export.options import Options, export_table
from macros.export.siteconfig import read_site_config
from macros.export.version import DataVersion, data_sha256
from macros.load.i18n import t
from macros.render.tables import TABLE_IDS, as_of


def export(capsysbinary, *args: str) -> tuple[int, str, str]:
    code = main(["export", "--data-dir", str(DATA_DIR), "--config", str(ROOT / "mkdocs.yml"), *args])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")


def test_list_names_every_table_and_format(capsysbinary):
    code = main(["export", "--list"])
    out = capsysbinary.readouterr().out.decode()
    assert code == 0
    for table_id in TABLE_IDS:
        assert re.search(rf"^  {re.escape(table_id)} +{re.escape(t(f'tables.{table_id}'))}$", out, re.M)
    assert "markdown html confluence confluence-wiki mediawiki asciidoc iframe csv json embed" in out


def test_prints_exactly_the_site_snippet(capsysbinary, dataset):
    code, out, _ = export(capsysbinary, "openssl-protocols", "--format", "markdown")
    assert code == 0
    site = read_site_config(ROOT / "mkdocs.yml")
    context = ExportContext(site.name, DataVersion(as_of(dataset), data_sha256(DATA_DIR)), root=site.url or "")
    table = export_table(dataset, "openssl-protocols")
    assert out == markdown.render(table, context.for_table("openssl-protocols"))


def test_csv_on_stdout_keeps_crlf(capsysbinary):
    code, out, _ = export(capsysbinary, "hba-options", "--format", "csv")
    assert code == 0 and out.startswith("row,row_marks,column,") and out.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len({len(r) for r in rows}) == 1


def test_supported_only_leaves_out_end_of_life_versions(capsysbinary, dataset):
    today = as_of(dataset)
    ended = [m.major for m in dataset.postgresql if m.eol and m.eol <= today]
    kept = [m.major for m in dataset.postgresql if m.major not in ended]
    assert ended and kept, "the data should have majors on both sides of the end-of-life date"
    code, out, _ = export(capsysbinary, "postgresql-protocols", "--format", "csv", "--supported-only")
    assert code == 0
    rows = {r["row"] for r in csv.DictReader(io.StringIO(out, newline=""))}
    assert rows == set(kept)
    assert t("marks.eol") not in out


def test_version_subset_on_columns_drops_settings_that_do_not_exist(dataset):
    table = export_table(dataset, "server-settings", Options(postgresql=("9.4",)))
    assert table.columns == ("9.4",)
    names = [r.header for r in table.rows]
    assert "ssl_min_protocol_version" not in names  # added in 12
    assert names and all(r.cells[0].status != "absent" for r in table.rows)


def test_build_table_subset_on_both_sides(dataset):
    table = export_table(dataset, "postgresql-openssl-build", Options(postgresql=("16", "17"), openssl=("3.0",)))
    assert [r.header for r in table.rows] == ["16", "17"] and table.columns == ("3.0",)
    assert table.column_links == ("openssl/3.0/",)


def test_no_notes_and_no_sources(capsysbinary):
    _, without_notes, _ = export(capsysbinary, "openssl-protocols", "--format", "markdown", "--no-notes")
    _, without_sources, _ = export(capsysbinary, "openssl-protocols", "--format", "markdown", "--no-sources")
    assert t("notes_heading") not in without_notes and "\\[1\\]" not in without_notes
    assert t("notes_heading") in without_sources and t("sources") not in without_sources


@pytest.mark.parametrize("args, message", [
    (["no-such-table", "--format", "csv"], "unknown table 'no-such-table'; known: openssl-protocols"),
    (["openssl-protocols", "--format", "csv", "--openssl", "3.0,9.9"], "unknown OpenSSL version(s): 9.9; known: 0.9.8"),
    (["postgresql-protocols", "--format", "csv", "--openssl", "3.0"], "lists no OpenSSL versions"),
    (["openssl-protocols"], "name a TABLE and a --format"),
    (["--all", "--format", "csv"], "leave out TABLE, --format and -o"),
    (["openssl-protocols", "--format", "csv", "--base-url", "ftp://example.org"], "must start with https://"),
])
def test_refusals_are_one_line_messages(capsysbinary, args, message):
    code, out, err = export(capsysbinary, *args)
    assert code == 1 and out == ""
    assert err.startswith("export: ") and message in err
    assert "Traceback" not in err


def test_bad_data_prints_the_checks_lines_and_writes_nothing(capsysbinary, data_copy, tmp_path):
    path = data_copy / "protocols.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("protocols:", "protocolz:", 1), encoding="utf-8")
    target = tmp_path / "out.md"
    code = main(["export", "openssl-protocols", "--format", "markdown", "--data-dir", str(data_copy), "-o", str(target)])
    err = capsysbinary.readouterr().err.decode()
    assert code == 1 and not target.exists()
    assert re.search(r"protocols\.yaml:\d+:\d+: [a-z-]+: ", err)
    assert "nothing written" in err and "Traceback" not in err


def test_output_file_is_replaced_whole(capsysbinary, tmp_path):
    target = tmp_path / "table.adoc"
    target.write_text("previous\n")
    code, out, _ = export(capsysbinary, "hba-options", "--format", "asciidoc", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith(".pass:c[pg_hba.conf options")
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.adoc"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("previous\n")

    def fail(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        files.atomic_write(target, "new contents")
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def _disk_full(*args):
    raise OSError(28, "No space left on device")  # what write() raises: no file name in it


def test_a_full_disk_names_the_output_file(capsysbinary, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _disk_full)
    target = tmp_path / "table.csv"
    code, _, err = export(capsysbinary, "hba-options", "--format", "csv", "-o", str(target))
    assert code == 1 and err.strip() == f"export: {target}: No space left on device"


@pytest.mark.slow  # a whole `export --all`
def test_a_full_disk_during_all_names_the_file(capsysbinary, tmp_path, monkeypatch):
    monkeypatch.setattr(Path, "write_bytes", _disk_full)
    docs = tmp_path / "docs"
    docs.mkdir()
    code, _, err = export(capsysbinary, "--all", "--docs-dir", str(docs))
    assert code == 1 and re.fullmatch(rf"export: {re.escape(str(docs))}/\S+: No space left on device\n", err), err
    assert list(docs.iterdir()) == []  # nothing half-written, no staging folder left


@pytest.mark.slow  # a whole `export --all`
def test_all_replaces_the_generated_folders_and_nothing_else(capsysbinary, tmp_path):
    docs = tmp_path / "docs"
    (docs / "api").mkdir(parents=True)
    (docs / "api" / "stale.json").write_text("{}")
    (docs / "index.md").write_text("# keep me\n")
    code, _, err = export(capsysbinary, "--all", "--docs-dir", str(docs))
    assert code == 0, err
    assert sorted(p.name for p in docs.iterdir()) == ["api", "downloads", "embed", "index.md"]
    assert not (docs / "api" / "stale.json").exists()
    assert (docs / "index.md").read_text() == "# keep me\n"
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert "api/v1/all.json" in written and "downloads/server-settings.csv" in written
    assert all(f"embed/{t_id}/index.html" in written for t_id in TABLE_IDS)


def test_all_stops_before_touching_anything_on_bad_output(tmp_path):
    docs = tmp_path / "docs"
    (docs / "api").mkdir(parents=True)
    (docs / "api" / "old.json").write_text("{}")
    with pytest.raises(ValueError):
        published.write_tree(docs, {"api/v1/a.json": "{}", "../escape.txt": "x"})
    assert (docs / "api" / "old.json").exists()
    assert sorted(p.name for p in docs.iterdir()) == ["api"]  # no staging folder left


@pytest.mark.parametrize("had_folders", [True, False], ids=["replacing", "first-export"])
def test_all_puts_back_what_it_swapped_when_a_later_swap_fails(tmp_path, monkeypatch, had_folders):
    docs = tmp_path / "docs"
    docs.mkdir()
    if had_folders:
        for folder in published.GENERATED_FOLDERS:
            (docs / folder).mkdir()
            (docs / folder / "previous.txt").write_text(folder)
    before = {p.relative_to(docs).as_posix(): p.read_bytes() if p.is_file() else None for p in docs.rglob("*")}
    real_rename = Path.rename

    def failing(self, target):
        # The second folder's swap (staging/downloads -> docs/downloads) fails; api is already in.
        if self.name == "downloads" and self.parent.name.startswith(".export-"):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)
    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError):
        published.write_tree(docs, {"api/v1/all.json": "{}", "downloads/a.csv": "a\r\n", "embed/a/index.html": "<p>"})
    after = {p.relative_to(docs).as_posix(): p.read_bytes() if p.is_file() else None for p in docs.rglob("*")}
    assert after == before  # api/ too is as it was; no staging folder left


def test_site_url_from_the_config_and_env(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: KB\nsite_url: !ENV [TLSKB_TEST_SITE_URL, '']\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n"
                      "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    monkeypatch.delenv("TLSKB_TEST_SITE_URL", raising=False)
    assert read_site_config(config).url is None
    monkeypatch.setenv("TLSKB_TEST_SITE_URL", "https://tls.example.org/kb")
    assert read_site_config(config).url == "https://tls.example.org/kb/"
    assert read_site_config(ROOT / "mkdocs.yml").name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
