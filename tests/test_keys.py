"""The signing key: created once per data folder, kept private, shown and exported, backed up under a
passphrase and restored on another laptop; through the exchange layer, the services, the CLI and the
Settings dialog's «Khóa ký» tab."""

from __future__ import annotations

import base64
import json
import re
import stat
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs import settings_dialog
from khuyenhoc_desktop.ui.dialogs.settings_dialog import PassphraseDialog, SettingsDialog
from tests.conftest import MessageLog

Answers = dict[str, list[object]]
KeyTab = tuple[SettingsDialog, Answers]

PASSPHRASE = "Hoa sen nở sớm 2025"
FINGERPRINT = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$")


# --- exchange.keys ---


def test_key_created_once_and_stable_across_opens(tmp_path: Path) -> None:
    folder = tmp_path / "xa"
    keys.ensure_key(folder)
    first = keys.public_raw(folder)
    pem = keys.private_path(folder).read_bytes()
    keys.ensure_key(folder)
    assert keys.private_path(folder).read_bytes() == pem
    assert keys.public_raw(folder) == first and len(first) == 32
    assert base64.b64decode(keys.public_path(folder).read_text()) == first
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS8, not encrypted


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_private_key_readable_by_owner_only(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path)
    assert stat.S_IMODE(keys.private_path(tmp_path).stat().st_mode) == 0o600
    assert not [p for p in keys.keys_dir(tmp_path).iterdir() if p.name.endswith(".tmp")]


def test_missing_public_file_is_written_again_from_the_private_key(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path)
    public = keys.public_raw(tmp_path)
    keys.public_path(tmp_path).unlink()
    keys.ensure_key(tmp_path)
    assert keys.read_public(keys.public_path(tmp_path)) == public


def test_first_use_creates_a_key_in_an_older_folder(tmp_path: Path) -> None:
    signature = keys.sign(tmp_path, b"goi so lieu")
    assert keys.has_key(tmp_path)
    assert keys.verify(keys.public_raw(tmp_path), b"goi so lieu", signature)


def test_sign_and_verify(tmp_path: Path) -> None:
    message = "Bảng kê số liệu xã Phước Vĩnh Tây năm 2025".encode()
    signature = keys.sign(tmp_path / "a", message)
    public = keys.public_raw(tmp_path / "a")
    assert len(signature) == 64
    assert keys.verify(public, message, signature)
    assert not keys.verify(public, message + b" ", signature)
    tampered = bytes([signature[0] ^ 1]) + signature[1:]
    assert not keys.verify(public, message, tampered)
    assert not keys.verify(keys.public_raw(tmp_path / "b"), message, signature)  # another commune's key
    assert not keys.verify(public[:31], message, signature)
    assert not keys.verify(public, message, signature[:63])


def test_fingerprint_and_key_id_format_and_two_keys_differ(tmp_path: Path) -> None:
    one, two = keys.public_raw(tmp_path / "a"), keys.public_raw(tmp_path / "b")
    assert FINGERPRINT.match(keys.fingerprint(one)), keys.fingerprint(one)
    assert re.fullmatch(r"[0-9a-f]{16}", keys.key_id(one))
    assert keys.fingerprint(one) != keys.fingerprint(two)
    assert keys.key_id(one) != keys.key_id(two)
    assert keys.fingerprint(one) == keys.fingerprint(bytes(one))  # a function of the key alone


def test_known_fingerprint() -> None:
    """Pinned: another implementation (the office's) must print the same groups for the same key."""
    public = bytes(range(32))
    assert keys.key_id(public) == "630dcd2966c43366"
    # SHA-256 of bytes 0..31 is 630dcd29 66c43366 91125448 …; its base32, cut to 32 characters, in groups of 4
    assert keys.fingerprint(public) == "MMG4 2KLG YQZW NEIS KREL XMS3 J72B FJE4"


def test_public_export_reads_back(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path / "xa")
    out = tmp_path / "khoa.pub"
    keys.export_public(tmp_path / "xa", out)
    assert out.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert b"PRIVATE" not in out.read_bytes()
    assert keys.read_public(out) == keys.public_raw(tmp_path / "xa")
    assert keys.read_public(keys.public_path(tmp_path / "xa")) == keys.public_raw(tmp_path / "xa")


def test_reading_something_else_as_a_public_key_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "thu.txt"
    junk.write_text("Kính gửi Hội Khuyến học tỉnh", encoding="utf-8")
    with pytest.raises(UserError, match="không phải khóa công khai"):
        keys.read_public(junk)
    keys.ensure_key(tmp_path / "xa")
    with pytest.raises(UserError, match="không phải khóa công khai"):
        keys.read_public(keys.private_path(tmp_path / "xa"))


