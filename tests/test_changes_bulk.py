"""Rows written in one batch (`Recorder.add_many`) are the rows the ORM would write, audited and undone alike."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from khuyenhoc_desktop.services.changes import new_row, record_change, row_of
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from khuyenhoc_desktop.storage.tables import Household, Member


def test_a_new_row_has_the_defaults_an_object_would_have() -> None:
    made = new_row(Household, code="00001", hamlet_id="a")
    built = row_of(Household(code="00001", hamlet_id="a"))
    assert set(made) == set(built)
    assert {k: v for k, v in made.items() if k not in ("id", "created_at", "updated_at")} == {
        k: v for k, v in built.items() if k not in ("id", "created_at", "updated_at")
    }
    assert made["id"] != new_row(Household, code="00002", hamlet_id="a")["id"]  # a fresh id each time


def test_batch_rows_are_audited_and_one_undo_takes_them_away(workspace: Workspace) -> None:
    hamlet = list_hamlets(workspace)[0].id
    households = [new_row(Household, code=f"0000{n}", hamlet_id=hamlet) for n in (1, 2)]
    heads = [new_row(Member, household_id=h["id"], full_name="Chủ hộ", relation="chu_ho") for h in households]
    with record_change(workspace, "Nhập 2 hộ") as change:
        change.add_many(Household, households)
        change.add_many(Member, heads)

    def count(sql: str) -> int:
        with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection:
            return int(connection.execute(sql).fetchone()[0])

    assert count("SELECT count(*) FROM household") == 2 and count("SELECT count(*) FROM member") == 2
    assert count("SELECT count(*) FROM audit_log WHERE action = 'Nhập 2 hộ'") == 4
    workspace.history.undo(workspace)
    assert count("SELECT count(*) FROM household") == 0 and count("SELECT count(*) FROM member") == 0
