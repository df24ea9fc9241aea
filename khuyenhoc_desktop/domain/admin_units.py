"""The official list of provinces and communes after the 1 July 2025 reform (QĐ 19/2025/QĐ-TTg codes).

Taken from the maintained `vietnam-provinces` package rather than typed by hand, so a code fix upstream
reaches us with a version bump.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward

from khuyenhoc_desktop.domain.text import sort_key

# Southern provinces call their hamlets "ấp"; the rest say "thôn" (and "khu phố"/"tổ dân phố" in towns).
_FIRST_SOUTHERN_PROVINCE = 75


@dataclass(frozen=True)
class AdminUnit:
    code: str
    name: str
    province_code: str = ""


def province_code_text(code: int) -> str:
    return f"{code:02d}"


def commune_code_text(code: int) -> str:
    return f"{code:05d}"


@cache
def provinces() -> tuple[AdminUnit, ...]:
    units = (AdminUnit(province_code_text(p.code.value), p.name) for p in Province.iter_all())
    return tuple(sorted(units, key=lambda u: sort_key(u.name)))


@cache
def communes(province_code: str) -> tuple[AdminUnit, ...]:
    code = int(province_code)
    units = (
        AdminUnit(commune_code_text(w.code.value), w.name, province_code_text(code))
        for w in Ward.iter_all()
        if w.province_code.value == code
    )
    return tuple(sorted(units, key=lambda u: sort_key(u.name)))


def commune(code: str) -> AdminUnit:
    """Look up a commune by its 5-digit code; ValueError (Vietnamese) when it is not on the list."""
    try:
        ward = Ward.from_code(int(code))  # type: ignore[arg-type]
    except (ValueError, KeyError) as exc:
        raise ValueError(f"Không có xã, phường mã {code} trong danh mục năm 2025") from exc
    return AdminUnit(commune_code_text(ward.code.value), ward.name, province_code_text(ward.province_code.value))


def province(code: str) -> AdminUnit:
    for unit in provinces():
        if unit.code == code:
            return unit
    raise ValueError(f"Không có tỉnh, thành phố mã {code} trong danh mục năm 2025")


def hamlet_word(province_code: str) -> str:
    """The word officers of this province use for a hamlet."""
    return "Ấp" if int(province_code) >= _FIRST_SOUTHERN_PROVINCE else "Thôn"


_KINDS = ("Thành phố", "Tỉnh", "Xã", "Phường", "Đặc khu")


def split_kind(unit_name: str) -> tuple[str, str]:
    """Split "Xã Phước Vĩnh Tây" into ("Xã", "Phước Vĩnh Tây"); a name without a kind word gives ("", name)."""
    for kind in _KINDS:
        if unit_name.startswith(kind + " "):
            return kind, unit_name[len(kind) + 1 :]
    return "", unit_name


def short_name(unit_name: str) -> str:
    """The name without its kind word ("Phước Vĩnh Tây"), for place-and-date lines and headers."""
    return split_kind(unit_name)[1]


def in_running_text(unit_name: str) -> str:
    """The name as written inside a sentence: the kind word in lower case ("xã Phước Vĩnh Tây")."""
    kind, name = split_kind(unit_name)
    return f"{kind.lower()} {name}" if kind else name
