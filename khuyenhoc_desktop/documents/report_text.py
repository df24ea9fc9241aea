"""The words around the figures, shared by the workbook and the PDF so both say the same thing."""

from __future__ import annotations

from datetime import date

from khuyenhoc_desktop.domain.admin_units import short_name, split_kind
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.services.statistics import CommuneStatistics

HAMLET_HEADER = "Ấp"
NUMBER_HEADER = "STT"
TOTAL_LABEL = "Tổng cộng"
NOTES_HEADING = "Ghi chú"


def report_title(year: int) -> str:
    return f"BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM {year}"


def province_line(stats: CommuneStatistics) -> str:
    """ "Tỉnh Tây Ninh", "Thành phố Hà Nội": the province list keeps the kind word only for cities."""
    name = nfc(stats.province_name)
    kind, _ = split_kind(name)
    return name if kind or not name else f"Tỉnh {name}"


def unit_line(stats: CommuneStatistics) -> str:
    """ "Xã Phước Vĩnh Tây, Tỉnh Tây Ninh": where the figures come from."""
    return ", ".join(part for part in (nfc(stats.commune_name), province_line(stats)) if part)


def superior_body(stats: CommuneStatistics) -> str:
    """The left header's first line, "UBND XÃ PHƯỚC VĨNH TÂY" (Nghị định 30: capitals)."""
    return f"UBND {(nfc(stats.commune_name) or province_line(stats)).upper()}"


def vietnamese_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2025": Nghị định 30 pads days under 10 and the months January and February."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(stats: CommuneStatistics) -> str:
    """ "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025"."""
    place = short_name(nfc(stats.commune_name) or nfc(stats.province_name))
    when = vietnamese_date(stats.generated_at.date())
    return f"{place}, {when}" if place else when[0].upper() + when[1:]
