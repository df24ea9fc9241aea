"""Which days a record may carry (domain/dates.py): one range check and one message for every register."""

from __future__ import annotations

from datetime import date

import pytest

from khuyenhoc_desktop.domain.dates import EARLIEST_DAY, a_year_after, check_day, default_day
from khuyenhoc_desktop.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("today", "latest"),
    [(date(2025, 12, 15), date(2026, 12, 15)), (date(2024, 2, 29), date(2025, 2, 28))],
)
def test_a_year_after_is_the_same_day_next_year_or_the_end_of_february(today: date, latest: date) -> None:
    assert a_year_after(today) == latest


@pytest.mark.parametrize("day", [EARLIEST_DAY, date(2025, 12, 15)])
def test_check_day_accepts_both_ends_of_the_range(day: date) -> None:
    check_day(day, date(2025, 12, 15), "Phiếu thu mới", "entry_on", "Ngày")


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(1999, 12, 31), "ngày 31/12/1999 nằm ngoài khoảng cho phép (01/01/2000 – 15/12/2025)."),
        (date(2025, 12, 16), "ngày 16/12/2025 nằm ngoài khoảng cho phép (01/01/2000 – 15/12/2025)."),
    ],
)
def test_check_day_refuses_outside_the_range_naming_record_field_and_range(day: date, shown: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_day(day, date(2025, 12, 15), "Giấy khen «Nguyễn Văn An»", "honoured_on", "Ngày khen")
    assert (refused.value.record, refused.value.field, refused.value.message) == (
        "Giấy khen «Nguyễn Văn An»",
        "honoured_on",
        shown,
    )


def test_check_day_takes_an_earlier_limit_of_its_own() -> None:
    with pytest.raises(ValidationError, match=r"\(01/09/2025 – 31/08/2026\)"):
        check_day(date(2025, 8, 31), date(2026, 8, 31), "Năm học 2025-2026", "day", "Ngày", earliest=date(2025, 9, 1))


@pytest.mark.parametrize(
    ("year", "day"),
    [(2025, date(2025, 6, 10)), (2024, date(2024, 12, 31)), (2027, date(2027, 1, 1))],
)
def test_default_day_is_today_within_the_working_year_else_its_nearest_day(year: int, day: date) -> None:
    assert default_day(year, today=date(2025, 6, 10)) == day
