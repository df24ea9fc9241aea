"""Scholarships and gifts (học bổng, quà) and the ceremonies that hand them out: list, add, edit, delete to the
recycle bin, restore; and a cash award's payment out of the fund.

An award copies its pupil's name, birth year, household and hamlet from the register when the pupil is a
household member, so the printed list still names the child after the household moves on. A cash award with
"ghi chi quỹ" posts one payment voucher to the fund ledger in the same change, so Ctrl+Z and the recycle bin take
the award and its payment together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.awards import (
    AWARD_CATEGORY_LABELS,
    AWARD_FIELD_LABELS,
    AWARD_KIND_LABELS,
    AwardCategory,
    AwardEventInput,
    AwardInput,
    AwardKind,
    award_record,
    award_search_text,
    clean_award,
    clean_event,
    event_search_text,
    is_cash,
    learning_status_for,
    school_text,
    split_school,
)
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import MemberInput, Relation, Sex
from khuyenhoc_desktop.domain.ledger import Direction, LedgerInput, PaymentCategory
from khuyenhoc_desktop.domain.text import fold, format_count, format_date, format_vnd, name_sort_key, sort_key
from khuyenhoc_desktop.services import households, ledger
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Award, AwardEvent, Household, LedgerEntry, Member, utc_now


@dataclass(frozen=True, slots=True)
class AwardRow:
    id: str
    event_id: str | None
    event_name: str
    pupil_name: str
    birth_year: int | None
    member_id: str | None  # None: typed, not (yet) in the households register
    household_code: str
    hamlet_id: str | None
    hamlet_name: str
    school: str
    grade: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    value_vnd: int
    is_cash: bool
    sponsor: str
    school_year: str
    awarded_on: date
    recurring: bool
    ledger_entry_id: str | None  # the live payment voucher it posted, if any
    voucher_no: str
    note: str
    search_key: str  # stored key plus hamlet, household code and ceremony
    name_sort: str


@dataclass(frozen=True, slots=True)
class EventRow:
    id: str
    name: str
    held_on: date
    place: str
    sponsor: str
    school_year: str
    note: str
    award_count: int  # live awards
    cash_total: int
    in_kind_total: int
    search_key: str
    name_sort: str

    @property
    def total(self) -> int:
        return self.cash_total + self.in_kind_total


_AWARDS_SQL = """
SELECT a.id, a.event_id, coalesce(e.name, ''), a.pupil_name, a.birth_year, a.member_id, coalesce(h.code, ''),
       a.hamlet_id, coalesce(ha.name, ''), a.school, a.grade, a.category, a.kind, a.value_vnd, a.sponsor,
       a.school_year, a.awarded_on, a.recurring, l.id, coalesce(l.voucher_no, ''), a.note, a.search_key,
       a.name_sort, a.deleted_at
FROM award a
LEFT JOIN award_event e ON e.id = a.event_id
LEFT JOIN household h ON h.id = a.household_id
LEFT JOIN hamlet ha ON ha.id = a.hamlet_id
LEFT JOIN ledger_entry l ON l.id = a.ledger_entry_id AND l.deleted_at IS NULL
WHERE (a.deleted_at IS NOT NULL) = :deleted
  AND (:year IS NULL OR substr(a.awarded_on, 1, 4) = :year)
  AND (:event_id IS NULL OR a.event_id = :event_id)
  AND (:ids IS NULL OR a.id IN (SELECT value FROM json_each(:ids)))
"""

_EVENTS_SQL = """
SELECT e.id, e.name, e.held_on, e.place, e.sponsor, e.school_year, e.note, e.search_key, count(a.id),
       coalesce(sum(CASE WHEN a.kind = :cash THEN a.value_vnd END), 0),
       coalesce(sum(CASE WHEN a.kind <> :cash THEN a.value_vnd END), 0), e.deleted_at
FROM award_event e
LEFT JOIN award a ON a.event_id = e.id AND a.deleted_at IS NULL
WHERE (e.deleted_at IS NOT NULL) = :deleted
  AND (:year IS NULL OR substr(e.held_on, 1, 4) = :year)
  AND (:ids IS NULL OR e.id IN (SELECT value FROM json_each(:ids)))
