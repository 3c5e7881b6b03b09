"""Equality harness for the audit engine: the same texts give the same findings.

    PYTHONPATH=src python bench/audit_equal.py OUT.json CORPUS_DIR [SYNTH_DIR ...]

For every synthetic department's data file (``*.json`` in each SYNTH_DIR, e.g. written by
``juesuan synth``) it audits the generated document's text as is, with ASCII punctuation and CR LF
line ends, and with thousands separators and spaced units (no format given); and every .txt/.html/
.docx/.pdf under CORPUS_DIR (e.g. tests/data/audit_corpus).  It writes every finding, skip and
section as JSON: run it with two versions of the code and ``cmp`` the files.
"""
import sys, json
from pathlib import Path
from juesuan.audit.engine import audit_loaded, audit
from juesuan.audit.load import Loaded
from juesuan.data_file import read_data
from juesuan.narrate import narrative
from juesuan.export.plain import document_text
from juesuan.errors import InputError
out = {}
def rec(name, fn):
    try:
        r = fn()
        out[name] = [f.to_json() for f in r.findings] + [repr(s) for s in r.skipped] + [repr(x) for x in r.sections]
    except InputError as e:
        out[name] = "InputError " + str(e)
for d in sys.argv[3:]:
    for p in sorted(Path(d).glob('*.json')):
        b = read_data(p)
        t = document_text(b, narrative(b))
        rec(p.parent.name + p.name, lambda: audit_loaded(Loaded("x", t, "txt"), b.format.id))
        # variants: full-width/ASCII punctuation, thousands separators, CR LF, spaces
        v = t.replace("，", ",").replace("：", ":").replace("\n", "\r\n")
        rec(p.parent.name + p.name + "-v", lambda: audit_loaded(Loaded("x", v, "txt"), b.format.id))
        import re
        w = re.sub(r"(\d)(\d{3})\.", r"\1,\2.", t).replace("万元", " 万元")
        rec(p.parent.name + p.name + "-w", lambda: audit_loaded(Loaded("x", w, "txt"), None))
for p in sorted(Path(sys.argv[2]).rglob('*')):
    if p.suffix in ('.txt', '.html', '.docx', '.pdf'):
        rec(str(p), lambda: audit(p))
Path(sys.argv[1]).write_text(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str))
print(len(out))
