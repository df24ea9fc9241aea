"""The five learning titles, what each is awarded to, and how its rate is reported upward."""

from __future__ import annotations

from enum import StrEnum


class Title(StrEnum):
    FAMILY = "gia_dinh"
    CLAN = "dong_ho"
    COMMUNITY = "cong_dong"
    UNIT = "don_vi"
    CITIZEN = "cong_dan"


class Subject(StrEnum):
    """The kind of record a title is awarded to (the table its evaluations point at)."""

    HOUSEHOLD = "household"
    CLAN = "clan"
    HAMLET = "hamlet"
    UNIT = "unit"
    PERSON = "person"


TITLE_LABELS: dict[str, str] = {
    Title.FAMILY: "Gia đình học tập",
    Title.CLAN: "Dòng họ học tập",
    Title.COMMUNITY: "Cộng đồng học tập cấp thôn, ấp, khu phố",
    Title.UNIT: "Đơn vị học tập",
    Title.CITIZEN: "Công dân học tập",
}

TITLE_SUBJECT: dict[str, str] = {
    Title.FAMILY: Subject.HOUSEHOLD,
    Title.CLAN: Subject.CLAN,
    Title.COMMUNITY: Subject.HAMLET,
    Title.UNIT: Subject.UNIT,
    Title.CITIZEN: Subject.PERSON,
}


class Denominator(StrEnum):
    """What a title's recognised count is divided by in reports; the label is printed beside the rate."""

    ALL = "tat_ca"
    REGISTERED = "dang_ky"


TITLE_DENOMINATOR: dict[str, str] = {
    Title.FAMILY: Denominator.ALL,  # share of all households
    Title.CLAN: Denominator.REGISTERED,
    Title.COMMUNITY: Denominator.ALL,  # share of all hamlets
    Title.UNIT: Denominator.REGISTERED,
    Title.CITIZEN: Denominator.REGISTERED,
}

SUBJECT_PLURAL: dict[str, str] = {
    Subject.HOUSEHOLD: "hộ",
    Subject.CLAN: "dòng họ",
    Subject.HAMLET: "ấp",
    Subject.UNIT: "đơn vị",
    Subject.PERSON: "người",
}


def denominator_label(title: str) -> str:
    """ "trên tổng số hộ" or "trên số đăng ký": written next to every rate."""
    if TITLE_DENOMINATOR[title] == Denominator.ALL:
        return f"trên tổng số {SUBJECT_PLURAL[TITLE_SUBJECT[title]]}"
    return "trên số đăng ký"
