"""The clans, units and hamlet-community registers: rules, use cases, links, recycle bin, undo and audit."""

from __future__ import annotations

import json
import unicodedata

import pytest
from sqlmodel import select

from khuyenhoc_desktop.domain.clan import ClanInput, clan_sort_key, clean_clan
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.domain.text import matches
from khuyenhoc_desktop.domain.unit import UnitInput, UnitKind, clean_unit
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import hamlet_register, recycle_bin
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.profile import add_hamlet, list_hamlets, remove_hamlet
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, Clan, Unit


def hamlet_ids(workspace: Workspace) -> dict[str, str]:
    return {h.name: h.id for h in list_hamlets(workspace)}


def household(workspace: Workspace, code: str, head: str, hamlet: str = "Ấp Vĩnh Thạnh") -> str:
    return household_service.create_household(workspace, HouseholdInput(code, head, hamlet_ids(workspace)[hamlet]))


def clan(workspace: Workspace, name: str = "Họ Nguyễn Văn", hamlets: tuple[str, ...] = ("Ấp Vĩnh Thạnh",), **kw) -> str:
    ids = hamlet_ids(workspace)
    return clan_service.create_clan(workspace, ClanInput(name, hamlet_ids=tuple(ids[h] for h in hamlets), **kw))


def only_clan(workspace: Workspace) -> clan_service.ClanRow:
    (row,) = clan_service.list_clans(workspace)
    return row


def audit(workspace: Workspace, table: str) -> list[str]:
    with session_scope(workspace.engine) as session:
        return list(
            session.exec(select(AuditEntry.action).where(AuditEntry.table_name == table).order_by(AuditEntry.id)).all()
        )


# -- domain rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (ClanInput("  ", hamlet_ids=("a",)), "name", "Dòng họ mới — ô «Tên dòng họ»: chưa nhập tên dòng họ"),
        (ClanInput("Họ Lê", hamlet_ids=()), "hamlet_ids", "Dòng họ «Họ Lê» — ô «Các ấp có dòng họ»: hãy chọn ít nhất"),
        (ClanInput("Họ Lê", hamlet_ids=("a", "a")), "hamlet_ids", "«Các ấp có dòng họ»: có ấp được chọn hai lần"),
        (
            ClanInput("Họ Lê", hamlet_ids=("a",), household_ids=("h", "h")),
            "household_ids",
            "«Các hộ thành viên»: có hộ được chọn hai lần",
        ),
        (ClanInput("Họ " + "Lê" * 60, hamlet_ids=("a",)), "name", "dài quá 100 ký tự"),
    ],
)
def test_clan_rules_name_the_clan_and_the_field(data: ClanInput, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_clan(data)
    assert caught.value.field == field
    assert message in str(caught.value)


def test_clan_text_is_stored_nfc_and_trimmed() -> None:
    typed = unicodedata.normalize("NFD", "  Dòng họ   Trần ")
    cleaned = clean_clan(ClanInput(typed, " Trần  Văn Bảy ", (" a ",), note=" ghi  chú "))
    assert cleaned == ClanInput("Dòng họ Trần", "Trần Văn Bảy", ("a",), (), "ghi chú")
    assert unicodedata.is_normalized("NFC", cleaned.name)


def test_clans_sort_by_family_name_whether_written_with_ho_or_dong_ho() -> None:
    names = ["Họ Trương", "Dòng họ Trần", "Họ Đặng", "Họ Dương", "Dòng họ Ân", "Họ Nguyễn Văn", "Họ Hồ"]
    assert sorted(names, key=clan_sort_key) == [
        "Dòng họ Ân", "Họ Dương", "Họ Đặng", "Họ Hồ", "Họ Nguyễn Văn", "Dòng họ Trần", "Họ Trương",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Đơn vị mới — ô «Tên đơn vị»: chưa nhập tên đơn vị"),
        ({"kind": ""}, "kind", "«Loại đơn vị»: chưa chọn loại đơn vị"),
        ({"kind": "benh_vien"}, "kind", "«Loại đơn vị»: giá trị «benh_vien» không hợp lệ"),
        ({"staff_count": -1}, "staff_count", "«Số cán bộ, nhân viên»: phải từ 0 đến 100.000 người"),
        ({"staff_count": 100_001}, "staff_count", "phải từ 0 đến 100.000 người"),
        ({"phone": "12345"}, "phone", "«Điện thoại»: «12345» không phải số điện thoại Việt Nam"),
    ],
)
def test_unit_rules_name_the_unit_and_the_field(changes: dict, field: str, message: str) -> None:
    data = UnitInput(**{"name": "Trường Tiểu học Phước Vĩnh Tây", "kind": UnitKind.SCHOOL, **changes})
    with pytest.raises(ValidationError) as caught:
        clean_unit(data)
    assert caught.value.field == field
    assert message in str(caught.value)
    if changes.get("name") != "":
        assert str(caught.value).startswith("Đơn vị «Trường Tiểu học Phước Vĩnh Tây»")


