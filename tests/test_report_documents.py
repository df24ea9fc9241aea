"""The commune report as people get it: the workbook read back, the PDF's fonts, text and first page, the
`report` command, and the statistics page with its bar chart."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QImage, QTextDocument

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.documents.report_pdf import write_report_pdf
from khuyenhoc_desktop.documents.report_workbook import write_report_workbook
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.statistics import CommuneStatistics, HamletFigures, figures
from khuyenhoc_desktop.services.support_statistics import support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Decision, Evaluation, Household
from khuyenhoc_desktop.ui import save_path
from khuyenhoc_desktop.ui.views import statistics_view
from khuyenhoc_desktop.ui.views.statistics_view import BAR_COLOUR, StatisticsView
from tests.test_support_statistics import EXPECTED_LINES, add_year_of_support

PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
NEEDS_POPPLER = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="pdftoppm/pdftotext (Debian poppler-utils) missing: scripts/test installs them",
)


def _hamlet(hamlet_id: str, name: str, family: tuple[int, int, int], others: tuple[int, int, int]) -> HamletFigures:
    found = {title.value: figures(title.value, *others) for title in Title}
    found[Title.FAMILY] = figures(Title.FAMILY, *family)
    return HamletFigures(hamlet_id, name, found)


@pytest.fixture
def stats() -> CommuneStatistics:
    """Two hamlets, one named like a formula and typed decomposed (NFD), as a pasted name can arrive."""
    decomposed = unicodedata.normalize("NFD", "=Ấp Mới")
    hamlets = [
        _hamlet("a", "Ấp Vĩnh Thạnh", (1250, 1100, 1000), (4, 2, 1)),
        _hamlet("b", decomposed, (40, 30, 10), (0, 0, 0)),
    ]
    total = {title.value: figures(title.value, 5, 3, 1) for title in Title}
    total[Title.FAMILY] = figures(Title.FAMILY, 1290, 1130, 1010)
    return CommuneStatistics(
        commune_name="Xã Phước Vĩnh Tây",
        province_name="Tây Ninh",
        year=2025,
        hamlets=hamlets,
        total=total,
        generated_at=datetime(2025, 12, 5, 9, 30).astimezone(),
        association_name="Hội Khuyến học xã Phước Vĩnh Tây",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Tư",
    )


@pytest.fixture
def with_support(stats: CommuneStatistics, workspace: Workspace) -> CommuneStatistics:
    """The same figures with the year's support work of tests/test_support_statistics.py's hand-built data set."""
    add_year_of_support(workspace)
    return replace(stats, support=support_statistics(workspace, 2025))


# --- the workbook ---


def test_workbook_title_block_and_headers(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    write_report_workbook(stats, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Báo cáo", "Ghi chú"]
    sheet = book["Báo cáo"]
    assert sheet["A1"].value == "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"
    assert sheet["A2"].value == "Xã Phước Vĩnh Tây, Tỉnh Tây Ninh"
    assert sheet["A4"].value == "BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM 2025"
    assert sheet["A5"].value == "Phước Vĩnh Tây, ngày 05 tháng 12 năm 2025"
    assert sheet["A4"].font.bold
    assert [sheet.cell(7, c).value for c in (1, 2, 3, 7, 11, 15, 19)] == [
        "STT",
        "Ấp",
        "Gia đình học tập",
        "Dòng họ học tập",
        "Cộng đồng học tập cấp thôn, ấp, khu phố",
        "Đơn vị học tập",
        "Công dân học tập",
    ]
    assert "C7:F7" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(8, c).value for c in range(3, 11)] == [
        "Tổng số",
        "Đăng ký",
        "Công nhận",
        "Tỷ lệ (trên tổng số hộ)",
        "Tổng số",
        "Đăng ký",
        "Công nhận",
        "Tỷ lệ (trên số đăng ký)",
    ]
    assert sheet.cell(8, 14).value == "Tỷ lệ (trên tổng số ấp)"
    assert sheet.freeze_panes == "C9"  # the two header rows and the hamlet names stay in view
    assert sheet.column_dimensions["B"].width == 24
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["C"].width  # rates carry a longer header
    assert sheet.page_setup.orientation == "landscape"


def test_workbook_figures_formats_and_total(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    write_report_workbook(stats, path)
    sheet = load_workbook(path)["Báo cáo"]
    assert [sheet.cell(9, c).value for c in range(1, 7)] == [1, "Ấp Vĩnh Thạnh", 1250, 1100, 1000, 0.8]
    assert sheet["C9"].number_format == "#,##0"
    assert sheet["F9"].number_format == "0.0%"
    assert [sheet.cell(11, c).value for c in range(2, 7)] == ["Tổng cộng", 1290, 1130, 1010, pytest.approx(1010 / 1290)]
    assert sheet["B11"].font.bold and sheet["C11"].font.bold
    assert sheet["J10"].value == "—"  # clans in the second hamlet: nothing registered, so no rate
    assert sheet.max_row == 11


def test_workbook_keeps_formula_like_names_as_text(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    write_report_workbook(stats, path)
    sheet = load_workbook(path)["Báo cáo"]
    assert sheet["B10"].value == "=Ấp Mới"  # NFC, exactly as typed
    assert sheet["B10"].data_type == "s"
    assert sheet["B10"].quotePrefix
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_workbook_notes_explain_the_denominators(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    write_report_workbook(stats, path)
    notes = "\n".join(str(c.value) for c in load_workbook(path)["Ghi chú"]["A"] if c.value)
    assert "cách tính các số liệu năm 2025" in notes
    assert "tỷ lệ tính trên tổng số hộ" in notes
    assert "dòng tổng toàn xã tính mỗi dòng họ một lần" in notes
    assert "tổng số là số người đăng ký" in notes
    assert "05/12/2025" in notes


def test_workbook_support_sheet_has_a_line_and_a_number_per_figure(
    with_support: CommuneStatistics, tmp_path: Path
) -> None:
    path = tmp_path / "bao-cao.xlsx"
    write_report_workbook(with_support, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Báo cáo", "Khuyến học, hoạt động", "Ghi chú"]
    sheet = book["Khuyến học, hoạt động"]
    assert sheet["A1"].value == "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"
    assert sheet["A4"].value == "II. CÔNG TÁC KHUYẾN HỌC, KHUYẾN TÀI VÀ HOẠT ĐỘNG HỌC TẬP NĂM 2025"
    assert [c.value for c in sheet[7]] == ["STT", "Nội dung", "Số liệu", "Đơn vị tính", "Diễn giải"]
    rows = list(sheet.iter_rows(min_row=8, values_only=True))
    # Every line of the report, in its order: the label, then what follows it.
    assert [f"{'- ' if number is None else ''}{label}: {reading}" for number, label, _n, _u, reading in rows] == (
        EXPECTED_LINES
    )
    assert rows[0] == (1, "Vận động học bổng, quà", 7_000_000, "đồng", EXPECTED_LINES[0].split(": ", 1)[1])
    assert rows[3][:4] == (2, "Số suất học bổng, quà", 4, "suất")
    assert [row[0] for row in rows if row[0] is not None] == [1, 2, 3, 4, 5, 6, 7]
    assert sheet["C8"].number_format == "#,##0" and sheet["B8"].font.bold
    assert sheet["B9"].alignment.indent == 2 and not sheet["B9"].font.bold  # a breakdown, under its line
    assert sheet.freeze_panes == "A8"


# --- the PDF ---


def _dark_share(png: Path) -> float:
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert not image.isNull()
    data = bytes(image.constBits())
    return sum(1 for value in data if value < 128) / len(data)


def test_pdf_embeds_its_fonts_and_is_landscape_a4(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.pdf"
    write_report_pdf(stats, path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content  # TrueType embedded, not just named
    assert b"LiberationSerif" in content and b"LiberationSerif-Bold" in content
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content


@NEEDS_POPPLER
def test_pdf_text_is_vietnamese_and_nfc(stats: CommuneStatistics, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.pdf"
    write_report_pdf(stats, path)
    done = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    text = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
    for expected in (
        "UBND XÃ PHƯỚC VĨNH TÂY",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phước Vĩnh Tây, ngày 05 tháng 12 năm 2025",
        "BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM 2025",
        "Ấp Vĩnh Thạnh",
        "=Ấp Mới",
        "1.250",
        "80,0%",
        "TM. HỘI KHUYẾN HỌC",
        "CHỦ TỊCH",
        "Nguyễn Văn Tư",
        "Tỷ lệ gia đình học tập được công nhận theo ấp",
    ):
        assert expected in text, expected


@NEEDS_POPPLER
def test_pdf_second_part_prints_every_support_line_before_the_signature(
    with_support: CommuneStatistics, tmp_path: Path
) -> None:
    path = tmp_path / "bao-cao.pdf"
    write_report_pdf(with_support, path)
    done = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60)
    text = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    part_one = lines.index("I. KẾT QUẢ XÂY DỰNG CÁC DANH HIỆU HỌC TẬP")
    part_two = lines.index("II. CÔNG TÁC KHUYẾN HỌC, KHUYẾN TÀI VÀ HOẠT ĐỘNG HỌC TẬP")
    signer = next(i for i, line in enumerate(lines) if "TM. HỘI KHUYẾN HỌC" in line)
    assert part_one < part_two < signer
    printed = lines[part_two + 1 : signer]
    headlines = [line for line in EXPECTED_LINES if not line.startswith("- ")]
    numbered = iter(range(1, len(headlines) + 1))
    assert [line for line in printed if line and not line.isdigit()] == [  # page numbers aside
        line if line.startswith("- ") else f"{next(numbered)}. {line}" for line in EXPECTED_LINES
    ]


@NEEDS_POPPLER
@pytest.mark.parametrize("with_part_two", [False, True])
def test_pdf_first_page_renders(
    stats: CommuneStatistics, with_support: CommuneStatistics, tmp_path: Path, with_part_two: bool
) -> None:
    path = tmp_path / "bao-cao.pdf"
    write_report_pdf(with_support if with_part_two else stats, path)
    subprocess.run(
        [PDFTOPPM, "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "trang")],
        check=True,
        timeout=60,
    )
    (page,) = tmp_path.glob("trang*.png")
    image = QImage(str(page))
    assert image.width() > image.height()  # landscape
    assert 0.005 < _dark_share(page) < 0.5  # text and table lines, on a white page


# --- data in a workspace, for the command and the page ---


def _seed(workspace: Workspace) -> None:
    """Ấp Vĩnh Thạnh: 2 households, both registered, one recognised; Ấp Phước Lợi: 1, recognised;
    Ấp Đông Điền: none. Families: 50 %, 100 %, no rate; commune 2 of 3 households = 66,7 %."""
    a, b, _ = (h.id for h in list_hamlets(workspace))
    decision = Decision(
        title=Title.FAMILY, year=2025, number="12/QĐ-UBND", signed_on="2025-12-10", signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Tư",
    )  # fmt: skip
    households = [Household(code=f"0000{i}", hamlet_id=hamlet) for i, hamlet in enumerate([a, a, b], 1)]
    evaluations = [
        Evaluation(title=Title.FAMILY, year=2025, subject_id=h.id, registered_on="2025-03-01", decision_id=decided)
        for h, decided in zip(households, [decision.id, None, decision.id], strict=True)
    ]
    with session_scope(workspace.engine) as session:
        session.add_all([decision, *households, *evaluations])


def test_report_command_writes_both_formats(workspace: Workspace, data_dir: Path, tmp_path: Path, capsys) -> None:
    _seed(workspace)
    workbook, pdf = tmp_path / "bao-cao.xlsx", tmp_path / "Bao Cao.PDF"
    assert main(["report", "--data-dir", str(data_dir), "--out", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert f"Đã ghi báo cáo năm 2025 (3 ấp) vào {workbook}" in out
    family = next(line for line in out.splitlines() if line.startswith("Gia đình học tập"))
    assert family.split() == ["Gia", "đình", "học", "tập", "3", "3", "2", "66,7%", "(trên", "tổng", "số", "hộ)"]
    sheet = load_workbook(workbook)["Báo cáo"]
    assert [sheet.cell(r, 6).value for r in (9, 10, 11, 12)] == [0.5, 1.0, "—", pytest.approx(2 / 3)]

    assert main(["report", "--data-dir", str(data_dir), "--year", "2024", "--out", str(pdf)]) == 0
    assert "Đã ghi báo cáo năm 2024" in capsys.readouterr().out
    assert pdf.read_bytes().startswith(b"%PDF")


def test_report_command_refuses_other_extensions(workspace: Workspace, data_dir: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "bao-cao.csv"
    assert main(["report", "--data-dir", str(data_dir), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "«bao-cao.csv»" in err and ".xlsx" in err and ".pdf" in err
    assert not target.exists()


# --- the page ---


def _bar_pixels(image: QImage) -> int:
    """How many pixels are painted in exactly the bars' colour."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    colour = bytes((BAR_COLOUR.red(), BAR_COLOUR.green(), BAR_COLOUR.blue()))
    data = bytes(rgb.constBits())
    stride = rgb.bytesPerLine()
    return sum(
        data[row * stride : row * stride + rgb.width() * 3].count(colour) for row in range(rgb.height())
    )  # fmt: skip


