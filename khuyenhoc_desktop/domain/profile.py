"""Whose data a folder holds: the role, the administrative unit, and the people who sign."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, nfc

MIN_WORKING_YEAR = 2000


class Role(StrEnum):
    COMMUNE = "xa"
    CONSOLIDATING_OFFICE = "tong_hop"


ROLE_LABELS: dict[str, str] = {
    Role.COMMUNE: "Hội Khuyến học xã, phường (nhập sổ và gửi số liệu lên)",
    Role.CONSOLIDATING_OFFICE: "Cơ quan tổng hợp (tỉnh, huyện cũ hoặc cụm): nhận và tổng hợp gói số liệu",
}

PROFILE_FIELD_LABELS: dict[str, str] = {
    "role": "Vai trò",
    "province_code": "Tỉnh, thành phố",
    "commune_code": "Xã, phường",
    "association_name": "Tên Hội",
    "officer_name": "Cán bộ nhập liệu",
    "signer_title": "Chức danh người ký",
    "signer_name": "Họ tên người ký",
    "working_year": "Năm làm việc",
    "hamlets": "Ấp, thôn, khu phố",
}


@dataclass(frozen=True)
class ProfileInput:
    role: str
    province_code: str
    commune_code: str
    association_name: str
    officer_name: str
    signer_title: str
    signer_name: str
    working_year: int


def default_association_name(role: str, province_code: str, commune_code: str) -> str:
    if role == Role.COMMUNE and commune_code:
        return f"Hội Khuyến học {admin_units.in_running_text(admin_units.commune(commune_code).name)}"
    if province_code:
        name = admin_units.province(province_code).name  # "Thành phố Hà Nội", or just "Tây Ninh" for a tỉnh
        kind, _ = admin_units.split_kind(name)
        return f"Hội Khuyến học {admin_units.in_running_text(name if kind else 'Tỉnh ' + name)}"
    return ""


def clean_profile(data: ProfileInput, current_year: int) -> ProfileInput:
    record = "Thông tin đơn vị"
    labels = PROFILE_FIELD_LABELS
    if data.role not in ROLE_LABELS:
        raise ValidationError(record, "role", labels["role"], "hãy chọn một vai trò.")
    if not data.province_code:
        raise ValidationError(record, "province_code", labels["province_code"], "hãy chọn tỉnh, thành phố.")
    try:
        province = admin_units.province(data.province_code)
    except ValueError as error:
        raise ValidationError(record, "province_code", labels["province_code"], f"{error}.") from error
    commune_code = data.commune_code if data.role == Role.COMMUNE else ""
    if data.role == Role.COMMUNE:
        if not commune_code:
            raise ValidationError(record, "commune_code", labels["commune_code"], "hãy chọn xã, phường.")
        try:
            commune = admin_units.commune(commune_code)
        except ValueError as error:
            raise ValidationError(record, "commune_code", labels["commune_code"], f"{error}.") from error
        if commune.province_code != province.code:
            raise ValidationError(
                record, "commune_code", labels["commune_code"], f"xã, phường này không thuộc {province.name}."
            )
    cleaned = replace(
        data,
        commune_code=commune_code,
        association_name=nfc(data.association_name),
        officer_name=nfc(data.officer_name),
        signer_title=nfc(data.signer_title),
        signer_name=nfc(data.signer_name),
    )
    for name, what in (
        ("association_name", "tên Hội"),
        ("officer_name", "họ tên cán bộ nhập liệu"),
        ("signer_title", "chức danh người ký"),
        ("signer_name", "họ tên người ký"),
    ):
        if not getattr(cleaned, name):
            raise ValidationError(record, name, labels[name], f"chưa nhập {what}.")
    if not MIN_WORKING_YEAR <= data.working_year <= current_year + 1:
        raise ValidationError(
            record,
            "working_year",
            labels["working_year"],
            f"năm phải trong khoảng {MIN_WORKING_YEAR}–{current_year + 1}.",
        )
    return cleaned


def clean_hamlet_names(names: list[str], existing: list[str] | None = None) -> list[str]:
    """Trim, drop blanks, refuse two hamlets whose names differ only by accents or case."""
    seen = {fold(n): n for n in existing or []}
    cleaned: list[str] = []
    for raw in names:
        name = nfc(raw)
        if not name:
            continue
        if fold(name) in seen:
            raise ValidationError(
                f"Ấp «{name}»",
                "hamlets",
                PROFILE_FIELD_LABELS["hamlets"],
                f"trùng với ấp «{seen[fold(name)]}».",
            )
        seen[fold(name)] = name
        cleaned.append(name)
    return cleaned


def clean_setup_hamlets(role: str, province_code: str, names: list[str]) -> list[str]:
    """The hamlets typed at first run: a commune keeps its registers by hamlet, so it needs at least one."""
    cleaned = clean_hamlet_names(names)
    if role == Role.COMMUNE and not cleaned:
        word = admin_units.hamlet_word(province_code).lower() if province_code else "ấp"
        raise ValidationError(
            "Thông tin đơn vị", "hamlets", PROFILE_FIELD_LABELS["hamlets"], f"hãy nhập ít nhất một {word}."
        )
    return cleaned