def test_unit_phone_and_hamlet_are_normalised() -> None:
    cleaned = clean_unit(
        UnitInput("HTX  Nông nghiệp", "hop_tac_xa", staff_count=100_000, hamlet_id=" ", phone="+84 909.123.456")
    )
    assert (cleaned.name, cleaned.phone, cleaned.hamlet_id, cleaned.staff_count) == (
        "HTX Nông nghiệp", "0909123456", None, 100_000,
    )  # fmt: skip


# -- clans --------------------------------------------------------------------------------------------


def test_a_clan_links_hamlets_and_member_households(workspace: Workspace) -> None:
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    b = household(workspace, "00002", "Nguyễn Thị Ánh", "Ấp Phước Lợi")
    clan_id = clan(
        workspace,
        "Họ Nguyễn Văn",
        ("Ấp Vĩnh Thạnh", "Ấp Đông Điền", "Ấp Phước Lợi"),
        representative="Nguyễn Văn Tư",
        household_ids=(a, b),
        note="Có nhà thờ họ",
    )

    row = only_clan(workspace)
    assert row.id == clan_id
    assert (row.name, row.representative, row.household_ids, row.household_count, row.note) == (
        "Họ Nguyễn Văn", "Nguyễn Văn Tư", (a, b), 2, "Có nhà thờ họ",
    )  # fmt: skip
    assert row.hamlet_names == "Ấp Đông Điền, Ấp Phước Lợi, Ấp Vĩnh Thạnh"  # Vietnamese order: Đ after D, before P
    assert set(row.hamlet_ids) == set(hamlet_ids(workspace).values())
    for query in ("ho nguyen", "NGUYEN VAN TU", "nha tho", "dong dien"):
        assert matches(row.search_key, query), query
    with session_scope(workspace.engine) as session:
        stored = session.get_one(Clan, clan_id)
    assert stored.search_key == "ho nguyen van nguyen van tu co nha tho ho"  # stored at write time
    assert audit(workspace, "clan") == ["Thêm dòng họ «Họ Nguyễn Văn»"]


def test_editing_a_clan_changes_its_links_and_ctrl_z_puts_them_back(workspace: Workspace) -> None:
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    b = household(workspace, "00002", "Nguyễn Thị Ánh")
    clan_id = clan(workspace, household_ids=(a,))

    ids = hamlet_ids(workspace)
    clan_service.update_clan(
        workspace, clan_id, ClanInput("Dòng họ Nguyễn Văn", "Nguyễn Văn Tư", (ids["Ấp Phước Lợi"],), (a, b))
    )
    row = only_clan(workspace)
    assert (row.name, row.hamlet_names, row.household_count) == ("Dòng họ Nguyễn Văn", "Ấp Phước Lợi", 2)
    assert workspace.history.undo_label == "Sửa dòng họ «Dòng họ Nguyễn Văn»"

    workspace.history.undo(workspace)
    row = only_clan(workspace)
    assert (row.name, row.hamlet_names, row.household_ids) == ("Họ Nguyễn Văn", "Ấp Vĩnh Thạnh", (a,))
    workspace.history.undo(workspace)
    assert clan_service.list_clans(workspace) == []
    assert audit(workspace, "clan") == [
        "Thêm dòng họ «Họ Nguyễn Văn»",
        "Sửa dòng họ «Dòng họ Nguyễn Văn»",
        "Hoàn tác: Sửa dòng họ «Dòng họ Nguyễn Văn»",
        "Hoàn tác: Thêm dòng họ «Họ Nguyễn Văn»",
    ]


