"""The SQLite engine and the pragmas every connection gets: set here and nowhere else."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_MS = 5000

PRAGMAS: dict[str, str | int] = {
    "foreign_keys": "ON",
    "journal_mode": "WAL",
    "synchronous": "NORMAL",
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def apply_pragmas(connection: sqlite3.Connection) -> None:
    for name, value in PRAGMAS.items():
        connection.execute(f"PRAGMA {name}={value}")


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling would swallow BEGIN; SQLAlchemy gets it back in _on_begin.
    dbapi_connection.isolation_level = None
    apply_pragmas(dbapi_connection)


def _on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the same pragmas (for migrations and backups)."""
    connection = sqlite3.connect(path, isolation_level=None)
    apply_pragmas(connection)
    return connection


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