GROUP BY e.id
"""


def _params(deleted: bool, year: int | None, ids: list[str] | None, **more: Any) -> dict[str, Any]:
    return {
        "deleted": deleted,
        "year": None if year is None else f"{year:04d}",
        "ids": None if ids is None else json.dumps(ids),
        **more,
    }


def _read_awards(
    workspace: Workspace,
    deleted: bool = False,
    year: int | None = None,
    event_id: str | None = None,
    ids: list[str] | None = None,
) -> list[tuple[AwardRow, str | None]]:
    with session_scope(workspace.engine) as session:
        found = session.execute(text(_AWARDS_SQL), _params(deleted, year, ids, event_id=event_id)).all()
    result = []
    for (
        award_id, event_id_, event_name, pupil_name, birth_year, member_id, household_code, hamlet_id, hamlet_name,
        school, grade, category, kind, value, sponsor, school_year, awarded_on, recurring, entry_id, voucher_no,
        note, key, name_sort, deleted_at,
    ) in found:  # fmt: skip
        row = AwardRow(
            id=award_id,
            event_id=event_id_,
            event_name=event_name,
            pupil_name=pupil_name,
            birth_year=birth_year,
            member_id=member_id,
            household_code=household_code,
            hamlet_id=hamlet_id,
            hamlet_name=hamlet_name,
            school=school,
            grade=grade,
            category=category,
            category_label=AWARD_CATEGORY_LABELS.get(category, category),
            kind=kind,
            kind_label=AWARD_KIND_LABELS.get(kind, kind),
            value_vnd=value,
            is_cash=is_cash(kind),
            sponsor=sponsor,
            school_year=school_year,
            awarded_on=date.fromisoformat(awarded_on),
            recurring=bool(recurring),
            ledger_entry_id=entry_id,
            voucher_no=voucher_no,
            note=note,
            search_key=f"{key} {fold(hamlet_name)} {household_code} {fold(event_name)} {fold(voucher_no)}",
            name_sort=name_sort,
        )
        result.append((row, deleted_at))
    return sorted(result, key=lambda pair: (pair[0].awarded_on, pair[0].name_sort))


def list_awards(
    workspace: Workspace, year: int | None = None, event_id: str | None = None, ids: list[str] | None = None
) -> list[AwardRow]:
    """Live awards of a calendar year and/or a ceremony (or just `ids`), in one query, by date then given name."""
    return [row for row, _ in _read_awards(workspace, year=year, event_id=event_id, ids=ids)]


def _read_events(
    workspace: Workspace, deleted: bool = False, year: int | None = None, ids: list[str] | None = None
) -> list[tuple[EventRow, str | None]]:
    with session_scope(workspace.engine) as session:
        found = session.execute(text(_EVENTS_SQL), _params(deleted, year, ids, cash=AwardKind.CASH.value)).all()
    result = [
        (
            EventRow(
                id=event_id,
                name=name,
                held_on=date.fromisoformat(held_on),
                place=place,
                sponsor=sponsor,
                school_year=school_year,
                note=note,
                award_count=count,
                cash_total=int(cash),
                in_kind_total=int(in_kind),
                search_key=key,
                name_sort=sort_key(name),
            ),
            deleted_at,
        )
        for event_id, name, held_on, place, sponsor, school_year, note, key, count, cash, in_kind, deleted_at in found
    ]
    return sorted(result, key=lambda pair: (pair[0].held_on, pair[0].name_sort), reverse=True)


def list_events(workspace: Workspace, year: int | None = None, ids: list[str] | None = None) -> list[EventRow]:
    """Live ceremonies of a calendar year (or all, or just `ids`), newest first, with their awards counted."""
    return [row for row, _ in _read_events(workspace, year=year, ids=ids)]


def member_school(workspace: Workspace, member_id: str) -> tuple[str, str]:
    """School and class of a household member, as the award form fills them once the pupil is picked."""
    with session_scope(workspace.engine) as session:
        member = session.get_one(Member, member_id)
    return split_school(member.school)


# -- awards ------------------------------------------------------------------------------------------------


def _live_award(session: Session, award_id: str) -> Award:
    award = session.get(Award, award_id)
    if award is None or award.deleted_at is not None:
        raise UserError("Suất học bổng, quà này không còn trong sổ (đã bị xóa); hãy tải lại danh sách.")
    return award


def _live_entry(session: Session, entry_id: str | None) -> LedgerEntry | None:
    entry = session.get(LedgerEntry, entry_id) if entry_id else None
    return entry if entry is not None and entry.deleted_at is None else None


def award_input(workspace: Workspace, award_id: str) -> AwardInput:
    """The form's view of one award; "ghi chi quỹ" is ticked while its payment voucher is live."""
    with session_scope(workspace.engine) as session:
        award = _live_award(session, award_id)
        posted = _live_entry(session, award.ledger_entry_id) is not None
    return AwardInput(
        pupil_name=award.pupil_name,
        category=award.category,
        kind=award.kind,
        value_vnd=award.value_vnd,
        awarded_on=date.fromisoformat(award.awarded_on),
        member_id=award.member_id,
        birth_year=award.birth_year,
        school=award.school,
        grade=award.grade,
        sponsor=award.sponsor,
        school_year=award.school_year,
        event_id=award.event_id,
        recurring=award.recurring,
        post_to_ledger=posted,
        note=award.note,
    )


