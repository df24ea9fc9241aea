"""The office's report page driven offscreen: the table per commune with the total kept last however it is
sorted, who has not sent, the bar chart, the year choice, a reload after a package arrives, and the files."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import office, office_data
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import ReceivedPackage
from khuyenhoc_desktop.ui import save_path
from khuyenhoc_desktop.ui.views.office_report_view import BAR_COLOUR, OfficeReportView

YEAR = 2025
CAN_GIUOC, LONG_HUU, PHUOC_VINH_TAY = "28159", "28144", "28201"


def receive(workspace: Workspace, code: str, households: int, registered: int, recognised: int) -> None:
    """A commune's package as the merge keeps it: `households` families, the first `registered` of them
    registered in the year and the first `recognised` recognised by the year's decision."""

    def new_id() -> str:
        return str(uuid.uuid4())

    hamlet, decision = new_id(), new_id()
    homes = [new_id() for _ in range(households)]
    evaluations = {
        new_id(): {"title": Title.FAMILY.value, "year": YEAR, "subject_id": home,
                   "decision_id": decision if n < recognised else None}
        for n, home in enumerate(homes[:registered])
    }  # fmt: skip
    rows = {
        "hamlets": {hamlet: {"id": hamlet, "name": "Ấp Một", "position": 1}},
        "households": {home: {"id": home, "code": f"{n:05d}", "hamlet_id": hamlet} for n, home in enumerate(homes)},
        "decisions": {decision: {"id": decision, "title": Title.FAMILY.value, "year": YEAR, "number": "12/QĐ"}},
        "evaluations": {key: {"id": key, **record} for key, record in evaluations.items()},
    }
    with session_scope(workspace.engine) as session:
        package = ReceivedPackage(
            commune_code=code, period=str(YEAR), sequence=1, package_sha256=uuid.uuid4().hex, status="applied"
        )
        session.add(package)
        session.flush()
        office_data.replace_snapshot(session, code, str(YEAR), package.id, 1, rows)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Workspace]:
    """A cluster of three communes: Cần Giuộc 2 of 4 families recognised (3 registered), Phước Vĩnh Tây all
    5, Long Hựu has sent nothing. Total 7 of 9."""
    workspace = Workspace.open(tmp_path / "cum")
    office.init_office(workspace, "cum", "CUM-01", "Cụm xã phía Nam", [PHUOC_VINH_TAY, CAN_GIUOC, LONG_HUU])
    receive(workspace, CAN_GIUOC, households=4, registered=3, recognised=2)
    receive(workspace, PHUOC_VINH_TAY, households=5, registered=5, recognised=5)
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def page(qtbot, cluster: Workspace, messages) -> OfficeReportView:
    view = OfficeReportView(cluster)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitExposed(view)
    view.year_choice.setCurrentIndex(view.year_choice.findData(YEAR))
    return view


def column_of(view: OfficeReportView, header: str) -> int:
    return next(i for i, c in enumerate(view.model.COLUMNS) if c.header.replace("\n", " ") == header)


def shown(view: OfficeReportView, column: int) -> list[str]:
    return [str(view.model.data(view.model.index(r, column))) for r in range(view.model.rowCount())]


def bar_pixels(image: QImage) -> int:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    colour = bytes((BAR_COLOUR.red(), BAR_COLOUR.green(), BAR_COLOUR.blue()))
    data, stride = bytes(rgb.constBits()), rgb.bytesPerLine()
    return sum(data[row * stride : row * stride + rgb.width() * 3].count(colour) for row in range(rgb.height()))


def test_years_offered_are_the_working_year_and_those_received(cluster: Workspace, qtbot, messages) -> None:
    view = OfficeReportView(cluster)
    qtbot.addWidget(view)
    years = [view.year_choice.itemData(i) for i in range(view.year_choice.count())]
    assert years == sorted({cluster.working_year, YEAR}, reverse=True)
    assert view.year == cluster.working_year  # the officer's working year first


