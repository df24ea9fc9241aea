"""The office's typed copy of what each commune sent: one table per package sheet (`office_<sheet key>`), the
sheet's columns plus provenance (commune, period, package, sequence) on every row.

Reads and writes here are plain SQL with `executemany` on the session's connection, never ORM objects row by
row: a province office holds 300,000 households and 1.2 million members, and a commune's snapshot is replaced
whole.
Households also carry their head's name, member count and the register's search and sort keys, and members
their folded name, computed here when a snapshot is written so browsing and duplicate search need no join.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlmodel import Session

from khuyenhoc_desktop.domain.household import Relation
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.exchange.workbook import BOOL, SHEETS, SheetSpec
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


def make_plain(sheet: str, records: list[dict[str, object]]) -> None:
    """Records as the office stores them, in place: true/false as 1/0, so a stored row and a package row compare
    equal. Only the sheet's true/false columns are looked at (two sheets have one), so a commune's 12,000
    members are neither copied nor walked field by field."""
    flags = [c.key for c in SPECS[sheet].columns if c.kind == BOOL]
    for record in records if flags else ():
        for key in flags:
            value = record.get(key)
            if isinstance(value, bool):
                record[key] = int(value)


def held_rows(session: Session, commune: str, period: str) -> dict[str, dict[str, Data]]:
    """The commune's snapshot for the period: sheet key → record id → the sheet's columns."""
    connection = session.connection()
    held: dict[str, dict[str, Data]] = {}
    for sheet, spec in SPECS.items():
        keys = spec.keys
        found = connection.exec_driver_sql(
            f"SELECT {', '.join(keys)} FROM {table_name(sheet)} WHERE commune_code = ? AND period = ?",
            (commune, period),
        ).all()
        if found:
            held[sheet] = {str(row[0]): dict(zip(keys, row, strict=True)) for row in found}
    return held


Derived = dict[str, list[tuple[object, ...]]]  # sheet key → the DERIVED columns of its records, in their order


def _derive(sheet: str, records: list[Data], heads: dict[str, str], counts: Counter[str]) -> list[tuple[object, ...]]:
    if sheet == "members":
        return [(fold(str(record.get("full_name") or "")),) for record in records]
    derived: list[tuple[object, ...]] = []
    for record in records:
        head = heads.get(str(record["id"]), "")
        search_key = household_search_text(
            str(record.get("code") or ""), head, *(str(record.get(k) or "") for k in ("address", "phone", "note"))
        )
        derived.append((head, counts[str(record["id"])], search_key, name_sort_key(head)))
    return derived


def derive(rows: dict[str, dict[str, Data]]) -> Derived:
    """The stored keys of a snapshot's households and members (see DERIVED). Pure, so a batch computes them
    for the next package while the previous one is written."""
    members = rows.get("members", {}).values()
    heads = {
        str(m["household_id"]): str(m.get("full_name") or "") for m in members if m.get("relation") == Relation.HEAD
    }
    counts = Counter(str(m["household_id"]) for m in members)
    return {sheet: _derive(sheet, list(rows[sheet].values()), heads, counts) for sheet in DERIVED if rows.get(sheet)}


def replace_snapshot(
    session: Session,
    commune: str,
    period: str,
    package_id: str,
    sequence: int,
    rows: dict[str, dict[str, Data]],
    derived: Derived | None = None,
) -> int:
    """Delete the commune's snapshot for the period and insert `rows` (sheet key → id → record) in its place,
    inside the caller's transaction; `derived` is `derive(rows)` when already computed. Returns the number of
    rows written.

    One `executemany` of plain tuples per table, straight to the driver: SQLAlchemy's per-row parameter
    processing would cost as much as SQLite's own work. The unique (commune, period, id) index stays: it is
    what makes a snapshot's delete cheap and a duplicated id in a package fail loudly."""
    derived = derive(rows) if derived is None else derived
    provenance = (commune, period, package_id, sequence)
    connection = session.connection()
    written = 0
    for sheet, spec in SPECS.items():
        table = table_name(sheet)
        connection.exec_driver_sql(f"DELETE FROM {table} WHERE commune_code = ? AND period = ?", (commune, period))
        records = list(rows.get(sheet, {}).values())
        if not records:
            continue
        columns = (*PROVENANCE, *spec.keys, *DERIVED.get(sheet, ()))
        keys = spec.keys
        extra = derived.get(sheet) or [()] * len(records)
        values = [(*provenance, *map(r.get, keys), *d) for r, d in zip(records, extra, strict=True)]
        connection.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values
        )
        written += len(values)
    return written
