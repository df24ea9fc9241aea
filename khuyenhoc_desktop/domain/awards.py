"""Scholarships and gifts (học bổng, quà) and the ceremonies that hand them out: vocabularies and rules.

A pupil is usually a household member, but a ceremony often lists children the register does not hold yet
(a sponsor's own list, a school's nominations), so an award also stands on a typed name and birth year.
Money is whole VND; an in-kind gift (a bicycle, notebooks, rice) carries the value the sponsor gave it, so the
report can add cash and in-kind together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from khuyenhoc_desktop.domain.dates import EARLIEST_DAY, a_year_after, check_day
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.household import LearningStatus, check_birth_year
from khuyenhoc_desktop.domain.text import fold, format_vnd, nfc

MAX_VALUE_VND = 1_000_000_000_000  # a thousand billion: far beyond any one award, short of SQLite's integers
MAX_NAME_LENGTH = 150


class AwardCategory(StrEnum):
    HARDSHIP = "hoan_canh_kho_khan"
    OVERCOMING = "vuot_kho_hoc_gioi"
    EXCELLENT = "hoc_sinh_gioi"
    DROPOUT_RISK = "nguy_co_bo_hoc"
    OTHER = "khac"


class AwardKind(StrEnum):
    CASH = "tien_mat"
    BICYCLE = "xe_dap"
    NOTEBOOKS = "tap_vo"
    SCHOOL_BAG = "cap_sach"
    CLOTHES = "quan_ao"
    RICE = "gao"
    OTHER_IN_KIND = "hien_vat_khac"

    @property
    def is_cash(self) -> bool:
        return self is AwardKind.CASH


AWARD_CATEGORY_LABELS: dict[str, str] = {
    AwardCategory.HARDSHIP: "Hoàn cảnh khó khăn",
    AwardCategory.OVERCOMING: "Vượt khó học giỏi",
    AwardCategory.EXCELLENT: "Học sinh giỏi",
    AwardCategory.DROPOUT_RISK: "Nguy cơ bỏ học",
    AwardCategory.OTHER: "Khác",
}

AWARD_KIND_LABELS: dict[str, str] = {
    AwardKind.CASH: "Tiền mặt",
    AwardKind.BICYCLE: "Xe đạp",
    AwardKind.NOTEBOOKS: "Tập vở",
    AwardKind.SCHOOL_BAG: "Cặp sách",
    AwardKind.CLOTHES: "Quần áo",
    AwardKind.RICE: "Gạo",
    AwardKind.OTHER_IN_KIND: "Hiện vật khác",
}

AWARD_FIELD_LABELS: dict[str, str] = {
    "pupil_name": "Họ tên học sinh",
    "birth_year": "Năm sinh",
    "school": "Trường",
    "grade": "Lớp",
    "category": "Diện",
    "kind": "Hình thức",
    "value_vnd": "Giá trị (đồng)",
    "sponsor": "Nhà tài trợ, nguồn",
    "school_year": "Năm học",
    "awarded_on": "Ngày trao",
    "event_id": "Lễ trao",
    "recurring": "Hằng năm",
    "post_to_ledger": "Ghi chi quỹ",
    "note": "Ghi chú",
}

EVENT_FIELD_LABELS: dict[str, str] = {
    "name": "Tên lễ trao",
    "held_on": "Ngày tổ chức",
    "place": "Địa điểm",
    "sponsor": "Nhà tài trợ, nguồn",
    "school_year": "Năm học",
    "note": "Ghi chú",
}

_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
# A member's school field reads "Trường THCS Phước Vĩnh Tây, lớp 7A".
_CLASS_SUFFIX = re.compile(r"^(?P<school>.*?)[\s,;\-–]*\blớp\s+(?P<grade>\S.*)$", re.IGNORECASE)
_GRADE_NUMBER = re.compile(r"^\d{1,2}")


def is_cash(kind: str) -> bool:
    """For a kind as stored: an unknown code is not cash."""
    return kind in AWARD_KIND_LABELS and AwardKind(kind).is_cash


@dataclass(frozen=True)
class AwardInput:
    pupil_name: str
    category: str
    kind: str
    value_vnd: int
    awarded_on: date
    member_id: str | None = None  # a household member; None for a typed pupil
    birth_year: int | None = None
    school: str = ""
    grade: str = ""
    sponsor: str = ""
    school_year: str = ""  # "" → the school year under way on the award date
    event_id: str | None = None
    recurring: bool = False
    post_to_ledger: bool = False  # a cash award paid out of the fund: its payment goes in the ledger
    note: str = ""


@dataclass(frozen=True)
class AwardEventInput:
    name: str
    held_on: date
    place: str = ""
    sponsor: str = ""
    school_year: str = ""
    note: str = ""


def default_school_year(day: date) -> str:
    """The school year under way on `day`: it starts in September ("2025-2026" from 1/9/2025 to 31/8/2026)."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def split_school(text: str) -> tuple[str, str]:
    """ "Trường THCS Phước Vĩnh Tây, lớp 7A" → ("Trường THCS Phước Vĩnh Tây", "7A"); no class → (text, "")."""
    cleaned = nfc(text)
    found = _CLASS_SUFFIX.match(cleaned)
    if found is None:
        return cleaned, ""
    return found["school"].strip(), found["grade"].strip()


