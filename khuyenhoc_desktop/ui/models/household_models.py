"""Table models of the households register: households, the selected household's members, the recycle bin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from khuyenhoc_desktop.domain.household import (
    LEARNING_STATUS_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    format_phone,
)
from khuyenhoc_desktop.domain.text import format_local_time
from khuyenhoc_desktop.services.deleted import DeletedRecord
from khuyenhoc_desktop.services.households import HouseholdRow, MemberRow
from khuyenhoc_desktop.ui.models.table_model import Column, RowTableModel, SearchableModel, year_text


class HouseholdsModel(SearchableModel[HouseholdRow]):
    COL_CODE, COL_HEAD, COL_HAMLET, COL_ADDRESS, COL_MEMBERS, COL_PHONE, COL_NOTE = range(7)
    COLUMNS = (
        Column[HouseholdRow]("Mã hộ", lambda r: r.code, lambda r: r.code, width=80),
        Column[HouseholdRow](
            "Chủ hộ",
            lambda r: r.head_name,
            lambda r: r.head_sort,
            tooltip="Xếp theo tên, rồi họ và tên đệm",
            width=200,
        ),
        Column[HouseholdRow]("Ấp", lambda r: r.hamlet_name, width=140),
        Column[HouseholdRow]("Địa chỉ", lambda r: r.address, width=240),
        Column[HouseholdRow](
            "Số nhân khẩu",
            lambda r: str(r.member_count),
            lambda r: r.member_count,
            align_right=True,
            width=100,
        ),
        Column[HouseholdRow]("Điện thoại", lambda r: format_phone(r.phone), lambda r: r.phone, width=120),
        Column[HouseholdRow]("Ghi chú", lambda r: r.note),
    )

    def set_hamlet_query(self, text: str, hamlet_id: str = "") -> None:
        """Search as you type within one hamlet (or all when `hamlet_id` is empty)."""
        if hamlet_id:
            self.set_query(text, lambda row: row.hamlet_id == hamlet_id, hamlet_id)
        else:
            self.set_query(text)


class MembersModel(RowTableModel[MemberRow]):
    """Edited in place; `commit(member, field, value)` saves through the service and says whether it did."""

    COL_NAME, COL_BIRTH_YEAR, COL_SEX, COL_RELATION, COL_SCHOOL, COL_STATUS = range(6)
    COLUMNS = (
        Column[MemberRow]("Họ tên", lambda r: r.full_name, lambda r: r.name_sort, field="full_name", width=200),
        Column[MemberRow](
            "Năm sinh",
            lambda r: year_text(r.birth_year),
            lambda r: r.birth_year or 0,
            field="birth_year",
            align_right=True,
            width=90,
        ),
        Column[MemberRow]("Giới tính", lambda r: SEX_LABELS.get(r.sex, r.sex), field="sex", width=80),
        Column[MemberRow](
            "Quan hệ với chủ hộ",
            lambda r: RELATION_LABELS.get(r.relation, r.relation),
            field="relation",
            width=150,
        ),
        Column[MemberRow]("Trường/lớp đang học", lambda r: r.school, field="school", width=260),
        Column[MemberRow](
            "Tình trạng học tập",
            lambda r: LEARNING_STATUS_LABELS.get(r.learning_status, r.learning_status),
            field="learning_status",
        ),
    )

    def __init__(self, commit: Callable[[MemberRow, str, Any], bool]) -> None:
        super().__init__()
        self._commit = commit

    def editable(self, row: MemberRow) -> bool:
        return True

    def edit_value(self, row: MemberRow, column: Column[Any]) -> Any:
        return getattr(row, column.field) if column.field else column.display(row)

    def edit(self, row: MemberRow, field: str, value: Any) -> bool:
        if getattr(row, field) == value:
            return False
        return self._commit(row, field, value)


class RecycleBinModel(RowTableModel[DeletedRecord]):
    COLUMNS = (
        Column[DeletedRecord]("Loại", lambda r: r.kind_label, width=110),
        Column[DeletedRecord]("Bản ghi", lambda r: r.label, width=300),
        Column[DeletedRecord]("Thuộc", lambda r: r.detail, width=200),
        Column[DeletedRecord]("Thời điểm xóa", lambda r: format_local_time(r.deleted_at), lambda r: r.deleted_at),
    )
