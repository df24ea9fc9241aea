"""The demo commune: a register the size of a real one, with years of history, to try every screen on
without touching real data, and for the benchmarks to chew on.

Rows go in through one bulk transaction instead of the per-record services, which check and audit one
row at a time and would take minutes for 50,000 households. So this module has to fill every derived
column (search and sort keys) and write every audit entry exactly as the services would; the tests
compare them.

Two random streams: `people` decides everything that is data (names, families, codes, ids), `clock`
decides when things happened. The history runs up to today, so only timestamps move from one day to the
next; the same seed always gives the same households and people. The learning titles built on them
(demo_titles: clans, units, evaluations, citizens) follow the calendar too: who had registered by when
depends on the day the demo is made. So do the support registers (demo_support: award ceremonies, the fund
ledger, activities, models and commendations), planned for the previous and the working year from streams of
their own and typed in up to today.
"""

from __future__ import annotations

import calendar
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import MEMBER_FIELD_LABELS, LearningStatus, Relation, Sex
from khuyenhoc_desktop.domain.profile import ProfileInput, Role, default_association_name
from khuyenhoc_desktop.domain.text import fold, name_sort_key
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.bulk import cyclic_gc_paused
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.migrations import household_search_text

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.demo_support import SupportCounts

DEFAULT_DEMO_COMMUNE = "28201"  # Xã Phước Vĩnh Tây, Tây Ninh (2025 code)
DEFAULT_DEMO_HOUSEHOLDS = 3000
MAX_DEMO_HOUSEHOLDS = 99_999  # household codes have five digits

Row = dict[str, Any]

_CHUNK = 250  # households per batch insert and per progress report
# Shares of the building time: households, the learning titles, the support registers, then sorting the audit
# log and committing.
_HOUSEHOLDS_SHARE = 0.45
_TITLES_SHARE = 0.3
_SUPPORT_SHARE = 0.03
_PLANNED_SHARE = _HOUSEHOLDS_SHARE + _TITLES_SHARE + _SUPPORT_SHARE
DAY = 86_400

# The register was typed in from the hamlets' paper lists in the first half of 2023; since then new
# households trickle in. 80% of households date from that first campaign.
HISTORY_START = float(calendar.timegm((2023, 1, 9, 0, 0, 0)))  # a Monday
_CAMPAIGN_END = float(calendar.timegm((2023, 6, 30, 0, 0, 0)))
_CAMPAIGN_SHARE = 0.8
_DELETED_SHARE = 0.01

_BULK_CACHE_SIZE = -131_072  # KiB: 128 MB while loading
AUDIT_COLUMNS = ("at", "officer", "action", "table_name", "record_id", "before_json", "after_json")

_MAX_MEMBERS = 7
_YOUNG_GENERATION = 1985  # born from this year on: today's fashions in middle and given names
_SCHOOL_PATH_FROM = 1995  # people born earlier were past school age (23) before the register began

_SURNAMES = (
    ("Nguyễn", 30), ("Trần", 11), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 5), ("Võ", 5), ("Phan", 4),
    ("Trương", 2), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 1.5), ("Ngô", 1.5), ("Hồ", 1.5), ("Dương", 1),
    ("Đinh", 0.8), ("Lý", 0.8), ("Lâm", 0.7), ("Mai", 0.6), ("Đoàn", 0.6), ("Cao", 0.5), ("Lương", 0.5),
    ("Châu", 0.5), ("Tô", 0.4), ("Hà", 0.4), ("Thái", 0.3),
)  # fmt: skip
# The same families are spelt the northern way north of the old Quảng Nam line.
_NORTHERN_SPELLING = {"Huỳnh": "Hoàng", "Võ": "Vũ"}

_MIDDLE = {
    (Sex.MALE, False): (("Văn", 70), ("Hữu", 6), ("Minh", 6), ("Thanh", 5), ("Quốc", 4), ("Công", 3),
                        ("Đức", 3), ("Tấn", 3)),
    (Sex.MALE, True): (("Văn", 20), ("Minh", 12), ("Hoàng", 8), ("Quốc", 8), ("Gia", 8), ("Thanh", 6),
                       ("Anh", 6), ("Bảo", 6), ("Đăng", 5), ("Tấn", 5), ("Hữu", 5), ("Nhật", 5), ("Trọng", 4)),
    (Sex.FEMALE, False): (("Thị", 75), ("Ngọc", 7), ("Kim", 5), ("Thanh", 4), ("Mỹ", 4), ("Hồng", 3),
                          ("Bích", 2)),
    (Sex.FEMALE, True): (("Thị", 25), ("Ngọc", 12), ("Bảo", 8), ("Khánh", 7), ("Kim", 6), ("Mỹ", 6),
                         ("Thanh", 6), ("Minh", 6), ("Gia", 6), ("Thảo", 5), ("Như", 5), ("Thùy", 5),
                         ("Yến", 4)),
}  # fmt: skip

