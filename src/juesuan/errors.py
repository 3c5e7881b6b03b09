"""Errors a user can act on: one Chinese message with the English beside it, and where it happened.

Every error that reaches a user is an :class:`InputError` (the input could not be used, exit
status 2).  Its text names the file, sheet and cell (or the data key) so the user can go there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Location:
    """Where a problem is: a file, and inside it a sheet and cell, or a key path in a data file."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件 file「{self.file}」")
        if self.sheet:
            parts.append(f"工作表 sheet「{self.sheet}」")
        if self.cell:
            parts.append(f"单元格 cell {self.cell}")
        if self.key:
            parts.append(f"键 key「{self.key}」")
        return "，".join(parts)


class InputError(Exception):
    """The input cannot be used; ``zh`` and ``en`` say why, ``where`` says where. Exit status 2."""

    exit_status = 2

    def __init__(self, zh: str, en: str, where: Location | None = None, kind: str = "input") -> None:
        self.zh = zh
        self.en = en
        self.where = where or Location()
        self.kind = kind  # what went wrong: "value" (one cell), "code_row", "required", "structure", …
        super().__init__(self.message)

    @property
    def message(self) -> str:
        loc = str(self.where)
        head = f"{loc}：" if loc else ""
        return f"{head}{self.zh}（{self.en}）"

    def at(self, **kwargs: str | None) -> "InputError":
        """Return the same error with more location filled in (existing parts win)."""
        for name, value in kwargs.items():
            if value is not None and getattr(self.where, name) is None:
                setattr(self.where, name, value)
        self.args = (self.message,)
        return self


class FormatError(Exception):
    """A format declaration (tables, rules, templates) is inconsistent: a bug, found at load time."""
