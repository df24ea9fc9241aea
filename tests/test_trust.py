"""The office's trusted keys: enrol a commune's key (file or paper sheet), revoke it, check who signed (issue 6)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import office, packages, trust
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path


@pytest.fixture
def office_workspace(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "van-phong")
    office.init_office(workspace, "tinh", "80")
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def key_file(workspace: Workspace, tmp_path: Path) -> Path:
    """The public key the commune of `workspace` (Phước Vĩnh Tây, 28201) exported for the office."""
    path = tmp_path / "phuoc-vinh-tay.pub"
    keys.export_public(workspace.data_dir, path)
    return path


def trusted_rows(workspace: Workspace) -> int:
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection:
        return int(connection.execute("SELECT count(*) FROM trusted_key").fetchone()[0])


def test_enrol_from_the_commune_key_file(office_workspace: Workspace, key_file: Path) -> None:
    public = keys.read_public(key_file)
    enrolled = trust.enrol_key(office_workspace, "28201", public, None, "tep_khoa")

    assert enrolled.key_id == keys.key_id(public) and enrolled.fingerprint == keys.fingerprint(public)
    assert enrolled.commune_code == "28201" and enrolled.revoked_at is None
    assert trust.keys_of(office_workspace, "28201") == [enrolled]
    assert trust.keys_of(office_workspace, "25480") == []
    with pytest.raises(UserError, match="đã được đăng ký"):
        trust.enrol_key(office_workspace, "28201", public, None, "tep_khoa")


def test_typed_fingerprint_matches_ignoring_spaces_and_case(office_workspace: Workspace, key_file: Path) -> None:
    public = keys.read_public(key_file)
    typed = keys.fingerprint(public).replace(" ", "").lower()
    assert trust.enrol_key(office_workspace, "28201", public, typed, "phieu_giay").source == "phieu_giay"


def test_fingerprint_mismatch_is_refused_and_nothing_written(office_workspace: Workspace, key_file: Path) -> None:
    public = keys.read_public(key_file)
    wrong = keys.fingerprint(bytes(32))
    with pytest.raises(UserError, match="Dấu vân tay không khớp"):
        trust.enrol_key(office_workspace, "28201", public, wrong, "phieu_giay")
    assert trusted_rows(office_workspace) == 0


def test_commune_not_on_the_office_list_is_refused(office_workspace: Workspace, key_file: Path) -> None:
    with pytest.raises(UserError, match="không có trong danh sách"):
        trust.enrol_key(office_workspace, "00004", keys.read_public(key_file), None, "tep_khoa")
    assert trusted_rows(office_workspace) == 0


def test_commune_folder_cannot_enrol(workspace: Workspace, key_file: Path) -> None:
    with pytest.raises(UserError, match="của một xã"):
        trust.enrol_key(workspace, "28201", keys.read_public(key_file), None, "tep_khoa")


def test_check_signer_accepts_then_refuses_after_revocation(
    office_workspace: Workspace, workspace: Workspace, key_file: Path, tmp_path: Path
) -> None:
    exported = packages.export_package(workspace, 2025, tmp_path)
    package = packages.verify_package(exported.path)
    with pytest.raises(UserError, match="chưa được đăng ký"):
        trust.check_signer(office_workspace, package)

    enrolled = trust.enrol_key(office_workspace, "28201", keys.read_public(key_file), None, "tep_khoa")
    assert trust.check_signer(office_workspace, package) == enrolled

    revoked = trust.revoke_key(office_workspace, enrolled.key_id)
    assert revoked.revoked_at is not None
    with pytest.raises(UserError, match="đã bị thu hồi"):
        trust.check_signer(office_workspace, package)
    with pytest.raises(UserError, match="đã bị thu hồi"):
        trust.revoke_key(office_workspace, enrolled.key_id)
    with pytest.raises(UserError, match="không đăng ký lại"):
        trust.enrol_key(office_workspace, "28201", keys.read_public(key_file), None, "tep_khoa")
    with pytest.raises(UserError, match="Không có khóa"):
        trust.revoke_key(office_workspace, "0123456789abcdef")


def test_key_enrolled_for_another_commune_is_refused(
    office_workspace: Workspace, workspace: Workspace, key_file: Path, tmp_path: Path
) -> None:
    package = packages.verify_package(packages.export_package(workspace, 2025, tmp_path).path)
    trust.enrol_key(office_workspace, "25480", keys.read_public(key_file), None, "tep_khoa")
    with pytest.raises(UserError, match="không phải mã 28201"):
        trust.check_signer(office_workspace, package)


def test_writes_are_audited(office_workspace: Workspace, key_file: Path) -> None:
    enrolled = trust.enrol_key(office_workspace, "28201", keys.read_public(key_file), None, "tep_khoa")
    trust.revoke_key(office_workspace, enrolled.key_id)
    with closing(sqlite3.connect(database_path(office_workspace.data_dir))) as connection:
        actions = [r[0] for r in connection.execute("SELECT action FROM audit_log WHERE table_name = 'trusted_key'")]
    assert actions == [f"Đăng ký khóa {enrolled.key_id} của Xã Phước Vĩnh Tây", f"Thu hồi khóa {enrolled.key_id}"]


def test_office_and_trust_commands(
    workspace: Workspace, tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from khuyenhoc_desktop.cli import main

    folder = str(tmp_path / "tinh")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("office", "init", "--data-dir", folder, "--level", "province", "--code", "80")
    assert code == 0, err
    assert "96 xã, phường" in out
    code, out, _ = run("office", "communes", "--data-dir", folder)
    assert code == 0 and "28201" in out and "Xã Phước Vĩnh Tây" in out and "Tổng: 96 xã, phường." in out

    public = keys.read_public(key_file)
    code, _, err = run("trust", "--data-dir", folder, str(key_file), "--commune", "28201", "--fingerprint", "AAAA")
    assert code == 2 and "Dấu vân tay không khớp" in err
    typed = keys.fingerprint(public).lower()
    code, out, err = run("trust", "--data-dir", folder, str(key_file), "--commune", "28201", "--fingerprint", typed)
    assert code == 0, err
    assert keys.fingerprint(public) in out and keys.key_id(public) in out
    code, out, _ = run("trusted", "--data-dir", folder)
    assert code == 0 and keys.key_id(public) in out and "Phiếu đăng ký giấy" in out
    code, out, _ = run("trust", "--data-dir", folder, "--revoke", keys.key_id(public))
    assert code == 0 and "Đã thu hồi" in out

    code, _, err = run("office", "init", "--data-dir", str(workspace.data_dir), "--level", "province", "--code", "80")
    assert code == 2 and "của một xã" in err
