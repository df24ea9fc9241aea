"""The study-promotion fund ledger (sổ quỹ khuyến học): receipts and payments of whole VND, each on a voucher
(phiếu thu, phiếu chi), and the running balance that the fund's cash book shows after every line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from khuyenhoc_desktop.domain.dates import check_day
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, format_vnd, nfc

MAX_AMOUNT = 1_000_000_000_000  # a commune fund never moves a thousand billion at once: a typing slip
MAX_VOUCHER_LENGTH = 30
MAX_TEXT_LENGTH = 200


class Direction(StrEnum):
    THU = "thu"
    CHI = "chi"


DIRECTION_LABELS: dict[str, str] = {Direction.THU: "Thu", Direction.CHI: "Chi"}
VOUCHER_NAMES: dict[str, str] = {Direction.THU: "phiếu thu", Direction.CHI: "phiếu chi"}
VOUCHER_PREFIXES: dict[str, str] = {Direction.THU: "PT", Direction.CHI: "PC"}


class ReceiptCategory(StrEnum):
    DONATION = "quyen_gop"
    MEMBER_FEE = "hoi_phi"
    PIGGY_BANK = "heo_dat"
    BUDGET = "ngan_sach"
    INTEREST = "lai"
    OTHER = "khac"


class PaymentCategory(StrEnum):
    SCHOLARSHIP = "hoc_bong"
    GIFT = "qua"
    REWARD = "khen_thuong"
    LEARNING_CENTRE = "trung_tam"
    OTHER = "khac"


RECEIPT_CATEGORY_LABELS: dict[str, str] = {
    ReceiptCategory.DONATION: "Quyên góp, ủng hộ",
    ReceiptCategory.MEMBER_FEE: "Hội phí",
    ReceiptCategory.PIGGY_BANK: "Heo đất",
    ReceiptCategory.BUDGET: "Ngân sách",
    ReceiptCategory.INTEREST: "Lãi tiền gửi",
    ReceiptCategory.OTHER: "Khác",
}

PAYMENT_CATEGORY_LABELS: dict[str, str] = {
    PaymentCategory.SCHOLARSHIP: "Học bổng",
    PaymentCategory.GIFT: "Quà tặng",
    PaymentCategory.REWARD: "Khen thưởng",
    PaymentCategory.LEARNING_CENTRE: "Hoạt động trung tâm học tập cộng đồng",
    PaymentCategory.OTHER: "Khác",
}

# "khac" is both a receipt and a payment category: the direction says which list a code belongs to.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    Direction.THU: RECEIPT_CATEGORY_LABELS,
    Direction.CHI: PAYMENT_CATEGORY_LABELS,
}

LEDGER_FIELD_LABELS: dict[str, str] = {
    "entry_on": "Ngày",
    "direction": "Loại phiếu",
    "category": "Nội dung",
    "counterpart": "Người nộp / người nhận",
    "amount": "Số tiền",
    "voucher_no": "Số phiếu",
    "note": "Ghi chú",
}

COUNTERPART_LABELS: dict[str, str] = {Direction.THU: "Người nộp tiền", Direction.CHI: "Người nhận tiền"}


@dataclass(frozen=True)
class LedgerInput:
    entry_on: date
    direction: str
    category: str
    counterpart: str
    amount: int
    note: str = ""
    voucher_no: str = ""  # "" takes the next free number of the year


class Movement(Protocol):
    """Anything with a direction and an amount: an input, a stored entry, a row read back."""

    @property
    def direction(self) -> str: ...

    @property
    def amount(self) -> int: ...


def category_label(direction: str, category: str) -> str:
    return CATEGORY_LABELS.get(direction, {}).get(category, category)


def entry_record(direction: str, voucher_no: str) -> str:
    """ "Phiếu chi PC-2025-007", or "Phiếu thu mới" before it has a number."""
    name = VOUCHER_NAMES.get(direction, "phiếu")
    return f"{name.capitalize()} {voucher_no}" if voucher_no else f"{name.capitalize()} mới"


def signed(entry: Movement) -> int:
    """What a line does to the fund: a receipt adds, a payment takes away."""
    return entry.amount if entry.direction == Direction.THU else -entry.amount


_DIGIT_RUNS = re.compile(r"(\d+)")


def voucher_sort_key(voucher_no: str) -> tuple[str | int, ...]:
    """Numbers in a voucher by value, so PT-2025-1000 comes after PT-2025-999 (texts at even places, numbers
    at odd ones, so two keys always compare like with like)."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGIT_RUNS.split(voucher_no)))


def running_balances(entries: Iterable[Movement], opening: int = 0) -> list[int]:
    """The balance after each entry, in the order given (the ledger's order: date, then voucher)."""
    balances: list[int] = []
    balance = opening
    for entry in entries:
        balance += signed(entry)
        balances.append(balance)
    return balances


def clean_entry(data: LedgerInput, today: date) -> LedgerInput:
    """Normalise and check one ledger line; raises ValidationError naming the voucher and the field."""
    voucher_no = nfc(data.voucher_no).upper()
    record = entry_record(data.direction, voucher_no)
    labels = LEDGER_FIELD_LABELS
    if data.direction not in CATEGORY_LABELS:
        raise ValidationError(record, "direction", labels["direction"], f"giá trị «{data.direction}» không hợp lệ.")
    categories = CATEGORY_LABELS[data.direction]
    if not data.category:
        raise ValidationError(
            record, "category", labels["category"], f"chưa chọn nội dung {VOUCHER_NAMES[data.direction]}."
        )
    if data.category not in categories:
        raise ValidationError(
            record,
            "category",
            labels["category"],
            f"«{data.category}» không phải nội dung của {VOUCHER_NAMES[data.direction]}.",
        )
    check_day(data.entry_on, today, record, "entry_on", labels["entry_on"])  # money moved, not planned
    if data.amount <= 0:
        raise ValidationError(record, "amount", labels["amount"], "số tiền phải lớn hơn 0.")
    if data.amount > MAX_AMOUNT:
        raise ValidationError(record, "amount", labels["amount"], f"không quá {format_vnd(MAX_AMOUNT)}.")
    if len(voucher_no) > MAX_VOUCHER_LENGTH:
        raise ValidationError(record, "voucher_no", labels["voucher_no"], f"dài quá {MAX_VOUCHER_LENGTH} ký tự.")
    counterpart = nfc(data.counterpart)
    if len(counterpart) > MAX_TEXT_LENGTH:
        raise ValidationError(record, "counterpart", labels["counterpart"], f"dài quá {MAX_TEXT_LENGTH} ký tự.")
    return replace(data, counterpart=counterpart, voucher_no=voucher_no, note=nfc(data.note))


def ledger_search_text(direction: str, category: str, voucher_no: str, counterpart: str, note: str) -> str:
    """The stored folded text the ledger searches in ("hoc bong" finds every scholarship payment)."""
    return fold(
        " ".join(
            (voucher_no, DIRECTION_LABELS.get(direction, ""), category_label(direction, category), counterpart, note)
        )
    )
