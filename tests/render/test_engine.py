"""The engine seam: under Zensical a BuildFailure ends the process as our message alone, with no
partial site; under MkDocs (or any other caller) nothing but the exception happens."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from macros.render import engine
from macros.render.engine import BuildFailure, is_zensical, stop_cleanly_under_zensical

MacroEnv = type("MacroEnv", (), {"__module__": "zensical.extensions.macros"})  # Zensical's class name and module


def zensical_env(project) -> object:
    env = MacroEnv()
    env.project_dir, env.conf = str(project), {"site_dir": "site"}
    return env


@pytest.fixture
def clean_process(monkeypatch):
    """sys.excepthook and the recorded failures, restored after the test."""
    earlier = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: earlier.append(error))
    monkeypatch.setattr(engine, "_failures", [])
    return earlier


def test_only_zensicals_env_counts_as_zensical(tmp_path):
    assert is_zensical(zensical_env(tmp_path))
    assert not is_zensical(SimpleNamespace(project_dir=str(tmp_path), conf={}))


def test_outside_zensical_the_failure_passes_and_the_process_is_untouched(tmp_path, clean_process):
    hook = sys.excepthook
    with pytest.raises(BuildFailure, match="bad"), stop_cleanly_under_zensical(SimpleNamespace(conf={})):
        raise BuildFailure("bad")
    assert sys.excepthook is hook


def test_under_zensical_its_wrapped_error_prints_our_message_alone_and_removes_site(tmp_path, clean_process, capsys):
    (tmp_path / "site" / "assets").mkdir(parents=True)
    message = "the data has errors (same as `python -m macros check`):\ndata/x.yaml:1:1: yaml-empty: empty"
    for _page in range(3):  # Zensical calls define_env once per page
        with pytest.raises(BuildFailure), stop_cleanly_under_zensical(zensical_env(tmp_path)):
            raise BuildFailure(message)
    wrapped = RuntimeError(f"Python error: PluginError: {message}\nTraceback (most recent call last):\n  ...")
    sys.excepthook(RuntimeError, wrapped, None)
    assert capsys.readouterr().err == message + "\n"
    assert not (tmp_path / "site").exists()
    assert clean_process == []


def test_under_zensical_any_other_error_still_reaches_the_previous_hook(tmp_path, clean_process, capsys):
    (tmp_path / "site").mkdir()
    with pytest.raises(BuildFailure), stop_cleanly_under_zensical(zensical_env(tmp_path)):
        raise BuildFailure("ours")
    other = RuntimeError("Python error: OSError: disk full")
    sys.excepthook(RuntimeError, other, None)
    assert clean_process == [other]
    assert (tmp_path / "site").exists() and capsys.readouterr().err == ""


def test_a_site_dir_outside_the_project_is_never_removed(tmp_path, clean_process):
    env = zensical_env(tmp_path / "project")
    env.conf["site_dir"] = "../elsewhere"
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(BuildFailure), stop_cleanly_under_zensical(env):
        raise BuildFailure("ours")
    sys.excepthook(RuntimeError, RuntimeError("Python error: PluginError: ours"), None)
    assert (tmp_path / "elsewhere").exists()