def test_table_shows_every_commune_and_the_total_with_denominators(page: OfficeReportView, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    assert page.heading.text() == "Báo cáo tổng hợp năm 2025 — Cụm xã phía Nam"
    assert shown(page, 0) == ["Xã Cần Giuộc", "Xã Long Hựu", "Xã Phước Vĩnh Tây", "TỔNG CỘNG"]
    packages = shown(page, 1)
    assert packages[0].startswith("Lần 1 (") and packages[1] == "Chưa gửi số liệu" and packages[3] == "2 gói"
    assert shown(page, column_of(page, "Gia đình Tổng số")) == ["4", "", "5", "9"]
    assert shown(page, column_of(page, "Gia đình Đăng ký")) == ["3", "", "5", "8"]
    assert shown(page, column_of(page, "Gia đình Tỷ lệ (trên tổng số hộ)")) == ["50,0%", "", "100,0%", "77,8%"]
    assert shown(page, column_of(page, "Dòng họ Tỷ lệ (trên số đăng ký)")) == ["—", "", "—", "—"]
    assert page.model.headerData(3, Qt.Orientation.Vertical) == ""  # the total is not numbered
    assert page.missing.text() == "Chưa gửi số liệu năm 2025: 1/3 xã, phường (Xã Long Hựu)."
    assert page.received.text().startswith("Tổng hợp từ số liệu của 2/3 xã, phường")


def test_sorting_keeps_the_total_last(page: OfficeReportView) -> None:
    rate = column_of(page, "Gia đình Tỷ lệ (trên tổng số hộ)")
    page.table.sortByColumn(rate, Qt.SortOrder.DescendingOrder)
    assert shown(page, 0) == ["Xã Phước Vĩnh Tây", "Xã Cần Giuộc", "Xã Long Hựu", "TỔNG CỘNG"]
    page.table.sortByColumn(rate, Qt.SortOrder.AscendingOrder)
    assert shown(page, 0) == ["Xã Long Hựu", "Xã Cần Giuộc", "Xã Phước Vĩnh Tây", "TỔNG CỘNG"]


def test_chart_has_a_bar_per_commune_that_sent(page: OfficeReportView) -> None:
    chart = page.chart
    assert chart.bars == [("Xã Cần Giuộc", 0.5, True), ("Xã Long Hựu", None, False), ("Xã Phước Vĩnh Tây", 1.0, True)]
    assert chart.average == pytest.approx(7 / 9)
    both = bar_pixels(chart.grab().toImage())
    assert both > 500
    chart.set_data([("Xã Cần Giuộc", 0.5, True)], None)
    assert 0 < bar_pixels(chart.grab().toImage()) < both * 0.6  # half a bar against a half and a whole one


def test_reload_after_a_package_arrives_keeps_the_year(page: OfficeReportView, cluster: Workspace) -> None:
    receive(cluster, LONG_HUU, households=2, registered=2, recognised=1)
    page.reload()
    assert page.year == YEAR
    assert shown(page, column_of(page, "Gia đình Tổng số")) == ["4", "2", "5", "11"]
    assert page.missing.text() == "Tất cả 3 xã, phường đã gửi số liệu năm 2025."
    assert page.chart.bars[1] == ("Xã Long Hựu", 0.5, True)


@pytest.mark.parametrize(
    ("button", "suffix", "magic"), [("excel_button", ".xlsx", b"PK"), ("pdf_button", ".pdf", b"%PDF")]
)
def test_page_saves_the_report_where_the_officer_chose(
    page: OfficeReportView, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, button: str, suffix: str,
    magic: bytes,
) -> None:  # fmt: skip
    asked: list[str] = []

    def save_name(_parent: object, title: str, suggested: str, _filters: str) -> tuple[str, str]:
        asked.append(title)
        assert Path(suggested).name == f"bao-cao-tong-hop-2025{suffix}"
        return str(tmp_path / "tong-hop"), ""  # the officer typed no extension

    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", save_name)
    getattr(page, button).click()
    written = tmp_path / f"tong-hop{suffix}"
    assert written.read_bytes().startswith(magic)
    assert asked == [f"Lưu báo cáo tổng hợp {'Excel' if suffix == '.xlsx' else 'PDF'}"]
    assert messages.shown[-1] == ("Đã xuất báo cáo", f"Đã ghi báo cáo tổng hợp năm 2025 vào:\n{written}")
    assert getattr(page, button).isEnabled()


def test_a_save_that_fails_is_told_in_vietnamese(page: OfficeReportView, messages, monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "khong-co" / "tong-hop.xlsx"
    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))
    page.excel_button.click()
    title, text = messages.shown[-1]
    assert title == "Không xuất được báo cáo" and str(target) in text
    assert page.excel_button.isEnabled()
