"""The office imports a commune's signed package: verified, reviewed, merged as the commune's snapshot (issue 6)."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import merge, packages, trust
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path

YEAR = 2025
TABLES = (
    "office_households",
    "office_members",
    "office_hamlets",
    "received_package",
    "audit_log",
    "trusted_key",
    "office",
    "office_commune",
)


@pytest.fixture
def enrolled(office_ws: Workspace, workspace: Workspace, tmp_path: Path) -> trust.TrustedKey:
    key_file = tmp_path / "xa.pub"
    keys.export_public(workspace.data_dir, key_file)
    return trust.enrol_key(office_ws, "28201", keys.read_public(key_file), None, "tep_khoa")


def add_household(workspace: Workspace, code: str, head: str) -> str:
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Vĩnh Thạnh")
    return household_service.create_household(workspace, HouseholdInput(code, head, hamlet))


def export(workspace: Workspace, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return packages.export_package(workspace, YEAR, folder).path


def query(workspace: Workspace, sql: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection:
        return list(connection.execute(sql, params).fetchall())


def dump(workspace: Workspace) -> dict[str, list[tuple[object, ...]]]:
    return {table: sorted(query(workspace, f"SELECT * FROM {table}"), key=repr) for table in TABLES}


def statuses(workspace: Workspace) -> list[tuple[object, ...]]:
    return query(workspace, "SELECT sequence, status FROM received_package ORDER BY received_at, rowid")


def sheet_of(review: merge.Review, key: str) -> merge.SheetReview:
    return next(s for s in review.sheets if s.sheet == key)


def test_first_import_applies_then_the_same_file_changes_nothing(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    household_id = add_household(workspace, "00001", "Nguyễn Văn An")
    path = export(workspace, tmp_path / "goi1")

    found = merge.review(office_ws, path)
    assert found.verdict == merge.FIRST and found.commune_code == "28201" and found.period == "2025"
    assert sheet_of(found, "households").new == 1 and sheet_of(found, "hamlets").new == 3

    result = merge.apply(office_ws, path)
    assert result.applied and result.backup is not None and result.backup.exists()
    rows = query(
        office_ws,
        "SELECT code, head_name, member_count, commune_code, period, sequence FROM office_households WHERE id = ?",
        household_id,
    )
    assert rows == [("00001", "Nguyễn Văn An", 1, "28201", "2025", 1)]
    assert query(office_ws, "SELECT name_key FROM office_members WHERE household_id = ?", household_id) == [
        ("nguyen van an",)
    ]
    assert statuses(office_ws) == [(1, "applied")]
    actions = [r[0] for r in query(office_ws, "SELECT action FROM audit_log WHERE table_name = 'received_package'")]
    assert actions == ["Nhận gói số liệu Xã Phước Vĩnh Tây năm 2025 lần 1"]

    before = dump(office_ws)
    again = merge.apply(office_ws, path)
    assert not again.applied and again.review.verdict == merge.SAME and not again.review.has_changes
    assert "đã được nhận" in again.review.verdict_label
    assert dump(office_ws) == before


def test_next_package_replaces_the_snapshot_and_an_older_one_is_a_replay(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    add_household(workspace, "00001", "Nguyễn Văn An")
    first = export(workspace, tmp_path / "goi1")
    merge.apply(office_ws, first)
    added = add_household(workspace, "00002", "Trần Thị Bình")
    second = export(workspace, tmp_path / "goi2")

    found = merge.review(office_ws, second)
    households = sheet_of(found, "households")
    assert found.verdict == merge.NEXT
    assert (households.new, households.removed, households.unchanged, households.changed) == (1, 0, 1, {})
    merge.apply(office_ws, second)
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(2,)]
    assert query(office_ws, "SELECT count(*) FROM office_households WHERE id = ?", added) == [(1,)]
    assert statuses(office_ws) == [(1, "superseded"), (2, "applied")]

    with pytest.raises(UserError, match="cũ hơn"):
        merge.apply(office_ws, first)
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(2,)]
    assert statuses(office_ws)[-1] == (1, "refused")


def test_changed_fields_are_named(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    household_id = add_household(workspace, "00001", "Nguyễn Văn An")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute("UPDATE household SET phone = '0909123456' WHERE id = ?", (household_id,))
    found = merge.review(office_ws, export(workspace, tmp_path / "goi2"))
    assert sheet_of(found, "households").changed == {household_id: ("phone",)}


@pytest.mark.parametrize("revoke", [False, True])
def test_unenrolled_or_revoked_key_is_refused_and_nothing_merged(
    office_ws: Workspace, workspace: Workspace, tmp_path: Path, revoke: bool
) -> None:
    path = export(workspace, tmp_path / "goi1")
    if revoke:
        key_file = tmp_path / "xa.pub"
        keys.export_public(workspace.data_dir, key_file)
        key = trust.enrol_key(office_ws, "28201", keys.read_public(key_file), None, "tep_khoa")
        trust.revoke_key(office_ws, key.key_id)
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    before = dump(office_ws)
    with pytest.raises(UserError, match="thu hồi" if revoke else "chưa được"):
        merge.apply(office_ws, path)
    after = dump(office_ws)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == file_hash
    assert after["office_households"] == before["office_households"] == []
    assert {t: after[t] for t in ("trusted_key", "office", "office_commune")} == {
        t: before[t] for t in ("trusted_key", "office", "office_commune")
    }
    assert query(office_ws, "SELECT status, package_sha256 FROM received_package") == [("refused", file_hash)]


def test_dry_run_review_changes_nothing(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    path = export(workspace, tmp_path / "goi1")
    before = dump(office_ws)
    merge.review(office_ws, path)
    assert dump(office_ws) == before


def test_fault_mid_write_leaves_the_database_as_before(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    add_household(workspace, "00002", "Trần Thị Bình")
    second = export(workspace, tmp_path / "goi2")
    before = dump(office_ws)

    def fail(*_: object) -> None:
        raise OSError("đĩa đầy")

    monkeypatch.setattr(merge.office_data, "_derive", fail)
    with pytest.raises(OSError, match="đĩa đầy"):
        merge.apply(office_ws, second)
    assert dump(office_ws) == before
    assert query(office_ws, "PRAGMA integrity_check") == [("ok",)]


def test_gap_warns_and_applies(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    export(workspace, tmp_path / "goi2")
    third = export(workspace, tmp_path / "goi3")
    result = merge.apply(office_ws, third)
    assert result.review.verdict == merge.GAP and "thiếu lần gửi 2" in result.review.warnings[0]
    assert statuses(office_ws) == [(1, "superseded"), (3, "applied")]


def test_fork_is_held_unless_allowed(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path
) -> None:
    merge.apply(office_ws, export(workspace, tmp_path / "goi1"))
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection, connection:
        connection.execute("DELETE FROM package_export")
    add_household(workspace, "00001", "Nguyễn Văn An")
    fork = export(workspace, tmp_path / "goi1-khac")

    assert merge.review(office_ws, fork).verdict == merge.FORK
    rows_before = query(office_ws, "SELECT * FROM office_households ORDER BY id")
    with pytest.raises(UserError, match="rẽ nhánh"):
        merge.apply(office_ws, fork)
    assert query(office_ws, "SELECT * FROM office_households ORDER BY id") == rows_before
    assert statuses(office_ws) == [(1, "applied"), (1, "fork_waiting")]

    merge.apply(office_ws, fork, allow_fork=True)
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(1,)]
    assert statuses(office_ws) == [(1, "superseded"), (1, "fork_waiting"), (1, "applied")]


def test_merge_command(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from khuyenhoc_desktop.cli import main

    add_household(workspace, "00001", "Nguyễn Văn An")
    path = export(workspace, tmp_path / "goi1")
    office_dir = str(office_ws.data_dir)
    assert main(["merge", "--data-dir", office_dir, "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Hộ gia đình" in out and "mới 1" in out and "chưa ghi" in out.lower()
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(0,)]

    assert main(["merge", "--data-dir", office_dir, str(path)]) == 0
    assert "Đã nhận" in capsys.readouterr().out
    assert main(["merge", "--data-dir", office_dir, str(path)]) == 0
    assert "đã được nhận" in capsys.readouterr().out

    stranger = tmp_path / "la.zip"
    stranger.write_bytes(b"khong phai goi")
    assert main(["merge", "--data-dir", office_dir, str(path), str(stranger)]) == 2
    assert "la.zip" in capsys.readouterr().err
