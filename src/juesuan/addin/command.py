"""``juesuan addin build|install|doctor``: the add-in's command-line entry (see :mod:`juesuan.cli`).

Exit statuses follow the CLI: 0 done; 1 doctor found an essential missing; 2 the request cannot
be carried out here (``InputError``, e.g. ``install`` on a system without Windows Excel).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from juesuan.errors import InputError


def run(args: argparse.Namespace) -> int:
    action = args.action
    if action == "build":
        from juesuan.addin.build import build

        output = getattr(args, "output", None)
        for path in build(Path(output) if output else None):
            print(f"已生成加载项 wrote {path}")
        return 0
    if action == "install":
        from juesuan.addin.build import locate_addin
        from juesuan.addin.install import install, require_windows

        require_windows()
        for line in install(locate_addin()):
            print(line)
        return 0
    if action == "doctor":
        from juesuan.addin.doctor import exit_status, format_report, run_checks

        checks = run_checks()
        print(format_report(checks))
        return exit_status(checks)
    raise InputError(f"未知操作「{action}」：可用 build、install、doctor",
                     f"unknown action {action!r}: use build, install or doctor")