@pytest.mark.parametrize("second", ["HỌ NGUYỄN VĂN", "Ho Nguyen Van", "  Họ   Nguyễn Văn "])
def test_a_clan_name_differing_only_by_accents_is_refused(workspace: Workspace, second: str) -> None:
    clan(workspace, "Họ Nguyễn Văn")
    with pytest.raises(ValidationError) as caught:
        clan(workspace, second)
    assert caught.value.field == "name"
    assert "«Tên dòng họ»: trùng với dòng họ «Họ Nguyễn Văn» đã có trong sổ" in str(caught.value)
    assert len(clan_service.list_clans(workspace)) == 1


def test_a_clan_may_keep_its_own_name_and_reuse_a_binned_ones(workspace: Workspace) -> None:
    first = clan(workspace, "Họ Lê")
    clan_service.update_clan(workspace, first, clan_service.clan_input(workspace, first))  # its own name is no clash
    clan_service.delete_clan(workspace, first)
    clan(workspace, "Họ Lê")
    with pytest.raises(ValidationError, match="trùng với dòng họ «Họ Lê»"):
        clan_service.restore_clan(workspace, first)


def test_only_live_households_and_hamlets_can_be_linked(workspace: Workspace) -> None:
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    gone = household(workspace, "00002", "Nguyễn Thị Ánh")
    household_service.delete_household(workspace, gone)
    with pytest.raises(ValidationError) as caught:
        clan(workspace, household_ids=(a, gone))
    assert (caught.value.field, caught.value.message) == ("household_ids", "hộ 00002 đã bị xóa; hãy chọn lại.")
    with pytest.raises(ValidationError, match="có hộ không có trong sổ"):
        clan(workspace, household_ids=("khong-co",))

    extra = add_hamlet(workspace, "Ấp Mới")
    remove_hamlet(workspace, extra)
    with pytest.raises(ValidationError) as caught:
        clan_service.create_clan(workspace, ClanInput("Họ Lê", hamlet_ids=(extra,)))
    assert (caught.value.field, caught.value.message) == ("hamlet_ids", "ấp «Ấp Mới» đã bị xóa; hãy chọn lại.")
    assert clan_service.list_clans(workspace) == []


def test_links_made_before_a_household_was_binned_survive_an_edit(workspace: Workspace) -> None:
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    b = household(workspace, "00002", "Nguyễn Thị Ánh")
    extra = add_hamlet(workspace, "Ấp Mới")
    clan_id = clan(workspace, hamlets=("Ấp Vĩnh Thạnh", "Ấp Mới"), household_ids=(a, b))
    household_service.delete_household(workspace, b)
    remove_hamlet(workspace, extra)
    row = only_clan(workspace)
    assert (row.household_count, row.hamlet_names) == (1, "Ấp Vĩnh Thạnh")

    clan_service.update_clan(workspace, clan_id, clan_service.clan_input(workspace, clan_id))
    household_service.restore_household(workspace, b)
    assert only_clan(workspace).household_count == 2


def test_a_clan_needs_a_hamlet_still_in_the_list(workspace: Workspace) -> None:
    extra = add_hamlet(workspace, "Ấp Mới")
    clan_id = clan(workspace, hamlets=("Ấp Mới",))
    remove_hamlet(workspace, extra)
    with pytest.raises(ValidationError) as caught:
        clan_service.update_clan(workspace, clan_id, clan_service.clan_input(workspace, clan_id))
    assert caught.value.message == "hãy chọn ít nhất một ấp còn trong danh sách ấp."


