"""The yearly evaluation of one learning title: register, score, recognise by decision, and the list of
those recognised, for the working year."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.domain.text import format_count, format_date
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.services import evaluations
from khuyenhoc_desktop.services.evaluations import EvaluationRow
from khuyenhoc_desktop.services.subjects import SubjectRow, list_subjects
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.decision_dialog import DecisionDialog
from khuyenhoc_desktop.ui.dialogs.score_dialog import ScoreDialog
from khuyenhoc_desktop.ui.models.evaluation_models import STATUS_FILTERS, EvaluationsModel, SubjectChoiceModel
from khuyenhoc_desktop.ui.views.profile_form import error_label
from khuyenhoc_desktop.ui.views.table_view import bind_keys, register_table, select_record
from khuyenhoc_desktop.ui.widgets import DateEdit


class RegisterDialog(QDialog):
    """Tick the subjects that register this year (Space ticks the current row), set the date, Enter saves."""

    def __init__(
        self, workspace: Workspace, title: str, year: int, subjects: list[SubjectRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace, self.title, self.year = workspace, title, year
        self.registered_ids: list[str] = []
        self.setWindowTitle(f"Đăng ký {TITLE_LABELS[title]} năm {year}")
        self.resize(720, 560)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên, mã hộ, ấp (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.model = SubjectChoiceModel()
        self.model.set_rows(subjects)
        self.table = register_table(self.model)
        self.table.setObjectName("subjects_table")
        self.table.setTabKeyNavigation(False)
        self.check_shown = QPushButton("Chọn tất cả đang hiện")
        self.uncheck_all = QPushButton("Bỏ chọn tất cả")
        self.count_label = QLabel()
        self.registered_on = DateEdit(evaluations.default_registration_date(year))
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Đăng ký")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)

        tick_bar = QHBoxLayout()
        tick_bar.addWidget(self.count_label, 1)
        tick_bar.addWidget(self.check_shown)
        tick_bar.addWidget(self.uncheck_all)
        date_row = QHBoxLayout()
        date_row.addWidget(QLabel(evaluations.REGISTERED_ON_LABEL + " *"))
        date_row.addWidget(self.registered_on)
        date_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(tick_bar)
        layout.addLayout(date_row)
        layout.addWidget(QLabel("Dấu cách để chọn hoặc bỏ chọn dòng đang đứng; Enter để đăng ký."))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # only once it is the dialog's: Qt remembers it as the default then

        self.search.textChanged.connect(self._search)
        self.search.installEventFilter(self)
        self.check_shown.clicked.connect(self._check_shown)
        self.uncheck_all.clicked.connect(lambda: self.model.set_checked(set()))
        self.model.dataChanged.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self._update_count()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Down in the search goes to the list (Enter must not register what is ticked so far)."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
        ):
            self.table.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _search(self, text: str) -> None:
        self.model.set_query(text)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _check_shown(self) -> None:
        self.model.set_checked(self.model.checked | {row.id for row in self.model.rows()})

    def _update_count(self) -> None:
        chosen = len(self.model.checked)
        self.count_label.setText(f"Đã chọn {format_count(chosen)} / {format_count(self.model.total())}")
        self.save_button.setText(f"Đăng ký {format_count(chosen)} hồ sơ" if chosen else "Đăng ký")

    def save(self) -> None:
        try:
            self.registered_ids = evaluations.register(
                self.workspace,
                self.title,
                self.year,
                self.model.checked_ids(),
                self.registered_on.day(),
            )
        except ValidationError as error:
            self.error.setText(str(error))
            self.error.show()
            self.registered_on.setFocus()
            return
        except UserError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()


class EvaluationsView(QWidget):
    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.title_box = QComboBox()
        self.title_box.setObjectName("title_box")
        # A consolidating office recognises only its own units (province-level schools, agencies): it keeps no
        # households, clans, hamlets or citizens of its own.
        profile = workspace.profile
        office = profile is not None and profile.role == Role.CONSOLIDATING_OFFICE
        for code in [Title.UNIT] if office else list(TITLE_LABELS):
            self.title_box.addItem(TITLE_LABELS[code], code)
        self.year_label = QLabel()
        self.year_label.setToolTip("Đổi năm làm việc ở thanh công cụ phía trên")
        self.certificates_button = QPushButton("In giấy công nhận…")
        self.certificates_button.setToolTip(
            "In giấy cho các hồ sơ đã công nhận đang chọn, hoặc cho quyết định đang chọn, hoặc cả năm"
        )

        # The year's evaluations.
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên, mã hộ, ấp, số quyết định (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItems(list(STATUS_FILTERS))
        self.register_button = QPushButton("Đăng ký…")
        self.score_button = QPushButton("Chấm điểm… (Enter)")
        self.recognise_button = QPushButton("Công nhận…")
        self.unregister_button = QPushButton("Hủy đăng ký")
        self.model = EvaluationsModel()
        self.table = register_table(self.model)
        self.table.setObjectName("evaluations_table")
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.count_label = QLabel()

        # The recognised, by decision.
        self.recognised = QTreeWidget()
        self.recognised.setObjectName("recognised_tree")
        self.recognised.setHeaderLabels(["Quyết định / đối tượng", "Chi tiết", "Ấp", "Tổng điểm"])
        self.recognised.setColumnWidth(0, 460)
        self.recognised.setColumnWidth(1, 180)
        self.recognised.setColumnWidth(2, 160)
        self.revoke_button = QPushButton("Hủy quyết định…")
        self.recognised_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(QLabel("Danh hiệu:"))
        top.addWidget(self.title_box, 2)
        top.addWidget(self.year_label)
        top.addStretch(3)
        top.addWidget(self.certificates_button)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(QLabel("Trạng thái:"))
        bar.addWidget(self.status_filter, 1)
        for button in (self.register_button, self.score_button, self.recognise_button, self.unregister_button):
            bar.addWidget(button)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.addLayout(bar)
        listing_layout.addWidget(self.table)
        listing_layout.addWidget(self.count_label)
        recognised_page = QWidget()
        recognised_layout = QVBoxLayout(recognised_page)
        recognised_bar = QHBoxLayout()
        recognised_bar.addWidget(self.recognised_label, 1)
        recognised_bar.addWidget(self.revoke_button)
        recognised_layout.addLayout(recognised_bar)
        recognised_layout.addWidget(self.recognised)
        self.tabs = QTabWidget()
        self.tabs.addTab(listing, "Hồ sơ đăng ký")
        self.tabs.addTab(recognised_page, "Danh sách được công nhận")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs)

        self.title_box.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self._apply_filter)
        self.search.returnPressed.connect(self.table.setFocus)
        self.status_filter.currentIndexChanged.connect(self._apply_filter)
        self.register_button.clicked.connect(self.register)
        self.score_button.clicked.connect(self.score_selected)
        self.recognise_button.clicked.connect(self.recognise)
        self.unregister_button.clicked.connect(self.unregister_selected)
        self.revoke_button.clicked.connect(self.revoke_decision)
        self.certificates_button.clicked.connect(self.print_certificates)
        self.table.doubleClicked.connect(lambda _index: self.score_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.recognised.currentItemChanged.connect(lambda *_: self._update_buttons())
        bind_keys(
            self.table,
            (Qt.Key.Key_Return, self.score_selected),
            (Qt.Key.Key_Enter, self.score_selected),
            (Qt.Key.Key_Insert, self.register),
            (Qt.Key.Key_Delete, self.unregister_selected),
        )
        bind_keys(self.recognised, (Qt.Key.Key_Delete, self.revoke_decision))
        self.reload()

    # -- loading ------------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.title_box.currentData())

    @property
    def year(self) -> int:
        return self.workspace.working_year

    def set_title(self, title: str) -> None:
        self.title_box.setCurrentIndex(self.title_box.findData(title))

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def reload(self) -> None:
        """Re-read the working year's evaluations and decisions of the chosen title, keeping the selection."""
        keep = self.current_evaluation()
        self.year_label.setText(f"Năm {self.year}")
        self.model.set_title(self.title)
        self.model.set_rows(evaluations.list_evaluations(self.workspace, self.title, self.year))
        self._apply_filter()
        if not (keep is not None and self.select_evaluation(keep.id)) and self.model.rowCount():
            self.table.selectRow(0)
        self._fill_recognised()
        self._update_buttons()

    def _reload_rows(self, ids: list[str]) -> None:
        self.model.upsert_rows(evaluations.list_evaluations(self.workspace, self.title, self.year, ids))
        self._apply_filter()
        self._fill_recognised()
        self.changed.emit()

    def _apply_filter(self) -> None:
        self.model.set_query(self.search.text(), self.status_filter.currentText())
        everything = self.model.all_rows()
        counts = {
            status: sum(1 for r in everything if r.status == status)
            for status in (
                evaluations.STATUS_REGISTERED,
                evaluations.STATUS_PASSED,
                evaluations.STATUS_FAILED,
                evaluations.STATUS_RECOGNISED,
            )
        }
        summary = ", ".join(f"{format_count(n)} {status.lower()}" for status, n in counts.items() if n)
        shown, total = self.model.rowCount(), self.model.total()
        head = (
            f"{format_count(total)} hồ sơ"
            if shown == total
            else f"Hiện {format_count(shown)} / {format_count(total)} hồ sơ"
        )
        self.count_label.setText(f"{head}: {summary}" if summary else head)
        self._update_buttons()

    def _fill_recognised(self) -> None:
        self.recognised.clear()
        recognised: dict[str, list[EvaluationRow]] = {}
        for row in self.model.all_rows():
            if row.decision_id is not None:
                recognised.setdefault(row.decision_id, []).append(row)
        decisions = evaluations.list_decisions(self.workspace, self.year, self.title)
        for decision in decisions:
            rows = recognised.get(decision.id, [])
            top = QTreeWidgetItem(
                [
                    f"Quyết định số {decision.number} ngày {format_date(decision.signed_on)} — "
                    f"{decision.signer_title} {decision.signer_name} ({format_count(len(rows))} hồ sơ)",
                ]
            )
            top.setData(0, Qt.ItemDataRole.UserRole, decision.id)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for row in rows:
                child = QTreeWidgetItem(
                    [row.subject_name, row.subject_detail, row.hamlet_name, "" if row.total is None else str(row.total)]
                )
                child.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                top.addChild(child)
            self.recognised.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            top.setExpanded(True)
        total = sum(len(r) for r in recognised.values())
        self.recognised_label.setText(
            f"{TITLE_LABELS[self.title]} năm {self.year}: {format_count(total)} được công nhận "
            f"theo {format_count(len(decisions))} quyết định"
        )
        self._select_decision(decisions[0].id if decisions else None)

    def _select_decision(self, decision_id: str | None) -> None:
        for i in range(self.recognised.topLevelItemCount()):
            item = self.recognised.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == decision_id:
                self.recognised.setCurrentItem(item)

    # -- selection ----------------------------------------------------------------------------------
    def current_evaluation(self) -> EvaluationRow | None:
        index = self.table.currentIndex()
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return None
        row = index.row() if index.isValid() and any(i.row() == index.row() for i in selected) else selected[0].row()
        return self.model.row_at(row)

    def selected_evaluations(self) -> list[EvaluationRow]:
        return [self.model.row_at(i.row()) for i in sorted(self.table.selectionModel().selectedRows())]

    def select_evaluation(self, evaluation_id: str) -> bool:
        return select_record(self.table, evaluation_id)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _passed_open(self) -> list[EvaluationRow]:
        return [r for r in self.model.all_rows() if r.passed and not r.recognised]

    def _update_buttons(self) -> None:
        current = self.current_evaluation()
        self.score_button.setEnabled(current is not None)
        self.unregister_button.setEnabled(current is not None and not current.recognised)
        self.recognise_button.setEnabled(bool(self._passed_open()))
        item = self.recognised.currentItem()
        self.revoke_button.setEnabled(item is not None and item.parent() is None)

    # -- the cycle ----------------------------------------------------------------------------------
    def register(self) -> None:
        taken = {r.subject_id for r in self.model.all_rows()}
        free = [s for s in list_subjects(self.workspace, self.title) if s.id not in taken]
        if not free:
            messages.inform(
                self,
                "Đăng ký",
                f"Mọi đối tượng trong sổ đã đăng ký {TITLE_LABELS[self.title]} năm {self.year}.",
            )
            return
        dialog = RegisterDialog(self.workspace, self.title, self.year, free, self)
        if dialog.exec() and dialog.registered_ids:
            self._reload_rows(dialog.registered_ids)
            if not self.select_evaluation(dialog.registered_ids[0]):
                self.search.clear()
                self.status_filter.setCurrentIndex(0)
                self.select_evaluation(dialog.registered_ids[0])

    def score_selected(self) -> None:
        current = self.current_evaluation()
        if current is None:
            return
        try:
            form = evaluations.score_form(self.workspace, current.id)
        except UserError as error:
            messages.warn(self, "Không chấm điểm được", str(error))
            return
        dialog = ScoreDialog(self.workspace, form, self)
        if dialog.exec() and dialog.outcome is not None:
            self._reload_rows([current.id])
            self.select_evaluation(current.id)

    def recognise(self) -> None:
        candidates = self._passed_open()
        if not candidates:
            messages.inform(self, "Công nhận", "Chưa có hồ sơ nào đạt mà chưa được công nhận.")
            return
        selected = self.selected_evaluations()
        chosen = {r.id for r in selected if r.passed and not r.recognised} if len(selected) > 1 else set()
        dialog = DecisionDialog(
            self.workspace, self.title, self.year, candidates, chosen or {r.id for r in candidates}, self
        )
        if dialog.exec() and dialog.decision_id:
            self._reload_rows(dialog.checked_ids())
            self.tabs.setCurrentIndex(1)
            self._select_decision(dialog.decision_id)

    def unregister_selected(self) -> None:
        current = self.current_evaluation()
        if current is None:
            return
        if current.recognised:
            messages.warn(
                self,
                "Không hủy đăng ký được",
                f"{current.subject_label} đã được công nhận theo quyết định số {current.decision_number}: "
                "hãy hủy quyết định trước.",
            )
            return
        if not messages.confirm(
            self,
            "Hủy đăng ký",
            f"Hủy đăng ký {TITLE_LABELS[self.title]} năm {self.year} của {current.subject_label}?\n"
            "Điểm đã chấm (nếu có) đi cùng hồ sơ vào thùng rác; có thể hoàn tác bằng Ctrl+Z.",
            yes="Hủy đăng ký",
            no="Không",
        ):
            return
        row = self.model.find(lambda r: r.id == current.id)
        try:
            evaluations.unregister(self.workspace, current.id)
        except UserError as error:
            messages.warn(self, "Không hủy đăng ký được", str(error))
            return
        self.model.remove_ids({current.id})
        self._apply_filter()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self._fill_recognised()
        self.changed.emit()

    def print_certificates(self) -> None:
        """For the recognised records selected in the list, else the decision current in the recognised tab,
        else every recognition of the title and year."""
        from khuyenhoc_desktop.ui.dialogs.certificates_dialog import CertificatesDialog

        on_list = self.tabs.currentIndex() == 0
        chosen = [r.subject_id for r in self.selected_evaluations() if r.recognised] if on_list else []
        item = None if on_list else self.recognised.currentItem()
        decision = item.parent() or item if item is not None else None
        decision_id = decision.data(0, Qt.ItemDataRole.UserRole) if decision is not None else None
        dialog = CertificatesDialog(self.workspace, self.title, self.year, decision_id, chosen or None, self)
        dialog.exec()

    def revoke_decision(self) -> None:
        item = self.recognised.currentItem()
        if item is None or item.parent() is not None:
            return
        if not messages.confirm(
            self,
            "Hủy quyết định công nhận",
            f"Hủy {item.text(0)}?\nCác hồ sơ trở lại trạng thái «đã chấm — đạt»; có thể hoàn tác bằng Ctrl+Z.",
            yes="Hủy quyết định",
            no="Không",
        ):
            return
        evaluations.revoke_decision(self.workspace, item.data(0, Qt.ItemDataRole.UserRole))
        self.reload()
        self.changed.emit()
