"""The consolidating office prints its own certificates (issue 7): its province-level units recognised as Đơn vị
học tập and its own giấy khen, under the province's people's committee, with serials of the office's code, and
statements its own folder checks as genuine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.documents.certificates import write_certificates
from khuyenhoc_desktop.domain.certificates import CertificateKind
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.honours import HonourInput, HonourKind, HonourLevel, RecipientKind
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.domain.unit import UnitInput, UnitKind
from khuyenhoc_desktop.services import certificates, evaluations, honours, office, units
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.evaluations import DecisionInput
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.views.evaluations_view import EvaluationsView
from tests.pdf_helpers import NEEDS_POPPLER, pdf_text
from tests.test_evaluations import full_marks

YEAR = 2025
RECOGNITION = CertificateKind.RECOGNITION.value
COMMENDATION = CertificateKind.COMMENDATION.value
DECISION = DecisionInput("07/QĐ-HKH", date(2025, 12, 18), "Chủ tịch", "Lê Thị Hoa")


def recognised_units(workspace: Workspace, *names: str) -> list[str]:
    """Units of the office's own, registered, scored in full and recognised as Đơn vị học tập by one decision."""
    unit_ids = [units.create_unit(workspace, UnitInput(name, UnitKind.SCHOOL)) for name in names]
    registered = evaluations.register(workspace, Title.UNIT, YEAR, unit_ids, date(2025, 3, 10))
    for evaluation_id in registered:
        evaluations.score(workspace, evaluation_id, full_marks(workspace, Title.UNIT))
    evaluations.recognise(workspace, Title.UNIT, YEAR, registered, DECISION)
    return unit_ids


@NEEDS_POPPLER
def test_the_province_office_prints_its_units_certificate_under_the_province(
    office_ws: Workspace, tmp_path: Path
) -> None:
    (unit_id,) = recognised_units(office_ws, "Trường THPT chuyên Hoàng Lê Kha")

    found = certificates.recipients(office_ws, RECOGNITION, YEAR, Title.UNIT)
    path = tmp_path / "giay-cong-nhan.pdf"
    (text,) = certificates.issue(
        office_ws, RECOGNITION, YEAR, [unit_id], Title.UNIT, output=lambda texts: write_certificates(texts, path)
    )

    assert [(r.id, r.name, r.decision_number) for r in found] == [
        (unit_id, "Trường THPT chuyên Hoàng Lê Kha", "07/QĐ-HKH")
    ]
    assert text.serial == "80-2025-DV-000001"
    assert (text.superior_body, text.issuing_body) == ("UBND TỈNH TÂY NINH", "HỘI KHUYẾN HỌC")
    assert text.recipient_lines == ("Trường THPT chuyên Hoàng Lê Kha", "tỉnh Tây Ninh")
    assert text.body_lines[1] == "Theo Quyết định số 07/QĐ-HKH ngày 18/12/2025 của Hội Khuyến học tỉnh Tây Ninh"
    assert text.place_date == "Tây Ninh, ngày 18 tháng 12 năm 2025"
    printed = " ".join(pdf_text(path).split())
    assert "UBND TỈNH TÂY NINH" in printed
    assert "Tây Ninh, ngày 18 tháng 12 năm 2025" in printed
    assert "80-2025-DV-000001" in printed

    assert text.qr_text.split("|")[5] == "80"
    result = certificates.check(office_ws, text.qr_text)
    assert result.genuine, result.reason
    assert "khóa của máy này; giấy đã in 1 lần" in result.reason
    assert (result.serial, result.title_label, result.recipient) == (
        "80-2025-DV-000001",
        "Đơn vị học tập",
        "Trường THPT chuyên Hoàng Lê Kha",
    )
    assert result.commune == "Hội Khuyến học tỉnh Tây Ninh"
    changed = text.qr_text.replace("Hoàng Lê Kha", "Hoàng Lê Khá")
    assert not certificates.check(office_ws, changed).genuine


def test_the_office_serials_run_on_and_a_reprint_keeps_its_serial(office_ws: Workspace) -> None:
    first, second = recognised_units(
        office_ws, "Sở Giáo dục và Đào tạo tỉnh Tây Ninh", "Trường Cao đẳng Sư phạm Tây Ninh"
    )

    certificates.issue(office_ws, RECOGNITION, YEAR, [first], Title.UNIT)
    texts = certificates.issue(office_ws, RECOGNITION, YEAR, [first, second], Title.UNIT)

    assert sorted((t.serial, t.reprint) for t in texts) == [
        ("80-2025-DV-000001", True),
        ("80-2025-DV-000002", False),
    ]


