"""The study-promotion fund ledger (sổ quỹ khuyến học): list with the running balance, add, edit, delete to the
recycle bin, restore, number the vouchers, sum up a year.

The ledger's order is the cash book's: by date, on one day receipts before payments (the cash is counted at the
end of the day, so money received that morning pays that afternoon's scholarships), then by voucher number.
A change that would take the fund below zero at any later point, or further below zero where it already was,
raises NegativeBalance unless the officer has agreed to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.ledger import (
    DIRECTION_LABELS,
    LEDGER_FIELD_LABELS,
    PAYMENT_CATEGORY_LABELS,
    RECEIPT_CATEGORY_LABELS,
    VOUCHER_NAMES,
    VOUCHER_PREFIXES,
    Direction,
    category_label,
    clean_entry,
    entry_record,
    ledger_search_text,
    running_balances,
    voucher_sort_key,
)
from khuyenhoc_desktop.domain.ledger import LedgerInput as LedgerInput  # the awards register posts through it
from khuyenhoc_desktop.domain.text import format_date, format_vnd
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Award, LedgerEntry, utc_now


class NegativeBalance(UserError):
    """The fund would go below zero; the officer may still record it (a payment advanced from elsewhere)."""

    def __init__(self, direction: str, voucher_no: str, entry_on: date, balance: int) -> None:
        self.direction = direction
        self.voucher_no = voucher_no
        self.entry_on = entry_on
        self.balance = balance
        super().__init__(
            f"Sau {VOUCHER_NAMES[direction]} {voucher_no} ngày {format_date(entry_on)} quỹ sẽ âm {format_vnd(-balance)}"
        )


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: str
    entry_on: date
    direction: str
    direction_label: str
    category: str
    category_label: str
    voucher_no: str
    counterpart: str
    amount: int
    receipt: int  # the amount on a receipt, else 0
    payment: int  # the amount on a payment, else 0
    balance: int  # after this line, over every live line of every year
    note: str
    search_key: str
    position: int  # place in the ledger's order: what the date column sorts by


@dataclass(frozen=True)
class LedgerSummary:
    year: int | None  # None: every year, opening from zero
    opening: int
    receipts: dict[str, int]  # by category, every category of the vocabulary in its order
    payments: dict[str, int]
    closing: int

    @property
    def total_receipts(self) -> int:
        return sum(self.receipts.values())

    @property
    def total_payments(self) -> int:
        return sum(self.payments.values())


def _order(entry: LedgerEntry) -> tuple[object, ...]:
    return (
        entry.entry_on,
        0 if entry.direction == Direction.THU else 1,
        voucher_sort_key(entry.voucher_no),
        entry.created_at,
        entry.id,
    )


def _live_entries(session: Session) -> list[LedgerEntry]:
    """Every live line in the ledger's order (one query; the running balance needs all of them)."""
    session.flush()
    return sorted(session.exec(select(LedgerEntry).where(col(LedgerEntry.deleted_at).is_(None))).all(), key=_order)


def _balances_by_id(entries: Sequence[LedgerEntry]) -> dict[str, int]:
    return {entry.id: after for entry, after in zip(entries, running_balances(entries), strict=True)}


def _refuse_negative(before: dict[str, int], after: list[LedgerEntry]) -> None:
    """The first line that would stand below zero, and lower than it stood before the change, is refused.

    A line new to the ledger is measured against the line before it: a receipt into a fund already below
    zero goes through, a payment out of it does not.
    """
    ordered = sorted(after, key=_order)
    previous = 0
    for entry, balance_after in zip(ordered, running_balances(ordered), strict=True):
        if balance_after < 0 and balance_after < before.get(entry.id, previous):
            raise NegativeBalance(entry.direction, entry.voucher_no, date.fromisoformat(entry.entry_on), balance_after)
        previous = balance_after


