"""The office's fast import paths keep the rules (issue 6): an unchanged package is answered without reading its
workbook, even once its key is retired; a batch takes one backup and each package keeps its own fate; what the
typed tables hold reads back equal to what a package carries, in every sheet. (Speed itself is measured by
benchmarks/bench_office.py; tests never time anything.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.verify import PackageRefused, VerifiedPackage
from khuyenhoc_desktop.services import merge, profile, trust
from khuyenhoc_desktop.services.demo import create_demo
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import list_backups
from tests.conftest import HAMLETS, commune_profile
from tests.test_merge import add_household, dump, enrolled, export, query, statuses

__all__ = ["enrolled"]  # fixtures defined beside the tests they were written for, which pytest finds here by name

OTHER_COMMUNE = "25732"  # Phường An Tịnh, Tây Ninh


@pytest.fixture
def other(office_ws: Workspace, tmp_path: Path) -> Iterator[Workspace]:
    """A second commune of the province, its key enrolled at the office."""
    workspace = Workspace.open(tmp_path / "an-tinh")
    profile.set_up(workspace, commune_profile(commune_code=OTHER_COMMUNE), HAMLETS)
    trust.enrol_key(office_ws, OTHER_COMMUNE, keys.public_raw(workspace.data_dir), None, "tep_khoa")
    yield workspace
    workspace.close(backup=False)


def test_an_unchanged_package_is_answered_without_reading_it_even_after_its_key_was_retired(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    path = export(workspace, tmp_path / "goi1")
    merge.apply(office_ws, path)
    trust.revoke_key(office_ws, enrolled.key_id)  # e.g. retired by a key change since
    before = dump(office_ws)

    def never(self: VerifiedPackage) -> None:
        raise AssertionError("the workbook of a package already applied was read")

    monkeypatch.setattr(VerifiedPackage, "read_workbook", never)
    again = merge.apply(office_ws, path)
    assert not again.applied and again.review.verdict == merge.SAME and not again.review.has_changes
    households = next(s for s in again.review.sheets if s.sheet == "households")
    assert (households.new, households.changed, households.removed, households.unchanged) == (0, {}, 0, 1)
    assert again.review.row_count == query(office_ws, "SELECT rows FROM received_package")[0][0]
    assert again.review.fingerprint == enrolled.fingerprint
    assert dump(office_ws) == before  # nothing written, no refusal recorded

    add_household(workspace, "00002", "Trần Thị Bình")
    with pytest.raises(UserError, match="thu hồi"):  # a new package from the retired key is still refused
        merge.apply(office_ws, export(workspace, tmp_path / "goi2"))


def test_a_batch_takes_one_backup_and_each_package_keeps_its_own_fate(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, other: Workspace, tmp_path: Path
) -> None:
    add_household(workspace, "00001", "Nguyễn Văn An")
    first = export(workspace, tmp_path / "goi1")
    add_household(workspace, "00002", "Trần Thị Bình")
    second = export(workspace, tmp_path / "goi2")
    add_household(other, "00001", "Lê Văn Cường")
    theirs = export(other, tmp_path / "an-tinh")
    stranger = tmp_path / "la.zip"
    stranger.write_bytes(b"khong phai goi")
    backups = len(list_backups(office_ws.data_dir))
    seen: list[tuple[int, int, str]] = []

    result = merge.apply_all(
        office_ws, [first, stranger, theirs, second, first, second], progress=lambda *p: seen.append(p)
    )

    fates = [(item.path.name, item.applied, item.review.verdict if item.review else None) for item in result.items]
    assert fates == [
        (first.name, True, merge.FIRST),
        ("la.zip", False, None),
        (theirs.name, True, merge.FIRST),
        (second.name, True, merge.NEXT),
        (first.name, False, merge.REPLAY),
        (second.name, False, merge.SAME),
    ]
    refusals = [item.refusal for item in result.items]
    assert refusals[0] is None and refusals[2] is None and refusals[3] is None and refusals[5] is None
    assert refusals[1] is not None and "la.zip" in refusals[1]
    assert refusals[4] is not None and "cũ hơn" in refusals[4]
    assert len(list_backups(office_ws.data_dir)) == backups + 1
    assert result.backup is not None and result.backup.exists()
    assert seen == [(i, 6, p.name) for i, p in enumerate([first, stranger, theirs, second, first, second])] + [
        (6, 6, "")
    ]
    assert query(office_ws, "SELECT commune_code, count(*) FROM office_households GROUP BY 1 ORDER BY 1") == [
        (OTHER_COMMUNE, 1),
        ("28201", 2),
    ]
    recorded = query(
        office_ws, "SELECT commune_code, sequence, status FROM received_package ORDER BY received_at, rowid"
    )
    assert recorded == [
        ("28201", 1, "superseded"),
        ("", 0, "refused"),
        (OTHER_COMMUNE, 1, "applied"),
        ("28201", 2, "applied"),
        ("28201", 1, "refused"),
    ]


def test_a_batch_reading_ahead_still_refuses_each_package_for_its_first_failed_check(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    stranger = Workspace.open(tmp_path / "binh-minh")
    try:
        profile.set_up(stranger, commune_profile(commune_code="25480"), HAMLETS)  # its key never enrolled
        untrusted = export(stranger, tmp_path / "binh-minh-goi")
    finally:
        stranger.close(backup=False)
    ours = export(workspace, tmp_path / "goi")

    def unreadable(self: VerifiedPackage) -> None:
        raise PackageRefused(self.path, "bảng tính hỏng")

    monkeypatch.setattr(VerifiedPackage, "read_workbook", unreadable)
    result = merge.apply_all(office_ws, [untrusted, ours])
    first, second = result.items
    assert first.review is None and first.refusal is not None and "chưa được đăng ký" in first.refusal
    assert second.review is None and second.refusal is not None and "bảng tính hỏng" in second.refusal
    assert result.backup is None
    assert query(office_ws, "SELECT status, warnings FROM received_package ORDER BY received_at, rowid") == [
        ("refused", first.refusal),
        ("refused", second.refusal),
    ]
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(0,)]


def test_a_package_failing_mid_batch_undoes_only_itself(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, other: Workspace, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    add_household(other, "00001", "Lê Văn Cường")
    ours, theirs = export(workspace, tmp_path / "goi"), export(other, tmp_path / "an-tinh")
    real = merge.office_data.replace_snapshot

    def fail_for_theirs(session: object, commune: str, *args: object) -> int:
        written = real(session, commune, *args)  # type: ignore[arg-type]
        if commune == OTHER_COMMUNE:
            raise OSError("đĩa đầy")
        return written

    monkeypatch.setattr(merge.office_data, "replace_snapshot", fail_for_theirs)
    with pytest.raises(OSError, match="đĩa đầy"):
        merge.apply_all(office_ws, [ours, theirs])
    assert query(office_ws, "SELECT DISTINCT commune_code FROM office_households") == [("28201",)]
    assert statuses(office_ws) == [(1, "applied")]
    assert query(office_ws, "PRAGMA integrity_check") == [("ok",)]


def test_a_next_package_of_the_same_data_is_unchanged_in_every_sheet(office_ws: Workspace, tmp_path: Path) -> None:
    """A demo commune fills every sheet with every kind of value; what the office stored of its first package
    compares equal, record by record, to the same records read from its next one."""
    data_dir = tmp_path / "xa-mau"
    create_demo(data_dir, households=30, commune_code="28201")
    commune = Workspace.open(data_dir)
    try:
        trust.enrol_key(office_ws, "28201", keys.public_raw(data_dir), None, "tep_khoa")
        merge.apply(office_ws, export(commune, tmp_path / "goi1"))
        found = merge.review(office_ws, export(commune, tmp_path / "goi2"))
    finally:
        commune.close(backup=False)
    assert found.verdict == merge.NEXT
    assert all(s.unchanged > 0 for s in found.sheets), [(s.sheet, s.unchanged) for s in found.sheets]
    assert [(s.sheet, s.new, s.changed, s.removed) for s in found.sheets if s.new or s.changed or s.removed] == []
    assert found.held == found.rows


def test_merge_command_imports_a_batch_with_one_backup(
    office_ws: Workspace, workspace: Workspace, enrolled: trust.TrustedKey, other: Workspace, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    add_household(workspace, "00001", "Nguyễn Văn An")
    add_household(other, "00001", "Lê Văn Cường")
    files = [export(workspace, tmp_path / "goi"), export(other, tmp_path / "an-tinh")]
    backups = len(list_backups(office_ws.data_dir))
    assert main(["merge", "--data-dir", str(office_ws.data_dir), *map(str, files)]) == 0
    out, err = capsys.readouterr()
    assert out.count("Đã nhận gói vào số liệu của cơ quan.") == 2
    assert "Đang nhận gói 2/2" in err
    assert len(list_backups(office_ws.data_dir)) == backups + 1
