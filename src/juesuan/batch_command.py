"""``juesuan batch DIR -o OUT`` and ``juesuan synth --n N -o DIR``.

batch: every data file ``DIR/*.json`` becomes ``OUT/<name>.xlsx`` — filled (formulas and their
values), checked and narrated — and ``OUT/summary.xlsx`` / ``OUT/summary.json`` list every
department with its status.  Unchanged inputs are skipped on a re-run unless ``--force`` (see
:mod:`juesuan.batch.state`).  Exit status: 0 every department passed, 1 some have check errors,
2 some could not be processed (listed as failed with the reason) or, with ``--export``, some Word
or PDF could not be written (``export_failed`` in the summary).

synth: ``N`` synthetic departments (:func:`juesuan.synth.run_synth`), e.g. to try a batch.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    if args.command == "synth":
        from juesuan.synth import run_synth

        return run_synth(args)
    from juesuan.batch.runner import run_batch

    result = run_batch(args.dir, args.output, jobs=args.jobs, force=args.force,
                       balance=getattr(args, "balance", False), export=getattr(args, "export", False),
                       pdf_limit=getattr(args, "pdf_timeout", None))
    n = len(result.outcomes)
    done = len(result.processed)
    rate = done / result.work_seconds if result.work_seconds > 0 and done else 0.0
    print(f"共 {n} 个 departments：通过 ok {result.count('ok')}，有错误 errors {result.count('errors')}，"
          f"失败 failed {result.count('failed')}，未变化跳过 skipped {result.skipped}；"
          f"用时 {result.seconds:.1f} 秒 s（{rate:.1f} 个/秒 per second, {result.jobs} 进程 jobs）")
    exported = [o for o in result.processed if o.export]
    if exported:
        ok = sum(o.export == "ok" for o in exported)
        print(f"导出 export: Word + PDF {ok} 个，失败 failed {len(exported) - ok}")
    print(f"汇总 summary: {result.summary_xlsx}  {result.summary_json}")
    if result.count("failed") or any(o.export == "failed" for o in result.outcomes):
        return 2
    return 1 if result.count("errors") else 0
