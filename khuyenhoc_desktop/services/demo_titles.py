"""The demo commune's learning titles: two years of the yearly cycle on top of its households.

Hamlet leaders; clans named after the commune's common surnames, linked to households whose head carries
the name; the units the members' school fields name and the commune's own offices; the shipped rubrics;
and for the previous and the working year, families, clans, hamlets and units registered in February and
March, scored in the autumn and recognised by one decision per title, with learning citizens and their
results. Every row and audit entry is the one the services would have written (rubrics.install_presets,
clans, units, hamlet_register, citizens, evaluations); the tests compare them.

What is planned after the history's end has simply not happened yet: early in the working year only its
registrations show, and the working year is recognised once mid-November is a week behind.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import chain, count
from random import Random

from sqlalchemy import Connection
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.clan import clan_search_text
from khuyenhoc_desktop.domain.household import LearningStatus, Sex
from khuyenhoc_desktop.domain.rubric import Indicator, Rubric, check_rubric, criteria_to_json, score
from khuyenhoc_desktop.domain.rubric_presets import PRESETS, SCHOOL_AGE_CHILDREN_IN_SCHOOL
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.domain.unit import UnitKind, unit_search_text
from khuyenhoc_desktop.services.demo import (
    AUDIT_COLUMNS,
    DAY,
    HISTORY_START,
    Builder,
    Event,
    Home,
    Person,
    Row,
    day_moment,
    day_start,
    insert_sql,
    moment_before,
    office_moment,
    phone_number,
    random_id,
    replay,
    stamp,
)
from khuyenhoc_desktop.services.prefill import school_attendance

_DECISION_NUMBER = "{}/QĐ-KH"
_TABLES = ("rubric", "unit", "clan", "citizen", "decision", "evaluation")  # in foreign-key order
_TITLE_ORDER = (Title.FAMILY, Title.CLAN, Title.COMMUNITY, Title.UNIT, Title.CITIZEN)  # decision numbers

_HOUSEHOLDS_PER_CLAN = 150
_MIN_CLANS = 5
_CLAN_HAMLETS = ((1, 2, 3), (55, 30, 15))
_CLAN_SHARE = (0.3, 0.8)  # of a hamlet's households with the clan's surname
_CLAN_SIZE = (12, 60)  # at most, per hamlet

# The cycle, as (month, day): registrations after Tết, scoring in the autumn, decisions in December.
_REGISTER = ((2, 10), (3, 31))
_SCORE = ((10, 15), (12, 5))
_DECISION_DAYS = (10, 18)  # of December
_COLLECTIVE_START = 0.7  # clans, hamlets and units are scored in the last 30% of the window, after the families
_WORKING_DECISION_FROM = (11, 10)
_WORKING_DECISION_LAG = 7  # days: the working year's decision is signed a week before today at the latest

_FAMILY_REGISTER_RATE = (0.86, 0.97)  # per hamlet and year
_LATE_BATCH_SHARE = 0.15  # of a hamlet's families, registered a week or more after the rest
_UNREGISTER_SHARE = 0.01
_LATE_SCORE_SHARE = 0.08  # scored after the working year's decision: passed, waiting for the next one
_OVERRIDE_SHARE = 0.2  # of the suggestions "a child is out of school" the officer corrects
_CLAN_REGISTER_RATE = 0.85
_CITIZEN_SHARES = (0.035, 0.01)  # × a weight averaging about 1.1: ~5% of adults over the two years
_CITIZEN_RETURN_RATE = 0.92  # last year's citizens evaluated again
_MISSED_INDICATOR_SHARE = 0.03  # of citizens' results: one indicator hardly done this year
_FAMILY_SHARE_NEEDED = 0.7  # "từ 70% số hộ … được công nhận Gia đình học tập"

_ENTERPRISES = (
    "Công ty TNHH May mặc Minh Phát", "Công ty TNHH Chế biến Nông sản Tân Thành", "Công ty Cổ phần Cơ khí Phú Thịnh",
    "Doanh nghiệp tư nhân Vật liệu Xây dựng Hòa Bình", "Công ty TNHH Thực phẩm Hưng Thịnh",
)  # fmt: skip
_CLAN_NOTE = "Có quỹ khuyến học của dòng họ; khen thưởng con cháu học giỏi mỗi dịp đầu năm"


def working_year_decision_day(today: date) -> date | None:
    """When the demo's working year was recognised: the last weekday a week before today, no later than
    15 December; None before mid-November, when the year's scoring is still under way."""
    day = _weekday_on_or_before(min(date(today.year, 12, 15), today - timedelta(days=_WORKING_DECISION_LAG)))
    return day if day >= date(today.year, *_WORKING_DECISION_FROM) else None


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