def test_backup_restores_the_same_key_on_a_new_laptop(tmp_path: Path) -> None:
    old, new = tmp_path / "may-cu", tmp_path / "may-moi"
    keys.ensure_key(old)
    backup = tmp_path / "khoa.khkey"
    keys.export_backup(old, backup, PASSPHRASE)
    text = backup.read_text(encoding="utf-8")
    assert "PRIVATE" not in text
    private = keys.private_path(old).read_text()
    assert private.splitlines()[1] not in text  # the key is not in the file in the clear
    assert json.loads(text)["key_id"] == keys.key_id(keys.public_raw(old))

    assert keys.restore_backup(new, backup, PASSPHRASE) == keys.public_raw(old)
    assert keys.public_raw(new) == keys.public_raw(old)
    assert keys.verify(keys.public_raw(old), b"x", keys.sign(new, b"x"))
    if sys.platform != "win32":
        assert stat.S_IMODE(keys.private_path(new).stat().st_mode) == 0o600


def test_wrong_passphrase_refused_in_vietnamese(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path / "a")
    backup = tmp_path / "khoa.khkey"
    keys.export_backup(tmp_path / "a", backup, PASSPHRASE)
    with pytest.raises(UserError, match="Mật khẩu không đúng"):
        keys.restore_backup(tmp_path / "b", backup, "Hoa sen nở muộn 2025")
    assert not keys.has_key(tmp_path / "b")


def test_edited_backup_refused(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path / "a")
    backup = tmp_path / "khoa.khkey"
    keys.export_backup(tmp_path / "a", backup, PASSPHRASE)
    document = json.loads(backup.read_text())
    document["public_key"] = base64.b64encode(keys.public_raw(tmp_path / "c")).decode()
    backup.write_text(json.dumps(document))
    with pytest.raises(UserError, match="đã bị sửa"):
        keys.restore_backup(tmp_path / "b", backup, PASSPHRASE)
    backup.write_text("không phải json")
    with pytest.raises(UserError, match="không phải bản sao lưu khóa"):
        keys.restore_backup(tmp_path / "b", backup, PASSPHRASE)


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="ít nhất 8 ký tự"):
        keys.export_backup(tmp_path, tmp_path / "khoa.khkey", "1234")
    assert not (tmp_path / "khoa.khkey").exists()