_GIVEN = {
    (Sex.MALE, False): (
        "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út", "Hùng", "Dũng", "Thành", "Hải", "Sơn", "Hòa",
        "Bình", "Phước", "Lộc", "Tài", "Thắng", "Lợi", "Minh", "Tâm", "Trung", "Nghĩa", "Hiền", "Quang",
        "Phúc", "Đức", "Hưng", "Cường", "Hiệp", "Thuận", "Vinh", "Tùng", "Toàn",
    ),
    (Sex.MALE, True): (
        "Khang", "Bảo", "Huy", "Khoa", "Phát", "Thịnh", "Tín", "Nhân", "Kiệt", "Trí", "Tuấn", "Duy", "Nam",
        "Long", "Vinh", "Đạt", "Hiếu", "Hậu", "Lâm", "Phong", "Quân", "Tú", "Thiện", "Hào", "Luân", "An",
        "Khôi", "Nguyên", "Minh", "Phúc", "Khải", "Thắng", "Lộc",
    ),
    (Sex.FEMALE, False): (
        "Lan", "Hoa", "Hồng", "Cúc", "Mai", "Đào", "Liên", "Hương", "Loan", "Phượng", "Nga", "Thu", "Hà", "Lệ",
        "Tuyết", "Xuân", "Hạnh", "Dung", "Bích", "Nguyệt", "Thủy", "Sen", "Hằng", "Út", "Tám", "Ba", "Lài",
        "Lựu",
    ),
    (Sex.FEMALE, True): (
        "Linh", "Trang", "Thảo", "Ngân", "Vy", "Hân", "Nhi", "Anh", "Thư", "Quyên", "Trâm", "Tiên", "Như",
        "Yến", "My", "Uyên", "Giang", "Ngọc", "Diễm", "Châu", "Hương", "Phương", "Trinh", "Oanh", "Hạnh",
        "Nhung", "Huyền", "Tâm",
    ),
}  # fmt: skip

# Named hamlets as in a Mekong-delta commune, and village names as a northern commune has them.
_AP_NAMES = (
    "Vĩnh Thạnh", "Phước Lợi", "Phước Hậu", "Phước Thuận", "Vĩnh Hòa", "Long Thạnh", "Long Phú", "Tân Thanh",
    "Tân Quới", "Bình Thủy", "Đông Điền", "Thạnh Hòa", "Hòa Thuận", "Mỹ Lộc", "An Thạnh", "Trường Long",
)  # fmt: skip
_THON_NAMES = (
    "Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Đình", "An Lạc", "Phú Mỹ", "Yên Phú", "Đông Hòa",
    "Tân Lập", "Thanh Bình", "Kim Sơn", "Phúc Lộc",
)  # fmt: skip

_UNIVERSITIES = {
    True: ("Trường Đại học Cần Thơ", "Trường Đại học Sư phạm TP. Hồ Chí Minh",
           "Trường Đại học Nông Lâm TP. Hồ Chí Minh", "Trường Đại học Kinh tế TP. Hồ Chí Minh"),
    False: ("Trường Đại học Sư phạm Hà Nội", "Trường Đại học Kinh tế Quốc dân", "Trường Đại học Bách khoa Hà Nội",
            "Trường Đại học Nông nghiệp Việt Nam"),
}  # fmt: skip

_MOBILE_PREFIXES = ("090", "093", "089", "077", "079", "091", "094", "088", "083", "096", "097", "098", "086",
                    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "081", "085", "092",
                    "056", "058")  # fmt: skip
_NOTES = (("", 87), ("Hộ cận nghèo", 6), ("Hộ nghèo", 4), ("Gia đình chính sách", 3))
# Yearly poverty review: a poor household may move up a step.
_NOTE_AFTER_REVIEW = {"Hộ nghèo": "Hộ cận nghèo", "Hộ cận nghèo": ""}
_KINDERGARTEN_CLASSES = ("Mầm", "Chồi", "Lá")  # ages 3, 4, 5


@dataclass(frozen=True)
class DemoSummary:
    """What was built. `households` and `members` count every record created, including the
    `deleted_households` that were later moved to the recycle bin."""

    data_dir: Path
    commune_name: str
    province_name: str
    hamlets: int
    households: int
    members: int
    deleted_households: int
    clans: int
    units: int
    citizens: int
    award_events: int = 0
    awards: int = 0  # including the few typed twice and moved to the recycle bin
    ledger_entries: int = 0  # vouchers, including the few typed with a slip and moved to the recycle bin
    activities: int = 0
    honours: int = 0
    fund_balance: int = 0  # at the end of the history