def test_the_office_prints_its_own_commendation(office_ws: Workspace) -> None:
    honour_id = honours.create_honour(
        office_ws,
        HonourInput(
            kind=HonourKind.COMMENDATION,
            recipient_kind=RecipientKind.PERSON,
            recipient="Đặng Văn Hải",
            level=HonourLevel.PROVINCE,
            decision_no="15/QĐ-HKH",
            honoured_on=date(2025, 11, 20),
            content="Đã có thành tích xuất sắc trong công tác khuyến học của tỉnh năm 2025",
        ),
    )

    (found,) = certificates.recipients(office_ws, COMMENDATION, YEAR)
    (text,) = certificates.issue(office_ws, COMMENDATION, YEAR, [honour_id])

    assert found.id == honour_id
    assert text.serial == "80-2025-GK-000001"
    assert (text.superior_body, text.heading) == ("UBND TỈNH TÂY NINH", "GIẤY KHEN")
    assert text.recipient_lines == ("Tặng ông (bà) Đặng Văn Hải", "tỉnh Tây Ninh")
    assert text.place_date == "Tây Ninh, ngày 20 tháng 11 năm 2025"
    result = certificates.check(office_ws, text.qr_text)
    assert result.genuine, result.reason
    assert result.title_label == "Giấy khen"


def test_a_cluster_office_writes_under_its_own_name(tmp_path: Path) -> None:
    cluster = Workspace.open(tmp_path / "cum")
    try:
        office.init_office(cluster, "cum", "CUM-01", "Cụm xã phía Nam", ["28201"])
        (unit_id,) = recognised_units(cluster, "Trường THCS Phước Vĩnh Tây")
        (text,) = certificates.issue(cluster, RECOGNITION, YEAR, [unit_id], Title.UNIT)
        result = certificates.check(cluster, text.qr_text)
    finally:
        cluster.close(backup=False)

    assert text.serial == "CUM-01-2025-DV-000001"
    assert text.superior_body == "UBND CỤM XÃ PHÍA NAM"
    assert text.place_date == "Tây Ninh, ngày 18 tháng 12 năm 2025"
    assert result.genuine, result.reason


def test_an_office_code_a_serial_cannot_carry_is_refused_before_printing(tmp_path: Path) -> None:
    cluster = Workspace.open(tmp_path / "cum")
    try:
        office.init_office(cluster, "cum", "Cụm 1", "Cụm xã phía Nam", ["28201"])
        (unit_id,) = recognised_units(cluster, "Trường THCS Phước Vĩnh Tây")
        with pytest.raises(UserError, match="Mã cơ quan tổng hợp «Cụm 1» không ghi được vào số sê-ri"):
            certificates.issue(cluster, RECOGNITION, YEAR, [unit_id], Title.UNIT)
        assert certificates.recipients(cluster, RECOGNITION, YEAR, Title.UNIT)[0].issued == 0
    finally:
        cluster.close(backup=False)


def test_the_office_evaluations_page_offers_only_the_unit_title(qtbot: QtBot, office_ws: Workspace) -> None:
    recognised_units(office_ws, "Trường THPT chuyên Hoàng Lê Kha")
    profile_service.set_working_year(office_ws, YEAR)

    page = EvaluationsView(office_ws)
    qtbot.addWidget(page)
    page.show()

    titles = [page.title_box.itemData(row) for row in range(page.title_box.count())]
    assert titles == [Title.UNIT]
    assert page.title == Title.UNIT
    assert "Đơn vị học tập năm 2025: 1 được công nhận" in page.recognised_label.text()


def test_the_office_menu_prints_its_units_and_giay_khen(qtbot, office_ws: Workspace, monkeypatch, messages) -> None:
    from khuyenhoc_desktop.ui.dialogs.certificate_template_dialog import CertificateTemplateDialog
    from khuyenhoc_desktop.ui.dialogs.certificates_dialog import CertificatesDialog
    from khuyenhoc_desktop.ui.main_window import MainWindow
    from tests.gui_helpers import drive_dialogs

    offered: list[list[str]] = []
    handlers = drive_dialogs(monkeypatch, CertificatesDialog, CertificateTemplateDialog)
    handlers.extend([lambda d: offered.append([d.what.itemText(i) for i in range(d.what.count())])] * 2)
    window = MainWindow(office_ws)
    qtbot.addWidget(window)
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Giấy chứng nhận"]
    printing, _check, templates = menu.actions()
    printing.trigger()
    templates.trigger()
    assert offered == [["Đơn vị học tập", "Giấy khen"]] * 2
