"""The office's tables page driven through its real widgets: choose a table and a commune, type to search,
click a header to sort (issue 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.profile import set_working_year
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import worker
from khuyenhoc_desktop.ui.views import office_tables_view
from khuyenhoc_desktop.ui.views.office_tables_view import OfficeTablesView
from tests.gui_helpers import type_text
from tests.test_office_browse import AN_TINH, PHUOC_VINH_TAY, fill, household, member, two_communes


@pytest.fixture
def office_ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "van-phong")
    office.init_office(workspace, "tinh", "80")
    set_working_year(workspace, 2025)
    two_communes(workspace)
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def view(qtbot, office_ws: Workspace, messages) -> OfficeTablesView:
    page = OfficeTablesView(office_ws)
    qtbot.addWidget(page)
    page.show()
    return page


def headers(view: OfficeTablesView) -> list[str]:
    model = view.model
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def shown(view: OfficeTablesView, header: str) -> list[str]:
    section = headers(view).index(header)
    return [view.model.index(row, section).data() for row in range(view.model.rowCount())]


def choose(combo, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def click_header(view: OfficeTablesView, header: str) -> None:
    bar = view.table.horizontalHeader()
    section = headers(view).index(header)
    QTest.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(bar.sectionViewportPosition(section) + 5, 5))


def test_every_communes_households_with_where_they_came_from(view: OfficeTablesView) -> None:
    assert view.heading.text() == "Số liệu các xã, phường gửi lên — năm 2025"
    assert view.sheet_choice.currentText() == "Hộ gia đình" and view.commune_choice.currentText() == "Tất cả xã, phường"
    assert headers(view) == [
        "Xã, phường", "Mã hộ", "Chủ hộ", "Ấp", "Địa chỉ", "Số nhân khẩu", "Điện thoại", "Ghi chú", "Lần gửi",
    ]  # fmt: skip
    assert shown(view, "Xã, phường") == ["Phường An Tịnh"] + ["Xã Phước Vĩnh Tây"] * 3  # sorted by commune
    assert shown(view, "Lần gửi") == ["1", "2", "2", "2"]
    assert view.count_label.text() == "4 hộ"
    assert shown(view, "Mã hộ")[1:] == ["00001", "00002", "00010"]  # a commune's rows keep its package's order


def test_typing_narrows_without_accents_and_the_commune_filter_too(view: OfficeTablesView) -> None:
    type_text(view.search, "nguyễn văn")
    assert shown(view, "Chủ hộ") == ["Nguyễn Văn Đức", "Nguyễn Văn Bình"]
    assert view.count_label.text() == "Tìm thấy 2 / 4 hộ"
    view.search.clear()
    type_text(view.search, "DANG")
    assert shown(view, "Chủ hộ") == ["Đặng Văn An"]
    view.search.clear()
    type_text(view.search, "điền")  # the address is searched too
    assert shown(view, "Chủ hộ") == ["Lê Thị Ân"]
    choose(view.commune_choice, PHUOC_VINH_TAY)
    assert shown(view, "Chủ hộ") == ["Lê Thị Ân"]
    choose(view.commune_choice, AN_TINH)
    assert shown(view, "Chủ hộ") == []
    view.search.clear()
    assert shown(view, "Chủ hộ") == ["Đặng Văn An"] and view.count_label.text() == "Tìm thấy 1 / 4 hộ"


def test_a_header_click_sorts_names_the_vietnamese_way_and_numbers_by_value(view: OfficeTablesView) -> None:
    click_header(view, "Chủ hộ")
    assert shown(view, "Chủ hộ") == ["Đặng Văn An", "Lê Thị Ân", "Nguyễn Văn Bình", "Nguyễn Văn Đức"]
    click_header(view, "Chủ hộ")
    assert shown(view, "Chủ hộ") == ["Nguyễn Văn Đức", "Nguyễn Văn Bình", "Lê Thị Ân", "Đặng Văn An"]
    click_header(view, "Số nhân khẩu")
    assert shown(view, "Số nhân khẩu") == ["1", "1", "3", "10"]


def test_other_tables_bring_their_own_columns_with_labels(view: OfficeTablesView) -> None:
    choose(view.sheet_choice, "members")
    assert headers(view) == [
        "Xã, phường", "Họ và tên", "Năm sinh", "Giới tính", "Quan hệ với chủ hộ", "Mã hộ", "Trường, lớp",
        "Tình trạng học tập", "Lần gửi",
    ]  # fmt: skip
    assert view.count_label.text() == "15 người"
    assert view.search.placeholderText() == "Tìm theo họ tên (gõ không dấu được) — Ctrl+F"
    type_text(view.search, "tran thi anh")
    assert shown(view, "Quan hệ với chủ hộ") == ["Vợ/Chồng"]
    assert shown(view, "Giới tính") == ["Nữ"]
    view.search.clear()
    choose(view.sheet_choice, "ledger")
    row = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert row[:7] == ["Xã Phước Vĩnh Tây", "15/03/2025", "Thu", "Quyên góp, ủng hộ", "PT-2025-001",
                       "Công ty Phước Thành", "1.500.000"]  # fmt: skip
    assert view.model.index(0, 6).data(Qt.ItemDataRole.TextAlignmentRole) is not None  # money to the right
    choose(view.sheet_choice, "citizens")
    assert view.model.rowCount() == 0 and view.count_label.text() == "Chưa có người nào trong số liệu năm 2025."


def test_read_only_and_a_sound_model(qtmodeltester, view: OfficeTablesView) -> None:
    qtmodeltester.check(view.model)
    index = view.model.index(0, 2)
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not view.model.setData(index, "Người khác")
    assert index.data() == "Đặng Văn An"


def test_a_table_too_large_for_all_communes_is_read_by_commune_or_by_search(
    qtbot, office_ws: Workspace, messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office_tables_view, "IN_MEMORY_ROWS", 10)
    monkeypatch.setattr(office_tables_view, "SEARCH_PAUSE_MS", 10)
    view = OfficeTablesView(office_ws)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 4  # four households: read whole

    choose(view.sheet_choice, "members")  # fifteen people: more than ten
    assert view.model.rowCount() == 0 and "Họ và tên" in headers(view)
    assert view.count_label.text() == (
        "15 người của mọi xã, phường: quá nhiều để hiện cùng lúc. Hãy chọn một xã, phường hoặc gõ để tìm."
    )
    type_text(view.search, "con")
    qtbot.waitUntil(lambda: view.model.rowCount() == 9)  # read once the typing pauses
    type_text(view.search, " 3")
    assert shown(view, "Họ và tên") == ["Nguyễn Văn Con 3"]  # narrowed in memory at once
    view.search.clear()
    type_text(view.search, "nguyen")  # twelve match: the first ten are shown
    qtbot.waitUntil(lambda: view.model.rowCount() == 10)
    assert view.count_label.text() == "Hiện 10 người đầu tiên khớp với tìm kiếm; gõ thêm để thu hẹp."
    view.search.clear()
    choose(view.commune_choice, AN_TINH)  # one commune is read whole
    assert shown(view, "Họ và tên") == ["Đặng Văn An"] and view.count_label.text() == "1 người"


class HeldPool:
    """Keeps the tasks it is given, to run them when the test says."""

    def __init__(self) -> None:
        self.tasks: list[worker.Task] = []

    def start(self, task: worker.Task) -> None:
        self.tasks.append(task)


def test_tables_are_read_on_the_worker_and_a_late_answer_is_dropped(
    qtbot, office_ws: Workspace, messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = HeldPool()
    monkeypatch.setattr(worker, "pool", lambda: pool)
    view = OfficeTablesView(office_ws)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0 and view.count_label.text() == "Đang đọc số liệu…"
    choose(view.sheet_choice, "members")  # asked for before the households have come back
    households, members = pool.tasks
    members.run()
    households.run()
    assert view.count_label.text() == "15 người" and "Họ và tên" in headers(view)


def test_reload_shows_a_package_received_since(view: OfficeTablesView, office_ws: Workspace) -> None:
    fill(
        office_ws,
        AN_TINH,
        2,
        {
            "households": [household("k1", "00001", "Khu phố 1"), household("k2", "00002", "Khu phố 2")],
            "members": [member("n2", "k2", "Võ Thị Mai", 1990, "nu", "chu_ho")],
        },
    )
    view.reload()
    assert view.count_label.text() == "5 hộ"
    choose(view.commune_choice, AN_TINH)
    assert shown(view, "Chủ hộ") == ["", "Võ Thị Mai"] and shown(view, "Lần gửi") == ["2", "2"]