def test_deleted_clans_and_units_go_to_the_one_recycle_bin_and_come_back(workspace: Workspace) -> None:
    ids = hamlet_ids(workspace)
    clan_id = clan(workspace, "Họ Trần", ("Ấp Phước Lợi", "Ấp Đông Điền"))
    unit_id = unit_service.create_unit(
        workspace, UnitInput("Hợp tác xã Phước Lợi", UnitKind.COOPERATIVE, hamlet_id=ids["Ấp Phước Lợi"])
    )
    clan_service.delete_clan(workspace, clan_id)
    unit_service.delete_unit(workspace, unit_id)
    assert clan_service.list_clans(workspace) == [] and unit_service.list_units(workspace) == []

    binned = {(r.kind, r.kind_label, r.label, r.detail) for r in recycle_bin.list_deleted(workspace)}
    assert binned == {
        ("clan", "Dòng họ", "Họ Trần", "Ấp Đông Điền, Ấp Phước Lợi"),
        ("unit", "Đơn vị", "Hợp tác xã Phước Lợi", "Hợp tác xã — Ấp Phước Lợi"),
    }
    for record in recycle_bin.list_deleted(workspace):
        recycle_bin.restore(workspace, record)
    assert recycle_bin.list_deleted(workspace) == []
    assert [r.name for r in clan_service.list_clans(workspace)] == ["Họ Trần"]
    assert [r.name for r in unit_service.list_units(workspace)] == ["Hợp tác xã Phước Lợi"]
    assert workspace.history.undo_label == "Khôi phục đơn vị «Hợp tác xã Phước Lợi»"
    assert audit(workspace, "clan")[-2:] == ["Xóa dòng họ «Họ Trần»", "Khôi phục dòng họ «Họ Trần»"]


def test_list_clans_by_ids_reads_just_those(workspace: Workspace) -> None:
    clan(workspace, "Họ Lê")
    wanted = clan(workspace, "Họ Võ")
    assert [r.name for r in clan_service.list_clans(workspace, [wanted])] == ["Họ Võ"]
    assert [r.name for r in clan_service.list_clans(workspace)] == ["Họ Lê", "Họ Võ"]


# -- units --------------------------------------------------------------------------------------------


def test_a_unit_is_stored_with_kind_staff_and_hamlet(workspace: Workspace) -> None:
    ids = hamlet_ids(workspace)
    unit_id = unit_service.create_unit(
        workspace,
        UnitInput(
            "Trường Tiểu học Phước Vĩnh Tây",
            UnitKind.SCHOOL,
            head_name="Phạm Thị Lan",
            staff_count=42,
            hamlet_id=ids["Ấp Vĩnh Thạnh"],
            address="Đường Vĩnh Thạnh",
            phone="0272 3870 123",
        ),
    )
    unit_service.create_unit(workspace, UnitInput("Ủy ban nhân dân xã", UnitKind.AGENCY, staff_count=25))

    school, agency = unit_service.list_units(workspace)  # Vietnamese order: T before U before Ủ
    assert school.id == unit_id
    assert (school.kind, school.kind_label, school.head_name, school.staff_count, school.hamlet_name) == (
        "truong_hoc", "Trường học", "Phạm Thị Lan", 42, "Ấp Vĩnh Thạnh",
    )  # fmt: skip
    assert school.phone == "02723870123"
    assert (agency.hamlet_id, agency.hamlet_name, agency.kind_label) == (None, "", "Cơ quan")
    for query in ("truong hoc", "pham thi lan", "vinh thanh", "0272"):
        assert matches(school.search_key, query), query
    with session_scope(workspace.engine) as session:
        stored = session.get_one(Unit, unit_id)
    assert stored.search_key.startswith("truong tieu hoc phuoc vinh tay truong hoc pham thi lan")
    assert audit(workspace, "unit") == [
        "Thêm đơn vị «Trường Tiểu học Phước Vĩnh Tây»",
        "Thêm đơn vị «Ủy ban nhân dân xã»",
    ]


