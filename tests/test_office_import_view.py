"""The office's import page (issue 6): packages dragged in from the file manager are checked and reviewed, listed
with their verdicts or refusals, shown register by register, taken in as one batch, forks decided, and the
reconciliation minute printed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTreeWidgetItem

from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import merge, trust
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from khuyenhoc_desktop.ui.dialogs.office_fork_dialog import ForkDecisionDialog
from khuyenhoc_desktop.ui.views import office_import_view
from khuyenhoc_desktop.ui.views.office_import_view import APPLIED, FORK_HELD, REFUSED, OfficeImportView
from tests.conftest import HAMLETS, MessageLog, commune_profile
from tests.gui_helpers import Handler, drive_dialogs, type_text
from tests.pdf_helpers import NEEDS_POPPLER, pdf_text
from tests.test_merge import add_household, enrolled, export, query, statuses
from tests.test_merge_decisions import make_fork

__all__ = ["enrolled"]  # fixtures defined beside the tests they were written for, which pytest finds here by name

AN_TINH = "25732"


@pytest.fixture
def second_commune(tmp_path: Path, office_ws: Workspace) -> Iterator[Workspace]:
    """Phường An Tịnh, with its key enrolled at the office."""
    other = Workspace.open(tmp_path / "an-tinh")
    profile_service.set_up(
        other, commune_profile(commune_code=AN_TINH, association_name="Hội Khuyến học phường An Tịnh"), HAMLETS
    )
    key_file = tmp_path / "an-tinh.pub"
    keys.export_public(other.data_dir, key_file)
    trust.enrol_key(office_ws, AN_TINH, keys.read_public(key_file), None, "tep_khoa")
    yield other
    other.close(backup=False)


@pytest.fixture
def page(qtbot, office_ws: Workspace) -> OfficeImportView:
    view = OfficeImportView(office_ws)
    qtbot.addWidget(view)
    view.show()
    return view


def mime_with(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drop(page: OfficeImportView, paths: list[Path]) -> None:
    """As the file manager does: the drag enters the page, then the files are let go over it."""
    mime = mime_with(paths)
    centre = page.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted()
    let_go = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(page, let_go)
    assert let_go.isAccepted()


def row_of(page: OfficeImportView, path: Path) -> office_import_view.PackageRow:
    return page.model.row_at(page.model.find(lambda r: r.path == path.resolve()))


def register(page: OfficeImportView, name: str) -> QTreeWidgetItem:
    found = page.tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    assert len(found) == 1, [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    return found[0]


def children(item: QTreeWidgetItem) -> list[str]:
    return [item.child(i).text(0) for i in range(item.childCount())]


def test_dropped_packages_are_checked_then_taken_in_as_one_batch(
    qtbot, page: OfficeImportView, office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey,
    second_commune: Workspace, tmp_path: Path, messages: MessageLog,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    ours = export(workspace, tmp_path / "goi-xa")
    theirs = export(second_commune, tmp_path / "goi-phuong")
    stranger = tmp_path / "la.zip"
    stranger.write_bytes(b"khong phai goi")
    note = tmp_path / "ghi-chu.txt"
    note.write_text("thư kèm theo", encoding="utf-8")

    drop(page, [ours, theirs, stranger, note])

    assert page.model.rowCount() == 3  # the note is no package
    first = row_of(page, ours)
    assert first.review is not None and first.review.commune_name == "Xã Phước Vĩnh Tây"
    assert first.verdict_text == merge.VERDICT_LABELS[merge.FIRST] and not first.outcome
    refused = row_of(page, stranger)
    assert refused.verdict_text == REFUSED and "la.zip" in refused.notes
    assert query(office_ws, "SELECT status FROM received_package") == [("refused",)]  # only the refusal written
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(0,)]

    page.select(ours)
    assert first.review.fingerprint in page.details.text()
    households = register(page, "Hộ gia đình")
    assert [households.text(c) for c in range(1, 5)] == ["1", "0", "0", "0"]
    (new_group,) = [households.child(i) for i in range(households.childCount())]
    assert new_group.text(0) == "Mới (1)" and children(new_group) == ["Hộ 00001, Ấp Vĩnh Thạnh"]

    messages.answers = [0]
    with qtbot.waitSignal(page.changed):
        page.apply_button.click()
    assert "Nhận 2 gói" in messages.texts[-1]
    assert query(office_ws, "SELECT commune_code, count(*) FROM office_hamlets GROUP BY commune_code") == [
        (AN_TINH, 3),
        ("28201", 3),
    ]
    assert sorted(query(office_ws, "SELECT status FROM received_package")) == [("applied",), ("applied",), ("refused",)]
    assert row_of(page, ours).outcome == row_of(page, theirs).outcome == APPLIED
    assert not page.apply_button.isEnabled()

    text_only = QMimeData()
    text_only.setText("không phải tệp")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, text_only, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted()


def test_changed_records_are_shown_field_by_field(
    qtbot, page: OfficeImportView, office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey,
    tmp_path: Path,
) -> None:  # fmt: skip
    household = add_household(workspace, "00001", "Nguyễn Văn An")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute("UPDATE household SET phone = '0909123456' WHERE id = ?", (household,))
    second = export(workspace, tmp_path / "goi2")

    drop(page, [second])
    page.select(second)

    households = register(page, "Hộ gia đình")
    assert [households.text(c) for c in range(1, 5)] == ["0", "1", "0", "0"]
    changed = households.child(0)
    assert changed.text(0) == "Thay đổi (1)"
    assert children(changed) == ["Hộ 00001, Ấp Vĩnh Thạnh — Điện thoại: (trống) → 0909123456"]
    assert register(page, "Ấp").childCount() == 0  # unchanged registers only count


def test_a_fork_is_held_then_kept_out_with_a_reason_then_taken_in(
    qtbot, page: OfficeImportView, office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey,
    tmp_path: Path, messages: MessageLog, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    fork = make_fork(workspace, tmp_path / "goi1-khac")
    drop(page, [fork])
    page.select(fork)
    assert row_of(page, fork).review.verdict == merge.FORK  # type: ignore[union-attr]
    assert page.accept_fork_button.isEnabled() and page.reject_fork_button.isEnabled()

    messages.answers = [0]
    page.apply_button.click()  # the batch holds the fork for a decision
    assert "1 gói rẽ nhánh được giữ lại" in messages.texts[-1]
    assert row_of(page, fork).outcome == FORK_HELD
    assert "Xã Phước Vĩnh Tây năm 2025 lần 1" in page.pending.text() and page.pending.isVisible()

    handlers: list[Handler] = drive_dialogs(monkeypatch, ForkDecisionDialog)
    asked: list[str] = []

    def keep_out(dialog: QDialog) -> None:
        assert isinstance(dialog, ForkDecisionDialog)
        asked.append(dialog.findChild(QLabel, "fork_question").text())
        assert not dialog.confirm_button.isEnabled()  # a reason first
        type_text(dialog.reason_edit, "Xã xác nhận gửi nhầm")
        dialog.confirm_button.click()

    handlers.append(keep_out)
    with qtbot.waitSignal(page.changed):
        page.reject_fork_button.click()
    assert "gói lần gửi 1 của Xã Phước Vĩnh Tây (mã 28201), năm 2025" in asked[0]
    assert statuses(office_ws)[-1] == (1, "fork_rejected")
    assert row_of(page, fork).outcome == f"{REFUSED} (quyết định): Xã xác nhận gửi nhầm"
    assert not page.accept_fork_button.isEnabled() and page.pending.isHidden()
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(1,)]

    drop(page, [fork])  # the commune confirms it after all: dropped again, decided again
    page.select(fork)

    def take_in(dialog: QDialog) -> None:
        assert isinstance(dialog, ForkDecisionDialog) and dialog.confirm_button.isEnabled()
        dialog.confirm_button.click()

    handlers.append(take_in)
    with qtbot.waitSignal(page.changed):
        page.accept_fork_button.click()
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(2,)]
    assert statuses(office_ws)[-1] == (1, "applied")


@NEEDS_POPPLER
def test_the_minute_of_what_was_dropped(
    qtbot, page: OfficeImportView, office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey,
    tmp_path: Path, messages: MessageLog, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    path = export(workspace, tmp_path / "goi1")
    stranger = tmp_path / "la.zip"
    stranger.write_bytes(b"khong phai goi")
    drop(page, [path, stranger])
    messages.answers = [0]
    page.apply_button.click()
    out = tmp_path / "bien-ban"
    monkeypatch.setattr(office_import_view.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))

    page.minute_button.click()

    written = out.with_suffix(".pdf")
    assert str(written) in messages.texts[-1]
    text = pdf_text(written)
    assert "BIÊN BẢN ĐỐI SOÁT SỐ LIỆU" in text and "Xã Phước Vĩnh Tây (mã 28201)" in text
    assert APPLIED in text and "la.zip" in text
