"""Rotating backups made with SQLite's online backup API (never a file copy of a live WAL database)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from khuyenhoc_desktop.storage.paths import backups_dir

KEEP_BACKUPS = 10
_NAME = re.compile(r"^khuyenhoc-(\d{8}-\d{6}-\d{6})(?:-([a-z0-9-]+))?\.sqlite$")

REASON_LABELS = {
    "thu-cong": "Sao lưu thủ công",
    "khi-thoat": "Tự động khi thoát",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "truoc-nhap-tep": "Trước khi nhập tệp",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        if self.reason.startswith("truoc-nang-cap"):
            return "Trước khi nâng cấp dữ liệu"
        return REASON_LABELS.get(self.reason, self.reason)


def copy_database(source: Path, target: Path) -> None:
    """Consistent copy of `source` into `target` (created or overwritten) through the backup API."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_database(database: Path, data_dir: Path, reason: str) -> Path:
    """Write a timestamped backup and drop the oldest beyond KEEP_BACKUPS."""
    folder = backups_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"khuyenhoc-{stamp}-{reason}.sqlite"
    copy_database(database, target)
    for old in list_backups(data_dir)[KEEP_BACKUPS:]:
        old.path.unlink(missing_ok=True)
    return target


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = backups_dir(data_dir)
    found: list[BackupInfo] = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                created = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
                found.append(BackupInfo(path, created, match.group(2) or "", path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)
