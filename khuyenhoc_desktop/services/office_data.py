"""The office's typed copy of what each commune sent: one table per package sheet (`office_<sheet key>`), the
sheet's columns plus provenance (commune, period, package, sequence) on every row.

Reads and writes here go through SQLAlchemy Core with `executemany`, never ORM objects row by row: a province
office holds 300,000 households and 1.2 million members, and a commune's snapshot is replaced whole.
Households also carry their head's name, member count and the register's search and sort keys, and members
their folded name, computed here when a snapshot is written so browsing and duplicate search need no join.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from khuyenhoc_desktop.domain.household import Relation
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.exchange.workbook import SHEETS, SheetSpec
from khuyenhoc_desktop.storage.migrations import household_search_text

Data = dict[str, Any]
PROVENANCE = ("commune_code", "period", "package_id", "sequence")
DERIVED: dict[str, tuple[str, ...]] = {
    "households": ("head_name", "member_count", "search_key", "name_sort"),
    "members": ("name_key",),
}
SPECS: dict[str, SheetSpec] = {spec.key: spec for spec in SHEETS}


def table_name(sheet: str) -> str:
    if sheet not in SPECS:
        raise KeyError(sheet)
    return f"office_{sheet}"


def plain(record: dict[str, object]) -> Data:
    """A record as the office stores it: true/false as 1/0, so a stored row and a package row compare equal."""
    return {k: int(v) if isinstance(v, bool) else v for k, v in record.items()}


def held_rows(session: Session, commune: str, period: str) -> dict[str, dict[str, Data]]:
    """The commune's snapshot for the period: sheet key → record id → the sheet's columns."""
    held: dict[str, dict[str, Data]] = {}
    for sheet, spec in SPECS.items():
        keys = spec.keys
        found = session.execute(
            text(f"SELECT {', '.join(keys)} FROM {table_name(sheet)} WHERE commune_code = :c AND period = :p"),
            {"c": commune, "p": period},
        ).all()
        if found:
            held[sheet] = {str(row[0]): dict(zip(keys, row, strict=True)) for row in found}
    return held


def _derive(sheet: str, record: Data, heads: dict[str, str], counts: Counter[str]) -> Data:
    if sheet == "members":
        return {"name_key": fold(str(record.get("full_name") or ""))}
    if sheet == "households":
        head = heads.get(str(record["id"]), "")
        return {
            "head_name": head,
            "member_count": counts[str(record["id"])],
            "search_key": household_search_text(
                str(record.get("code") or ""),
                head,
                *(str(record.get(k) or "") for k in ("address", "phone", "note")),
            ),
            "name_sort": name_sort_key(head),
        }
    return {}


def replace_snapshot(
    session: Session, commune: str, period: str, package_id: str, sequence: int, rows: dict[str, dict[str, Data]]
) -> int:
    """Delete the commune's snapshot for the period and insert `rows` (sheet key → id → record) in its place,
    inside the caller's transaction. Returns the number of rows written."""
    members = rows.get("members", {}).values()
    heads = {
        str(m["household_id"]): str(m.get("full_name") or "") for m in members if m.get("relation") == Relation.HEAD
    }
    counts = Counter(str(m["household_id"]) for m in members)
    provenance = {"commune_code": commune, "period": period, "package_id": package_id, "sequence": sequence}
    written = 0
    for sheet, spec in SPECS.items():
        table = table_name(sheet)
        where = {"c": commune, "p": period}
        session.execute(text(f"DELETE FROM {table} WHERE commune_code = :c AND period = :p"), where)
        records = rows.get(sheet)
        if not records:
            continue
        columns = (*PROVENANCE, *spec.keys, *DERIVED.get(sheet, ()))
        values = [
            {**provenance, **{k: record.get(k) for k in spec.keys}, **_derive(sheet, record, heads, counts)}
            for record in records.values()
        ]
        session.execute(
            text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"), values
        )
        written += len(values)
    return written
