"""Cross-commune duplicates (issue 6): people, and households by their heads, that two or more communes sent
for the same period, with the officer's decisions on them.

A match is the same folded name (`name_key`, accents and case ignored) and the same birth year (people whose
birth year is unknown are never matched). Packages carry no national ID, so nothing stronger is available.
Matches are read as groups (one name and birth year found in several communes) and reviewed as pairs of
records from different communes. Two household heads matching are reviewed once, as a pair of households,
not again as a pair of people.

Decisions ("Giữ cả hai", "Đánh dấu trùng") are stored per pair in `duplicate_decision`, the smaller
(commune, record) first so the pair is found again whichever way round it is named. Record ids travel
unchanged from year to year, so a decision stays with the pair in later periods. Deciding and withdrawing go
through `record_change`: audited and undoable.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import combinations
from operator import attrgetter
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import RELATION_LABELS, Relation
from khuyenhoc_desktop.domain.text import name_sort_key, nfc
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.bulk import cyclic_gc_paused
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import DuplicateDecision, utc_now

PEOPLE, HOUSEHOLDS = "members", "households"  # the sheet a decision is about, as `duplicate_decision` stores it
KIND_LABELS: dict[str, str] = {PEOPLE: "Người", HOUSEHOLDS: "Hộ gia đình"}


class Decision(StrEnum):
    KEEP_BOTH = "keep_both"
    DUPLICATE = "duplicate"


DECISION_LABELS: dict[str, str] = {Decision.KEEP_BOTH: "Giữ cả hai", Decision.DUPLICATE: "Đánh dấu trùng"}

Ref = tuple[str, str]  # (commune code, record id): a member's id, or a household's id
SHORT_ID = 8  # characters of a record id shown to the officer; a longer prefix or the whole id is accepted

_WIDTH = 3  # digits of the byte-length mark `_GROUPS_SQL` puts before the name it shows

# One pass over the period's members. Without the index on purpose: walking ix_office_members_name needs each
# row's commune from the table in name order (random reads), measured 2.5 s at 1.2 million members, against
# 1.0 s for a scan and one sort (benchmarks/bench_office_duplicates.py). Namesakes within one commune come too
# (telling them apart in SQL costs more than in Python). The name shown is `_best_written`'s, marked with its
# byte length so one min() finds it.
_GROUPS_SQL = f"""
SELECT name_key, birth_year, min(printf('%0{_WIDTH}d', 999 - length(CAST(full_name AS BLOB))) || full_name),
       group_concat(commune_code), group_concat(CASE WHEN relation = '{Relation.HEAD}' THEN commune_code END)
FROM office_members NOT INDEXED
WHERE period = :p AND birth_year IS NOT NULL AND name_key <> ''
GROUP BY name_key, birth_year HAVING count(*) > 1
"""

# A record's side of a pair; households are found through their heads. `{where}` picks the members.
_ENTRIES_SQL = """
SELECT m.name_key, m.birth_year, m.commune_code, m.id, m.full_name, m.relation, m.household_id,
       m.household_code, coalesce(h.head_name, ''), coalesce(h.hamlet_name, ''), coalesce(h.member_count, 0)
FROM office_members m
LEFT JOIN office_households h ON h.commune_code = m.commune_code AND h.period = m.period AND h.id = m.household_id
WHERE m.period = :p AND {where}
"""
_HEADS_ONLY = f" AND m.relation = '{Relation.HEAD}'"


@dataclass(slots=True)
class Group:
    """One folded name and birth year found in several communes. Read-only by convention, not frozen: a province
    has 200,000 groups, and a frozen dataclass's __init__ takes twice as long (0.3 s against 0.13 s)."""

    id: str  # "members|nguyen van an|1980": stored, as pages look groups up by id among 200,000
    sheet: str
    name_key: str
    birth_year: int
    full_name: str  # the spelling with the most accents (`_best_written`)
    name_sort: str  # Vietnamese name order of full_name
    communes: tuple[str, ...]  # codes, ascending
    records: int  # people, or households
    pairs: int  # pairs of records from different communes
    decided: int

    @property
    def open(self) -> int:
        return self.pairs - self.decided


@dataclass(frozen=True, slots=True)
class Groups:
    period: str
    people: tuple[Group, ...]
    households: tuple[Group, ...]

    def of(self, sheet: str) -> tuple[Group, ...]:
        return self.people if sheet == PEOPLE else self.households

    def open_pairs(self, sheet: str) -> int:
        return sum(group.open for group in self.of(sheet))


