"""A converter process for :mod:`juesuan.batch.pdfpool`: Word → PDF through a running LibreOffice.

Run by the Python that has LibreOffice's UNO bridge (Debian: ``/usr/bin/python3`` with
``python3-uno``), not necessarily the one juesuan runs in, so it imports nothing of juesuan::

    /usr/bin/python3 uno_convert.py PIPE-NAME CONNECT-SECONDS

It connects to the LibreOffice listening on the named pipe (``soffice --accept=pipe,name=…``),
says ``{"ready": true}`` on stdout, then for every line ``{"docx": …, "pdf": …}`` on stdin loads
the document hidden, stores it with the ``writer_pdf_Export`` filter (what ``soffice --convert-to
pdf`` does) and answers ``{"ok": true}`` or ``{"error": "…"}``.  End of input: it asks LibreOffice
to quit and exits.  The pool owns the time limit: a conversion that does not answer in time gets
both processes killed.
"""

from __future__ import annotations

import json
import sys
import time


def _props(**values):  # type: ignore[no-untyped-def]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe: str, seconds: float):  # type: ignore[no-untyped-def]
    """LibreOffice's desktop, once its listener accepts (it takes a few seconds to start)."""
    import uno  # type: ignore[import-not-found]
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def convert(desktop, docx: str, pdf: str) -> None:  # type: ignore[no-untyped-def]
    import uno  # type: ignore[import-not-found]

    # the filter named: no type detection; NoFileSync: the pool checks the PDF whole and renames it itself
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0,
                                       _props(Hidden=True, ReadOnly=True, FilterName="MS Word 2007 XML"))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(pdf), _props(FilterName="writer_pdf_Export", NoFileSync=True))
    finally:
        doc.close(True)


def say(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    pipe, seconds = argv[1], float(argv[2])
    try:
        desktop = connect(pipe, seconds)
    except Exception as exc:  # noqa: BLE001 — any failure to connect is reported, the pool restarts
        say({"error": f"cannot connect to LibreOffice: {type(exc).__name__}: {exc}"})
        return 1
    say({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            convert(desktop, job["docx"], job["pdf"])
            say({"ok": True})
        except Exception as exc:  # noqa: BLE001 — a UNO failure (LibreOffice died, a bad file) is the answer
            say({"error": f"{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"})
    try:
        desktop.terminate()  # LibreOffice quits (the pool kills it if it does not)
    except Exception:  # noqa: BLE001 — it closes the connection as it goes
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
