"""Bring in a list the commune keeps in its own spreadsheet, in five steps the officer can go back through: the
file and its sheet, which column holds which field, what the typed values mean, the preview row by row, and the
import. Every kind registered in services/import_kinds.py goes through the same pages; the learning citizens'
results have their own dialog (they need the year and the rubric) and are reached from the first page.

Reading the file, the preview and the import run on the worker: a sheet of 50,000 rows takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.import_values import cell_text, words
from khuyenhoc_desktop.services import import_workbooks
from khuyenhoc_desktop.services import spreadsheet_import as engine
from khuyenhoc_desktop.services.import_kinds import KINDS
from khuyenhoc_desktop.services.sheet_reading import FILE_FILTER, column_letter, sheet_names
from khuyenhoc_desktop.services.spreadsheet_import import (
    ColumnMapping,
    ImportKind,
    ImportReport,
    Outcome,
    Preview,
    Settings,
    SheetLayout,
    ValueChoices,
)
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, save_path, worker
from khuyenhoc_desktop.ui.models.import_preview_model import PROBLEM_BACKGROUND, PreviewModel
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.profile_form import error_label

PAGE_FILE, PAGE_COLUMNS, PAGE_VALUES, PAGE_PREVIEW, PAGE_IMPORT = range(5)
STEPS = 5
CITIZENS_TITLE = "Kết quả Công dân học tập"
NO_COLUMN = "(không dùng)"
NOT_CHOSEN = "(chưa chọn)"
SUGGESTED = " (gợi ý)"
SAMPLE_ROWS = 50  # the rows searched for a column's two sample values
SAMPLE_LENGTH = 24
MAX_COLUMN_WIDTH = 420  # pixels; a longer cell or problem shows whole in its tooltip
FILTERS: tuple[tuple[str, Outcome | None], ...] = (
    ("Tất cả", None),
    ("Chỉ dòng lỗi", Outcome.PROBLEM),
    ("Thêm mới", Outcome.NEW),
    ("Cập nhật", Outcome.UPDATE),
    ("Không đổi", Outcome.SAME),
)
BUTTON_TEXTS = {
    QWizard.WizardButton.BackButton: "Quay lại",
    QWizard.WizardButton.NextButton: "Tiếp tục",
    QWizard.WizardButton.FinishButton: "Nhập",
    QWizard.WizardButton.CancelButton: "Hủy",
}
UNKNOWN_BACKGROUND = PROBLEM_BACKGROUND


@dataclass(frozen=True)
class LoadedSheet:
    """The file as the first page shows it: its sheets, the list found on the chosen one, and that sheet's first
    rows as they are, title rows included, so the officer sees where the header was found."""

    path: Path
    sheets: list[str]
    layout: SheetLayout


def load_sheet(kind: ImportKind, path: Path, sheet: str | None) -> LoadedSheet:
    return LoadedSheet(path, sheet_names(path), engine.read_sheet(kind, path, sheet))


def _file_slug(kind: ImportKind) -> str:
    """ "Danh sách hộ gia đình" → "danh-sach-ho-gia-dinh", for suggested file names."""
    return words(kind.title).replace(" ", "-")


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _read_only_table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    return table


class _Page(QWizardPage):
    """A page that knows its wizard, and whose buttons wait while the wizard is busy."""

    def __init__(self, wizard: ImportWizard, step: int, title: str, subtitle: str) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(f"Bước {step}/{STEPS}: {subtitle}")

    def isComplete(self) -> bool:
        return not self.owner.busy and self.ready()

    def ready(self) -> bool:
        return True


# -- 1. the file and its sheet ------------------------------------------------------------------------------------


class FilePage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, 1, "Tệp và trang", "chọn loại danh sách, tệp bảng tính và trang có danh sách")
        self.kind_buttons = QButtonGroup(self)
        kinds = QHBoxLayout()
        for key, kind in KINDS.items():
            self._add_kind(kinds, kind.title, key)
        self.citizens_button = self._add_kind(kinds, CITIZENS_TITLE, "")
        kinds.addStretch()
        self.citizens_note = _plain_label(
            "Kết quả Công dân học tập có hộp nhập riêng (cần năm và bộ tiêu chí): bấm «Tiếp tục» để mở."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Dán đường dẫn tệp vào đây rồi bấm Enter, hoặc bấm «Chọn tệp…»")
        self.choose_button = QPushButton("Chọn tệp…")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(24)
        self.header_info = _plain_label()
        self.error = error_label()
        self.raw = _read_only_table(0)
        self.raw.verticalHeader().show()  # the sheet's own row numbers
        self.blank_template_button = QPushButton("Tải mẫu trống…")
        self.filled_template_button = QPushButton("Tải mẫu kèm dữ liệu hiện có…")

        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Tệp:"))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addSpacing(16)
        file_row.addWidget(QLabel("Trang:"))
        file_row.addWidget(self.sheet_combo)
        templates = QHBoxLayout()
        templates.addWidget(QLabel("Chưa có danh sách? Tải mẫu, điền rồi nhập:"))
        templates.addWidget(self.blank_template_button)
        templates.addWidget(self.filled_template_button)
        templates.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addWidget(self.citizens_note)
        layout.addLayout(file_row)
        layout.addWidget(self.error)
        layout.addWidget(self.header_info)
        layout.addWidget(self.raw, 1)
        layout.addLayout(templates)

        self.kind_buttons.buttonToggled.connect(self._kind_toggled)
        self.choose_button.clicked.connect(self.choose_file)
        self.path_edit.returnPressed.connect(self._path_typed)
        self.sheet_combo.activated.connect(lambda _i: self._sheet_chosen())
        self.blank_template_button.clicked.connect(lambda: wizard.download_template(filled=False))
        self.filled_template_button.clicked.connect(lambda: wizard.download_template(filled=True))

    def _add_kind(self, layout: QHBoxLayout, title: str, key: str) -> QRadioButton:
        button = QRadioButton(title)
        button.setProperty("kind_key", key)
        self.kind_buttons.addButton(button)
        layout.addWidget(button)
        return button

    def choose(self, kind_key: str | None) -> None:
        """Tick the kind's button ("" ticks the citizens' results); None ticks the first kind."""
        for button in self.kind_buttons.buttons():
            if kind_key is None or button.property("kind_key") == kind_key:
                button.setChecked(True)
                return
        raise ValueError(kind_key)

    def _kind_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if not checked:
            return
        self.owner.kind = KINDS.get(button.property("kind_key"))
        citizens = self.owner.kind is None
        self.citizens_note.setVisible(citizens)
        for widget in (self.path_edit, self.choose_button, self.sheet_combo, self.raw, self.header_info,
                       self.blank_template_button, self.filled_template_button):  # fmt: skip
            widget.setEnabled(not citizens)
        if not citizens and self.owner.loaded is not None:
            self.owner.load(self.owner.loaded.path)  # the header row is found by the kind's headers
        self.completeChanged.emit()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp bảng tính", str(Path.home()), FILE_FILTER)
        if name:
            self.path_edit.setText(name)
            self.owner.load(Path(name))

    def _path_typed(self) -> None:
        typed = self.path_edit.text().strip().strip('"')
        if typed:
            self.owner.load(Path(typed))

    def _sheet_chosen(self) -> None:
        if self.owner.loaded is not None:
            self.owner.load(self.owner.loaded.path, self.sheet_combo.currentText())

    def show_failure(self, text: str) -> None:
        """A file that cannot be read leaves nothing of the one read before on the page."""
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            self.sheet_combo.clear()
            self.header_info.clear()
            self.raw.setRowCount(0)

    def show_loaded(self, loaded: LoadedSheet) -> None:
        self.show_failure("")
        self.path_edit.setText(str(loaded.path))
        self.sheet_combo.clear()
        self.sheet_combo.addItems(loaded.sheets)
        layout = loaded.layout
        self.sheet_combo.setCurrentText(layout.sheet_name)
        self.header_info.setText(
            f"Trang «{layout.sheet_name}»: hàng tiêu đề ở dòng {layout.header_row_index + 1}; "
            f"{len(layout.rows)} dòng dữ liệu bên dưới. Các dòng đầu của trang (hàng tiêu đề tô đậm):"
        )
        width = max((len(row) for row in loaded.layout.top), default=0)
        self.raw.clear()
        self.raw.setColumnCount(width)
        self.raw.setRowCount(len(loaded.layout.top))
        self.raw.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
        self.raw.setVerticalHeaderLabels([str(r + 1) for r in range(len(loaded.layout.top))])
        for r, cells in enumerate(loaded.layout.top):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(cell_text(value))
                if r == layout.header_row_index:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.raw.setItem(r, c, item)
        self.raw.resizeColumnsToContents()

    def ready(self) -> bool:
        return self.owner.kind is None or self.owner.loaded is not None

    def validatePage(self) -> bool:
        if self.owner.kind is None:
            self.owner.open_citizen_import()
            return False
        return True


# -- 2. which column holds which field ----------------------------------------------------------------------------


def _samples(layout: SheetLayout, column: int) -> list[str]:
    found = []
    for _number, cells in layout.rows[:SAMPLE_ROWS]:
        text = cell_text(cells[column]) if column < len(cells) else ""
        if text:
            found.append(text if len(text) <= SAMPLE_LENGTH else text[: SAMPLE_LENGTH - 1] + "…")
            if len(found) == 2:
                break
    return found


def column_choice(layout: SheetLayout, column: int) -> str:
    """ "C — «Ho ten chu ho» (Nguyễn Văn Đức; Trần Thị Mai)": a column as the officer recognises it."""
    header = layout.headers[column]
    samples = _samples(layout, column)
    text = f"{column_letter(column)} — " + (f"«{header}»" if header else "(không có tiêu đề)")
    return text + (f" ({'; '.join(samples)})" if samples else "")


class ColumnsPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, 2, "Ghép cột", "cột nào trong tệp chứa mục nào (đã đoán theo tiêu đề; sửa nếu sai)")
        self.table = _read_only_table(2)
        self.table.setHorizontalHeaderLabels(["Mục (* là bắt buộc)", "Cột trong tệp"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.combos: dict[str, QComboBox] = {}
        self.problems = error_label()
        self.open_button = QPushButton("Mở ghép cột đã lưu…")
        self.save_button = QPushButton("Lưu ghép cột…")
        self._built_for: LoadedSheet | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self.open_mapping)
        self.save_button.clicked.connect(wizard.save_mapping)

    def initializePage(self) -> None:
        """Built afresh for another file, sheet or kind; otherwise the officer's choices are kept."""
        loaded, kind = self.owner.loaded, self.owner.kind
        assert loaded is not None and kind is not None
        if self._built_for is loaded:
            return
        self._built_for = loaded
        layout = loaded.layout
        choices = [(column_choice(layout, c), c) for c in range(len(layout.headers))]
        self.combos = {}
        self.table.setRowCount(len(kind.field_labels))
        for row, (name, label) in enumerate(kind.field_labels.items()):
            item = QTableWidgetItem(label + (" *" if name in kind.required else ""))
            if name in kind.required:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.setObjectName(f"column_{name}")
            combo.addItem(NO_COLUMN, -1)
            for text, column in choices:
                combo.addItem(text, column)
            combo.currentIndexChanged.connect(self._changed)
            self.combos[name] = combo
            self.table.setCellWidget(row, 1, combo)
        self.table.resizeColumnToContents(0)
        self.set_columns(engine.guess_columns(kind, layout.headers))

    def set_columns(self, columns: ColumnMapping) -> None:
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(columns.get(name, -1))))
            combo.blockSignals(False)
        self._changed()

    def columns(self) -> ColumnMapping:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() >= 0}

    def column_problems(self) -> list[str]:
        loaded, kind = self.owner.loaded, self.owner.kind
        if loaded is None or kind is None:
            return []
        return [p.message for p in engine.check_columns(kind, self.columns(), loaded.layout.headers)]

    def _changed(self) -> None:
        problems = self.column_problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.completeChanged.emit()

    def ready(self) -> bool:
        return bool(self.combos) and not self.column_problems()

    def open_mapping(self) -> None:
        loaded, kind = self.owner.loaded, self.owner.kind
        assert loaded is not None and kind is not None
        name, _ = QFileDialog.getOpenFileName(self, "Mở ghép cột đã lưu", _documents(), save_path.FILTERS[".json"])
        if not name:
            return
        try:
            settings = engine.load_settings(kind, Path(name), loaded.layout.headers)
        except UserError as error:
            messages.warn(self, "Không mở được ghép cột", str(error))
            return
        self.owner.values = settings.values
        self.set_columns(settings.columns)


