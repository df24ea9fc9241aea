"""The hamlets as communities (Cộng đồng học tập cấp thôn, ấp): who leads each and what it holds.

Adding, renaming and removing a hamlet follow services/profile.py (the Settings dialog uses them too);
this register adds the community's own details and the figures an officer checks before evaluating it, and
saves its form (name and details) as one change.
"""

from __future__ import annotations

from dataclasses import dataclass

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import fold, name_sort_key, nfc
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.clans import select_rows
from khuyenhoc_desktop.services.profile import add_hamlet_in, rename_hamlet_in
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.tables import Hamlet, utc_now

HAMLET_FIELD_LABELS: dict[str, str] = {
    "name": "Tên ấp",
    "leader_name": "Trưởng ấp",
    "note": "Ghi chú",
}


@dataclass(frozen=True, slots=True)
class HamletCommunityRow:
    id: str
    name: str
    leader_name: str
    household_count: int
    member_count: int
    clan_count: int  # live clans covering the hamlet (a clan of three hamlets counts in each)
    unit_count: int
    note: str
    position: int
    search_key: str
    leader_sort: str


_SELECT_SQL = """
SELECT h.id, h.name, h.leader_name,
       (SELECT count(*) FROM household hh WHERE hh.hamlet_id = h.id AND hh.deleted_at IS NULL),
       (SELECT count(*) FROM household hh JOIN member m ON m.household_id = hh.id
        WHERE hh.hamlet_id = h.id AND hh.deleted_at IS NULL AND m.deleted_at IS NULL),
       (SELECT count(*) FROM clan c WHERE c.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM json_each(c.hamlet_ids) j WHERE j.value = h.id)),
       (SELECT count(*) FROM unit u WHERE u.hamlet_id = h.id AND u.deleted_at IS NULL),
       h.note, h.position
FROM hamlet h
"""


def list_hamlet_communities(workspace: Workspace, ids: list[str] | None = None) -> list[HamletCommunityRow]:
    """Every live hamlet (or just `ids`) with its counts, in the order set up in Settings."""
    rows = [
        HamletCommunityRow(
            id=hid,
            name=name,
            leader_name=leader,
            household_count=households,
            member_count=members,
            clan_count=clans,
            unit_count=units,
            note=note,
            position=position,
            search_key=fold(f"{name} {leader} {note}"),
            leader_sort=name_sort_key(leader),
        )
        for hid, name, leader, households, members, clans, units, note, position in select_rows(
            workspace, _SELECT_SQL, "h", False, ids
        )
    ]
    return sorted(rows, key=lambda r: (r.position, r.name))


def _live_hamlet(change: Recorder, hamlet_id: str) -> Hamlet:
    hamlet = change.session.get_one(Hamlet, hamlet_id)
    if hamlet.deleted_at is not None:
        raise UserError(f"Ấp «{hamlet.name}» đã bị xóa khỏi danh sách ấp; hãy thêm lại ấp trước.")
    return hamlet


def _set_details(change: Recorder, hamlet: Hamlet, leader_name: str, note: str) -> None:
    change.touch(hamlet)
    hamlet.leader_name, hamlet.note, hamlet.updated_at = nfc(leader_name), nfc(note), utc_now()


def update_hamlet_details(workspace: Workspace, hamlet_id: str, leader_name: str, note: str) -> None:
    """The leader (trưởng ấp) and a note; the name changes through `save_hamlet` or services.profile."""
    with record_change(workspace, "Sửa thông tin ấp") as change:
        hamlet = _live_hamlet(change, hamlet_id)
        _set_details(change, hamlet, leader_name, note)
        change.label = f"Sửa thông tin ấp «{hamlet.name}»"


def save_hamlet(workspace: Workspace, hamlet_id: str | None, name: str, leader_name: str, note: str) -> str:
    """The hamlet form: add a hamlet (None) or change one, its name and details as one change (one Ctrl+Z);
    what is unchanged is not written. The name follows the Settings rules (services.profile). Returns the id."""
    with record_change(workspace, "Sửa thông tin ấp") as change:
        if hamlet_id is None:
            hamlet = add_hamlet_in(change, name)
            if nfc(leader_name) or nfc(note):
                _set_details(change, hamlet, leader_name, note)
            change.label = f"Thêm ấp «{hamlet.name}»"
            return hamlet.id
        hamlet = _live_hamlet(change, hamlet_id)
        said = []
        if nfc(name) != hamlet.name:
            said.append(f"Đổi tên ấp thành «{rename_hamlet_in(change, hamlet_id, name).name}»")
        if (nfc(leader_name), nfc(note)) != (hamlet.leader_name, hamlet.note):
            _set_details(change, hamlet, leader_name, note)
            said.append("sửa trưởng ấp, ghi chú" if said else f"Sửa thông tin ấp «{hamlet.name}»")
        change.label = ", ".join(said) or f"Sửa thông tin ấp «{hamlet.name}»"
    return hamlet.id