def _with_pupil(session: Session, data: AwardInput, award: Award | None) -> tuple[AwardInput, Household | None]:
    """A register pupil's name and birth year come from the register; a blank school and class from the
    member's school field. A member removed since the award was made stays linked; a new link must be live."""
    if not data.member_id:
        return replace(data, member_id=None), None
    member = session.get(Member, data.member_id)
    household = session.get(Household, member.household_id) if member is not None else None
    kept = award is not None and award.member_id == data.member_id
    if (
        member is None
        or household is None
        or (not kept and (member.deleted_at is not None or household.deleted_at is not None))
    ):
        raise ValidationError(
            award_record(data.pupil_name),
            "pupil_name",
            AWARD_FIELD_LABELS["pupil_name"],
            "học sinh này không còn trong sổ hộ (đã bị xóa); hãy chọn lại hoặc gõ tên.",
        )
    school, grade = split_school(member.school)
    pupil = replace(
        data,
        pupil_name=member.full_name,
        birth_year=member.birth_year,
        school=data.school or school,
        grade=data.grade or grade,
    )
    return pupil, household


def _event_for(session: Session, event_id: str | None, award: Award | None, record: str) -> AwardEvent | None:
    if event_id is None:
        return None
    event = session.get(AwardEvent, event_id)
    kept = award is not None and award.event_id == event_id
    if event is None or (event.deleted_at is not None and not kept):
        raise ValidationError(
            record, "event_id", AWARD_FIELD_LABELS["event_id"], "lễ trao này không còn trong sổ; hãy chọn lại."
        )
    return event


def _payment(award: Award, event: AwardEvent | None) -> LedgerInput:
    """The payment voucher of a cash award. A cash gift outside the study categories ("Khác": a Tết gift, a
    visit) is a gift in the ledger; every other cash award is a scholarship."""
    category = PaymentCategory.GIFT if award.category == AwardCategory.OTHER else PaymentCategory.SCHOLARSHIP
    what = "Quà" if category == PaymentCategory.GIFT else "Học bổng"
    occasion = f" lễ «{event.name}»" if event is not None else f" năm học {award.school_year}"
    return LedgerInput(
        entry_on=date.fromisoformat(award.awarded_on),
        direction=Direction.CHI,
        category=category,
        counterpart=award.pupil_name,
        amount=award.value_vnd,
        note=f"{what}{occasion}",
    )


def _same_payment(entry: LedgerEntry, wanted: LedgerInput) -> bool:
    return (entry.entry_on, entry.category, entry.counterpart, entry.amount, entry.note) == (
        wanted.entry_on.isoformat(),
        wanted.category,
        wanted.counterpart,
        wanted.amount,
        wanted.note,
    )


def _sync_payment(change: Recorder, award: Award, event: AwardEvent | None, post: bool, allow_negative: bool) -> None:
    """Make the award's payment voucher what the award says: posted, changed in place (same voucher, same
    number) or taken back to the ledger's recycle bin."""
    entry = _live_entry(change.session, award.ledger_entry_id)
    if not post:
        if entry is not None:
            ledger.remove_entry_in(change, entry.id)
        award.ledger_entry_id = None  # a voucher taken back stays in the ledger's bin, no longer this award's
        return
    wanted = _payment(award, event)
    if entry is None:
        posted = ledger.add_entry_in(change, wanted, allow_negative)
        change.session.flush()  # the voucher is written before the award points at it
        award.ledger_entry_id = posted.id
    elif not _same_payment(entry, wanted):
        ledger.update_entry_in(change, entry.id, wanted, allow_negative)  # no number given: it keeps its own


