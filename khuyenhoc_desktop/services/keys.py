"""The signing key's use cases, for the Settings tab and the `key` commands alike: show it, hand its public
half to the consolidating office, back it up under a passphrase, bring it back on a new laptop, and change it
through the office's trust in the old one (the next package announces the new key).

The key is a file in the data folder, not a database row, so these do not go through `record_change`: there
is nothing to undo, and a replaced key is kept on disk by `exchange.keys.restore_backup`.
"""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class KeyInfo:
    """What an officer, the printed sheet and the office need to know of a key; never its private half."""

    key_id: str
    fingerprint: str  # "ABCD EFGH …", 8 groups of 4
    public: bytes  # 32 raw bytes
    installed_on: date  # when this key was created or restored in this folder

    @property
    def public_base64(self) -> str:
        """What the QR code on the sheet holds, and what `signing.pub` holds."""
        return base64.b64encode(self.public).decode("ascii")

    @property
    def fingerprint_groups(self) -> list[str]:
        return self.fingerprint.split()


def ensure_key(workspace: Workspace) -> None:
    """Setup creates the key at once, so the first package can be signed offline without a further step."""
    keys.ensure_key(workspace.data_dir)


def _info(public: bytes, private: Path) -> KeyInfo:
    installed = datetime.fromtimestamp(private.stat().st_mtime, UTC)
    return KeyInfo(keys.key_id(public), keys.fingerprint(public), public, installed.astimezone().date())


def key_info(workspace: Workspace) -> KeyInfo:
    """The folder's key, created here if the folder was set up before keys existed."""
    return _info(keys.public_raw(workspace.data_dir), keys.private_path(workspace.data_dir))


def pending_key(workspace: Workspace) -> KeyInfo | None:
    """The key waiting to take over after the next export, if the officer asked for a key change."""
    public = keys.next_public_raw(workspace.data_dir)
    return None if public is None else _info(public, keys.next_path(workspace.data_dir))


def rotate_key(workspace: Workspace) -> KeyInfo:
    """Make a new key that the next exported package announces, signed by the current key, so the office learns
    it from a source it already trusts. Asked again before exporting, it replaces the waiting key."""
    profile = workspace.profile
    if profile is None or profile.role != Role.COMMUNE:
        raise UserError(
            "Chỉ xã, phường đổi khóa ký qua gói số liệu gửi lên; thư mục dữ liệu này không phải của xã, phường."
        )
    return _info(keys.make_next_key(workspace.data_dir), keys.next_path(workspace.data_dir))


def export_public(workspace: Workspace, path: Path) -> KeyInfo:
    keys.export_public(workspace.data_dir, path)
    return key_info(workspace)


def _passphrase(text: str) -> str:
    """NFC (and nothing else: spaces count) so the same Vietnamese words typed by another input method, which
    may send decomposed marks, open the backup."""
    return unicodedata.normalize("NFC", text)


def export_backup(workspace: Workspace, path: Path, passphrase: str) -> KeyInfo:
    keys.export_backup(workspace.data_dir, path, _passphrase(passphrase))
    return key_info(workspace)


def restore_backup(workspace: Workspace, path: Path, passphrase: str, replace: bool = False) -> KeyInfo:
    keys.restore_backup(workspace.data_dir, path, _passphrase(passphrase), replace=replace)
    return key_info(workspace)


def suggested_name(workspace: Workspace, what: str, suffix: str) -> str:
    """ "khoa-cong-khai-28201.pub": the commune code tells the office's files apart."""
    profile = workspace.profile
    code = (profile.commune_code or profile.province_code) if profile else ""
    return f"{what}-{code}{suffix}" if code else f"{what}{suffix}"
