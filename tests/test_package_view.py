"""The Tệp menu's package actions: export with a progress dialog, check a package, the export history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services import packages
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs.package_dialogs import ExportHistoryDialog, VerifyResultDialog
from khuyenhoc_desktop.ui.main_window import MainWindow
from tests.gui_helpers import Handler, drive_dialogs, open_main_window


@pytest.fixture
def window(qtbot, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return open_main_window(qtbot, workspace, monkeypatch)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Handler]:
    return drive_dialogs(monkeypatch, VerifyResultDialog, ExportHistoryDialog)


def test_export_suggests_the_name_writes_the_package_and_says_where(
    window: MainWindow, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    offered: list[str] = []

    def save(_parent: object, _title: str, suggested: str, _filters: str) -> tuple[str, str]:
        offered.append(Path(suggested).name)
        return str(tmp_path / Path(suggested).name), "Gói số liệu (*.zip)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    window.export_package_action.trigger()

    assert offered == ["khuyenhoc-28201-2025-lan-01.zip"]
    package = tmp_path / "khuyenhoc-28201-2025-lan-01.zip"
    assert packages.verify_package(package).manifest.sequence == 1
    assert messages.texts[-1].startswith(f"Đã xuất gói số liệu năm 2025, lần 1, vào:\n{package}")
    assert keys.fingerprint(keys.public_raw(workspace.data_dir)) in messages.texts[-1]
    assert window.export_package_action.isEnabled()


def test_export_cancelled_from_the_file_dialog_writes_nothing(
    window: MainWindow, workspace: Workspace, messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    window.export_package_action.trigger()
    assert packages.list_exports(workspace) == [] and messages.texts == []


def test_verify_shows_signer_fingerprint_period_and_rows(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = packages.export_package(workspace, 2025, tmp_path).path
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(package), ""))
    seen: dict[str, object] = {}

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, VerifyResultDialog)
        seen.update(verdict=dialog.verdict.text(), fields=dict(dialog.fields))
        dialog.reject()

    dialogs.append(read)
    window.verify_package_action.trigger()
    fields = seen["fields"]
    assert isinstance(fields, dict)
    assert str(seen["verdict"]).startswith("Gói số liệu hợp lệ")
    assert fields["Đơn vị gửi"] == "Xã Phước Vĩnh Tây (mã 28201), Tây Ninh"
    assert fields["Dấu vân tay khóa ký"] == keys.fingerprint(keys.public_raw(workspace.data_dir))
    assert fields["Kỳ số liệu"] == "năm 2025, lần xuất thứ 1"
    assert fields["Số dòng «Ấp»"] == "3"


def test_a_key_change_is_shown_on_export_and_on_check(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], messages, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    old = keys.fingerprint(keys.public_raw(workspace.data_dir))
    new = key_service.rotate_key(workspace).fingerprint
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "goi.zip"), ""))
    window.export_package_action.trigger()
    assert f"Dấu vân tay khóa ký: {old}" in messages.texts[-1]
    assert f"Từ nay máy này ký bằng khóa mới: {new}" in messages.texts[-1]

    seen: dict[str, str] = {}
    dialogs.append(lambda dialog: seen.update(dialog.fields))  # type: ignore[attr-defined]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(tmp_path / "goi.zip"), ""))
    window.verify_package_action.trigger()
    assert seen["Dấu vân tay khóa ký"] == old and seen["Khóa ký mới báo trong gói"] == new


def test_verify_shows_a_refusal_in_red(
    window: MainWindow, dialogs: list[Handler], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "goi-hong.zip"
    bad.write_bytes(b"PK\x03\x04 cut short")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(bad), ""))
    seen: list[tuple[str, str]] = []
    dialogs.append(lambda d: seen.append((d.verdict.text(), d.verdict.styleSheet())) or d.reject())  # type: ignore[attr-defined]
    window.verify_package_action.trigger()
    text, style = seen[0]
    assert "Gói số liệu goi-hong.zip bị từ chối: không phải gói số liệu" in text
    assert "#c00000" in style


def test_history_lists_every_export(
    window: MainWindow, workspace: Workspace, dialogs: list[Handler], tmp_path: Path, qtmodeltester
) -> None:
    packages.export_package(workspace, 2025, tmp_path)
    packages.export_package(workspace, 2025, tmp_path)
    seen: list[list[str]] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportHistoryDialog)
        model = dialog.model
        qtmodeltester.check(model)
        seen.extend(
            [str(model.index(row, col).data()) for col in range(model.columnCount())] for row in range(model.rowCount())
        )
        dialog.reject()

    dialogs.append(read)
    window.export_history_action.trigger()
    assert sorted(row[3] for row in seen) == ["khuyenhoc-28201-2025-lan-01.zip", "khuyenhoc-28201-2025-lan-02.zip"]
    assert {row[0] for row in seen} == {"2025"}
