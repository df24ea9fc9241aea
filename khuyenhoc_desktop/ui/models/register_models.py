"""Table models of the clans, units and hamlets registers, and of the household picker in the clan form."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from khuyenhoc_desktop.domain.household import format_phone
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services.clans import ClanRow
from khuyenhoc_desktop.services.hamlet_register import HamletCommunityRow
from khuyenhoc_desktop.services.households import HouseholdRow
from khuyenhoc_desktop.services.units import UnitRow
from khuyenhoc_desktop.ui.models.table_model import Column, SearchableModel, count_column

R = TypeVar("R")


class ClansModel(SearchableModel[ClanRow]):
    COL_NAME, COL_REPRESENTATIVE, COL_HAMLETS, COL_HOUSEHOLDS, COL_NOTE = range(5)
    COLUMNS = (
        Column[ClanRow](
            "Tên dòng họ",
            lambda r: r.name,
            lambda r: r.name_sort,
            tooltip="Xếp theo họ, bỏ qua chữ «Họ», «Dòng họ» ở đầu",
            width=220,
        ),
        Column[ClanRow](
            "Người đại diện",
            lambda r: r.representative,
            lambda r: r.representative_sort,
            tooltip="Xếp theo tên, rồi họ và tên đệm",
            width=190,
        ),
        Column[ClanRow]("Các ấp", lambda r: r.hamlet_names, width=280),
        count_column("Số hộ thành viên", lambda r: r.household_count, width=120),
        Column[ClanRow]("Ghi chú", lambda r: r.note),
    )


class UnitsModel(SearchableModel[UnitRow]):
    COL_NAME, COL_KIND, COL_HEAD, COL_STAFF, COL_HAMLET, COL_PHONE, COL_ADDRESS, COL_NOTE = range(8)
    COLUMNS = (
        Column[UnitRow]("Tên đơn vị", lambda r: r.name, lambda r: r.name_sort, width=260),
        Column[UnitRow]("Loại", lambda r: r.kind_label, width=110),
        Column[UnitRow](
            "Người đứng đầu",
            lambda r: r.head_name,
            lambda r: r.head_sort,
            tooltip="Xếp theo tên, rồi họ và tên đệm",
            width=180,
        ),
        count_column(
            "Số CB, NV", lambda r: r.staff_count, width=90, tooltip="Số cán bộ, nhân viên (giáo viên, xã viên…)"
        ),
        Column[UnitRow]("Ấp", lambda r: r.hamlet_name or "Cả xã", width=140),
        Column[UnitRow]("Điện thoại", lambda r: format_phone(r.phone), lambda r: r.phone, width=120),
        Column[UnitRow]("Địa chỉ", lambda r: r.address, width=200),
        Column[UnitRow]("Ghi chú", lambda r: r.note),
    )


class HamletsModel(SearchableModel[HamletCommunityRow]):
    COL_NAME, COL_LEADER, COL_HOUSEHOLDS, COL_MEMBERS, COL_CLANS, COL_UNITS, COL_NOTE = range(7)
    COLUMNS = (
        Column[HamletCommunityRow]("Tên ấp", lambda r: r.name, width=180),
        Column[HamletCommunityRow](
            "Trưởng ấp",
            lambda r: r.leader_name,
            lambda r: r.leader_sort,
            tooltip="Xếp theo tên, rồi họ và tên đệm",
            width=190,
        ),
        count_column("Số hộ", lambda r: r.household_count, width=95),
        count_column("Số nhân khẩu", lambda r: r.member_count, width=95),
        count_column(
            "Số dòng họ",
            lambda r: r.clan_count,
            width=95,
            tooltip="Dòng họ có mặt ở ấp (một dòng họ có thể ở nhiều ấp)",
        ),
        count_column("Số đơn vị", lambda r: r.unit_count, width=95),
        Column[HamletCommunityRow]("Ghi chú", lambda r: r.note),
    )


@cache
def _folded(text: str) -> str:
    return fold(text)


class HouseholdPickModel(SearchableModel[HouseholdRow]):
    """Households to choose from (and those chosen) in the clan form, found by code, head or hamlet."""

    COL_CODE, COL_HEAD, COL_HAMLET = range(3)
    COLUMNS = (
        Column[HouseholdRow]("Mã hộ", lambda r: r.code, lambda r: r.code, width=64),
        Column[HouseholdRow]("Chủ hộ", lambda r: r.head_name, lambda r: r.head_sort, width=160),
        Column[HouseholdRow]("Ấp", lambda r: r.hamlet_name),
    )

    def search_text(self, row: HouseholdRow) -> str:
        return f"{row.search_key} {_folded(row.hamlet_name)}"