def test_editing_a_unit_and_undoing_it(workspace: Workspace) -> None:
    unit_id = unit_service.create_unit(
        workspace, UnitInput("Công ty TNHH Minh Phát", UnitKind.ENTERPRISE, staff_count=80)
    )
    data = unit_service.unit_input(workspace, unit_id)
    unit_service.update_unit(workspace, unit_id, UnitInput(data.name, UnitKind.OTHER, "Võ Văn Kiệt", 95))
    (row,) = unit_service.list_units(workspace)
    assert (row.kind, row.head_name, row.staff_count) == ("khac", "Võ Văn Kiệt", 95)
    workspace.history.undo(workspace)
    (row,) = unit_service.list_units(workspace)
    assert (row.kind, row.head_name, row.staff_count) == ("doanh_nghiep", "", 80)


def test_a_duplicate_unit_name_and_a_removed_hamlet_are_refused(workspace: Workspace) -> None:
    unit_service.create_unit(workspace, UnitInput("Trường THCS Phước Vĩnh Tây", UnitKind.SCHOOL))
    with pytest.raises(ValidationError) as caught:
        unit_service.create_unit(workspace, UnitInput("truong thcs phuoc vinh tay", UnitKind.SCHOOL))
    assert "«Tên đơn vị»: trùng với đơn vị «Trường THCS Phước Vĩnh Tây» đã có trong sổ" in str(caught.value)

    extra = add_hamlet(workspace, "Ấp Mới")
    remove_hamlet(workspace, extra)
    with pytest.raises(ValidationError) as caught:
        unit_service.create_unit(workspace, UnitInput("HTX Ấp Mới", UnitKind.COOPERATIVE, hamlet_id=extra))
    assert (caught.value.field, caught.value.message) == ("hamlet_id", "ấp «Ấp Mới» đã bị xóa; hãy chọn lại.")
    assert len(unit_service.list_units(workspace)) == 1


def test_a_unit_keeps_a_hamlet_removed_after_it_was_linked(workspace: Workspace) -> None:
    extra = add_hamlet(workspace, "Ấp Mới")
    unit_id = unit_service.create_unit(workspace, UnitInput("HTX Ấp Mới", UnitKind.COOPERATIVE, hamlet_id=extra))
    remove_hamlet(workspace, extra)
    unit_service.update_unit(workspace, unit_id, unit_service.unit_input(workspace, unit_id))
    (row,) = unit_service.list_units(workspace)
    assert (row.hamlet_id, row.hamlet_name) == (extra, "Ấp Mới")


# -- hamlets as communities ---------------------------------------------------------------------------


def test_hamlet_communities_count_households_members_clans_and_units(workspace: Workspace) -> None:
    ids = hamlet_ids(workspace)
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    household_service.add_member(workspace, a, MemberInput("Nguyễn Thị Mai"))
    household(workspace, "00002", "Trần Văn Bảy")
    gone = household(workspace, "00003", "Lê Văn Tám")
    household_service.delete_household(workspace, gone)
    household(workspace, "00004", "Võ Thị Sáu", "Ấp Phước Lợi")
    clan(workspace, "Họ Nguyễn", ("Ấp Vĩnh Thạnh", "Ấp Phước Lợi"))
    binned = clan(workspace, "Họ Lê", ("Ấp Vĩnh Thạnh",))
    clan_service.delete_clan(workspace, binned)
    unit_service.create_unit(workspace, UnitInput("Trường Mầm non", UnitKind.SCHOOL, hamlet_id=ids["Ấp Vĩnh Thạnh"]))
    unit_service.create_unit(workspace, UnitInput("Ủy ban nhân dân xã", UnitKind.AGENCY))

    rows = hamlet_register.list_hamlet_communities(workspace)
    assert [(r.name, r.household_count, r.member_count, r.clan_count, r.unit_count) for r in rows] == [
        ("Ấp Vĩnh Thạnh", 2, 3, 1, 1),
        ("Ấp Phước Lợi", 1, 1, 1, 0),
        ("Ấp Đông Điền", 0, 0, 0, 0),
    ]


