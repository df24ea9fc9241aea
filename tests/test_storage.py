"""Storage: connection pragmas, schema migrations, rotating backups and restoring from them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import office_data
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage import migrations, tables
from khuyenhoc_desktop.storage.backup import KEEP_BACKUPS, backup_database, list_backups
from khuyenhoc_desktop.storage.database import BUSY_TIMEOUT_MS, connect, make_engine
from khuyenhoc_desktop.storage.migrations import LATEST_VERSION, STEPS, Step, migrate
from khuyenhoc_desktop.storage.paths import backups_dir, database_path

# --- helpers ------------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Read with a plain connection (no pragmas of ours, nothing written)."""
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql, params).fetchall()


def table_names(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(path: Path, table: str) -> set[str]:
    return {row[1] for row in query(path, f"PRAGMA table_info({table})")}


def user_version(path: Path) -> int:
    return int(query(path, "PRAGMA user_version")[0][0])


T0 = "2025-03-01T08:00:00Z"

V1_ROWS = [
    ("INSERT INTO hamlet (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
     ("ap-1", "Ấp Vĩnh Thạnh", 0, T0, T0)),
    ("INSERT INTO household (id, code, hamlet_id, address, phone, note, created_at, updated_at) "
     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
     ("ho-1", "VT-001", "ap-1", "Tổ 3, Ấp Vĩnh Thạnh", "0909123456", "Hộ nghèo", T0, T0)),
    ("INSERT INTO household (id, code, hamlet_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
     ("ho-2", "VT-002", "ap-1", T0, T0)),
    ("INSERT INTO member (id, household_id, full_name, birth_year, sex, relation, created_at, updated_at) "
     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
     ("tv-1", "ho-1", "Nguyễn Văn Đức", 1968, "nam", "chu_ho", T0, T0)),
    ("INSERT INTO member (id, household_id, full_name, birth_year, sex, relation, learning_status, "
     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
     ("tv-2", "ho-1", "Nguyễn Thị Ánh", 2012, "nu", "con", "thcs", T0, T0)),
    ("INSERT INTO member (id, household_id, full_name, relation, created_at, updated_at, deleted_at) "
     "VALUES (?, ?, ?, ?, ?, ?, ?)",
     ("tv-3", "ho-1", "Trần Văn Ước", "khac", T0, T0, T0)),
]  # fmt: skip

PROFILE_V1 = (
    "INSERT INTO profile (id, role, province_code, province_name, commune_code, commune_name, association_name, "
    "officer_name, signer_title, signer_name, working_year, created_at, updated_at) "
    "VALUES (1, 'xa', '80', 'Tây Ninh', '28201', 'Xã Phước Vĩnh Tây', 'Hội Khuyến học xã Phước Vĩnh Tây', "
    "'Lê Thị Hoa', 'Chủ tịch', 'Nguyễn Văn Tư', 2024, ?, ?)"
)


def make_v1_database(path: Path, data_dir: Path, with_profile: bool = False) -> None:
    assert migrate(path, data_dir, upto=1) == 1
    with closing(sqlite3.connect(path)) as connection:
        for sql, params in V1_ROWS:
            connection.execute(sql, params)
        if with_profile:
            connection.execute(PROFILE_V1, (T0, T0))
        connection.commit()


def make_newer_database(path: Path) -> None:
    """What a later version of the app would leave: WAL mode, a schema version this one does not know."""
    with closing(connect(path)) as connection:
        connection.execute("CREATE TABLE bang_moi (id TEXT PRIMARY KEY, ten TEXT)")
        connection.execute("INSERT INTO bang_moi VALUES ('1', 'Gia đình học tập')")
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")


def new_household(code: str, head: str, hamlet_id: str) -> HouseholdInput:
    return HouseholdInput(code=code, head_name=head, hamlet_id=hamlet_id, head_birth_year=1970)


def first_hamlet(workspace: Workspace) -> str:
    return profile_service.list_hamlets(workspace)[0].id


def codes(workspace: Workspace) -> list[str]:
    return [row.code for row in household_service.list_households(workspace)]


# --- pragmas ------------------------------------------------------------------------------------------------

EXPECTED_PRAGMAS = {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 1, "busy_timeout": 5000}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(tmp_path / "pragma.sqlite")
    yield engine
    engine.dispose()


def test_engine_connections_get_every_pragma(engine: Engine) -> None:
    assert BUSY_TIMEOUT_MS == 5000
    # Two connections from the pool: the pragmas are per connection, so each must have them.
    with engine.connect() as first, engine.connect() as second:
        for connection in (first, second):
            found = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED_PRAGMAS}
            assert found == EXPECTED_PRAGMAS


