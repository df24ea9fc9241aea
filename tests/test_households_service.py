"""The households register use cases (services/households.py), the audit log and undo/redo
(services/changes.py), and the profile and hamlet use cases (services/profile.py)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from conftest import HAMLETS, commune_profile
from sqlalchemy import text

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, LearningStatus, MemberInput, Relation, Sex
from khuyenhoc_desktop.services import changes, recycle_bin
from khuyenhoc_desktop.services import households as hh
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Hamlet, Household, Member

OFFICER = "Lê Thị Hoa"

# --- helpers ------------------------------------------------------------------------------------------------


def hamlet_ids(workspace: Workspace) -> dict[str, str]:
    return {row.name: row.id for row in profile_service.list_hamlets(workspace)}


def household_input(workspace: Workspace, **changes_: object) -> HouseholdInput:
    values: dict[str, object] = {
        "code": "00001",
        "head_name": "Nguyễn Văn Đức",
        "hamlet_id": hamlet_ids(workspace)["Ấp Vĩnh Thạnh"],
        "head_birth_year": 1968,
        "head_sex": Sex.MALE,
        "address": "Tổ 3, Ấp Vĩnh Thạnh",
        "phone": "0909 123 456",
        "note": "Hộ cận nghèo",
    }
    values.update(changes_)
    return HouseholdInput(**values)  # type: ignore[arg-type]


def child(name: str = "Nguyễn Thị Ánh", **changes_: object) -> MemberInput:
    values: dict[str, object] = {
        "full_name": name,
        "birth_year": 2012,
        "sex": Sex.FEMALE,
        "relation": Relation.CHILD,
        "school": "Trường THCS Phước Vĩnh Tây, lớp 8A",
        "learning_status": LearningStatus.LOWER_SECONDARY,
    }
    values.update(changes_)
    return MemberInput(**values)  # type: ignore[arg-type]


def count(workspace: Workspace, table: str) -> int:
    with session_scope(workspace.engine) as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def counts(workspace: Workspace) -> dict[str, int]:
    return {table: count(workspace, table) for table in ("hamlet", "household", "member", "audit_log")}


def dump(workspace: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Every row of the register tables, columns and all: the state undo must give back exactly."""
    result: dict[str, list[dict[str, Any]]] = {}
    with session_scope(workspace.engine) as session:
        for table in ("hamlet", "household", "member"):
            rows = session.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
            result[table] = [dict(row) for row in rows]
    return result


def register(workspace: Workspace) -> tuple[list[hh.HouseholdRow], dict[str, list[hh.MemberRow]]]:
    rows = hh.list_households(workspace)
    return rows, {row.id: hh.list_members(workspace, row.id) for row in rows}


def audit(workspace: Workspace) -> list[dict[str, Any]]:
    with session_scope(workspace.engine) as session:
        rows = (
            session.execute(
                text("SELECT * FROM audit_log WHERE action != :setup ORDER BY id"),
                {"setup": profile_service.SET_UP_LABEL},
            )
            .mappings()
            .all()
        )
    return [dict(row) for row in rows]


def head_of(workspace: Workspace, household_id: str) -> hh.MemberRow:
    heads = [m for m in hh.list_members(workspace, household_id) if m.relation == Relation.HEAD]
    assert len(heads) == 1
    return heads[0]


def member_row(workspace: Workspace, household_id: str, member_id: str) -> hh.MemberRow:
    (row,) = [m for m in hh.list_members(workspace, household_id) if m.id == member_id]
    return row


def stored_member(workspace: Workspace, member_id: str) -> Member:
    with session_scope(workspace.engine) as session:
        return session.get_one(Member, member_id)


@pytest.fixture
def household_id(workspace: Workspace) -> str:
    return hh.create_household(workspace, household_input(workspace))


@pytest.fixture
def second_workspace(workspace: Workspace) -> Iterator[Workspace]:
    """The same folder opened a second time (another window, or a colleague on a shared drive)."""
    other = Workspace.open(workspace.data_dir)
    yield other
    other.close(backup=False)


# --- create -------------------------------------------------------------------------------------------------


def test_create_household_with_its_head(workspace: Workspace, household_id: str) -> None:
    (row,) = hh.list_households(workspace)
    assert row.id == household_id
    assert (row.code, row.head_name, row.hamlet_name) == ("00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh")
    assert (row.address, row.phone, row.note) == ("Tổ 3, Ấp Vĩnh Thạnh", "0909123456", "Hộ cận nghèo")
    assert row.member_count == 1
    assert row.search_key == "00001 nguyen van duc to 3, ap vinh thanh 0909123456 ho can ngheo"
    (head,) = hh.list_members(workspace, household_id)
    assert (head.full_name, head.relation, head.birth_year, head.sex) == ("Nguyễn Văn Đức", "chu_ho", 1968, "nam")
    assert stored_member(workspace, head.id).name_key == "nguyen van duc"
    assert hh.household_input(workspace, household_id) == replace(household_input(workspace), phone="0909123456")