def test_restore_refuses_to_replace_a_different_key_unless_asked(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    keys.ensure_key(source)
    keys.ensure_key(target)
    kept = keys.public_raw(target)
    backup = tmp_path / "khoa.khkey"
    keys.export_backup(source, backup, PASSPHRASE)
    with pytest.raises(UserError, match="đã có khóa ký khác"):
        keys.restore_backup(target, backup, PASSPHRASE)
    assert keys.public_raw(target) == kept

    assert keys.restore_backup(target, backup, PASSPHRASE, replace=True) == keys.public_raw(source)
    assert keys.public_raw(target) == keys.public_raw(source)
    (old,) = keys.keys_dir(target).glob("*.old")  # the replaced key is kept, not lost
    assert keys.key_id(kept) in old.name


def test_restoring_the_same_key_again_is_fine(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path / "a")
    backup = tmp_path / "khoa.khkey"
    keys.export_backup(tmp_path / "a", backup, PASSPHRASE)
    assert keys.restore_backup(tmp_path / "a", backup, PASSPHRASE) == keys.public_raw(tmp_path / "a")
    assert not list(keys.keys_dir(tmp_path / "a").glob("*.old"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_next_key_is_kept_like_the_current_one_until_promoted(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path)
    current = keys.public_raw(tmp_path)
    assert keys.next_public_raw(tmp_path) is None
    announced = keys.make_next_key(tmp_path)
    assert keys.next_public_raw(tmp_path) == announced != current
    assert stat.S_IMODE(keys.next_path(tmp_path).stat().st_mode) == 0o600
    assert keys.next_path(tmp_path).read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert keys.public_raw(tmp_path) == current  # still signing with the current key

    keys.promote_next(tmp_path, announced)
    assert keys.public_raw(tmp_path) == announced and keys.next_public_raw(tmp_path) is None
    assert stat.S_IMODE(keys.private_path(tmp_path).stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.archived_path(tmp_path, current).stat().st_mode) == 0o600
    assert not [p for p in keys.keys_dir(tmp_path).iterdir() if p.name.endswith(".tmp")]


def test_promoting_a_key_that_is_no_longer_waiting_changes_nothing(tmp_path: Path) -> None:
    keys.ensure_key(tmp_path)
    current = keys.public_raw(tmp_path)
    announced = keys.make_next_key(tmp_path)
    waiting = keys.make_next_key(tmp_path)  # rotated again while the package was being written
    with pytest.raises(UserError, match=f"Khóa mới {keys.key_id(announced)}"):
        keys.promote_next(tmp_path, announced)
    assert keys.public_raw(tmp_path) == current and keys.next_public_raw(tmp_path) == waiting
    assert not keys.archived_path(tmp_path, current).exists()


# --- services ---


def test_setup_creates_the_key(workspace: Workspace) -> None:
    assert keys.has_key(workspace.data_dir)
    info = key_service.key_info(workspace)
    assert FINGERPRINT.match(info.fingerprint)
    assert info.key_id == keys.key_id(info.public)
    assert base64.b64decode(info.public_base64) == info.public
    assert len(info.fingerprint_groups) == 8


def test_backup_passphrase_typed_decomposed_still_opens(workspace: Workspace, tmp_path: Path) -> None:
    import unicodedata

    backup = tmp_path / "khoa.khkey"
    key_service.export_backup(workspace, backup, unicodedata.normalize("NFD", PASSPHRASE))
    info = key_service.restore_backup(workspace, backup, PASSPHRASE)
    assert info.public == keys.public_raw(workspace.data_dir)


def test_suggested_names_carry_the_commune_code(workspace: Workspace) -> None:
    assert key_service.suggested_name(workspace, "khoa-cong-khai", ".pub") == "khoa-cong-khai-28201.pub"


# --- the command line ---


def run_key(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    from khuyenhoc_desktop.cli import main

    code = main(["key", args[0], "--data-dir", str(folder), *args[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_key_show_prints_the_fingerprint(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    info = key_service.key_info(workspace)
    code, out, _ = run_key(capsys, workspace.data_dir, "show")
    assert code == 0
    assert f"Dấu vân tay khóa ký: {info.fingerprint}" in out
    assert info.key_id in out and info.public_base64 in out


def test_cli_key_show_refuses_a_folder_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_key(capsys, tmp_path / "trong", "show")
    assert code == 2
    assert "chưa có dữ liệu" in err
    assert not keys.has_key(tmp_path / "trong")


def test_cli_key_export_writes_the_public_key(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "khoa-cong-khai.pub"
    code, out, _ = run_key(capsys, workspace.data_dir, "export", "--out", str(out_file))
    assert code == 0, out
    assert keys.read_public(out_file) == keys.public_raw(workspace.data_dir)
    assert "Đã ghi khóa công khai" in out


def test_cli_key_backup_and_restore_with_the_passphrase_from_the_environment(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAT_KHAU_KHOA", PASSPHRASE)
    backup = tmp_path / "khoa.khkey"
    code, out, err = run_key(
        capsys, workspace.data_dir, "backup", "--out", str(backup), "--passphrase-env", "MAT_KHAU_KHOA"
    )
    assert code == 0, err
    assert "Đã sao lưu khóa ký" in out

    new = tmp_path / "may-moi"
    code, out, err = run_key(capsys, new, "restore", "--from", str(backup), "--passphrase-env", "MAT_KHAU_KHOA")
    assert code == 0, err
    assert keys.public_raw(new) == keys.public_raw(workspace.data_dir)
    assert keys.fingerprint(keys.public_raw(new)) in out

    monkeypatch.setenv("MAT_KHAU_KHOA", "mật khẩu sai rồi")
    code, _, err = run_key(capsys, new, "restore", "--from", str(backup), "--passphrase-env", "MAT_KHAU_KHOA")
    assert code == 2 and "Mật khẩu không đúng" in err
    code, _, err = run_key(capsys, new, "restore", "--from", str(backup), "--passphrase-env", "KHONG_CO")
    assert code == 2 and "KHONG_CO chưa được đặt" in err


def test_cli_key_restore_refuses_a_different_key_without_replace(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "xa-khac"
    keys.ensure_key(other)
    backup = tmp_path / "khoa-khac.khkey"
    keys.export_backup(other, backup, PASSPHRASE)
    kept = keys.public_raw(workspace.data_dir)
    typed = iter([PASSPHRASE, PASSPHRASE])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    code, _, err = run_key(capsys, workspace.data_dir, "restore", "--from", str(backup))
    assert code == 2 and "đã có khóa ký khác" in err
    assert keys.public_raw(workspace.data_dir) == kept
    code, _, err = run_key(capsys, workspace.data_dir, "restore", "--from", str(backup), "--replace")
    assert code == 0, err
    assert keys.public_raw(workspace.data_dir) == keys.public_raw(other)


def test_cli_key_backup_asks_the_passphrase_twice(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter([PASSPHRASE, "Hoa sen nở muộn"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    code, _, err = run_key(capsys, workspace.data_dir, "backup", "--out", str(tmp_path / "k.khkey"))
    assert code == 2 and "không giống nhau" in err
    assert not (tmp_path / "k.khkey").exists()


def test_cli_key_sheet_writes_a_pdf(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "phieu-khoa.pdf"
    code, out, err = run_key(capsys, workspace.data_dir, "sheet", "--out", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes().startswith(b"%PDF")
    assert key_service.key_info(workspace).fingerprint in out
    code, _, err = run_key(capsys, workspace.data_dir, "sheet", "--out", str(tmp_path / "phieu.txt"))
    assert code == 2 and ".pdf" in err


# --- the Settings dialog's «Khóa ký» tab ---


@pytest.fixture
def key_tab(qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> KeyTab:
    """The dialog on its key tab, with the file and passphrase dialogs answered by the test."""
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(settings_dialog.TAB_KEY)
    answers: Answers = {"save": [], "open": [], "passphrase": []}
    monkeypatch.setattr(settings_dialog, "save_path", lambda *_a: answers["save"].pop(0))
    monkeypatch.setattr(settings_dialog, "open_path", lambda *_a: answers["open"].pop(0))
    monkeypatch.setattr(settings_dialog, "ask_passphrase", lambda *_a, **_k: answers["passphrase"].pop(0))
    return dialog, answers


def test_key_tab_shows_the_fingerprint_in_groups(key_tab: KeyTab, workspace: Workspace) -> None:
    dialog, _ = key_tab
    info = key_service.key_info(workspace)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Khóa ký"
    lines = dialog.fingerprint_label.text().split("\n")
    assert [line.split() for line in lines] == [info.fingerprint_groups[:4], info.fingerprint_groups[4:]]
    assert info.key_id in dialog.key_id_label.text()


def test_key_tab_saves_the_public_key_and_prints_the_sheet(
    key_tab: KeyTab, workspace: Workspace, tmp_path: Path, messages: MessageLog
) -> None:
    dialog, answers = key_tab
    answers["save"] += [tmp_path / "khoa.pub", tmp_path / "phieu.pdf", None]
    dialog.export_key_button.click()
    assert keys.read_public(tmp_path / "khoa.pub") == keys.public_raw(workspace.data_dir)
    dialog.key_sheet_button.click()
    assert (tmp_path / "phieu.pdf").read_bytes().startswith(b"%PDF")
    assert [title for title, _ in messages.shown] == ["Lưu khóa công khai", "In phiếu đăng ký khóa"]
    dialog.export_key_button.click()  # cancelled in the file dialog: nothing written, nothing said
    assert len(messages.shown) == 2


def test_key_tab_backs_up_and_refuses_a_wrong_passphrase(
    key_tab: KeyTab, workspace: Workspace, tmp_path: Path, messages: MessageLog
) -> None:
    dialog, answers = key_tab
    backup = tmp_path / "khoa.khkey"
    answers["save"].append(backup)
    answers["passphrase"].append(PASSPHRASE)
    dialog.backup_key_button.click()
    assert backup.is_file()
    answers["open"].append(backup)
    answers["passphrase"].append("không phải mật khẩu")
    dialog.restore_key_button.click()
    assert messages.shown[-1][0] == "Khôi phục khóa ký"
    assert "Mật khẩu không đúng" in messages.shown[-1][1]


def test_key_tab_replaces_a_key_only_when_confirmed(
    key_tab: KeyTab, workspace: Workspace, tmp_path: Path, messages: MessageLog
) -> None:
    dialog, answers = key_tab
    other = tmp_path / "may-khac"
    keys.ensure_key(other)
    backup = tmp_path / "khoa-khac.khkey"
    keys.export_backup(other, backup, PASSPHRASE)
    kept = keys.public_raw(workspace.data_dir)

    answers["open"].append(backup)
    answers["passphrase"].append(PASSPHRASE)
    messages.answers.append(1)  # «Hủy»
    dialog.restore_key_button.click()
    assert "đang dùng khóa ký khác" in messages.shown[-1][1]
    assert keys.public_raw(workspace.data_dir) == kept

    answers["open"].append(backup)
    answers["passphrase"].append(PASSPHRASE)
    messages.answers.append(0)  # «Thay khóa»
    dialog.restore_key_button.click()
    assert keys.public_raw(workspace.data_dir) == keys.public_raw(other)
    assert keys.fingerprint(keys.public_raw(other)).split()[0] in dialog.fingerprint_label.text()


def test_passphrase_dialog_wants_it_twice_and_long_enough(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("Mật khẩu", "Đặt mật khẩu", confirm=True)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.edit.setText("ngắn")
    assert not dialog.ok_button.isEnabled() and "ít nhất 8" in dialog.problem.text()
    dialog.edit.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE + "!")
    assert not dialog.ok_button.isEnabled() and "chưa giống" in dialog.problem.text()
    dialog.again.setText(PASSPHRASE)
    assert dialog.ok_button.isEnabled()
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password
