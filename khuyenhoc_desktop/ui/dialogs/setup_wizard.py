"""First run: who this folder belongs to, its hamlets and who signs, saved together or not at all."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.profile import (
    PROFILE_FIELD_LABELS,
    ROLE_LABELS,
    Role,
    clean_hamlet_names,
    clean_profile,
    clean_setup_hamlets,
)
from khuyenhoc_desktop.services import office as office_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.views.office_form import OfficeForm
from khuyenhoc_desktop.ui.views.profile_form import (
    SECTION_PEOPLE,
    SECTION_PLACE,
    SECTION_ROLE,
    ProfileForm,
    error_label,
    show_message,
)

PAGE_ROLE, PAGE_PLACE, PAGE_HAMLETS, PAGE_PEOPLE, PAGE_SUMMARY, PAGE_OFFICE = range(6)
# A consolidating office is asked what it consolidates where a commune is asked its hamlets.
_ORDER = {Role.COMMUNE: (PAGE_ROLE, PAGE_PLACE, PAGE_HAMLETS, PAGE_PEOPLE, PAGE_SUMMARY)}
_ORDER[Role.CONSOLIDATING_OFFICE] = (PAGE_ROLE, PAGE_PLACE, PAGE_OFFICE, PAGE_PEOPLE, PAGE_SUMMARY)
_PAGE_OF_SECTION = {SECTION_ROLE: PAGE_ROLE, SECTION_PLACE: PAGE_PLACE, SECTION_PEOPLE: PAGE_PEOPLE}

BUTTON_TEXTS = {
    QWizard.WizardButton.BackButton: "Quay lại",
    QWizard.WizardButton.NextButton: "Tiếp tục",
    QWizard.WizardButton.FinishButton: "Hoàn tất",
    QWizard.WizardButton.CancelButton: "Hủy",
}

WELCOME = (
    "Chào mừng anh, chị đến với Sổ khuyến học. Vài bước sau đây ghi lại đơn vị dùng máy này: vai trò, "
    "địa bàn, các ấp và người ký giấy tờ. Mọi thông tin đều sửa lại được trong Cài đặt."
)


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _page(title: str, subtitle: str, widgets: list[QWidget]) -> QWizardPage:
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(subtitle)
    layout = QVBoxLayout(page)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch()
    return page


class SetupWizard(QWizard):
    """Each page is checked when the officer presses «Tiếp tục», so a message appears beside the field;
    «Hoàn tất» stores everything through `services.profile.set_up` and stays open if that refuses."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Thiết lập ban đầu — Sổ khuyến học")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setMinimumSize(680, 520)
        for button, text in BUTTON_TEXTS.items():
            self.setButtonText(button, text)

        # The form is never shown itself: its sections are spread over the pages below.
        self.form = ProfileForm(self, titled=False)
        self.form.hide()
        self.hamlets = QPlainTextEdit()
        self.hamlets.setTabChangesFocus(True)
        self.hamlets.document().setDocumentMargin(6)  # room for stacked marks such as «Ấ» on the first line
        self._hamlet_hint = _label()
        self._hamlet_error = error_label()
        self.office = OfficeForm()
        self._summary = QFormLayout()
        summary_box = QWidget()
        summary_box.setLayout(self._summary)

        sections = self.form.sections
        pages: dict[int, tuple[str, str, list[QWidget]]] = {
            PAGE_ROLE: ("Chào mừng", "máy này dùng cho đơn vị nào?", [_label(WELCOME), sections[SECTION_ROLE]]),
            PAGE_PLACE: (
                "Địa bàn",
                "chọn tỉnh, thành phố rồi xã, phường (gõ không dấu cũng được)",
                [sections[SECTION_PLACE]],
            ),
            PAGE_HAMLETS: (
                "Ấp, thôn, khu phố",
                "các đơn vị dưới xã, phường",
                [self._hamlet_hint, self.hamlets, self._hamlet_error],
            ),
            PAGE_PEOPLE: (
                "Hội và người ký",
                "tên in trên giấy tờ và người nhập liệu",
                [sections[SECTION_PEOPLE]],
            ),
            PAGE_SUMMARY: ("Kiểm tra lại", "bấm «Hoàn tất» để lưu, hoặc «Quay lại» để sửa", [summary_box]),
            PAGE_OFFICE: ("Cơ quan tổng hợp", "cấp tổng hợp và các xã, phường gửi số liệu lên", [self.office]),
        }
        steps = len(_ORDER[Role.COMMUNE])
        for page_id, (title, subtitle, widgets) in pages.items():
            step = _ORDER[Role.CONSOLIDATING_OFFICE if page_id == PAGE_OFFICE else Role.COMMUNE].index(page_id)
            self.setPage(page_id, _page(title, f"Bước {step + 1}/{steps}: {subtitle}", widgets))

    def _order(self) -> tuple[int, ...]:
        return _ORDER.get(self.form.role(), _ORDER[Role.COMMUNE])

    def _position(self, page_id: int) -> int:
        return self._order().index(page_id)

    def nextId(self) -> int:
        order, current = self._order(), self.currentId()
        if current not in order or current == order[-1]:
            return -1
        return order[order.index(current) + 1]

    def hamlet_lines(self) -> list[str]:
        return self.hamlets.toPlainText().splitlines()

    def initializePage(self, page_id: int) -> None:
        super().initializePage(page_id)
        if page_id == PAGE_HAMLETS:
            self._hamlet_hint.setText(self._hamlet_hint_text())
        elif page_id == PAGE_OFFICE:
            self.office.set_province(self.form.value().province_code)
        elif page_id == PAGE_SUMMARY:
            self._fill_summary()

    def validateCurrentPage(self) -> bool:
        self.form.clear_error()
        self._hamlet_error.hide()
        try:
            if self.currentId() == PAGE_SUMMARY:
                self._store()
            else:
                self._check_up_to(self.currentId())
        except ValidationError as error:
            self._show_error(error)
            return False
        except UserError as error:
            messages.warn(self, "Không lưu được thiết lập", str(error))
            return False
        return super().validateCurrentPage()

    def _check_up_to(self, page_id: int) -> None:
        """Raise the first problem on this page or an earlier one; later pages are not filled in yet."""
        try:
            clean_profile(self.form.value(), date.today().year)
        except ValidationError as error:
            if self._position(self._page_of(error.field)) <= self._position(page_id):
                raise
        if self._is_commune() and page_id >= PAGE_HAMLETS:
            profile = self.form.value()
            clean_setup_hamlets(profile.role, profile.province_code, self.hamlet_lines())
        if not self._is_commune() and page_id == PAGE_OFFICE:
            self.office.plan()

    def _store(self) -> None:
        """The profile, then the office's communes: the office is checked first, so the second write
        only fails if the disk does (and the office page can then be filled in from the main window)."""
        hamlets = self.hamlet_lines() if self._is_commune() else []
        if not self._is_commune():
            self.office.plan()
        profile_service.set_up(self.workspace, self.form.value(), hamlets)
        if not self._is_commune():
            self.office.store(self.workspace)

    def _page_of(self, field: str) -> int:
        section = self.form.section_of(field)
        return PAGE_HAMLETS if section is None else _PAGE_OF_SECTION[section]

    def _show_error(self, error: ValidationError) -> None:
        target = self._page_of(error.field)
        while self._position(self.currentId()) > self._position(target):
            self.back()
        if target == PAGE_HAMLETS:
            show_message(self._hamlet_error, error)
            self.hamlets.setFocus()
        else:
            self.form.show_error(error)

    def _is_commune(self) -> bool:
        return self.form.role() == Role.COMMUNE

    def _hamlet_hint_text(self) -> str:
        word = admin_units.hamlet_word(self.form.value().province_code)
        return (
            f"Gõ mỗi dòng một tên, theo thứ tự sẽ in trong sổ, ví dụ «{word} Vĩnh Thạnh» hoặc «Khu phố 1». "
            "Sau này có thể thêm, đổi tên trong Cài đặt."
        )

    def _fill_summary(self) -> None:
        data = clean_profile(self.form.value(), date.today().year)
        names = clean_hamlet_names(self.hamlet_lines())
        labels = PROFILE_FIELD_LABELS
        rows = [
            (labels["role"], ROLE_LABELS[data.role]),
            (labels["province_code"], admin_units.province(data.province_code).name),
        ]
        if data.commune_code:
            rows.append((labels["commune_code"], admin_units.commune(data.commune_code).name))
        if self._is_commune():
            rows.append((labels["hamlets"], f"{len(names)}: " + ", ".join(names)))
        else:
            plan = self.office.plan()
            level = office_service.LEVEL_LABELS[plan.info.level]
            rows.append(("Cơ quan tổng hợp", f"{plan.info.name} ({level}), {len(plan.communes)} xã, phường"))
        rows += [
            (labels["association_name"], data.association_name),
            (labels["officer_name"], data.officer_name),
            ("Người ký", f"{data.signer_title} {data.signer_name}"),
            (labels["working_year"], str(data.working_year)),
        ]
        while self._summary.rowCount():
            self._summary.removeRow(0)
        for label, value in rows:
            self._summary.addRow(label + ":", _label(value))
