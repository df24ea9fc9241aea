"""What the officer sees of packages: the result of checking one, and the history of exports.

The check result lists who signed and the fingerprint to compare with the paper key registration sheet;
a refusal is shown in red with the reason, so nobody mistakes a refused file for a good one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.text import format_count, format_local_time
from khuyenhoc_desktop.exchange.keys import fingerprint
from khuyenhoc_desktop.exchange.verify import VerifiedPackage
from khuyenhoc_desktop.services.packages import ExportRow
from khuyenhoc_desktop.ui.models.table_model import Column, RowTableModel, count_column


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.rejected.connect(dialog.reject)
    return buttons


class VerifyResultDialog(QDialog):
    """Either `checked` (all checks passed) or `reason` (the refusal)."""

    def __init__(
        self, file_name: str, checked: VerifiedPackage | None, reason: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Kiểm tra gói số liệu — {file_name}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.fields: dict[str, str] = {}
        if checked is None:
            self.verdict.setText(reason)
            self.verdict.setStyleSheet("color: #c00000; font-weight: bold;")
        else:
            self.verdict.setText("Gói số liệu hợp lệ: chữ ký, mã băm, kích thước và danh sách tệp đều đúng.")
            self.verdict.setStyleSheet("color: #006100; font-weight: bold;")
            manifest = checked.manifest
            self.fields = {
                "Đơn vị gửi": f"{manifest.commune_name} (mã {manifest.commune_code}), {manifest.province_name}",
                "Dấu vân tay khóa ký": checked.fingerprint,
                "Kỳ số liệu": f"năm {manifest.period}, lần xuất thứ {manifest.sequence}",
                "Thời điểm xuất": f"{format_local_time(manifest.exported_at)} (giờ máy này)",
                **({"Khóa ký mới báo trong gói": fingerprint(manifest.next_public)} if manifest.next_public else {}),
                **{f"Số dòng «{sheet}»": format_count(n) for sheet, n in manifest.rows.items()},
            }
            form = QFormLayout()
            for label, value in self.fields.items():
                text = QLabel(value)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if label == "Dấu vân tay khóa ký":
                    text.setStyleSheet("font-family: monospace; font-size: 14px; font-weight: bold;")
                form.addRow(label + ":", text)
            layout.addLayout(form)
            note = QLabel("Hãy so dấu vân tay với phiếu đăng ký khóa ký của đơn vị gửi.")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(_close_buttons(self))


class ExportHistoryModel(RowTableModel[ExportRow]):
    COLUMNS = (
        Column[ExportRow]("Năm", lambda r: r.period, width=60),
        Column[ExportRow]("Lần", lambda r: str(r.sequence), lambda r: r.sequence, align_right=True, width=50),
        Column[ExportRow]("Thời điểm xuất", lambda r: format_local_time(r.exported_at), lambda r: r.exported_at,
                          width=130),
        Column[ExportRow]("Tệp", lambda r: r.file_name, width=260),
        count_column("Số dòng", lambda r: r.rows, width=80),
        Column[ExportRow]("Mã SHA-256 của gói", lambda r: r.package_sha256[:16] + "…", width=150,
                          tooltip="16 ký tự đầu; đủ để so với tệp đã gửi"),
    )  # fmt: skip


class ExportHistoryDialog(QDialog):
    def __init__(self, rows: list[ExportRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Lịch sử xuất gói số liệu")
        self.resize(820, 360)
        layout = QVBoxLayout(self)
        self.model = ExportHistoryModel()
        self.model.set_rows(rows)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        for column, spec in enumerate(self.model.COLUMNS):
            if spec.width:
                self.table.setColumnWidth(column, spec.width)
        layout.addWidget(self.table)
        empty = QLabel("Chưa xuất gói số liệu nào." if not rows else f"{len(rows)} lần xuất, mới nhất trước.")
        layout.addWidget(empty)
        layout.addWidget(_close_buttons(self))
