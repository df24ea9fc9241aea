"""Printing certificates: giấy công nhận for a title's recognised records of a year (or of one decision), giấy
khen for the year's commendations.

The officer ticks the recipients, previews the very pages that would print, then prints through the system's
printer dialog or saves one PDF. Serials are issued (and a reprint logged) only when the certificates leave
the machine, on paper or as a file: a preview issues nothing. The PDF is written on the worker with progress
and cancel, since hundreds of pages take a while.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPixmap, QResizeEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.documents.certificates import write_certificates
from khuyenhoc_desktop.domain.certificates import CertificateKind, CertificateText
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.domain.text import fold, format_count, format_date, matches
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services import evaluations
from khuyenhoc_desktop.services.certificates import Recipient
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages, worker
from khuyenhoc_desktop.ui.models.evaluation_models import SubjectChoiceModel
from khuyenhoc_desktop.ui.models.table_model import Column, count_column
from khuyenhoc_desktop.ui.pdf_pages import PdfPages
from khuyenhoc_desktop.ui.save_path import ask_save_path
from khuyenhoc_desktop.ui.views.table_view import register_table

COMMENDATION = CertificateKind.COMMENDATION.value
CERTIFICATE_CHOICES: dict[str, str] = {**TITLE_LABELS, COMMENDATION: "Giấy khen"}  # what can be printed
MAX_PRINT_DPI = 300  # an A4 page at 600 dpi is a 140 MB image; 300 dpi prints text and seal lines cleanly
ALL_DECISIONS = "Mọi quyết định của năm"
RESIZE_DELAY_MS = 150  # the preview is redrawn once a drag of the window edge or splitter pauses, not per pixel


def certificate_choices(workspace: Workspace) -> dict[str, str]:
    """What this folder prints: a consolidating office recognises only its own units, and gives giấy khen."""
    profile = workspace.profile
    if profile is not None and profile.role == Role.CONSOLIDATING_OFFICE:
        return {key: CERTIFICATE_CHOICES[key] for key in (Title.UNIT, COMMENDATION)}
    return CERTIFICATE_CHOICES


def certificate_kind(key: str) -> tuple[str, str | None]:
    """A title code or "giay_khen" as the service's (kind, title)."""
    return (COMMENDATION, None) if key == COMMENDATION else (CertificateKind.RECOGNITION.value, key)


def choose_printer(parent: QWidget) -> QPrinter | None:
    """The system's printer dialog on an A4 landscape printer; None when the officer cancels.

    Tests replace it: the system dialog cannot be driven offscreen."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
    )
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("In giấy chứng nhận")
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_pdf(path: Path, printer: QPrinter, progress: Callable[[int, int], None] | None = None) -> int:
    """Send each page of the PDF to the printer as an image at its resolution (at most MAX_PRINT_DPI), scaled
    to the paper; returns the pages sent. An exception from `progress` aborts the job.

    Qt can print no PDF by itself; PDFium draws its pages (ui/pdf_pages.py), and painting onto a QPrinter is
    allowed off the UI thread, so this runs on the worker."""
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    with PdfPages(path) as document:
        pages = document.page_count
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(f"Không mở được máy in «{printer.printerName() or printer.outputFileName()}».")
        try:
            for page in range(pages):
                if page:
                    printer.newPage()
                image = document.render(page, dpi)
                target = painter.viewport()
                painter.fillRect(target, Qt.GlobalColor.white)
                painter.drawImage(target, image)
                if progress is not None:
                    progress(page + 1, pages)
        except BaseException:
            printer.abort()
            raise
        finally:
            painter.end()
    return pages


def _decision_text(row: Recipient) -> str:
    """ "12/QĐ-HKH, 15/12/2025" """
    if not row.decision_date:
        return row.decision_number
    return f"{row.decision_number}, {format_date(date.fromisoformat(row.decision_date))}"


def _search_text(row: Recipient) -> str:
    return fold(f"{row.name} {row.detail} {row.decision_number}")


class RecipientModel(SubjectChoiceModel):
    """The recipients with a check box each, as the register dialog ticks subjects (its ticking only needs the
    rows' `id`); in the service's order (Vietnamese name order), so the table does not sort."""

    COL_NAME, COL_DETAIL, COL_DECISION, COL_ISSUED = range(4)
    COLUMNS = (  # type: ignore[assignment]
        Column[Recipient]("Người, tập thể nhận", lambda r: r.name, width=230),
        Column[Recipient]("Địa chỉ, chi tiết", lambda r: r.detail, width=220),
        Column[Recipient]("Quyết định", _decision_text, width=170),
        count_column("Đã in", lambda r: r.issued, width=60, tooltip="Số lần đã in giấy này trước đây"),
    )

    def set_query(self, text: str) -> None:
        self.set_filter(None if not text.strip() else lambda r: matches(_search_text(r), text))  # type: ignore[arg-type]


class PagePreview(QScrollArea):
    """One page of a PDF drawn as wide as the area, scrolling down when the page is taller than the area; it
    owns the document and closes it when another is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.document: PdfPages | None = None
        self.page = 0
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.picture)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RESIZE_DELAY_MS)
        self._timer.timeout.connect(self._draw)

    @property
    def page_count(self) -> int:
        return self.document.page_count if self.document is not None else 0

    def show_document(self, document: PdfPages) -> None:
        self.close_document()
        self.document = document
        self.show_page(0)

    def show_page(self, page: int) -> None:
        self.page = min(max(page, 0), max(self.page_count - 1, 0))
        self._draw()
        self.verticalScrollBar().setValue(0)

    def close_document(self) -> None:
        self._timer.stop()
        if self.document is not None:
            self.document.close()
            self.document = None
        self.picture.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.document is not None:
            self._timer.start()

    def _draw(self) -> None:
        """The scroll bar's room is taken off the width only when the page will be taller than the area, so the
        bar showing up cannot change the width again."""
        self._timer.stop()
        if self.document is None:
            return
        area = self.maximumViewportSize()
        size = self.document.page_size(self.page)
        width = area.width()
        if width * size.height() / size.width() > area.height():
            width -= self.verticalScrollBar().sizeHint().width()
        ratio = self.devicePixelRatioF()
        image = self.document.render_to_width(self.page, max(round(width * ratio), 1))
        image.setDevicePixelRatio(ratio)
        self.picture.setPixmap(QPixmap.fromImage(image))