@pytest.fixture
def page(qtbot, workspace: Workspace, messages) -> StatisticsView:
    _seed(workspace)
    add_year_of_support(workspace)
    view = StatisticsView(workspace)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def _shown(view: StatisticsView, row: int, header_start: str) -> str:
    model = view.model
    column = next(i for i, c in enumerate(model.COLUMNS) if c.header.replace("\n", " ").startswith(header_start))
    return str(model.data(model.index(row, column)))


def test_page_shows_the_figures_with_denominators(page: StatisticsView, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    assert "năm 2025" in page.heading.text() and "Xã Phước Vĩnh Tây" in page.heading.text()
    names = [str(page.model.data(page.model.index(r, 0))) for r in range(page.model.rowCount())]
    assert names == ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền", "Tổng cộng"]
    assert [_shown(page, r, "Gia đình Tỷ lệ (trên tổng số hộ)") for r in range(4)] == ["50,0%", "100,0%", "—", "66,7%"]
    assert _shown(page, 3, "Gia đình Đăng ký") == "3"
    assert _shown(page, 3, "Dòng họ Tỷ lệ (trên số đăng ký)") == "—"
    assert _shown(page, 3, "Cộng đồng Tổng số") == "3"
    total_font = page.model.data(page.model.index(3, 0), 6)  # Qt.FontRole
    assert total_font.bold()
    assert page.model.headerData(3, statistics_view.Qt.Orientation.Vertical) == ""


def test_page_shows_the_support_lines_under_the_table(page: StatisticsView) -> None:
    assert page.support_box.title() == "Công tác khuyến học, khuyến tài và hoạt động học tập năm 2025"
    shown = QTextDocument()
    shown.setHtml(page.support_text.text())
    lines = [line.replace("– ", "- ") for line in shown.toPlainText().splitlines() if line]
    assert lines == EXPECTED_LINES
    assert page.support_text.isVisible()
    panel = page.support_box.mapTo(page, page.support_box.rect().topLeft())
    table = page.table.mapTo(page, page.table.rect().bottomLeft())
    assert panel.y() > table.y()  # under the table, beside the chart


def test_chart_paints_one_bar_per_hamlet_for_the_chosen_title(page: StatisticsView) -> None:
    chart = page.chart
    assert chart.bars == [("Ấp Vĩnh Thạnh", 0.5), ("Ấp Phước Lợi", 1.0), ("Ấp Đông Điền", None)]
    assert chart.average == pytest.approx(2 / 3)
    families = _bar_pixels(chart.grab().toImage())
    assert families > 500

    page.title_choice.setCurrentIndex(list(Title).index(Title.COMMUNITY))
    assert "Cộng đồng học tập" in chart.title and "trên tổng số ấp" in chart.title
    assert chart.bars == [("Ấp Vĩnh Thạnh", 0.0), ("Ấp Phước Lợi", 0.0), ("Ấp Đông Điền", 0.0)]
    assert _bar_pixels(chart.grab().toImage()) == 0  # nothing recognised: no bar drawn


@pytest.mark.parametrize(
    ("button", "suffix", "magic"), [("excel_button", ".xlsx", b"PK"), ("pdf_button", ".pdf", b"%PDF")]
)
def test_page_exports_where_the_officer_chose(
    page: StatisticsView, messages, monkeypatch, tmp_path: Path, button: str, suffix: str, magic: bytes
) -> None:
    asked: list[str] = []

    def save_name(_parent: object, caption: str, suggested: str, _filters: str) -> tuple[str, str]:
        asked.append(caption)
        assert suggested.endswith(f"bao-cao-mo-hinh-hoc-tap-2025{suffix}")
        return str(tmp_path / "bao-cao"), ""  # typed without the extension

    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", save_name)
    getattr(page, button).click()
    written = tmp_path / f"bao-cao{suffix}"
    assert written.read_bytes().startswith(magic)
    assert asked == [f"Lưu báo cáo {'Excel' if suffix == '.xlsx' else 'PDF'}"]
    assert messages.shown[-1] == ("Đã xuất báo cáo", f"Đã ghi báo cáo năm 2025 vào:\n{written}")
    assert getattr(page, button).isEnabled()


def test_page_export_failure_is_told_in_vietnamese(page: StatisticsView, messages, monkeypatch, tmp_path: Path) -> None:
    missing = tmp_path / "khong-co" / "bao-cao.xlsx"
    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", lambda *_args: (str(missing), ""))
    page.excel_button.click()
    title, text = messages.shown[-1]
    assert title == "Không xuất được báo cáo"
    assert str(missing) in text and "Excel" in text
    assert page.excel_button.isEnabled()


def test_page_export_cancelled_writes_nothing(page: StatisticsView, messages, monkeypatch) -> None:
    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", lambda *_args: ("", ""))
    page.pdf_button.click()
    assert messages.shown == []