# -- 3. what the typed values mean --------------------------------------------------------------------------------


class ValuesPage(_Page):
    COL_FIELD, COL_TEXT, COL_ROWS, COL_MEANING = range(4)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, 3, "Giá trị", "các giá trị gõ trong tệp được hiểu là gì (ấp, giới tính…)")
        self.intro = _plain_label()
        self.table = _read_only_table(4)
        self.table.setHorizontalHeaderLabels(["Mục", "Giá trị trong tệp", "Số dòng", "Hiểu là"])
        self.table.horizontalHeader().setSectionResizeMode(self.COL_MEANING, QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton("Lưu ghép cột…")
        self.typed: list[engine.TypedValue] = []
        self.combos: list[QComboBox] = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(wizard.save_mapping)

    def initializePage(self) -> None:
        wizard = self.owner
        assert wizard.loaded is not None and wizard.kind is not None
        options = wizard.value_options()
        self.typed = engine.typed_values(wizard.workspace, wizard.kind, wizard.loaded.layout, wizard.settings())
        mapped = [name for name in options if name in wizard.columns_page.columns()]
        unknown = sum(1 for v in self.typed if v.meaning is None)
        if not mapped:
            self.intro.setText("Các cột đã chọn không có mục nào cần chọn giá trị: bấm «Tiếp tục».")
        elif unknown:
            self.intro.setText(
                f"{unknown} giá trị không khớp danh sách (tô đỏ, xếp đầu): phần mềm đã chọn sẵn giá trị gần nhất, "
                f"ghi «gợi ý» và in nghiêng — hãy xem lại từng dòng. «{NOT_CHOSEN}» để dòng đó báo lỗi."
            )
        else:
            self.intro.setText("Mọi giá trị đều khớp danh sách; sửa ở cột «Hiểu là» nếu phần mềm hiểu sai.")
        self.table.setVisible(bool(mapped))
        labels = wizard.kind.field_labels
        self.table.setRowCount(len(self.typed))
        self.combos = []
        for row, typed in enumerate(self.typed):
            cells = (labels[typed.field], typed.text, str(typed.rows))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == self.COL_ROWS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if typed.meaning is None:
                    item.setBackground(UNKNOWN_BACKGROUND)
                self.table.setItem(row, column, item)
            combo = QComboBox()
            combo.addItem(NOT_CHOSEN, None)
            for label in options[typed.field].labels:
                combo.addItem(label + (SUGGESTED if label == typed.suggestion else ""), label)
            combo.setCurrentIndex(max(0, combo.findData(typed.meaning or typed.suggestion)))
            if typed.meaning is None and typed.suggestion is not None:
                font = combo.font()
                font.setItalic(True)
                combo.setFont(font)
                combo.setToolTip("Phần mềm đoán; hãy kiểm tra rồi chọn lại nếu sai.")
                combo.activated.connect(lambda _i, c=combo: c.setFont(self.font()))
            self.combos.append(combo)
            self.table.setCellWidget(row, self.COL_MEANING, combo)
        self.table.resizeColumnsToContents()

    def collect(self) -> ValueChoices:
        """The officer's choices, kept only where they differ from how the value reads by itself; choices for
        values this sheet does not have (from a saved mapping) are kept for next year's sheet."""
        options = self.owner.value_options()
        chosen = {name: dict(values) for name, values in self.owner.values.items()}
        for typed, combo in zip(self.typed, self.combos, strict=True):
            label, key = combo.currentData(), words(typed.text)
            field_choices = chosen.setdefault(typed.field, {})
            if label is not None and label != options[typed.field].recognise(typed.text):
                field_choices[key] = label
            else:
                field_choices.pop(key, None)
        return {name: values for name, values in chosen.items() if values}

    def validatePage(self) -> bool:
        self.owner.values = self.collect()
        return True

    def cleanupPage(self) -> None:
        self.owner.values = self.collect()  # kept when the officer goes back to change a column


# -- 4. the preview -----------------------------------------------------------------------------------------------


class PreviewPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, 4, "Xem trước", "từng dòng sẽ được nhập thế nào; chưa ghi gì vào sổ")
        self.summary = _plain_label()
        self.sheet_problems = error_label()
        self.filter = QComboBox()
        for text, outcome in FILTERS:
            self.filter.addItem(text, outcome)
        self.model = PreviewModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.export_button = QPushButton("Xuất các dòng lỗi ra bảng tính…")
        self.skip_box = QCheckBox()
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel("Hiện:"))
        filter_row.addWidget(self.filter)
        filter_row.addStretch()
        filter_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.sheet_problems)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skip_box)
        self.filter.currentIndexChanged.connect(self._filter)
        self.export_button.clicked.connect(wizard.export_problem_rows)
        self.skip_box.toggled.connect(self._skip_toggled)

    def initializePage(self) -> None:
        self.owner.preview = None
        self.model.set_rows([])
        self.summary.setText("Đang đọc và kiểm tra từng dòng…")
        for widget in (self.sheet_problems, self.export_button, self.skip_box):
            widget.hide()
        self.skip_box.setChecked(False)
        self.owner.run_preview()

    def show_preview(self, preview: Preview) -> None:
        self.model.set_preview(preview)
        self._filter()
        self.table.resizeColumnsToContents()  # Qt measures the first rows only, however long the sheet
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), MAX_COLUMN_WIDTH))
        self.summary.setText(preview.summary if preview.plan is not None else "Chưa xem trước được tệp này.")
        sheet_problems = [p.message for p in preview.sheet_problems]
        self.sheet_problems.setText("\n".join(sheet_problems))
        self.sheet_problems.setVisible(bool(sheet_problems))
        bad = preview.count(Outcome.PROBLEM)
        self.export_button.setVisible(bad > 0)
        self.skip_box.setText(f"Nhập các dòng không lỗi, bỏ qua {bad} dòng lỗi")
        self.skip_box.setVisible(bad > 0 and not sheet_problems)
        self.completeChanged.emit()

    def _filter(self) -> None:
        outcome = self.filter.currentData()
        self.model.set_filter(None if outcome is None else lambda row: row.outcome == outcome)

    def _skip_toggled(self, on: bool) -> None:
        preview = self.owner.preview
        if not on or preview is None:
            return
        bad = preview.count(Outcome.PROBLEM)
        good = len(preview.rows) - bad
        if not messages.confirm(
            self,
            "Bỏ qua dòng lỗi",
            f"Chỉ nhập {good} dòng không lỗi và bỏ qua {bad} dòng lỗi?\nCác dòng lỗi không được ghi vào sổ: hãy xuất "
            "chúng ra bảng tính, sửa rồi nhập lại.",
            yes="Bỏ qua dòng lỗi",
        ):
            self.skip_box.setChecked(False)

    def ready(self) -> bool:
        return self.owner.preview is not None


