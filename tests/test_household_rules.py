"""Household and member rules (domain/household.py): what is refused, how it is said, how text is cleaned."""

from __future__ import annotations

import unicodedata

import pytest

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.household import (
    MAX_CODE_LENGTH,
    MIN_BIRTH_YEAR,
    HouseholdInput,
    LearningStatus,
    MemberInput,
    Relation,
    Sex,
    clean_household,
    clean_member,
    format_phone,
    normalize_phone,
)

YEAR = 2025


def household(**changes: object) -> HouseholdInput:
    values: dict[str, object] = {
        "code": "VT-001",
        "head_name": "Nguyễn Văn Đức",
        "hamlet_id": "ap-vinh-thanh",
        "head_birth_year": 1968,
        "head_sex": Sex.MALE,
        "address": "Tổ 3, Ấp Vĩnh Thạnh",
        "phone": "0909 123 456",
        "note": "Hộ nghèo năm 2024",
    }
    values.update(changes)
    return HouseholdInput(**values)  # type: ignore[arg-type]


def member(**changes: object) -> MemberInput:
    values: dict[str, object] = {
        "full_name": "Nguyễn Thị Mai",
        "birth_year": 2012,
        "sex": Sex.FEMALE,
        "relation": Relation.CHILD,
        "school": "Trường THCS Phước Vĩnh Tây, lớp 8A",
        "learning_status": LearningStatus.LOWER_SECONDARY,
    }
    values.update(changes)
    return MemberInput(**values)  # type: ignore[arg-type]


def refusal(data: HouseholdInput) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_household(data, YEAR)
    return caught.value


def member_refusal(data: MemberInput, code: str = "VT-001") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean_member(data, YEAR, code)
    return caught.value


# --- households: refusals name the record and the field -----------------------------------------------------


def test_a_valid_household_passes() -> None:
    clean = clean_household(household(), YEAR)
    assert clean.code == "VT-001"
    assert clean.phone == "0909123456"


def test_head_name_required() -> None:
    error = refusal(household(head_name="   "))
    assert error.field == "head_name"
    assert error.field_label == "Họ tên chủ hộ"
    assert error.record == "Hộ gia đình «VT-001»"
    assert str(error) == "Hộ gia đình «VT-001» — ô «Họ tên chủ hộ»: chưa nhập họ tên chủ hộ."


def test_code_required_and_record_called_new_household() -> None:
    error = refusal(household(code="  "))
    assert (error.field, error.field_label) == ("code", "Mã hộ")
    assert error.record == "Hộ gia đình mới"
    assert "chưa nhập mã hộ" in str(error)


def test_hamlet_required() -> None:
    error = refusal(household(hamlet_id=""))
    assert (error.field, error.field_label) == ("hamlet_id", "Ấp")
    assert "Hộ gia đình «VT-001»" in str(error)
    assert "chưa nhập ấp (thôn, khu phố) của hộ" in error.message


@pytest.mark.parametrize("year", [MIN_BIRTH_YEAR - 1, 1800, YEAR + 1, 2100])
def test_head_birth_year_out_of_range(year: int) -> None:
    error = refusal(household(head_birth_year=year))
    assert (error.field, error.field_label) == ("head_birth_year", "Năm sinh chủ hộ")
    assert error.message == f"năm sinh {year} phải nằm trong khoảng 1900–{YEAR}."
    assert error.record == "Hộ gia đình «VT-001»"


@pytest.mark.parametrize("year", [MIN_BIRTH_YEAR, 1955, YEAR, None])
def test_head_birth_year_bounds_accepted(year: int | None) -> None:
    assert clean_household(household(head_birth_year=year), YEAR).head_birth_year == year


