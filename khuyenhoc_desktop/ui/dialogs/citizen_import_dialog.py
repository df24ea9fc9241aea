"""Import the national system's results list: choose the file, see its first rows, say which column holds
what (pre-set from the headers), import for a year. The import runs off the UI thread; if any row is
wrong, every problem is listed here and nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import citizen_import
from khuyenhoc_desktop.services.citizen_import import (
    FIELD_LABELS,
    INDICATOR_FIELDS,
    ColumnMapping,
    ImportProblems,
    ImportReport,
    SheetPreview,
    column_letter,
)
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.views.profile_form import error_label

NO_COLUMN = "— Không có —"
MAIN_FIELDS = ("full_name", "birth_year", "sex", "hamlet", "total", "result")
NOTES_SHOWN = 15


class CitizenImportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.path: Path | None = None
        self.preview: SheetPreview | None = None
        self.report: ImportReport | None = None
        self._task: worker.Task | None = None  # run_task leaves the task to its caller to keep alive
        self._busy = False
        self.setWindowTitle("Nhập kết quả Công dân học tập từ tệp")
        self.resize(1000, 700)

        self.file_name = QLineEdit()
        self.file_name.setReadOnly(True)
        self.file_name.setPlaceholderText("Chưa chọn tệp (.xlsx, .xls, .ods xuất từ hệ thống trực tuyến)")
        self.choose_button = QPushButton("Chọn tệp…")
        self.sheet_info = QLabel()
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("preview_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)

        self.combos: dict[str, QComboBox] = {}
        mapping_box = QGroupBox("Cột nào chứa thông tin nào (đã đoán theo tiêu đề; sửa nếu sai)")
        grid = QGridLayout(mapping_box)
        for row, name in enumerate(MAIN_FIELDS):
            self._add_combo(grid, name, row, 0)
        for k, name in enumerate(INDICATOR_FIELDS):
            self._add_combo(grid, name, k % 5, 2 + 2 * (k // 5))
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)
        note = QLabel(
            "Có cột điểm từng tiêu chí thì phần mềm tự chấm theo bộ tiêu chí; không có thì lấy tổng điểm và kết quả "
            "như trong tệp."
        )
        note.setWordWrap(True)
        grid.addWidget(note, len(MAIN_FIELDS), 0, 1, 6)

        self.year = QSpinBox()
        self.year.setRange(2000, date.today().year + 1)
        self.year.setValue(workspace.working_year)
        self.year.setGroupSeparatorShown(False)
        self.hamlet_default = QComboBox()
        self.hamlet_default.addItem("— Không ghi ấp —", None)
        for hamlet in list_hamlets(workspace):
            self.hamlet_default.addItem(hamlet.name, hamlet.id)

        self.status = error_label()
        self.problems = QPlainTextEdit()
        self.problems.setObjectName("problems")
        self.problems.setReadOnly(True)
        self.problems.hide()

        buttons = QDialogButtonBox()
        self.import_button = QPushButton("Nhập")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.close_button = QPushButton("Đóng")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Tệp:"))
        file_row.addWidget(self.file_name, 1)
        file_row.addWidget(self.choose_button)
        options = QHBoxLayout()
        options.addWidget(QLabel("Kết quả của năm:"))
        options.addWidget(self.year)
        options.addSpacing(24)
        options.addWidget(QLabel("Ấp cho người mà tệp không ghi ấp:"))
        options.addWidget(self.hamlet_default)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.sheet_info)
        layout.addWidget(self.table, 2)
        layout.addWidget(mapping_box)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)
        self.choose_button.setFocus()

    def _add_combo(self, grid: QGridLayout, name: str, row: int, column: int) -> None:
        combo = QComboBox()
        combo.setObjectName(f"column_{name}")
        combo.addItem(NO_COLUMN, -1)
        label = QLabel(FIELD_LABELS[name] + (" *" if name == "full_name" else ""))
        label.setBuddy(combo)
        grid.addWidget(label, row, column)
        grid.addWidget(combo, row, column + 1)
        self.combos[name] = combo

    # -- the file -----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp kết quả Công dân học tập", str(Path.home()), citizen_import.FILE_FILTER
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self._show_problems("", [])
        try:
            preview = citizen_import.read_sheet(path)
        except UserError as error:
            self.path, self.preview = None, None
            self.import_button.setEnabled(False)
            self._show_problems(str(error), [])
            return
        self.path, self.preview = path, preview
        self.file_name.setText(str(path))
        self.sheet_info.setText(
            f"Trang «{preview.sheet_name}»: hàng tiêu đề ở dòng {preview.header_row_index + 1}; "
            f"{len(preview.rows)} dòng đầu tiên bên dưới (số bên trái là số dòng trong tệp):"
        )
        self._fill_preview(preview)
        self._fill_combos(preview.headers, citizen_import.guess_mapping(preview.headers))
        self.import_button.setEnabled(True)
        self.import_button.setFocus()

    def _fill_preview(self, preview: SheetPreview) -> None:
        self.table.clear()
        self.table.setColumnCount(len(preview.headers))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(
            [f"{column_letter(i)}: {h}" if h else column_letter(i) for i, h in enumerate(preview.headers)]
        )
        self.table.setVerticalHeaderLabels([str(n) for n in preview.row_numbers])
        for r, cells in enumerate(preview.rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _fill_combos(self, headers: tuple[str, ...], guessed: ColumnMapping) -> None:
        for name, combo in self.combos.items():
            combo.clear()
            combo.addItem(NO_COLUMN, -1)
            for i, header in enumerate(headers):
                if header:
                    combo.addItem(f"{column_letter(i)}: {header}", i)
            combo.setCurrentIndex(max(0, combo.findData(guessed.get(name, -1))))

    def mapping(self) -> ColumnMapping:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() >= 0}

    # -- importing ----------------------------------------------------------------------------------
    def run_import(self) -> None:
        if self.path is None or self._busy:
            return
        path, mapping, year = self.path, self.mapping(), self.year.value()
        hamlet = self.hamlet_default.currentData()
        self._set_busy(True)
        self._show_problems("", [])
        self._task = worker.run_task(
            lambda _task: citizen_import.import_results(self.workspace, path, mapping, year, hamlet),
            self._imported,
            self._failed,
        )

    def _imported(self, report: ImportReport) -> None:
        self._set_busy(False)
        self.report = report
        text = report.summary
        if report.notes:
            shown = "\n".join(f"• {n}" for n in report.notes[:NOTES_SHOWN])
            more = len(report.notes) - NOTES_SHOWN
            text += "\n\nCần xem lại:\n" + shown + (f"\n… và {more} ghi chú khác." if more > 0 else "")
        messages.inform(self, "Đã nhập kết quả", text)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ImportProblems):
            self._show_problems(
                f"Chưa nhập: có {len(error.problems)} lỗi, chưa ghi gì vào sổ. Hãy sửa tệp hoặc chọn lại cột.",
                error.problems,
            )
        elif isinstance(error, UserError):
            self._show_problems(str(error), [])
        else:
            self._show_problems("", [])
            raise error  # a bug: sys.excepthook logs it and tells the officer

    def _show_problems(self, headline: str, problems: tuple[str, ...] | list[str]) -> None:
        self.status.setText(headline)
        self.status.setVisible(bool(headline))
        self.problems.setPlainText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.import_button, self.choose_button, self.close_button):
            widget.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self._busy:  # never closed halfway through an import
            super().reject()
