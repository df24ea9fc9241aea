"""Households and their members: the vocabularies and the rules a record must satisfy."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, name_sort_key, nfc

MIN_BIRTH_YEAR = 1900
MAX_CODE_LENGTH = 20


class Sex(StrEnum):
    MALE = "nam"
    FEMALE = "nu"


class Relation(StrEnum):
    HEAD = "chu_ho"
    SPOUSE = "vo_chong"
    CHILD = "con"
    CHILD_IN_LAW = "con_dau_re"
    GRANDCHILD = "chau"
    PARENT = "cha_me"
    GRANDPARENT = "ong_ba"
    SIBLING = "anh_chi_em"
    OTHER = "khac"


class LearningStatus(StrEnum):
    PRESCHOOL_AGE = "chua_di_hoc"
    KINDERGARTEN = "mam_non"
    PRIMARY = "tieu_hoc"
    LOWER_SECONDARY = "thcs"
    UPPER_SECONDARY = "thpt"
    VOCATIONAL = "hoc_nghe"
    HIGHER = "cao_dang_dai_hoc"
    DROPOUT_RISK = "nguy_co_bo_hoc"
    DROPPED_OUT = "bo_hoc"
    ADULT_LEARNING = "hoc_tap_suot_doi"
    NOT_STUDYING = "khong_di_hoc"


SEX_LABELS: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}

RELATION_LABELS: dict[str, str] = {
    Relation.HEAD: "Chủ hộ",
    Relation.SPOUSE: "Vợ/Chồng",
    Relation.CHILD: "Con",
    Relation.CHILD_IN_LAW: "Con dâu/Con rể",
    Relation.GRANDCHILD: "Cháu",
    Relation.PARENT: "Cha/Mẹ",
    Relation.GRANDPARENT: "Ông/Bà",
    Relation.SIBLING: "Anh/Chị/Em",
    Relation.OTHER: "Khác",
}

LEARNING_STATUS_LABELS: dict[str, str] = {
    LearningStatus.PRESCHOOL_AGE: "Chưa đến tuổi đi học",
    LearningStatus.KINDERGARTEN: "Đang học mầm non",
    LearningStatus.PRIMARY: "Đang học tiểu học",
    LearningStatus.LOWER_SECONDARY: "Đang học THCS",
    LearningStatus.UPPER_SECONDARY: "Đang học THPT",
    LearningStatus.VOCATIONAL: "Đang học nghề",
    LearningStatus.HIGHER: "Đang học cao đẳng, đại học",
    LearningStatus.DROPOUT_RISK: "Có nguy cơ bỏ học",
    LearningStatus.DROPPED_OUT: "Đã bỏ học",
    LearningStatus.ADULT_LEARNING: "Học tập suốt đời (người lớn)",
    LearningStatus.NOT_STUDYING: "Không đi học",
}

# Vietnamese numbers: mobiles 0[35789]xxxxxxxx, landlines 02xxxxxxxxx; "+84" stands for the leading 0.
_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")


@dataclass(frozen=True)
class HouseholdInput:
    """What the household form edits; the head of household is stored as the member with relation HEAD."""

    code: str
    head_name: str
    hamlet_id: str
    head_birth_year: int | None = None
    head_sex: str = Sex.MALE
    address: str = ""
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class MemberInput:
    full_name: str
    birth_year: int | None = None
    sex: str = Sex.MALE
    relation: str = Relation.CHILD
    school: str = ""
    learning_status: str = LearningStatus.NOT_STUDYING


MEMBER_FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ tên",
    "birth_year": "Năm sinh",
    "sex": "Giới tính",
    "relation": "Quan hệ với chủ hộ",
    "school": "Trường/lớp đang học",
    "learning_status": "Tình trạng học tập",
}

HOUSEHOLD_FIELD_LABELS: dict[str, str] = {
    "code": "Mã hộ",
    "head_name": "Họ tên chủ hộ",
    "head_birth_year": "Năm sinh chủ hộ",
    "head_sex": "Giới tính chủ hộ",
    "hamlet_id": "Ấp",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "note": "Ghi chú",
}


def normalize_phone(text: str) -> str | None:
    """Digits only with a leading 0, or None when the text is not a Vietnamese phone number."""
    digits = _PHONE_NOISE.sub("", nfc(text))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if _PHONE.match(digits) else None


def format_phone(digits: str) -> str:
    """0909123456 → "0909 123 456"; landlines 02xx xxx xxxx."""
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}" if len(digits) in (10, 11) else digits


def check_birth_year(year: int | None, current_year: int, record: str, field: str, label: str) -> None:
    if year is not None and not MIN_BIRTH_YEAR <= year <= current_year:
        raise ValidationError(
            record, field, label, f"năm sinh {year} phải nằm trong khoảng {MIN_BIRTH_YEAR}–{current_year}."
        )


def _required(value: str, record: str, field: str, labels: dict[str, str], what: str) -> None:
    if not value:
        raise ValidationError(record, field, labels[field], f"chưa nhập {what}.")


def clean_household(data: HouseholdInput, current_year: int) -> HouseholdInput:
    """Normalise and check a household; raises ValidationError naming the household and the field."""
    code = nfc(data.code).upper()
    record = f"Hộ gia đình «{code}»" if code else "Hộ gia đình mới"
    labels = HOUSEHOLD_FIELD_LABELS
    _required(code, record, "code", labels, "mã hộ")
    if len(code) > MAX_CODE_LENGTH:
        raise ValidationError(record, "code", labels["code"], f"dài quá {MAX_CODE_LENGTH} ký tự.")
    head = nfc(data.head_name)
    _required(head, record, "head_name", labels, "họ tên chủ hộ")
    _required(data.hamlet_id.strip(), record, "hamlet_id", labels, "ấp (thôn, khu phố) của hộ")
    check_birth_year(data.head_birth_year, current_year, record, "head_birth_year", labels["head_birth_year"])
    if data.head_sex not in SEX_LABELS:
        raise ValidationError(record, "head_sex", labels["head_sex"], "chỉ nhận Nam hoặc Nữ.")
    phone = ""
    if nfc(data.phone):
        normalized = normalize_phone(data.phone)
        if normalized is None:
            raise ValidationError(
                record,
                "phone",
                labels["phone"],
                f"«{nfc(data.phone)}» không phải số điện thoại Việt Nam "
                "(di động 10 chữ số, cố định 11 chữ số, bắt đầu bằng 0, ví dụ 0909 123 456).",
            )
        phone = normalized
    return replace(data, code=code, head_name=head, address=nfc(data.address), phone=phone, note=nfc(data.note))


def clean_member(data: MemberInput, current_year: int, household_code: str) -> MemberInput:
    """Normalise and check one member of the household `household_code`."""
    name = nfc(data.full_name)
    record = f"Thành viên «{name}» của hộ «{household_code}»" if name else f"Thành viên mới của hộ «{household_code}»"
    labels = MEMBER_FIELD_LABELS
    _required(name, record, "full_name", labels, "họ tên")
    check_birth_year(data.birth_year, current_year, record, "birth_year", labels["birth_year"])
    for field, vocabulary in (
        ("sex", SEX_LABELS),
        ("relation", RELATION_LABELS),
        ("learning_status", LEARNING_STATUS_LABELS),
    ):
        if getattr(data, field) not in vocabulary:
            raise ValidationError(record, field, labels[field], f"giá trị «{getattr(data, field)}» không hợp lệ.")
    return replace(data, full_name=name, school=nfc(data.school))


def name_fields(name: str) -> dict[str, str]:
    """A member's name with the folded key it is searched by and the key it sorts by (given name first)."""
    return {"full_name": name, "name_key": fold(name), "name_sort": name_sort_key(name)}
