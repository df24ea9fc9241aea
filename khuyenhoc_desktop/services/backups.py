"""Back up now, and restore from a backup (which first backs up what is there now)."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.backup import BackupInfo, copy_database, list_backups
from khuyenhoc_desktop.storage.migrations import LATEST_VERSION, migrate, schema_version


def back_up_now(workspace: Workspace) -> Path:
    return workspace.backup("thu-cong")


def backups(workspace: Workspace) -> list[BackupInfo]:
    return list_backups(workspace.data_dir)


def _check_restorable(path: Path) -> None:
    try:
        # Read-only and without our pragmas: looking at the officer's file must not change it.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = schema_version(connection)
            ok = connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            has_profile = version >= 1 and connection.execute("SELECT count(*) FROM profile").fetchone()[0] == 1
        finally:
            connection.close()
    except Exception as exc:  # sqlite3 says "file is not a database" and the like
        raise UserError(f"Tệp {path.name} không phải bản sao lưu của phần mềm: {exc}") from exc
    if not ok or not has_profile:
        raise UserError(f"Tệp {path.name} bị hỏng hoặc không phải bản sao lưu dữ liệu xã; dữ liệu hiện tại giữ nguyên.")
    if version > LATEST_VERSION:
        raise UserError(
            f"Bản sao lưu {path.name} do phiên bản mới hơn của phần mềm tạo ra; hãy cập nhật phần mềm trước."
        )


def restore_backup(workspace: Workspace, path: Path) -> Path:
    """Replace the data with the backup at `path`; returns the backup taken of the state before.

    The backup is checked first; the current data is backed up; then copied over through SQLite's
    backup API and brought up to the current schema. The undo history no longer applies and is cleared.
    """
    _check_restorable(path)
    with tempfile.TemporaryDirectory() as scratch:
        # Taken aside first (the safety backup below may rotate `path` itself away) and brought up to the
        # current schema there, so a backup that cannot be upgraded is refused before anything is replaced.
        chosen = Path(scratch) / path.name
        copy_database(path, chosen)
        migrate(chosen, Path(scratch))
        safety = workspace.backup("truoc-khoi-phuc")
        workspace.engine.dispose()
        copy_database(chosen, workspace.database)
    workspace.history.clear()
    workspace.reload_profile()
    return safety
