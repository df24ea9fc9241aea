"""The demo commune: believable, consistent with what the services would have written, and never
written over real data."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import LearningStatus, Relation, Sex, normalize_phone
from khuyenhoc_desktop.domain.profile import Role, default_association_name
from khuyenhoc_desktop.domain.text import fold, name_sort_key, nfc
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services import recycle_bin
from khuyenhoc_desktop.services.demo import DemoSummary, create_demo
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import connect
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.paths import database_path

SMALL = 200


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """One small demo shared by the read-only tests (each build is a fraction of a second, but adds up)."""
    return create_demo(tmp_path_factory.mktemp("demo") / "xa-mau", households=SMALL)


@pytest.fixture
def demo_workspace(demo: DemoSummary) -> Iterator[Workspace]:
    workspace = Workspace.open(demo.data_dir)
    yield workspace
    workspace.close(backup=False)


def _rows(data_dir: Path, sql: str) -> list[sqlite3.Row]:
    connection = connect(database_path(data_dir))
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _surname(full_name: str) -> str:
    return full_name.split()[0]


def _school_year_now() -> int:
    today = date.today()
    return today.year if (today.month, today.day) >= (9, 15) else today.year - 1


def test_demo_is_the_requested_commune(demo: DemoSummary, demo_workspace: Workspace) -> None:
    assert (demo.commune_name, demo.province_name, demo.households) == ("Xã Phước Vĩnh Tây", "Tây Ninh", SMALL)
    profile = demo_workspace.profile
    assert profile is not None
    assert (profile.role, profile.commune_code, profile.province_code) == (Role.COMMUNE, "28201", "80")
    assert (profile.commune_name, profile.province_name) == ("Xã Phước Vĩnh Tây", "Tây Ninh")
    assert profile.association_name == default_association_name(Role.COMMUNE, "80", "28201")
    assert profile.signer_title == "Chủ tịch"
    assert len(profile.officer_name.split()) >= 3 and len(profile.signer_name.split()) >= 3
    assert profile.working_year == date.today().year
    hamlets = profile_service.list_hamlets(demo_workspace)
    assert 6 <= len(hamlets) == demo.hamlets <= 10
    assert all(h.name.startswith("Ấp ") and len(h.name.split()) >= 3 for h in hamlets)
    assert sum(h.household_count for h in hamlets) == SMALL - demo.deleted_households


def test_every_live_household_has_one_head_and_a_five_digit_code(demo: DemoSummary, demo_workspace: Workspace) -> None:
    rows = household_service.list_households(demo_workspace)
    assert len(rows) == SMALL - demo.deleted_households
    assert all(row.head_name and row.member_count >= 1 for row in rows)
    heads = _rows(
        demo.data_dir,
        """SELECT h.code, count(m.id) AS heads FROM household h
           LEFT JOIN member m ON m.household_id = h.id AND m.relation = 'chu_ho' AND m.deleted_at IS NULL
           GROUP BY h.id""",
    )
    assert {row["code"] for row in heads} == {f"{n:05d}" for n in range(1, SMALL + 1)}
    assert {row["heads"] for row in heads} == {1}
    assert household_service.next_household_code(demo_workspace) == f"{SMALL + 1:05d}"
    total_members = _rows(demo.data_dir, "SELECT count(*) AS n FROM member")[0]["n"]
    assert total_members == demo.members
    assert 3.0 <= demo.members / SMALL <= 5.0
    assert max(row.member_count for row in rows) <= 7


def test_text_is_nfc_with_diacritics_and_derived_keys_match_the_services(demo: DemoSummary) -> None:
    members = _rows(demo.data_dir, "SELECT * FROM member")
    for member in members:
        for column in ("full_name", "school"):
            assert member[column] == nfc(member[column])
        assert member["name_key"] == fold(member["full_name"])
        assert member["name_sort"] == name_sort_key(member["full_name"])
        assert member["sex"] in set(Sex) and member["relation"] in set(Relation)
        assert member["learning_status"] in set(LearningStatus)
    assert sum(not member["full_name"].isascii() for member in members) > len(members) / 2
    assert any("Đ" in member["full_name"] or "đ" in member["full_name"] for member in members)
    households = _rows(
        demo.data_dir,
        """SELECT h.*, m.full_name AS head FROM household h
           JOIN member m ON m.household_id = h.id AND m.relation = 'chu_ho' AND m.deleted_at IS NULL""",
    )
    assert len(households) == SMALL
    for household in households:
        assert household["address"] == nfc(household["address"])
        assert household["search_key"] == household_search_text(
            household["code"], household["head"], household["address"], household["phone"], household["note"]
        )
        assert household["phone"] == "" or normalize_phone(household["phone"]) == household["phone"]
    assert any(h["phone"] for h in households) and any(not h["phone"] for h in households)
    assert any(h["address"].startswith("Tổ ") for h in households)


def test_families_are_plausible(demo: DemoSummary) -> None:
    members = _rows(demo.data_dir, "SELECT * FROM member WHERE deleted_at IS NULL")
    heads = {m["household_id"]: m for m in members if m["relation"] == Relation.HEAD}
    for member in members:
        head = heads[member["household_id"]]
        assert 1940 <= head["birth_year"] <= 1995
        if member["relation"] == Relation.SPOUSE:
            assert _surname(member["full_name"]) != _surname(head["full_name"])
            assert member["sex"] != head["sex"]
        if member["relation"] == Relation.CHILD:
            assert member["birth_year"] - head["birth_year"] >= 12
            if head["sex"] == Sex.MALE:
                assert _surname(member["full_name"]) == _surname(head["full_name"])
        if member["relation"] == Relation.GRANDCHILD:
            assert member["birth_year"] - head["birth_year"] >= 30
    assert {m["relation"] for m in members} >= {
        Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.GRANDCHILD, Relation.CHILD_IN_LAW
    }  # fmt: skip
    surnames = [_surname(m["full_name"]) for m in members]
    assert 0.2 < surnames.count("Nguyễn") / len(surnames) < 0.45


def test_school_age_children_have_a_fitting_school_and_status(demo: DemoSummary) -> None:
    # Members of households in the recycle bin stopped being updated when they were deleted.
    members = _rows(
        demo.data_dir,
        """SELECT m.* FROM member m JOIN household h ON h.id = m.household_id
           WHERE h.deleted_at IS NULL AND m.deleted_at IS NULL""",
    )
    school_year = _school_year_now()
    levels = {
        LearningStatus.PRIMARY: ("Trường Tiểu học ", range(1, 6)),
        LearningStatus.LOWER_SECONDARY: ("Trường THCS ", range(6, 10)),
        LearningStatus.UPPER_SECONDARY: ("Trường THPT ", range(10, 13)),
    }
    found = {status: 0 for status in levels}
    for member in members:
        grade = school_year - member["birth_year"] - 5
        status = member["learning_status"]
        if status in levels:
            prefix, grades = levels[LearningStatus(status)]
            assert member["school"].startswith(prefix) and f", lớp {grade}" in member["school"]
            assert grade in grades
            found[LearningStatus(status)] += 1
        if grade >= 18:  # 23 and over
            assert status in (LearningStatus.ADULT_LEARNING, LearningStatus.NOT_STUDYING)
        if grade <= -3:  # under 3
            assert status == LearningStatus.PRESCHOOL_AGE
    assert all(count >= 5 for count in found.values()), found


def test_history_spans_years_and_replays_to_the_stored_rows(demo: DemoSummary) -> None:
    audit = _rows(demo.data_dir, "SELECT * FROM audit_log ORDER BY id")
    assert len({entry["at"][:4] for entry in audit}) >= 2
    assert [entry["at"] for entry in audit] == sorted(entry["at"] for entry in audit)
    assert all(entry["officer"] for entry in audit)
    tables = ("profile", "hamlet", "household", "member")
    columns = {table: list(SQLModel.metadata.tables[table].columns.keys()) for table in tables}
    latest: dict[str, dict[str, object]] = {}
    for entry in audit:
        after = json.loads(entry["after_json"])
        assert list(after) == columns[entry["table_name"]]
        if entry["record_id"] in latest:
            assert json.loads(entry["before_json"]) == latest[entry["record_id"]]
        else:
            assert entry["before_json"] is None
            assert entry["action"].startswith(("Thiết lập đơn vị", "Thêm hộ ", "Thêm thành viên "))
        latest[entry["record_id"]] = after
    for table in tables:
        stored = {str(row["id"]): dict(row) for row in _rows(demo.data_dir, f"SELECT * FROM {table}")}
        assert stored == {key: latest[key] for key in stored}
    actions = [entry["action"] for entry in audit]
    assert any(a.startswith("Sửa tình trạng học tập của ") for a in actions)
    assert any(a.startswith("Sửa trường/lớp đang học của ") for a in actions)
    created = _rows(demo.data_dir, "SELECT min(created_at) AS first, max(created_at) AS last FROM household")[0]
    assert created["first"].startswith("2023-") and created["last"] > "2024"


def test_some_households_are_in_the_recycle_bin_and_can_be_restored(
    demo: DemoSummary, demo_workspace: Workspace
) -> None:
    deleted = [r for r in recycle_bin.list_deleted(demo_workspace) if r.kind == "household"]
    assert len(deleted) == demo.deleted_households >= 1
    codes = {r["code"] for r in _rows(demo.data_dir, "SELECT code FROM household WHERE deleted_at IS NOT NULL")}
    actions = {r["action"] for r in _rows(demo.data_dir, "SELECT action FROM audit_log")}
    assert {f"Xóa hộ {code}" for code in codes} <= actions


def test_restoring_from_the_bin_works_on_demo_data(data_dir: Path) -> None:
    create_demo(data_dir, households=60, seed=3)
    workspace = Workspace.open(data_dir)
    try:
        record = next(r for r in recycle_bin.list_deleted(workspace) if r.kind == "household")
        recycle_bin.restore(workspace, record)
        assert record.id in {row.id for row in household_service.list_households(workspace)}
        workspace.history.undo(workspace)
        assert record.id not in {row.id for row in household_service.list_households(workspace)}
    finally:
        workspace.close(backup=False)


def _snapshot(data_dir: Path) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in _rows(
            data_dir,
            """SELECT h.id, h.code, h.address, h.phone, h.note, m.id, m.full_name, m.birth_year, m.sex, m.relation
               FROM household h JOIN member m ON m.household_id = h.id ORDER BY h.code, m.position""",
        )
    ]


def test_same_seed_gives_the_same_commune_and_another_seed_another(tmp_path: Path) -> None:
    first = create_demo(tmp_path / "a", households=50, seed=7)
    again = create_demo(tmp_path / "b", households=50, seed=7)
    other = create_demo(tmp_path / "c", households=50, seed=8)
    assert first.members == again.members
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    assert _snapshot(tmp_path / "a") != _snapshot(tmp_path / "c")
    hamlets = "SELECT name FROM hamlet ORDER BY position"
    assert _rows(tmp_path / "a", hamlets) == _rows(tmp_path / "b", hamlets)
    assert other.data_dir == tmp_path / "c"


def test_refuses_a_folder_that_is_already_set_up(workspace: Workspace) -> None:
    tables = ("profile", "hamlet", "audit_log")
    before = [tuple(r) for table in tables for r in _rows(workspace.data_dir, f"SELECT * FROM {table}")]
    with pytest.raises(UserError, match="đã có dữ liệu"):
        create_demo(workspace.data_dir, households=20)
    after = [tuple(r) for table in tables for r in _rows(workspace.data_dir, f"SELECT * FROM {table}")]
    assert after == before
    assert _rows(workspace.data_dir, "SELECT count(*) AS n FROM household")[0]["n"] == 0


def test_refuses_an_unknown_commune_or_household_count_without_touching_the_folder(data_dir: Path) -> None:
    with pytest.raises(UserError, match="Không có xã, phường mã 99999"):
        create_demo(data_dir, households=20, commune_code="99999")
    with pytest.raises(UserError, match="Số hộ"):
        create_demo(data_dir, households=0)
    assert not data_dir.exists()


def test_northern_commune_has_thon_and_northern_surnames(data_dir: Path) -> None:
    summary = create_demo(data_dir, households=20, commune_code="00583")
    names = [row["name"] for row in _rows(data_dir, "SELECT name FROM hamlet")]
    assert (summary.commune_name, summary.province_name) == ("Xã Bát Tràng", "Thành phố Hà Nội")
    assert all(name.startswith("Thôn ") for name in names)
    surnames = {row["s"] for row in _rows(data_dir, "SELECT substr(full_name, 1, 5) AS s FROM member")}
    assert not any(s.startswith("Huỳnh") for s in surnames)


def test_progress_is_reported_and_cancelling_leaves_the_folder_blank(data_dir: Path) -> None:
    calls: list[tuple[int, int]] = []

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        calls.append((done, total))
        raise Cancelled

    with pytest.raises(Cancelled):
        create_demo(data_dir, households=600, progress=cancel)
    workspace = Workspace.open(data_dir)
    try:
        assert not workspace.is_set_up
        assert profile_service.list_hamlets(workspace) == []
        assert household_service.list_households(workspace) == []
    finally:
        workspace.close(backup=False)
    calls.clear()
    summary = create_demo(data_dir, households=600, progress=lambda done, total: calls.append((done, total)))
    assert summary.households == 600
    assert calls[-1] == (600, 600) and len(calls) >= 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
