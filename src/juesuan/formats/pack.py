"""What a format pack is: everything one disclosure format means, in one folder.

A format (a region and year's 部门决算公开 layout, e.g. ``nmg-2023``) lives in
``src/juesuan/formats/<package>/``.  The engines (fill, check, narrate, export, audit, batch,
the ribbon) are handed a :class:`FormatPack` and import no concrete format; the registry
(:mod:`juesuan.formats`) finds a pack by id (:func:`~juesuan.formats.get_pack`) or recognises it
in a workbook or data file (:func:`~juesuan.formats.detect_pack`).

The folder holds, each as a module of the package (loaded when first asked for)::

    __init__.py   build() -> spec.Format: tables, rows, columns, derivations, code lists
    pack.py       PACK = FormatPack(...)          (this declaration: names, cells, charts, files)
    rules.py      RULES = check.registry.RuleSet(...)   check rules: ids, severities, messages, runs
    narrative.py  OUTLINE = narrate.outline.NarrativeOutline(...)  parts, sections, templates, metrics
    export.py     OUTLINE = export.outline.ExportOutline(...)      cover, tables part, 绩效 tables
    audit.py      OUTLINE = audit.sections.AuditOutline(...)       the section kinds a text should have
    synth.py      department(rng, index, missing) -> data dict     synthetic departments

plus its files: the template workbook (``workbook_templates/<id>.xlsx``, built by ``juesuan
build-templates``), the data-file JSON Schema (``formats/<id>.schema.json``, built likewise) and
reference case(s) (data files, and the published text they were reconstructed from).

Example::

    pack = get_pack("nmg-2023")
    pack.format.table("表1").title     → "收入支出决算总表"
    pack.rules.get("X13").severity      → Severity.ERROR
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module, resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from juesuan.errors import FormatError
from juesuan.expr import Key

if TYPE_CHECKING:
    from juesuan.spec import Format

STAMP_NAME = "_juesuan_format"  # the workbook-level defined name `new` writes: ="<format id>"


@dataclass(frozen=True)
class ChartSpec:
    """A pie chart of the narrative (图1 收入, 图2 支出): its slices are cells of a table.

    ``amounts`` are the cells plotted, in order; each slice's label is the row's label cell
    (``labels="row"``) or the column's header cell (``labels="header"``) of the same table, so
    the chart follows the workbook when a label is edited.  ``id`` is the figure id the
    narrative's ``@figure <id> <caption>`` lines use.
    """

    id: str
    table: str
    amounts: tuple[Key, ...]
    labels: Literal["row", "header"]


@dataclass(frozen=True)
class Reference:
    """A reference case: a data file of the pack and, when known, the published text it was
    reconstructed from (resource names inside ``package``)."""

    data: str
    package: str = "juesuan.reference"
    source_text: str | None = None

    def data_path(self) -> Path:
        return Path(str(resources.files(self.package).joinpath(self.data)))

    def source_path(self) -> Path | None:
        if self.source_text is None:
            return None
        return Path(str(resources.files(self.package).joinpath(self.source_text)))


@dataclass(frozen=True, eq=False)
class FormatPack:
    """One format: its id and name, where its parts are, and the few cells every engine needs.

    ``department`` and ``year`` are the input cells holding the department's name and the
    year (the cover, the narrative's title, the batch summary read them).  ``charts`` are the
    narrative's pie charts.  ``titles`` (optional) are extra sheet titles that identify a
    workbook typed from the official template (the tables' own titles always count).
    """

    id: str
    name: str
    package: str  # the Python package of the folder, e.g. "juesuan.formats.nmg_2023"
    department: Key
    year: Key
    charts: tuple[ChartSpec, ...] = ()
    references: tuple[Reference, ...] = ()
    titles: tuple[str, ...] = ()
    parts: dict[str, str] = field(default_factory=dict)  # part name → module, when not <package>.<name>

    # ── the parts, loaded on first use ───────────────────────────────────────────────────
    def part(self, name: str) -> ModuleType:
        """The module of part ``name`` (rules, narrative, export, audit, synth)."""
        module = self.parts.get(name, f"{self.package}.{name}")
        try:
            return import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            raise FormatError(f"format {self.id} has no {name} part ({module})") from None

    def _attr(self, part: str, name: str) -> Any:
        module = self.part(part)
        try:
            return getattr(module, name)
        except AttributeError:
            raise FormatError(f"format {self.id}: {module.__name__} does not define {name}") from None

    @cached_property
    def format(self) -> "Format":
        """The format's tables (built and validated once)."""
        from juesuan.formats import load_format

        return load_format(self.id)

    @property
    def rules(self) -> Any:
        """The check rules: a :class:`juesuan.check.registry.RuleSet`."""
        return self._attr("rules", "RULES")

    @property
    def narrative(self) -> Any:
        """The narrative outline: a :class:`juesuan.narrate.outline.NarrativeOutline`."""
        return self._attr("narrative", "OUTLINE")

    @property
    def export(self) -> Any:
        """The export outline: a :class:`juesuan.export.outline.ExportOutline`."""
        return self._attr("export", "OUTLINE")

    @property
    def audit(self) -> Any:
        """The audit outline: a :class:`juesuan.audit.sections.AuditOutline`."""
        return self._attr("audit", "OUTLINE")

    @property
    def synth(self) -> ModuleType:
        """The synthetic-department generator: ``department(rng, index, missing) -> dict``."""
        return self.part("synth")

    # ── files ────────────────────────────────────────────────────────────────────────────
    @property
    def template_path(self) -> Path:
        from juesuan.templates import template_path

        return template_path(self.id)

    @property
    def schema_path(self) -> Path:
        return Path(__file__).parent / f"{self.id}.schema.json"

    def chart(self, figure: str) -> ChartSpec:
        for c in self.charts:
            if c.id == figure:
                return c
        raise FormatError(f"format {self.id}: no chart {figure!r}")

    def identifying_titles(self) -> set[str]:
        """Sheet names and table titles that mark a workbook of this format (public tables)."""
        out = set(self.titles)
        for t in self.format.public_tables:
            out.update({t.sheet, t.title})
        return out

    def __repr__(self) -> str:
        return f"FormatPack({self.id!r})"
