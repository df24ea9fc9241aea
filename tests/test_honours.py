"""Exemplary learning models and commendations: the rules, persons copied from the households register,
the year's counts, undo and the recycle bin."""

from __future__ import annotations

from datetime import date

import pytest

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.honours import HonourInput, HonourKind, HonourLevel, RecipientKind, clean_honour
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.services import honours
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.honours import BIN_SOURCES
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace

TODAY = date(2025, 12, 15)
MODEL, COMMENDATION = HonourKind.MODEL, HonourKind.COMMENDATION
COLLECTIVE, PERSON = RecipientKind.COLLECTIVE, RecipientKind.PERSON


def honour(recipient: str = "Chi hội khuyến học ấp Vĩnh Thạnh", **changes: object) -> HonourInput:
    values: dict[str, object] = {
        "kind": MODEL, "recipient_kind": COLLECTIVE, "recipient": recipient, "level": HonourLevel.PROVINCE,
        "issuer": "Hội Khuyến học tỉnh Tây Ninh", "decision_no": "15/QĐ-HKH", "honoured_on": date(2025, 11, 20),
    }  # fmt: skip
    values.update(changes)
    return HonourInput(**values)  # type: ignore[arg-type]


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def member_in(workspace: Workspace, name: str, hamlet: str = "Ấp Phước Lợi") -> str:
    household = household_service.create_household(
        workspace, HouseholdInput("00012", "Nguyễn Văn An", hamlet_id(workspace, hamlet))
    )
    return household_service.add_member(workspace, household, MemberInput(name, 1978, "nu", "vo_chong"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (honour(recipient=" "), "recipient", "Mô hình học tập tiêu biểu mới — ô «Người / tập thể được khen»: "
         "chưa nhập tên tập thể được khen."),
        (honour(recipient="", recipient_kind=PERSON, kind=COMMENDATION), "recipient",
         "Giấy khen mới — ô «Người / tập thể được khen»: chưa nhập họ tên người được khen."),
        (honour(level=""), "level", "ô «Cấp khen»: chưa chọn cấp khen."),
        (honour(recipient_kind="doan_the"), "recipient_kind", "ô «Đối tượng»: giá trị «doan_the» không hợp lệ."),
        (honour(honoured_on=date(2025, 12, 16)), "honoured_on",
         "ô «Ngày khen»: ngày 16/12/2025 nằm ngoài khoảng cho phép (01/01/2000 – 15/12/2025)."),
        (honour(decision_no="Số " * 20), "decision_no", "ô «Số quyết định»: dài quá 50 ký tự."),
    ],
)  # fmt: skip
def test_clean_honour_refuses_with_a_message_naming_record_and_field(
    data: HonourInput, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        clean_honour(data, TODAY)
    assert error.value.field == field
    assert message in str(error.value)


def test_a_collective_links_to_no_member() -> None:
    clean = clean_honour(honour(member_id="some-member", hamlet_id=" "), TODAY)
    assert (clean.member_id, clean.hamlet_id) == (None, None)


def test_levels_are_ordered_from_the_commune_up(workspace: Workspace) -> None:
    for level in (HonourLevel.CENTRAL, HonourLevel.COMMUNE, HonourLevel.PROVINCE, HonourLevel.DISTRICT):
        honours.create_honour(workspace, honour(f"Tập thể {level}", level=level), TODAY)
    rows = sorted(honours.list_honours(workspace), key=lambda r: r.level_rank)
    assert [r.level_label for r in rows] == ["Cấp xã", "Cấp huyện (cũ)", "Cấp tỉnh", "Trung ương"]


def test_a_person_picked_from_the_register_takes_name_and_hamlet_from_it(workspace: Workspace) -> None:
    member = member_in(workspace, "Trần Thị Mỹ Lệ")
    honour_id = honours.create_honour(
        workspace,
        honour("tran thi my le", kind=COMMENDATION, recipient_kind=PERSON, member_id=member, level=HonourLevel.COMMUNE),
        TODAY,
    )
    (row,) = honours.list_honours(workspace)
    assert (row.recipient, row.member_id, row.hamlet_name, row.recipient_kind_label) == (
        "Trần Thị Mỹ Lệ", member, "Ấp Phước Lợi", "Cá nhân",
    )  # fmt: skip
    assert workspace.history.undo_label == "Thêm giấy khen «Trần Thị Mỹ Lệ»"
    assert "phuoc loi" in row.search_key and "giay khen" in row.search_key

    # The member leaves the register: the honour keeps its copy and can still be edited.
    household_service.delete_member(workspace, member)
    honours.update_honour(
        workspace,
        honour_id,
        honour("Trần Thị Mỹ Lệ", kind=COMMENDATION, recipient_kind=PERSON, member_id=member,
               hamlet_id=hamlet_id(workspace, "Ấp Phước Lợi"), content="Gia đình học tập tiêu biểu"),
        TODAY,
    )  # fmt: skip
    (row,) = honours.list_honours(workspace)
    assert (row.recipient, row.hamlet_name, row.content) == (
        "Trần Thị Mỹ Lệ",
        "Ấp Phước Lợi",
        "Gia đình học tập tiêu biểu",
    )


def test_a_deleted_member_cannot_be_newly_picked(workspace: Workspace) -> None:
    member = member_in(workspace, "Trần Thị Mỹ Lệ")
    household_service.delete_member(workspace, member)
    with pytest.raises(ValidationError) as error:
        honours.create_honour(workspace, honour("Trần Thị Mỹ Lệ", recipient_kind=PERSON, member_id=member), TODAY)
    assert error.value.field == "recipient"
    assert "không còn trong sổ hộ" in error.value.message
    assert honours.list_honours(workspace) == []


def test_list_by_year_and_kind_and_the_year_counts(workspace: Workspace) -> None:
    vinh_thanh = hamlet_id(workspace, "Ấp Vĩnh Thạnh")
    honours.create_honour(workspace, honour(hamlet_id=vinh_thanh), TODAY)
    honours.create_honour(workspace, honour("Dòng họ Nguyễn Văn", honoured_on=date(2025, 1, 1)), TODAY)
    honours.create_honour(workspace, honour("Hộ ông Võ Văn Kiệt", honoured_on=date(2024, 12, 31)), TODAY)
    for name in ("Trường Tiểu học Phước Vĩnh Tây", "Ban nhân dân ấp Đông Điền"):
        honours.create_honour(workspace, honour(name, kind=COMMENDATION, level=HonourLevel.COMMUNE), TODAY)
    for name in ("Lê Văn Tám", "Đỗ Thị Ánh"):
        honours.create_honour(workspace, honour(name, kind=COMMENDATION, recipient_kind=PERSON), TODAY)

    assert honours.year_counts(workspace, 2025) == {
        ("mo_hinh", "tap_the"): 2, ("mo_hinh", "ca_nhan"): 0,
        ("giay_khen", "tap_the"): 2, ("giay_khen", "ca_nhan"): 2,
    }  # fmt: skip
    assert sum(honours.year_counts(workspace, 2024).values()) == 1
    assert len(honours.list_honours(workspace)) == 7
    assert [r.recipient for r in honours.list_honours(workspace, 2025, MODEL)] == [
        "Dòng họ Nguyễn Văn", "Chi hội khuyến học ấp Vĩnh Thạnh",
    ]  # fmt: skip
    persons = sorted(honours.list_honours(workspace, 2025, COMMENDATION), key=lambda r: r.recipient_sort)
    assert [r.recipient for r in persons] == [  # persons by given name, collectives from their first word
        "Đỗ Thị Ánh", "Ban nhân dân ấp Đông Điền", "Lê Văn Tám", "Trường Tiểu học Phước Vĩnh Tây",
    ]  # fmt: skip
    assert honours.honour_years(workspace) == [2025, 2024]


def test_delete_restore_undo_and_the_recycle_bin(workspace: Workspace) -> None:
    honour_id = honours.create_honour(workspace, honour(), TODAY)
    honours.delete_honour(workspace, honour_id)
    assert honours.list_honours(workspace) == []
    assert honours.year_counts(workspace, 2025)[("mo_hinh", "tap_the")] == 0
    (binned,) = BIN_SOURCES[0].records(workspace)
    assert (binned.kind_label, binned.label, binned.detail) == (
        "Mô hình, giấy khen", "Chi hội khuyến học ấp Vĩnh Thạnh", "Mô hình học tập tiêu biểu — 20/11/2025",
    )  # fmt: skip
    assert workspace.history.undo_label == "Xóa mô hình học tập tiêu biểu «Chi hội khuyến học ấp Vĩnh Thạnh»"

    BIN_SOURCES[0].restore(workspace, honour_id)
    assert [r.id for r in honours.list_honours(workspace)] == [honour_id]
    workspace.history.undo(workspace)
    workspace.history.undo(workspace)
    workspace.history.undo(workspace)  # restore, delete, create
    assert honours.list_honours(workspace) == [] and BIN_SOURCES[0].records(workspace) == []
