"""Printing certificates through the real window: choose, tick, preview, save and print (onto a PDF printer,
since the system's printer dialog cannot be driven offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from khuyenhoc_desktop.domain.honours import HonourInput, HonourKind, HonourLevel, RecipientKind
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import certificates as certificate_service
from khuyenhoc_desktop.services import evaluations, honours, rubrics
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.evaluations import DecisionInput
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import save_path, worker
from khuyenhoc_desktop.ui.dialogs import certificates_dialog
from khuyenhoc_desktop.ui.dialogs.certificate_check_dialog import CertificateCheckDialog
from khuyenhoc_desktop.ui.dialogs.certificate_template_dialog import CertificateTemplateDialog
from khuyenhoc_desktop.ui.dialogs.certificates_dialog import CertificatesDialog, print_pdf
from khuyenhoc_desktop.ui.pdf_pages import PdfPages
from khuyenhoc_desktop.ui.views.evaluations_view import EvaluationsView
from khuyenhoc_desktop.ui.views.hamlets_view import HamletsView
from khuyenhoc_desktop.ui.views.honours_view import HonoursView
from tests.gui_helpers import drive_dialogs, open_main_window, type_text

HEADS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cư"]  # Vietnamese order by given name: An, Bình, Cư


def recognise_families(workspace: Workspace, heads: list[str], number: str, first_code: int = 1) -> str:
    """Households of these heads registered, scored full marks and recognised by decision `number`; its id."""
    hamlet_id = list_hamlets(workspace)[0].id
    ids = [
        household_service.create_household(workspace, HouseholdInput(f"{code:05d}", head, hamlet_id))
        for code, head in enumerate(heads, start=first_code)
    ]
    evaluation_ids = evaluations.register(workspace, Title.FAMILY, 2025, ids, date(2025, 3, 10))
    marks = {i.code: i.max_points for i in rubrics.rubric_for(workspace, Title.FAMILY, 2025).indicators}
    for evaluation_id in evaluation_ids:
        evaluations.score(workspace, evaluation_id, marks)
    decision = DecisionInput(number, date(2025, 12, 15), "Chủ tịch", "Nguyễn Văn Tư")
    return evaluations.recognise(workspace, Title.FAMILY, 2025, evaluation_ids, decision)


@pytest.fixture
def decision_id(workspace: Workspace) -> str:
    return recognise_families(workspace, HEADS, "25/QĐ-HKH")


@pytest.fixture
def dialog(qtbot, workspace: Workspace, decision_id: str, messages) -> Iterator[CertificatesDialog]:
    shown = CertificatesDialog(workspace, Title.FAMILY, 2025)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.reject()


def names(dialog: CertificatesDialog) -> list[str]:
    return [row.name for row in dialog.model.rows()]


def issued(workspace: Workspace) -> dict[str, int]:
    return {r.name: r.issued for r in certificate_service.recipients(workspace, "cong_nhan", 2025, Title.FAMILY)}


def page_count(path: Path) -> int:
    with PdfPages(path) as document:
        return document.page_count


def shown_page(dialog: CertificatesDialog) -> QImage:
    return dialog.viewer.picture.pixmap().toImage()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)  # small pages: the test reads the page count, not the print quality
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0))
    )
    return printer


def test_lists_the_recognised_searches_without_accents_and_ticks(dialog: CertificatesDialog, qtbot) -> None:
    assert dialog.year_box.value() == 2025
    assert dialog.what.currentText() == "Gia đình học tập"
    assert names(dialog) == HEADS
    assert dialog.count_label.text() == "Đã chọn 3 / 3"
    assert dialog.decision_box.currentText() == "Mọi quyết định của năm"
    assert dialog.decision_box.itemText(1) == "Số 25/QĐ-HKH ngày 15/12/2025 (3 hồ sơ)"
    assert dialog.model.index(0, 2).data() == "25/QĐ-HKH, 15/12/2025"
    assert dialog.reprint_label.isHidden()

    type_text(dialog.search, "tran thi binh")
    assert names(dialog) == ["Trần Thị Bình"]
    qtbot.mouseClick(dialog.uncheck_all, Qt.MouseButton.LeftButton)
    assert dialog.count_label.text() == "Đã chọn 0 / 3"
    assert not dialog.preview_button.isEnabled() and not dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.check_all, Qt.MouseButton.LeftButton)  # all that are shown: Bình
    assert [row.name for row in dialog.checked()] == ["Trần Thị Bình"]
    assert dialog.count_label.text() == "Đã chọn 1 / 3"
    assert dialog.print_button.isEnabled()

    dialog.search.clear()
    first = dialog.model.index(0, 0)
    assert dialog.model.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [row.name for row in dialog.checked()] == ["Nguyễn Văn An", "Trần Thị Bình"]

    dialog.what.setCurrentIndex(dialog.what.findData("giay_khen"))
    assert names(dialog) == [] and dialog.count_label.text() == "Đã chọn 0 / 0"
    assert not dialog.decision_box.isEnabled()


def test_one_decision_and_a_given_selection(qtbot, workspace: Workspace, decision_id: str, messages) -> None:
    other = recognise_families(workspace, ["Phạm Thị Dung"], "30/QĐ-HKH", first_code=4)
    dialog = CertificatesDialog(workspace, Title.FAMILY, 2025, decision_id=other)
    qtbot.addWidget(dialog)
    assert names(dialog) == ["Phạm Thị Dung"]
    dialog.decision_box.setCurrentIndex(dialog.decision_box.findData(None))
    assert names(dialog) == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cư", "Phạm Thị Dung"]
    assert dialog.count_label.text() == "Đã chọn 4 / 4"

    chosen = [r.id for r in dialog.recipients if r.name in ("Lê Văn Cư", "Phạm Thị Dung")]
    picked = CertificatesDialog(workspace, Title.FAMILY, 2025, chosen=chosen)
    qtbot.addWidget(picked)
    assert [r.name for r in picked.checked()] == ["Lê Văn Cư", "Phạm Thị Dung"]
    dialog.reject()
    picked.reject()


def test_preview_shows_the_pages_and_issues_nothing(dialog: CertificatesDialog, workspace: Workspace, qtbot) -> None:
    assert not dialog.next_page.isEnabled()
    qtbot.mouseClick(dialog.uncheck_all, Qt.MouseButton.LeftButton)
    for row in (0, 2):
        dialog.model.setData(dialog.model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)

    assert dialog.viewer.page_count == 2
    assert dialog.page_label.text() == "Trang 1 / 2"
    assert "chưa cấp số" in dialog.status
    assert not dialog.previous_page.isEnabled()
    first = shown_page(dialog)
    assert first.width() == dialog.viewer.viewport().width()  # fitted to the width
    qtbot.mouseClick(dialog.next_page, Qt.MouseButton.LeftButton)
    assert dialog.page_label.text() == "Trang 2 / 2"
    assert not dialog.next_page.isEnabled()
    assert shown_page(dialog) != first  # another recipient's page
    qtbot.mouseClick(dialog.previous_page, Qt.MouseButton.LeftButton)
    assert dialog.page_label.text() == "Trang 1 / 2"
    assert shown_page(dialog) == first
    assert issued(workspace) == dict.fromkeys(HEADS, 0)


def test_the_preview_follows_the_width_of_its_area(dialog: CertificatesDialog, qtbot) -> None:
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    before = shown_page(dialog).width()
    dialog.resize(dialog.width() + 300, dialog.height())
    qtbot.waitUntil(lambda: shown_page(dialog).width() == dialog.viewer.viewport().width())
    assert shown_page(dialog).width() > before
    assert dialog.viewer.horizontalScrollBar().maximum() == 0  # never wider than the area


def test_save_issues_serials_and_a_second_save_is_a_reprint(
    dialog: CertificatesDialog, workspace: Workspace, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    target = tmp_path / "giay"
    asked: list[str] = []

    def save_name(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(Path(suggested).name)
        return str(target), ""

    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", save_name)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    saved = tmp_path / "giay.pdf"
    assert asked == ["giay-cong-nhan-gia-dinh-2025.pdf"]
    assert page_count(saved) == 3
    assert dialog.status == f"Đã lưu 3 giấy vào {saved}."
    assert issued(workspace) == dict.fromkeys(HEADS, 1)
    assert dialog.model.index(0, 3).data() == "1"
    assert dialog.reprint_label.text() == "3 giấy đã in trước đây: in lại sẽ được ghi sổ và in dòng «Bản in lại»."

    saved.unlink()
    messages.answers = [1]  # Hủy
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][0] == "In lại giấy chứng nhận"
    assert "3 giấy đã in trước đây (Nguyễn Văn An, Trần Thị Bình, Lê Văn Cư)" in messages.texts[-1]
    assert not saved.exists() and issued(workspace) == dict.fromkeys(HEADS, 1)

    messages.answers = [0]  # In lại
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page_count(saved) == 3
    assert issued(workspace) == dict.fromkeys(HEADS, 2)


def test_print_sends_every_page_to_the_printer(
    dialog: CertificatesDialog, workspace: Workspace, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "may-in.pdf"
    monkeypatch.setattr(certificates_dialog, "choose_printer", lambda _parent: pdf_printer(printed))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert page_count(printed) == 3
    assert dialog.status == "Đã gửi 3 giấy tới máy in."
    assert issued(workspace) == dict.fromkeys(HEADS, 1)

    monkeypatch.setattr(certificates_dialog, "choose_printer", lambda _parent: None)  # the officer cancels
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert issued(workspace) == dict.fromkeys(HEADS, 1)


def test_a_save_cancelled_while_writing_spends_no_serial(
    dialog: CertificatesDialog, workspace: Workspace, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "giay.pdf"
    monkeypatch.setattr(save_path.QFileDialog, "getSaveFileName", lambda *_: (str(target), ""))
    writer = certificates_dialog.write_certificates

    def cancelled_half_way(*_args: object) -> int:
        raise worker.Cancelled

    monkeypatch.setattr(certificates_dialog, "write_certificates", cancelled_half_way)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not target.exists() and issued(workspace) == dict.fromkeys(HEADS, 0)
    assert dialog.status == "Đã hủy; không có giấy nào được ghi ra."

    monkeypatch.setattr(certificates_dialog, "write_certificates", writer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    first = certificate_service.recipients(workspace, "cong_nhan", 2025, Title.FAMILY)
    assert page_count(target) == 3 and all(r.issued == 1 for r in first)


def test_print_pdf_stops_when_cancelled(workspace: Workspace, decision_id: str, tmp_path: Path, qapp) -> None:
    from khuyenhoc_desktop.documents.certificates import write_certificates

    ids = [r.id for r in certificate_service.recipients(workspace, "cong_nhan", 2025, Title.FAMILY)]
    source = tmp_path / "nguon.pdf"
    write_certificates(certificate_service.issue(workspace, "cong_nhan", 2025, ids, Title.FAMILY), source)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 2:
            raise worker.Cancelled

    with pytest.raises(worker.Cancelled):
        print_pdf(source, pdf_printer(tmp_path / "huy.pdf"), progress)
    assert seen == [(1, 3), (2, 3)]
    assert print_pdf(source, pdf_printer(tmp_path / "du.pdf")) == 3
    assert page_count(tmp_path / "du.pdf") == 3


def test_the_recipients_model_passes_the_model_tester(dialog: CertificatesDialog, qtmodeltester) -> None:
    qtmodeltester.check(dialog.model)


def test_the_evaluations_page_prints_the_selection_or_the_decision(
    qtbot, workspace: Workspace, decision_id: str, monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    seen: list[tuple[str, str | None, list[str]]] = []
    handlers = drive_dialogs(monkeypatch, CertificatesDialog)
    for _ in range(3):
        handlers.append(lambda d: seen.append((d.key, d.decision_box.currentData(), [r.name for r in d.checked()])))
    page = EvaluationsView(workspace)
    qtbot.addWidget(page)

    page.table.clearSelection()
    qtbot.mouseClick(page.certificates_button, Qt.MouseButton.LeftButton)  # nothing selected: the whole year
    page.table.selectRow(1)
    qtbot.mouseClick(page.certificates_button, Qt.MouseButton.LeftButton)
    page.tabs.setCurrentIndex(1)
    page.recognised.setCurrentItem(page.recognised.topLevelItem(0).child(2))  # a record under the decision
    qtbot.mouseClick(page.certificates_button, Qt.MouseButton.LeftButton)

    shown = page.model.row_at(1).subject_name
    assert seen == [
        ("gia_dinh", None, HEADS),
        ("gia_dinh", None, [shown]),
        ("gia_dinh", decision_id, HEADS),
    ]


def test_the_honours_page_prints_the_selected_commendations(
    qtbot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    for name in ("Võ Thị Mai", "Đặng Văn Hùng"):
        commendation = HonourInput(
            kind=HonourKind.COMMENDATION, recipient_kind=RecipientKind.PERSON, recipient=name,
            level=HonourLevel.COMMUNE, issuer="Hội Khuyến học xã Phước Vĩnh Tây", decision_no="40/QĐ-HKH",
            honoured_on=date(2025, 11, 20), content="Có thành tích xuất sắc trong phong trào khuyến học",
        )  # fmt: skip
        honours.create_honour(workspace, commendation, date(2025, 12, 1))
    seen: list[tuple[str, int, list[str], int]] = []
    drive_dialogs(monkeypatch, CertificatesDialog).extend(
        [lambda d: seen.append((d.key, d.year, [r.name for r in d.checked()], d.model.total()))] * 2
    )
    page = HonoursView(workspace)
    qtbot.addWidget(page)
    page.table.clearSelection()
    qtbot.mouseClick(page.certificates_button, Qt.MouseButton.LeftButton)
    row = next(i for i in range(page.model.rowCount()) if page.model.row_at(i).recipient == "Võ Thị Mai")
    page.table.selectRow(row)
    qtbot.mouseClick(page.certificates_button, Qt.MouseButton.LeftButton)
    assert seen == [
        ("giay_khen", 2025, ["Đặng Văn Hùng", "Võ Thị Mai"], 2),
        ("giay_khen", 2025, ["Võ Thị Mai"], 2),
    ]


def test_the_certificates_menu_opens_the_three_dialogs(
    qtbot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    opened: list[str] = []
    handlers = drive_dialogs(monkeypatch, CertificatesDialog, CertificateCheckDialog, CertificateTemplateDialog)
    handlers.extend([lambda d: opened.append(d.windowTitle())] * 3)
    window = open_main_window(qtbot, workspace, monkeypatch)
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Giấy chứng nhận"]
    assert [a.text() for a in menu.actions()] == [
        "In giấy công nhận…",
        "Kiểm tra giấy chứng nhận…",
        "Mẫu giấy chứng nhận…",
    ]
    for action in menu.actions():
        action.trigger()
    assert opened == ["In giấy chứng nhận", "Kiểm tra giấy chứng nhận", "Mẫu giấy chứng nhận"]


def test_printing_from_a_register_starts_from_its_title_and_selection(
    qtbot, workspace: Workspace, decision_id: str, monkeypatch: pytest.MonkeyPatch, messages
) -> None:
    seen: list[tuple[str, list[str]]] = []
    handlers = drive_dialogs(monkeypatch, CertificatesDialog)
    handlers.append(lambda d: seen.append((d.what.currentText(), [row.name for row in d.checked()])))
    window = open_main_window(qtbot, workspace, monkeypatch, ("Ấp, khu phố", HamletsView))
    assert window.households is not None
    window.households.reload()
    household_id = household_service.find_household(workspace, "00002")
    assert household_id is not None and window.households.select_household(household_id)
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Giấy chứng nhận"]
    menu.actions()[0].trigger()
    assert seen == [("Gia đình học tập", ["Trần Thị Bình"])]

    handlers.append(lambda d: seen.append((d.what.currentText(), [row.name for row in d.checked()])))
    window.show_page("Ấp, khu phố")
    hamlets = dict(window.pages)["Ấp, khu phố"]
    assert isinstance(hamlets, HamletsView)
    hamlets.table.selectRow(0)
    assert hamlets.certificate_selection() == (Title.COMMUNITY, [hamlets.model.row_at(0).id])
    menu.actions()[0].trigger()
    assert seen[-1] == ("Cộng đồng học tập cấp thôn, ấp, khu phố", [])  # no hamlet is recognised yet: nothing to tick
