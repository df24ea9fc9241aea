"""The Settings dialog on a set-up commune: profile, hamlets, backups and restore, through the widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs import settings_dialog
from khuyenhoc_desktop.ui.dialogs.settings_dialog import NameDialog, SettingsDialog, format_size
from tests.conftest import HAMLETS, MessageLog, commune_profile
from tests.gui_helpers import type_text


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog(qtbot: QtBot, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def answer_names(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names the officer types into the name dialog, in order (None: pressed «Hủy»)."""
    answers: list[str | None] = []
    monkeypatch.setattr(settings_dialog, "ask_name", lambda *_args: answers.pop(0))
    return answers


def hamlet_names(workspace: Workspace) -> list[str]:
    return [h.name for h in profile_service.list_hamlets(workspace)]


def select_hamlet(dialog: SettingsDialog, name: str) -> None:
    rows = [dialog.hamlet_list.item(i) for i in range(dialog.hamlet_list.count())]
    dialog.hamlet_list.setCurrentItem(next(item for item in rows if item.text().startswith(name)))


def add_household(workspace: Workspace, code: str, hamlet_index: int = 0) -> str:
    hamlet_id = profile_service.list_hamlets(workspace)[hamlet_index].id
    return household_service.create_household(workspace, HouseholdInput(code, "Trần Văn Bảy", hamlet_id))


def test_every_tab_and_button_speaks_vietnamese(dialog: SettingsDialog) -> None:
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Thông tin đơn vị", "Ấp, thôn, khu phố", "Sao lưu", "Khóa ký"]
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert buttons == {
        "Lưu", "Thêm", "Đổi tên", "Xóa", "Sao lưu ngay", "Khôi phục từ bản sao lưu…", "Đóng",
        "Lưu khóa công khai…", "In phiếu đăng ký khóa…", "Sao lưu khóa (có mật khẩu)…",
        "Khôi phục khóa từ bản sao lưu…", "Đổi khóa ký…",
    }  # fmt: skip
    headers = [dialog.backup_table.horizontalHeaderItem(i).text() for i in range(3)]
    assert headers == ["Thời gian", "Loại", "Dung lượng"]


def test_opens_with_the_stored_profile(dialog: SettingsDialog, workspace: Workspace) -> None:
    assert dialog.form.value() == profile_service.profile_input(workspace)
    assert dialog.form.province.currentText() == "Tây Ninh"
    assert dialog.form.commune.currentText() == "Xã Phước Vĩnh Tây"


