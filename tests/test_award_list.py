"""A ceremony's list as people get it: the PDF's fonts, text and first page, and the workbook read back."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from khuyenhoc_desktop.documents.award_list import VND_FORMAT, write_award_list
from khuyenhoc_desktop.documents.report_text import Letterhead, letterhead_of
from khuyenhoc_desktop.domain.awards import AwardCategory, AwardEventInput, AwardInput, AwardKind
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput, LearningStatus, MemberInput, Relation, Sex
from khuyenhoc_desktop.services import awards
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.awards import AwardRow, EventRow
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from tests.pdf_helpers import NEEDS_POPPLER, dark_share, first_page, pdf_text

HELD_ON = date(2026, 9, 5)


@pytest.fixture
def ceremony(workspace: Workspace) -> tuple[EventRow, list[AwardRow], Letterhead]:
    """Three pupils: one of the register, one typed with a name like a formula, one given a bicycle."""
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Vĩnh Thạnh")
    household_id = household_service.create_household(workspace, HouseholdInput("00012", "Nguyễn Văn Tư", hamlet))
    member_id = household_service.add_member(
        workspace,
        household_id,
        MemberInput(
            "Nguyễn Minh Khoa", 2014, Sex.MALE, Relation.CHILD, "Trường THCS Phước Vĩnh Tây, lớp 7A",
            LearningStatus.LOWER_SECONDARY,
        ),
    )  # fmt: skip
    event_id = awards.create_event(
        workspace,
        AwardEventInput("Trao học bổng đầu năm học 2026-2027", HELD_ON, "Hội trường UBND xã", "Công ty Thành Công"),
    )
    common = {"awarded_on": HELD_ON, "event_id": event_id, "category": AwardCategory.OVERCOMING}
    awards.create_award(
        workspace, AwardInput("", kind=AwardKind.CASH, value_vnd=2_000_000, member_id=member_id, **common)
    )
    awards.create_award(
        workspace,
        AwardInput("=Trần Thị Bé", kind=AwardKind.CASH, value_vnd=1_500_000, birth_year=2013, grade="8B", **common),
    )
    decomposed = unicodedata.normalize("NFD", "Lê Văn Đạt")
    awards.create_award(
        workspace,
        AwardInput(decomposed, kind=AwardKind.BICYCLE, value_vnd=1_800_000, school="Trường Tiểu học Vĩnh Thạnh",
                   grade="5", **common),
    )  # fmt: skip
    (event,) = awards.list_events(workspace)
    return event, awards.list_awards(workspace, event_id=event_id), letterhead_of(workspace.profile)


def test_pdf_embeds_its_fonts_and_is_portrait_a4(
    ceremony: tuple[EventRow, list[AwardRow], Letterhead], tmp_path: Path
) -> None:
    path = tmp_path / "danh-sach.pdf"
    write_award_list(*ceremony, path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content  # TrueType embedded, not just named
    assert b"LiberationSerif" in content and b"LiberationSerif-Bold" in content
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in content


@NEEDS_POPPLER
def test_pdf_names_every_pupil_with_totals_and_signatures(
    ceremony: tuple[EventRow, list[AwardRow], Letterhead], tmp_path: Path
) -> None:
    path = tmp_path / "danh-sach.pdf"
    write_award_list(*ceremony, path)
    text = pdf_text(path)
    for expected in (
        "UBND XÃ PHƯỚC VĨNH TÂY",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "DANH SÁCH HỌC SINH NHẬN HỌC BỔNG, QUÀ",
        "Trao học bổng đầu năm học 2026-2027",
        "Ngày 05/09/2026 tại Hội trường UBND xã",
        "Nhà tài trợ: Công ty Thành Công",
        "Ký nhận",
        "Nguyễn Minh Khoa",
        "=Trần Thị Bé",
        "Lê Văn Đạt",
        "Ấp Vĩnh Thạnh",
        "Xe đạp",
        "2.000.000",
        "Trong đó tiền mặt",
        "3.500.000",
        "Tổng cộng (3 suất)",
        "5.300.000",
        "Phước Vĩnh Tây, ngày 05 tháng 9 năm 2026",
        "Người lập danh sách",
        "Lê Thị Hoa",
        "TM. HỘI KHUYẾN HỌC",
        "Nguyễn Văn Tư",
    ):
        assert expected in text, expected


@NEEDS_POPPLER
def test_pdf_first_page_renders(ceremony: tuple[EventRow, list[AwardRow], Letterhead], tmp_path: Path) -> None:
    path = tmp_path / "danh-sach.pdf"
    write_award_list(*ceremony, path)
    image = first_page(path, tmp_path)
    assert image.height() > image.width()  # portrait
    assert 0.005 < dark_share(image) < 0.5  # text and lines on a white page


def test_workbook_reads_back_with_the_same_rows_totals_and_number_format(
    ceremony: tuple[EventRow, list[AwardRow], Letterhead], tmp_path: Path
) -> None:
    path = tmp_path / "danh-sach.xlsx"
    write_award_list(*ceremony, path)
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"
    assert sheet["A3"].value == "DANH SÁCH HỌC SINH NHẬN HỌC BỔNG, QUÀ"
    assert [c.value for c in sheet[7]] == [
        "STT", "Họ và tên", "Năm sinh", "Ấp", "Trường/lớp", "Hình thức", "Giá trị (VND)", "Ký nhận",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A8"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=8, max_row=10)]
    assert rows == [  # the service's order: by given name
        [1, "=Trần Thị Bé", 2013, None, "lớp 8B", "Tiền mặt", 1_500_000, None],
        [2, "Lê Văn Đạt", None, None, "Trường Tiểu học Vĩnh Thạnh, lớp 5", "Xe đạp", 1_800_000, None],
        [3, "Nguyễn Minh Khoa", 2014, "Ấp Vĩnh Thạnh", "Trường THCS Phước Vĩnh Tây, lớp 7A", "Tiền mặt",
         2_000_000, None],
    ]  # fmt: skip
    assert sheet["B8"].data_type == "s" and sheet["B8"].quotePrefix  # a name, never a formula
    assert sheet["G8"].number_format == VND_FORMAT == "#,##0"
    totals = [(sheet.cell(r, 2).value, sheet.cell(r, 7).value) for r in range(11, 14)]
    assert totals == [
        ("Trong đó tiền mặt", 3_500_000),
        ("Hiện vật (quy ra tiền)", 1_800_000),
        ("Tổng cộng (3 suất)", 5_300_000),
    ]
    below = {sheet.cell(r, c).value for r in range(14, 22) for c in (1, 5)}
    assert {
        "Phước Vĩnh Tây, ngày 05 tháng 9 năm 2026",
        "Người lập danh sách",
        "TM. HỘI KHUYẾN HỌC",
        "Lê Thị Hoa",
        "Nguyễn Văn Tư",
    } <= below


def test_an_unknown_extension_is_refused_in_words(
    ceremony: tuple[EventRow, list[AwardRow], Letterhead], tmp_path: Path
) -> None:
    with pytest.raises(UserError, match=r"\.pdf \(bản in\) hoặc \.xlsx"):
        write_award_list(*ceremony, tmp_path / "danh-sach.docx")
