"""Which inputs a re-run can skip: a key per data file, kept in ``OUT/.batch-state.json``.

The key is the SHA-256 of the data file's bytes, the juesuan version, the template files and
whether the narrative is written — everything the output depends on.  An input is skipped when
its key equals the stored one and

- it succeeded (status ok or errors) and its workbook is still there, or
- it failed because of its content (an InputError while reading, deriving, narrating or
  rendering): the same bytes fail the same way, so the failure is reported again from the state.

Other failures (the output was open in Excel, an internal error) are retried.  ``--force``
skips nothing.  Each outcome is journaled as it arrives; the state file is written atomically
after every batch (see :class:`State`).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import juesuan
from juesuan.batch.job import Outcome
from juesuan.workbook_file import write_atomic

STATE_FILE = ".batch-state.json"
JOURNAL_FILE = ".batch-state.journal"
SCHEMA = 1


@lru_cache(maxsize=None)
def environment_digest(narrate: bool) -> str:
    """What besides the input decides the output: juesuan's version and every format's template."""
    from juesuan.formats import FORMATS
    from juesuan.templates import template_path

    h = hashlib.sha256(f"juesuan {juesuan.__version__} narrate={narrate}".encode())
    for format_id in sorted(FORMATS):
        h.update(format_id.encode())
        h.update(template_path(format_id).read_bytes())
    return h.hexdigest()


def input_key(content: bytes, narrate: bool, balance: bool = False, export: bool = False) -> str:
    options = b"\0balance" if balance else b""  # 舍位平衡 asked for by the command line
    options += b"\0export" if export else b""  # Word and PDF written too
    return hashlib.sha256(environment_digest(narrate).encode() + options + b"\0" + content).hexdigest()


class State:
    """The outcome of each input at its last run, by input name.

    Every outcome is also appended to a journal (``OUT/.batch-state.journal``, one JSON line,
    flushed) the moment it is recorded, so a batch killed midway (kill -9, a power cut) loses no
    finished department: :meth:`load` replays the journal over the state file, ignoring a line
    torn by the kill, and :meth:`save` folds it in.  JSON is written ASCII-escaped, so any name or
    text (an unpaired surrogate from a file name that is not UTF-8) round-trips.
    """

    def __init__(self, path: Path, entries: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = path
        self.entries = entries or {}
        self._journal: TextIO | None = None

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(JOURNAL_FILE)

    @classmethod
    def load(cls, out_dir: Path) -> "State":
        path = out_dir / STATE_FILE
        state = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") == SCHEMA and isinstance(data.get("entries"), dict):
                state.entries = data["entries"]
        except (OSError, ValueError):
            pass  # no state or a damaged one: redo everything
        try:
            lines = state.journal_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = json.loads(line)
                state.entries[entry["name"]] = {"key": entry["key"], "outcome": entry["outcome"]}
            except (ValueError, KeyError, TypeError):
                continue  # the line a kill cut short
        return state

    def reusable(self, name: str, key: str) -> Outcome | None:
        """The stored outcome when ``name`` with ``key`` need not be redone."""
        entry = self.entries.get(name)
        if not entry or entry.get("key") != key:
            return None
        try:
            outcome = Outcome(**entry["outcome"])
        except (TypeError, KeyError):
            return None
        if outcome.export and (outcome.export != "ok" or not (outcome.pdf and Path(outcome.pdf).exists())):
            return None  # its Word or PDF failed or is gone: redo
        if outcome.status in ("ok", "errors") and outcome.output and Path(outcome.output).exists():
            return outcome
        if outcome.status == "failed" and outcome.input_error:
            return outcome
        return None

    def record(self, outcome: Outcome) -> None:
        entry = {"key": outcome.key, "outcome": {**outcome.to_json(), "skipped": False}}
        self.entries[outcome.name] = entry
        try:
            if self._journal is None:
                self._journal = open(self.journal_path, "a", encoding="ascii")
            self._journal.write(json.dumps({"name": outcome.name, **entry}) + "\n")
            self._journal.flush()
        except OSError:
            pass  # the journal only saves work after a kill; the state file is still written at the end

    def keep_only(self, names: set[str]) -> None:
        self.entries = {n: e for n, e in self.entries.items() if n in names}

    def save(self) -> None:
        text = json.dumps({"schema": SCHEMA, "entries": self.entries}, indent=1)
        write_atomic(self.path, lambda tmp: tmp.write_text(text, encoding="ascii"))
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        try:
            self.journal_path.unlink()
        except OSError:
            pass