def test_a_hamlets_leader_and_note_are_edited_audited_and_undone(workspace: Workspace) -> None:
    hamlet_id = hamlet_ids(workspace)["Ấp Phước Lợi"]
    hamlet_register.update_hamlet_details(workspace, hamlet_id, " Huỳnh  Văn Nghĩa ", "Ấp văn hóa 2024")
    (row,) = hamlet_register.list_hamlet_communities(workspace, [hamlet_id])
    assert (row.leader_name, row.note) == ("Huỳnh Văn Nghĩa", "Ấp văn hóa 2024")
    assert matches(row.search_key, "huynh van nghia")
    assert audit(workspace, "hamlet")[-1] == "Sửa thông tin ấp «Ấp Phước Lợi»"
    workspace.history.undo(workspace)
    (row,) = hamlet_register.list_hamlet_communities(workspace, [hamlet_id])
    assert (row.leader_name, row.note) == ("", "")


def test_a_removed_hamlets_details_cannot_be_edited(workspace: Workspace) -> None:
    extra = add_hamlet(workspace, "Ấp Mới")
    remove_hamlet(workspace, extra)
    with pytest.raises(UserError, match="Ấp «Ấp Mới» đã bị xóa khỏi danh sách ấp"):
        hamlet_register.update_hamlet_details(workspace, extra, "Ai đó", "")


def test_the_hamlet_form_saves_name_and_details_as_one_change(workspace: Workspace) -> None:
    added = hamlet_register.save_hamlet(workspace, None, " Khu phố  3 ", "Lê Văn Hai", "")
    (row,) = hamlet_register.list_hamlet_communities(workspace, [added])
    assert (row.name, row.leader_name) == ("Khu phố 3", "Lê Văn Hai")
    assert workspace.history.undo_label == "Thêm ấp «Khu phố 3»"

    hamlet_register.save_hamlet(workspace, added, "Khu phố Ba", "Lê Văn Ba", "Khu phố văn hóa")
    assert workspace.history.undo_label == "Đổi tên ấp thành «Khu phố Ba», sửa trưởng ấp, ghi chú"
    before = len(audit(workspace, "hamlet"))
    hamlet_register.save_hamlet(workspace, added, "Khu phố Ba", "Lê Văn Ba", "Khu phố văn hóa")  # nothing changed
    assert len(audit(workspace, "hamlet")) == before
    with pytest.raises(ValidationError, match="trùng với ấp «Ấp Phước Lợi»"):
        hamlet_register.save_hamlet(workspace, added, "ap phuoc loi", "Ai đó", "")

    workspace.history.undo(workspace)  # the rename and the details together
    (row,) = hamlet_register.list_hamlet_communities(workspace, [added])
    assert (row.name, row.leader_name, row.note) == ("Khu phố 3", "Lê Văn Hai", "")
    workspace.history.undo(workspace)  # the hamlet and its leader together
    assert "Khu phố 3" not in [h.name for h in list_hamlets(workspace)]


def test_links_are_stored_as_json_lists(workspace: Workspace) -> None:
    """Clans travel in packages with their links: the stored columns are plain JSON lists of ids."""
    a = household(workspace, "00001", "Nguyễn Văn Đức")
    clan_id = clan(workspace, household_ids=(a,))
    with session_scope(workspace.engine) as session:
        stored = session.get_one(Clan, clan_id)
    assert json.loads(stored.household_ids) == [a]
    assert json.loads(stored.hamlet_ids) == [hamlet_ids(workspace)["Ấp Vĩnh Thạnh"]]