def test_create_normalises_at_the_service_boundary(workspace: Workspace) -> None:
    typed = household_input(
        workspace, code=" vt-đ07 ", head_name=unicodedata.normalize("NFD", "  Trần   Thị Ước "), phone="+84 909 123 456"
    )
    household_id = hh.create_household(workspace, typed)
    (row,) = hh.list_households(workspace)
    assert (row.code, row.head_name, row.phone) == ("VT-Đ07", "Trần Thị Ước", "0909123456")
    assert unicodedata.is_normalized("NFC", row.head_name)
    assert "tran thi uoc" in row.search_key
    assert hh.list_members(workspace, household_id)[0].full_name == "Trần Thị Ước"


def test_invalid_household_writes_nothing(workspace: Workspace) -> None:
    before = counts(workspace)
    with pytest.raises(ValidationError, match="Điện thoại"):
        hh.create_household(workspace, household_input(workspace, phone="0909 123"))
    assert counts(workspace) == before
    assert workspace.history.undo_label is None


def test_duplicate_code_refused_naming_code_and_existing_head(workspace: Workspace, household_id: str) -> None:
    before = counts(workspace)
    undo_label = workspace.history.undo_label
    with pytest.raises(ValidationError) as caught:
        hh.create_household(workspace, household_input(workspace, code="00001", head_name="Trần Thị Ánh"))
    error = caught.value
    assert error.field == "code"
    assert "«00001»" in error.message
    assert "chủ hộ Nguyễn Văn Đức" in error.message
    assert "đã có trong sổ" in error.message
    assert counts(workspace) == before
    assert workspace.history.undo_label == undo_label


def test_duplicate_code_refused_whatever_the_case(workspace: Workspace) -> None:
    hh.create_household(workspace, household_input(workspace, code="VT-01"))
    with pytest.raises(ValidationError, match="VT-01"):
        hh.create_household(workspace, household_input(workspace, code="vt-01", head_name="Trần Thị Ánh"))
    assert [row.code for row in hh.list_households(workspace)] == ["VT-01"]


def test_update_to_an_existing_code_refused(workspace: Workspace, household_id: str) -> None:
    other = hh.create_household(workspace, household_input(workspace, code="00002", head_name="Trần Thị Ánh"))
    before = dump(workspace)
    with pytest.raises(ValidationError, match="chủ hộ Nguyễn Văn Đức"):
        hh.update_household(workspace, other, household_input(workspace, code="00001", head_name="Trần Thị Ánh"))
    assert dump(workspace) == before


def test_next_household_code(workspace: Workspace) -> None:
    assert hh.next_household_code(workspace) == "00001"
    hh.create_household(workspace, household_input(workspace, code="00009"))
    hh.create_household(workspace, household_input(workspace, code="VT-99", head_name="Trần Thị Ánh"))
    assert hh.next_household_code(workspace) == "00010"


# --- update -------------------------------------------------------------------------------------------------


def test_update_changes_head_name_and_search_key(workspace: Workspace, household_id: str) -> None:
    head_id = head_of(workspace, household_id).id
    hamlet = hamlet_ids(workspace)["Ấp Đông Điền"]
    hh.update_household(
        workspace,
        household_id,
        household_input(workspace, head_name="Nguyễn Văn Đạt", hamlet_id=hamlet, address="Tổ 1, Ấp Đông Điền"),
    )
    (row,) = hh.list_households(workspace)
    assert (row.head_name, row.hamlet_name, row.address) == ("Nguyễn Văn Đạt", "Ấp Đông Điền", "Tổ 1, Ấp Đông Điền")
    assert "nguyen van dat" in row.search_key
    assert "duc" not in row.search_key
    assert "ap dong dien" in row.search_key
    head = head_of(workspace, household_id)
    assert head.id == head_id  # the same person renamed, not a new head
    stored = stored_member(workspace, head_id)
    assert stored.name_key == "nguyen van dat"
    assert stored.name_sort != ""
    assert row.member_count == 1


# --- delete and restore -------------------------------------------------------------------------------------