# -- 5. the import ------------------------------------------------------------------------------------------------


class ImportPage(_Page):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, 5, "Nhập", "ghi vào sổ trong một lần, hoàn tác được bằng Ctrl+Z")
        self.text = _plain_label()
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        layout.addStretch()
        self.setFinalPage(True)

    def initializePage(self) -> None:
        preview = self.owner.preview
        assert preview is not None
        self.text.setText(f"Tệp «{preview.file_name}»: {preview.summary}")
        if preview.sheet_problems or preview.plan is None:
            self._refuse("Chưa nhập được: " + " ".join(p.message for p in preview.sheet_problems))
        elif preview.count(Outcome.PROBLEM) and not self.owner.preview_page.skip_box.isChecked():
            self._refuse(
                f"Có {preview.count(Outcome.PROBLEM)} dòng lỗi. Sửa tệp rồi nhập lại, hoặc xuất các dòng lỗi ra bảng "
                "tính (bước trước), hoặc chọn nhập các dòng không lỗi và bỏ qua dòng lỗi."
            )
        else:
            self._refuse("")
            noun = preview.kind.noun
            new, updated = preview.count(Outcome.NEW), preview.count(Outcome.UPDATE)
            skipped = preview.count(Outcome.PROBLEM)
            self.text.setText(
                self.text.text()
                + f"\n\nBấm «Nhập» để thêm {new} {noun} mới và cập nhật {updated} {noun}"
                + (f", bỏ qua {skipped} dòng lỗi" if skipped else "")
                + ". Nhập nhiều dòng thì phần mềm sao lưu trước."
            )

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.completeChanged.emit()

    def ready(self) -> bool:
        return self.owner.preview is not None and not self.error.text()

    def validatePage(self) -> bool:
        """Finish starts the import; the wizard closes once it is written (the worker's answer finishes again)."""
        if self.owner.report is not None:
            return True
        self.owner.run_commit()
        return False


