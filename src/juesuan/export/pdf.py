"""Word → PDF through LibreOffice headless (:mod:`juesuan.lo`), with Chinese font stand-ins.

The conversion runs in a private LibreOffice profile (never the user's) whose font replacement
table maps the Chinese font names this machine lacks to installed stand-ins
(:func:`juesuan.export.fonts.missing_fonts`).  Without LibreOffice the export stops before
writing anything, with a bilingual :class:`~juesuan.errors.InputError` (exit status 2).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from juesuan import lo
from juesuan.errors import InputError
from juesuan.export.fonts import missing_fonts, substitution_registry

_PROFILE: Path | None = None
# A converter needs no checking as you type: LibreOffice otherwise spell- and grammar-checks every
# loaded document in the background (about a sixth of a disclosure's conversion CPU, measured).
NO_PROOFING = ('<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking"><prop oor:name="IsSpellAuto" '
               'oor:op="fuse"><value>false</value></prop></item>\n'
               '<item oor:path="/org.openoffice.Office.Linguistic/SpellChecking"><prop oor:name="IsAutoGrammarCheck" '
               'oor:op="fuse"><value>false</value></prop></item>\n')
# PDF export keeps each picture's own resolution, so a JPEG (the charts) is copied into the PDF as it is
# instead of being decoded and compressed again (about 0.07 s of LibreOffice's CPU per document).
KEEP_PICTURES = ('<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop '
                 'oor:name="ReduceImageResolution" oor:op="fuse"><value>false</value></prop></item>\n')


def require_libreoffice() -> str:
    """The LibreOffice program, or an InputError saying how to get the PDF anyway."""
    try:
        return lo.find_soffice()
    except InputError as exc:
        raise InputError(f"{exc.zh}。导出 PDF 需要 LibreOffice；也可以只导出 Word（去掉 --pdf），再用 Word 或 WPS "
                         "另存为 PDF", f"{exc.en}. The PDF needs LibreOffice; export Word only (without --pdf) "
                         "and save it as PDF from Word or WPS") from None


def profile() -> Path:
    """A LibreOffice profile for documents: lo's settings plus the font replacement table."""
    global _PROFILE
    if _PROFILE is None:
        root = make_document_profile(Path(tempfile.mkdtemp(prefix="juesuan-export-lo-")))
        _PROFILE = root
        atexit.register(shutil.rmtree, root, True)
    return _PROFILE


def make_document_profile(root: Path) -> Path:
    """Make in ``root`` a profile for documents (lo's settings, no proofing, pictures kept as they are
    in the PDF, the font replacement table)."""
    lo.make_profile(root)
    registry = root / "user" / "registrymodifications.xcu"
    text = registry.read_text(encoding="utf-8")
    pairs = missing_fonts()
    extra = NO_PROOFING + KEEP_PICTURES + (substitution_registry(pairs) if pairs else "")
    text = text.replace("</oor:items>", extra + "</oor:items>")
    registry.write_text(text, encoding="utf-8")
    return root


def docx_to_pdf(docx: str | Path, pdf: str | Path) -> Path:
    """Convert ``docx`` to ``pdf`` (replacing it only once the conversion succeeded)."""
    require_libreoffice()
    docx, pdf = Path(docx), Path(pdf)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".juesuan-pdf-", dir=pdf.parent) as tmp:
        staged = Path(tmp) / "document.docx"  # ASCII name: LibreOffice names the output by stem
        shutil.copyfile(docx, staged)
        try:
            (out,) = lo.convert([staged], Path(tmp) / "out", "pdf", profile_dir=profile())
        except InputError as exc:
            raise exc.at(file=str(pdf)) from None
        os.replace(out, pdf)
    return pdf