def test_engine_enforces_foreign_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE cha (id TEXT PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE con (id TEXT PRIMARY KEY, cha_id TEXT REFERENCES cha(id))")
        with pytest.raises(Exception, match="FOREIGN KEY"):
            connection.exec_driver_sql("INSERT INTO con VALUES ('a', 'không có')")


def test_plain_connect_gets_every_pragma(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "pragma.sqlite")) as connection:
        found = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in EXPECTED_PRAGMAS}
    assert found == EXPECTED_PRAGMAS


# --- migrations ---------------------------------------------------------------------------------------------


def test_fresh_database_reaches_latest_without_a_backup(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    assert migrate(path, data_dir) == LATEST_VERSION
    assert user_version(path) == LATEST_VERSION
    assert list_backups(data_dir) == []  # nothing to protect yet


def test_version_1_database_is_upgraded_after_a_backup(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)
    assert user_version(path) == 1
    assert "audit_log" not in table_names(path)

    assert migrate(path, data_dir) == LATEST_VERSION

    assert user_version(path) == LATEST_VERSION
    (backup,) = list_backups(data_dir)
    assert backup.reason == "truoc-nang-cap-v1"
    assert "truoc-nang-cap-v1" in backup.path.name
    assert backup.reason_label == "Trước khi nâng cấp dữ liệu"
    # The backup is the database as it was before the upgrade.
    assert user_version(backup.path) == 1
    assert query(backup.path, "SELECT count(*) FROM member") == [(3,)]
    assert "search_key" not in columns(backup.path, "household")

    keys = dict(query(path, "SELECT id, search_key FROM household"))
    assert keys["ho-1"] == "vt-001 nguyen van duc to 3, ap vinh thanh 0909123456 ho ngheo"
    assert keys["ho-2"] == "vt-002"  # no head: the code alone
    for member_id, name, name_key, name_sort in query(path, "SELECT id, full_name, name_key, name_sort FROM member"):
        assert name_key == fold(name), member_id
        assert name_sort == name_sort_key(name), member_id
    assert dict(query(path, "SELECT id, name_key FROM member")) == {
        "tv-1": "nguyen van duc",
        "tv-2": "nguyen thi anh",
        "tv-3": "tran van uoc",
    }
    assert "audit_log" in table_names(path)
    assert query(path, "SELECT count(*) FROM audit_log") == [(0,)]


def test_migration_is_idempotent(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)
    migrate(path, data_dir)
    before = sha256(path)
    assert migrate(path, data_dir) == LATEST_VERSION
    assert sha256(path) == before
    assert len(list_backups(data_dir)) == 1  # no second "before upgrade" backup


def test_migrated_schema_has_every_table_and_column_the_orm_declares(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)
    migrate(path, data_dir)

    declared = SQLModel.metadata.tables
    assert {"profile", "hamlet", "household", "member", "audit_log"} <= set(declared)
    assert tables.Household.__tablename__ in declared
    in_file = table_names(path) - {"sqlite_sequence"}
    office_tables = {office_data.table_name(sheet): sheet for sheet in office_data.SPECS}
    assert set(declared) | set(office_tables) == in_file
    for name, sheet in office_tables.items():
        columns = [row[1] for row in query(path, f"PRAGMA table_info({name})")]
        expected = ["row_id", *office_data.PROVENANCE, *office_data.SPECS[sheet].keys]
        assert columns == expected + list(office_data.DERIVED.get(sheet, ())), name
    for name, table in declared.items():
        info = {row[1]: row for row in query(path, f"PRAGMA table_info({name})")}
        assert set(info) == {column.name for column in table.columns}, name
        for column in table.columns:
            if column.primary_key:
                assert info[column.name][5] >= 1, f"{name}.{column.name} is the primary key"
            else:
                # notnull flag (index 3) agrees with the ORM's nullability
                assert bool(info[column.name][3]) == (not column.nullable), f"{name}.{column.name}"


def test_live_codes_and_heads_are_unique_after_upgrade(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)
    migrate(path, data_dir)
    with closing(sqlite3.connect(path)) as connection:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO household (id, code, hamlet_id, created_at, updated_at) "
                "VALUES ('x', 'VT-001', 'ap-1', ?, ?)",
                (T0, T0),
            )
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO member (id, household_id, full_name, relation, created_at, updated_at) "
                "VALUES ('y', 'ho-1', 'Lê Văn Hai', 'chu_ho', ?, ?)",
                (T0, T0),
            )


