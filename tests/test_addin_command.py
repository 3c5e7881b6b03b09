"""``juesuan addin build|install|doctor`` through the real CLI, and the settings file format."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

import pytest

from juesuan import cli
from juesuan.addin.doctor import Check, exit_status, format_report, run_checks
from juesuan.addin.install import format_config, parse_config, updated_config
from juesuan.addin.command import run

ROOT = Path(__file__).resolve().parents[1]
ON_WINDOWS = sys.platform.startswith("win")


def test_build_writes_the_requested_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "x.xlam"
    assert cli.main(["addin", "build", "-o", str(out)]) == 0
    assert zipfile.ZipFile(out).testzip() is None
    assert str(out) in capsys.readouterr().out
    assert [p.name for p in out.parent.iterdir()] == ["x.xlam"]  # no temp file left behind


def test_doctor_reports_and_its_status_follows_the_essentials(capsys: pytest.CaptureFixture[str]) -> None:
    checks = run_checks()
    status = cli.main(["addin", "doctor"])
    printed = capsys.readouterr().out
    assert status == exit_status(checks)
    for check in checks:
        assert check.item in printed
    items = [c.item for c in checks]
    assert any("Python" in i for i in items) and "xlwings" in items and "juesuan.excel.dispatch" in items


def test_doctor_verdict_lines() -> None:
    good = [Check("a", True, "x"), Check("b", False, "y", essential=False)]
    bad = good + [Check("c", False, "z")]
    assert exit_status(good) == 0 and exit_status(bad) == 1
    assert format_report(good).splitlines()[-1].startswith("环境正常")
    assert "c" in format_report(bad).splitlines()[-1] and format_report(bad).startswith("√ a：x")


@pytest.mark.skipif(ON_WINDOWS, reason="on Windows install really installs")
def test_install_elsewhere_says_why_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["addin", "install"]) == 2
    err = capsys.readouterr().err
    assert "Windows" in err and "加载项" in err


def test_unknown_action_is_an_input_error() -> None:
    from juesuan.errors import InputError

    with pytest.raises(InputError):
        run(argparse.Namespace(action="explode", output=None))


def test_settings_file_is_what_vba_write_produces() -> None:
    text = format_config({"INTERPRETER_WIN": r"C:\Users\张三\Python311\python.exe", "SHOW CONSOLE": "False"})
    assert text == '"INTERPRETER_WIN","C:\\Users\\张三\\Python311\\python.exe"\r\n"SHOW CONSOLE","False"\r\n'
    assert parse_config(text) == {"INTERPRETER_WIN": r"C:\Users\张三\Python311\python.exe", "SHOW CONSOLE": "False"}


def test_install_keeps_other_settings_and_replaces_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONDA_DEFAULT_ENV", raising=False)
    monkeypatch.delenv("CONDA_EXE", raising=False)
    old = {"interpreter_win": "C:\\old\\python.exe", "CONDA PATH": "C:\\conda", "LICENSE_KEY": "k"}
    assert updated_config(old, "C:\\new\\python.exe") == {"LICENSE_KEY": "k", "INTERPRETER_WIN": "C:\\new\\python.exe"}
    monkeypatch.setenv("CONDA_DEFAULT_ENV", "jue")
    monkeypatch.setenv("CONDA_EXE", "/opt/conda/bin/conda")
    new = updated_config({}, "/opt/conda/envs/jue/bin/python")
    assert new["CONDA PATH"] == "/opt/conda" and new["CONDA ENV"] == "jue"


def test_install_copies_the_addin_and_writes_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The real install into a stand-in user profile (APPDATA, USERPROFILE point into tmp_path)."""
    from juesuan.addin import doctor, install
    from juesuan.addin.build import PACKAGED_ADDIN

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "me"))
    monkeypatch.delenv("CONDA_DEFAULT_ENV", raising=False)
    conf = tmp_path / "me" / ".juesuan" / "juesuan.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n')

    assert doctor.check_addin_file().ok is False
    assert cli.main(["addin", "install"]) == 0
    assert "XLSTART" in capsys.readouterr().out
    target = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "juesuan.xlam"
    assert target.read_bytes() == PACKAGED_ADDIN.read_bytes()
    assert install.read_config() == {"SHOW CONSOLE": "True", "INTERPRETER_WIN": sys.executable}
    assert sorted(p.name for p in target.parent.iterdir()) == ["juesuan.xlam"]  # Excel opens every file here
    assert doctor.check_addin_file().ok and doctor.check_settings().ok
    assert cli.main(["addin", "install"]) == 0  # idempotent
    assert install.read_config() == {"SHOW CONSOLE": "True", "INTERPRETER_WIN": sys.executable}
