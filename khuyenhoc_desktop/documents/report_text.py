"""The words around the figures and at the head of every paper: who issues it, from where, on what day. The
workbooks, the PDFs and the vouchers all take them from here, so they name the office the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from khuyenhoc_desktop.domain.admin_units import short_name, split_kind
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.services.statistics import CommuneStatistics

if TYPE_CHECKING:
    from khuyenhoc_desktop.storage.tables import Profile

HAMLET_HEADER = "Ấp"
NUMBER_HEADER = "STT"
TOTAL_LABEL = "Tổng cộng"
NOTES_HEADING = "Ghi chú"


def report_title(year: int) -> str:
    return f"BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM {year}"


def vietnamese_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2025": Nghị định 30 pads days under 10 and the months January and February."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def dated(place: str, day: date) -> str:
    """ "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025"; with no place, a sentence of its own ("Ngày 02 tháng 3…")."""
    when = vietnamese_date(day)
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


@dataclass(frozen=True)
class Letterhead:
    """Who issues a paper and who signs it, as the profile names them."""

    commune_name: str  # "Xã Phước Vĩnh Tây"; "" for a consolidating office
    province_name: str
    association_name: str = ""
    officer_name: str = ""  # who drew the paper up ("Người lập")
    signer_title: str = ""
    signer_name: str = ""

    @property
    def province_line(self) -> str:
        """ "Tỉnh Tây Ninh", "Thành phố Hà Nội": the province list keeps the kind word only for cities."""
        name = nfc(self.province_name)
        kind, _ = split_kind(name)
        return name if kind or not name else f"Tỉnh {name}"

    @property
    def address(self) -> str:
        """ "Xã Phước Vĩnh Tây, Tỉnh Tây Ninh": where the paper comes from."""
        return ", ".join(part for part in (nfc(self.commune_name), self.province_line) if part)

    @property
    def superior_body(self) -> str:
        """The left header's first line, "UBND XÃ PHƯỚC VĨNH TÂY" (Nghị định 30: capitals)."""
        return f"UBND {(nfc(self.commune_name) or self.province_line).upper()}"

    def date_line(self, day: date) -> str:
        """ "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025"."""
        return dated(short_name(nfc(self.commune_name) or nfc(self.province_name)), day)


def letterhead_of(profile: Profile | None) -> Letterhead:
    if profile is None:
        return Letterhead("", "")
    return Letterhead(
        commune_name=profile.commune_name,
        province_name=profile.province_name,
        association_name=profile.association_name,
        officer_name=profile.officer_name,
        signer_title=profile.signer_title,
        signer_name=profile.signer_name,
    )


def report_letterhead(stats: CommuneStatistics) -> Letterhead:
    """The report's issuer, as the figures were read with it (the profile at the time)."""
    return Letterhead(
        commune_name=stats.commune_name,
        province_name=stats.province_name,
        association_name=stats.association_name,
        signer_title=stats.signer_title,
        signer_name=stats.signer_name,
    )