def _write_award(
    workspace: Workspace, action: str, data: AwardInput, award_id: str | None, allow_negative: bool
) -> str:
    with record_change(workspace, action) as change:
        session = change.session
        award = None if award_id is None else _live_award(session, award_id)
        pupil, household = _with_pupil(session, data, award)
        event = _event_for(session, pupil.event_id or None, award, award_record(pupil.pupil_name))
        if event is not None:
            pupil = replace(
                pupil, sponsor=pupil.sponsor or event.sponsor, school_year=pupil.school_year or event.school_year
            )
        clean = clean_award(pupil, date.today())
        if clean.post_to_ledger and clean.awarded_on > date.today():
            raise ValidationError(
                award_record(clean.pupil_name),
                "post_to_ledger",
                AWARD_FIELD_LABELS["post_to_ledger"],
                f"ngày trao {format_date(clean.awarded_on)} chưa đến: hãy ghi chi quỹ khi đã trao.",
            )
        if award is None:
            award = Award(pupil_name="", category="", kind="", value_vnd=0, awarded_on="")
            change.add(award)
        else:
            change.touch(award)
        award.member_id = clean.member_id
        award.pupil_name, award.name_key, award.name_sort = (
            clean.pupil_name,
            fold(clean.pupil_name),
            name_sort_key(clean.pupil_name),
        )
        award.birth_year = clean.birth_year
        if household is not None:
            award.household_id, award.hamlet_id = household.id, household.hamlet_id
        elif clean.member_id is None:
            award.household_id = award.hamlet_id = None
        award.school, award.grade, award.category, award.kind = clean.school, clean.grade, clean.category, clean.kind
        award.value_vnd, award.sponsor, award.school_year = clean.value_vnd, clean.sponsor, clean.school_year
        award.awarded_on, award.event_id, award.recurring = (
            clean.awarded_on.isoformat(),
            clean.event_id,
            clean.recurring,
        )
        award.note = clean.note
        award.search_key = award_search_text(
            clean.pupil_name, clean.school, clean.grade, clean.category, clean.kind, clean.sponsor, clean.note
        )
        award.updated_at = utc_now()
        session.flush()
        _sync_payment(change, award, event, clean.post_to_ledger, allow_negative)
        what = f"suất {AWARD_KIND_LABELS[clean.kind].lower()} {format_vnd(clean.value_vnd)}"
        change.label = f"{action} {what} cho {clean.pupil_name}"
    return award.id


def create_award(workspace: Workspace, data: AwardInput, allow_negative: bool = False) -> str:
    """Record one award; a cash one with `post_to_ledger` posts its payment (NegativeBalance unless allowed)."""
    return _write_award(workspace, "Thêm", data, None, allow_negative)


def update_award(workspace: Workspace, award_id: str, data: AwardInput, allow_negative: bool = False) -> None:
    _write_award(workspace, "Sửa", data, award_id, allow_negative)


def _award_label(action: str, award: Award) -> str:
    return f"{action} suất {AWARD_KIND_LABELS.get(award.kind, award.kind).lower()} của {award.pupil_name}"


def delete_award(workspace: Workspace, award_id: str) -> None:
    """To the recycle bin, its payment voucher with it (one change: Ctrl+Z brings both back)."""
    with record_change(workspace, "Xóa") as change:
        award = _live_award(change.session, award_id)
        change.touch(award)
        award.deleted_at = utc_now()
        entry = _live_entry(change.session, award.ledger_entry_id)
        if entry is not None:
            ledger.remove_entry_in(change, entry.id)
        change.label = _award_label("Xóa", award)


def restore_award(workspace: Workspace, award_id: str, allow_negative: bool = False) -> None:
    """Back from the recycle bin. Its ceremony must be live; its payment voucher comes back with it (under its
    own number while free), so the ledger's bin cannot pay it a second time."""
    with record_change(workspace, "Khôi phục") as change:
        session = change.session
        award = session.get_one(Award, award_id)
        event = session.get(AwardEvent, award.event_id) if award.event_id else None
        if event is not None and event.deleted_at is not None:
            raise UserError(f"Lễ trao «{event.name}» của suất này đang ở thùng rác: hãy khôi phục lễ trao trước.")
        change.touch(award)
        award.deleted_at = None
        binned = session.get(LedgerEntry, award.ledger_entry_id) if award.ledger_entry_id else None
        if binned is not None and binned.deleted_at is not None:
            ledger.restore_entry_in(change, binned.id, allow_negative)
            _sync_payment(change, award, event, True, allow_negative)  # the ceremony may have been renamed since
        change.label = _award_label("Khôi phục", award)


