"""The Chinese texts the VBA shows, readable here; the ``.bas`` carries them as ``\\uXXXX`` escapes.

VBA source is stored in code page 1252, so Chinese cannot appear in it literally.  Each message is
a ``Private Const MSG_... = "..."`` in ``macros/JuesuanRibbon.bas`` holding :func:`vba_escape` of the
text below, decoded at run time by the module's ``Zh`` function.  A test checks that every escaped
constant decodes to exactly the text here, so this table is the one to edit; then paste
``python -m juesuan.addin.messages`` output into the module.
"""

from __future__ import annotations

import re

VBA_MESSAGES: dict[str, str] = {
    "MSG_TITLE": "决算公开助手",
    "MSG_UNKNOWN_BUTTON": "加载项不认识这个按钮（unknown button）：",
    "MSG_NO_WORKBOOK": "请先打开要处理的决算工作簿，再点击功能区按钮。（Open a workbook first.）",
    "MSG_NO_PYTHON": "尚未为决算公开助手配置 Python（Python not configured）。"
                     "请在命令提示符中依次运行：",
    "MSG_INSTALL_STEPS": "pip install juesuan xlwings" + "\r\n" + "juesuan addin install",
    "MSG_RESTART": "然后重新启动 Excel。（Then restart Excel.）",
    "MSG_PYTHON_MISSING": "找不到已配置的 Python 解释器（Python interpreter not found）：",
    "MSG_IMPORT_FAILED": "在已配置的 Python 中无法导入 juesuan 或 xlwings"
                         "（cannot import juesuan or xlwings）。请在命令提示符中依次运行：",
    "MSG_PYTHON_FAILED": "Python 运行出错，本次操作未完成（Python failed）。"
                         "请点击「环境诊断」检查环境，或把上一个窗口中的错误信息发给技术支持。",
    "MSG_VBA_FAILED": "加载项内部错误（add-in error）：",
}

_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})")


def vba_escape(text: str) -> str:
    """ASCII stays, everything else becomes ``\\uXXXX``; ``"`` is doubled for a VBA literal."""
    out = []
    for ch in text:
        if ch == "\\":
            raise ValueError("a backslash cannot appear in a VBA message (it starts an escape)")
        if ch in "\r\n":
            out.append(f"\\u{ord(ch):04X}")
        elif ord(ch) < 128:
            out.append('""' if ch == '"' else ch)
        else:
            out.append(f"\\u{ord(ch):04X}")
    return "".join(out)


def vba_unescape(literal: str) -> str:
    """What the VBA ``Zh`` function returns for a literal's content (``""`` already undoubled)."""
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), literal)


def vba_constants() -> str:
    """The ``Private Const`` lines for the VBA module."""
    return "\n".join(f'Private Const {name} As String = "{vba_escape(text)}"'
                     for name, text in VBA_MESSAGES.items())


if __name__ == "__main__":
    print(vba_constants())