def test_head_sex_must_be_known() -> None:
    error = refusal(household(head_sex="Nam giới"))
    assert (error.field, error.field_label) == ("head_sex", "Giới tính chủ hộ")
    assert "chỉ nhận Nam hoặc Nữ" in error.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0909 123 456", "0909123456"),
        ("0909123456", "0909123456"),
        ("+84 909 123 456", "0909123456"),
        ("+84909123456", "0909123456"),
        ("84 909 123 456", "0909123456"),
        ("0909-123-456", "0909123456"),
        ("(0909) 123.456", "0909123456"),
        ("0382 555 777", "0382555777"),
        ("0272.3812.345", "02723812345"),  # Long An / Tây Ninh landline: 11 digits starting 02
        ("+84 272 3812 345", "02723812345"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_accepted_forms_are_stored_as_digits(typed: str, stored: str) -> None:
    assert clean_household(household(phone=typed), YEAR).phone == stored


@pytest.mark.parametrize(
    "typed",
    [
        "0909 123 45",  # 9 digits
        "0909 123 4567",  # 11 digits, not a landline
        "1909 123 456",  # no leading 0
        "0109 123 456",  # 01x is no mobile prefix since 2018
        "0609 123 456",
        "0272 381 234",  # landline one digit short
        "0272 3812 3456",  # landline one digit too many
        "+1 909 123 4567",
        "0909 abc 456",
        "không có",
    ],
)
def test_phone_refused_forms(typed: str) -> None:
    error = refusal(household(phone=typed))
    assert (error.field, error.field_label) == ("phone", "Điện thoại")
    assert f"«{typed.strip()}» không phải số điện thoại Việt Nam" in error.message
    assert error.record == "Hộ gia đình «VT-001»"


def test_normalize_and_format_phone() -> None:
    assert normalize_phone("+84 909 123 456") == "0909123456"
    assert normalize_phone("0909 123 45") is None
    assert format_phone("0909123456") == "0909 123 456"
    assert format_phone("02723812345") == "0272 381 2345"


def test_code_too_long() -> None:
    long_code = "HỘ-" + "1" * (MAX_CODE_LENGTH - 2)
    assert len(long_code) == MAX_CODE_LENGTH + 1
    error = refusal(household(code=long_code))
    assert (error.field, error.field_label) == ("code", "Mã hộ")
    assert error.message == f"dài quá {MAX_CODE_LENGTH} ký tự."
    assert long_code in error.record


def test_code_at_the_limit_is_accepted() -> None:
    code = "A" * MAX_CODE_LENGTH
    assert clean_household(household(code=code), YEAR).code == code


# --- households: normalisation ------------------------------------------------------------------------------


def test_household_text_is_nfc_trimmed_and_code_upper_cased() -> None:
    typed = household(
        code="  vt-đ01 ",
        head_name=unicodedata.normalize("NFD", "  Trần   Thị  Ước "),
        address=unicodedata.normalize("NFD", " Tổ 5,  Ấp Đông Điền "),
        note="  Con học giỏi   cấp huyện ",
        phone=" +84 909 123 456 ",
    )
    clean = clean_household(typed, YEAR)
    assert clean.code == "VT-Đ01"
    assert clean.head_name == "Trần Thị Ước"
    assert unicodedata.is_normalized("NFC", clean.head_name)
    assert clean.address == "Tổ 5, Ấp Đông Điền"
    assert unicodedata.is_normalized("NFC", clean.address)
    assert clean.note == "Con học giỏi cấp huyện"
    assert clean.phone == "0909123456"
    assert (clean.hamlet_id, clean.head_birth_year, clean.head_sex) == ("ap-vinh-thanh", 1968, Sex.MALE)


def test_household_code_length_counts_composed_characters() -> None:
    # 20 letters typed decomposed are 20 characters once composed, not 40.
    code = unicodedata.normalize("NFD", "Đ" + "Ộ" * (MAX_CODE_LENGTH - 1))
    assert len(code) > MAX_CODE_LENGTH
    assert len(clean_household(household(code=code), YEAR).code) == MAX_CODE_LENGTH


# --- members ------------------------------------------------------------------------------------------------


def test_a_valid_member_passes_and_is_normalised() -> None:
    typed = member(
        full_name=unicodedata.normalize("NFD", "  Nguyễn   Thị Mai "),
        school=unicodedata.normalize("NFD", " Trường THCS  Phước Vĩnh Tây "),
    )
    clean = clean_member(typed, YEAR, "VT-001")
    assert clean.full_name == "Nguyễn Thị Mai"
    assert clean.school == "Trường THCS Phước Vĩnh Tây"
    assert unicodedata.is_normalized("NFC", clean.full_name + clean.school)
    assert (clean.birth_year, clean.relation) == (2012, Relation.CHILD)


def test_member_name_required_names_the_household() -> None:
    error = member_refusal(member(full_name=" "), code="VT-007")
    assert (error.field, error.field_label) == ("full_name", "Họ tên")
    assert error.record == "Thành viên mới của hộ «VT-007»"
    assert str(error) == "Thành viên mới của hộ «VT-007» — ô «Họ tên»: chưa nhập họ tên."


@pytest.mark.parametrize("year", [1899, YEAR + 1])
def test_member_birth_year_out_of_range(year: int) -> None:
    error = member_refusal(member(birth_year=year))
    assert (error.field, error.field_label) == ("birth_year", "Năm sinh")
    assert error.record == "Thành viên «Nguyễn Thị Mai» của hộ «VT-001»"
    assert f"năm sinh {year}" in error.message


@pytest.mark.parametrize(
    ("field", "label", "bad"),
    [
        ("sex", "Giới tính", "khác"),
        ("relation", "Quan hệ với chủ hộ", "hàng xóm"),
        ("learning_status", "Tình trạng học tập", "đang học lớp 8"),
    ],
)
def test_member_vocabularies(field: str, label: str, bad: str) -> None:
    error = member_refusal(member(**{field: bad}))
    assert (error.field, error.field_label) == (field, label)
    assert error.message == f"giá trị «{bad}» không hợp lệ."
    assert "Thành viên «Nguyễn Thị Mai» của hộ «VT-001»" in str(error)


@pytest.mark.parametrize("relation", list(Relation))
def test_every_relation_is_accepted(relation: Relation) -> None:
    assert clean_member(member(relation=relation), YEAR, "VT-001").relation == relation


@pytest.mark.parametrize("status", list(LearningStatus))
def test_every_learning_status_is_accepted(status: LearningStatus) -> None:
    assert clean_member(member(learning_status=status), YEAR, "VT-001").learning_status == status
