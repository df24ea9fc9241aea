"""Exemplary learning models (mô hình học tập tiêu biểu) and commendations (giấy khen): who was honoured,
by which level, by what decision. Reports count them by kind and by collective or person."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from khuyenhoc_desktop.domain.dates import check_day
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, nfc

MAX_NAME_LENGTH = 200
MAX_DECISION_LENGTH = 50
MAX_CONTENT_LENGTH = 500


class HonourKind(StrEnum):
    MODEL = "mo_hinh"
    COMMENDATION = "giay_khen"


class RecipientKind(StrEnum):
    COLLECTIVE = "tap_the"
    PERSON = "ca_nhan"


class HonourLevel(StrEnum):
    """From the commune up; the order is the order of the levels."""

    COMMUNE = "xa"
    DISTRICT = "huyen"  # gone since 1 July 2025; kept for earlier records
    PROVINCE = "tinh"
    CENTRAL = "trung_uong"


HONOUR_KIND_LABELS: dict[str, str] = {
    HonourKind.MODEL: "Mô hình học tập tiêu biểu",
    HonourKind.COMMENDATION: "Giấy khen",
}

RECIPIENT_KIND_LABELS: dict[str, str] = {
    RecipientKind.COLLECTIVE: "Tập thể",
    RecipientKind.PERSON: "Cá nhân",
}

HONOUR_LEVEL_LABELS: dict[str, str] = {
    HonourLevel.COMMUNE: "Cấp xã",
    HonourLevel.DISTRICT: "Cấp huyện (cũ)",
    HonourLevel.PROVINCE: "Cấp tỉnh",
    HonourLevel.CENTRAL: "Trung ương",
}

LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(HonourLevel)}

HONOUR_FIELD_LABELS: dict[str, str] = {
    "kind": "Loại",
    "recipient_kind": "Đối tượng",
    "recipient": "Người / tập thể được khen",
    "member_id": "Người trong sổ hộ",
    "hamlet_id": "Ấp",
    "level": "Cấp khen",
    "issuer": "Cơ quan khen",
    "decision_no": "Số quyết định",
    "honoured_on": "Ngày khen",
    "content": "Nội dung",
}


@dataclass(frozen=True, kw_only=True)
class HonourInput:
    kind: str
    recipient_kind: str
    recipient: str  # the person's name, or the collective's ("Chi hội khuyến học ấp Vĩnh Thạnh")
    member_id: str | None = None  # a person picked from the households register
    hamlet_id: str | None = None
    level: str
    issuer: str = ""  # "Hội Khuyến học tỉnh Tây Ninh"
    decision_no: str = ""
    honoured_on: date
    content: str = ""  # what for


def honour_record(kind: str, recipient: str) -> str:
    """How messages name an honour: Giấy khen «Nguyễn Văn An», or "Giấy khen mới"."""
    noun = HONOUR_KIND_LABELS.get(kind, "Khen thưởng")
    return f"{noun} «{recipient}»" if recipient else f"{noun} mới"


def _check_length(value: str, limit: int, record: str, field: str) -> None:
    if len(value) > limit:
        raise ValidationError(record, field, HONOUR_FIELD_LABELS[field], f"dài quá {limit} ký tự.")


def clean_honour(data: HonourInput, today: date) -> HonourInput:
    """Normalise and check an honour; raises ValidationError naming the honour and the field.

    A decision is a thing done, so its date cannot be after today. Only a person links to a household member.
    """
    recipient = nfc(data.recipient)
    record = honour_record(data.kind, recipient)
    labels = HONOUR_FIELD_LABELS
    for field, vocabulary in (
        ("kind", HONOUR_KIND_LABELS),
        ("recipient_kind", RECIPIENT_KIND_LABELS),
        ("level", HONOUR_LEVEL_LABELS),
    ):
        value = getattr(data, field)
        if not value:
            raise ValidationError(record, field, labels[field], f"chưa chọn {labels[field].lower()}.")
        if value not in vocabulary:
            raise ValidationError(record, field, labels[field], f"giá trị «{value}» không hợp lệ.")
    person = data.recipient_kind == RecipientKind.PERSON
    if not recipient:
        what = "họ tên người được khen" if person else "tên tập thể được khen"
        raise ValidationError(record, "recipient", labels["recipient"], f"chưa nhập {what}.")
    _check_length(recipient, MAX_NAME_LENGTH, record, "recipient")
    issuer, decision_no, content = nfc(data.issuer), nfc(data.decision_no), nfc(data.content)
    _check_length(issuer, MAX_NAME_LENGTH, record, "issuer")
    _check_length(decision_no, MAX_DECISION_LENGTH, record, "decision_no")
    _check_length(content, MAX_CONTENT_LENGTH, record, "content")
    check_day(data.honoured_on, today, record, "honoured_on", labels["honoured_on"])
    return replace(
        data,
        recipient=recipient,
        member_id=((data.member_id or "").strip() or None) if person else None,
        hamlet_id=(data.hamlet_id or "").strip() or None,
        issuer=issuer,
        decision_no=decision_no,
        content=content,
    )


def honour_search_text(
    kind: str, recipient_kind: str, recipient: str, level: str, issuer: str, decision_no: str, content: str
) -> str:
    """The stored folded text the register searches in ("giay khen tinh" finds the province's commendations)."""
    return fold(
        " ".join(
            (
                HONOUR_KIND_LABELS.get(kind, ""),
                RECIPIENT_KIND_LABELS.get(recipient_kind, ""),
                recipient,
                HONOUR_LEVEL_LABELS.get(level, ""),
                issuer,
                decision_no,
                content,
            )
        )
    )