@dataclass(frozen=True, slots=True)
class Side:
    """One record of a pair, with what the officer needs to judge it."""

    sheet: str
    commune_code: str
    commune_name: str
    record_id: str  # the member's id, or the household's
    name_key: str
    full_name: str  # the person's name; for a household, its head's
    birth_year: int | None
    relation: str
    household_id: str
    household_code: str
    head_name: str
    hamlet_name: str
    member_count: int

    @property
    def ref(self) -> Ref:
        return self.commune_code, self.record_id

    @property
    def short_ref(self) -> str:
        """ "28201:3f2a9c1b": what the officer types to name the record in `khuyenhoc duplicate-mark`."""
        return f"{self.commune_code}:{self.record_id[:SHORT_ID]}"

    @property
    def relation_label(self) -> str:
        return RELATION_LABELS.get(self.relation, self.relation)

    @property
    def is_head(self) -> bool:
        return self.relation == Relation.HEAD


@dataclass(frozen=True, slots=True)
class Pair:
    sheet: str
    first: Side  # the smaller (commune, record): the order the decision is stored in
    second: Side
    decision: str | None
    note: str

    @property
    def id(self) -> str:
        return f"{self.first.commune_code}:{self.first.record_id}|{self.second.commune_code}:{self.second.record_id}"

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS[self.decision] if self.decision else "Chưa quyết định"

    @property
    def title(self) -> str:
        """ "Nguyễn Văn An (1980) ở Xã A và Xã B": the pair in an audit label or a message."""
        what = "hộ " if self.sheet == HOUSEHOLDS else ""
        born = f" ({self.first.birth_year})" if self.first.birth_year else ""
        return f"{what}{self.first.full_name}{born} ở {self.first.commune_name} và {self.second.commune_name}"


DecisionIndex = dict[tuple[str, Ref, Ref], DuplicateDecision]


def _period(year: int) -> str:
    return str(year)


def _commune_names(workspace: Workspace) -> dict[str, str]:
    return {commune.code: commune.name for commune in office.list_communes(workspace)}


def _best_written(names: Iterable[str]) -> str:
    """The spelling a group is shown by: the one with the most accents (the longest in UTF-8, so "Nguyễn Văn An"
    over "Nguyen van an"), then the first in code point order (capitals first)."""
    return min(names, key=lambda name: (-len(name.encode("utf-8")), name))


def _spread(codes: list[str]) -> tuple[tuple[str, ...], int]:
    """The communes of a group's records (ascending) and its pairs of records from different communes. Runs for
    every group: most have one record per commune, counted without a dict."""
    communes = set(codes)
    total = len(codes)
    if len(communes) == total:
        return tuple(sorted(communes)), total * (total - 1) // 2
    counts = dict.fromkeys(communes, 0)
    for code in codes:
        counts[code] += 1
    return tuple(sorted(communes)), (total * total - sum(count * count for count in counts.values())) // 2


def _live_decisions(session: Session) -> list[DuplicateDecision]:
    return list(session.exec(select(DuplicateDecision).where(col(DuplicateDecision.deleted_at).is_(None))).all())


def _decision_index(session: Session) -> DecisionIndex:
    return {
        (d.sheet, (d.first_commune, d.first_record), (d.second_commune, d.second_record)): d
        for d in _live_decisions(session)
    }


def _match_keys(session: Session, period: str, sheet: str, refs: set[Ref]) -> dict[Ref, tuple[str, int, bool]]:
    """Each record's folded name, birth year and whether the person heads a household (a household is known by
    its head). Reads only the communes named, through the (commune, period, id) index."""
    if not refs:
        return {}
    column = "id" if sheet == PEOPLE else "household_id"
    heads = "" if sheet == PEOPLE else _HEADS_ONLY
    found = session.execute(
        text(
            f"SELECT m.commune_code, m.{column}, m.name_key, m.birth_year, m.relation FROM office_members m "
            "WHERE m.commune_code IN (SELECT value FROM json_each(:communes)) AND m.period = :p "
            f"AND m.{column} IN (SELECT value FROM json_each(:ids)) AND m.birth_year IS NOT NULL{heads}"
        ),
        {
            "p": period,
            "communes": json.dumps(sorted({commune for commune, _ in refs})),
            "ids": json.dumps(sorted({record for _, record in refs})),
        },
    ).all()
    return {
        (commune, record): (name_key, birth_year, relation == Relation.HEAD)
        for commune, record, name_key, birth_year, relation in found
        if (commune, record) in refs
    }


