"""The models and commendations page driven through its real widgets: a commendation to a person picked
from the households register as the name is typed, a model to a collective, the filters, a refused form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from khuyenhoc_desktop.domain.honours import HonourInput, HonourKind, HonourLevel, RecipientKind
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.services import honours
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.honour_dialog import HonourDialog
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from khuyenhoc_desktop.ui.views.honours_view import HonoursModel, HonoursView
from khuyenhoc_desktop.ui.widgets import NOT_IN_REGISTER
from tests.gui_helpers import Handler, drive_dialogs, focused, open_main_window, press, shown_page, type_text

HONOURS = "Mô hình, giấy khen"


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, RecordFormDialog)


@pytest.fixture
def window(qtbot, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_main_window(qtbot, workspace, monkeypatch, (HONOURS, HonoursView))


def page(window: MainWindow) -> HonoursView:
    return shown_page(window, HONOURS, HonoursView)


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def shown(view: HonoursView, column: int = HonoursModel.COL_RECIPIENT) -> list[str]:
    return [view.model.index(i, column).data() for i in range(view.model.rowCount())]


def add_household(workspace: Workspace) -> str:
    """Two people named alike in Ấp Phước Lợi: the suggestion list tells them apart by birth year."""
    household = household_service.create_household(
        workspace, HouseholdInput("00012", "Nguyễn Văn An", hamlet_id(workspace, "Ấp Phước Lợi"))
    )
    household_service.add_member(workspace, household, MemberInput("Nguyễn Thị Bích", 1980, "nu", "vo_chong"))
    return household_service.add_member(workspace, household, MemberInput("Nguyễn Thị Bích Ngọc", 2008, "nu", "con"))


def test_a_commendation_to_a_person_picked_from_the_register_by_keyboard(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    daughter = add_household(workspace)
    view = page(window)
    seen: dict[str, object] = {}

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, HonourDialog)
        assert focused() is dialog.kind and dialog.kind.currentData() == HonourKind.COMMENDATION
        press(focused(), Qt.Key.Key_Return)  # → đối tượng
        press(focused(), Qt.Key.Key_Down)  # Cá nhân
        press(focused(), Qt.Key.Key_Return)  # → tên
        assert focused() is dialog.recipient
        type_text(focused(), "nguyen thi bich")  # no accents
        popup = dialog.completer.popup()
        assert popup.isVisible()
        seen["suggestions"] = [
            dialog.completer.completionModel().index(i, 0).data() for i in range(dialog.completer.completionCount())
        ]
        press(popup, Qt.Key.Key_Down)
        press(popup, Qt.Key.Key_Down)  # the daughter
        press(popup, Qt.Key.Key_Return)  # chosen: only the name goes in the box
        assert dialog.recipient.text() == "Nguyễn Thị Bích Ngọc"
        seen["info"] = dialog.member_info.text()
        assert dialog.hamlet.currentText() == "Ấp Phước Lợi"  # filled from the register
        press(focused(), Qt.Key.Key_Return)  # → ấp
        press(focused(), Qt.Key.Key_Return)  # → cấp khen
        assert dialog.level.currentData() == HonourLevel.COMMUNE
        assert dialog.issuer.text() == "Hội Khuyến học xã Phước Vĩnh Tây"  # the commune's own, filled in
        press(focused(), Qt.Key.Key_Return)  # → cơ quan khen
        press(focused(), Qt.Key.Key_Return)  # → số quyết định
        type_text(focused(), "12/QĐ-KH")
        press(focused(), Qt.Key.Key_Return)  # → ngày khen
        type_text(focused(), "05092025")
        press(focused(), Qt.Key.Key_Return)  # → nội dung
        type_text(focused(), "Học sinh nghèo vượt khó học giỏi")
        press(focused(), Qt.Key.Key_Return)  # saves

    dialogs.append(fill)
    view.table.setFocus()
    press(view.table, Qt.Key.Key_Insert)

    assert not dialogs
    assert seen["suggestions"] == [
        "Nguyễn Thị Bích (1980) — hộ 00012, Ấp Phước Lợi",
        "Nguyễn Thị Bích Ngọc (2008) — hộ 00012, Ấp Phước Lợi",
    ]
    assert seen["info"] == "Trong sổ hộ: Nguyễn Thị Bích Ngọc (2008) — hộ 00012, Ấp Phước Lợi"
    row = view.current()
    assert row is not None
    assert (
        row.kind_label, row.recipient_kind_label, row.recipient, row.member_id, row.hamlet_name,
        row.level_label, row.issuer, row.decision_no, row.honoured_on, row.content,
    ) == (
        "Giấy khen", "Cá nhân", "Nguyễn Thị Bích Ngọc", daughter, "Ấp Phước Lợi", "Cấp xã",
        "Hội Khuyến học xã Phước Vĩnh Tây", "12/QĐ-KH", date(2025, 9, 5), "Học sinh nghèo vượt khó học giỏi",
    )  # fmt: skip
    assert window.undo_action.text() == "Hoàn tác: Thêm giấy khen «Nguyễn Thị Bích Ngọc»"
    assert view.counts_label.text() == (
        "Mô hình học tập tiêu biểu: 0 (0 tập thể, 0 cá nhân); giấy khen: 1 (0 tập thể, 1 cá nhân)"
    )


def test_a_model_to_a_typed_collective_then_filters_by_year_and_kind(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], qtmodeltester
) -> None:
    honours.create_honour(
        workspace,
        HonourInput(
            kind=HonourKind.COMMENDATION, recipient_kind=RecipientKind.PERSON, recipient="Trần Văn Bảy",
            level=HonourLevel.COMMUNE, honoured_on=date(2025, 6, 2),
        ),
    )  # fmt: skip
    view = page(window)
    view.reload()
    assert view.year_filter.currentText() == "2025"

    def fill(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, HonourDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData(HonourKind.MODEL))
        dialog.recipient_kind.setCurrentIndex(dialog.recipient_kind.findData(RecipientKind.COLLECTIVE))
        assert dialog.recipient.completer() is None and not dialog.member_info.isVisibleTo(dialog)
        dialog.recipient.setFocus()
        type_text(focused(), "Chi hội khuyến học ấp Vĩnh Thạnh")
        press(focused(), Qt.Key.Key_Return)  # → ấp
        press(focused(), Qt.Key.Key_Down)  # Ấp Vĩnh Thạnh
        press(focused(), Qt.Key.Key_Return)  # → cấp khen
        press(focused(), Qt.Key.Key_Down)
        press(focused(), Qt.Key.Key_Down)  # Cấp tỉnh
        assert dialog.issuer.text() == "Hội Khuyến học tỉnh Tây Ninh"  # follows the level until typed over
        press(focused(), Qt.Key.Key_Return)
        press(focused(), Qt.Key.Key_Return)  # → số quyết định
        type_text(focused(), "45/QĐ-HKH")
        press(focused(), Qt.Key.Key_Return)  # → ngày khen
        type_text(focused(), "20112023")  # an earlier year: the list widens to show it
        press(focused(), Qt.Key.Key_Return)
        press(focused(), Qt.Key.Key_Return)  # saves

    dialogs.append(fill)
    view.add_button.click()

    assert not dialogs
    assert view.year_filter.currentText() == "2023"
    row = view.current()
    assert row is not None
    assert (row.kind_label, row.recipient_kind_label, row.recipient, row.hamlet_name, row.level_label) == (
        "Mô hình học tập tiêu biểu", "Tập thể", "Chi hội khuyến học ấp Vĩnh Thạnh", "Ấp Vĩnh Thạnh", "Cấp tỉnh",
    )  # fmt: skip
    assert [view.year_filter.itemText(i) for i in range(view.year_filter.count())] == ["Tất cả các năm", "2025", "2023"]

    view.year_filter.setCurrentIndex(0)  # Tất cả các năm
    qtmodeltester.check(view.model)
    assert shown(view) == ["Chi hội khuyến học ấp Vĩnh Thạnh", "Trần Văn Bảy"]  # by date
    view.kind_filter.setCurrentIndex(view.kind_filter.findData(HonourKind.COMMENDATION))
    assert shown(view) == ["Trần Văn Bảy"]
    assert view.counts_label.text().endswith("giấy khen: 1 (0 tập thể, 1 cá nhân)")
    view.kind_filter.setCurrentIndex(0)
    view.focus_search()
    type_text(view.search, "vinh thanh tinh")  # hamlet and level, no accents
    assert shown(view) == ["Chi hội khuyến học ấp Vĩnh Thạnh"]
    assert view.count_label.text() == "Tìm thấy 1 / 2 mô hình, giấy khen"


def test_a_validation_message_is_shown_in_the_honour_form_and_nothing_is_written(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler]
) -> None:
    add_household(workspace)
    before = workspace.history.undo_label
    view = page(window)
    seen: list[tuple[str, bool]] = []

    def attempt(dialog: RecordFormDialog) -> None:
        assert isinstance(dialog, HonourDialog)
        dialog.recipient_kind.setCurrentIndex(dialog.recipient_kind.findData(RecipientKind.PERSON))
        dialog.save_button.click()  # no name
        seen.append((dialog.error.text(), focused() is dialog.recipient))
        dialog.recipient.setFocus()
        type_text(dialog.recipient, "Lê Văn Tám")  # nobody in the register: typed
        assert dialog.member_info.text() == NOT_IN_REGISTER
        dialog.honoured_on.setDate(dialog.honoured_on.date().addYears(2))  # after today
        dialog.save_button.click()
        seen.append((dialog.error.text(), focused() is dialog.honoured_on))
        assert dialog.isVisible()
        dialog.reject()

    dialogs.append(attempt)
    view.add_button.click()

    assert seen[0] == ("Giấy khen mới — ô «Người / tập thể được khen»: chưa nhập họ tên người được khen.", True)
    assert seen[1][0].startswith("Giấy khen «Lê Văn Tám» — ô «Ngày khen»: ngày ")
    assert "nằm ngoài khoảng cho phép" in seen[1][0] and seen[1][1] is True
    assert honours.list_honours(workspace) == []
    assert workspace.history.undo_label == before  # no new step