def test_delete_list_deleted_restore(workspace: Workspace, household_id: str) -> None:
    hh.add_member(workspace, household_id, child())
    hh.delete_household(workspace, household_id)
    assert hh.list_households(workspace) == []
    (deleted,) = recycle_bin.list_deleted(workspace)
    assert (deleted.kind, deleted.id) == ("household", household_id)
    assert deleted.label == "Hộ 00001 — Nguyễn Văn Đức"
    assert deleted.detail == "Ấp Vĩnh Thạnh"
    assert deleted.deleted_at

    recycle_bin.restore(workspace, deleted)

    (row,) = hh.list_households(workspace)
    assert (row.id, row.member_count) == (household_id, 2)  # the members came back with it
    assert recycle_bin.list_deleted(workspace) == []


def test_restore_refused_when_a_live_household_took_the_code(workspace: Workspace, household_id: str) -> None:
    hh.delete_household(workspace, household_id)
    newcomer = hh.create_household(workspace, household_input(workspace, head_name="Trần Thị Ánh"))
    before = dump(workspace)
    (deleted,) = recycle_bin.list_deleted(workspace)
    with pytest.raises(ValidationError) as caught:
        recycle_bin.restore(workspace, deleted)
    assert "«00001»" in str(caught.value)
    assert "chủ hộ Trần Thị Ánh" in str(caught.value)
    assert dump(workspace) == before
    assert [row.id for row in hh.list_households(workspace)] == [newcomer]


# --- members ------------------------------------------------------------------------------------------------


def test_add_member_head_first_then_order_entered(workspace: Workspace, household_id: str) -> None:
    anh = hh.add_member(workspace, household_id, child())
    binh = hh.add_member(workspace, household_id, child("Nguyễn Văn Bình", sex=Sex.MALE, birth_year=2016))
    members = hh.list_members(workspace, household_id)
    assert [m.full_name for m in members] == ["Nguyễn Văn Đức", "Nguyễn Thị Ánh", "Nguyễn Văn Bình"]
    assert [m.id for m in members[1:]] == [anh, binh]
    assert members[1].relation == Relation.CHILD
    assert members[1].school == "Trường THCS Phước Vĩnh Tây, lớp 8A"
    assert hh.list_households(workspace)[0].member_count == 3
    assert workspace.history.undo_label == "Thêm thành viên Nguyễn Văn Bình vào hộ 00001"


def test_invalid_member_writes_nothing(workspace: Workspace, household_id: str) -> None:
    before = counts(workspace)
    with pytest.raises(ValidationError, match="Thành viên mới của hộ «00001»"):
        hh.add_member(workspace, household_id, child(" "))
    with pytest.raises(ValidationError, match="Năm sinh"):
        hh.add_member(workspace, household_id, child(birth_year=1800))
    assert counts(workspace) == before


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("full_name", unicodedata.normalize("NFD", " Nguyễn  Thị Ánh Dương "), "Nguyễn Thị Ánh Dương"),
        ("birth_year", 2010, 2010),
        ("birth_year", None, None),
        ("sex", Sex.MALE, "nam"),
        ("relation", Relation.GRANDCHILD, "chau"),
        ("school", "Trường THPT Cần Giuộc, lớp 10A1", "Trường THPT Cần Giuộc, lớp 10A1"),
        ("learning_status", LearningStatus.DROPOUT_RISK, "nguy_co_bo_hoc"),
    ],
)
def test_update_member_each_field(
    workspace: Workspace, household_id: str, field: str, value: object, expected: object
) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    before = member_row(workspace, household_id, member_id)
    hh.update_member(workspace, member_id, field, value)
    after = member_row(workspace, household_id, member_id)
    assert getattr(after, field) == expected
    untouched = [f for f in ("full_name", "birth_year", "sex", "relation", "school", "learning_status") if f != field]
    assert [getattr(after, f) for f in untouched] == [getattr(before, f) for f in untouched]
    if field == "full_name":
        stored = stored_member(workspace, member_id)
        assert stored.name_key == "nguyen thi anh duong"
        assert after.name_sort != before.name_sort


def test_update_member_refuses_bad_values(workspace: Workspace, household_id: str) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    before = dump(workspace)
    with pytest.raises(ValidationError, match="Thành viên «Nguyễn Thị Ánh» của hộ «00001»"):
        hh.update_member(workspace, member_id, "learning_status", "đang học")
    with pytest.raises(ValidationError, match="Họ tên"):
        hh.update_member(workspace, member_id, "full_name", "   ")
    with pytest.raises(ValueError, match="household_id"):
        hh.update_member(workspace, member_id, "household_id", "khác")
    assert dump(workspace) == before


