"""A commune changes its signing key through a package signed by the old one (issue 6): the commune keeps the new
key waiting until a package announcing it is out; the office enrols it when it applies that package and retires
the old key in the same transaction."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.manifest import MANIFEST_NAME
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services import merge, packages, trust
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from khuyenhoc_desktop.ui.dialogs import settings_dialog
from khuyenhoc_desktop.ui.dialogs.settings_dialog import SettingsDialog
from tests.conftest import HAMLETS, MessageLog, commune_profile
from tests.pdf_helpers import NEEDS_POPPLER, pdf_text

YEAR = 2025
PASSPHRASE = "Đổi khóa năm 2025"
OTHER_COMMUNE = "25654"  # Phường Gò Dầu, Tây Ninh


def enrol(office_ws: Workspace, commune: Workspace) -> trust.TrustedKey:
    code = commune.profile.commune_code if commune.profile else ""
    return trust.enrol_key(office_ws, code, keys.public_raw(commune.data_dir), None, trust.KeySource.KEY_FILE)


def export(workspace: Workspace, folder: Path) -> packages.ExportResult:
    folder.mkdir(parents=True, exist_ok=True)
    return packages.export_package(workspace, YEAR, folder)


def manifest_of(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        return dict(json.loads(archive.read(MANIFEST_NAME)))


def query(workspace: Workspace, sql: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection:
        return list(connection.execute(sql, params).fetchall())


def trusted_rows(workspace: Workspace) -> list[tuple[object, ...]]:
    return query(
        workspace, "SELECT commune_code, key_id, source, revoked_at IS NOT NULL, note FROM trusted_key ORDER BY rowid"
    )


def statuses(workspace: Workspace) -> list[tuple[object, ...]]:
    return query(workspace, "SELECT sequence, status FROM received_package ORDER BY received_at, rowid")


# --- the commune ---


def test_rotation_waits_for_the_next_export_then_takes_over(workspace: Workspace, tmp_path: Path) -> None:
    old = keys.public_raw(workspace.data_dir)
    old_pem = keys.private_path(workspace.data_dir).read_bytes()
    pending = key_service.rotate_key(workspace)
    assert keys.public_raw(workspace.data_dir) == old  # nothing signs with the new key yet
    assert key_service.pending_key(workspace) == pending and pending.public != old

    result = export(workspace, tmp_path / "goi1")
    manifest = manifest_of(result.path)
    assert manifest["public_key"] == base64.b64encode(old).decode()  # signed by the key the office trusts
    assert manifest["next_public_key"] == pending.public_base64
    assert packages.verify_package(result.path).public_key == old
    assert result.fingerprint == keys.fingerprint(old) and result.rotated_to == pending.fingerprint

    assert keys.public_raw(workspace.data_dir) == pending.public
    assert keys.read_public(keys.public_path(workspace.data_dir)) == pending.public
    assert key_service.pending_key(workspace) is None
    assert keys.archived_path(workspace.data_dir, old).read_bytes() == old_pem  # kept, never deleted
    labels = [r[0] for r in query(workspace, "SELECT action FROM audit_log WHERE table_name = 'package_export'")]
    assert labels == [f"Xuất gói số liệu năm 2025 lần 1, báo đổi khóa ký sang khóa {pending.key_id}"]

    later = export(workspace, tmp_path / "goi2")
    assert "next_public_key" not in manifest_of(later.path)
    assert packages.verify_package(later.path).public_key == pending.public and later.rotated_to is None


def test_rotating_again_before_exporting_replaces_the_waiting_key(workspace: Workspace, tmp_path: Path) -> None:
    first = key_service.rotate_key(workspace)
    second = key_service.rotate_key(workspace)
    assert first.public != second.public and key_service.pending_key(workspace) == second
    result = export(workspace, tmp_path / "goi")
    assert manifest_of(result.path)["next_public_key"] == second.public_base64
    assert keys.public_raw(workspace.data_dir) == second.public


def test_a_failed_export_keeps_the_old_key_and_the_waiting_one(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = keys.public_raw(workspace.data_dir)
    pending = key_service.rotate_key(workspace)

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise UserError("ổ đĩa dữ liệu đầy")

    monkeypatch.setattr(packages, "record_change", refuse)
    with pytest.raises(UserError):
        export(workspace, tmp_path / "goi")
    assert keys.public_raw(workspace.data_dir) == old
    assert key_service.pending_key(workspace) == pending
    assert not keys.archived_path(workspace.data_dir, old).exists()


def test_only_a_commune_rotates(office_ws: Workspace) -> None:
    with pytest.raises(UserError, match="Chỉ xã, phường đổi khóa"):
        key_service.rotate_key(office_ws)
    assert key_service.pending_key(office_ws) is None


# --- the office ---


def test_key_rotation_accepted(office_ws: Workspace, workspace: Workspace, tmp_path: Path) -> None:
    old = enrol(office_ws, workspace)
    key_service.export_backup(workspace, tmp_path / "khoa-cu.khkey", PASSPHRASE)  # the old key, kept on a USB stick
    new = key_service.rotate_key(workspace)
    announcing = export(workspace, tmp_path / "goi1").path

    found = merge.review(office_ws, announcing)  # the dry run shows the change and writes nothing
    assert found.verdict == merge.FIRST and found.key_id == old.key_id
    assert found.key_change is not None and found.key_change.public == new.public
    assert f"gói này đổi khóa ký sang khóa {new.key_id} (dấu vân tay {new.fingerprint})" in found.warnings
    assert trusted_rows(office_ws) == [("28201", old.key_id, "tep_khoa", 0, "")]

    assert merge.apply(office_ws, announcing).applied
    package = "gói số liệu năm 2025 lần 1"
    assert trusted_rows(office_ws) == [
        ("28201", old.key_id, "tep_khoa", 1, f"Đã đổi sang khóa {new.key_id} qua {package}"),
        ("28201", new.key_id, "doi_khoa", 0, f"Khóa mới báo trong {package}, ký bằng khóa {old.key_id}"),
    ]
    audited = query(office_ws, "SELECT action FROM audit_log WHERE table_name = 'trusted_key' ORDER BY rowid")
    assert audited[-2:] == [("Nhận gói số liệu Xã Phước Vĩnh Tây năm 2025 lần 1",)] * 2
    assert query(office_ws, "SELECT warnings FROM received_package WHERE status = 'applied'") == [
        (f"gói này đổi khóa ký sang khóa {new.key_id} (dấu vân tay {new.fingerprint})",)
    ]

    signed_by_new = export(workspace, tmp_path / "goi2").path
    accepted = merge.apply(office_ws, signed_by_new)
    assert accepted.applied and accepted.review.verdict == merge.NEXT and accepted.review.key_id == new.key_id
    assert statuses(office_ws) == [(1, "superseded"), (2, "applied")]

    # The old key, brought back from its backup, signs a package after the change: refused as revoked.
    key_service.restore_backup(workspace, tmp_path / "khoa-cu.khkey", PASSPHRASE, replace=True)
    forged = export(workspace, tmp_path / "goi3").path
    with pytest.raises(UserError, match=f"thu hồi.*Đã đổi sang khóa {new.key_id}"):
        merge.apply(office_ws, forged)
    assert statuses(office_ws)[-1] == (3, "refused")  # signed as the commune's lần 3: filed under the commune
    assert query(office_ws, "SELECT DISTINCT sequence FROM office_hamlets") == [(2,)]


def test_reimporting_the_announcing_package_is_already_received(
    office_ws: Workspace, workspace: Workspace, tmp_path: Path
) -> None:
    enrol(office_ws, workspace)
    key_service.rotate_key(workspace)
    announcing = export(workspace, tmp_path / "goi1").path
    merge.apply(office_ws, announcing)
    keys_before = trusted_rows(office_ws)

    again = merge.apply(office_ws, announcing)  # its signer is retired now, but this very file was applied
    assert not again.applied and again.review.verdict == merge.SAME
    assert trusted_rows(office_ws) == keys_before


def test_a_rotation_signed_by_an_unenrolled_key_is_refused_and_nothing_enrolled(
    office_ws: Workspace, workspace: Workspace, tmp_path: Path
) -> None:
    key_service.rotate_key(workspace)
    announcing = export(workspace, tmp_path / "goi1").path
    with pytest.raises(UserError, match="chưa được"):
        merge.apply(office_ws, announcing)
    assert trusted_rows(office_ws) == []
    assert statuses(office_ws) == [(1, "refused")]
    assert query(office_ws, "SELECT count(*) FROM office_households") == [(0,)]


@pytest.fixture
def other_commune(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "go-dau")
    profile_service.set_up(
        workspace, commune_profile(commune_code=OTHER_COMMUNE, association_name="Hội Khuyến học phường Gò Dầu"), HAMLETS
    )
    yield workspace
    workspace.close(backup=False)


def test_a_next_key_enrolled_for_another_commune_is_refused(
    office_ws: Workspace, workspace: Workspace, other_commune: Workspace, tmp_path: Path
) -> None:
    enrol(office_ws, workspace)
    enrol(office_ws, other_commune)
    # The commune's "new" key is in fact Gò Dầu's (a copied folder, a mix-up of USB sticks).
    shutil.copyfile(keys.private_path(other_commune.data_dir), keys.next_path(workspace.data_dir))
    announcing = export(workspace, tmp_path / "goi1").path
    before = trusted_rows(office_ws)

    with pytest.raises(UserError, match=f"đã được đăng ký cho xã, phường mã {OTHER_COMMUNE}"):
        merge.review(office_ws, announcing)
    with pytest.raises(UserError, match=f"đã được đăng ký cho xã, phường mã {OTHER_COMMUNE}"):
        merge.apply(office_ws, announcing)
    assert trusted_rows(office_ws) == before
    assert query(office_ws, "SELECT count(*) FROM office_hamlets") == [(0,)]
    assert statuses(office_ws) == [(1, "refused")]


def test_a_new_key_already_enrolled_from_its_paper_sheet_is_not_enrolled_twice(
    office_ws: Workspace, workspace: Workspace, tmp_path: Path
) -> None:
    old = enrol(office_ws, workspace)
    new = key_service.rotate_key(workspace)
    trust.enrol_key(office_ws, "28201", new.public, new.fingerprint, trust.KeySource.PAPER_SHEET)
    merge.apply(office_ws, export(workspace, tmp_path / "goi1").path)
    assert [(r[1], r[2], r[3]) for r in trusted_rows(office_ws)] == [
        (old.key_id, "tep_khoa", 1),
        (new.key_id, "phieu_giay", 0),
    ]


# --- the command line ---


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_key_rotate_show_sheet_export_verify(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(workspace.data_dir)
    code, _, err = run(capsys, "key", "sheet", "--next", "--data-dir", folder, "--out", str(tmp_path / "moi.pdf"))
    assert code == 2 and "Chưa có khóa mới" in err

    code, out, err = run(capsys, "key", "rotate", "--data-dir", folder)
    pending = key_service.pending_key(workspace)
    assert code == 0, err
    assert pending is not None and pending.fingerprint in out and "xuất lần tới" in out

    code, out, _ = run(capsys, "key", "show", "--data-dir", folder)
    assert code == 0 and f"Khóa mới chờ dùng từ sau lần xuất gói tới: {pending.fingerprint}" in out

    sheet = tmp_path / "phieu-khoa-moi.pdf"
    code, out, err = run(capsys, "key", "sheet", "--next", "--data-dir", folder, "--out", str(sheet))
    assert code == 0, err
    assert sheet.read_bytes().startswith(b"%PDF") and pending.fingerprint in out

    code, out, err = run(capsys, "export", "--data-dir", folder, "--year", "2025", "--out", str(tmp_path))
    assert code == 0, err
    assert f"Từ nay máy này ký bằng khóa mới: {pending.fingerprint}" in out
    code, out, _ = run(capsys, "verify", str(next(tmp_path.glob("*.zip"))))
    assert code == 0 and f"Gói báo đổi khóa ký sang khóa có dấu vân tay: {pending.fingerprint}" in out


def test_cli_key_rotate_refused_for_the_office(office_ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "key", "rotate", "--data-dir", str(office_ws.data_dir))
    assert code == 2 and "Chỉ xã, phường đổi khóa" in err


def test_cli_merge_dry_run_shows_the_key_change(
    office_ws: Workspace, workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    enrol(office_ws, workspace)
    new = key_service.rotate_key(workspace)
    announcing = export(workspace, tmp_path / "goi1").path
    code, out, err = run(capsys, "merge", "--data-dir", str(office_ws.data_dir), "--dry-run", str(announcing))
    assert code == 0, err
    assert f"Lưu ý: gói này đổi khóa ký sang khóa {new.key_id} (dấu vân tay {new.fingerprint})" in out
    assert len(trusted_rows(office_ws)) == 1


# --- the Settings dialog ---


@pytest.fixture
def dialog(qtbot: QtBot, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(settings_dialog.TAB_KEY)
    return dialog


def test_settings_rotate_button_asks_then_keeps_the_new_key_waiting(
    dialog: SettingsDialog, workspace: Workspace, messages: MessageLog
) -> None:
    assert dialog.rotate_key_button.text() == "Đổi khóa ký…" and not dialog.rotate_key_button.isHidden()
    assert dialog.pending_key_label.isHidden()
    current = keys.public_raw(workspace.data_dir)

    messages.answers.append(1)  # «Hủy»
    dialog.rotate_key_button.click()
    title, text = messages.shown[-1]
    assert title == "Đổi khóa ký" and "vẫn ký bằng khóa hiện tại" in text and "không ký nữa" in text
    assert key_service.pending_key(workspace) is None

    messages.answers.append(0)  # «Đổi khóa»
    dialog.rotate_key_button.click()
    pending = key_service.pending_key(workspace)
    assert pending is not None and keys.public_raw(workspace.data_dir) == current
    assert messages.shown[-1][0] == "Đổi khóa ký" and pending.fingerprint_groups[0] in messages.shown[-1][1]
    assert not dialog.pending_key_label.isHidden() and pending.fingerprint in dialog.pending_key_label.text()

    messages.answers.append(0)
    dialog.rotate_key_button.click()
    assert "sẽ được thay bằng khóa khác" in messages.shown[-2][1]
    assert key_service.pending_key(workspace) != pending


@NEEDS_POPPLER
def test_settings_prints_the_sheet_for_the_waiting_key(
    dialog: SettingsDialog, workspace: Workspace, messages: MessageLog, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    chosen: list[Path | None] = [tmp_path / "phieu-moi.pdf"]
    monkeypatch.setattr(settings_dialog, "save_path", lambda *_a: chosen.pop(0))
    messages.answers.append(0)
    dialog.rotate_key_button.click()
    pending = key_service.pending_key(workspace)
    assert pending is not None

    messages.answers.append(2)  # «Hủy» at «which key?»: no file dialog, nothing written
    dialog.key_sheet_button.click()
    assert chosen and "Khóa mới đang chờ" in messages.shown[-1][1]

    messages.answers.append(1)  # «Khóa mới đang chờ»
    dialog.key_sheet_button.click()
    assert messages.shown[-1][0] == "In phiếu đăng ký khóa"
    text = pdf_text(tmp_path / "phieu-moi.pdf")
    assert pending.key_id in text and keys.key_id(keys.public_raw(workspace.data_dir)) not in text
