"""Reading the values officers type in their own spreadsheets, and matching their column headers to fields.

Lists kept by hand mix "Nam"/"nữ"/"F", "x"/"Đạt"/"1" for yes, dates typed as text in several shapes or
stored as Excel serial numbers, and headers with or without diacritics. Every reader of such a list (the
citizens' results, the households, later members and awards) maps them the same way, here, without Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from khuyenhoc_desktop.domain.household import MIN_BIRTH_YEAR, Sex
from khuyenhoc_desktop.domain.text import fold, format_date, nfc

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
_SHORT_YEAR_PIVOT = 30  # d/m/yy: 00–30 are 2000s, the rest 1900s


class BadValue(ValueError):
    """One cell's problem, in the words that follow "Dòng N, cột «…»: "."""


def words(text: str) -> str:
    """Folded, with punctuation as spaces: "Thôn, ấp (*)" → "thon ap"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def cell_text(value: Any) -> str:
    """A cell as the officer reads it: whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, datetime | date):
        return format_date(value)
    return nfc(str(value))


def match_headers(
    headers: Sequence[str], aliases: Mapping[str, Sequence[str]], taken: set[int] | None = None
) -> dict[str, int]:
    """Which column holds which field (0-based), from the header texts: an alias equal to the header
    (accents, case, spacing and punctuation ignored) first, else a longer alias as whole words within
    ("Họ và tên chủ hộ (*)"). Fields are tried in the order of `aliases`; a column serves one field."""
    folded = [words(h) for h in headers]
    used = set(taken or ())
    mapping: dict[str, int] = {}
    for field, names in aliases.items():
        found = next((i for alias in names for i, t in enumerate(folded) if i not in used and t == alias), None)
        if found is None:
            found = next(
                (
                    i
                    for alias in names
                    if " " in alias
                    for i, t in enumerate(folded)
                    if i not in used and f" {alias} " in f" {t} "
                ),
                None,
            )
        if found is not None:
            mapping[field] = found
            used.add(found)
    return mapping


def name_reader(missing: str) -> Callable[[Any], str]:
    """Reads a person's name cell; blank is "" unless `missing` says what is missing ("chưa có họ tên chủ hộ")."""

    def read(value: Any) -> str:
        name = cell_text(value)
        if not name and missing:
            raise BadValue(missing)
        if name and not any(ch.isalpha() for ch in name):
            raise BadValue(f"«{name}» không phải họ tên")
        return name

    return read