def test_renaming_the_head_member_refreshes_the_household(workspace: Workspace, household_id: str) -> None:
    hh.update_member(workspace, head_of(workspace, household_id).id, "full_name", "Nguyễn Văn Đạt")
    (row,) = hh.list_households(workspace)
    assert row.head_name == "Nguyễn Văn Đạt"
    assert "nguyen van dat" in row.search_key
    assert "duc" not in row.search_key


def test_delete_and_restore_member(workspace: Workspace, household_id: str) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    hh.delete_member(workspace, member_id)
    assert [m.full_name for m in hh.list_members(workspace, household_id)] == ["Nguyễn Văn Đức"]
    assert hh.list_households(workspace)[0].member_count == 1
    (deleted,) = recycle_bin.list_deleted(workspace)
    assert (deleted.kind, deleted.id, deleted.label, deleted.detail) == (
        "member",
        member_id,
        "Nguyễn Thị Ánh",
        "Thành viên hộ 00001",
    )
    recycle_bin.restore(workspace, deleted)
    assert member_id in [m.id for m in hh.list_members(workspace, household_id)]
    assert recycle_bin.list_deleted(workspace) == []


def test_member_of_a_deleted_household_cannot_be_restored_alone(workspace: Workspace, household_id: str) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    hh.delete_member(workspace, member_id)
    hh.delete_household(workspace, household_id)
    with pytest.raises(UserError, match="khôi phục hộ trước"):
        hh.restore_member(workspace, member_id)


def test_new_head_demotes_the_old_one_and_undo_restores_both(workspace: Workspace, household_id: str) -> None:
    old_head = head_of(workspace, household_id).id
    wife = hh.add_member(workspace, household_id, child("Trần Thị Ánh", birth_year=1970, relation=Relation.SPOUSE))
    before_state, before_register = dump(workspace), register(workspace)

    hh.update_member(workspace, wife, "relation", Relation.HEAD)

    assert head_of(workspace, household_id).id == wife
    assert member_row(workspace, household_id, old_head).relation == Relation.OTHER
    (row,) = hh.list_households(workspace)
    assert row.head_name == "Trần Thị Ánh"
    assert "tran thi anh" in row.search_key
    assert "nguyen van duc" not in row.search_key
    assert hh.list_members(workspace, household_id)[0].id == wife  # the head is listed first

    workspace.history.undo(workspace)

    assert head_of(workspace, household_id).id == old_head
    assert member_row(workspace, household_id, wife).relation == Relation.SPOUSE
    assert register(workspace) == before_register
    assert dump(workspace) == before_state


def test_adding_a_member_as_head_demotes_the_old_head(workspace: Workspace, household_id: str) -> None:
    old_head = head_of(workspace, household_id).id
    before = dump(workspace)
    new_head = hh.add_member(workspace, household_id, child("Nguyễn Văn Tư", birth_year=1940, relation=Relation.HEAD))
    assert head_of(workspace, household_id).id == new_head
    assert member_row(workspace, household_id, old_head).relation == Relation.OTHER
    assert hh.list_households(workspace)[0].head_name == "Nguyễn Văn Tư"
    workspace.history.undo(workspace)
    assert dump(workspace) == before


def test_head_cannot_be_deleted(workspace: Workspace, household_id: str) -> None:
    before = dump(workspace)
    with pytest.raises(UserError, match="Không thể xóa chủ hộ Nguyễn Văn Đức"):
        hh.delete_member(workspace, head_of(workspace, household_id).id)
    assert dump(workspace) == before


def test_head_cannot_be_demoted_alone(workspace: Workspace, household_id: str) -> None:
    hh.add_member(workspace, household_id, child())
    before = dump(workspace)
    with pytest.raises(ValidationError) as caught:
        hh.update_member(workspace, head_of(workspace, household_id).id, "relation", Relation.PARENT)
    assert caught.value.field == "relation"
    assert "mỗi hộ phải có một chủ hộ" in caught.value.message
    assert "Nguyễn Văn Đức" in caught.value.record
    assert dump(workspace) == before


# --- audit log ----------------------------------------------------------------------------------------------