# -- the wizard ---------------------------------------------------------------------------------------------------


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


class ImportWizard(QWizard):
    changed = Signal()

    def __init__(self, workspace: Workspace, kind_key: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.kind: ImportKind | None = None  # None: the citizens' results, imported by their own dialog
        self.loaded: LoadedSheet | None = None
        self.values: ValueChoices = {}
        self.preview: Preview | None = None
        self.report: ImportReport | None = None
        self.busy = False
        self._task: worker.Task | None = None  # run_task leaves the task to its caller to keep alive
        self._options: tuple[ImportKind, dict[str, engine.Options]] | None = None
        self.setWindowTitle("Nhập danh sách từ Excel")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(1050, 720)
        for button, text in BUTTON_TEXTS.items():
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.values_page = ValuesPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        for page_id, page in enumerate(
            (self.file_page, self.columns_page, self.values_page, self.preview_page, self.import_page)
        ):
            self.setPage(page_id, page)
        self.file_page.choose(kind_key)

    # -- what the officer decided -------------------------------------------------------------------------
    def settings(self) -> Settings:
        return Settings(self.columns_page.columns(), self.values)

    def value_options(self) -> dict[str, engine.Options]:
        """The kind's closed lists, read once per kind (the hamlets come from the database)."""
        assert self.kind is not None
        if self._options is None or self._options[0] is not self.kind:
            self._options = (self.kind, self.kind.options(self.workspace))
        return self._options[1]

    # -- work off the UI thread ---------------------------------------------------------------------------
    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        refused: Callable[[UserError], None],
    ) -> None:
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._set_busy(False)
            done(result)
            self._page_changed()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if not isinstance(error, UserError):
                raise error  # a bug: sys.excepthook logs it and tells the officer
            refused(error)
            self._page_changed()

        self._task = worker.run_task(lambda _task: work(), succeeded, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()
        self._page_changed()

    def _page_changed(self) -> None:
        """The current page's Next or Finish follows what the work just did."""
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()

    def _warn(self, title: str) -> Callable[[UserError], None]:
        return lambda error: messages.warn(self, title, str(error))

    # -- the steps ----------------------------------------------------------------------------------------
    def load(self, path: Path, sheet: str | None = None) -> None:
        kind = self.kind
        assert kind is not None

        def loaded(result: LoadedSheet) -> None:
            self.loaded, self.values = result, {}
            self.file_page.show_loaded(result)

        def refused(error: UserError) -> None:
            self.loaded = None
            self.file_page.show_failure(str(error))

        self._run(partial(load_sheet, kind, path, sheet), loaded, refused)

    def run_preview(self) -> None:
        kind, loaded, settings = self.kind, self.loaded, self.settings()
        assert kind is not None and loaded is not None

        def previewed(preview: Preview) -> None:
            self.preview = preview
            self.preview_page.show_preview(preview)

        def refused(error: UserError) -> None:
            self.preview_page.summary.setText(str(error))
            messages.warn(self, "Không xem trước được", str(error))

        self._run(partial(engine.preview_sheet, self.workspace, kind, loaded.layout, loaded.path.name, settings),
                  previewed, refused)  # fmt: skip

    def run_commit(self) -> None:
        preview, skip = self.preview, self.preview_page.skip_box.isChecked()
        assert preview is not None

        def committed(report: ImportReport) -> None:
            self.report = report
            self.changed.emit()
            messages.inform(self, "Đã nhập danh sách", report.summary)
            self.accept()

        self._run(partial(engine.commit, self.workspace, preview, skip), committed, self._warn("Chưa nhập được"))

    def open_citizen_import(self) -> None:
        from khuyenhoc_desktop.ui.dialogs.citizen_import_dialog import CitizenImportDialog

        self.hide()
        dialog = CitizenImportDialog(self.workspace, self.parentWidget())
        if dialog.exec() and dialog.report is not None:
            self.changed.emit()
        self.done(QDialog.DialogCode.Rejected)

    # -- files the officer keeps --------------------------------------------------------------------------
    def download_template(self, filled: bool) -> None:
        kind = self.kind
        assert kind is not None
        slug = _file_slug(kind)
        caption = "Lưu mẫu kèm dữ liệu hiện có" if filled else "Lưu mẫu trống"
        path = ask_save_path(self, caption, f"{slug}-hien-co.xlsx" if filled else f"mau-{slug}.xlsx")
        if path is None:
            return

        def written(rows: int) -> None:
            what = f"mẫu «{kind.title}» kèm {rows} dòng hiện có" if filled else f"mẫu trống «{kind.title}»"
            messages.inform(self, "Đã lưu mẫu", f"Đã lưu {what} vào:\n{path}")

        work = partial(import_workbooks.write_template, self.workspace, kind, path, filled)
        self._run(work, written, self._warn("Không lưu được mẫu"))

    def save_mapping(self) -> None:
        kind, loaded = self.kind, self.loaded
        assert kind is not None and loaded is not None
        if self.currentPage() is self.values_page:
            self.values = self.values_page.collect()
        path = ask_save_path(self, "Lưu ghép cột", f"ghep-cot-{_file_slug(kind)}.json")
        if path is None:
            return
        try:
            engine.save_settings(kind, path, self.settings(), loaded.layout.headers)
        except UserError as error:
            messages.warn(self, "Không lưu được ghép cột", str(error))
            return
        messages.inform(
            self, "Đã lưu ghép cột", f"Đã lưu ghép cột vào:\n{path}\nLần sau bấm «Mở ghép cột đã lưu…» để dùng lại."
        )

    def export_problem_rows(self) -> None:
        preview = self.preview
        assert preview is not None
        path = ask_save_path(self, "Xuất các dòng lỗi", f"{Path(preview.file_name).stem}-dong-loi.xlsx")
        if path is None:
            return

        def written(rows: int) -> None:
            messages.inform(
                self,
                "Đã xuất các dòng lỗi",
                f"Đã xuất {rows} dòng lỗi vào:\n{path}\nSửa từng dòng theo cột «{engine.PROBLEMS_HEADER}» rồi nhập "
                "lại tệp này.",
            )

        work = partial(import_workbooks.write_problem_rows, preview, path)
        self._run(work, written, self._warn("Không xuất được các dòng lỗi"))

    def reject(self) -> None:
        if not self.busy:  # never closed halfway through an import
            super().reject()


def import_into(page: QWidget, workspace: Workspace, kind_key: str) -> None:
    """The wizard opened from a register's own "Nhập từ Excel…" button, on that register's list: after an import the
    register reloads and tells the window (`changed`), which marks the other pages to reload."""
    wizard = ImportWizard(workspace, kind_key, page)
    wizard.changed.connect(page.reload)  # type: ignore[attr-defined]
    wizard.changed.connect(page.changed)  # type: ignore[attr-defined]
    wizard.exec()
