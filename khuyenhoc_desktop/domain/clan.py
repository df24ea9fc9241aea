"""Clans (dòng họ): the rules a clan record satisfies before it is stored.

A clan spans households and often several hamlets, so it holds lists of ids rather than belonging to one
hamlet the way a household does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, nfc, sort_key

MAX_NAME_LENGTH = 100

CLAN_FIELD_LABELS: dict[str, str] = {
    "name": "Tên dòng họ",
    "representative": "Người đại diện",
    "hamlet_ids": "Các ấp có dòng họ",
    "household_ids": "Các hộ thành viên",
    "note": "Ghi chú",
}

# Officers write the same clan as "Họ Nguyễn Văn" or "Dòng họ Nguyễn Văn"; the family name is what orders it.
_PREFIXES = ("dòng họ ", "họ ")


@dataclass(frozen=True)
class ClanInput:
    name: str
    representative: str = ""
    hamlet_ids: tuple[str, ...] = ()
    household_ids: tuple[str, ...] = ()
    note: str = ""


def clan_record(name: str) -> str:
    """How messages name a clan: «Họ Nguyễn Văn», or "Dòng họ mới" before it has a name."""
    return f"Dòng họ «{name}»" if name else "Dòng họ mới"


def _unique_ids(ids: Sequence[str], record: str, field: str, what: str) -> tuple[str, ...]:
    cleaned = tuple(i.strip() for i in ids if i.strip())
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(record, field, CLAN_FIELD_LABELS[field], f"có {what} được chọn hai lần.")
    return cleaned


def clean_clan(data: ClanInput) -> ClanInput:
    """Normalise and check a clan; raises ValidationError naming the clan and the field."""
    name = nfc(data.name)
    record = clan_record(name)
    labels = CLAN_FIELD_LABELS
    if not name:
        raise ValidationError(record, "name", labels["name"], "chưa nhập tên dòng họ (ví dụ: Họ Nguyễn Văn).")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(record, "name", labels["name"], f"dài quá {MAX_NAME_LENGTH} ký tự.")
    hamlet_ids = _unique_ids(data.hamlet_ids, record, "hamlet_ids", "ấp")
    if not hamlet_ids:
        raise ValidationError(
            record, "hamlet_ids", labels["hamlet_ids"], "hãy chọn ít nhất một ấp có dòng họ sinh sống."
        )
    household_ids = _unique_ids(data.household_ids, record, "household_ids", "hộ")
    return replace(
        data,
        name=name,
        representative=nfc(data.representative),
        hamlet_ids=hamlet_ids,
        household_ids=household_ids,
        note=nfc(data.note),
    )


def clan_search_text(name: str, representative: str, note: str) -> str:
    """The stored folded text the clans register searches in."""
    return fold(" ".join((name, representative, note)))


def clan_sort_key(name: str) -> str:
    """Vietnamese order by the family name, so "Dòng họ Trần" sorts among the T's next to "Họ Trần Văn"."""
    text = nfc(name)
    lower = text.lower()
    for prefix in _PREFIXES:
        if lower.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix) :]
            break
    return sort_key(text)
