"""Batch: a finance bureau fills, checks and narrates every department's disclosure at once.

``juesuan batch DIR -o OUT [--jobs N] [--force]`` turns each data file ``DIR/*.json`` into
``OUT/<name>.xlsx`` (with ``--export`` also ``OUT/<name>_决算公开.docx`` and ``.pdf``) and writes ``OUT/summary.xlsx`` / ``OUT/summary.json`` and ``OUT/batch.log``.
Modules, one job each:

- :mod:`.job`             one department: read → derive → narrate → write → save → check, timed;
- :mod:`.runner`          a bounded process pool over the inputs;
- :mod:`.state`           which inputs are unchanged since the last run (skipped unless ``--force``);
- :mod:`.summary`         summary.json and summary.xlsx;
- :mod:`.pdfpool`         ``--export``: the PDFs, by a pool of LibreOffice workers (one per core);
- :mod:`.progress`        a progress bar on a terminal, plain lines in a log;
- :mod:`.fastxlsx`        a department's workbook rendered as XML from the model (no openpyxl);
- :mod:`.formulas`        formula text of the derived cells, fast, equal to ``Expr.excel``;
- :mod:`.template_parts`  the template workbook taken apart once per process;
- :mod:`.prerender`       the template with the narrative and notes sheets, written once by openpyxl;
- :mod:`.narrative_sheet`, :mod:`.notes_sheet`  those two sheets rendered per department;
- :mod:`.zipwrite`        a ZIP writer whose constant members are deflated once per process.

Why a writer of its own: the openpyxl path (``juesuan new``) measured 0.5–1.5 s per workbook on
a shared 2-core machine; the fast writer renders the same cells, formulas, cached values, styles,
merges and charts (``tests/test_batch_fastxlsx.py`` compares them) in about 11 ms of CPU.
Measured figures: ``PYTHONPATH=src python bench/batch.py``.
"""