def whole_number(value: Any) -> int | None:
    """A count or a score: 12, 12.0, "12", "12,0"; blank is None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadValue(f"«{cell_text(value)}» không phải số")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue(f"«{cell_text(value)}» không phải số nguyên")
        return int(value)
    text = nfc(str(value)).replace(" ", "")
    if re.fullmatch(r"\d+(?:[.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    if re.fullmatch(r"\d+[.,]\d+", text):
        raise BadValue(f"«{nfc(str(value))}» không phải số nguyên")
    raise BadValue(f"«{nfc(str(value))}» không phải số")


_MONEY = re.compile(r"(?P<number>\d[\d.,]*)(?:(?P<unit>trieu|tr|nghin|ngan|k|ty)(?P<tail>\d{1,3})?)?(?:dong|d|vnd)?")
_MONEY_UNITS = {"trieu": 1_000_000, "tr": 1_000_000, "nghin": 1_000, "ngan": 1_000, "k": 1_000, "ty": 1_000_000_000}
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?:(?P<point>[.,])(?P<fraction>\d+))?")
_MONEY_EXAMPLE = "ví dụ 500.000, 500.000 đ hoặc 1,5 triệu"


def _decimal(number: str) -> Decimal | None:
    """ "500.000", "500,000", "1.500.000,00" group thousands; "1,5" and "1.5" are decimals (a lone separator
    before exactly three digits groups: "1.500" is 1500)."""
    if number.isdigit():
        return Decimal(number)
    grouped = _GROUPED.fullmatch(number)
    if grouped is not None and grouped["point"] != grouped["sep"]:
        whole = number[: grouped.start("point")] if grouped["point"] else number
        return Decimal(f"{whole.replace(grouped['sep'], '')}.{grouped['fraction'] or 0}")
    plain = re.fullmatch(r"(\d+)[.,](\d+)", number)
    return Decimal(f"{plain[1]}.{plain[2]}") if plain else None


def parse_money(value: Any) -> int | None:
    """An amount of whole VND as officers type it: 500000, "500.000", "500,000", "500.000 đ", "500k",
    "1,5 triệu", "1.5tr", "1tr5"; blank is None."""
    if value is None or value == "":
        return None
    typed = cell_text(value)
    if isinstance(value, bool):
        raise BadValue(f"«{typed}» không phải số tiền ({_MONEY_EXAMPLE})")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):  # a formula's result carries binary noise Excel does not show: 550000.0000000001
        amount = Decimal(str(round(value, 2)))
    else:
        found = _MONEY.fullmatch(re.sub(r"\s+", "", fold(typed)))
        number = None if found is None else _decimal(found["number"])
        if found is not None and found["tail"]:  # "1tr5": the digits after the unit are its fraction
            number = Decimal(f"{found['number']}.{found['tail']}") if found["number"].isdigit() else None
        if found is None or number is None:
            raise BadValue(f"«{typed}» không phải số tiền ({_MONEY_EXAMPLE})")
        amount = number * _MONEY_UNITS.get(found["unit"] or "", 1)
    if amount < 0:
        raise BadValue(f"«{typed}» là số âm")
    if amount != amount.to_integral_value():
        raise BadValue(f"«{typed}» lẻ dưới một đồng ({_MONEY_EXAMPLE})")
    return int(amount)


def _day_from_text(text: str) -> date | None:
    """dd/mm/yyyy or d/m/yy (also with '-' or '.'); None when the text is not shaped like a date."""
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})", text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        year += 2000 if year <= _SHORT_YEAR_PIVOT else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f"«{text}» không phải ngày có thật") from None


def parse_day(value: Any) -> date | None:
    """A date cell, an Excel serial number, or text as dd/mm/yyyy or d/m/yy; blank is None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = nfc(str(value))
    found = _day_from_text(text)
    if found is None:
        raise BadValue(f"«{text}» không phải ngày (ví dụ 15/03/2025 hoặc 15/3/25)")
    return found


def parse_year(value: Any, this_year: int) -> int | None:
    """A year from a date cell, a bare year, an Excel date serial, or text such as 15/03/1985, 5/3/85
    or 03/1985; numbers up to `this_year` are years, larger ones are Excel serials."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        if int(value) <= this_year:
            return int(value)
    elif not isinstance(value, datetime | date):
        text = nfc(str(value))
        match = re.fullmatch(r"(?:\d{1,2}\s*[/.\-]\s*)?(\d{4})", text)
        if match is not None:
            return int(match.group(1))
        found = _day_from_text(text)
        if found is None:
            raise BadValue(f"«{text}» không phải năm sinh hay ngày sinh (ví dụ 1985 hoặc 15/03/1985)")
        return found.year
    day = parse_day(value)
    return day.year if day is not None else None


def parse_birth_year(value: Any) -> int | None:
    """A birth year as `parse_year` reads it, within the years the registers accept."""
    this_year = date.today().year
    year = parse_year(value, this_year)
    if year is not None and not MIN_BIRTH_YEAR <= year <= this_year:
        raise BadValue(f"năm sinh {year} phải nằm trong khoảng {MIN_BIRTH_YEAR}–{this_year}")
    return year


def parse_sex(value: Any) -> str | None:
    """Nam/Nữ (and the M/F, trai/gái officers also write) to the stored code; blank is None."""
    text = words(cell_text(value))
    if not text:
        return None
    if text in ("nam", "m", "male", "trai"):
        return Sex.MALE
    if text in ("nu", "f", "female", "gai"):
        return Sex.FEMALE
    raise BadValue(f"«{cell_text(value)}» không phải «Nam» hay «Nữ»")


_YES = ("x", "1", "co", "dat", "cong nhan", "yes", "true", "v")
_NO = ("0", "khong", "khong dat", "chua dat", "khong cong nhan", "chua cong nhan", "no", "false")


def parse_yes(value: Any) -> bool | None:
    """A tick column: "x", "Đạt", "1", "Có" are yes; "0", "Không", "Không đạt" are no; blank is None."""
    if isinstance(value, bool):
        return value
    text = words(cell_text(value))
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadValue(f"«{cell_text(value)}» không phải «x», «Có», «Đạt» hay «Không»")
