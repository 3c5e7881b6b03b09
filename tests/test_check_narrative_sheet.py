"""check reads the narrative sheet the workbook holds (决算情况说明), the text that may be printed as it is.

A figure typed over by hand is reported at its row with the figure due (N-SHEET-FIGURE), a row
reworded by hand is audited as typed (N-SHEET-TEXT); a sheet written before the numbers changed is
stale (N-SHEET-STALE); a sheet as 生成说明 wrote it draws neither, and a hand edit that
only repeats what the generated text already says is not reported twice.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from juesuan.check import check_file
from juesuan.narrate_command import narrate_file

SHEET = "决算情况说明"
SHARE_ROW = re.compile(r"本年一般公共预算财政拨款收入[\d,.]+万元，占(\d+\.\d\d)%")


@pytest.fixture(scope="module")
def narrated(filled_reference: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("narrated") / "narrated.xlsx"
    narrate_file(filled_reference, out)
    return out


def edited(narrated: Path, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the narrated workbook with ``change(workbook)`` applied and saved (openpyxl)."""
    path = tmp_path / "edited.xlsx"
    shutil.copyfile(narrated, path)
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def type_share(share: str, note: str = ""):  # type: ignore[no-untyped-def]
    """Type ``share`` over the share of 一般公共预算财政拨款收入 in 二、收入决算情况说明 (row 63 of the
    reference), and ``note`` after the row (a row reworded: no longer the generated row's words)."""
    def change(wb) -> None:  # type: ignore[no-untyped-def]
        for (c,) in wb[SHEET].iter_rows(min_col=1, max_col=1):
            m = SHARE_ROW.search(c.value or "")
            if m:
                c.value = c.value[:m.start(1)] + share + c.value[m.end(1):] + note
                return
        raise AssertionError("the share sentence is not in the sheet")
    return change


def sheet_findings(path: Path) -> list:  # type: ignore[type-arg]
    return [f for f in check_file(path) if f.rule.startswith("N-SHEET")]


def test_the_sheet_as_narrate_wrote_it_draws_no_sheet_finding(narrated: Path) -> None:
    assert sheet_findings(narrated) == []


@pytest.mark.parametrize("share", ["99.89", "427.00"])
def test_a_figure_typed_over_by_hand_is_an_error_at_its_row_with_the_figure_due(narrated: Path, tmp_path: Path,
                                                                                share: str) -> None:
    """The row keeps the generated row's words: each figure that differs from the one the numbers give is
    reported (99.88 due), one hundredth off or 427.00, and the audit does not report the row again."""
    found = sheet_findings(edited(narrated, tmp_path, type_share(share)))
    assert [(f.rule, f.severity.value) for f in found] == [("N-SHEET-FIGURE", "error")]
    (f,) = found
    assert f.cells[0].sheet == SHEET and f.cells[0].cell == "A63", f.cells
    assert f"写 {share}，按当前数字应为 99.88" in f.message


@pytest.mark.parametrize("share,errors", [("99.88", 0), ("99.89", 1), ("427.00", 1)])
def test_a_reworded_row_is_audited_at_its_row(narrated: Path, tmp_path: Path, share: str, errors: int) -> None:
    """A row reworded by hand (a note added) is audited as typed: 3,038.13 of 3,041.67 is 99.88 %
    (99.878–99.889 from the printed figures), so 99.88 draws nothing, 99.89 (just outside) and 427.00
    an error at the row."""
    found = sheet_findings(edited(narrated, tmp_path, type_share(share, "（已核对）")))
    assert [f.rule for f in found if f.severity.value == "error"] == ["N-SHEET-TEXT"] * errors
    for f in found:
        assert f.cells[0].sheet == SHEET and f.cells[0].cell == "A63", f.cells
        assert "已手工修改" in f.message and share in f.message


def test_a_hand_edit_without_figures_repeats_nothing_the_generated_text_draws(narrated: Path, tmp_path: Path) -> None:
    """The reference's own N-REASON warning (十一 vs 八) comes from the generated text; a sheet edited
    elsewhere (a sentence added) does not report it again."""
    def add_sentence(wb) -> None:  # type: ignore[no-untyped-def]
        c = wb[SHEET]["A3"]
        c.value = (c.value or "") + "本部门将持续做好决算公开工作。"
    findings = check_file(edited(narrated, tmp_path, add_sentence))
    assert any(f.rule == "N-REASON" for f in findings)
    assert [f for f in findings if f.rule.startswith("N-SHEET")] == []


def test_a_sheet_written_before_the_numbers_changed_is_stale_at_its_first_differing_row(
        narrated: Path, tmp_path: Path) -> None:
    def change_income(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["上年决算"]
        ws["B5"] = (ws["B5"].value or 0) + 100  # last year's 收支总计: the comparison in 一 changes
    found = sheet_findings(edited(narrated, tmp_path, change_income))
    assert [f.rule for f in found] == ["N-SHEET-STALE"]
    (f,) = found
    row = int(f.cells[0].cell[1:])
    wb = openpyxl.load_workbook(narrated)
    assert str(wb[SHEET][f"A{row}"].value).strip()[:20] in f.message  # the row as printed, quoted
    assert "与上年决算相比" in str(wb[SHEET][f"A{row}"].value)  # the first row comparing with last year


@pytest.mark.parametrize("format_id", ["nmg-2023", "national-2023"])
def test_the_sheet_the_batch_writes_draws_no_sheet_finding(tmp_path: Path, format_id: str) -> None:
    """The batch writes its narrative sheet with its own fast writer: the same text and digest as
    生成说明, so checking its workbook finds the sheet neither stale nor edited."""
    import io

    from juesuan.batch.progress import Progress
    from juesuan.batch.runner import run_batch
    from juesuan.synth import write_synth

    write_synth(2, tmp_path / "in", seed=21, format_id=format_id)
    quiet = Progress(0, tmp_path / "batch.log", stream=io.StringIO(), tty=False)
    outcomes = run_batch(tmp_path / "in", tmp_path / "out", jobs=1, force=True, progress=quiet).outcomes
    for o in outcomes:
        assert o.output and SHEET in openpyxl.load_workbook(o.output, read_only=True).sheetnames
        assert sheet_findings(Path(o.output)) == []