def test_every_change_is_audited_with_officer_label_and_json(workspace: Workspace, household_id: str) -> None:
    entries = audit(workspace)
    assert {(e["table_name"], e["action"], e["officer"]) for e in entries} == {
        ("household", "Thêm hộ 00001", OFFICER),
        ("member", "Thêm hộ 00001", OFFICER),
    }
    created = next(e for e in entries if e["table_name"] == "household")
    assert created["record_id"] == household_id
    assert created["before_json"] is None
    assert json.loads(created["after_json"])["code"] == "00001"
    head_entry = next(e for e in entries if e["table_name"] == "member")
    assert "Nguyễn Văn Đức" in head_entry["after_json"]  # readable Vietnamese, not \u escapes

    hh.update_household(workspace, household_id, household_input(workspace, head_name="Nguyễn Văn Đạt"))
    updates = [e for e in audit(workspace) if e["action"] == "Sửa hộ 00001"]
    assert {e["table_name"] for e in updates} == {"household", "member"}
    member_update = next(e for e in updates if e["table_name"] == "member")
    assert json.loads(member_update["before_json"])["full_name"] == "Nguyễn Văn Đức"
    assert json.loads(member_update["after_json"])["full_name"] == "Nguyễn Văn Đạt"

    hh.delete_household(workspace, household_id)
    (deletion,) = [e for e in audit(workspace) if e["action"] == "Xóa hộ 00001"]
    assert json.loads(deletion["before_json"])["deleted_at"] is None
    assert json.loads(deletion["after_json"])["deleted_at"] is not None

    workspace.history.undo(workspace)
    (undo_entry,) = [e for e in audit(workspace) if e["action"] == "Hoàn tác: Xóa hộ 00001"]
    assert undo_entry["officer"] == OFFICER
    assert json.loads(undo_entry["after_json"])["deleted_at"] is None


def test_member_edits_are_audited(workspace: Workspace, household_id: str) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    hh.update_member(workspace, member_id, "learning_status", LearningStatus.DROPOUT_RISK)
    (entry,) = [e for e in audit(workspace) if e["record_id"] == member_id and e["before_json"] is not None]
    assert entry["action"] == "Sửa tình trạng học tập của Nguyễn Thị Ánh (hộ 00001)"
    assert json.loads(entry["before_json"])["learning_status"] == "thcs"
    assert json.loads(entry["after_json"])["learning_status"] == "nguy_co_bo_hoc"


# --- undo and redo ------------------------------------------------------------------------------------------

Operation = Callable[[Workspace, str], object]

