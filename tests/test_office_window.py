"""A consolidating office's main window: its own pages, built when first shown, and no commune registers."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.services.demo_office import create_demo_office
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.main_window import MainWindow

OFFICE_PAGES = [
    "Tình hình nhận gói",
    "Nhận gói số liệu",
    "Số liệu các xã, phường",
    "Trùng giữa các xã",
    "Báo cáo tổng hợp",
    "Xã, phường và khóa ký",
    "Đơn vị",
    "Đăng ký, chấm điểm, công nhận",
    "Mô hình, giấy khen",
]


def test_office_window_shows_the_office_pages_each_built_with_the_received_data(qtbot: QtBot, tmp_path: Path) -> None:
    create_demo_office(tmp_path / "tinh", communes=2, households=20)
    workspace = Workspace.open(tmp_path / "tinh")
    try:
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        window.show()
        titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
        assert titles == OFFICE_PAGES
        assert window.households is None and window.recycle_bin is None
        menus = [action.text() for action in window.menuBar().actions()]
        assert "&Hộ gia đình" not in menus
        file_menu = window.menuBar().actions()[0].menu()
        assert "Xuất gói số liệu năm…" not in [action.text() for action in file_menu.actions()]
        assert "Kiểm tra gói số liệu…" in [action.text() for action in file_menu.actions()]
        for title in OFFICE_PAGES:
            window.show_page(title)
            page = dict(window.pages)[title]
            assert window.stack.currentWidget() is page and page.isVisible(), title
        assert [title for title, _ in window.pages] == OFFICE_PAGES
    finally:
        workspace.close(backup=False)
