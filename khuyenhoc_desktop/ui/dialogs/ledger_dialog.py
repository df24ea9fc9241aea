"""A receipt or payment voucher of the fund: date, what for, who, how much (read back in words as it is
typed), the voucher number (the next free one, prefilled) and a note.

A voucher that would take the fund below zero is written only once the officer has agreed to it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from khuyenhoc_desktop.domain.dates import EARLIEST_DAY
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.ledger import (
    CATEGORY_LABELS,
    COUNTERPART_LABELS,
    LEDGER_FIELD_LABELS,
    MAX_AMOUNT,
    VOUCHER_NAMES,
    LedgerInput,
    entry_record,
)
from khuyenhoc_desktop.domain.text import amount_in_words
from khuyenhoc_desktop.services import ledger
from khuyenhoc_desktop.services.ledger import NegativeBalance
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui import messages
from khuyenhoc_desktop.ui.dialogs.record_form import RecordFormDialog, choice_box, select_data
from khuyenhoc_desktop.ui.widgets import AmountEdit, DateEdit


def words_for(amount: int | None) -> str:
    """What the form reads back under the amount."""
    if amount is None:
        return ""
    if amount > MAX_AMOUNT:
        return "Số tiền quá lớn"
    return amount_in_words(amount)


class LedgerDialog(RecordFormDialog):
    """`direction` is "thu" or "chi"; `saved_id` is set once the voucher is written."""

    def __init__(
        self,
        workspace: Workspace,
        direction: str,
        entry_id: str | None = None,
        default_on: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        name = VOUCHER_NAMES[direction]
        super().__init__(f"Sửa {name}" if entry_id else f"{name.capitalize()} mới", parent)
        self.workspace, self.direction, self.entry_id = workspace, direction, entry_id
        self.saved_id: str | None = None
        labels = LEDGER_FIELD_LABELS
        self.entry_on = DateEdit(default_on or date.today())
        self.entry_on.set_day_range(EARLIEST_DAY, date.today())
        self.category = choice_box(CATEGORY_LABELS[direction], first=("", f"— Chọn nội dung {name} —"))
        self.counterpart = QLineEdit()
        self.counterpart.setPlaceholderText(
            "Người, đơn vị nộp tiền" if direction == "thu" else "Người, đơn vị nhận tiền"
        )
        self.amount = AmountEdit()
        self.amount_words = QLabel()
        self.amount_words.setObjectName("amount_words")
        self.amount_words.setWordWrap(True)
        self.voucher_no = QLineEdit()
        self.voucher_no.setToolTip("Số kế tiếp của năm được điền sẵn; có thể sửa")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Diễn giải thêm, ví dụ: trao học bổng lễ khai giảng")
        self.add_field("entry_on", labels["entry_on"], self.entry_on, required=True)
        self.add_field("category", labels["category"], self.category, required=True)
        self.add_field("counterpart", COUNTERPART_LABELS[direction], self.counterpart)
        self.add_field("amount", f"{labels['amount']} (đồng)", self.amount, required=True)
        self.add_field("amount_words", "Bằng chữ", self.amount_words)
        self.add_field("voucher_no", labels["voucher_no"], self.voucher_no)
        self.add_field("note", labels["note"], self.note)

        self._suggested = ""
        self.amount.textChanged.connect(lambda _text: self.amount_words.setText(words_for(self.amount.value())))
        self.entry_on.dateChanged.connect(lambda _day: self._suggest_number())
        self._load()
        self.entry_on.setFocus()

    def _load(self) -> None:
        if self.entry_id is None:
            self._suggest_number()
            return
        data = ledger.ledger_input(self.workspace, self.entry_id)
        self.entry_on.set_day(data.entry_on)
        select_data(self.category, data.category)
        self.counterpart.setText(data.counterpart)
        self.amount.set_value(data.amount)
        self.voucher_no.setText(data.voucher_no)
        self.note.setText(data.note)

    def _suggest_number(self) -> None:
        """A new voucher gets the next number of its date's year, until the officer types one of their own."""
        if self.entry_id is not None or self.voucher_no.text() not in ("", self._suggested):
            return
        self._suggested = ledger.suggest_voucher_no(self.workspace, self.direction, self.entry_on.day())
        self.voucher_no.setText(self._suggested)

    def value(self) -> LedgerInput:
        return LedgerInput(
            entry_on=self.entry_on.day(),
            direction=self.direction,
            category=self.category.currentData() or "",
            counterpart=self.counterpart.text(),
            amount=self.amount.value() or 0,
            note=self.note.text(),
            voucher_no=self.voucher_no.text(),
        )

    def _save(self, data: LedgerInput, allow_negative: bool) -> None:
        if self.entry_id is None:
            self.saved_id = ledger.create_entry(self.workspace, data, allow_negative)
        else:
            ledger.update_entry(self.workspace, self.entry_id, data, allow_negative)
            self.saved_id = self.entry_id

    def write(self) -> None:
        data = self.value()
        try:
            self._save(data, allow_negative=False)
        except NegativeBalance as warning:
            if not messages.confirm(
                self,
                "Quỹ sẽ bị âm",
                f"{warning}.\nVẫn ghi {VOUCHER_NAMES[self.direction]} này?",
                yes="Vẫn ghi",
                no="Không ghi",
            ):
                raise ValidationError(
                    entry_record(self.direction, data.voucher_no.upper()),
                    "amount",
                    LEDGER_FIELD_LABELS["amount"],
                    f"chưa ghi: {warning}.",
                ) from warning
            self._save(data, allow_negative=True)
