"""The ribbon's wiring: customUI.xml -> VBA callback -> RunPython string -> Python function.

Each link is checked on the real files: every onAction names a Public Sub with the ribbon
callback signature; every tag is one of ``RIBBON_TAGS`` (the list ``juesuan.excel.dispatch``
accepts); every Python function a ``RunPython`` string reaches exists and is callable -- skipped
only while ``src/juesuan/excel.py`` has not been written yet.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from juesuan.addin import PYTHON_FUNCTION, PYTHON_MODULE, RIBBON_CALLBACK, RIBBON_TAGS
from juesuan.addin.build import CUSTOMUI_NS
from juesuan.addin.messages import VBA_MESSAGES, vba_escape, vba_unescape
from juesuan.addin.vendor import upstream_path, vendored_text

ROOT = Path(__file__).resolve().parents[1]
NS = {"ui": CUSTOMUI_NS}
RIBBON_MODULE = ROOT / "macros" / "JuesuanRibbon.bas"
CALLBACK_RE = re.compile(r"^Public Sub (\w+)\((?:ByRef |ByVal )?control As IRibbonControl\)\s*$", re.M | re.I)
RUNPYTHON_RE = re.compile(r"""\bRunPython\s*\(?\s*"import ([\w.]+);\s*([\w.]+)\.(\w+)\(""")


def customui() -> ET.Element:
    return ET.parse(ROOT / "addin" / "customUI.xml").getroot()


def buttons() -> list[ET.Element]:
    return customui().findall(".//ui:button", NS)


def vba_code(path: Path) -> str:
    """Source without comment lines (a RunPython example in a comment is not a call)."""
    lines = path.read_text(encoding="cp1252").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("'"))


def all_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "macros").iterdir() if p.suffix in (".bas", ".cls"))


def test_ribbon_shape() -> None:
    tabs = customui().findall(".//ui:tab", NS)
    assert [t.get("label") for t in tabs] == ["决算公开"]
    labels = {b.get("tag"): b.get("label") for b in buttons()}
    assert labels == {"fill": "填充", "check": "校验", "narrate": "生成说明", "export": "导出", "doctor": "环境诊断"}
    for b in buttons():
        assert b.get("size") == "large" and b.get("imageMso"), b.get("id")
        assert re.search(r"[\u4e00-\u9fff]", b.get("screentip") or ""), b.get("id")
        assert re.search(r"[\u4e00-\u9fff]", b.get("supertip") or ""), b.get("id")


def test_every_button_uses_the_one_generic_callback_with_a_known_tag() -> None:
    assert [b.get("tag") for b in buttons()] == list(RIBBON_TAGS)
    assert {b.get("onAction") for b in buttons()} == {RIBBON_CALLBACK}
    ids = [e.get("id") for e in customui().iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_every_onaction_is_a_public_sub_with_the_ribbon_signature() -> None:
    subs = {name for path in all_modules() for name in CALLBACK_RE.findall(vba_code(path))}
    actions = {e.get("onAction") for e in customui().iter() if e.get("onAction")}
    assert actions and actions <= subs


def test_callback_forwards_the_tag_to_the_fixed_python_module() -> None:
    code = vba_code(RIBBON_MODULE)
    assert "JuesuanRun control.Tag" in code
    assert """RunPython("import juesuan.excel; juesuan.excel.dispatch('" & tag & "')")""" in code
    assert "ThisWorkbook.Name" not in code and "ActiveWorkbook.Name" not in code  # never named after a book


def runpython_targets() -> set[tuple[str, str]]:
    targets = set()
    for path in all_modules():
        for module, qualifier, function in RUNPYTHON_RE.findall(vba_code(path)):
            assert module == qualifier, f"{path.name}: RunPython imports {module} but calls {qualifier}"
            targets.add((module, function))
    return targets


def test_runpython_strings_reach_only_the_dispatcher() -> None:
    assert runpython_targets() == {(PYTHON_MODULE, PYTHON_FUNCTION)}


def test_every_python_function_the_vba_reaches_exists() -> None:
    for module_name, function in sorted(runpython_targets()):
        module = importlib.import_module(module_name)
        assert callable(getattr(module, function, None)), f"{module_name}.{function}"


def test_vba_sources_are_ascii_with_crlf_or_lf_only() -> None:
    for path in all_modules():
        data = path.read_bytes()
        data.decode("ascii")
        assert b"\r" not in data.replace(b"\r\n", b""), path.name


def test_ribbon_module_is_strict_and_its_chinese_messages_decode() -> None:
    source = RIBBON_MODULE.read_text(encoding="ascii")
    assert "\nOption Explicit\n" in source.replace("\r\n", "\n")
    consts = dict(re.findall(r'^Private Const (MSG_\w+) As String = "((?:[^"]|"")*)"$', source, re.M))
    assert set(consts) == set(VBA_MESSAGES)
    for name, literal in consts.items():
        assert vba_unescape(literal.replace('""', '"')) == VBA_MESSAGES[name], name
        assert literal == vba_escape(VBA_MESSAGES[name]), name
        assert re.search(rf"\bZh\({name}\)", source), f"{name} is never shown"


def test_vendored_xlwings_module_is_upstream_with_our_project_name() -> None:
    ours = (ROOT / "macros" / "xlwings.bas").read_bytes().decode("cp1252").replace("\r\n", "\n")
    assert "BSD 3-clause" in ours and 'PROJECT_NAME As String = "juesuan"' in ours
    for pro_only in ("Function RunRemotePython", "Function RunServerPython", "WebClient", "WebRequest"):
        assert pro_only not in ours
    import xlwings

    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', ours).group(1)
    if version != xlwings.__version__:
        pytest.skip(f"installed xlwings {xlwings.__version__} differs from vendored {version}")
    upstream = upstream_path().read_bytes().decode("cp1252").replace("\r\n", "\n")
    assert ours == vendored_text(upstream)