def add_pupil_to_register(
    workspace: Workspace, award_id: str, household_id: str, relation: str = Relation.CHILD, sex: str = Sex.MALE
) -> str:
    """Put a typed pupil into a household as a member, and link the awards typed for that pupil (same name and
    birth year, not yet linked) to the new member, in one change (one Ctrl+Z takes both back). Returns the
    member's id."""
    with record_change(workspace, "Gắn học sinh với sổ hộ") as change:
        session = change.session
        award = _live_award(session, award_id)
        if award.member_id is not None:
            raise UserError(f"{award.pupil_name} đã có trong sổ hộ.")
        member = households.add_member_in(
            change,
            household_id,
            MemberInput(
                full_name=award.pupil_name,
                birth_year=award.birth_year,
                sex=sex,
                relation=relation,
                school=school_text(award.school, award.grade),
                learning_status=learning_status_for(award.grade, award.category),
            ),
        )
        household = session.get_one(Household, household_id)
        born = col(Award.birth_year).is_(None) if award.birth_year is None else Award.birth_year == award.birth_year
        same_pupil = session.exec(
            select(Award).where(
                col(Award.member_id).is_(None), Award.name_key == award.name_key, born, col(Award.deleted_at).is_(None)
            )
        ).all()
        for linked in same_pupil:
            change.touch(linked)
            linked.member_id, linked.household_id, linked.hamlet_id = member.id, household.id, household.hamlet_id
            linked.updated_at = utc_now()
        change.label = (
            f"Gắn {format_count(len(same_pupil))} suất học bổng, quà với {award.pupil_name} (hộ {household.code})"
        )
    return member.id


# -- ceremonies --------------------------------------------------------------------------------------------


def event_input(workspace: Workspace, event_id: str) -> AwardEventInput:
    with session_scope(workspace.engine) as session:
        event = session.get_one(AwardEvent, event_id)
    return AwardEventInput(
        name=event.name,
        held_on=date.fromisoformat(event.held_on),
        place=event.place,
        sponsor=event.sponsor,
        school_year=event.school_year,
        note=event.note,
    )


def _write_event(workspace: Workspace, action: str, data: AwardEventInput, event_id: str | None) -> str:
    clean = clean_event(data, date.today())
    with record_change(workspace, f"{action} lễ trao «{clean.name}»") as change:
        if event_id is None:
            event = AwardEvent(name=clean.name, held_on="")
            change.add(event)
        else:
            event = change.session.get_one(AwardEvent, event_id)
            change.touch(event)
        event.name, event.held_on, event.place = clean.name, clean.held_on.isoformat(), clean.place
        event.sponsor, event.school_year, event.note = clean.sponsor, clean.school_year, clean.note
        event.search_key = event_search_text(clean.name, clean.place, clean.sponsor, clean.school_year, clean.note)
        event.updated_at = utc_now()
    return event.id


def create_event(workspace: Workspace, data: AwardEventInput) -> str:
    return _write_event(workspace, "Thêm", data, None)


def update_event(workspace: Workspace, event_id: str, data: AwardEventInput) -> None:
    """Its awards keep their own date and sponsor: a ceremony moved to another day does not rewrite them."""
    _write_event(workspace, "Sửa", data, event_id)


def _check_no_live_awards(session: Session, event: AwardEvent) -> None:
    count = len(session.exec(select(Award.id).where(Award.event_id == event.id, col(Award.deleted_at).is_(None))).all())
    if count:
        raise UserError(
            f"Lễ trao «{event.name}» còn {format_count(count)} suất học bổng, quà: "
            "hãy xóa các suất đó (hoặc chuyển sang lễ khác) trước."
        )


def delete_event(workspace: Workspace, event_id: str) -> None:
    move_to_bin(workspace, AwardEvent, event_id, lambda e: f"Xóa lễ trao «{e.name}»", _check_no_live_awards)


def restore_event(workspace: Workspace, event_id: str) -> None:
    take_from_bin(workspace, AwardEvent, event_id, lambda e: f"Khôi phục lễ trao «{e.name}»")


def _binned_awards(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [
        (
            row.id,
            f"{row.pupil_name} — {row.kind_label} {format_vnd(row.value_vnd)}",
            " — ".join(filter(None, (format_date(row.awarded_on), row.event_name, row.household_code))),
            deleted_at or "",
        )
        for row, deleted_at in _read_awards(workspace, deleted=True)
    ]


def _binned_events(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [
        (row.id, row.name, " — ".join(filter(None, (format_date(row.held_on), row.place))), deleted_at or "")
        for row, deleted_at in _read_events(workspace, deleted=True)
    ]


BIN_SOURCES = (
    BinSource("award", "Học bổng, quà", _binned_awards, restore_award),
    BinSource("award_event", "Lễ trao học bổng, quà", _binned_events, restore_event),
)
