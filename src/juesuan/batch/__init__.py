"""Batch: a finance bureau fills, checks and narrates every department's disclosure at once.

``juesuan batch DIR -o OUT`` turns each data file ``DIR/*.json`` into ``OUT/<name>.xlsx`` and
writes ``OUT/summary.xlsx`` / ``OUT/summary.json``.  Modules, one job each:

- :mod:`.zipwrite`        a ZIP writer whose constant members are deflated once per process;
- :mod:`.template_parts`  the template workbook taken apart once per process;
- :mod:`.fastxlsx`        a department's workbook rendered as XML from the model (no openpyxl);
- :mod:`.job`             one department: read → derive → write → check → narrate, timed by stage;
- :mod:`.state`           which inputs are unchanged since the last run (skipped unless ``--force``);
- :mod:`.runner`          a bounded process pool over the inputs;
- :mod:`.summary`         summary.json and summary.xlsx;
- :mod:`.progress`        a progress bar on a terminal, plain lines in a log.
"""
