"""The ``juesuan`` command: one entry point, a subcommand per job.

Each subcommand lives in its own module exposing ``run(args) -> int``; this file only declares
the arguments (help in Chinese with the English beside it) and maps errors to exit statuses:
0 success, 1 the check found errors, 2 the input could not be used.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from juesuan.errors import InputError
from juesuan.importguard import hide_numpy_from_openpyxl
from juesuan.outputs import guarded

FORMAT_HELP = "格式 format id（默认：自动识别 default: recognised from the file）"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="juesuan",
        description="决算公开助手：填充、校验、生成说明、导出部门决算公开 "
        "(fill, check, narrate and export a department's final-accounts disclosure)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="命令 command")

    def add(name: str, module: str, zh: str, en: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=f"{zh} ({en})", description=f"{zh}（{en}）")
        sp.set_defaults(module=module)
        return sp

    sp = add("new", "juesuan.book_io", "由模板和数据文件新建工作簿并填充",
             "write a workbook from the template, with a data file's inputs, filled")
    sp.add_argument("--format", help="格式 format id（默认：数据文件所写格式，否则 nmg-2023 default: the data file's, else nmg-2023）")
    sp.add_argument("--data", help="数据文件 DATA.json (inputs of one department)")
    sp.add_argument("--prior", help="上年工作簿或数据文件：结转、上年决算数、概况等由上年带入 "
                    "(last year's workbook or data file: carry-over, 上年决算, texts)")
    sp.add_argument("-o", "--output", required=True, help="输出工作簿 output BOOK.xlsx")
    sp.add_argument("--no-fill", action="store_true", help="只填输入，不写公式 (inputs only, no formulas)")
    sp.add_argument("--balance", action="store_true",
                    help="舍位平衡：各表按两位小数精确勾稽 (controlled rounding: printed tables tie exactly)")
    sp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件 (replace an existing output file)")

    sp = add("dump", "juesuan.book_io", "把工作簿的输入单元格导出为数据文件",
             "read a workbook's input cells back into a data file")
    sp.add_argument("book", help="工作簿 BOOK.xlsx")
    sp.add_argument("-o", "--output", help="数据文件 DATA.json (default: standard output)")
    sp.add_argument("--format", help=FORMAT_HELP)

    sp = add("fill", "juesuan.fill_command", "填充：写入全部派生单元格的公式和值",
             "fill every derived cell with its formula and value")
    sp.add_argument("book", help="工作簿 BOOK.xlsx")
    sp.add_argument("-o", "--output", help="另存为 write to OUT.xlsx instead of in place")
    sp.add_argument("--format", help=FORMAT_HELP)
    sp.add_argument("--balance", action="store_true", default=None,
                    help="舍位平衡：输入改为两位小数公开数，各表精确勾稽，精确数另存 "
                         "(controlled rounding: printed tables tie exactly; exact amounts kept)")
    sp.add_argument("--no-balance", action="store_false", dest="balance",
                    help="撤销舍位平衡，恢复精确数 (undo controlled rounding: exact amounts back)")

    sp = add("check", "juesuan.check_command", "校验：表内、表间、跨期勾稽关系",
             "check every table against every other")
    sp.add_argument("book", help="工作簿 BOOK.xlsx")
    sp.add_argument("--json", action="store_true", help="以 JSON 输出 (print JSON)")
    sp.add_argument("--write", action="store_true",
                    help="写入「校验结果」工作表并标记单元格 (write a 校验结果 sheet and mark cells)")
    sp.add_argument("--prior", help="上年工作簿或数据文件：校验年初 = 上年年末、上年决算数 "
                    "(last year's workbook or data file: check the carry-over)")
    sp.add_argument("--format", help=FORMAT_HELP)

    sp = add("narrate", "juesuan.narrate_command", "生成说明：由数字写出决算情况说明",
             "write the narrative sheets from the numbers")
    sp.add_argument("book", help="工作簿 BOOK.xlsx")
    sp.add_argument("-o", "--output", help="另存为 write to OUT.xlsx instead of in place")
    sp.add_argument("--print", action="store_true", dest="print_text", help="打印说明文本 (print the text)")
    sp.add_argument("--format", help=FORMAT_HELP)

    sp = add("export", "juesuan.export_command", "导出：生成可发布的 Word 和 PDF",
             "export the publishable disclosure as Word and PDF")
    sp.add_argument("book", help="工作簿 BOOK.xlsx")
    sp.add_argument("--docx", required=True, help="Word 文件 OUT.docx")
    sp.add_argument("--pdf", help="PDF 文件 OUT.pdf (needs LibreOffice)")
    sp.add_argument("--format", help=FORMAT_HELP)

    sp = add("consolidate", "juesuan.consolidate_command", "汇总：由本级和所属单位的工作簿或数据文件汇总出部门",
             "consolidate units' workbooks or data files into their department's")
    sp.add_argument("units", nargs="+", help="单位工作簿或数据文件 UNIT.xlsx|UNIT.json（第一个为本级 the first is the 本级）")
    sp.add_argument("-o", "--output", required=True, help="部门工作簿或数据文件 output DEPT.xlsx|DEPT.json")
    sp.add_argument("--name", help="部门名称 the department's name (default: the first unit's)")
    sp.add_argument("--eliminate", metavar="all|经费差额.json",
                    help="抵消单位间往来：all 全部抵消，或文件给出的金额 (eliminate internal flows: all, or a file's amounts)")
    sp.add_argument("--force", action="store_true",
                    help="单位校验有错误也汇总，并覆盖已存在的输出 (consolidate despite unit errors; replace the output)")

    sp = add("synth", "juesuan.batch_command", "生成合成部门数据文件", "write synthetic departments")
    sp.add_argument("--n", type=int, required=True, help="部门数 number of departments")
    sp.add_argument("-o", "--output", required=True, help="输出目录 output DIR")
    sp.add_argument("--seed", type=int, default=0, help="随机种子 random seed")
    sp.add_argument("--format", help="格式 format id（默认 default: nmg-2023）")
    sp.add_argument("--yuan", action="store_true", help="全部金额精确到元 (every amount in whole 元)")

    sp = add("batch", "juesuan.batch_command", "批量：填充、校验、生成说明一个目录下的全部数据文件",
             "fill, check and narrate every data file in a directory")
    sp.add_argument("dir", help="数据文件目录 DIR of DATA.json files")
    sp.add_argument("-o", "--output", required=True, help="输出目录 output DIR")
    sp.add_argument("--jobs", type=int, default=None, help="进程数 worker processes (default: cores)")
    sp.add_argument("--force", action="store_true", help="不跳过未变化的输入 (redo unchanged inputs)")
    sp.add_argument("--balance", action="store_true",
                    help="舍位平衡：各表按两位小数精确勾稽 (controlled rounding: printed tables tie exactly)")
    sp.add_argument("--export", action="store_true",
                    help="同时导出各部门的 Word 和 PDF (also write each department's Word and PDF)")
    sp.add_argument("--pdf-timeout", type=float, default=None,
                    help="每份 PDF 的时限（秒，默认 60）per-document PDF time limit in seconds")

    sp = add("audit", "juesuan.audit.command", "审阅：从文本检查已发布的决算公开",
             "check a published disclosure from its text")
    sp.add_argument("doc", help="文档 DOC (.txt .docx .pdf .html)")
    sp.add_argument("--json", action="store_true", help="以 JSON 输出 (print JSON)")
    sp.add_argument("--write", metavar="REPORT.xlsx", help="写出审阅报告 (write a report workbook)")
    sp.add_argument("--format", help="格式 format id（默认：按章节识别 default: recognised from the sections）")

    sp = add("addin", "juesuan.addin.command", "Excel 加载项：构建、安装、诊断",
             "the Excel add-in: build, install, doctor")
    sp.add_argument("action", choices=["build", "install", "doctor"], help="build | install | doctor")
    sp.add_argument("-o", "--output", help="build: 输出 output .xlam (default addin/juesuan.xlam)")

    sp = add("serve", "juesuan.service.command", "本机服务：供 WPS 加载项和浏览器页面使用",
             "the local service behind the WPS add-in and the browser page")
    sp.add_argument("--port", type=int, default=17395, help="端口 port (default 17395; 0 = any free port)")
    sp.add_argument("--host", default="127.0.0.1", help="监听地址 address to listen on (default 127.0.0.1, this computer only)")

    sp = add("wps", "juesuan.service.command", "WPS 加载项：安装（写入 publish.xml）",
             "the WPS add-in: install (writes publish.xml)")
    sp.add_argument("action", choices=["install"], help="install")
    sp.add_argument("--port", type=int, default=17395, help="juesuan serve 的端口 the port juesuan serve uses")

    sp = add("build-templates", "juesuan.template", "由格式生成标准模板工作簿",
             "build the template workbooks from the formats")
    sp.add_argument("-o", "--output", default="workbook_templates",
                    help="输出目录 output directory (default workbook_templates)")

    sp = add("demo", "juesuan.demo", "演示：参考案例走完全部命令", "run the reference case through every command")
    sp.add_argument("-o", "--output", default="juesuan-demo", help="输出目录 output DIR")
    return p


INTERNAL = 3  # exit status of a bug: never 1, which scripts read as "the check found errors"


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status is 0 success, 1 the check found errors, 2 the input could
    not be used (a message naming the file and where), 3 an internal error (a bug: please report)."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 must not crash a print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    hide_numpy_from_openpyxl()  # openpyxl, where a command needs it, without numpy's import
    module = importlib.import_module(args.module)
    try:
        with guarded(args):
            return int(module.run(args) or 0)
    except InputError as exc:
        print(f"错误 error: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file that cannot be read or written: the user's to fix, not a bug
        name = f"文件 file「{exc.filename}」：" if exc.filename else ""
        print(f"错误 error: {name}无法读写文件（{exc.strerror or exc}）(cannot read or write a file)", file=sys.stderr)
        return 2
    except MemoryError:
        print("错误 error: 内存不足，无法完成（输入是否异常大？）(out of memory: is the input unusually large?)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 — a bug: say so, with the traceback to report, and a status of its own
        traceback.print_exc()
        print("内部错误 internal error: 这是 juesuan 的缺陷，请连同上面的信息报告 (a bug in juesuan; please report it "
              "with the lines above)", file=sys.stderr)
        return INTERNAL


if __name__ == "__main__":
    sys.exit(main())
