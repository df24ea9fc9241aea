"""Values and headers as officers type them in their own spreadsheets (domain/import_values.py)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import pytest

from khuyenhoc_desktop.domain.import_values import (
    BadValue,
    cell_text,
    match_headers,
    parse_day,
    parse_money,
    parse_sex,
    parse_year,
    parse_yes,
    whole_number,
)

ALIASES = {
    "head_name": ("ho ten chu ho", "chu ho", "ho ten"),
    "hamlet": ("ap", "thon", "khu pho"),
    "phone": ("dien thoai", "sdt"),
}


@pytest.mark.parametrize(
    "header", ["Ho ten chu ho", "HỌ VÀ TÊN CHỦ HỘ", "Chủ hộ", "  họ   tên  chủ hộ (*)", "Họ tên chủ hộ:"]
)
def test_head_name_header_matches_with_or_without_diacritics(header: str) -> None:
    aliases = {"head_name": ("ho ten chu ho", "ho va ten chu ho", "chu ho")}
    assert match_headers(["STT", header, "Ấp"], aliases) == {"head_name": 1}


def test_each_column_serves_one_field_and_unknown_headers_are_left() -> None:
    headers = ["STT", "Họ tên", "Thôn", "SĐT", "Số nhân khẩu", unicodedata.normalize("NFD", "Ấp cũ")]
    assert match_headers(headers, ALIASES) == {"head_name": 1, "hamlet": 2, "phone": 3}
    assert match_headers(headers, ALIASES, taken={1}) == {"hamlet": 2, "phone": 3}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/1985", date(1985, 3, 15)),
        ("5/3/85", date(1985, 3, 5)),
        ("5-3-05", date(2005, 3, 5)),
        ("05.03.2025", date(2025, 3, 5)),
        (31121, date(1985, 3, 15)),  # an Excel serial number
        (31121.0, date(1985, 3, 15)),
        (datetime(1985, 3, 15, 0, 0), date(1985, 3, 15)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_shapes_officers_type(value: Any, expected: date | None) -> None:
    assert parse_day(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "mùng 5 tháng 3", "2025"])
def test_what_is_not_a_date_is_named(value: str) -> None:
    with pytest.raises(BadValue, match=value):
        parse_day(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1985, 1985), ("1985", 1985), ("15/03/1985", 1985), ("5/3/85", 1985), ("03/1985", 1985), (31121, 1985),
     (date(1968, 4, 2), 1968), ("", None)],
)  # fmt: skip
def test_a_year_from_a_year_a_date_or_a_serial(value: Any, expected: int | None) -> None:
    assert parse_year(value, 2025) == expected


def test_a_year_that_is_no_year_is_named() -> None:
    with pytest.raises(BadValue, match="«khoảng 1980» không phải năm sinh"):
        parse_year("khoảng 1980", 2025)


@pytest.mark.parametrize(
    ("value", "expected"), [("Nam", "nam"), ("NỮ", "nu"), ("nu", "nu"), ("F", "nu"), ("trai", "nam"), ("", None)]
)
def test_sex_words(value: str, expected: str | None) -> None:
    assert parse_sex(value) == expected


def test_sex_that_is_neither_is_named() -> None:
    with pytest.raises(BadValue, match="«Khác» không phải «Nam» hay «Nữ»"):
        parse_sex("Khác")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("x", True), ("X", True), ("Đạt", True), ("1", True), (1, True), (1.0, True), ("Có", True), (True, True),
     ("0", False), ("Không", False), ("không đạt", False), ("", None), (None, None)],
)  # fmt: skip
def test_tick_columns(value: Any, expected: bool | None) -> None:
    assert parse_yes(value) is expected


def test_a_tick_that_is_no_tick_is_named() -> None:
    with pytest.raises(BadValue, match="«có lẽ»"):
        parse_yes("có lẽ")


def test_numbers_and_cells_read_as_the_officer_sees_them() -> None:
    assert whole_number("12,0") == 12 and whole_number(7.0) == 7 and whole_number("") is None
    with pytest.raises(BadValue, match="không phải số nguyên"):
        whole_number("2,5")
    assert cell_text(12.0) == "12" and cell_text(2.5) == "2,5" and cell_text(date(2025, 3, 5)) == "05/03/2025"
    assert cell_text(unicodedata.normalize("NFD", "  Phước  Lợi ")) == "Phước Lợi"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(500000, 500000), (500000.0, 500000), ("500000", 500000), ("500.000", 500000), ("500,000", 500000),
     ("500.000 đ", 500000), ("500.000đ", 500000), ("500 000 VNĐ", 500000), ("1.500.000,00", 1500000),
     ("1,500,000.00", 1500000), ("1,5 triệu", 1500000), ("1.5tr", 1500000), ("1 triệu đồng", 1000000),
     ("1tr5", 1500000), ("2tr250", 2250000), ("500k", 500000), ("300 nghìn", 300000), ("1.500 triệu", 1500000000),
     (550000.0000000001, 550000), ("0", 0), ("", None), (None, None)],
)  # fmt: skip
def test_money_in_the_shapes_officers_type(value: Any, expected: int | None) -> None:
    assert parse_money(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("năm trăm nghìn", "«năm trăm nghìn» không phải số tiền (ví dụ 500.000, 500.000 đ hoặc 1,5 triệu)"),
     ("1.500.5", "«1.500.5» không phải số tiền"), ("-500.000", "«-500.000» không phải số tiền"),
     ("1.5", "«1.5» lẻ dưới một đồng"), (2.5, "«2,5» lẻ dưới một đồng"), (-500000, "«-500000» là số âm"),
     (True, "«Có» không phải số tiền")],
)  # fmt: skip
def test_what_is_no_amount_is_named(value: Any, message: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_money(value)
    assert str(refused.value).startswith(message)