OPERATIONS: dict[str, Operation] = {
    "create": lambda ws, _hid: hh.create_household(
        ws, household_input(ws, code="00002", head_name="Trần Thị Ánh", phone="")
    ),
    "update": lambda ws, hid: hh.update_household(
        ws, hid, household_input(ws, head_name="Nguyễn Văn Đạt", head_birth_year=1970, note="Đã thoát nghèo")
    ),
    "delete": lambda ws, hid: hh.delete_household(ws, hid),
    "add member": lambda ws, hid: hh.add_member(ws, hid, child()),
    "edit member": lambda ws, hid: hh.update_member(ws, hh.list_members(ws, hid)[1].id, "school", "Lớp 9A"),
    "delete member": lambda ws, hid: hh.delete_member(ws, hh.list_members(ws, hid)[1].id),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_undo_gives_back_the_state_before_and_redo_the_state_after(
    workspace: Workspace, household_id: str, operation: str
) -> None:
    if operation in ("edit member", "delete member"):
        hh.add_member(workspace, household_id, child())
    before_state, before_register = dump(workspace), register(workspace)

    OPERATIONS[operation](workspace, household_id)
    after_state, after_register = dump(workspace), register(workspace)
    assert after_state != before_state
    label = workspace.history.undo_label
    assert label is not None

    undone = workspace.history.undo(workspace)
    assert undone.label == label
    assert register(workspace) == before_register
    assert dump(workspace) == before_state
    assert workspace.history.redo_label == label

    workspace.history.redo(workspace)
    assert register(workspace) == after_register
    assert dump(workspace) == after_state
    assert workspace.history.undo_label == label
    assert workspace.history.redo_label is None


def test_undo_walks_back_several_changes(workspace: Workspace) -> None:
    empty = dump(workspace)
    household_id = hh.create_household(workspace, household_input(workspace))
    hh.add_member(workspace, household_id, child())
    hh.delete_household(workspace, household_id)
    for _ in range(3):
        workspace.history.undo(workspace)
    assert dump(workspace) == empty
    assert workspace.history.undo_label is None


def test_a_new_change_clears_redo(workspace: Workspace, household_id: str) -> None:
    hh.add_member(workspace, household_id, child())
    workspace.history.undo(workspace)
    assert workspace.history.redo_label is not None
    hh.add_member(workspace, household_id, child("Nguyễn Văn Bình"))
    assert workspace.history.redo_label is None


def test_undo_refused_when_the_row_was_changed_elsewhere(
    workspace: Workspace, household_id: str, second_workspace: Workspace
) -> None:
    hh.update_household(workspace, household_id, household_input(workspace, note="Gia đình học tập 2024"))
    label = workspace.history.undo_label
    hh.update_household(second_workspace, household_id, household_input(workspace, note="Sửa ở máy khác"))
    before = dump(workspace)
    audit_rows = count(workspace, "audit_log")

    with pytest.raises(UserError, match="bản ghi đã được sửa sau đó") as caught:
        workspace.history.undo(workspace)

    assert "Dữ liệu không bị thay đổi" in str(caught.value)
    assert dump(workspace) == before
    assert hh.list_households(workspace)[0].note == "Sửa ở máy khác"
    assert count(workspace, "audit_log") == audit_rows
    assert workspace.history.undo_label == label  # still offered; nothing was popped


def test_redo_refused_when_the_row_was_changed_elsewhere(
    workspace: Workspace, household_id: str, second_workspace: Workspace
) -> None:
    member_id = hh.add_member(workspace, household_id, child())
    workspace.history.undo(workspace)
    # Meanwhile the other window adds a different member with a fresh id: that does not block redo.
    hh.add_member(second_workspace, household_id, child("Nguyễn Văn Bình"))
    workspace.history.redo(workspace)
    assert member_id in [m.id for m in hh.list_members(workspace, household_id)]
    # But a redo of an edit is refused once the row was edited elsewhere.
    hh.update_member(workspace, member_id, "school", "Lớp 9A")
    workspace.history.undo(workspace)
    hh.update_member(second_workspace, member_id, "school", "Lớp 9B")
    before = dump(workspace)
    with pytest.raises(UserError, match="đã được sửa sau đó"):
        workspace.history.redo(workspace)
    assert dump(workspace) == before


# --- transactions -------------------------------------------------------------------------------------------


def test_exception_inside_record_change_leaves_nothing(workspace: Workspace) -> None:
    before = counts(workspace)
    hamlet = hamlet_ids(workspace)["Ấp Phước Lợi"]
    with pytest.raises(RuntimeError, match="mất điện"), record_change(workspace, "Thêm hộ thử") as change:
        household = Household(code="99999", hamlet_id=hamlet)
        change.add(household)
        change.add(Member(household_id=household.id, full_name="Võ Văn Dũng", relation=Relation.HEAD))
        change.session.flush()
        raise RuntimeError("mất điện")
    assert counts(workspace) == before
    assert workspace.history.undo_label is None


def test_failure_while_writing_the_audit_rolls_back_the_data(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(workspace)
    real_write_audit = changes.write_audit

    def write_then_fail(*args: Any) -> None:
        real_write_audit(*args)
        args[0].flush()  # the audit rows reach the database...
        raise OSError("ổ đĩa đầy")  # ...and then the transaction fails

    monkeypatch.setattr(changes, "write_audit", write_then_fail)
    with pytest.raises(OSError, match="ổ đĩa đầy"):
        hh.create_household(workspace, household_input(workspace))
    assert counts(workspace) == before
    assert workspace.history.undo_label is None


def test_failure_midway_through_a_use_case_rolls_back(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(workspace)

    def broken(*_args: object) -> None:
        raise RuntimeError("lỗi khi tính khóa tìm kiếm")

    monkeypatch.setattr(hh, "_refresh_search_key", broken)  # runs after the household and head were flushed
    with pytest.raises(RuntimeError):
        hh.create_household(workspace, household_input(workspace))
    assert counts(workspace) == before


# --- profile and hamlets ------------------------------------------------------------------------------------


def test_set_up_stores_profile_and_hamlets(workspace: Workspace) -> None:
    assert workspace.is_set_up
    assert workspace.officer == OFFICER
    assert workspace.profile is not None
    assert workspace.profile.commune_name.endswith("Phước Vĩnh Tây")
    assert [h.name for h in profile_service.list_hamlets(workspace)] == HAMLETS


def test_set_up_twice_refused(workspace: Workspace) -> None:
    before = counts(workspace)
    with pytest.raises(UserError, match="đã được thiết lập"):
        profile_service.set_up(workspace, commune_profile(officer_name="Trần Văn Hai"), ["Ấp Mới"])
    assert counts(workspace) == before
    assert workspace.officer == OFFICER


def test_set_up_needs_a_hamlet_and_a_valid_profile(blank_workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="ít nhất một ấp"):
        profile_service.set_up(blank_workspace, commune_profile(), ["  ", ""])
    with pytest.raises(ValidationError, match="Cán bộ nhập liệu"):
        profile_service.set_up(blank_workspace, commune_profile(officer_name=" "), HAMLETS)
    with pytest.raises(ValidationError, match="trùng với ấp «Ấp Vĩnh Thạnh»"):
        profile_service.set_up(blank_workspace, commune_profile(), ["Ấp Vĩnh Thạnh", "ấp vinh thanh"])
    assert not blank_workspace.is_set_up
    assert count(blank_workspace, "hamlet") == 0
    assert count(blank_workspace, "profile") == 0


@pytest.mark.parametrize(
    ("changes_", "field", "text_"),
    [
        ({"officer_name": "   "}, "officer_name", "chưa nhập họ tên cán bộ nhập liệu"),
        ({"signer_name": ""}, "signer_name", "chưa nhập họ tên người ký"),
        ({"working_year": 1999}, "working_year", "năm phải trong khoảng"),
        ({"commune_code": ""}, "commune_code", "hãy chọn xã, phường"),
        ({"province_code": "01"}, "commune_code", "không thuộc"),
        ({"role": "huyen"}, "role", "hãy chọn một vai trò"),
    ],
)
def test_save_profile_validation(workspace: Workspace, changes_: dict[str, object], field: str, text_: str) -> None:
    before = profile_service.profile_input(workspace)
    with pytest.raises(ValidationError) as caught:
        profile_service.save_profile(workspace, commune_profile(**changes_))
    assert caught.value.field == field
    assert text_ in caught.value.message
    assert caught.value.record == "Thông tin đơn vị"
    assert profile_service.profile_input(workspace) == before


def test_save_profile_normalises_audits_and_can_be_undone(workspace: Workspace) -> None:
    profile_service.save_profile(
        workspace, commune_profile(officer_name=unicodedata.normalize("NFD", " Trần  Văn Hai "), working_year=2024)
    )
    assert workspace.officer == "Trần Văn Hai"
    assert workspace.working_year == 2024
    (entry,) = [e for e in audit(workspace) if e["table_name"] == "profile"]
    assert entry["action"] == "Sửa thông tin đơn vị"
    assert json.loads(entry["before_json"])["officer_name"] == OFFICER
    workspace.history.undo(workspace)
    workspace.reload_profile()
    assert workspace.officer == OFFICER


def test_add_rename_remove_hamlet(workspace: Workspace) -> None:
    new_id = profile_service.add_hamlet(workspace, unicodedata.normalize("NFD", "  Ấp  Long Hòa "))
    assert [h.name for h in profile_service.list_hamlets(workspace)] == [*HAMLETS, "Ấp Long Hòa"]
    assert hamlet_ids(workspace)["Ấp Long Hòa"] == new_id

    profile_service.rename_hamlet(workspace, new_id, "Ấp Long Hưng")
    assert "Ấp Long Hưng" in hamlet_ids(workspace)
    # Correcting one's own accents is not a clash with itself.
    profile_service.rename_hamlet(workspace, new_id, "Ấp Long Hung")
    profile_service.rename_hamlet(workspace, new_id, "Ấp Long Hưng")

    profile_service.remove_hamlet(workspace, new_id)
    assert [h.name for h in profile_service.list_hamlets(workspace)] == HAMLETS


@pytest.mark.parametrize("name", ["Ấp Vinh Thanh", "ấp vĩnh thạnh", "AP VINH THANH", "Ấp  Vĩnh Thạnh"])
def test_add_hamlet_refuses_a_name_differing_only_by_accents(workspace: Workspace, name: str) -> None:
    with pytest.raises(ValidationError, match="trùng với ấp «Ấp Vĩnh Thạnh»"):
        profile_service.add_hamlet(workspace, name)
    assert [h.name for h in profile_service.list_hamlets(workspace)] == HAMLETS


def test_rename_hamlet_refuses_another_hamlets_name(workspace: Workspace) -> None:
    ids = hamlet_ids(workspace)
    with pytest.raises(ValidationError, match="trùng với ấp «Ấp Đông Điền»"):
        profile_service.rename_hamlet(workspace, ids["Ấp Phước Lợi"], "Ấp Dong Dien")
    with pytest.raises(ValidationError, match="không được để trống"):
        profile_service.rename_hamlet(workspace, ids["Ấp Phước Lợi"], "   ")
    assert [h.name for h in profile_service.list_hamlets(workspace)] == HAMLETS


def test_add_hamlet_refuses_a_blank_name(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="chưa nhập tên ấp"):
        profile_service.add_hamlet(workspace, "  ")


def test_remove_hamlet_refused_while_it_has_households(workspace: Workspace, household_id: str) -> None:
    vinh_thanh = hamlet_ids(workspace)["Ấp Vĩnh Thạnh"]
    hh.create_household(workspace, household_input(workspace, code="00002", head_name="Trần Thị Ánh"))
    with pytest.raises(UserError, match="Không thể xóa ấp «Ấp Vĩnh Thạnh»: còn 2 hộ"):
        profile_service.remove_hamlet(workspace, vinh_thanh)
    assert [h.household_count for h in profile_service.list_hamlets(workspace)] == [2, 0, 0]
    with session_scope(workspace.engine) as session:
        assert session.get_one(Hamlet, vinh_thanh).deleted_at is None


def test_undo_of_create_refused_when_another_window_added_a_member(
    workspace: Workspace, household_id: str, second_workspace: Workspace
) -> None:
    hh.add_member(second_workspace, household_id, child("Võ Thị Lan"))
    before = dump(workspace)
    with pytest.raises(UserError, match="Hoàn tác: Thêm hộ 00001"):
        workspace.history.undo(workspace)
    assert dump(workspace) == before  # not even the head was deleted
    assert hh.list_households(workspace)[0].member_count == 2


def test_households_only_go_into_live_hamlets(workspace: Workspace) -> None:
    hamlets = profile_service.list_hamlets(workspace)
    keep, gone = hamlets[0].id, hamlets[2].id
    moved = hh.create_household(workspace, HouseholdInput("00001", "Lê Văn An", gone))
    hh.delete_household(workspace, moved)
    profile_service.remove_hamlet(workspace, gone)

    with pytest.raises(ValidationError, match="«Ấp»: ấp «Ấp Đông Điền» không còn trong danh sách ấp"):
        hh.create_household(workspace, HouseholdInput("00002", "Lê Văn Hai", gone))
    with pytest.raises(ValidationError, match="«Ấp»: ấp không còn trong danh sách ấp"):
        hh.create_household(workspace, HouseholdInput("00002", "Lê Văn Hai", "khong-co-ap-nay"))
    with pytest.raises(ValidationError, match="không còn trong danh sách ấp"):
        hh.restore_household(workspace, moved)
    assert [r.code for r in hh.list_households(workspace)] == []

    again = profile_service.add_hamlet(workspace, "ap dong dien")  # the same hamlet, typed without accents
    assert again == gone
    hh.restore_household(workspace, moved)
    assert [(r.code, r.hamlet_name) for r in hh.list_households(workspace)] == [("00001", "ap dong dien")]
    hh.create_household(workspace, HouseholdInput("00002", "Lê Văn Hai", keep))


def test_set_up_is_audited_under_the_new_officer_and_cannot_be_undone(blank_workspace: Workspace) -> None:
    profile_service.set_up(blank_workspace, commune_profile(), HAMLETS)
    with session_scope(blank_workspace.engine) as session:
        rows = session.execute(text("SELECT table_name, action, officer FROM audit_log ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("profile", "Thiết lập đơn vị", OFFICER)] + [
        ("hamlet", "Thiết lập đơn vị", OFFICER)
    ] * len(HAMLETS)
    assert blank_workspace.history.undo_label is None


def test_several_member_fields_change_in_one_checked_step(workspace: Workspace, household_id: str) -> None:
    member_id = hh.add_member(workspace, household_id, MemberInput("Nguyễn Thị Ánh", 2012, Sex.FEMALE, Relation.CHILD))
    with pytest.raises(ValidationError, match="«Năm sinh»"):
        hh.update_member_fields(workspace, member_id, {"full_name": "Nguyễn Thị Ánh Hồng", "birth_year": 1800})
    assert [m.full_name for m in hh.list_members(workspace, household_id)][-1] == "Nguyễn Thị Ánh"

    hh.update_member_fields(
        workspace, member_id, {"full_name": "Nguyễn Thị Ánh Hồng", "learning_status": LearningStatus.LOWER_SECONDARY}
    )
    changed = hh.list_members(workspace, household_id)[-1]
    assert (changed.full_name, changed.learning_status) == ("Nguyễn Thị Ánh Hồng", "thcs")
    assert workspace.history.undo_label == "Sửa họ tên, tình trạng học tập của Nguyễn Thị Ánh Hồng (hộ 00001)"
    workspace.history.undo(workspace)
    back = hh.list_members(workspace, household_id)[-1]
    assert (back.full_name, back.learning_status) == ("Nguyễn Thị Ánh", "khong_di_hoc")
