"""Units (đơn vị): schools, agencies, cooperatives and enterprises the commune evaluates as learning units."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.household import normalize_phone
from khuyenhoc_desktop.domain.text import fold, format_count, nfc

MAX_NAME_LENGTH = 150
MAX_STAFF_COUNT = 100_000


class UnitKind(StrEnum):
    SCHOOL = "truong_hoc"
    AGENCY = "co_quan"
    COOPERATIVE = "hop_tac_xa"
    ENTERPRISE = "doanh_nghiep"
    OTHER = "khac"


UNIT_KIND_LABELS: dict[str, str] = {
    UnitKind.SCHOOL: "Trường học",
    UnitKind.AGENCY: "Cơ quan",
    UnitKind.COOPERATIVE: "Hợp tác xã",
    UnitKind.ENTERPRISE: "Doanh nghiệp",
    UnitKind.OTHER: "Khác",
}

UNIT_FIELD_LABELS: dict[str, str] = {
    "name": "Tên đơn vị",
    "kind": "Loại đơn vị",
    "head_name": "Người đứng đầu",
    "staff_count": "Số cán bộ, nhân viên",
    "hamlet_id": "Ấp",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "note": "Ghi chú",
}


@dataclass(frozen=True)
class UnitInput:
    name: str
    kind: str
    head_name: str = ""
    staff_count: int = 0
    hamlet_id: str | None = None  # a unit of the whole commune (a secondary school) belongs to no hamlet
    address: str = ""
    phone: str = ""
    note: str = ""


def unit_record(name: str) -> str:
    return f"Đơn vị «{name}»" if name else "Đơn vị mới"


def clean_phone(text: str, record: str, field: str, label: str) -> str:
    """Digits of a Vietnamese phone number, "" for none; anything else is refused with an example."""
    if not nfc(text):
        return ""
    normalized = normalize_phone(text)
    if normalized is None:
        raise ValidationError(
            record,
            field,
            label,
            f"«{nfc(text)}» không phải số điện thoại Việt Nam "
            "(di động 10 chữ số, cố định 11 chữ số, bắt đầu bằng 0, ví dụ 0909 123 456).",
        )
    return normalized


def clean_unit(data: UnitInput) -> UnitInput:
    """Normalise and check a unit; raises ValidationError naming the unit and the field."""
    name = nfc(data.name)
    record = unit_record(name)
    labels = UNIT_FIELD_LABELS
    if not name:
        raise ValidationError(record, "name", labels["name"], "chưa nhập tên đơn vị.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(record, "name", labels["name"], f"dài quá {MAX_NAME_LENGTH} ký tự.")
    if not data.kind:
        raise ValidationError(record, "kind", labels["kind"], "chưa chọn loại đơn vị.")
    if data.kind not in UNIT_KIND_LABELS:
        raise ValidationError(record, "kind", labels["kind"], f"giá trị «{data.kind}» không hợp lệ.")
    if not 0 <= data.staff_count <= MAX_STAFF_COUNT:
        raise ValidationError(
            record,
            "staff_count",
            labels["staff_count"],
            f"phải từ 0 đến {format_count(MAX_STAFF_COUNT)} người.",
        )
    return replace(
        data,
        name=name,
        head_name=nfc(data.head_name),
        hamlet_id=(data.hamlet_id or "").strip() or None,
        address=nfc(data.address),
        phone=clean_phone(data.phone, record, "phone", labels["phone"]),
        note=nfc(data.note),
    )


def unit_search_text(name: str, kind: str, head_name: str, address: str, phone: str, note: str) -> str:
    """The stored folded text the units register searches in ("truong" finds every school)."""
    return fold(" ".join((name, UNIT_KIND_LABELS.get(kind, ""), head_name, address, phone, note)))