def test_newer_database_is_refused_and_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_newer_database(path)
    before = sha256(path)

    with pytest.raises(UserError, match="phiên bản mới hơn") as caught:
        migrate(path, data_dir)
    assert f"lược đồ {LATEST_VERSION + 1}" in str(caught.value)
    assert "dữ liệu không bị thay đổi" in str(caught.value)

    with pytest.raises(UserError, match="mới hơn"):
        Workspace.open(data_dir)

    assert sha256(path) == before
    assert user_version(path) == LATEST_VERSION + 1
    assert not backups_dir(data_dir).exists()
    assert sorted(p.name for p in data_dir.iterdir()) == [path.name]  # no -wal/-shm left behind


def test_newer_database_in_rollback_journal_mode_is_left_byte_identical(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE bang_moi (id TEXT PRIMARY KEY)")
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        connection.commit()
    before = sha256(path)
    with pytest.raises(UserError):
        migrate(path, data_dir)
    assert sha256(path) == before


def test_failing_migration_step_rolls_back_entirely(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)
    # Step 2 as shipped, then one statement that fails: everything before it in the step must be undone.
    broken = Step(2, STEPS[1].sql + ";\nINSERT INTO bang_khong_co VALUES (1)", STEPS[1].fill)
    monkeypatch.setattr(migrations, "STEPS", (STEPS[0], broken))

    with pytest.raises(sqlite3.OperationalError, match="bang_khong_co"):
        migrate(path, data_dir)

    assert user_version(path) == 1
    assert "audit_log" not in table_names(path)
    assert "search_key" not in columns(path, "household")
    assert "name_key" not in columns(path, "member")
    assert query(path, "SELECT count(*) FROM member") == [(3,)]
    assert query(path, "SELECT name FROM sqlite_master WHERE name = 'ux_household_live_code'") == []


def test_failing_fill_function_rolls_back_the_schema_change(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    make_v1_database(path, data_dir)

    def fill_then_fail(connection: sqlite3.Connection) -> None:
        connection.execute("UPDATE member SET name_key = 'đã sửa'")
        raise RuntimeError("lỗi giữa chừng")

    monkeypatch.setattr(migrations, "STEPS", (STEPS[0], Step(2, STEPS[1].sql, fill_then_fail)))
    with pytest.raises(RuntimeError, match="lỗi giữa chừng"):
        migrate(path, data_dir)
    assert user_version(path) == 1
    assert "name_key" not in columns(path, "member")
    assert "audit_log" not in table_names(path)

    # With the real step back in place the same file upgrades cleanly.
    monkeypatch.undo()
    assert migrate(path, data_dir) == LATEST_VERSION
    assert query(path, "SELECT name_key FROM member WHERE id = 'tv-1'") == [("nguyen van duc",)]


def test_failing_new_step_leaves_no_partial_table(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    migrate(path, data_dir)
    step = Step(
        LATEST_VERSION + 1,
        "CREATE TABLE quy_khuyen_hoc (id TEXT PRIMARY KEY, so_tien INTEGER NOT NULL);"
        "INSERT INTO quy_khuyen_hoc VALUES ('pt-1', 500000);"
        "INSERT INTO quy_khuyen_hoc VALUES ('pt-1', 700000)",  # duplicate key: fails halfway
    )
    monkeypatch.setattr(migrations, "STEPS", (*STEPS, step))
    monkeypatch.setattr(migrations, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(sqlite3.IntegrityError):
        migrate(path, data_dir, upto=LATEST_VERSION + 1)
    assert user_version(path) == LATEST_VERSION
    assert "quy_khuyen_hoc" not in table_names(path)


# --- backups ------------------------------------------------------------------------------------------------


@pytest.fixture
def live_database(data_dir: Path) -> Path:
    """A latest-schema database with two hamlets committed."""
    data_dir.mkdir()
    path = database_path(data_dir)
    migrate(path, data_dir)
    with closing(connect(path)) as connection:
        for i, name in enumerate(["Ấp Vĩnh Thạnh", "Ấp Phước Lợi"]):
            connection.execute(
                "INSERT INTO hamlet (id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (f"ap-{i}", name, i, T0, T0),
            )
    return path


def test_backup_copies_committed_wal_content_while_a_write_is_open(live_database: Path, data_dir: Path) -> None:
    writer = connect(live_database)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # committed rows stay in the -wal file only
        writer.execute(
            "INSERT INTO hamlet (id, name, created_at, updated_at) VALUES ('ap-wal', 'Ấp Đông Điền', ?, ?)", (T0, T0)
        )
        assert "Ấp Đông Điền" not in live_database.read_bytes().decode("utf-8", "ignore")  # not in the main file
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO hamlet (id, name, created_at, updated_at) VALUES ('ap-x', 'Ấp Chưa Lưu', ?, ?)", (T0, T0)
        )

        copy = backup_database(live_database, data_dir, "thu-cong")  # must not wait for the writer

        names = {row[0] for row in query(copy, "SELECT name FROM hamlet")}
        assert names == {"Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền"}
        assert query(copy, "PRAGMA quick_check") == [("ok",)]
        assert user_version(copy) == LATEST_VERSION
        assert copy.parent == backups_dir(data_dir)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_backup_rotation_keeps_the_ten_newest(live_database: Path, data_dir: Path) -> None:
    assert KEEP_BACKUPS == 10
    other = backups_dir(data_dir) / "ghi-chu cua can bo.txt"
    other.parent.mkdir(parents=True)
    other.write_text("Không xóa tệp này", encoding="utf-8")
    made = [backup_database(live_database, data_dir, "thu-cong") for _ in range(12)]

    kept = list_backups(data_dir)
    assert len(kept) == 10
    assert [b.path for b in kept] == list(reversed(made[2:]))
    assert not made[0].exists()
    assert not made[1].exists()
    assert other.read_text(encoding="utf-8") == "Không xóa tệp này"  # only backups are rotated


def test_list_backups_newest_first_with_labels(live_database: Path, data_dir: Path) -> None:
    reasons = ["truoc-nang-cap-v1", "thu-cong", "khi-thoat", "truoc-khoi-phuc"]
    for reason in reasons:
        backup_database(live_database, data_dir, reason)
    found = list_backups(data_dir)
    assert [b.reason for b in found] == list(reversed(reasons))
    assert [b.reason_label for b in found] == [
        "Trước khi khôi phục",
        "Tự động khi thoát",
        "Sao lưu thủ công",
        "Trước khi nâng cấp dữ liệu",
    ]
    assert all(b.size > 0 for b in found)
    assert [b.created for b in found] == sorted((b.created for b in found), reverse=True)


def test_list_backups_of_a_folder_without_backups() -> None:
    assert list_backups(Path("/khong/co/thu/muc/nay")) == []


# --- restore ------------------------------------------------------------------------------------------------


def test_restore_round_trip(workspace: Workspace) -> None:
    hamlet = first_hamlet(workspace)
    household_id = household_service.create_household(workspace, new_household("00001", "Nguyễn Văn Đức", hamlet))
    saved = backup_service.back_up_now(workspace)
    household_service.delete_household(workspace, household_id)
    assert codes(workspace) == []
    assert workspace.history.undo_label is not None

    safety = backup_service.restore_backup(workspace, saved)

    (row,) = household_service.list_households(workspace)
    assert (row.id, row.code, row.head_name) == (household_id, "00001", "Nguyễn Văn Đức")
    assert "truoc-khoi-phuc" in safety.name
    assert any(b.reason == "truoc-khoi-phuc" and b.path == safety for b in backup_service.backups(workspace))
    # The safety backup holds what was there just before: the household in the recycle bin.
    assert query(safety, "SELECT deleted_at IS NOT NULL FROM household WHERE id = ?", (household_id,)) == [(1,)]
    assert workspace.history.undo_label is None
    assert workspace.history.redo_label is None
    assert workspace.profile is not None
    assert workspace.profile.officer_name == "Lê Thị Hoa"
    # And the workspace keeps working on the restored file.
    household_service.create_household(workspace, new_household("00002", "Trần Thị Ánh", hamlet))
    assert codes(workspace) == ["00001", "00002"]


def _refused_restore(workspace: Workspace, path: Path) -> UserError:
    hamlet = first_hamlet(workspace)
    household_service.create_household(workspace, new_household("00001", "Nguyễn Văn Đức", hamlet))
    before_rows = household_service.list_households(workspace)
    before_backups = backup_service.backups(workspace)
    with pytest.raises(UserError) as caught:
        backup_service.restore_backup(workspace, path)
    assert household_service.list_households(workspace) == before_rows
    assert backup_service.backups(workspace) == before_backups  # not even a safety backup
    assert workspace.history.undo_label == "Thêm hộ 00001"  # history kept
    return caught.value


def test_restore_refuses_a_file_that_is_not_a_database(workspace: Workspace, tmp_path: Path) -> None:
    bogus = tmp_path / "khuyenhoc-20250101-080000-000000-thu-cong.sqlite"
    bogus.write_text("Đây là danh sách hộ gõ tay, không phải cơ sở dữ liệu.\n" * 50, encoding="utf-8")
    error = _refused_restore(workspace, bogus)
    assert "không phải bản sao lưu" in str(error)
    assert bogus.name in str(error)


def test_restore_refuses_a_database_that_is_not_ours(workspace: Workspace, tmp_path: Path) -> None:
    foreign = tmp_path / "so-tay.sqlite"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("CREATE TABLE danh_ba (ten TEXT)")
        connection.execute("INSERT INTO danh_ba VALUES ('Nguyễn Văn Tư')")
        connection.commit()
    error = _refused_restore(workspace, foreign)
    assert "không phải bản sao lưu dữ liệu xã" in str(error)


def test_restore_refuses_a_backup_from_a_newer_schema(workspace: Workspace) -> None:
    newer = backup_service.back_up_now(workspace)
    with closing(sqlite3.connect(newer)) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    error = _refused_restore(workspace, newer)
    assert "phiên bản mới hơn" in str(error)
    assert user_version(workspace.database) == LATEST_VERSION


def test_restore_the_oldest_of_ten_backups(workspace: Workspace) -> None:
    hamlet = first_hamlet(workspace)
    household_service.create_household(workspace, new_household("00001", "Nguyễn Văn Đức", hamlet))
    oldest = backup_service.back_up_now(workspace)
    household_service.create_household(workspace, new_household("00002", "Trần Thị Ánh", hamlet))
    for _ in range(KEEP_BACKUPS - 1):
        backup_service.back_up_now(workspace)
    found = backup_service.backups(workspace)
    assert len(found) == KEEP_BACKUPS
    assert found[-1].path == oldest

    backup_service.restore_backup(workspace, oldest)  # the safety backup rotates `oldest` away

    assert codes(workspace) == ["00001"]
    assert len(backup_service.backups(workspace)) == KEEP_BACKUPS
    assert backup_service.backups(workspace)[0].reason == "truoc-khoi-phuc"


def test_restore_an_old_schema_backup_upgrades_it(workspace: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "may-cu"
    elsewhere.mkdir()
    old = elsewhere / "khuyenhoc.sqlite"
    make_v1_database(old, elsewhere, with_profile=True)
    chosen = sha256(old)

    backup_service.restore_backup(workspace, old)

    assert user_version(workspace.database) == LATEST_VERSION
    rows = {row.code: row for row in household_service.list_households(workspace)}
    assert set(rows) == {"VT-001", "VT-002"}
    assert rows["VT-001"].head_name == "Nguyễn Văn Đức"
    assert rows["VT-001"].member_count == 2  # the deleted member does not count
    assert rows["VT-001"].search_key.startswith("vt-001 nguyen van duc")
    assert workspace.profile is not None
    assert workspace.profile.working_year == 2024
    assert [b.reason for b in backup_service.backups(workspace)] == ["truoc-khoi-phuc"]
    assert sha256(old) == chosen  # upgraded on a copy: the officer's file is left as it was


def _duplicate_code_v1(path: Path, data_dir: Path) -> None:
    make_v1_database(path, data_dir, with_profile=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "INSERT INTO household (id, code, hamlet_id, created_at, updated_at) "
            "VALUES ('ho-3', 'VT-001', 'ap-1', ?, ?)",
            (T0, T0),
        )
        connection.commit()


def test_upgrade_refuses_data_the_new_indexes_cannot_take_and_names_it(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    _duplicate_code_v1(path, data_dir)
    with pytest.raises(UserError, match="trùng mã hộ VT-001") as refused:
        migrate(path, data_dir)
    assert "dữ liệu không bị thay đổi" in str(refused.value)
    assert user_version(path) == 1
    assert "search_key" not in columns(path, "household")


def test_restore_refuses_an_old_backup_that_cannot_be_upgraded(workspace: Workspace, tmp_path: Path) -> None:
    household_service.create_household(workspace, new_household("00001", "Lê Văn An", first_hamlet(workspace)))
    elsewhere = tmp_path / "may-cu"
    elsewhere.mkdir()
    old = elsewhere / "khuyenhoc.sqlite"
    _duplicate_code_v1(old, elsewhere)
    with pytest.raises(UserError, match="trùng mã hộ VT-001"):
        backup_service.restore_backup(workspace, old)
    assert codes(workspace) == ["00001"]
    assert user_version(workspace.database) == LATEST_VERSION
    assert backup_service.backups(workspace) == []


def test_version_8_moves_the_offices_json_rows_into_typed_tables(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    assert migrate(path, data_dir, upto=7) == 7
    household = {"id": "h1", "code": "00001", "hamlet_id": "a1", "hamlet_name": "Ấp 1", "address": "", "note": ""}
    head = {"id": "m1", "household_id": "h1", "household_code": "00001", "full_name": "Nguyễn Văn Đức"}
    head |= {"birth_year": 1970, "sex": "nam", "relation": "chu_ho", "position": 0}
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "INSERT INTO received_package (id, commune_code, period, sequence, package_sha256, received_at, status, "
            "created_at, updated_at) VALUES ('p1', '28201', '2025', 3, 'abc', ?, 'applied', ?, ?)",
            (T0, T0, T0),
        )
        connection.executemany(
            "INSERT INTO office_row (id, commune_code, period, sheet, record_id, data, package_id) "
            "VALUES (?, '28201', '2025', ?, ?, ?, 'p1')",
            [("r1", "households", "h1", json.dumps(household)), ("r2", "members", "m1", json.dumps(head))],
        )
    migrate(path, data_dir)
    assert "office_row" not in table_names(path)
    assert query(
        path, "SELECT commune_code, period, package_id, sequence, code, head_name, member_count, search_key "
        "FROM office_households"
    ) == [("28201", "2025", "p1", 3, "00001", "Nguyễn Văn Đức", 1, fold("00001 Nguyễn Văn Đức"))]  # fmt: skip
    assert query(path, "SELECT full_name, birth_year, name_key FROM office_members") == [
        ("Nguyễn Văn Đức", 1970, "nguyen van duc")
    ]
