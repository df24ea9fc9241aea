"""Where a data folder keeps its files. Every path the app writes is derived here from one folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

from khuyenhoc_desktop import APP_NAME

DATABASE_NAME = "khuyenhoc.sqlite"


def default_data_dir() -> Path:
    """The officer's own data folder (per user, per OS conventions)."""
    return user_data_path(APP_NAME, appauthor=False)


def demo_data_dir() -> Path:
    """The demo commune lives apart from real data so it can never be mistaken for it."""
    return user_data_path(APP_NAME, appauthor=False) / "demo"


def demo_office_data_dir() -> Path:
    """The demo consolidating office, beside the demo commune and as far from real data."""
    return user_data_path(APP_NAME, appauthor=False) / "demo-office"


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def lock_path(data_dir: Path) -> Path:
    return data_dir / "khuyenhoc.lock"
