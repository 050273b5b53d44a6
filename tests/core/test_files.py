"""macros/core/files.py atomic_write, and the commands that write through it (probe, new, export)."""

from __future__ import annotations

import argparse
import os

import pytest

from macros.core.files import atomic_write, umask
from macros.lab import probe


def test_atomic_write_creates_the_file_with_the_usual_permissions(tmp_path):
    target = tmp_path / "a.yaml"
    atomic_write(target, "x: é\n")
    assert target.read_bytes() == "x: é\n".encode("utf-8")
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~umask())
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_failed_atomic_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")

    def full(stream_fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_probe_that_cannot_write_prints_its_result_instead_of_a_traceback(tmp_path, monkeypatch, capsys):
    doc = {"date": "2026-11-29", "scenarios": []}
    monkeypatch.setattr(probe, "run_probe", lambda bindir=None: doc)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    code = probe.run_command(argparse.Namespace(bindir=None, output=str(blocked / "out.yaml")))
    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(f"probe: cannot write {blocked / 'out.yaml'}: ") and "follows on standard output" in err
    assert out == probe.to_yaml(doc)  # minutes of probing are not lost


def test_probe_writes_its_observation_atomically(tmp_path, monkeypatch):
    doc = {"date": "2026-11-29", "scenarios": []}
    monkeypatch.setattr(probe, "run_probe", lambda bindir=None: doc)
    target = tmp_path / "observations" / "out.yaml"
    assert probe.run_command(argparse.Namespace(bindir=None, output=str(target))) == 0
    assert target.read_text(encoding="utf-8") == probe.to_yaml(doc)
    assert [p.name for p in target.parent.iterdir()] == ["out.yaml"]