def _decided_counts(session: Session, period: str) -> Counter[str]:
    """Live decisions per group id, counting only pairs that still match."""
    counts: Counter[str] = Counter()
    decisions = _live_decisions(session)
    for sheet in (PEOPLE, HOUSEHOLDS):
        of_sheet = [d for d in decisions if d.sheet == sheet]
        refs = {
            ref for d in of_sheet for ref in ((d.first_commune, d.first_record), (d.second_commune, d.second_record))
        }
        keys = _match_keys(session, period, sheet, refs)
        for decision in of_sheet:
            first = keys.get((decision.first_commune, decision.first_record))
            second = keys.get((decision.second_commune, decision.second_record))
            if first is None or second is None or first[:2] != second[:2]:
                continue  # a record corrected or gone since: no longer a match this period
            if sheet == PEOPLE and first[2] and second[2]:
                continue  # two heads: reviewed as households
            counts[f"{sheet}|{first[0]}|{first[1]}"] += 1
    return counts


class _NameKeys(dict[str, str]):
    """Vietnamese name order keys; a name repeats across thousands of groups, so each is keyed once."""

    def __missing__(self, full_name: str) -> str:
        key = self[full_name] = name_sort_key(full_name)
        return key


def find_groups(workspace: Workspace, year: int) -> Groups:
    """The year's groups of people and of households found in two or more communes, in Vietnamese name order,
    each with its number of pairs and how many of them are decided."""
    office.require_office_role(workspace)
    period = _period(year)
    people: list[Group] = []
    households: list[Group] = []
    name_keys = _NameKeys()
    # 200,000 groups and their rows stay alive to the end: the cyclic collector would rescan them again and again
    # without freeing one (0.4 s of 2.8 s, measured), so it waits, as the demo's build does.
    with session_scope(workspace.engine) as session, cyclic_gc_paused():
        decided = _decided_counts(session, period)
        # The driver's own tuples: SQLAlchemy's rows cost a sixth of the time at 190,000 groups.
        cursor = session.connection().connection.cursor()
        cursor.execute(_GROUPS_SQL, {"p": period})
        for name_key, birth_year, marked_name, in_communes, heads_in in cursor.fetchall():
            full_name, name_sort = marked_name[_WIDTH:], name_keys[marked_name[_WIDTH:]]
            key = f"{name_key}|{birth_year}"
            everyone = in_communes.split(",")
            heads = heads_in.split(",") if heads_in else []
            head_communes, head_pairs = _spread(heads) if len(heads) > 1 else ((), 0)
            communes, pairs = _spread(everyone)
            if pairs > head_pairs:
                group_id = f"{PEOPLE}|{key}"
                people.append(Group(group_id, PEOPLE, name_key, birth_year, full_name, name_sort, communes,
                                    len(everyone), pairs - head_pairs, decided[group_id]))  # fmt: skip
            if head_pairs:
                group_id = f"{HOUSEHOLDS}|{key}"
                households.append(Group(group_id, HOUSEHOLDS, name_key, birth_year, full_name, name_sort,
                                        head_communes, len(heads), head_pairs, decided[group_id]))  # fmt: skip
        people.sort(key=attrgetter("name_sort", "birth_year"))
        households.sort(key=attrgetter("name_sort", "birth_year"))
    return Groups(period, tuple(people), tuple(households))


def _sides(session: Session, period: str, where: str, params: dict[str, Any], names: dict[str, str]) -> list[Side]:
    """The people `where` picks (alias m), each as a person's side, and a head also as its household's side."""
    found = session.execute(text(_ENTRIES_SQL.format(where=where)), {"p": period, **params}).all()
    sides: list[Side] = []
    for name_key, birth_year, commune, member_id, full_name, relation, household_id, code, head, hamlet, size in found:
        person = Side(PEOPLE, commune, names.get(commune, commune), member_id, name_key, full_name, birth_year,
                      relation, household_id, code, head, hamlet, size)  # fmt: skip
        sides.append(person)
        if person.is_head:
            sides.append(replace(person, sheet=HOUSEHOLDS, record_id=household_id))
    return sides


def _pairs(sides: Iterable[Side], index: DecisionIndex) -> list[Pair]:
    """The pairs of one group's records (of one sheet) from different communes, each in its stored order."""
    pairs = []
    for first, second in combinations(sorted(sides, key=lambda side: side.ref), 2):
        if first.commune_code == second.commune_code:
            continue
        if first.sheet == PEOPLE and first.is_head and second.is_head:
            continue  # reviewed as a pair of households
        decided = index.get((first.sheet, first.ref, second.ref))
        if decided is None:
            pairs.append(Pair(first.sheet, first, second, None, ""))
        else:
            pairs.append(Pair(first.sheet, first, second, decided.decision, decided.note))
    return pairs


