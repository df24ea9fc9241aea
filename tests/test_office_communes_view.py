"""The office's communes-and-keys page (issue 6): keys enrolled from the file or the paper sheet with the
fingerprint confirmed on screen, revoked after a confirmation, and communes marked as merged."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import merge, office, trust
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs import office_key_dialog
from khuyenhoc_desktop.ui.dialogs.office_key_dialog import NO_KEY, KeyEnrolDialog
from khuyenhoc_desktop.ui.dialogs.office_merge_dialog import MergedIntoDialog, OldCommuneDialog
from khuyenhoc_desktop.ui.views.office_communes_view import NO_KEY as NO_KEY_SHOWN
from khuyenhoc_desktop.ui.views.office_communes_view import OfficeCommunesView
from tests.conftest import MessageLog
from tests.gui_helpers import Handler, drive_dialogs, press, type_text
from tests.test_merge import export

COMMUNE = "28201"


@pytest.fixture
def key_file(workspace: Workspace, tmp_path: Path) -> Path:
    path = tmp_path / "xa.pub"
    keys.export_public(workspace.data_dir, path)
    return path


@pytest.fixture
def page(qtbot, office_ws: Workspace) -> OfficeCommunesView:
    view = OfficeCommunesView(office_ws)
    qtbot.addWidget(view)
    view.show()
    return view


def line_of(page: OfficeCommunesView, code: str) -> int:
    return page.model.find(lambda r: r.id == code)


def cell(page: OfficeCommunesView, code: str, column: int) -> str:
    return str(page.model.index(line_of(page, code), column).data())


def test_lists_the_office_communes_and_finds_one(qtbot, page: OfficeCommunesView, office_ws: Workspace) -> None:
    communes = office.list_communes(office_ws)
    assert page.model.total() == len(communes) > 90  # Tây Ninh after the 2025 merger
    assert cell(page, COMMUNE, 1) == "Xã Phước Vĩnh Tây" and cell(page, COMMUNE, 4) == NO_KEY_SHOWN
    type_text(page.search, "phuoc vinh tay")
    assert [r.id for r in page.model.rows()] == [COMMUNE]
    page.table.selectRow(0)
    assert page.enrol_button.isEnabled() and not page.revoke_button.isEnabled()


def test_enrol_from_the_key_file_confirming_the_fingerprint_on_screen(
    qtbot, page: OfficeCommunesView, office_ws: Workspace, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = keys.fingerprint(keys.read_public(key_file))
    monkeypatch.setattr(office_key_dialog.QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(key_file), ""))
    handlers: list[Handler] = drive_dialogs(monkeypatch, KeyEnrolDialog)
    seen: list[str] = []

    def confirm_on_screen(dialog: QDialog) -> None:
        assert isinstance(dialog, KeyEnrolDialog)
        assert dialog.fingerprint.text() == NO_KEY and not dialog.enrol_button.isEnabled()
        dialog.choose_button.click()
        seen.append(dialog.fingerprint.text())
        assert not dialog.enrol_button.isEnabled()  # shown, but not yet compared with the sheet
        dialog.matches.setChecked(True)
        dialog.enrol_button.click()

    handlers.append(confirm_on_screen)
    assert page.select(COMMUNE)
    with qtbot.waitSignal(page.changed):
        page.enrol_button.click()

    assert seen == [expected]
    (enrolled,) = trust.keys_of(office_ws, COMMUNE)
    assert (enrolled.fingerprint, enrolled.source) == (expected, trust.KeySource.KEY_FILE)
    assert cell(page, COMMUNE, 4) == expected and cell(page, COMMUNE, 3) == "1"
    assert page.revoke_button.isEnabled()


def test_enrol_typed_from_the_paper_sheet(
    qtbot, page: OfficeCommunesView, office_ws: Workspace, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = keys.read_public(key_file)
    fingerprint, keys_line = keys.fingerprint(public), base64.b64encode(public).decode("ascii")
    wrong = "AAAA" + fingerprint[4:]

    def no_file_picker(*_args: object, **_kwargs: object) -> tuple[str, str]:
        raise AssertionError("Enter in a field opened the file picker")

    monkeypatch.setattr(office_key_dialog.QFileDialog, "getOpenFileName", no_file_picker)
    handlers: list[Handler] = drive_dialogs(monkeypatch, KeyEnrolDialog)
    problems: list[str] = []

    def type_from_the_sheet(dialog: QDialog) -> None:
        assert isinstance(dialog, KeyEnrolDialog)
        dialog.key_text.setFocus()
        type_text(dialog.key_text, keys_line[:10])
        problems.append(dialog.problem.text())
        type_text(dialog.key_text, keys_line[10:])
        assert dialog.fingerprint.text() == fingerprint and dialog.problem.isHidden()
        type_text(dialog.typed, wrong.lower())
        dialog.enrol_button.click()
        problems.append(dialog.problem.text())
        assert dialog.isVisible() and trust.keys_of(office_ws) == []  # nothing enrolled on a mismatch
        dialog.typed.clear()
        type_text(dialog.typed, fingerprint.replace(" ", "").lower())
        press(dialog.typed, Qt.Key.Key_Return)

    handlers.append(type_from_the_sheet)
    page.select(COMMUNE)
    with qtbot.waitSignal(page.changed):
        page.enrol_button.click()

    assert "44 ký tự" in problems[0] and "không khớp" in problems[1]
    (enrolled,) = trust.keys_of(office_ws, COMMUNE)
    assert (enrolled.public, enrolled.source) == (public, trust.KeySource.PAPER_SHEET)


def test_revoke_after_confirmation(
    qtbot, page: OfficeCommunesView, office_ws: Workspace, key_file: Path, messages: MessageLog
) -> None:
    key = trust.enrol_key(office_ws, COMMUNE, keys.read_public(key_file), None, "tep_khoa")
    page.reload()
    page.select(COMMUNE)

    messages.answers = [1]  # "Hủy"
    page.revoke_button.click()
    assert key.fingerprint in messages.texts[-1] and "Xã Phước Vĩnh Tây" in messages.texts[-1]
    assert trust.keys_of(office_ws)[0].revoked_at is None

    messages.answers = [0]
    with qtbot.waitSignal(page.changed):
        page.revoke_button.click()
    assert trust.keys_of(office_ws)[0].revoked_at is not None
    assert cell(page, COMMUNE, 4) == NO_KEY_SHOWN and not page.revoke_button.isEnabled()


def test_record_a_merger_and_the_last_package(
    qtbot, page: OfficeCommunesView, office_ws: Workspace, workspace: Workspace, key_file: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    trust.enrol_key(office_ws, COMMUNE, keys.read_public(key_file), None, "tep_khoa")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    page.reload()
    assert cell(page, COMMUNE, 5).startswith("năm 2025, lần 1 — ")

    handlers: list[Handler] = drive_dialogs(monkeypatch, MergedIntoDialog)
    offered: list[int] = []

    def pick_an_tinh(dialog: QDialog) -> None:
        assert isinstance(dialog, MergedIntoDialog)
        offered.append(dialog.model.total())
        type_text(dialog.search, "an tinh")
        press(dialog.search, Qt.Key.Key_Return)

    handlers.append(pick_an_tinh)
    page.select(COMMUNE)
    with qtbot.waitSignal(page.changed):
        page.merge_button.click()

    assert offered == [page.model.total() - 1]  # every commune but itself
    merged = next(c for c in office.list_communes(office_ws) if c.code == COMMUNE)
    assert merged.merged_into_code == "25732"
    assert cell(page, COMMUNE, 2) == "Phường An Tịnh (25732)" and not page.merge_button.isEnabled()
    assert "1 đã sáp nhập" in page.count_label.text()


def test_an_old_commune_is_put_on_the_list_merged_into_a_new_one(
    qtbot, page: OfficeCommunesView, office_ws: Workspace, monkeypatch: pytest.MonkeyPatch, messages: MessageLog
) -> None:
    handlers: list[Handler] = drive_dialogs(monkeypatch, OldCommuneDialog)

    def type_a_2025_code_then_an_old_one(dialog: QDialog) -> None:
        assert isinstance(dialog, OldCommuneDialog)
        type_text(dialog.code, COMMUNE)  # already on the list: refused, the dialog stays open
        type_text(dialog.name, "Xã Phước Lại")
        dialog.into.setCurrentIndex(dialog.into.findData("25732"))
        dialog.accept()
        assert dialog.isVisible() and "đã có trong danh sách" in messages.texts[-1]
        dialog.code.clear()
        type_text(dialog.code, "27901")
        dialog.accept()

    handlers.append(type_a_2025_code_then_an_old_one)
    with qtbot.waitSignal(page.changed):
        page.old_button.click()

    added = next(c for c in office.list_communes(office_ws) if c.code == "27901")
    assert (added.name, added.merged_into_code) == ("Xã Phước Lại", "25732")
    current = page.current()
    assert current is not None and current.commune.code == "27901"
    assert cell(page, "27901", 2) == "Phường An Tịnh (25732)"
