"""Receiving the communes' packages at the office: files dragged in from the file manager (or chosen) are verified
and reviewed on the worker, listed one per package, and for the selected one the registers show what would be
new, changed (field by field), removed and unchanged. Nothing is written until the officer takes the checked
packages in (one backup for the batch), decides a fork, or prints the reconciliation minute.

A refused package shows its reason; the office keeps only the refusal record. A fork (the same sending number
with other data, or not built on the package held) is held for a decision with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_count, format_local_time
from khuyenhoc_desktop.services import merge, office
from khuyenhoc_desktop.services.merge import CHANGE_LABELS, CHANGED, FORK, NEW, REMOVED, Review
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.dialogs.office_fork_dialog import ForkDecisionDialog
from khuyenhoc_desktop.ui.models.table_model import Column, Index, RowTableModel
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.table_view import register_table, select_record, selected_row

PACKAGE_SUFFIX = ".zip"
CHECKING = "Đang kiểm tra…"
REFUSED = "Không nhận"
APPLIED = "Đã nhận vào số liệu của cơ quan."
ALREADY = "Đã nhận trước đây: không thay đổi."
FORK_HELD = "Rẽ nhánh: giữ lại chờ quyết định."
REFUSED_COLOUR = QColor("#c00000")
DROP_HINT = (
    "Kéo thả các gói số liệu (.zip) của xã, phường vào đây — nhiều tệp một lúc, hoặc cả thư mục — "
    "hoặc bấm «Chọn gói…». Phần mềm kiểm tra và so sánh trước; chưa ghi gì cho đến khi bấm «Nhận»."
)
TREE_HEADERS = ("Bảng số liệu, bản ghi", "Mới", "Thay đổi", "Bị xóa", "Không đổi")


@dataclass(frozen=True)
class PackageRow:
    """One dropped file: its review (trimmed) or the reason it was refused, and what the officer did with it."""

    path: Path
    review: Review | None = None
    refusal: str = ""
    outcome: str = ""  # "" until taken in, refused on applying, or decided
    checking: bool = True

    @property
    def id(self) -> str:
        return str(self.path)

    @property
    def verdict_text(self) -> str:
        if self.checking:
            return CHECKING
        return REFUSED if self.review is None else self.review.verdict_label

    @property
    def notes(self) -> str:
        return self.refusal if self.review is None else "; ".join(self.review.warnings)

    @property
    def waits(self) -> bool:
        """Checked, and nothing done with it yet."""
        return not self.checking and not self.outcome

    @property
    def undecided_fork(self) -> bool:
        return self.review is not None and self.review.verdict == FORK and self.outcome in ("", FORK_HELD)


def _review_text(row: PackageRow, pick: Callable[[Review], object]) -> str:
    return "" if row.review is None else str(pick(row.review))


class PackagesModel(RowTableModel[PackageRow]):
    COLUMNS = (
        Column[PackageRow]("Tệp", lambda r: r.path.name, width=230),
        Column[PackageRow]("Xã, phường", lambda r: _review_text(r, lambda v: v.commune_name), width=170),
        Column[PackageRow]("Năm", lambda r: _review_text(r, lambda v: v.period), width=50),
        Column[PackageRow]("Lần gửi", lambda r: _review_text(r, lambda v: v.sequence),
                           lambda r: r.review.sequence if r.review else 0, align_right=True, width=60),
        Column[PackageRow]("Đánh giá", lambda r: r.verdict_text, width=230),
        Column[PackageRow]("Lưu ý, lý do không nhận", lambda r: r.notes, width=300),
        Column[PackageRow]("Kết quả", lambda r: r.outcome, width=220),
    )  # fmt: skip

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A refused package in red, so nobody takes it for a good one."""
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self.row_at(index.row())
            if (row.review is None and not row.checking) or row.outcome.startswith(REFUSED):
                return QBrush(REFUSED_COLOUR)
        return super().data(index, role)


def package_files(paths: list[Path]) -> tuple[list[Path], int]:
    """The packages among dropped paths (a folder gives the packages in it), and how many others were left."""
    found: list[Path] = []
    skipped = 0
    for path in paths:
        inside = sorted(path.glob(f"*{PACKAGE_SUFFIX}")) if path.is_dir() else [path]
        for candidate in inside:
            if candidate.suffix.lower() == PACKAGE_SUFFIX and candidate.is_file():
                found.append(candidate)
            else:
                skipped += 1
    return found, skipped


