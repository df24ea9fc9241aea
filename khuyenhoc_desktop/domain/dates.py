"""Which days a record may carry, and the day a new record of the working year starts on.

Every register refuses a day before 2000 (the registers begin in the 2020s: an earlier day is a typing slip)
and after its own limit: today for what has happened (a voucher, a commendation), a year ahead for what is
planned (a ceremony, a class). One rule and one message, so the officer reads the same words everywhere.
"""

from __future__ import annotations

from datetime import date

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import format_date

EARLIEST_DAY = date(2000, 1, 1)


def a_year_after(today: date) -> date:
    """The same day next year (28 February for 29 February): the furthest a plan is entered ahead."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def check_day(value: date, latest: date, record: str, field: str, label: str, earliest: date = EARLIEST_DAY) -> None:
    """Refuse a day outside `earliest`…`latest`, naming the record and the field, and saying the range."""
    if not earliest <= value <= latest:
        raise ValidationError(
            record,
            field,
            label,
            f"ngày {format_date(value)} nằm ngoài khoảng cho phép ({format_date(earliest)} – {format_date(latest)}).",
        )


def default_day(year: int, today: date | None = None) -> date:
    """Today when it falls in `year` (the working year), else the nearest day of that year."""
    today = today or date.today()
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))
