"""The rubric editor: name, basis, pass mark, validity, and the criteria → indicators tree with their points,
the total kept up to date as the officer types. A rubric already used for scoring is saved as a new version
(services.rubrics decides; the dialog says so before and after)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut, QValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.rubric import Criterion, Indicator, Rubric
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services import rubrics as rubric_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.views.profile_form import error_label

USED_NOTE = "Bộ tiêu chí này đã được dùng để chấm; khi lưu sẽ tạo phiên bản mới."
NOTE_STYLE = "background: #fff4ce; border: 1px solid #e0c060; padding: 6px;"
PREFILL_TIP = "Khi chấm, điểm chỉ tiêu này được điền sẵn từ dữ liệu trong sổ; cán bộ vẫn sửa được."
OPEN_ENDED = "Không thời hạn"
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_POINTS = 1000
COL_CODE, COL_TEXT, COL_MAX, COL_MIN = range(4)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class OptionalPointsBox(QSpinBox):
    """Points or nothing: an empty box (or Down below 0) means "no minimum"."""

    NONE = -1

    def __init__(self, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(self.NONE, maximum)

    def textFromValue(self, value: int) -> str:
        return "" if value < 0 else str(value)

    def valueFromText(self, text: str) -> int:
        return self.NONE if not text.strip() else int(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if not text.strip():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def points(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_points(self, value: int | None) -> None:
        self.setValue(self.NONE if value is None else value)


def _year_box(minimum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, LAST_YEAR)
    box.setGroupSeparatorShown(False)
    return box


def _points_box(minimum: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, MAX_POINTS)
    return box


@dataclass
class IndicatorRow:
    item: QTreeWidgetItem
    code: QLineEdit
    text: QLineEdit
    max_points: QSpinBox
    min_points: OptionalPointsBox
    prefill: str  # kept with the indicator whatever its code becomes

    def value(self) -> Indicator:
        return Indicator(
            self.code.text(), self.text.text(), self.max_points.value(), self.min_points.points(), self.prefill
        )


@dataclass
class CriterionRow:
    item: QTreeWidgetItem
    name: QLineEdit
    indicators: list[IndicatorRow] = field(default_factory=list)

    def value(self) -> Criterion:
        return Criterion(self.name.text(), tuple(row.value() for row in self.indicators))


class RubricEditor(QDialog):
    """Edit one rubric version; `saved_id` is the id written (a new one when the rubric had been used)."""

    def __init__(self, workspace: Workspace, rubric_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.rubric = rubric_service.get_rubric(workspace, rubric_id)
        self.used = rubric_service.is_used(workspace, rubric_id)
        self.saved_id = ""
        self.criteria: list[CriterionRow] = []
        self._cell_of: dict[QObject, tuple[QTreeWidgetItem, int]] = {}  # where each box sits: focus selects its row
        title_label = TITLE_LABELS.get(self.rubric.title, self.rubric.title)
        self.setWindowTitle(f"Bộ tiêu chí {title_label} — phiên bản {self.rubric.version}")
        self.setMinimumSize(960, 640)

        self.used_note = QLabel(USED_NOTE)
        self.used_note.setStyleSheet(NOTE_STYLE)
        self.used_note.setVisible(self.used)
        self.name_edit = QLineEdit(self.rubric.name)
        self.basis_edit = QLineEdit(self.rubric.basis)
        self.pass_mark = _points_box(0)
        self.pass_mark.setValue(self.rubric.pass_mark)
        self.valid_from = _year_box(FIRST_YEAR)
        self.valid_from.setValue(self.rubric.valid_from)
        self.valid_to = _year_box(FIRST_YEAR - 1)
        self.valid_to.setSpecialValueText(OPEN_ENDED)
        self.valid_to.setValue(self.rubric.valid_to or self.valid_to.minimum())
        self.total_label = QLabel()
        bold = QFont(self.total_label.font())
        bold.setBold(True)
        self.total_label.setFont(bold)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Mã", "Tiêu chí / chỉ tiêu", "Điểm tối đa", "Điểm tối thiểu"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_CODE, 110), (COL_MAX, 100), (COL_MIN, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(column, width)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)

        self.add_criterion_button = QPushButton("Thêm tiêu chí")
        self.add_indicator_button = QPushButton("Thêm chỉ tiêu")
        self.remove_button = QPushButton("Xóa dòng đang chọn")
        self.error = error_label()
        self.save_button = QPushButton("Lưu")
        cancel = QPushButton("Hủy")
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (
            self.add_criterion_button,
            self.add_indicator_button,
            self.remove_button,
            self.save_button,
            cancel,
        ):
            button.setAutoDefault(False)  # Enter moves between the boxes; Ctrl+S saves

        form = QFormLayout()
        form.addRow("Tên bộ tiêu chí *", self.name_edit)
        form.addRow("Căn cứ", self.basis_edit)
        years = QHBoxLayout()
        years.addWidget(self.valid_from)
        years.addWidget(QLabel("đến năm"))
        years.addWidget(self.valid_to)
        years.addStretch(1)
        form.addRow("Áp dụng từ năm *", years)
        marks = QHBoxLayout()
        marks.addWidget(self.pass_mark)
        marks.addWidget(self.total_label, 1)
        form.addRow("Điểm đạt *", marks)
        tools = QHBoxLayout()
        tools.addWidget(self.add_criterion_button)
        tools.addWidget(self.add_indicator_button)
        tools.addWidget(self.remove_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.used_note)
        layout.addLayout(form)
        layout.addLayout(tools)
        layout.addWidget(self.tree, 1)
        layout.addWidget(
            QLabel(
                "Enter chuyển sang ô kế tiếp, Ctrl+S để lưu. Để trống điểm tối thiểu nếu chỉ tiêu không có mức "
                "tối thiểu; chấm dưới mức tối thiểu thì chưa đạt dù đủ tổng điểm."
            )
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        for widget in (self.name_edit, self.basis_edit, self.valid_from, self.valid_to, self.pass_mark):
            widget.installEventFilter(self)
        self.add_criterion_button.clicked.connect(self.add_criterion)
        self.add_indicator_button.clicked.connect(self.add_indicator)
        self.remove_button.clicked.connect(self.remove_current)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        self._build(self.rubric.criteria)
        self.name_edit.setFocus()

    # -- the tree -----------------------------------------------------------------------------------
    def _build(self, criteria: tuple[Criterion, ...] | list[Criterion]) -> None:
        """(Re)create every row, so the tab order is always the order on screen."""
        self._cell_of = {}  # first: focus passes between the dying boxes while the tree clears
        self.tree.setFocus()
        self.tree.clear()
        self.criteria = []
        for number, criterion in enumerate(criteria, start=1):
            item = QTreeWidgetItem(self.tree, [f"Tiêu chí {number}", "", "", ""])
            bold = QFont(item.font(COL_CODE))
            bold.setBold(True)
            for column in (COL_CODE, COL_MAX):
                item.setFont(column, bold)
            row = CriterionRow(item, self._line_edit(item, COL_TEXT, criterion.name, "Tên tiêu chí"))
            for indicator in criterion.indicators:
                row.indicators.append(self._indicator_row(item, indicator))
            self.criteria.append(row)
        self.tree.expandAll()
        self._update_totals()

    def _indicator_row(self, parent: QTreeWidgetItem, indicator: Indicator) -> IndicatorRow:
        """The boxes are placed left to right: Tab and Enter follow the order they were placed in."""
        item = QTreeWidgetItem(parent)
        code = self._line_edit(item, COL_CODE, indicator.code, "Mã")
        if indicator.prefill:
            code.setToolTip(PREFILL_TIP)
        text = self._line_edit(item, COL_TEXT, indicator.text, "Nội dung chỉ tiêu")
        maximum = _points_box(0)
        maximum.setValue(indicator.max_points)
        maximum.valueChanged.connect(self._update_totals)
        self._place(item, COL_MAX, maximum)
        minimum = OptionalPointsBox(MAX_POINTS)
        minimum.set_points(indicator.min_points)
        self._place(item, COL_MIN, minimum)
        return IndicatorRow(item, code, text, maximum, minimum, indicator.prefill)

    def _line_edit(self, item: QTreeWidgetItem, column: int, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(placeholder)
        edit.setCursorPosition(0)
        if column == COL_TEXT:  # long texts do not fit: the tooltip shows the whole of it
            edit.setToolTip(text)
            edit.textChanged.connect(edit.setToolTip)
        self._place(item, column, edit)
        return edit

    def _place(self, item: QTreeWidgetItem, column: int, widget: QWidget) -> None:
        self.tree.setItemWidget(item, column, widget)
        widget.installEventFilter(self)
        self._cell_of[widget] = (item, column)

    def _values(self) -> list[Criterion]:
        return [row.value() for row in self.criteria]

    def _update_totals(self) -> None:
        for row in self.criteria:
            row.item.setText(COL_MAX, f"{sum(i.max_points.value() for i in row.indicators)} điểm")
        total = sum(i.max_points.value() for row in self.criteria for i in row.indicators)
        self.total_label.setText(f"trên tổng {total} điểm")

    def _position(self) -> tuple[int, int]:
        """(criterion, indicator) of the current row; indicator -1 on a criterion row, (-1, -1) on none."""
        item = self.tree.currentItem()
        for c, row in enumerate(self.criteria):
            if row.item is item:
                return c, -1
            for i, indicator in enumerate(row.indicators):
                if indicator.item is item:
                    return c, i
        return -1, -1

    def _next_code(self, criterion: int) -> str:
        """ "1", "2", … when the rubric numbers its indicators straight through, else "2.1", "2.2", …"""
        codes = {i.code.text() for row in self.criteria for i in row.indicators}
        if codes and all(code.isdigit() for code in codes):
            return str(max(int(code) for code in codes) + 1)
        number = 1
        while f"{criterion + 1}.{number}" in codes:
            number += 1
        return f"{criterion + 1}.{number}"

    def add_criterion(self) -> None:
        values = self._values()
        values.append(Criterion("", (Indicator(self._next_code(len(values)), "", 10),)))
        self._build(values)
        self.criteria[-1].name.setFocus()

    def add_indicator(self) -> None:
        """After the current indicator, or at the end of the current criterion (the last one if none)."""
        if not self.criteria:
            self.add_criterion()
            return
        c, i = self._position()
        c = c if c >= 0 else len(self.criteria) - 1
        values = self._values()
        indicators = list(values[c].indicators)
        at = i + 1 if i >= 0 else len(indicators)
        indicators.insert(at, Indicator(self._next_code(c), "", 10))
        values[c] = Criterion(values[c].name, tuple(indicators))
        self._build(values)
        self.criteria[c].indicators[at].text.setFocus()

    def remove_current(self) -> None:
        c, i = self._position()
        if c < 0:
            return
        values = self._values()
        if i >= 0:
            indicators = list(values[c].indicators)
            del indicators[i]
            values[c] = Criterion(values[c].name, tuple(indicators))
        else:
            criterion = values[c]
            if criterion.indicators and not messages.confirm(
                self,
                "Xóa tiêu chí",
                f"Xóa tiêu chí «{criterion.name}» cùng {len(criterion.indicators)} chỉ tiêu của nó?",
                yes="Xóa",
            ):
                return
            del values[c]
        self._build(values)
        if self.criteria:
            row = self.criteria[min(c, len(self.criteria) - 1)]
            target = row.indicators[min(i, len(row.indicators) - 1)] if i >= 0 and row.indicators else None
            (target.text if target else row.name).setFocus()

    # -- rows for tests and keyboard ----------------------------------------------------------------
    def indicator(self, code: str) -> IndicatorRow:
        return next(i for row in self.criteria for i in row.indicators if i.code.text() == code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self._cell_of:
            # The cell of the focused box, exactly: the view hands focus to the current cell's box, so any
            # other cell would pull the focus away again.
            item, column = self._cell_of[watched]
            if self.tree.currentItem() is not item or self.tree.currentColumn() != column:
                self.tree.setCurrentItem(item, column)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in _ENTER:
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)

    # -- saving -------------------------------------------------------------------------------------
    def edited(self) -> Rubric:
        return Rubric(
            title=self.rubric.title,
            name=self.name_edit.text(),
            version=self.rubric.version,
            pass_mark=self.pass_mark.value(),
            criteria=tuple(self._values()),
            valid_from=self.valid_from.value(),
            valid_to=None if self.valid_to.value() == self.valid_to.minimum() else self.valid_to.value(),
            basis=self.basis_edit.text(),
            id=self.rubric.id,
        )

    def save(self) -> None:
        try:
            saved_id = rubric_service.save_rubric(self.workspace, self.edited())
        except ValidationError as error:
            self._show_error(error)
            return
        except UserError as error:
            messages.warn(self, "Không lưu được", str(error))
            return
        self.saved_id = saved_id
        if saved_id != self.rubric.id:
            version = rubric_service.get_rubric(self.workspace, saved_id).version
            messages.inform(
                self,
                "Đã tạo phiên bản mới",
                f"Bộ tiêu chí «{self.rubric.name}» phiên bản {self.rubric.version} đã được dùng để chấm nên "
                f"được giữ nguyên.\nCác thay đổi đã được lưu thành phiên bản {version}.",
            )
        self.accept()

    def _show_error(self, error: ValidationError) -> None:
        self.error.setText(str(error))
        self.error.show()
        target = self._error_widget(error)
        target.setFocus()
        if isinstance(target, QLineEdit):
            target.selectAll()

    def _error_widget(self, error: ValidationError) -> QWidget:
        """The box the message is about: a named field, the indicator or criterion it names, or the tree."""
        fields: dict[str, QWidget] = {
            "name": self.name_edit,
            "pass_mark": self.pass_mark,
            "valid_to": self.valid_to,
        }
        if error.field in fields:
            return fields[error.field]
        label = error.field_label
        for number, row in enumerate(self.criteria, start=1):
            if label == f"Tiêu chí {number}":
                return row.name
            for indicator in row.indicators:
                if label == f"Chỉ tiêu {indicator.code.text()}":
                    return indicator.max_points if "điểm" in error.message else indicator.text
                if label == "Chỉ tiêu" and not (indicator.code.text().strip() and indicator.text.text().strip()):
                    return indicator.code if not indicator.code.text().strip() else indicator.text
        return self.tree