def _checked(workspace: Workspace, paths: list[Path], task: worker.Task) -> list[PackageRow]:
    """Review each file as the worker's job. A refusal is a result to list, not an error, and the office's
    record of it is all that is written."""
    rows = []
    for done, path in enumerate(paths):
        task.report(done, len(paths), path.name)
        try:
            rows.append(PackageRow(path, merge.trimmed(merge.review(workspace, path)), checking=False))
        except UserError as error:
            merge.record_refusal(workspace, path, str(error))
            rows.append(PackageRow(path, refusal=str(error), outcome=REFUSED, checking=False))
    return rows


class OfficeImportView(QWidget):
    changed = Signal()  # packages were taken in, or a fork decided

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._task: worker.Task | None = None  # run_task leaves the task to its caller to keep alive
        self._running = False
        self._queued: list[Path] = []
        self.setAcceptDrops(True)

        self.drop_hint = QLabel(DROP_HINT)
        self.drop_hint.setObjectName("drop_hint")
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setMinimumHeight(64)
        self.drop_hint.setStyleSheet("border: 2px dashed #7a8fa6; border-radius: 6px; padding: 8px;")
        self.choose_button = QPushButton("Chọn gói…")
        self.apply_button = QPushButton("Nhận các gói đã kiểm tra")
        self.minute_button = QPushButton("In biên bản đối soát…")
        self.accept_fork_button = QPushButton("Nhận gói rẽ nhánh…")
        self.reject_fork_button = QPushButton("Không nhận…")
        self.clear_button = QPushButton("Xóa danh sách")
        self.status = QLabel()
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        self.pending = QLabel()
        self.pending.setObjectName("pending_forks")
        self.pending.setWordWrap(True)
        self.pending.setStyleSheet("color: #9c5700;")

        self.model = PackagesModel()
        self.table = register_table(self.model, sortable=False)
        self.table.setObjectName("packages_table")
        self.details = QLabel()
        self.details.setObjectName("package_details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setObjectName("changes_tree")
        self.tree.setHeaderLabels(list(TREE_HEADERS))
        self.tree.setColumnWidth(0, 380)

        top = QHBoxLayout()
        top.addWidget(self.drop_hint, 1)
        top.addWidget(self.choose_button)
        actions = QHBoxLayout()
        for button in (self.apply_button, self.minute_button, self.accept_fork_button, self.reject_fork_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.clear_button)
        detail_part = QWidget()
        detail_layout = QVBoxLayout(detail_part)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.details)
        detail_layout.addWidget(self.tree, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_part)
        splitter.setSizes([300, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pending)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)

        self.choose_button.clicked.connect(self.choose)
        self.apply_button.clicked.connect(self.apply_checked)
        self.minute_button.clicked.connect(self.print_minute)
        self.accept_fork_button.clicked.connect(lambda: self.decide_fork(True))
        self.reject_fork_button.clicked.connect(lambda: self.decide_fork(False))
        self.clear_button.clicked.connect(self.clear)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.reload()

    # -- the page -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """The forks the office holds for a decision, wherever they were held (here or by `merge`)."""
        forks = merge.pending_forks(self.workspace)
        names = {c.code: c.name for c in office.list_communes(self.workspace)}
        listed = "; ".join(
            f"{names.get(f.commune_code, f.commune_code)} năm {f.period} lần {f.sequence} "
            f"(giữ lúc {format_local_time(f.received_at)})"
            for f in forks
        )
        self.pending.setText(
            f"Gói rẽ nhánh đang chờ quyết định: {listed}. Kéo thả lại tệp gói vào đây để nhận hoặc không nhận."
            if forks
            else ""
        )
        self.pending.setVisible(bool(forks))
        self._update_buttons()

    def current(self) -> PackageRow | None:
        row = selected_row(self.table)
        return None if row < 0 else self.model.row_at(row)

    def _busy(self) -> bool:
        return self._running

    def _update_buttons(self) -> None:
        rows = self.model.rows()
        idle = not self._busy()
        current = self.current()
        self.apply_button.setEnabled(idle and any(r.waits for r in rows))
        self.minute_button.setEnabled(idle and any(not r.checking for r in rows))
        fork = idle and current is not None and current.undecided_fork
        self.accept_fork_button.setEnabled(fork)
        self.reject_fork_button.setEnabled(fork)
        self.clear_button.setEnabled(idle and bool(rows))

    def clear(self) -> None:
        self.model.set_rows([])
        self._show_selected()
        self.status.clear()
        self._update_buttons()

    # -- files in -----------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    def choose(self) -> None:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        names, _ = QFileDialog.getOpenFileNames(
            self, "Chọn gói số liệu của xã, phường", documents, "Gói số liệu (*.zip);;Mọi tệp (*)"
        )
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        """List the packages (a file dropped again is checked again) and review them on the worker."""
        found, skipped = package_files(paths)
        if skipped:
            self.status.setText(f"Bỏ qua {format_count(skipped)} tệp không phải gói số liệu (.zip).")
        fresh = list(dict.fromkeys(path.resolve() for path in found))
        if not fresh:
            return
        again = {str(path) for path in fresh}
        kept = [row for row in self.model.rows() if row.id not in again]
        self.model.set_rows(kept + [PackageRow(path) for path in fresh])
        self._queued += fresh
        if not self._busy():
            self._check_queued()

    def _check_queued(self) -> None:
        paths, self._queued = self._queued, []
        workspace = self.workspace

        def progress(done: int, total: int, name: str) -> None:
            self.status.setText(f"Đang kiểm tra gói {done + 1}/{total}: {name}…")

        self._start(lambda task: _checked(workspace, paths, task), self._checked, progress)

    def _checked(self, rows: list[PackageRow]) -> None:
        self._finish()
        self.model.upsert_rows(rows)
        refused = sum(1 for row in rows if row.review is None)
        self.status.setText(
            f"Đã kiểm tra {format_count(len(rows))} gói"
            + (f", {format_count(refused)} gói không nhận được (xem lý do)." if refused else ".")
        )
        if self.current() is None and self.model.rowCount():
            self.table.selectRow(self.model.find(lambda r: r.id == rows[0].id))
        self._show_selected()
        if self._queued:
            self._check_queued()

    # -- the selected package -----------------------------------------------------------------------
    def _show_selected(self) -> None:
        self.tree.clear()
        row = self.current()
        self._update_buttons()
        if row is None:
            self.details.clear()
            return
        found = row.review
        if found is None:
            self.details.setText(f"{row.path.name}: {row.refusal or CHECKING}")
            self.details.setStyleSheet(f"color: {REFUSED_COLOUR.name()};" if row.refusal else "")
            return
        self.details.setStyleSheet("")
        lines = [
            f"<b>{found.commune_name}</b> (mã {found.commune_code}) — năm {found.period}, lần gửi {found.sequence}",
            f"Ký bằng khóa {found.key_id}, dấu vân tay <span style='font-family: monospace; font-weight: bold'>"
            f"{found.fingerprint}</span>",
            f"Đánh giá: {found.verdict_label}",
            *(f"Lưu ý: {warning}" for warning in found.warnings),
        ]
        if row.outcome:
            lines.append(f"Kết quả: {row.outcome}")
        self.details.setText("<br>".join(lines))
        for sheet in found.sheets:
            self._add_register(found, sheet)

    def _add_register(self, found: Review, sheet: merge.SheetReview) -> None:
        counts = (sheet.new, len(sheet.changed), sheet.removed, sheet.unchanged)
        if not any(counts):
            return
        item = QTreeWidgetItem([sheet.name, *(format_count(n) for n in counts)])
        for column in range(1, len(TREE_HEADERS)):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tree.addTopLevelItem(item)
        changes = merge.record_changes(found, sheet.sheet)
        for kind, total in ((NEW, sheet.new), (CHANGED, len(sheet.changed)), (REMOVED, sheet.removed)):
            if not total:
                continue
            group = self._spanned(item, f"{CHANGE_LABELS[kind].capitalize()} ({format_count(total)})")
            shown = [change for change in changes if change.kind == kind]
            for change in shown:
                fields = "; ".join(f"{f.header}: {f.old} → {f.new}" for f in change.fields)
                record = self._spanned(group, f"{change.label} — {fields}" if fields else change.label)
                record.setToolTip(0, fields.replace("; ", "\n") if fields else change.label)
            if total > len(shown):
                self._spanned(group, f"… và {format_count(total - len(shown))} bản ghi khác")
            group.setExpanded(True)  # at most DETAIL_LIMIT records each: the officer reads them without clicking
        item.setExpanded(bool(sheet.new or sheet.changed or sheet.removed))

    @staticmethod
    def _spanned(parent: QTreeWidgetItem, text: str) -> QTreeWidgetItem:
        """A line of text across all the columns (spanning takes effect only once the item is in the tree)."""
        item = QTreeWidgetItem([text])
        parent.addChild(item)
        item.setFirstColumnSpanned(True)
        return item

    # -- taking packages in -------------------------------------------------------------------------
    def apply_checked(self) -> None:
        """Every checked package not yet dealt with, in one batch (one backup); the service refuses, holds or
        takes in each, and records the refusals."""
        rows = [row for row in self.model.rows() if row.waits]  # refused ones were recorded when checked
        forks = sum(1 for row in rows if row.undecided_fork)
        text = (
            f"Nhận {format_count(len(rows) - forks)} gói vào số liệu của cơ quan? Số liệu của mỗi xã, phường trong "
            "năm được thay bằng số liệu trong gói; phần mềm sao lưu một lần trước khi ghi."
        )
        if forks:
            text += f"\n{format_count(forks)} gói rẽ nhánh được giữ lại chờ quyết định."
        if not messages.confirm(self, "Nhận gói số liệu", text, yes="Nhận"):
            return
        workspace, paths = self.workspace, [row.path for row in rows]

        def work(task: worker.Task) -> merge.BatchResult:
            return merge.apply_all(workspace, paths, progress=task.report)

        def progress(done: int, total: int, name: str) -> None:
            if name:
                self.status.setText(f"Đang nhận gói {done + 1}/{total}: {name}…")

        self._start(work, self._applied, progress)

    def _applied(self, result: merge.BatchResult) -> None:
        self._finish()
        by_path = {str(row.path): row for row in self.model.rows()}
        updated = []
        for item in result.items:
            row = by_path[str(item.path)]
            if item.review is None:
                outcome = f"{REFUSED}: {item.refusal}"
            elif item.review.verdict == FORK and not item.applied:
                outcome = FORK_HELD
            elif item.refusal:
                outcome = f"{REFUSED}: {item.refusal}"
            else:
                outcome = APPLIED if item.applied else ALREADY
            updated.append(replace(row, review=item.review or row.review, outcome=outcome))
        self.model.upsert_rows(updated)
        taken = sum(1 for item in result.items if item.applied)
        self.status.setText(
            f"Đã nhận {format_count(taken)} gói vào số liệu của cơ quan."
            + (f" Bản sao lưu trước khi nhận: {result.backup}" if result.backup else "")
        )
        self._show_selected()
        self.reload()
        if taken:
            self.changed.emit()

    def decide_fork(self, accept: bool) -> None:
        row = self.current()
        if row is None or row.review is None or not row.undecided_fork:
            return
        dialog = ForkDecisionDialog(row.review, accept, self)
        if not dialog.exec():
            return
        workspace, path, reason = self.workspace, row.path, dialog.reason

        def decided(result: merge.ApplyResult | None) -> None:
            self._finish()
            outcome = "Đã nhận gói rẽ nhánh." if accept else f"{REFUSED} (quyết định): {reason}"
            fresh = row.review if result is None else merge.trimmed(result.review)
            self.model.upsert_rows([replace(row, review=fresh, outcome=outcome)])
            self.status.setText(f"{row.path.name}: {outcome}")
            self._show_selected()
            self.reload()
            self.changed.emit()

        self._start(lambda _task: merge.decide_fork(workspace, path, accept, reason), decided)

    # -- the minute ---------------------------------------------------------------------------------
    def print_minute(self) -> None:
        rows = [row for row in self.model.rows() if not row.checking]
        path = ask_save_path(self, "Lưu biên bản đối soát", "bien-ban-doi-soat-so-lieu.pdf")
        if path is None:
            return
        profile = self.workspace.profile
        reviews = [row.review for row in rows if row.review is not None]
        refusals = [(row.path.name, row.refusal) for row in rows if row.review is None]
        outcomes = {row.path: row.outcome for row in rows if row.review is not None and row.outcome}

        def write(_task: worker.Task) -> Path:
            # Imported here: reportlab is only needed once the officer prints.
            from khuyenhoc_desktop.documents.reconciliation_minute import write_reconciliation_minute
            from khuyenhoc_desktop.documents.report_text import letterhead_of

            write_reconciliation_minute(letterhead_of(profile), path, reviews, refusals, outcomes)
            return path

        def written(out: Path) -> None:
            self._finish()
            messages.inform(self, "Đã ghi biên bản đối soát", f"Đã ghi biên bản đối soát số liệu vào:\n{out}")

        self._start(write, written)

    # -- the worker ---------------------------------------------------------------------------------
    def _start(
        self,
        work: Callable[[worker.Task], Any],
        done: Callable[[Any], None],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> None:
        """One job at a time; `_running` (not the task) says busy, as a pool may finish before run_task returns."""
        self._running = True
        self._update_buttons()
        self._task = worker.run_task(work, done, self._failed, progress)

    def _finish(self) -> None:
        self._running = False
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._finish()
        self.reload()
        if not isinstance(error, UserError):
            raise error  # a bug: sys.excepthook logs it and tells the officer
        messages.warn(self, "Không thực hiện được", str(error))
        if self._queued:
            self._check_queued()

    def select(self, path: Path) -> bool:
        return select_record(self.table, str(path.resolve()))