def next_voucher_no(session: Session, direction: str, year: int) -> str:
    """ "PT-2025-001", "PC-2025-014": one past the highest number of the year, binned vouchers included, so a
    voucher in the recycle bin can always come back under its own number."""
    prefix = f"{VOUCHER_PREFIXES[direction]}-{year}-"
    used = session.exec(
        select(LedgerEntry.voucher_no).where(
            LedgerEntry.direction == direction, col(LedgerEntry.voucher_no).startswith(prefix)
        )
    ).all()
    numbers = [int(rest) for rest in (voucher[len(prefix) :] for voucher in used) if rest.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def suggest_voucher_no(workspace: Workspace, direction: str, on: date) -> str:
    """The number a new voucher of that date would get (the form shows it before saving)."""
    with session_scope(workspace.engine) as session:
        return next_voucher_no(session, direction, on.year)


def _check_voucher_free(session: Session, direction: str, voucher_no: str, entry_id: str, record: str) -> None:
    """Checked before the line is written: the unique index would otherwise answer with an SQL error."""
    clash = session.exec(
        select(LedgerEntry).where(
            LedgerEntry.direction == direction,
            LedgerEntry.voucher_no == voucher_no,
            col(LedgerEntry.deleted_at).is_(None),
            LedgerEntry.id != entry_id,
        )
    ).first()
    if clash is not None:
        raise ValidationError(
            record,
            "voucher_no",
            LEDGER_FIELD_LABELS["voucher_no"],
            f"số {voucher_no} đã dùng cho {VOUCHER_NAMES[clash.direction]} ngày "
            f"{format_date(date.fromisoformat(clash.entry_on))} ({format_vnd(clash.amount)}).",
        )


def _numbered(session: Session, clean: LedgerInput, entry_id: str) -> LedgerInput:
    """The input with its voucher number: a blank one takes the next number of its year, if it is free."""
    numbered = (
        clean
        if clean.voucher_no
        else replace(clean, voucher_no=next_voucher_no(session, clean.direction, clean.entry_on.year))
    )
    record = entry_record(numbered.direction, numbered.voucher_no)
    _check_voucher_free(session, numbered.direction, numbered.voucher_no, entry_id, record)
    return numbered


def _fill(entry: LedgerEntry, clean: LedgerInput) -> None:
    entry.entry_on = clean.entry_on.isoformat()
    entry.direction = clean.direction
    entry.category = clean.category
    entry.voucher_no = clean.voucher_no
    entry.counterpart = clean.counterpart
    entry.amount = clean.amount
    entry.note = clean.note
    entry.search_key = ledger_search_text(
        clean.direction, clean.category, clean.voucher_no, clean.counterpart, clean.note
    )
    entry.updated_at = utc_now()


def add_entry_in(change: Recorder, data: LedgerInput, allow_negative: bool = False) -> LedgerEntry:
    """Write one line inside a change already open (an award posting its payment writes both together)."""
    clean = clean_entry(data, date.today())
    session = change.session
    before = _balances_by_id(_live_entries(session))
    entry = LedgerEntry(entry_on="", direction="", category="", voucher_no="", amount=0)
    _fill(entry, _numbered(session, clean, entry.id))
    change.add(entry)
    if not allow_negative:
        _refuse_negative(before, _live_entries(session))
    return entry


def _label(action: str, entry: LedgerEntry) -> str:
    return f"{action} {VOUCHER_NAMES[entry.direction]} {entry.voucher_no} ({format_vnd(entry.amount)})"


def create_entry(workspace: Workspace, data: LedgerInput, allow_negative: bool = False) -> str:
    with record_change(workspace, "Thêm phiếu") as change:
        entry = add_entry_in(change, data, allow_negative)
        change.label = _label("Thêm", entry)
    return entry.id


def _posting_award(session: Session, entry_id: str) -> Award | None:
    """The live scholarship or gift whose payment this line is, if the awards register posted it."""
    return session.exec(select(Award).where(Award.ledger_entry_id == entry_id, col(Award.deleted_at).is_(None))).first()


def update_entry_in(change: Recorder, entry_id: str, data: LedgerInput, allow_negative: bool = False) -> LedgerEntry:
    """Change one line in place (same id) inside a change already open: the awards register keeps a posted
    payment in step with its award this way, so no copy of the voucher is left in the recycle bin."""
    clean = clean_entry(data, date.today())
    session = change.session
    entry = session.get_one(LedgerEntry, entry_id)
    if not clean.voucher_no and clean.direction == entry.direction:
        clean = replace(clean, voucher_no=entry.voucher_no)  # a cleared number keeps the one it had
    numbered = _numbered(session, clean, entry.id)
    before = _balances_by_id(_live_entries(session))
    change.touch(entry)
    _fill(entry, numbered)
    if not allow_negative:
        _refuse_negative(before, _live_entries(session))
    return entry


def update_entry(workspace: Workspace, entry_id: str, data: LedgerInput, allow_negative: bool = False) -> None:
    """The officer's edit; the amount of a payment the awards register posted is changed at its award."""
    clean = clean_entry(data, date.today())
    with record_change(workspace, "Sửa phiếu") as change:
        entry = change.session.get_one(LedgerEntry, entry_id)
        award = _posting_award(change.session, entry_id)
        if award is not None and (clean.amount, clean.direction) != (entry.amount, entry.direction):
            raise ValidationError(
                entry_record(entry.direction, entry.voucher_no),
                "amount",
                LEDGER_FIELD_LABELS["amount"],
                f"phiếu này ghi từ phần thưởng của «{award.pupil_name}» ({format_vnd(entry.amount)}); "
                "hãy sửa số tiền ở sổ học bổng, quà tặng.",
            )
        change.label = _label("Sửa", update_entry_in(change, entry_id, clean, allow_negative))


def _check_removable(session: Session, entry: LedgerEntry, allow_negative: bool) -> None:
    if not allow_negative:
        live = _live_entries(session)
        _refuse_negative(_balances_by_id(live), [other for other in live if other.id != entry.id])


def remove_entry_in(change: Recorder, entry_id: str, allow_negative: bool = False) -> None:
    """Move one line to the recycle bin inside a change already open (its award is being deleted)."""
    entry = change.session.get_one(LedgerEntry, entry_id)
    if entry.deleted_at is not None:
        return
    _check_removable(change.session, entry, allow_negative)
    change.touch(entry)
    entry.deleted_at = utc_now()


def delete_entry(workspace: Workspace, entry_id: str, allow_negative: bool = False) -> None:
    """To the recycle bin; a payment the awards register posted goes with its award, not from here."""

    def check(session: Session, entry: LedgerEntry) -> None:
        award = _posting_award(session, entry.id)
        if award is not None:
            raise UserError(
                f"{entry_record(entry.direction, entry.voucher_no)} được ghi từ phần thưởng của «{award.pupil_name}»: "
                "hãy xóa phần thưởng đó ở sổ học bổng, quà tặng."
            )
        _check_removable(session, entry, allow_negative)

    move_to_bin(workspace, LedgerEntry, entry_id, lambda e: _label("Xóa", e), check)


def _check_restorable(session: Session, entry: LedgerEntry) -> None:
    record = entry_record(entry.direction, entry.voucher_no)
    award = session.exec(select(Award).where(Award.ledger_entry_id == entry.id)).first()
    if award is not None and award.deleted_at is not None:
        raise UserError(
            f"{record} được ghi từ phần thưởng của «{award.pupil_name}», đang ở thùng rác: hãy khôi phục phần thưởng."
        )
    try:
        _check_voucher_free(session, entry.direction, entry.voucher_no, entry.id, record)
    except ValidationError as error:
        what = f"{VOUCHER_NAMES[entry.direction]} {entry.voucher_no}"
        raise UserError(f"Không khôi phục được {what}: {error.message}") from error
    live = _live_entries(session)
    _refuse_negative(_balances_by_id(live), [*live, entry])


def restore_entry(workspace: Workspace, entry_id: str) -> None:
    take_from_bin(workspace, LedgerEntry, entry_id, lambda e: _label("Khôi phục", e), _check_restorable)


def restore_entry_in(change: Recorder, entry_id: str, allow_negative: bool = False) -> LedgerEntry:
    """Bring one line back from the recycle bin inside a change already open (its award is being restored).

    Its number is kept while free; one taken meanwhile by another voucher gives it the next free number of its
    year, since the payment it records was made all the same."""
    session = change.session
    entry = session.get_one(LedgerEntry, entry_id)
    if entry.deleted_at is None:
        return entry
    live = _live_entries(session)
    change.touch(entry)
    if any(other.direction == entry.direction and other.voucher_no == entry.voucher_no for other in live):
        entry.voucher_no = next_voucher_no(session, entry.direction, date.fromisoformat(entry.entry_on).year)
        entry.search_key = ledger_search_text(
            entry.direction, entry.category, entry.voucher_no, entry.counterpart, entry.note
        )
    entry.deleted_at = None
    entry.updated_at = utc_now()
    if not allow_negative:
        _refuse_negative(_balances_by_id(live), _live_entries(session))
    return entry


def ledger_input(workspace: Workspace, entry_id: str) -> LedgerInput:
    with session_scope(workspace.engine) as session:
        entry = session.get_one(LedgerEntry, entry_id)
    return LedgerInput(
        entry_on=date.fromisoformat(entry.entry_on),
        direction=entry.direction,
        category=entry.category,
        counterpart=entry.counterpart,
        amount=entry.amount,
        note=entry.note,
        voucher_no=entry.voucher_no,
    )


def _row(entry: LedgerEntry, balance_after: int, position: int) -> LedgerRow:
    receipt = entry.direction == Direction.THU
    return LedgerRow(
        id=entry.id,
        entry_on=date.fromisoformat(entry.entry_on),
        direction=entry.direction,
        direction_label=DIRECTION_LABELS.get(entry.direction, entry.direction),
        category=entry.category,
        category_label=category_label(entry.direction, entry.category),
        voucher_no=entry.voucher_no,
        counterpart=entry.counterpart,
        amount=entry.amount,
        receipt=entry.amount if receipt else 0,
        payment=0 if receipt else entry.amount,
        balance=balance_after,
        note=entry.note,
        search_key=entry.search_key,
        position=position,
    )


def list_entries(workspace: Workspace, year: int | None = None) -> list[LedgerRow]:
    """The ledger's lines in its order (one year's, or all), each with the balance after it counted from the
    very first line, so a year's first line carries the balance brought forward."""
    with session_scope(workspace.engine) as session:
        entries = _live_entries(session)
    rows = [
        _row(entry, after, position)
        for position, (entry, after) in enumerate(zip(entries, running_balances(entries), strict=True))
    ]
    return rows if year is None else [row for row in rows if row.entry_on.year == year]


def balance(workspace: Workspace, on: date | None = None) -> int:
    """The fund at the end of `on` (today's and every later line included when None)."""
    sql = (
        "SELECT coalesce(sum(CASE direction WHEN 'thu' THEN amount ELSE -amount END), 0) FROM ledger_entry "
        "WHERE deleted_at IS NULL AND (:on IS NULL OR entry_on <= :on)"
    )
    with session_scope(workspace.engine) as session:
        return int(session.execute(text(sql), {"on": on.isoformat() if on else None}).scalar_one())


def opening_balance(workspace: Workspace, year: int) -> int:
    """Tồn đầu năm: the balance carried in from the end of the year before."""
    return balance(workspace, date(year, 1, 1) - timedelta(days=1))


def year_summary(workspace: Workspace, year: int | None) -> LedgerSummary:
    """Tồn đầu, thu and chi by category, tồn cuối of one year (or of every year when None)."""
    sql = (
        "SELECT direction, category, sum(amount) FROM ledger_entry "
        "WHERE deleted_at IS NULL AND (:year IS NULL OR substr(entry_on, 1, 4) = :year) GROUP BY direction, category"
    )
    receipts = dict.fromkeys(RECEIPT_CATEGORY_LABELS, 0)
    payments = dict.fromkeys(PAYMENT_CATEGORY_LABELS, 0)
    with session_scope(workspace.engine) as session:
        found = session.execute(text(sql), {"year": None if year is None else f"{year:04d}"}).all()
    for direction, category, total in found:
        target = receipts if direction == Direction.THU else payments
        target[category] = target.get(category, 0) + int(total)
    opening = 0 if year is None else opening_balance(workspace, year)
    closing = opening + sum(receipts.values()) - sum(payments.values())
    return LedgerSummary(year, opening, receipts, payments, closing)


def _binned(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    with session_scope(workspace.engine) as session:
        entries = session.exec(select(LedgerEntry).where(col(LedgerEntry.deleted_at).isnot(None))).all()
    return [
        (
            entry.id,
            entry_record(entry.direction, entry.voucher_no),
            " — ".join(
                filter(
                    None,
                    (
                        format_date(date.fromisoformat(entry.entry_on)),
                        category_label(entry.direction, entry.category),
                        entry.counterpart,
                        format_vnd(entry.amount),
                    ),
                )
            ),
            entry.deleted_at or "",
        )
        for entry in sorted(entries, key=_order)
    ]


BIN_SOURCES = (BinSource("ledger_entry", "Phiếu thu, phiếu chi", _binned, restore_entry),)
