"""The evaluation form: one spin box per indicator, typed from the keyboard, with criterion subtotals, the
total and the verdict ("Chưa đạt: thiếu 3 điểm; chỉ tiêu 4 dưới 5 điểm") recomputed on every keystroke."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.rubric import Indicator, Outcome, score
from khuyenhoc_desktop.domain.text import format_date
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services import evaluations
from khuyenhoc_desktop.services.evaluations import ScoreForm
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.models.evaluation_models import FAILED_COLOR, PASSED_COLOR
from khuyenhoc_desktop.ui.views.profile_form import error_label

_MOVE_ON = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
COL_CODE, COL_TEXT, COL_MAX, COL_POINTS, COL_PREFILL = range(5)


def _item(text: str, bold: bool = False, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ScoreDialog(QDialog):
    """Saves through `evaluations.score`; `outcome` holds the verdict once saved. A recognised evaluation
    is shown read-only."""

    def __init__(self, workspace: Workspace, form: ScoreForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.form = form
        self.outcome: Outcome | None = None
        row, rubric = form.evaluation, form.rubric
        self.setWindowTitle(f"Chấm điểm {TITLE_LABELS[row.title]} năm {row.year}")
        self.resize(980, 680)

        heading = QLabel(f"<b>{TITLE_LABELS[row.title]} năm {row.year}: {row.subject_label}</b>")
        minimum = (
            " và không chỉ tiêu nào dưới mức tối thiểu"
            if any(i.min_points is not None for i in rubric.indicators)
            else ""
        )
        rubric_line = QLabel(
            f"Bộ tiêu chí «{rubric.name}» phiên bản {rubric.version}"
            + (f" ({rubric.basis})" if rubric.basis else "")
            + f". Đạt khi từ {rubric.pass_mark}/{rubric.max_points} điểm{minimum}."
        )
        rubric_line.setWordWrap(True)

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("score_table")
        self.table.setHorizontalHeaderLabels(["Mã", "Nội dung chỉ tiêu", "Tối đa", "Điểm", "Tự điền từ dữ liệu"])
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        # Fixed widths, so the rows can be sized to their wrapped text once; the notes column takes the rest.
        for column, width in ((COL_CODE, 50), (COL_TEXT, 480), (COL_MAX, 60), (COL_POINTS, 80), (COL_PREFILL, 260)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)

        self.spins: dict[str, QSpinBox] = {}
        self._subtotals: list[tuple[QTableWidgetItem, tuple[Indicator, ...], int]] = []
        self._prefill_items: dict[str, QTableWidgetItem] = {}
        self._rows: dict[str, int] = {}  # indicator code → table row
        for number, criterion in enumerate(rubric.criteria, start=1):
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, COL_CODE, _item(str(number), bold=True))
            self.table.setItem(r, COL_TEXT, _item(criterion.name, bold=True))
            self.table.setItem(r, COL_MAX, _item(str(criterion.max_points), bold=True, align_right=True))
            subtotal = _item("", bold=True, align_right=True)
            self.table.setItem(r, COL_POINTS, subtotal)
            self.table.setItem(r, COL_PREFILL, _item(""))
            self._subtotals.append((subtotal, criterion.indicators, criterion.max_points))
            for indicator in criterion.indicators:
                self._add_indicator(indicator)

        self.total_label = QLabel()
        self.total_label.setObjectName("total_label")
        big = QFont(self.total_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.total_label.setFont(big)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("reason_label")
        self.reason_label.setFont(big)
        self.reason_label.setWordWrap(True)
        self.error = error_label()

        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Lưu")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy" if not row.recognised else "Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(rubric_line)
        if row.recognised:
            locked = QLabel(
                f"Đã công nhận theo quyết định số {row.decision_number} ngày {format_date(row.decision_date)}: "
                "chỉ xem, không sửa được điểm."
            )
            locked.setStyleSheet("color: #7a4f01;")
            layout.addWidget(locked)
            for spin in self.spins.values():
                spin.setReadOnly(True)
            self.save_button.setEnabled(False)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.reason_label)
        layout.addWidget(QLabel("Gõ điểm rồi Enter hoặc Tab để sang chỉ tiêu kế tiếp; Enter ở chỉ tiêu cuối để lưu."))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # only once it is the dialog's: Qt remembers it as the default then
        self._update()
        self.table.resizeRowsToContents()
        first = next(iter(self.spins.values()), None)
        if first is not None:
            first.setFocus()
            first.selectAll()

    def _add_indicator(self, indicator: Indicator) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, COL_CODE, _item(indicator.code))
        text = indicator.text
        if indicator.min_points is not None:
            text += f" (tối thiểu {indicator.min_points} điểm)"
        self.table.setItem(r, COL_TEXT, _item(text))
        self.table.setItem(r, COL_MAX, _item(str(indicator.max_points), align_right=True))
        spin = QSpinBox()
        spin.setObjectName(f"points_{indicator.code}")
        spin.setRange(0, indicator.max_points)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setValue(self.form.points.get(indicator.code, 0))
        spin.setAccessibleName(f"Điểm chỉ tiêu {indicator.code}")
        spin.installEventFilter(self)
        spin.valueChanged.connect(self._update)
        # In a cell of its own the spin box would stretch to the row's height when the text wraps.
        cell = QWidget()
        cell_layout = QHBoxLayout(cell)
        cell_layout.setContentsMargins(2, 0, 2, 0)
        cell_layout.addWidget(spin, 0, Qt.AlignmentFlag.AlignVCenter)
        self.table.setCellWidget(r, COL_POINTS, cell)
        self.spins[indicator.code] = spin
        self._rows[indicator.code] = r
        if indicator.code in self.form.suggestions.points:
            prefill = _item("")
            prefill.setToolTip(self.form.suggestions.explanations[indicator.code])
            spin.setToolTip(f"Tự điền: {self.form.suggestions.explanations[indicator.code]}")
            self.table.setItem(r, COL_PREFILL, prefill)
            self._prefill_items[indicator.code] = prefill
        else:
            self.table.setItem(r, COL_PREFILL, _item(""))

    # -- live figures -------------------------------------------------------------------------------
    def points(self) -> dict[str, int]:
        return {code: spin.value() for code, spin in self.spins.items()}

    def _update(self) -> None:
        points = self.points()
        for item, indicators, max_points in self._subtotals:
            item.setText(f"{sum(points[i.code] for i in indicators)}/{max_points}")
        for code, item in self._prefill_items.items():
            suggested = self.form.suggestions.points[code]
            why = self.form.suggestions.explanations[code]
            changed = points[code] != suggested
            item.setText(f"Đã sửa điểm tự điền ({suggested}): {why}" if changed else f"Tự điền: {why}")
            item.setForeground(FAILED_COLOR if changed else PASSED_COLOR)
        outcome = score(self.form.rubric, points)
        self.total_label.setText(f"Tổng điểm: {outcome.total}/{self.form.rubric.max_points}")
        self.reason_label.setText(outcome.reason_text)
        self.reason_label.setStyleSheet(f"color: {(PASSED_COLOR if outcome.passed else FAILED_COLOR).name()};")

    # -- keyboard -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QSpinBox)
            and event.key() in (*_MOVE_ON, Qt.Key.Key_Backtab)
        ):
            codes = list(self.spins)
            position = codes.index(next(c for c, s in self.spins.items() if s is watched))
            step = -1 if event.key() == Qt.Key.Key_Backtab else 1
            if step == 1 and position == len(codes) - 1:
                if event.key() == Qt.Key.Key_Tab:
                    self.save_button.setFocus()
                else:
                    self.save()
            elif 0 <= position + step < len(codes):
                self.focus_indicator(codes[position + step])
            return True
        return super().eventFilter(watched, event)

    def focus_indicator(self, code: str) -> None:
        spin = self.spins[code]
        self.table.scrollTo(self.table.model().index(self._rows[code], COL_POINTS))
        spin.setFocus(Qt.FocusReason.TabFocusReason)
        spin.selectAll()

    # -- saving -------------------------------------------------------------------------------------
    def save(self) -> None:
        if self.form.evaluation.recognised:
            return
        try:
            self.outcome = evaluations.score(self.workspace, self.form.evaluation.id, self.points())
        except ValidationError as error:
            self.error.setText(str(error))
            self.error.show()
            if error.field in self.spins:
                self.focus_indicator(error.field)
            return
        except UserError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()