# -- rows as the services write them ----------------------------------------------------------------------
def _rubric_rows(rng: Random, at: float) -> list[tuple[Rubric, Row]]:
    """The shipped presets as services.rubrics.install_presets stores them, each with its Rubric (id set)."""
    moment = stamp(at)
    result = []
    for key, preset in PRESETS:
        rubric = replace(check_rubric(preset), id=random_id(rng))
        row: Row = {
            "id": rubric.id, "title": str(rubric.title), "name": rubric.name, "version": rubric.version,
            "pass_mark": rubric.pass_mark, "valid_from": rubric.valid_from, "valid_to": rubric.valid_to,
            "basis": rubric.basis, "criteria": json.dumps(criteria_to_json(rubric.criteria), ensure_ascii=False),
            "preset_key": key, "created_at": moment, "updated_at": moment, "deleted_at": None,
        }  # fmt: skip
        result.append((rubric, row))
    return result


def registration_row(evaluation_id: str, title: str, year: int, subject_id: str, at: float) -> Row:
    """A row of services.evaluations.register, registered on the day of `at`."""
    moment = stamp(at)
    return {
        "id": evaluation_id, "title": str(title), "year": year, "subject_id": subject_id, "registered_on": moment[:10],
        "rubric_id": None, "scores": "{}", "prefilled": "{}", "total": None, "passed": None, "reasons": "",
        "decision_id": None, "source": "", "note": "", "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def scoring_changes(rubric: Rubric, points: Mapping[str, int], suggested: Mapping[str, int], at: float) -> Row:
    """The columns services.evaluations.score writes."""
    outcome = score(rubric, points)
    return {
        "rubric_id": rubric.id,
        "scores": json.dumps({i.code: points[i.code] for i in rubric.indicators if i.code in points}),
        "prefilled": json.dumps(dict(suggested)),
        "total": outcome.total,
        "passed": outcome.passed,
        "reasons": "; ".join(outcome.reasons),
        "updated_at": stamp(at),
    }


def scoring_label(title: str, subject_label: str, suggested: Mapping[str, int], points: Mapping[str, int]) -> str:
    """services.evaluations.score's audit label, naming each suggestion the officer overrode."""
    label = f"Chấm điểm {TITLE_LABELS[title]} {subject_label}"
    overrides = [
        f"chỉ tiêu {code}: {value} → {points.get(code, 0)}"
        for code, value in suggested.items()
        if points.get(code, 0) != value
    ]
    return f"{label} (sửa điểm tự điền {', '.join(overrides)})" if overrides else label


def citizen_result_row(
    evaluation_id: str, citizen_id: str, year: int, rubric: Rubric, points: Mapping[str, int], at: float
) -> Row:
    """A first result of services.citizens.record_result, typed on the day of `at`."""
    outcome = score(rubric, points)
    moment = stamp(at)
    return {
        "id": evaluation_id, "title": Title.CITIZEN.value, "year": year, "subject_id": citizen_id,
        "registered_on": moment[:10], "rubric_id": rubric.id,
        "scores": json.dumps(dict(points), ensure_ascii=False, sort_keys=True), "prefilled": "{}",
        "total": outcome.total, "passed": outcome.passed, "reasons": "; ".join(outcome.reasons), "decision_id": None,
        "source": "", "note": "", "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def citizen_result_label(year: int, name: str, total: int) -> str:
    return f"Chấm điểm {TITLE_LABELS[Title.CITIZEN]} năm {year}: {name} ({total} điểm)"


def decision_row(
    decision_id: str, title: str, year: int, number: str, signed_on: date, signer: tuple[str, str], at: float
) -> Row:
    """A decision of services.evaluations.recognise."""
    moment = stamp(at)
    return {
        "id": decision_id, "title": str(title), "year": year, "number": number, "signed_on": signed_on.isoformat(),
        "signer_title": signer[0], "signer_name": signer[1], "note": "", "created_at": moment, "updated_at": moment,
        "deleted_at": None,
    }  # fmt: skip


def batch_label(action: str, labels: list[str]) -> str:
    """ "Đăng ký … năm 2025: hộ 00012 (Nguyễn Văn An)" for one record, "…: 187 hồ sơ" for more."""
    return f"{action}: {labels[0] if len(labels) == 1 else f'{len(labels)} hồ sơ'}"


# -- the plan ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cycle:
    """One year's dates. Moments at or after the history's end are not reached."""

    year: int
    register: tuple[float, float]
    score: tuple[float, float]
    late: tuple[float, float] | None  # scoring after the decision was signed
    signed_on: date | None
    decided: float  # when the decisions were typed in; inf when not yet
    first_number: int

    @property
    def signed(self) -> float:
        return day_start(self.signed_on) if self.signed_on is not None else math.inf

    @property
    def collective(self) -> tuple[float, float]:
        low, high = self.score
        return low + (high - low) * _COLLECTIVE_START, high

    def number(self, title: str) -> str:
        return _DECISION_NUMBER.format(self.first_number + _TITLE_ORDER.index(Title(title)))


@dataclass
class _Clan:
    row: Row
    members: dict[int, list[Home]]  # member households by year


@dataclass(frozen=True)
class _Subject:
    """Anything registered for a title: its id, how labels name it, and how well it does year after year."""

    id: str
    label: str
    quality: float


class Titles:
    """Plans the titles' rows and history on top of a Builder's households, replays it, writes it."""

    def __init__(self, base: Builder, connection: Connection) -> None:
        self.base = base
        self.connection = connection
        self.people, self.clock = base.people, base.clock
        self.end = base.history_end
        profile = base.workspace.profile
        self.signer = (profile.signer_title, profile.signer_name) if profile else ("", "")
        self.previous, self.working = base.this_year - 1, base.this_year
        self.events: list[Event] = []
        self.audit: list[Row] = []
        self.rows: dict[str, list[Row]] = {table: [] for table in _TABLES}
        self.hamlet_rows: list[Row] = []
        self.rubrics: dict[str, Rubric] = {}
        self.family_quality: dict[str, float] = {}
        self.passed: dict[tuple[int, str], bool] = {}  # (year, household id) → the family passed
        self.homes_by_hamlet: dict[str, list[Home]] = {hamlet_id: [] for hamlet_id, _ in base.hamlets}
        for home in base.homes:
            self.homes_by_hamlet[home.hamlet_id].append(home)

    def build(self, report: Callable[[float], None]) -> tuple[int, int, int]:
        """Returns (clans, units, citizens)."""
        rng = self.people
        self._hamlet_leaders()
        units = self._units()
        clans = self._clans()
        self._install_rubrics()
        citizens = self._citizens(units)
        report(0.2)
        cycles = (
            self._cycle(self.previous, _weekday_on_or_before(date(self.previous, 12, rng.randint(*_DECISION_DAYS)))),
            self._cycle(self.working, working_year_decision_day(date.today())),
        )
        for done, cycle in enumerate(cycles, start=1):
            self._families(cycle)
            self._clan_cycle(cycle, clans)
            self._community_cycle(cycle)
            self._unit_cycle(cycle, units)
            self._citizen_cycle(cycle, citizens)
            report(0.2 + 0.5 * done / len(cycles))
        replay(self.audit, self.base.officer, self.events)
        report(0.9)
        self._write()
        return len(clans), len(units), len(self.rows["citizen"])

    # -- dates --------------------------------------------------------------------------------------------
    def _cycle(self, year: int, signed_on: date | None) -> _Cycle:
        """The year's dates; `signed_on` is the day its decisions were signed, None if not yet."""
        end = self.end
        (rm1, rd1), (rm2, rd2) = _REGISTER
        register = (min(day_moment(year, rm1, rd1), end - 10 * DAY), min(day_moment(year, rm2, rd2), end))
        (sm1, sd1), (sm2, sd2) = _SCORE
        score_from, score_to = day_moment(year, sm1, sd1), day_moment(year, sm2, sd2)
        first_number = self.people.randint(9, 30)
        if signed_on is None:
            return _Cycle(year, register, (score_from, score_to), None, None, math.inf, first_number)
        signed = day_start(signed_on)
        late = (signed + DAY, score_to) if signed + DAY < score_to else None
        decided = office_moment(self.clock, signed, signed + DAY - 1)
        return _Cycle(year, register, (score_from, min(score_to, signed - DAY)), late, signed_on, decided, first_number)

    def _at(self, low: float, high: float) -> float | None:
        return moment_before(self.clock, low, high, self.end)

    # -- registers ----------------------------------------------------------------------------------------
    def _hamlet_leaders(self) -> None:
        """Each hamlet's leader typed in with the register's first campaign; one hamlet elected a new one."""
        base, rng = self.base, self.people
        columns = list(SQLModel.metadata.tables["hamlet"].columns.keys())
        stored = self.connection.exec_driver_sql("SELECT * FROM hamlet ORDER BY position").mappings().all()
        self.hamlet_rows = [{column: row[column] for column in columns} for row in stored]
        group = "tổ" if base.southern else "xóm"
        notes = {}
        for row in self.hamlet_rows:
            note = f"Nhà văn hóa {base.hamlet_word.lower()} ở {group} {rng.randint(1, 8)}" if rng.random() < 0.5 else ""
            notes[row["id"]] = note
            self._edit_hamlet(row, HISTORY_START + 3 * DAY, HISTORY_START + 60 * DAY, note)
        if self.hamlet_rows:
            row = rng.choice(self.hamlet_rows)
            self._edit_hamlet(row, day_moment(self.previous, 6, 1), day_moment(self.previous, 7, 31), notes[row["id"]])

    def _edit_hamlet(self, row: Row, low: float, high: float, note: str) -> None:
        """A new leader, as services.hamlet_register.update_hamlet_details writes it."""
        rng, namer = self.people, self.base.namer
        sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
        leader = namer.full_name(rng, namer.surname(rng), sex, rng.randint(1958, 1985))
        at = office_moment(self.clock, low, high)
        changes = {"leader_name": leader, "note": note, "updated_at": stamp(at)}
        self.events.append(Event(at, f"Sửa thông tin ấp «{row['name']}»", "hamlet", row, changes))

    def _units(self) -> list[_Subject]:
        """The schools the members attend, the commune's offices, a cooperative and one or two enterprises,
        typed in when the commune started on the titles; a school changed its head the next summer."""
        base, rng = self.base, self.people
        commune = admin_units.in_running_text(base.commune_name)
        centre = rng.choice(base.hamlets)
        by_short = {base.hamlet_short(hamlet): hamlet for hamlet in base.hamlets}
        schools = [(base.kindergarten, centre, 0.95, (18, 32))]
        schools += [
            (school, by_short.get(school.removeprefix("Trường Tiểu học "), centre), 0.7, (22, 40))
            for school in base.primary_schools
        ]
        cooperative = rng.choice(base.hamlets)
        specs: list[tuple[str, str, tuple[str, str] | None, float, tuple[int, int]]] = [
            *((name, UnitKind.SCHOOL, hamlet, women, staff) for name, hamlet, women, staff in schools),
            (base.lower_secondary, UnitKind.SCHOOL, None, 0.5, (30, 55)),
            (f"Ủy ban nhân dân {commune}", UnitKind.AGENCY, None, 0.0, (35, 60)),
            (f"Trạm Y tế {commune}", UnitKind.AGENCY, None, 0.5, (6, 12)),
            (f"Hợp tác xã Nông nghiệp {base.hamlet_short(cooperative)}", UnitKind.COOPERATIVE, cooperative, 0.2,
             (12, 45)),
            *((name, UnitKind.ENTERPRISE, rng.choice(base.hamlets), 0.3, (30, 250))
              for name in rng.sample(_ENTERPRISES, rng.randint(1, 2))),
        ]  # fmt: skip
        year = self.previous
        units = []
        for name, kind, hamlet, women, staff in specs:
            # The commune's own office is headed by the chairman who signs the decisions.
            head = self.signer[1] if kind == UnitKind.AGENCY and name.startswith("Ủy ban") else self._staff_name(women)
            address = f"{'Tổ' if base.southern else 'Xóm'} {rng.randint(1, 8)}, {(hamlet or centre)[1]}"
            phone = phone_number(rng) if rng.random() < 0.7 else ""
            at = office_moment(self.clock, day_moment(year, 1, 5), day_moment(year, 1, 31))
            moment = stamp(at)
            row: Row = {
                "id": random_id(rng), "name": name, "kind": str(kind), "head_name": head,
                "staff_count": rng.randint(*staff), "hamlet_id": hamlet[0] if hamlet else None, "address": address,
                "phone": phone, "note": "", "search_key": unit_search_text(name, kind, head, address, phone, ""),
                "created_at": moment, "updated_at": moment, "deleted_at": None,
            }  # fmt: skip
            self.rows["unit"].append(row)
            self.events.append(Event(at, f"Thêm đơn vị «{name}»", "unit", row, None))
            units.append(_Subject(row["id"], name, min(1.0, rng.gauss(0.8, 0.08))))
        school = rng.choice([row for row in self.rows["unit"] if row["kind"] == UnitKind.SCHOOL])
        changed = self._at(day_moment(self.working, 8, 1), day_moment(self.working, 9, 5))
        if changed is not None:
            head = self._staff_name(0.7)
            key = unit_search_text(school["name"], school["kind"], head, school["address"], school["phone"], "")
            changes = {"head_name": head, "search_key": key, "updated_at": stamp(changed)}
            self.events.append(Event(changed, f"Sửa đơn vị «{school['name']}»", "unit", school, changes))
        return units

    def _staff_name(self, women: float, born: tuple[int, int] = (1966, 1985)) -> str:
        rng, namer = self.people, self.base.namer
        sex = Sex.FEMALE if rng.random() < women else Sex.MALE
        return namer.full_name(rng, namer.surname(rng), sex, rng.randint(*born))

    def _clans(self) -> list[_Clan]:
        """About one clan per 150 households, each a surname's households in one to three neighbouring
        hamlets, typed in at the start of the previous year; a year later most took in the new households."""
        base, rng = self.base, self.people
        founded, grown = day_moment(self.previous, 1, 1), day_moment(self.working, 1, 1)
        pools: dict[str, dict[str, list[Home]]] = {}  # surname → hamlet → households not in a clan
        newcomers: dict[tuple[str, str], list[Home]] = {}  # households entered during the previous year
        for home in base.homes:
            surname = home.head.name.split()[0]
            if home.created < founded:
                pools.setdefault(surname, {}).setdefault(home.hamlet_id, []).append(home)
            elif home.created < grown:
                newcomers.setdefault((surname, home.hamlet_id), []).append(home)
        position = {hamlet_id: i for i, (hamlet_id, _) in enumerate(base.hamlets)}
        taken: set[str] = set()
        clans: list[_Clan] = []
        for _ in range(max(_MIN_CLANS, round(len(base.homes) / _HOUSEHOLDS_PER_CLAN))):
            sizes = {surname: sum(map(len, by_hamlet.values())) for surname, by_hamlet in pools.items()}
            surnames = [surname for surname, size in sizes.items() if size]
            if not surnames:
                break
            surname = rng.choices(surnames, [sizes[s] for s in surnames])[0]
            by_hamlet = pools[surname]
            living = [hamlet_id for hamlet_id, homes in by_hamlet.items() if homes]
            main = rng.choices(living, [len(by_hamlet[h]) for h in living])[0]
            nearby = sorted((h for h in living if h != main), key=lambda h: abs(position[h] - position[main]))
            hamlet_ids = [main, *nearby[: rng.choices(*_CLAN_HAMLETS)[0] - 1]]
            members: list[Home] = []
            for hamlet_id in hamlet_ids:
                pool = by_hamlet[hamlet_id]
                size = min(round(len(pool) * rng.uniform(*_CLAN_SHARE)), rng.randint(*_CLAN_SIZE))
                chosen = {home.id for home in rng.sample(pool, max(1, min(size, len(pool))))}
                members += [home for home in pool if home.id in chosen]
                by_hamlet[hamlet_id] = [home for home in pool if home.id not in chosen]
            members.sort(key=lambda home: home.code)
            clan = self._clan(surname, hamlet_ids, members, taken)
            self._grow(clan, [home for h in hamlet_ids for home in newcomers.get((surname, h), [])])
            clans.append(clan)
        return clans

    def _clan(self, surname: str, hamlet_ids: list[str], members: list[Home], taken: set[str]) -> _Clan:
        rng = self.people
        men = sorted((home.head for home in members if home.head.sex == Sex.MALE), key=lambda p: p.birth_year)
        lineage = self._lineage(surname, men)
        # One of the eldest men of the lineage speaks for the clan.
        elders = [man for man in men if man.name.startswith(lineage + " ")][:3] or men[:3]
        representative = rng.choice(elders or [min((home.head for home in members), key=lambda p: p.birth_year)]).name
        name = self._clan_name(lineage, dict(self.base.hamlets)[hamlet_ids[0]], taken)
        note = _CLAN_NOTE if rng.random() < 0.3 else ""
        at = office_moment(self.clock, day_moment(self.previous, 1, 5), day_moment(self.previous, 2, 5))
        moment = stamp(at)
        row: Row = {
            "id": random_id(rng), "name": name, "representative": representative,
            "hamlet_ids": json.dumps(hamlet_ids),
            "household_ids": json.dumps([home.id for home in members]), "note": note,
            "search_key": clan_search_text(name, representative, note), "created_at": moment, "updated_at": moment,
            "deleted_at": None,
        }  # fmt: skip
        self.rows["clan"].append(row)
        self.events.append(Event(at, f"Thêm dòng họ «{name}»", "clan", row, None))
        return _Clan(row, {self.previous: members, self.working: members})

    def _lineage(self, surname: str, men: list[Person]) -> str:
        """ "Nguyễn Văn", after the middle name most of the clan's men carry; sometimes just the surname."""
        middles = Counter(man.name.split()[1] for man in men)
        return f"{surname} {middles.most_common(1)[0][0]}" if middles and self.people.random() < 0.7 else surname

    def _clan_name(self, lineage: str, hamlet_name: str, taken: set[str]) -> str:
        """ "Họ Nguyễn Văn" or "Dòng họ Trần"; the hamlet, and then the branch (chi), tell apart clans of one
        lineage (whatever the word before it: "Họ Trần" and "Dòng họ Trần" would be the same clan)."""
        word = self.people.choice(("Họ", "Họ", "Dòng họ"))
        place = f"{self.base.hamlet_word.lower()} {hamlet_name.removeprefix(self.base.hamlet_word).strip()}"
        names = chain((lineage, f"{lineage} {place}"), (f"{lineage} {place} (chi {n})" for n in count(2)))
        name = next(name for name in names if fold(name) not in taken)
        taken.add(fold(name))
        return f"{word} {name}"

    def _grow(self, clan: _Clan, newcomers: list[Home]) -> None:
        """Early in the working year the clan took in about half of the households entered since it began."""
        rng = self.people
        if not newcomers or rng.random() >= 0.7:
            return
        joining = {home.id for home in rng.sample(newcomers, max(1, len(newcomers) // 2))}
        at = self._at(day_moment(self.working, 1, 10), day_moment(self.working, 2, 5))
        if at is None:
            return
        members = sorted(clan.members[self.previous] + [h for h in newcomers if h.id in joining], key=lambda h: h.code)
        clan.members[self.working] = members
        changes = {"household_ids": json.dumps([home.id for home in members]), "updated_at": stamp(at)}
        self.events.append(Event(at, f"Sửa dòng họ «{clan.row['name']}»", "clan", clan.row, changes))

    def _install_rubrics(self) -> None:
        """Installed when the officer first opened the titles' pages, with the units and clans."""
        at = office_moment(self.clock, day_moment(self.previous, 1, 5), day_moment(self.previous, 1, 31))
        for rubric, row in _rubric_rows(self.people, at):
            self.rubrics[rubric.title] = rubric
            self.rows["rubric"].append(row)
            self.events.append(Event(at, "Cài các bộ tiêu chí mẫu", "rubric", row, None))

    def _citizens(self, units: list[_Subject]) -> dict[int, list[tuple[Row, float]]]:
        """People evaluated as learning citizens, added from the households register (and a few of the units'
        staff) late each summer; by year, with how well each does."""
        rng, base = self.people, self.base
        unit_rows = {row["id"]: row for row in self.rows["unit"]}
        chosen: set[str] = set()
        by_year: dict[int, list[tuple[Row, float]]] = {}
        for year, share in zip((self.previous, self.working), _CITIZEN_SHARES, strict=True):
            low, high = day_moment(year, 8, 20), day_moment(year, 10, 10)
            added: list[tuple[Row, float]] = []
            for home in base.homes:
                for resident in home.residents:
                    person = resident.person
                    status = resident.status_at(low)
                    if person.id in chosen or resident.left is not None or person.birth_year > year - 18 or not status:
                        continue
                    weight = 1.5 if status == LearningStatus.ADULT_LEARNING else 0.6
                    if rng.random() >= share * weight:
                        continue
                    at = self._at(low, high)
                    if at is None:
                        continue
                    chosen.add(person.id)
                    row = self._citizen(person.name, person.birth_year, person.sex, person.id, None, home.hamlet_id, at)
                    added.append((row, self._citizen_quality()))
                    self.events.append(Event(at, f"Thêm công dân {person.name} (hộ {home.code})", "citizen", row, None))
            if year == self.previous:
                for unit in units:
                    unit_row = unit_rows[unit.id]
                    if unit_row["kind"] not in (UnitKind.SCHOOL, UnitKind.AGENCY):
                        continue
                    for _ in range(rng.randint(0, 2)):
                        women = 0.75 if unit_row["kind"] == UnitKind.SCHOOL else 0.5
                        sex = Sex.FEMALE if rng.random() < women else Sex.MALE
                        born = rng.randint(1970, 1998)
                        name = base.namer.full_name(rng, base.namer.surname(rng), sex, born)
                        at = office_moment(self.clock, low, high)
                        row = self._citizen(name, born, str(sex), None, unit.id, unit_row["hamlet_id"], at)
                        added.append((row, self._citizen_quality()))
                        self.events.append(Event(at, f"Thêm công dân {name} ({unit.label})", "citizen", row, None))
            by_year[year] = added
        return by_year

    def _citizen_quality(self) -> float:
        return self.people.gauss(9.0, 0.6)

    def _citizen(
        self,
        name: str,
        born: int,
        sex: str,
        member_id: str | None,
        unit_id: str | None,
        hamlet_id: str | None,
        at: float,
    ) -> Row:
        """A row of services.citizens.add_citizen_from_member or add_citizen_in_unit."""
        moment = stamp(at)
        row: Row = {
            "id": random_id(self.people), "full_name": name, "name_key": fold(name), "name_sort": name_sort_key(name),
            "birth_year": born, "sex": sex, "member_id": member_id, "unit_id": unit_id, "hamlet_id": hamlet_id,
            "created_at": moment, "updated_at": moment, "deleted_at": None,
        }  # fmt: skip
        self.rows["citizen"].append(row)
        return row

    # -- the yearly cycle ---------------------------------------------------------------------------------
    def _register(self, cycle: _Cycle, title: str, subjects: list[_Subject], at: float) -> list[tuple[Row, _Subject]]:
        """One registration of several subjects, as services.evaluations.register writes it."""
        label = batch_label(f"Đăng ký {TITLE_LABELS[title]} năm {cycle.year}", [s.label for s in subjects])
        registered = []
        for subject in subjects:
            row = registration_row(random_id(self.people), title, cycle.year, subject.id, at)
            self.rows["evaluation"].append(row)
            self.events.append(Event(at, label, "evaluation", row, None))
            registered.append((row, subject))
        return registered

    def _score(
        self, row: Row, subject: _Subject, points: Mapping[str, int], suggested: Mapping[str, int], at: float
    ) -> bool:
        rubric = self.rubrics[row["title"]]
        changes = scoring_changes(rubric, points, suggested, at)
        label = scoring_label(row["title"], subject.label, suggested, points)
        self.events.append(Event(at, label, "evaluation", row, changes))
        return bool(changes["passed"])

    def _recognise(self, cycle: _Cycle, title: str, passed: list[tuple[Row, str]]) -> None:
        """One decision for the title's evaluations that passed before it was signed (recognise's rows)."""
        if not passed or cycle.signed_on is None:
            return
        at, number = cycle.decided, cycle.number(title)
        decision = decision_row(random_id(self.people), title, cycle.year, number, cycle.signed_on, self.signer, at)
        action = f"Công nhận {TITLE_LABELS[title]} năm {cycle.year} theo quyết định số {number}"
        label = batch_label(action, [subject_label for _, subject_label in passed])
        self.rows["decision"].append(decision)
        self.events.append(Event(at, label, "decision", decision, None))
        changes = {"decision_id": decision["id"], "updated_at": stamp(at)}
        self.events += [Event(at, label, "evaluation", row, changes) for row, _ in passed]

    def _points(self, rubric: Rubric, quality: float, fixed: Mapping[str, int]) -> dict[str, int]:
        """Full marks on an indicator with probability `quality`, else part of them (now and then none)."""
        rng = self.people
        points = {}
        for indicator in rubric.indicators:
            if indicator.code in fixed:
                points[indicator.code] = fixed[indicator.code]
            elif rng.random() < quality:
                points[indicator.code] = indicator.max_points
            elif rng.random() < 0.85:
                points[indicator.code] = rng.randint(indicator.max_points // 2, indicator.max_points - 1)
            else:
                points[indicator.code] = 0
        return points

    def _families(self, cycle: _Cycle) -> None:
        """Each hamlet's families registered in one batch and a late one, scored with the school-attendance
        suggestion taken from the members as they stood, recognised in one decision."""
        rng, year = self.people, cycle.year
        rubric = self.rubrics[Title.FAMILY]
        attendance = next(i for i in rubric.indicators if i.prefill == SCHOOL_AGE_CHILDREN_IN_SCHOOL)
        children = next(c.indicators for c in rubric.criteria if attendance in c.indicators)
        recognised: list[tuple[Row, str]] = []
        for hamlet_id, _ in self.base.hamlets:
            homes = [home for home in self.homes_by_hamlet[hamlet_id] if home.created < cycle.register[0]]
            rate = rng.uniform(*_FAMILY_REGISTER_RATE)
            joining = [home for home in homes if rng.random() < rate]
            first = self._at(*cycle.register)
            if not joining or first is None:
                continue
            late_at = self._at(first + 7 * DAY, cycle.register[1])
            late = {home.id for home in joining if rng.random() < _LATE_BATCH_SHARE} if late_at else set()
            batches = [
                (first, [h for h in joining if h.id not in late]),
                (late_at, [h for h in joining if h.id in late]),
            ]
            for at, batch in batches:
                if at is None or not batch:
                    continue
                subjects = [_Subject(home.id, home.label, self._family_quality(home)) for home in batch]
                for (row, subject), home in zip(self._register(cycle, Title.FAMILY, subjects, at), batch, strict=True):
                    scored = self._family_score(cycle, row, subject, home, rubric, attendance, children, at)
                    if scored is not None and scored < cycle.signed and self.passed[(year, home.id)]:
                        recognised.append((row, subject.label))
        self._recognise(cycle, Title.FAMILY, recognised)

    def _family_quality(self, home: Home) -> float:
        quality = self.family_quality.get(home.id)
        if quality is None:
            poverty = {"Hộ nghèo": 0.12, "Hộ cận nghèo": 0.06}.get(home.note, 0.0)
            quality = self.family_quality[home.id] = min(1.0, max(0.3, self.people.gauss(0.75, 0.12) - poverty))
        return min(1.0, max(0.3, quality + self.people.gauss(0, 0.04)))

    def _family_score(
        self,
        cycle: _Cycle,
        row: Row,
        subject: _Subject,
        home: Home,
        rubric: Rubric,
        attendance: Indicator,
        children: tuple[Indicator, ...],
        registered: float,
    ) -> float | None:
        """Score one family (or take it off the list); returns when it was scored, None if not (yet)."""
        rng = self.people
        if rng.random() < _UNREGISTER_SHARE:
            at = self._at(registered + 10 * DAY, cycle.score[0] - DAY)
            if at is not None:
                label = f"Hủy đăng ký {TITLE_LABELS[Title.FAMILY]} năm {cycle.year}: {subject.label}"
                self.events.append(Event(at, label, "evaluation", row, {"deleted_at": stamp(at)}))
            return None
        window = cycle.late if cycle.late is not None and rng.random() < _LATE_SCORE_SHARE else cycle.score
        at = self._at(*window)
        if at is None:
            return None
        members = [(r.person.name, r.person.birth_year, status) for r in home.residents
                   if (status := r.status_at(at)) is not None]  # fmt: skip
        fact = school_attendance(members, cycle.year)
        suggested = {attendance.code: attendance.max_points if fact.all_in_school else 0}
        fixed = dict(suggested)
        if not fact.all_in_school and rng.random() < _OVERRIDE_SHARE:
            fixed[attendance.code] = attendance.max_points  # the child is back at school; the register lags
        if not fact.of_age and not any(status == LearningStatus.KINDERGARTEN for _, _, status in members):
            fixed.update({i.code: i.max_points for i in children if i.code not in fixed})  # no child: not applicable
        points = self._points(rubric, subject.quality, fixed)
        self.passed[(cycle.year, home.id)] = self._score(row, subject, points, suggested, at)
        return at

    def _collective(
        self, cycle: _Cycle, title: str, subjects: list[_Subject], fixed: Callable[[_Subject, Rubric], dict[str, int]]
    ) -> None:
        """Register `subjects` in one batch, score them after the families, recognise those that pass."""
        at = self._at(*cycle.register)
        if not subjects or at is None:
            return
        rubric = self.rubrics[title]
        passed = []
        for row, subject in self._register(cycle, title, subjects, at):
            scored = self._at(*cycle.collective)
            if scored is None:
                continue
            points = self._points(
                rubric, min(1.0, subject.quality + self.people.gauss(0, 0.04)), fixed(subject, rubric)
            )
            if self._score(row, subject, points, {}, scored) and scored < cycle.signed:
                passed.append((row, subject.label))
        self._recognise(cycle, title, passed)

    def _family_share_points(self, rubric: Rubric, year: int, homes: Iterable[Home]) -> dict[str, int]:
        """The "70% of households recognised as learning families" indicator, from the year's family scores."""
        indicator = next(i for i in rubric.indicators if TITLE_LABELS[Title.FAMILY] in i.text)
        counted = [self.passed.get((year, home.id), False) for home in homes]
        share = sum(counted) / len(counted) if counted else 0.0
        if share >= _FAMILY_SHARE_NEEDED:
            return {indicator.code: indicator.max_points}
        return {indicator.code: indicator.max_points // 3 if share >= 0.5 else 0}

    def _clan_cycle(self, cycle: _Cycle, clans: list[_Clan]) -> None:
        rng = self.people
        joining = [clan for clan in clans if rng.random() < _CLAN_REGISTER_RATE]
        members = {clan.row["id"]: clan.members[cycle.year] for clan in joining}
        subjects = [_Subject(clan.row["id"], clan.row["name"], min(1.0, rng.gauss(0.76, 0.1))) for clan in joining]
        self._collective(
            cycle, Title.CLAN, subjects, lambda s, rubric: self._family_share_points(rubric, cycle.year, members[s.id])
        )

    def _community_cycle(self, cycle: _Cycle) -> None:
        rng = self.people
        subjects = [_Subject(row["id"], row["name"], min(1.0, rng.gauss(0.8, 0.07))) for row in self.hamlet_rows]
        self._collective(
            cycle,
            Title.COMMUNITY,
            subjects,
            lambda s, rubric: self._family_share_points(rubric, cycle.year, self.homes_by_hamlet[s.id]),
        )

    def _unit_cycle(self, cycle: _Cycle, units: list[_Subject]) -> None:
        joining = [unit for unit in units if self.people.random() < 0.9]
        self._collective(cycle, Title.UNIT, joining, lambda _s, _rubric: {})

    def _citizen_cycle(self, cycle: _Cycle, citizens: dict[int, list[tuple[Row, float]]]) -> None:
        """Each citizen's result typed in with points per indicator; the elderly often lack digital skills."""
        rng, year = self.people, cycle.year
        rubric = self.rubrics[Title.CITIZEN]
        digital = next(i.code for i in rubric.indicators if "kỹ năng số" in i.text)
        evaluated = [
            c for c in citizens.get(self.previous, []) if year == self.previous or rng.random() < _CITIZEN_RETURN_RATE
        ]
        if year == self.working:
            evaluated += citizens.get(self.working, [])
        passed = []
        for citizen, quality in evaluated:
            window = cycle.late if cycle.late is not None and rng.random() < _LATE_SCORE_SHARE else cycle.score
            at = self._at(*window)  # citizens are added by mid-October, before any window opens
            if at is None:
                continue
            mean = quality + rng.gauss(0, 0.2)
            points = {i.code: min(i.max_points, max(0, round(rng.gauss(mean, 1.0)))) for i in rubric.indicators}
            age = year - citizen["birth_year"]
            if age >= 60:  # few over seventy use a smartphone for public services
                points[digital] = rng.randint(3, 6) if age >= 70 else rng.randint(4, 8)
            if rng.random() < _MISSED_INDICATOR_SHARE:
                points[rng.choice(rubric.indicators).code] = rng.randint(2, 4)
            row = citizen_result_row(random_id(rng), citizen["id"], year, rubric, points, at)
            self.rows["evaluation"].append(row)
            label = citizen_result_label(year, citizen["full_name"], row["total"])
            self.events.append(Event(at, label, "evaluation", row, None))
            if row["passed"] and at < cycle.signed:
                passed.append((row, str(citizen["full_name"])))
        self._recognise(cycle, Title.CITIZEN, passed)

    # -- writing ------------------------------------------------------------------------------------------
    def _write(self) -> None:
        tables = SQLModel.metadata.tables
        for table in _TABLES:
            if self.rows[table]:
                self.connection.exec_driver_sql(insert_sql(table, tables[table].columns.keys()), self.rows[table])
        self.connection.exec_driver_sql(insert_sql("demo_audit", AUDIT_COLUMNS), self.audit)
        self.connection.exec_driver_sql(
            "UPDATE hamlet SET leader_name = :leader_name, note = :note, updated_at = :updated_at WHERE id = :id",
            self.hamlet_rows,
        )
