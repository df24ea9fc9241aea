"""The reconciliation minute (biên bản đối soát số liệu) as the officer prints and signs it (issue 6)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from khuyenhoc_desktop.documents.reconciliation_minute import SHOWN_PER_REGISTER, write_reconciliation_minute
from khuyenhoc_desktop.documents.report_text import Letterhead, letterhead_of
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import merge, trust
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests.pdf_helpers import NEEDS_POPPLER, dark_share, first_page, pdf_text
from tests.test_merge import add_household, enrolled, export

__all__ = ["enrolled"]  # fixtures defined beside the tests they were written for, which pytest finds here by name

WHEN = datetime(2025, 12, 15, 14, 30)
OFFICE = Letterhead(
    commune_name="",
    province_name="Tây Ninh",
    association_name="Hội Khuyến học tỉnh Tây Ninh",
    officer_name="Phạm Thị Thu",
    signer_title="Chủ tịch",
    signer_name="Võ Văn Kiệt",
)


def update(workspace: Workspace, sql: str, *params: object) -> None:
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute(sql, params)


@NEEDS_POPPLER
def test_minute_names_each_package_its_changes_and_the_refusals(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    first, second = add_household(workspace, "00001", "Nguyễn Văn An"), add_household(workspace, "00002", "Bé Ba")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    update(workspace, "UPDATE household SET phone = '0909123456' WHERE id = ?", first)
    update(workspace, "UPDATE member SET sex = 'nu' WHERE household_id = ?", first)
    update(workspace, "UPDATE household SET deleted_at = '2025-06-01T00:00:00Z' WHERE id = ?", second)
    path = export(workspace, tmp_path / "goi2")
    found = merge.review(office_ws, path)
    out = tmp_path / "bien-ban.pdf"

    write_reconciliation_minute(
        OFFICE,
        out,
        [merge.trimmed(found)],
        [("la.zip", "Tệp la.zip không phải gói số liệu của phần mềm.")],
        {path: "Đã nhận vào số liệu của cơ quan."},
        WHEN,
    )

    text = pdf_text(out)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "BIÊN BẢN ĐỐI SOÁT SỐ LIỆU" in text and "UBND TỈNH TÂY NINH" in text
    assert "Tây Ninh, ngày 15 tháng 12 năm 2025" in text
    assert "Hồi 14 giờ 30 phút" in text
    assert "1. Xã Phước Vĩnh Tây (mã 28201) — năm 2025, lần gửi 2" in lines
    assert found.fingerprint and found.fingerprint in text and found.key_id in text
    assert "gói tiếp theo" in text and "Đã nhận vào số liệu của cơ quan." in text
    assert "Hộ gia đình 0 1 1 0" in lines  # new, changed, removed, unchanged
    assert "Hộ 00001, Ấp Vĩnh Thạnh Điện thoại (trống) 0909123456" in lines
    assert "Nguyễn Văn An (hộ 00001) Giới tính Nam Nữ" in lines  # vocabulary codes read as their labels
    assert "– Hộ gia đình (1): Hộ 00002, Ấp Vĩnh Thạnh." in lines
    assert "2. Các gói không nhận" in lines and "Tệp la.zip không phải gói số liệu của phần mềm." in text
    assert "NGƯỜI KIỂM TRA, TIẾP NHẬN" in text and "Phạm Thị Thu" in text and "Võ Văn Kiệt" in text

    content = out.read_bytes()
    assert b"/FontFile2" in content and b"LiberationSerif-Bold" in content
    assert 0.005 < dark_share(first_page(out, tmp_path)) < 0.3


@NEEDS_POPPLER
def test_a_long_list_of_changes_is_cut_and_counted(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    for number in range(SHOWN_PER_REGISTER + 5):
        add_household(workspace, f"{number:05d}", f"Chủ hộ {number}")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    update(workspace, "UPDATE household SET address = 'Tổ 3'")
    found = merge.review(office_ws, export(workspace, tmp_path / "goi2"))
    out = tmp_path / "bien-ban.pdf"

    write_reconciliation_minute(letterhead_of(office_ws.profile), out, [found], when=WHEN)

    text = pdf_text(out)
    assert f"Hộ gia đình ({SHOWN_PER_REGISTER + 5} bản ghi thay đổi)" in text
    assert text.count("Tổ 3") == SHOWN_PER_REGISTER
    assert "… và 5 bản ghi khác" in text
    assert "Mới kiểm tra, chưa ghi vào số liệu của cơ quan." in text  # no outcome given: a dry run


def test_only_a_pdf_is_written(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"\.pdf"):
        write_reconciliation_minute(OFFICE, tmp_path / "bien-ban.xlsx", [])
    assert not (tmp_path / "bien-ban.xlsx").exists()