def _group_sides(session: Session, period: str, group: Group, names: dict[str, str]) -> list[Side]:
    sides = _sides(
        session, period, "m.name_key = :k AND m.birth_year = :y", {"k": group.name_key, "y": group.birth_year}, names
    )
    return [side for side in sides if side.sheet == group.sheet]


def group_pairs(workspace: Workspace, year: int, group: Group) -> list[Pair]:
    """The group's pairs, decided or not, read through the name index (milliseconds at province scale)."""
    with session_scope(workspace.engine) as session:
        sides = _group_sides(session, _period(year), group, _commune_names(workspace))
        return _pairs(sides, _decision_index(session))


def refresh_group(workspace: Workspace, year: int, group: Group) -> Group | None:
    """The group as it stands now (after a decision, say); None when it no longer has a pair."""
    with session_scope(workspace.engine) as session:
        sides = _group_sides(session, _period(year), group, _commune_names(workspace))
        pairs = _pairs(sides, _decision_index(session))
    if not pairs:
        return None
    full_name = _best_written(side.full_name for side in sides)
    return replace(
        group,
        full_name=full_name,
        name_sort=name_sort_key(full_name),
        communes=tuple(sorted({side.commune_code for side in sides})),
        records=len(sides),
        pairs=len(pairs),
        decided=sum(1 for pair in pairs if pair.decision),
    )


def all_pairs(workspace: Workspace, year: int) -> list[Pair]:
    """Every pair of the year, people then households, groups in name order: for a list on paper or in a
    spreadsheet. Reads every matched person in one statement."""
    office.require_office_role(workspace)
    period = _period(year)
    where = f"(m.name_key, m.birth_year) IN (SELECT name_key, birth_year FROM ({_GROUPS_SQL}))"
    with session_scope(workspace.engine) as session:
        sides = _sides(session, period, where, {}, _commune_names(workspace))
        index = _decision_index(session)
    by_group: dict[tuple[str, str, int | None], list[Side]] = {}
    for side in sides:
        by_group.setdefault((side.sheet, side.name_key, side.birth_year), []).append(side)
    name_keys = _NameKeys()

    def key(item: tuple[tuple[str, str, int | None], list[Side]]) -> tuple[bool, str, int]:
        (sheet, _, birth_year), members = item
        return sheet != PEOPLE, name_keys[_best_written(side.full_name for side in members)], birth_year or 0

    return [pair for _, members in sorted(by_group.items(), key=key) for pair in _pairs(members, index)]


def parse_ref(typed: str) -> Ref:
    """ "28201:3f2a9c1b" → ("28201", "3f2a9c1b"): a commune code and a record id or its first characters."""
    commune, colon, record = nfc(typed).partition(":")
    if not colon or not commune.strip() or not record.strip():
        raise UserError(
            f"«{nfc(typed)}» chưa đúng dạng MÃ_XÃ:MÃ_ĐỊNH_DANH "
            "(ví dụ 28201:3f2a9c1b, như cột «Mã» của danh sách trùng)."
        )
    return commune.strip(), record.strip().lower()


def _find_side(session: Session, period: str, ref: Ref, names: dict[str, str]) -> Side:
    """The person or household `ref` names in the period's data; its id may be cut short if still unique."""
    commune, record = ref
    where = (
        "m.commune_code = :c AND (substr(m.id, 1, length(:r)) = :r "
        f"OR (substr(m.household_id, 1, length(:r)) = :r{_HEADS_ONLY}))"
    )
    found = {
        side.record_id: side
        for side in _sides(session, period, where, {"c": commune, "r": record}, names)
        if side.record_id.startswith(record)
    }
    place = f"{names[commune]} ({commune})" if commune in names else f"xã, phường mã {commune}"
    if not found:
        raise UserError(f"Không có người hay hộ gia đình nào mã {record} trong số liệu năm {period} của {place}.")
    if len(found) > 1:
        listed = ", ".join(sorted(found)[:5])
        raise UserError(f"Mã {record} của {place} khớp với nhiều bản ghi ({listed}): hãy ghi đủ mã.")
    return next(iter(found.values()))


