"""审阅 audit: check a disclosure that is already published, from its text.

``juesuan audit DOC`` reads a .txt, .docx, .pdf or .html disclosure, finds the sections of its
narrative (第二部分 情况说明), reads the figures each sentence states together with what they are
(amounts, totals and their parts, shares, changes, completion rates, counts, the 绩效自评表),
recomputes every relation the text allows and reports each inconsistency as a finding quoting
the sentence.  Modules, one job each:

- :mod:`.load` file → text (PDF tables through pdfplumber); :mod:`.text` normalisation (traditional
  characters through OpenCC) and figures; :mod:`.sections` outline, by headings or by content;
- :mod:`.vocab` the vocabulary as data (what a paragraph, a table row or column is about);
- :mod:`.extract` statements of a section; :mod:`.changes` changes, their basis and subject;
  :mod:`.perf` 绩效自评表; :mod:`.tables` tables read into figures and checked;
- :mod:`.tolerance` rounding intervals; :mod:`.rules` the rule registry;
- :mod:`.relations` in-section checks; :mod:`.crosscheck` between sections; :mod:`.perfcheck`;
- :mod:`.engine` the pipeline; :mod:`.report` text/JSON/xlsx; :mod:`.command` the CLI entry.
"""