def school_text(school: str, grade: str) -> str:
    """The one line a member's school field and the printed list hold: "Trường …, lớp 7A"."""
    return ", ".join(part for part in (nfc(school), f"lớp {nfc(grade)}" if nfc(grade) else "") if part)


def learning_status_for(grade: str, category: str) -> str:
    """What a pupil added to the register from an award is doing: the level of the class, if it says one."""
    if category == AwardCategory.DROPOUT_RISK:
        return LearningStatus.DROPOUT_RISK
    number = _GRADE_NUMBER.match(nfc(grade))
    if number is None:
        return LearningStatus.PRIMARY
    level = int(number.group())
    if level <= 5:
        return LearningStatus.PRIMARY
    return LearningStatus.LOWER_SECONDARY if level <= 9 else LearningStatus.UPPER_SECONDARY


def award_record(pupil_name: str) -> str:
    return f"Suất học bổng, quà của «{pupil_name}»" if pupil_name else "Suất học bổng, quà mới"


def event_record(name: str) -> str:
    return f"Lễ trao «{name}»" if name else "Lễ trao mới"


def _check_text(value: str, record: str, field: str, labels: dict[str, str], what: str) -> str:
    cleaned = nfc(value)
    if not cleaned:
        raise ValidationError(record, field, labels[field], f"chưa nhập {what}.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError(record, field, labels[field], f"dài quá {MAX_NAME_LENGTH} ký tự.")
    return cleaned


def clean_school_year(text: str, day: date, record: str, label: str) -> str:
    """ "2025-2026" (also typed "2025 - 2026" or "2025/2026"); "" gives the school year under way on `day`."""
    cleaned = nfc(text)
    if not cleaned:
        return default_school_year(day)
    found = _SCHOOL_YEAR.match(cleaned)
    if found is None:
        raise ValidationError(
            record, "school_year", label, f"«{cleaned}» không đúng dạng năm học (ví dụ {default_school_year(day)})."
        )
    first, second = int(found[1]), int(found[2])
    if second != first + 1:
        raise ValidationError(
            record, "school_year", label, f"«{cleaned}»: năm học gồm hai năm liền nhau (ví dụ {first}-{first + 1})."
        )
    if not EARLIEST_DAY.year - 1 <= first <= day.year + 1:
        raise ValidationError(record, "school_year", label, f"năm học {first}-{second} quá xa ngày trao.")
    return f"{first}-{second}"


def clean_award(data: AwardInput, today: date) -> AwardInput:
    """Normalise and check an award; raises ValidationError naming the pupil and the field."""
    name = nfc(data.pupil_name)
    record = award_record(name)
    labels = AWARD_FIELD_LABELS
    name = _check_text(name, record, "pupil_name", labels, "họ tên học sinh")
    check_birth_year(data.birth_year, today.year, record, "birth_year", labels["birth_year"])
    if data.category not in AWARD_CATEGORY_LABELS:
        raise ValidationError(record, "category", labels["category"], "chưa chọn diện học sinh được nhận.")
    if data.kind not in AWARD_KIND_LABELS:
        raise ValidationError(record, "kind", labels["kind"], "chưa chọn hình thức (tiền mặt hay hiện vật).")
    if data.value_vnd <= 0:
        raise ValidationError(
            record, "value_vnd", labels["value_vnd"], "giá trị phải lớn hơn 0 (hiện vật thì ghi giá trị ước tính)."
        )
    if data.value_vnd > MAX_VALUE_VND:
        raise ValidationError(record, "value_vnd", labels["value_vnd"], f"lớn quá {format_vnd(MAX_VALUE_VND)}.")
    check_day(data.awarded_on, a_year_after(today), record, "awarded_on", labels["awarded_on"])  # planned ahead
    return replace(
        data,
        pupil_name=name,
        member_id=data.member_id or None,
        school=nfc(data.school),
        grade=nfc(data.grade),
        sponsor=nfc(data.sponsor),
        school_year=clean_school_year(data.school_year, data.awarded_on, record, labels["school_year"]),
        event_id=data.event_id or None,
        post_to_ledger=data.post_to_ledger and is_cash(data.kind),
        note=nfc(data.note),
    )


def clean_event(data: AwardEventInput, today: date) -> AwardEventInput:
    """Normalise and check an award ceremony; raises ValidationError naming it and the field."""
    name = nfc(data.name)
    record = event_record(name)
    labels = EVENT_FIELD_LABELS
    name = _check_text(name, record, "name", labels, "tên lễ trao (ví dụ: Trao học bổng năm học 2025-2026)")
    check_day(data.held_on, a_year_after(today), record, "held_on", labels["held_on"])
    return replace(
        data,
        name=name,
        place=nfc(data.place),
        sponsor=nfc(data.sponsor),
        school_year=clean_school_year(data.school_year, data.held_on, record, labels["school_year"]),
        note=nfc(data.note),
    )


def award_search_text(
    pupil_name: str, school: str, grade: str, category: str, kind: str, sponsor: str, note: str
) -> str:
    """The stored folded text awards are found by ("xe dap" finds every bicycle, "vuot kho" a category)."""
    labels = (AWARD_CATEGORY_LABELS.get(category, ""), AWARD_KIND_LABELS.get(kind, ""))
    return fold(" ".join((pupil_name, school, grade, *labels, sponsor, note)))


def event_search_text(name: str, place: str, sponsor: str, school_year: str, note: str) -> str:
    return fold(" ".join((name, place, sponsor, school_year, note)))