def create_demo(
    data_dir: Path,
    households: int = DEFAULT_DEMO_HOUSEHOLDS,
    seed: int = 2025,
    commune_code: str = DEFAULT_DEMO_COMMUNE,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Set up `data_dir` as a demo commune with `households` households and their history since 2023.

    Refuses a folder that is already set up, so real data can never be overwritten. If anything fails
    or `progress` raises (the officer cancelled), the folder is left as it was: not set up.
    """
    if not 1 <= households <= MAX_DEMO_HOUSEHOLDS:
        largest = f"{MAX_DEMO_HOUSEHOLDS:,}".replace(",", ".")
        raise UserError(f"Số hộ của xã mẫu phải từ 1 đến {largest}.")
    try:
        commune = admin_units.commune(commune_code)
    except ValueError as exc:
        raise UserError(f"{exc}; không tạo được xã mẫu.") from exc
    province = admin_units.province(commune.province_code)
    workspace = Workspace.open(data_dir)
    try:
        if workspace.is_set_up:
            raise UserError(
                f"Thư mục {data_dir} đã có dữ liệu; xã mẫu chỉ được tạo trong một thư mục trống "
                "để không ghi đè dữ liệu thật. Hãy chọn thư mục khác."
            )
        people = Random(seed)
        clock = Random(f"{seed}:history")
        hamlet_word = admin_units.hamlet_word(commune.province_code)
        pool = _AP_NAMES if hamlet_word == "Ấp" else _THON_NAMES
        hamlet_names = [f"{hamlet_word} {name}" for name in people.sample(pool, people.randint(6, 10))]
        namer = Namer(southern=hamlet_word == "Ấp")
        profile_service.set_up(
            workspace,
            ProfileInput(
                role=Role.COMMUNE,
                province_code=commune.province_code,
                commune_code=commune.code,
                association_name=default_association_name(Role.COMMUNE, commune.province_code, commune.code),
                officer_name=namer.full_name(people, namer.surname(people), Sex.FEMALE, 1986),
                signer_title="Chủ tịch",
                signer_name=namer.full_name(people, namer.surname(people), Sex.MALE, 1962),
                working_year=date.today().year,
            ),
            hamlet_names,
        )
        try:
            with cyclic_gc_paused():
                builder = Builder(workspace, commune, province.name, namer, people, clock, seed)
                *built, support = builder.build(households, progress)
        except BaseException:
            _undo_set_up(workspace)
            raise
    finally:
        workspace.close(backup=False)
    return DemoSummary(data_dir, commune.name, province.name, len(hamlet_names), households, *built, **asdict(support))


def _undo_set_up(workspace: Workspace) -> None:
    """The folder was empty before `set_up`, so its profile, hamlets and their audit entries are all ours
    to take back."""
    with session_scope(workspace.engine) as session:
        for table in ("audit_log", "hamlet", "profile"):
            session.execute(delete(SQLModel.metadata.tables[table]))


def random_id(rng: Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def day_moment(year: int, month: int, day: int) -> float:
    """Midnight UTC of a day, as seconds since the epoch."""
    return float(calendar.timegm((year, month, day, 0, 0, 0)))


def day_start(day: date) -> float:
    return day_moment(day.year, day.month, day.day)


def stamp(moment: float) -> str:
    """The format of storage.tables.utc_now."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def _school_year(moment: float) -> int:
    """The school year under way: it starts in early September; officers update classes from mid-month."""
    day = time.gmtime(moment)
    return day.tm_year if (day.tm_mon, day.tm_mday) >= (9, 15) else day.tm_year - 1


def office_moment(clock: Random, low: float, high: float) -> float:
    """A moment in [low, high] during office hours (08:00–17:00 in Vietnam, Monday to Friday) if possible."""
    moment = clock.uniform(low, high)
    day = moment - moment % DAY
    weekday = (int(day) // DAY + 3) % 7  # 1 January 1970 was a Thursday
    if weekday >= 5:
        day += (7 - weekday) * DAY
    moment = day + 3600 + clock.uniform(0, 9 * 3600)
    return min(max(moment, low), high)


def moment_before(clock: Random, low: float, high: float, end: float) -> float | None:
    """An office moment in [low, high], or None when it falls at or after `end`: it has not happened yet."""
    if low >= end:
        return None
    at = office_moment(clock, low, max(low, high))
    return at if at < end else None


class Namer:
    """Vietnamese names by sex and generation, with the surnames of the region."""

    def __init__(self, southern: bool) -> None:
        spell = {} if southern else _NORTHERN_SPELLING
        self._surnames = [spell.get(name, name) for name, _ in _SURNAMES]
        self._surname_weights = list(accumulate(weight for _, weight in _SURNAMES))
        self._middles = {
            key: ([n for n, _ in pool], list(accumulate(w for _, w in pool))) for key, pool in _MIDDLE.items()
        }

    def surname(self, rng: Random, unlike: str = "") -> str:
        while True:
            name = rng.choices(self._surnames, cum_weights=self._surname_weights)[0]
            if name != unlike:
                return name

    def full_name(self, rng: Random, surname: str, sex: str, birth_year: int) -> str:
        key = (Sex(sex), birth_year >= _YOUNG_GENERATION)
        names, weights = self._middles[key]
        middle = rng.choices(names, cum_weights=weights)[0]
        given = rng.choice(_GIVEN[key])
        if given == middle:
            given = rng.choice(_GIVEN[key])
        return f"{surname} {middle} {given}"


@dataclass(frozen=True, slots=True)
class _Path:
    """One person's way through school, fixed at birth so every school year can be derived from it."""

    adult: str  # status as a grown-up; the only one for people past school age when the register began
    kindergarten_age: int = 3
    primary: str = ""
    letter: str = "A"
    upper: str = ""
    upper_class: int = 1
    risk_grade: int = 0  # the grade in which the pupil was at risk of dropping out; 0 = never
    drops_out: bool = False
    after_school: str = ""  # cao_dang_dai_hoc or hoc_nghe after grade 12, or "" (goes to work)
    after_school_place: str = ""


@dataclass(slots=True)
class Person:
    id: str
    name: str
    birth_year: int
    sex: str
    relation: str
    path: _Path


@dataclass(frozen=True, slots=True)
class Resident:
    """A member as the learning titles see them: from when to when they were in the household, and the
    learning status their row held over that time."""

    person: Person
    arrived: float
    left: float | None
    statuses: tuple[tuple[float, str], ...]  # (since, learning status), in time order

    def status_at(self, at: float) -> str | None:
        """The learning status the member's row held at `at`; None when not a member then."""
        if at < self.arrived or (self.left is not None and at >= self.left):
            return None
        current = self.statuses[0][1]
        for since, status in self.statuses:
            if since > at:
                break
            current = status
        return current


@dataclass(frozen=True, slots=True)
class Home:
    """A household that stays in the register, for the learning titles to build on."""

    id: str
    code: str
    hamlet_id: str
    created: float
    note: str  # as first entered
    residents: tuple[Resident, ...]  # the head first

    @property
    def head(self) -> Person:
        return self.residents[0].person

    @property
    def label(self) -> str:
        """How the evaluation services name the household in labels and messages."""
        return f"hộ {self.code} ({self.head.name})"


@dataclass(frozen=True, slots=True)
class Event:
    at: float
    label: str
    table: str
    row: Row
    changes: Row | None  # None: the row is created at this moment


@dataclass
class _Batch:
    households: list[Row] = field(default_factory=list)
    members: list[Row] = field(default_factory=list)
    audit: list[Row] = field(default_factory=list)


class Builder:
    """Plans each household's people and history, replays the history into rows and audit entries, and
    writes them batch by batch in one transaction."""

    def __init__(
        self,
        workspace: Workspace,
        commune: admin_units.AdminUnit,
        province_name: str,
        namer: Namer,
        people: Random,
        clock: Random,
        seed: int,
    ) -> None:
        self.workspace = workspace
        self.seed = seed  # the support registers draw from their own streams
        self.namer = namer
        self.people = people
        self.clock = clock
        self.officer = workspace.officer
        self.this_year = date.today().year
        # History stops an hour ago, so the last deletion, a little after its household's last edit,
        # never lands in the future.
        self.history_end = time.time() - 3600
        self.school_year_now = _school_year(self.history_end)
        self.hamlet_word = admin_units.hamlet_word(commune.province_code)
        self.southern = self.hamlet_word == "Ấp"
        self.place = place = admin_units.short_name(commune.name)
        self.kindergarten = f"Trường Mầm non {place}"
        self.lower_secondary = f"Trường THCS {place}"
        self.upper_secondary = (f"Trường THPT {place}", f"Trường THPT {_neighbour(commune)}")
        self.vocational = f"Trường Trung cấp Nghề {admin_units.short_name(province_name)}"
        self.name_keys: dict[str, tuple[str, str]] = {}
        self.commune_name = commune.name
        self.province_name = province_name
        self.hamlets: list[tuple[str, str]] = []  # (id, name)
        self.primary_schools: list[str] = []
        self.homes: list[Home] = []  # the households never deleted, in code order

    def build(
        self, total: int, progress: Callable[[int, int], None] | None
    ) -> tuple[int, int, int, int, int, SupportCounts]:
        """Returns (members, deleted households, clans, units, citizens, the support registers' counts)."""

        # Progress counts households, as the officer asked for them; the rest of the work is shared out.
        def report(share: float) -> None:
            if progress is not None:
                progress(min(total, int(total * share)), total)

        with session_scope(self.workspace.engine) as session:
            connection = session.connection()
            hamlet_rows = connection.exec_driver_sql("SELECT id, name FROM hamlet ORDER BY position").all()
            self.hamlets = [(row[0], row[1]) for row in hamlet_rows]
            # A commune has its own primary school, and often a second one named after a hamlet.
            named = [short for short in map(self.hamlet_short, self.hamlets) if " " in short]
            self.primary_schools = [f"Trường Tiểu học {name}" for name in [self.place, *named[:1]]]
            start = stamp(HISTORY_START)
            # As if the commune had been set up when its register was started.
            for table in ("hamlet", "profile"):
                connection.exec_driver_sql(f"UPDATE {table} SET created_at = :t, updated_at = :t", {"t": start})
            connection.exec_driver_sql(
                "UPDATE audit_log SET at = :t,"
                " after_json = json_set(after_json, '$.created_at', :t, '$.updated_at', :t) WHERE action = :setup",
                {"t": start, "setup": profile_service.SET_UP_LABEL},
            )
            audit_columns = ", ".join(AUDIT_COLUMNS)
            connection.exec_driver_sql(f"CREATE TEMP TABLE demo_audit AS SELECT {audit_columns} FROM audit_log WHERE 0")
            # Bulk inserts into indexes keyed by random UUIDs thrash SQLite's default 2 MB page cache.
            cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
            connection.exec_driver_sql(f"PRAGMA cache_size = {_BULK_CACHE_SIZE}")
            plan = self._plan_register(total)
            members = deleted = 0
            for first in range(0, total, _CHUNK):
                batch = _Batch()
                for index in range(first, min(first + _CHUNK, total)):
                    hamlet, created, is_deleted = plan[index]
                    members += self._household(batch, f"{index + 1:05d}", hamlet, created, is_deleted)
                    deleted += is_deleted
                _write(connection, batch)
                report(min(first + _CHUNK, total) / total * _HOUSEHOLDS_SHARE)
            # Imported here: the titles and the support registers build on this module's people and history.
            from khuyenhoc_desktop.services.demo_support import Support
            from khuyenhoc_desktop.services.demo_titles import Titles

            titles = Titles(self, connection)
            counts = titles.build(lambda share: report(_HOUSEHOLDS_SHARE + share * _TITLES_SHARE))
            support = Support(self, titles, connection).build()
            report(_PLANNED_SHARE)
            # Entries in the order they happened, as if typed over the years; ids follow time.
            connection.exec_driver_sql("CREATE INDEX temp.demo_audit_at ON demo_audit(at)")
            connection.exec_driver_sql(
                f"INSERT INTO audit_log ({audit_columns}) SELECT {audit_columns} FROM demo_audit ORDER BY at, rowid"
            )
            connection.exec_driver_sql("DROP TABLE demo_audit")
            report(_PLANNED_SHARE + (1 - _PLANNED_SHARE) / 2)
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql(f"PRAGMA cache_size = {cache_size}")
        report(1.0)
        return members, deleted, *counts, support

    def _plan_register(self, total: int) -> list[tuple[str, float, bool]]:
        """(hamlet id, creation moment, deleted later?) per household, in code order.

        The first campaign went hamlet by hamlet, so early codes run in blocks per hamlet; later codes mix.
        """
        weights = [self.people.uniform(0.6, 1.4) for _ in self.hamlets]
        in_campaign = round(total * _CAMPAIGN_SHARE)
        shares = [w / sum(weights) for w in weights]
        block_hamlets: list[str] = []
        for (hamlet_id, _), share in zip(self.hamlets, shares, strict=True):
            block_hamlets += [hamlet_id] * round(in_campaign * share)
        block_hamlets = (block_hamlets + [self.hamlets[-1][0]] * in_campaign)[:in_campaign]
        later_hamlets = self.people.choices([h for h, _ in self.hamlets], weights, k=total - in_campaign)
        # At least one in the bin for the recycle-bin screen, unless that would empty the register.
        deleted = set(self.people.sample(range(total), min(total - 1, max(1, round(total * _DELETED_SHARE)))))
        end = self.history_end
        moments = sorted(office_moment(self.clock, HISTORY_START, _CAMPAIGN_END) for _ in range(in_campaign))
        moments += sorted(office_moment(self.clock, _CAMPAIGN_END, end - 7 * DAY) for _ in later_hamlets)
        hamlets = block_hamlets + later_hamlets
        return [(hamlets[i], moments[i], i in deleted) for i in range(total)]

    # -- people ------------------------------------------------------------------------------------

    def _person(self, surname: str, sex: str, birth_year: int, relation: str, primary: str) -> Person:
        rng = self.people
        name = self.namer.full_name(rng, surname, sex, birth_year)
        return Person(random_id(rng), name, birth_year, str(sex), str(relation), self._path(birth_year, primary))

    def _path(self, birth_year: int, primary: str) -> _Path:
        rng = self.people
        learner_share = 0.6 if birth_year > 1965 else 0.4 if birth_year > 1950 else 0.15
        adult = LearningStatus.ADULT_LEARNING if rng.random() < learner_share else LearningStatus.NOT_STUDYING
        if birth_year < _SCHOOL_PATH_FROM:
            return _Path(adult.value)
        roll = rng.random()
        after, place = "", ""
        if roll < 0.3:
            after, place = LearningStatus.HIGHER.value, rng.choice(_UNIVERSITIES[self.southern])
        elif roll < 0.5:
            after, place = LearningStatus.VOCATIONAL.value, self.vocational
        risk_grade = rng.randint(6, 11) if rng.random() < 0.05 else 0
        return _Path(
            adult=adult.value,
            kindergarten_age=rng.choices((3, 4, 5), (6, 3, 1))[0],
            primary=primary,
            letter=rng.choice("ABCD"),
            upper=rng.choice(self.upper_secondary),
            upper_class=rng.randint(1, 8),
            risk_grade=risk_grade,
            drops_out=risk_grade > 0 and rng.random() < 0.4,
            after_school=after,
            after_school_place=place,
        )

    def _family(self) -> list[Person]:
        """A head of household and the people living with them, in the order the officer enters them."""
        rng, namer = self.people, self.namer
        primary = self.primary_schools[-1] if rng.random() >= 0.6 else self.primary_schools[0]
        head_birth = round(rng.triangular(1940, 1995, 1972))
        head_sex = Sex.MALE if rng.random() < 0.78 else Sex.FEMALE
        head_surname = namer.surname(rng)
        head = self._person(head_surname, head_sex, head_birth, Relation.HEAD, primary)
        family = [head]
        older = head_birth <= 1972
        kind = rng.choices(("alone", "couple", "nuclear", "three"), (10, 20, 35, 35) if older else (4, 10, 86, 0))[0]
        spouse_sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
        has_spouse = kind != "alone" and rng.random() < (0.85 if older else 0.92)
        spouse_surname = namer.surname(rng, unlike=head_surname)
        if has_spouse:
            gap = rng.randint(0, 6) * (1 if head_sex == Sex.MALE else -1)
            family.append(self._person(spouse_surname, spouse_sex, head_birth + gap, Relation.SPOUSE, primary))
        if not older and rng.random() < 0.18:
            for parent_sex in rng.sample((Sex.MALE, Sex.FEMALE), rng.randint(1, 2)):
                surname = head_surname if parent_sex == Sex.MALE else namer.surname(rng, unlike=head_surname)
                year = max(head_birth - rng.randint(22, 35), 1932)
                family.append(self._person(surname, parent_sex, year, Relation.PARENT, primary))
        if kind in ("nuclear", "three"):
            if head_sex == Sex.MALE:
                father_surname = head_surname
                mother_birth = family[1].birth_year if has_spouse else head_birth + 3
            else:
                father_surname = spouse_surname if has_spouse else namer.surname(rng, unlike=head_surname)
                mother_birth = head_birth
            count = rng.choices((0, 1, 2, 3), (5, 3, 1, 0) if kind == "three" else (0, 3, 5, 2))[0]
            children: list[Person] = []
            in_laws_and_grandchildren: list[Person] = []
            if kind == "three":
                married, in_laws_and_grandchildren = self._married_child(father_surname, mother_birth, primary)
                children.append(married)
            year = mother_birth + rng.randint(20, 28)
            for _ in range(count):
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                children.append(self._person(father_surname, sex, year, Relation.CHILD, primary))
                year += rng.randint(2, 5)
            family += sorted(children, key=lambda child: child.birth_year) + in_laws_and_grandchildren
        if rng.random() < 0.05:
            sibling_sex = rng.choice((Sex.MALE, Sex.FEMALE))
            year = head_birth + rng.randint(-8, 8)
            family.append(self._person(head_surname, sibling_sex, year, Relation.SIBLING, primary))
        if rng.random() < 0.02:
            other_sex = rng.choice((Sex.MALE, Sex.FEMALE))
            family.append(
                self._person(namer.surname(rng), other_sex, head_birth + rng.randint(15, 40), Relation.OTHER, primary)
            )
        alive = [p for p in family if p.birth_year <= self.this_year]
        return alive[:_MAX_MEMBERS]

    def _married_child(self, surname: str, mother_birth: int, primary: str) -> tuple[Person, list[Person]]:
        """The son (sometimes the daughter) who stayed; and their spouse and children."""
        rng, namer = self.people, self.namer
        sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
        year = mother_birth + rng.randint(19, 26)
        child = self._person(surname, sex, year, Relation.CHILD, primary)
        in_law_sex = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
        in_law_surname = namer.surname(rng, unlike=surname)
        in_law = self._person(in_law_surname, in_law_sex, year + rng.randint(-4, 3), Relation.CHILD_IN_LAW, primary)
        # Sometimes the spouse works away or is gone; the grandchildren still live here.
        others = [in_law] if rng.random() < 0.85 else []
        grand_surname = surname if sex == Sex.MALE else in_law_surname
        grand_year = (year if sex == Sex.FEMALE else in_law.birth_year) + rng.randint(20, 30)
        for _ in range(rng.choices((0, 1, 2, 3), (2, 4, 3, 1))[0]):
            others.append(self._person(grand_surname, rng.choice((Sex.MALE, Sex.FEMALE)), grand_year,
                                       Relation.GRANDCHILD, primary))  # fmt: skip
            grand_year += rng.randint(2, 6)
        return child, others

    def schooling(self, person: Person, school_year: int) -> tuple[str, str]:
        """(learning status, school and class) of `person` during the school year starting in `school_year`."""
        path, age = person.path, school_year - person.birth_year
        if not path.primary or age >= 23:
            return path.adult, ""
        if age < path.kindergarten_age:
            return LearningStatus.PRESCHOOL_AGE.value, ""
        if age < 6:
            return LearningStatus.KINDERGARTEN.value, f"{self.kindergarten}, lớp {_KINDERGARTEN_CLASSES[age - 3]}"
        grade = age - 5
        if grade <= 12:
            if path.drops_out and grade > path.risk_grade:
                return LearningStatus.DROPPED_OUT.value, ""
            if grade <= 5:
                level, school = LearningStatus.PRIMARY, f"{path.primary}, lớp {grade}{path.letter}"
            elif grade <= 9:
                level, school = LearningStatus.LOWER_SECONDARY, f"{self.lower_secondary}, lớp {grade}{path.letter}"
            else:
                level, school = LearningStatus.UPPER_SECONDARY, f"{path.upper}, lớp {grade}A{path.upper_class}"
            return (LearningStatus.DROPOUT_RISK if grade == path.risk_grade else level).value, school
        if not path.drops_out and path.after_school == LearningStatus.HIGHER and age <= 21:
            return path.after_school, path.after_school_place
        if not path.drops_out and path.after_school == LearningStatus.VOCATIONAL and age <= 19:
            return path.after_school, path.after_school_place
        return path.adult, ""

    # -- history -----------------------------------------------------------------------------------

    def _member_row(self, person: Person, household_id: str, position: int, at: float) -> Row:
        keys = self.name_keys.get(person.name)
        if keys is None:
            keys = self.name_keys[person.name] = (fold(person.name), name_sort_key(person.name))
        status, school = self.schooling(person, _school_year(at))
        moment = stamp(at)
        # Same keys in the same order as Member's columns: the audit JSON must look like the services'.
        return {
            "id": person.id, "household_id": household_id, "full_name": person.name, "name_key": keys[0],
            "name_sort": keys[1], "birth_year": person.birth_year, "sex": person.sex, "relation": person.relation,
            "school": school, "learning_status": status, "position": position, "created_at": moment,
            "updated_at": moment, "deleted_at": None,
        }  # fmt: skip

    def _household(self, batch: _Batch, code: str, hamlet_id: str, created: float, deleted: bool) -> int:
        """Plan one household and its history, replay it into `batch`; returns its number of members."""
        rng, clock, end = self.people, self.clock, self.history_end
        household_id = random_id(rng)
        family = self._family()
        head = family[0]
        address = self._address(next(h for h in self.hamlets if h[0] == hamlet_id))
        phone = phone_number(rng) if rng.random() < 0.72 else ""
        note = rng.choices([n for n, _ in _NOTES], [w for _, w in _NOTES])[0]
        moment = stamp(created)
        household: Row = {
            "id": household_id, "code": code, "hamlet_id": hamlet_id, "address": address, "phone": phone,
            "note": note, "search_key": household_search_text(code, head.name, address, phone, note),
            "created_at": moment, "updated_at": moment, "deleted_at": None,
        }  # fmt: skip
        events = [Event(created, f"Thêm hộ {code}", "household", household, None)]
        # Babies born after the household was entered are added when the family reports them.
        created_year = time.gmtime(created).tm_year
        arrivals: list[tuple[float, Person]] = []
        for order, person in enumerate(family):
            at = created + 40.0 * order
            if person.birth_year > created_year:
                low = max(created + DAY, day_moment(person.birth_year, 2, 1))
                if low >= end:
                    continue
                at = office_moment(clock, low, min(end, low + 300 * DAY))
            arrivals.append((at, person))
        arrivals.sort(key=lambda pair: pair[0])
        members: list[Row] = []
        for position, (at, person) in enumerate(arrivals):
            row = self._member_row(person, household_id, position, at)
            members.append(row)
            label = f"Thêm hộ {code}" if position == 0 else f"Thêm thành viên {person.name} vào hộ {code}"
            events.append(Event(at, label, "member", row, None))
            events += self._school_updates(person, row, at, code)
        events += self._household_edit(household, members[0], created, head.name)
        if rng.random() < 0.02:
            events += self._member_leaves(arrivals[1:], members[1:])
        events.sort(key=lambda event: event.at)
        if deleted:
            low = events[-1].at + DAY
            at = office_moment(clock, low, end) if low < end else events[-1].at + 60
            events.append(Event(at, f"Xóa hộ {code}", "household", household, {"deleted_at": stamp(at)}))
        else:
            self.homes.append(_home(household, created, arrivals, members, events))
        replay(batch.audit, self.officer, events)
        batch.households.append(household)
        batch.members += members
        return len(members)

    def _school_updates(self, person: Person, row: Row, added: float, code: str) -> list[Event]:
        """Each September the officer moves pupils up a class; a change of level is a second edit."""
        if not person.path.primary:
            return []
        events: list[Event] = []
        before = (row["learning_status"], row["school"])
        for school_year in range(_school_year(added) + 1, self.school_year_now + 1):
            status, school = self.schooling(person, school_year)
            if (status, school) == before:
                continue
            low = max(day_moment(school_year, 9, 15), added + 60)
            at = office_moment(self.clock, low, min(day_moment(school_year, 10, 31), self.history_end))
            for field_name, old, new in (("school", before[1], school), ("learning_status", before[0], status)):
                if old != new:
                    label = f"Sửa {MEMBER_FIELD_LABELS[field_name].lower()} của {person.name} (hộ {code})"
                    events.append(Event(at, label, "member", row, {field_name: new, "updated_at": stamp(at)}))
                    at += 25
            before = (status, school)
        return events

    def _household_edit(self, household: Row, head: Row, created: float, head_name: str) -> list[Event]:
        """A new phone number, or the yearly poverty review moving a household up a step."""
        clock, end = self.clock, self.history_end
        review = _NOTE_AFTER_REVIEW.get(household["note"])
        if review is not None and clock.random() < 0.3:
            low = day_moment(time.gmtime(created).tm_year + 1, 1, 5)
            changes: Row = {"note": review}
            high = low + 60 * DAY
        elif clock.random() < 0.06:
            low, high = created + 30 * DAY, end
            changes = {"phone": phone_number(clock)}
        else:
            return []
        if low >= end:
            return []
        at = office_moment(clock, low, min(high, end))
        after = {**household, **changes}
        changes["search_key"] = household_search_text(
            after["code"], head_name, after["address"], after["phone"], after["note"]
        )
        changes["updated_at"] = stamp(at)
        label = f"Sửa hộ {household['code']}"
        # update_household rewrites the head too, so its updated_at moves and it is audited alongside.
        return [
            Event(at, label, "household", household, changes),
            Event(at, label, "member", head, {"updated_at": stamp(at)}),
        ]

    def _member_leaves(self, arrivals: list[tuple[float, Person]], rows: list[Row]) -> list[Event]:
        """A grown-up (past school age, so no class updates follow) who moved away or died: to the recycle bin."""
        adults = [
            (at, row) for (at, person), row in zip(arrivals, rows, strict=True) if person.birth_year < _SCHOOL_PATH_FROM
        ]
        if not adults:
            return []
        added, row = self.clock.choice(adults)
        low = added + 60 * DAY
        if low >= self.history_end:
            return []
        at = office_moment(self.clock, low, self.history_end)
        return [Event(at, f"Xóa thành viên {row['full_name']}", "member", row, {"deleted_at": stamp(at)})]

    def hamlet_short(self, hamlet: tuple[str, str]) -> str:
        return hamlet[1].removeprefix(self.hamlet_word).strip()

    def _address(self, hamlet: tuple[str, str]) -> str:
        """Most houses are found by their group (tổ in the south, xóm in the north); some by a road number."""
        rng = self.people
        roll = rng.random()
        if roll < 0.6:
            return f"{'Tổ' if self.southern else 'Xóm'} {rng.randint(1, 8)}, {hamlet[1]}"
        if roll < 0.95:
            road = self.hamlet_short(hamlet) if self.southern else self.place
            return f"Số {rng.randint(1, 350)}, đường {road}"
        return ""


def _home(
    household: Row, created: float, arrivals: list[tuple[float, Person]], members: list[Row], events: list[Event]
) -> Home:
    """The household as the titles need it, read off its planned history (before the replay changes the rows)."""
    statuses = {row["id"]: [(at, row["learning_status"])] for (at, _), row in zip(arrivals, members, strict=True)}
    left: dict[str, float] = {}
    for event in events:
        if event.table == "member" and event.changes is not None:
            if "learning_status" in event.changes:
                statuses[event.row["id"]].append((event.at, event.changes["learning_status"]))
            if "deleted_at" in event.changes:
                left[event.row["id"]] = event.at
    residents = tuple(Resident(person, at, left.get(person.id), tuple(statuses[person.id])) for at, person in arrivals)
    return Home(household["id"], household["code"], household["hamlet_id"], created, household["note"], residents)


def phone_number(rng: Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"


def _neighbour(commune: admin_units.AdminUnit) -> str:
    """The commune with the nearest code in the same province: neighbours shared a district before 2025,
    and their pupils share an upper-secondary school."""
    others = [c for c in admin_units.communes(commune.province_code) if c.code != commune.code]
    if not others:
        return admin_units.short_name(commune.name)
    nearest = min(others, key=lambda c: abs(int(c.code) - int(commune.code)))
    return admin_units.short_name(nearest.name)


def replay(audit: list[Row], officer: str, events: Iterable[Event]) -> None:
    """Apply each change to its row, writing the audit entry the services would have. A row's events must
    come in time order; different rows' events may interleave (the entries are sorted by time at the end)."""
    written: dict[int, str] = {}  # a row's JSON after its latest event: the next event's before
    for event in events:
        key = id(event.row)
        before = None
        if event.changes is not None:
            before = written.get(key) or json.dumps(event.row, ensure_ascii=False)
            event.row.update(event.changes)
        after = written[key] = json.dumps(event.row, ensure_ascii=False)
        audit.append(
            {
                "at": stamp(event.at),
                "officer": officer,
                "action": event.label,
                "table_name": event.table,
                "record_id": event.row["id"],
                "before_json": before,
                "after_json": after,
            }
        )


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"


def _write(connection: Connection, batch: _Batch) -> None:
    """Straight to sqlite3's executemany: SQLAlchemy's per-row parameter processing would cost a third."""
    tables = SQLModel.metadata.tables
    for table, rows in (("household", batch.households), ("member", batch.members)):
        connection.exec_driver_sql(insert_sql(table, tables[table].columns.keys()), rows)
    connection.exec_driver_sql(insert_sql("demo_audit", AUDIT_COLUMNS), batch.audit)
