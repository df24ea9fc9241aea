"""One open data folder: its database brought up to date, its profile, its undo history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from khuyenhoc_desktop.services.changes import History
from khuyenhoc_desktop.storage.backup import backup_database
from khuyenhoc_desktop.storage.database import make_engine
from khuyenhoc_desktop.storage.migrations import migrate
from khuyenhoc_desktop.storage.paths import database_path
from khuyenhoc_desktop.storage.tables import Profile


class Workspace:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.database = database_path(data_dir)
        self.history = History()
        self.engine: Engine = make_engine(self.database)
        self._profile: Profile | None = None
        self.reload_profile()

    @classmethod
    def open(cls, data_dir: Path) -> Workspace:
        """Create the folder if needed and migrate its database (backing it up first) before use."""
        data_dir.mkdir(parents=True, exist_ok=True)
        migrate(database_path(data_dir), data_dir)
        return cls(data_dir)

    def reload_profile(self) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            self._profile = session.exec(select(Profile)).first()

    @property
    def profile(self) -> Profile | None:
        return self._profile

    @property
    def is_set_up(self) -> bool:
        return self._profile is not None

    @property
    def officer(self) -> str:
        return self._profile.officer_name if self._profile else ""

    @property
    def working_year(self) -> int:
        return self._profile.working_year if self._profile else date.today().year

    def backup(self, reason: str) -> Path:
        return backup_database(self.database, self.data_dir, reason)

    def close(self, backup: bool = True) -> None:
        """Release the database; an exit backup is taken when the folder holds a commune's data."""
        if backup and self.is_set_up:
            self.backup("khi-thoat")
        self.engine.dispose()