class CertificatesDialog(QDialog):
    """`key` is a title code or "giay_khen"; `chosen` the recipient ids ticked at first (all when None)."""

    def __init__(
        self,
        workspace: Workspace,
        key: str | None = None,
        year: int | None = None,
        decision_id: str | None = None,
        chosen: Iterable[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("In giấy chứng nhận")
        self.resize(1280, 720)
        self._temp = tempfile.TemporaryDirectory(prefix="khuyenhoc-giay-")
        self.task: worker.Task | None = None
        self._busy = False  # a preview, print or save is under way
        self.recipients: list[Recipient] = []
        self.status = ""  # the last outcome, as told in the status line

        self.what = QComboBox()
        self.what.setObjectName("what_box")
        for code, label in certificate_choices(workspace).items():
            self.what.addItem(label, code)
        self.what.setCurrentIndex(max(self.what.findData(key), 0))
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(year or workspace.working_year)
        self.decision_box = QComboBox()
        self.decision_box.setObjectName("decision_box")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên, địa chỉ, số quyết định (gõ không dấu được)")
        self.search.setClearButtonEnabled(True)
        self.model = RecipientModel()
        self.table = register_table(self.model, sortable=False)
        self.table.setObjectName("recipients_table")
        self.table.setTabKeyNavigation(False)
        self.check_all = QPushButton("Chọn tất cả")
        self.check_all.setToolTip("Chọn mọi dòng đang hiện trong danh sách")
        self.uncheck_all = QPushButton("Bỏ chọn tất cả")
        self.count_label = QLabel()
        self.reprint_label = QLabel()
        self.reprint_label.setObjectName("reprint_label")
        self.reprint_label.setWordWrap(True)
        self.reprint_label.setStyleSheet("color: #9c5700; font-weight: bold;")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.preview_button = QPushButton("Xem trước")
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        close_button = QPushButton("Đóng")

        self.viewer = PagePreview()
        self.viewer.setObjectName("preview")
        self.previous_page = QPushButton("◀ Trang trước")
        self.next_page = QPushButton("Trang sau ▶")
        self.page_label = QLabel("Bấm «Xem trước» để xem các giấy sẽ in.")

        choose = QHBoxLayout()
        choose.addWidget(QLabel("Giấy:"))
        choose.addWidget(self.what, 2)
        choose.addWidget(QLabel("Năm:"))
        choose.addWidget(self.year_box)
        decision_row = QHBoxLayout()
        decision_row.addWidget(QLabel("Quyết định:"))
        decision_row.addWidget(self.decision_box, 1)
        ticks = QHBoxLayout()
        ticks.addWidget(self.count_label, 1)
        ticks.addWidget(self.check_all)
        ticks.addWidget(self.uncheck_all)
        actions = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(close_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(choose)
        left_layout.addLayout(decision_row)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(ticks)
        left_layout.addWidget(self.reprint_label)
        left_layout.addWidget(self.status_label)
        left_layout.addLayout(actions)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_page)
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pages.addWidget(self.next_page)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.viewer, 1)
        right_layout.addLayout(pages)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 720])
        QVBoxLayout(self).addWidget(splitter)

        self._fill_decisions(decision_id)
        self._load(chosen)
        self.what.currentIndexChanged.connect(self._choice_changed)
        self.year_box.valueChanged.connect(self._choice_changed)
        self.decision_box.currentIndexChanged.connect(lambda _index: self._load(None))
        self.search.textChanged.connect(self.model.set_query)
        self.check_all.clicked.connect(lambda: self.model.set_checked(self.model.checked | self._shown_ids()))
        self.uncheck_all.clicked.connect(lambda: self.model.set_checked(set()))
        self.model.dataChanged.connect(self._update_counts)
        self.model.modelReset.connect(self._update_counts)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_certificates)
        self.save_button.clicked.connect(self.save_pdf)
        close_button.clicked.connect(self.reject)
        self.previous_page.clicked.connect(lambda: self._turn(-1))
        self.next_page.clicked.connect(lambda: self._turn(1))
        self._update_counts()
        self._show_page_number()
        self.search.setFocus()

    # -- what is printed ----------------------------------------------------------------------------
    @property
    def key(self) -> str:
        return str(self.what.currentData())

    @property
    def year(self) -> int:
        return self.year_box.value()

    def _fill_decisions(self, chosen: str | None) -> None:
        """The year's decisions of the title (giấy khen has none to choose)."""
        _kind, title = certificate_kind(self.key)
        self.decision_box.blockSignals(True)
        self.decision_box.clear()
        self.decision_box.addItem(ALL_DECISIONS, None)
        for decision in evaluations.list_decisions(self.workspace, self.year, title) if title else []:
            self.decision_box.addItem(
                f"Số {decision.number} ngày {format_date(decision.signed_on)} ({format_count(decision.count)} hồ sơ)",
                decision.id,
            )
        self.decision_box.setCurrentIndex(max(self.decision_box.findData(chosen), 0))
        self.decision_box.setEnabled(title is not None)
        self.decision_box.blockSignals(False)

    def _choice_changed(self) -> None:
        self._fill_decisions(None)
        self._load(None)

    def _load(self, chosen: Iterable[str] | None) -> None:
        kind, title = certificate_kind(self.key)
        rows = self.recipients = certificate_service.recipients(
            self.workspace, kind, self.year, title, self.decision_box.currentData()
        )
        self.model.set_rows(rows)  # type: ignore[arg-type]  # the ticking reads only `id`
        self.model.set_query(self.search.text())
        ids = {row.id for row in rows}
        self.model.set_checked(ids if chosen is None else ids & set(chosen))
        self._update_counts()

    def _shown_ids(self) -> set[str]:
        return {row.id for row in self.model.rows()}

    def checked(self) -> list[Recipient]:
        """The ticked recipients in list order."""
        return [row for row in self.recipients if row.id in self.model.checked]

    def _update_counts(self, *_args: object) -> None:
        chosen = self.checked()
        self.count_label.setText(f"Đã chọn {format_count(len(chosen))} / {format_count(self.model.total())}")
        printed = sum(1 for row in chosen if row.issued)
        self.reprint_label.setText(
            f"{format_count(printed)} giấy đã in trước đây: in lại sẽ được ghi sổ và in dòng «Bản in lại»."
            if printed
            else ""
        )
        self.reprint_label.setVisible(bool(printed))
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(bool(chosen) and not self._busy)

    # -- preview ------------------------------------------------------------------------------------
    def _turn(self, step: int) -> None:
        self.viewer.show_page(self.viewer.page + step)
        self._show_page_number()

    def _show_page_number(self) -> None:
        pages, current = self.viewer.page_count, self.viewer.page
        if pages:
            self.page_label.setText(f"Trang {format_count(current + 1)} / {format_count(pages)}")
        self.previous_page.setEnabled(pages > 0 and current > 0)
        self.next_page.setEnabled(pages > 0 and current < pages - 1)

    def preview(self) -> None:
        """The pages as they would print, worded and laid out alike, but with no serial issued or print
        logged."""
        chosen = self.checked()
        if not chosen:
            return
        path = Path(self._temp.name) / "xem-truoc.pdf"  # the page shown is read into memory: rewriting is safe
        kind, title = certificate_kind(self.key)
        workspace, year, ids = self.workspace, self.year, [row.id for row in chosen]

        def work(task: worker.Task) -> Path:
            texts = certificate_service.issue(workspace, kind, year, ids, title, dry_run=True)
            self._write(task, texts, path)
            return path

        def show(result: Path) -> None:
            self.viewer.show_document(PdfPages(result))
            self._show_page_number()
            self._tell(f"Bản xem trước: {format_count(self.viewer.page_count)} trang (chưa cấp số, chưa ghi sổ).")

        self._run(f"Đang chuẩn bị bản xem trước {format_count(len(ids))} giấy…", work, show)

    # -- print and save -----------------------------------------------------------------------------
    def _confirm_reprint(self, chosen: Sequence[Recipient]) -> bool:
        printed = [row for row in chosen if row.issued]
        if not printed:
            return True
        names = ", ".join(row.name for row in printed[:5]) + ("…" if len(printed) > 5 else "")
        return messages.confirm(
            self,
            "In lại giấy chứng nhận",
            f"{format_count(len(printed))} giấy đã in trước đây ({names}).\n"
            "In lại giữ nguyên số hiệu, được ghi sổ và trên giấy có dòng «Bản in lại». Tiếp tục?",
            yes="In lại",
            no="Hủy",
        )

    def _issue_into(self, chosen: Sequence[Recipient], task: worker.Task, path: Path) -> int:
        """Issue the serials and write the PDF in one go: if the writing fails or the officer cancels, the
        service logs nothing and spends no serial."""
        kind, title = certificate_kind(self.key)
        pages: list[int] = []
        certificate_service.issue(
            self.workspace,
            kind,
            self.year,
            [row.id for row in chosen],
            title,
            output=lambda texts: pages.append(self._write(task, texts, path)),
        )
        return pages[0]

    def print_certificates(self) -> None:
        """Printer first (a cancelled dialog issues nothing), then issue, write and print on the worker."""
        chosen = self.checked()
        if not chosen or not self._confirm_reprint(chosen):
            return
        printer = choose_printer(self)
        if printer is None:
            return
        path = Path(self._temp.name) / "in.pdf"

        def work(task: worker.Task) -> int:
            self._issue_into(chosen, task, path)
            return print_pdf(path, printer, lambda done, total: task.report(done, total, "Đang gửi tới máy in…"))

        def done(pages: int) -> None:
            self._load({row.id for row in chosen})
            self._tell(f"Đã gửi {format_count(pages)} giấy tới máy in.")

        self._run(f"Đang in {format_count(len(chosen))} giấy…", work, done)

    def suggested_file_name(self) -> str:
        """ "giay-cong-nhan-gia-dinh-2025.pdf", "giay-khen-2025.pdf" """
        _kind, title = certificate_kind(self.key)
        what = f"giay-cong-nhan-{title.replace('_', '-')}" if title else "giay-khen"
        return f"{what}-{self.year}.pdf"

    def save_pdf(self) -> None:
        chosen = self.checked()
        if not chosen or not self._confirm_reprint(chosen):
            return
        path = ask_save_path(self, "Lưu giấy chứng nhận", self.suggested_file_name())
        if path is None:
            return

        def work(task: worker.Task) -> int:
            return self._issue_into(chosen, task, path)

        def done(pages: int) -> None:
            self._load({row.id for row in chosen})
            self._tell(f"Đã lưu {format_count(pages)} giấy vào {path}.")

        self._run(f"Đang ghi {format_count(len(chosen))} giấy…", work, done)

    # -- the worker ---------------------------------------------------------------------------------
    @staticmethod
    def _write(task: worker.Task, texts: Sequence[CertificateText], path: Path) -> int:
        return write_certificates(texts, path, lambda done, total: task.report(done, total, "Đang dàn trang…"))

    def _tell(self, text: str) -> None:
        self.status = text
        self.status_label.setText(text)

    def _run(self, label: str, work: Callable[[worker.Task], Any], on_done: Callable[[Any], None]) -> None:
        progress = QProgressDialog(label, "Hủy", 0, 100, self)
        progress.setWindowTitle("In giấy chứng nhận")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setAutoReset(False)
        progress.setAutoClose(False)

        def finish() -> None:
            progress.reset()
            progress.close()
            self._busy = False
            self._update_counts()

        def succeeded(result: Any) -> None:
            finish()
            on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            if isinstance(error, worker.Cancelled):
                self._tell("Đã hủy; không có giấy nào được ghi ra.")
                return
            if not isinstance(error, UserError):
                raise error  # a bug: sys.excepthook logs it and tells the officer
            messages.warn(self, "Không in được giấy chứng nhận", str(error))

        def advance(done: int, total: int, text: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            if text:
                progress.setLabelText(f"{label}\n{text} {format_count(done)} / {format_count(total)}")

        self._busy = True
        self._update_counts()
        self.task = worker.run_task(work, succeeded, failed, advance)
        progress.canceled.connect(self.cancel)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def done(self, result: int) -> None:
        """The temporary PDFs and the preview's document go with the dialog."""
        self.cancel()
        self.viewer.close_document()
        self._temp.cleanup()
        super().done(result)