def _checked_pair(session: Session, period: str, first: Ref, second: Ref, names: dict[str, str]) -> Pair:
    """The pair the two refs name, refused unless they are a match the office reviews."""
    a, b = sorted(
        (_find_side(session, period, first, names), _find_side(session, period, second, names)), key=lambda s: s.ref
    )
    if a.sheet != b.sheet:
        raise UserError("Một bên là người, một bên là hộ gia đình: hãy chọn hai người hoặc hai hộ gia đình.")
    if a.commune_code == b.commune_code:
        raise UserError(f"Hai bản ghi cùng ở {a.commune_name}: chỉ xét trùng giữa hai xã, phường khác nhau.")
    for side in (a, b):
        if side.birth_year is None:
            raise UserError(f"{side.full_name} ở {side.commune_name} chưa có năm sinh: không xét trùng được.")
    if (a.name_key, a.birth_year) != (b.name_key, b.birth_year):
        raise UserError(
            f"{a.full_name} ({a.birth_year}) ở {a.commune_name} và {b.full_name} ({b.birth_year}) ở "
            f"{b.commune_name} không cùng họ tên và năm sinh: không phải cặp trùng."
        )
    if a.sheet == PEOPLE and a.is_head and b.is_head:
        raise UserError(
            f"{a.full_name} là chủ hộ ở cả {a.commune_name} và {b.commune_name}: hãy quyết định cho cặp hộ "
            f"{a.commune_code}:{a.household_id[:SHORT_ID]} và {b.commune_code}:{b.household_id[:SHORT_ID]}."
        )
    decided = _decision_index(session).get((a.sheet, a.ref, b.ref))
    return Pair(a.sheet, a, b, None if decided is None else decided.decision, "" if decided is None else decided.note)


def _live_decision(session: Session, pair: Pair) -> DuplicateDecision | None:
    return session.exec(
        select(DuplicateDecision).where(
            DuplicateDecision.sheet == pair.sheet,
            DuplicateDecision.first_commune == pair.first.commune_code,
            DuplicateDecision.first_record == pair.first.record_id,
            DuplicateDecision.second_commune == pair.second.commune_code,
            DuplicateDecision.second_record == pair.second.record_id,
            col(DuplicateDecision.deleted_at).is_(None),
        )
    ).first()


def mark_pair(workspace: Workspace, year: int, first: Ref, second: Ref, decision: str, note: str = "") -> Pair:
    """Record the officer's decision on a pair (replacing an earlier one), in the audit log and on the undo
    stack. The refs may come in either order."""
    office.require_office_role(workspace)
    if decision not in DECISION_LABELS:
        raise UserError(f"Quyết định «{decision}» không có; hãy chọn {', '.join(DECISION_LABELS)}.")
    note = nfc(note)
    with session_scope(workspace.engine) as session:
        pair = _checked_pair(session, _period(year), first, second, _commune_names(workspace))
    if (pair.decision, pair.note) == (decision, note):
        raise UserError(f"Cặp {pair.title} đã được ghi «{DECISION_LABELS[decision]}» rồi.")
    with record_change(workspace, f"{DECISION_LABELS[decision]}: {pair.title}") as change:
        existing = _live_decision(change.session, pair)
        if existing is None:
            change.add(
                DuplicateDecision(
                    sheet=pair.sheet,
                    first_commune=pair.first.commune_code,
                    first_record=pair.first.record_id,
                    second_commune=pair.second.commune_code,
                    second_record=pair.second.record_id,
                    decision=decision,
                    note=note,
                )
            )
        else:
            change.touch(existing)
            existing.decision, existing.note, existing.updated_at = decision, note, utc_now()
    return replace(pair, decision=decision, note=note)


def withdraw_decision(workspace: Workspace, year: int, first: Ref, second: Ref) -> Pair:
    """Take back the decision on a pair: it is open again (audited, and undoable like any edit)."""
    office.require_office_role(workspace)
    with session_scope(workspace.engine) as session:
        pair = _checked_pair(session, _period(year), first, second, _commune_names(workspace))
    if pair.decision is None:
        raise UserError(f"Cặp {pair.title} chưa có quyết định nào để bỏ.")
    with record_change(workspace, f"Bỏ quyết định «{pair.decision_label}»: {pair.title}") as change:
        existing = _live_decision(change.session, pair)
        if existing is None:
            raise UserError(f"Cặp {pair.title} chưa có quyết định nào để bỏ.")
        change.touch(existing)
        existing.deleted_at = existing.updated_at = utc_now()
    return replace(pair, decision=None, note="")
