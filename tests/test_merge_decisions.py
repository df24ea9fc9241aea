"""What the officer decides and reads after a review (issue 6): a held fork taken in or kept out with its reason,
the changed records field by field, and their command-line twins (`forks`, `merge --minute`,
`office merge-commune`)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import merge, office, trust
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests.pdf_helpers import NEEDS_POPPLER, pdf_text
from tests.test_merge import add_household, enrolled, export, query, statuses

__all__ = ["enrolled"]  # fixtures defined beside the tests they were written for, which pytest finds here by name


def make_fork(workspace: Workspace, folder: Path) -> Path:
    """A second package also numbered 1, with other data: the commune lost its export history (a restored
    laptop) and exported again."""
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute("DELETE FROM package_export")
    add_household(workspace, "00077", "Lê Văn Rẽ")
    return export(workspace, folder)


@pytest.fixture
def held_fork(office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path) -> Path:
    add_household(workspace, "00001", "Nguyễn Văn An")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    fork = make_fork(workspace, tmp_path / "goi1-khac")
    with pytest.raises(UserError, match="rẽ nhánh"):
        merge.apply(office_ws, fork)
    return fork


def audit_actions(workspace: Workspace) -> list[str]:
    return [str(r[0]) for r in query(workspace, "SELECT DISTINCT action FROM audit_log ORDER BY at, rowid")]


def test_a_held_fork_waits_once_and_is_rejected_with_its_reason(office_ws: Workspace, held_fork: Path) -> None:
    with pytest.raises(UserError, match="rẽ nhánh"):
        merge.apply(office_ws, held_fork)  # held a second time: still one decision to take
    (pending,) = merge.pending_forks(office_ws)
    assert (pending.commune_code, pending.period, pending.sequence) == ("28201", "2025", 1)
    households = query(office_ws, "SELECT * FROM office_households ORDER BY id")

    with pytest.raises(UserError, match="lý do"):
        merge.decide_fork(office_ws, held_fork, accept=False, reason="  ")
    assert merge.decide_fork(office_ws, held_fork, accept=False, reason="Xã xác nhận gửi nhầm") is None

    assert merge.pending_forks(office_ws) == []
    assert statuses(office_ws) == [(1, "applied"), (1, "fork_rejected"), (1, "fork_rejected")]
    assert query(office_ws, "SELECT * FROM office_households ORDER BY id") == households
    notes = query(office_ws, "SELECT warnings FROM received_package WHERE status = 'fork_rejected'")
    assert all("Quyết định: không nhận — Xã xác nhận gửi nhầm" in str(note[0]) for note in notes)
    assert "Không nhận gói rẽ nhánh Xã Phước Vĩnh Tây năm 2025 lần 1: Xã xác nhận gửi nhầm" in audit_actions(office_ws)


def test_accepting_a_held_fork_applies_it(office_ws: Workspace, held_fork: Path) -> None:
    result = merge.decide_fork(office_ws, held_fork, accept=True, reason="Xã gửi lại sau khi cài máy mới")
    assert result is not None and result.applied and result.backup is not None
    assert query(office_ws, "SELECT head_name FROM office_households ORDER BY code") == [
        ("Nguyễn Văn An",),
        ("Lê Văn Rẽ",),
    ]
    assert statuses(office_ws) == [(1, "superseded"), (1, "fork_accepted"), (1, "applied")]
    assert merge.pending_forks(office_ws) == []
    actions = audit_actions(office_ws)
    assert "Nhận gói số liệu Xã Phước Vĩnh Tây năm 2025 lần 1" in actions
    assert "Nhận gói rẽ nhánh Xã Phước Vĩnh Tây năm 2025 lần 1: Xã gửi lại sau khi cài máy mới" in actions


def test_only_the_held_file_is_decided(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    first = export(workspace, tmp_path / "goi1")
    merge.apply(office_ws, first)
    before = query(office_ws, "SELECT * FROM received_package")
    with pytest.raises(UserError, match="không phải gói rẽ nhánh"):
        merge.decide_fork(office_ws, first, accept=False, reason="thử")
    assert query(office_ws, "SELECT * FROM received_package") == before

    fork = make_fork(workspace, tmp_path / "goi1-khac")  # reviewed in the window, never held: held, then decided
    merge.decide_fork(office_ws, fork, accept=False, reason="Chờ xã gửi lần 2")
    assert statuses(office_ws) == [(1, "applied"), (1, "fork_rejected")]


def test_a_fork_taken_with_allow_fork_no_longer_waits(office_ws: Workspace, held_fork: Path) -> None:
    merge.apply(office_ws, held_fork, allow_fork=True)
    assert merge.pending_forks(office_ws) == []


def test_changed_records_field_by_field_and_trimmed(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    ids = [add_household(workspace, f"{n:05d}", name) for n, name in enumerate(("An", "Bình", "Chi"), 1)]
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute("UPDATE household SET phone = '0909123456', note = 'Hộ mới sửa' WHERE id = ?", (ids[0],))
        connection.execute("UPDATE household SET deleted_at = '2025-06-01T00:00:00Z' WHERE id = ?", (ids[1],))
    add_household(workspace, "00004", "Đào Thị Dung")
    found = merge.review(office_ws, export(workspace, tmp_path / "goi2"))

    changes = merge.record_changes(found, "households")
    assert [(c.kind, c.label) for c in changes] == [
        (merge.NEW, "Hộ 00004, Ấp Vĩnh Thạnh"),
        (merge.CHANGED, "Hộ 00001, Ấp Vĩnh Thạnh"),
        (merge.REMOVED, "Hộ 00002, Ấp Vĩnh Thạnh"),
    ]
    assert [(f.header, f.old, f.new) for f in changes[1].fields] == [
        ("Ghi chú", merge.EMPTY_VALUE, "Hộ mới sửa"),
        ("Điện thoại", merge.EMPTY_VALUE, "0909123456"),
    ]
    members = [(c.kind, c.label) for c in merge.record_changes(found, "members")]
    assert members == [(merge.NEW, "Đào Thị Dung (hộ 00004)"), (merge.REMOVED, "Bình (hộ 00002)")]

    small = merge.trimmed(found, limit=0)
    assert small.sheets == found.sheets and merge.record_changes(small, "households") == []
    assert merge.record_changes(merge.trimmed(found), "households") == changes
    assert sum(len(records) for records in merge.trimmed(found).held.values()) == 3  # changed and removed only


def test_forks_command(office_ws: Workspace, held_fork: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office_dir = str(office_ws.data_dir)
    assert main(["forks", "--data-dir", office_dir]) == 0
    out = capsys.readouterr().out
    assert "Xã Phước Vĩnh Tây" in out and "1 gói rẽ nhánh chờ quyết định" in out

    assert main(["forks", "--data-dir", office_dir, "--reject", str(held_fork)]) == 2
    assert "lý do" in capsys.readouterr().err
    assert main(["forks", "--data-dir", office_dir, "--reject", str(held_fork), "--reason", "Gửi nhầm"]) == 0
    assert "không nhận gói rẽ nhánh" in capsys.readouterr().out
    assert main(["forks", "--data-dir", office_dir]) == 0
    assert "Không có gói rẽ nhánh nào" in capsys.readouterr().out

    assert main(["forks", "--data-dir", office_dir, "--accept", str(held_fork)]) == 0
    assert "Đã nhận gói rẽ nhánh" in capsys.readouterr().out
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(2,)]


@NEEDS_POPPLER
def test_merge_writes_the_minute_of_its_run(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    path = export(workspace, tmp_path / "goi1")
    stranger = tmp_path / "la.zip"
    stranger.write_bytes(b"khong phai goi")
    office_dir, minute = str(office_ws.data_dir), tmp_path / "bien-ban.pdf"

    assert main(["merge", "--data-dir", office_dir, "--minute", str(tmp_path / "bien-ban.docx"), str(path)]) == 2
    assert ".pdf" in capsys.readouterr().err
    assert query(office_ws, "SELECT count(*) FROM received_package") == [(0,)]

    assert main(["merge", "--data-dir", office_dir, "--minute", str(minute), str(path), str(stranger)]) == 2
    assert "biên bản đối soát" in capsys.readouterr().out
    text = pdf_text(minute)
    assert "BIÊN BẢN ĐỐI SOÁT SỐ LIỆU" in text and "Xã Phước Vĩnh Tây (mã 28201)" in text
    assert "Đã nhận vào số liệu của cơ quan." in text
    assert "la.zip" in text and "Các gói không nhận" in text
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(1,)]

    dry = tmp_path / "chay-thu.pdf"
    assert main(["merge", "--data-dir", office_dir, "--dry-run", "--minute", str(dry), str(path)]) == 0
    assert "chưa ghi vào số liệu" in pdf_text(dry)


def test_office_merge_commune_command(office_ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    office_dir = str(office_ws.data_dir)
    assert main(["office", "merge-commune", "--data-dir", office_dir, "--code", "28201", "--into", "25732"]) == 0
    assert "sáp nhập vào Phường An Tịnh" in capsys.readouterr().out
    merged = next(c for c in office.list_communes(office_ws) if c.code == "28201")
    assert (merged.name, merged.merged_into_code) == ("Xã Phước Vĩnh Tây", "25732")
    assert main(["office", "merge-commune", "--data-dir", office_dir, "--code", "28201", "--into", "28201"]) == 2
    assert "chính nó" in capsys.readouterr().err
