"""审阅 audit: check a disclosure that is already published, from its text.

``juesuan audit DOC`` reads a .txt, .docx, .pdf or .html disclosure, finds the sections of its
narrative (第二部分 情况说明), reads the figures each sentence states together with what they are
(amounts, totals and their parts, shares, changes, completion rates, counts, the 绩效自评表),
recomputes every relation the text allows and reports each inconsistency as a finding quoting
the sentence.  Modules, one job each:

- :mod:`.load` file → text; :mod:`.text` normalisation and figures; :mod:`.sections` outline;
- :mod:`.extract` statements of a section; :mod:`.perf` 绩效自评表;
- :mod:`.tolerance` rounding intervals; :mod:`.rules` the rule registry;
- :mod:`.relations` in-section checks; :mod:`.crosscheck` between sections; :mod:`.perfcheck`;
- :mod:`.engine` the pipeline; :mod:`.report` text/JSON/xlsx; :mod:`.command` the CLI entry.
"""