def test_signer_name_edited_and_saved(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    dialog.form.signer_name.clear()
    type_text(dialog.form.signer_name, "Phạm Thị Hồng Đào")
    with qtbot.waitSignal(dialog.profile_changed):
        click(qtbot, dialog.save_button)

    assert profile_service.profile_input(workspace).signer_name == "Phạm Thị Hồng Đào"
    assert workspace.profile is not None and workspace.profile.signer_name == "Phạm Thị Hồng Đào"
    assert messages.texts == ["Đã lưu thông tin đơn vị."]


def test_blank_signer_name_is_refused_in_the_form(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    dialog.form.signer_name.clear()
    with qtbot.assertNotEmitted(dialog.profile_changed):
        click(qtbot, dialog.save_button)

    shown = [label.text() for label in dialog.form.findChildren(settings_dialog.QLabel) if label.isVisible()]
    assert any("chưa nhập họ tên người ký" in text for text in shown)
    assert dialog.focusWidget() is dialog.form.signer_name
    assert profile_service.profile_input(workspace) == commune_profile()
    assert messages.texts == []


def test_hamlets_listed_with_their_households(dialog: SettingsDialog, workspace: Workspace) -> None:
    add_household(workspace, "PVT-001", hamlet_index=1)
    dialog.reload()
    rows = [dialog.hamlet_list.item(i).text() for i in range(dialog.hamlet_list.count())]
    assert rows == ["Ấp Vĩnh Thạnh — 0 hộ", "Ấp Phước Lợi — 1 hộ", "Ấp Đông Điền — 0 hộ"]
    assert not dialog.rename_hamlet_button.isEnabled()
    assert not dialog.remove_hamlet_button.isEnabled()


def test_add_a_hamlet(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, answer_names: list[str | None]
) -> None:
    answer_names.append("Ấp Mỹ Lợi")
    with qtbot.waitSignal(dialog.profile_changed):
        click(qtbot, dialog.add_hamlet_button)
    assert hamlet_names(workspace) == [*HAMLETS, "Ấp Mỹ Lợi"]
    assert dialog.hamlet_list.count() == 4
    assert dialog.hamlet_list.currentItem().text() == "Ấp Mỹ Lợi — 0 hộ"


def test_add_cancelled_changes_nothing(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, answer_names: list[str | None]
) -> None:
    answer_names.append(None)
    with qtbot.assertNotEmitted(dialog.profile_changed):
        click(qtbot, dialog.add_hamlet_button)
    assert hamlet_names(workspace) == HAMLETS


def test_a_hamlet_differing_only_by_accents_is_refused(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog, answer_names: list[str | None]
) -> None:
    answer_names.append("ap vinh thanh")
    click(qtbot, dialog.add_hamlet_button)
    assert len(messages.texts) == 1
    assert "trùng với ấp «Ấp Vĩnh Thạnh»" in messages.texts[0]
    assert hamlet_names(workspace) == HAMLETS


def test_rename_a_hamlet(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, answer_names: list[str | None]
) -> None:
    select_hamlet(dialog, "Ấp Phước Lợi")
    answer_names.append("Ấp Phước Lợi A")
    with qtbot.waitSignal(dialog.profile_changed):
        click(qtbot, dialog.rename_hamlet_button)
    assert hamlet_names(workspace) == ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi A", "Ấp Đông Điền"]
    assert dialog.hamlet_list.currentItem().text() == "Ấp Phước Lợi A — 0 hộ"


def test_remove_an_empty_hamlet(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    select_hamlet(dialog, "Ấp Đông Điền")
    messages.answers = [0]
    click(qtbot, dialog.remove_hamlet_button)
    assert "Xóa «Ấp Đông Điền»" in messages.texts[0]
    assert hamlet_names(workspace) == HAMLETS[:2]
    assert dialog.hamlet_list.count() == 2


def test_remove_cancelled_keeps_the_hamlet(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    select_hamlet(dialog, "Ấp Đông Điền")
    messages.answers = [1]
    click(qtbot, dialog.remove_hamlet_button)
    assert hamlet_names(workspace) == HAMLETS


def test_a_hamlet_with_households_is_not_removed(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    add_household(workspace, "PVT-001")
    dialog.reload()
    select_hamlet(dialog, "Ấp Vĩnh Thạnh")
    messages.answers = [0]
    with qtbot.assertNotEmitted(dialog.profile_changed):
        click(qtbot, dialog.remove_hamlet_button)
    assert "còn 1 hộ" in messages.texts[-1]
    assert hamlet_names(workspace) == HAMLETS


def test_name_dialog_has_vietnamese_buttons_and_needs_a_name(qtbot: QtBot) -> None:
    dialog = NameDialog("Thêm ấp", "Tên ấp mới:")
    qtbot.addWidget(dialog)
    dialog.show()
    assert [b.text() for b in dialog.findChildren(QPushButton)] == ["Đồng ý", "Hủy"]
    assert not dialog.ok_button.isEnabled()

    type_text(dialog.edit, "Ấp Mỹ Lợi")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.edit.text() == "Ấp Mỹ Lợi"


def test_back_up_now_writes_a_file_and_lists_it(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    assert dialog.backup_table.rowCount() == 0
    click(qtbot, dialog.backup_button)

    (made,) = backup_service.backups(workspace)
    assert made.path.is_file() and made.reason == "thu-cong"
    assert dialog.backup_table.rowCount() == 1
    assert dialog.backup_table.item(0, 0).text() == made.created.strftime("%d/%m/%Y %H:%M")
    assert dialog.backup_table.item(0, 1).text() == "Sao lưu thủ công"
    assert dialog.backup_table.item(0, 2).text().endswith("KB")
    assert str(made.path) in messages.texts[0]
    assert dialog.tabs.isEnabled()


def test_restore_round_trip(qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog) -> None:
    household_id = add_household(workspace, "PVT-001")
    click(qtbot, dialog.backup_button)
    household_service.delete_household(workspace, household_id)
    assert household_service.list_households(workspace) == []

    dialog.backup_table.selectRow(0)
    messages.answers = [0]
    with qtbot.waitSignal(dialog.restored):
        click(qtbot, dialog.restore_button)

    assert [h.code for h in household_service.list_households(workspace)] == ["PVT-001"]
    reasons = [b.reason for b in backup_service.backups(workspace)]
    assert "truoc-khoi-phuc" in reasons
    confirm = messages.texts[1]
    assert "sẽ được sao lưu trước" in confirm
    assert "Đã khôi phục" in messages.texts[2]
    assert dialog.backup_table.rowCount() == 2  # the list now shows the safety backup too
    assert dialog.hamlet_list.item(0).text() == "Ấp Vĩnh Thạnh — 1 hộ"


def test_restore_cancelled_at_the_question_changes_nothing(
    qtbot: QtBot, dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    click(qtbot, dialog.backup_button)
    add_household(workspace, "PVT-001")
    dialog.backup_table.selectRow(0)
    messages.answers = [1]
    with qtbot.assertNotEmitted(dialog.restored):
        click(qtbot, dialog.restore_button)
    assert len(household_service.list_households(workspace)) == 1
    assert [b.reason for b in backup_service.backups(workspace)] == ["thu-cong"]


def test_restore_from_a_file_that_is_not_a_backup_is_refused(
    qtbot: QtBot,
    dialog: SettingsDialog,
    workspace: Workspace,
    messages: MessageLog,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    add_household(workspace, "PVT-001")
    bogus = tmp_path / "khuyenhoc-usb.sqlite"
    bogus.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    asked: list[str] = []

    def pick_file(_parent: QWidget, title: str, *_args: object) -> tuple[str, str]:
        asked.append(title)
        return str(bogus), ""

    monkeypatch.setattr(settings_dialog.QFileDialog, "getOpenFileName", pick_file)
    messages.answers = [0]
    with qtbot.assertNotEmitted(dialog.restored):
        click(qtbot, dialog.restore_button)

    assert asked == ["Chọn bản sao lưu để khôi phục"]
    assert "tệp khuyenhoc-usb.sqlite" in messages.texts[0]
    assert "không phải bản sao lưu" in messages.texts[1]
    assert len(household_service.list_households(workspace)) == 1
    assert dialog.tabs.isEnabled() and dialog.close_button.isEnabled()


@pytest.mark.parametrize(("size", "text"), [(200, "1 KB"), (98_304, "96 KB"), (5_452_595, "5,2 MB")])
def test_backup_sizes_read_the_vietnamese_way(size: int, text: str) -> None:
    assert format_size(size) == text
