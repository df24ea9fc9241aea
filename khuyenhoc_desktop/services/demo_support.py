"""The demo commune's support registers over the previous and the working year: award ceremonies and their
scholarships and gifts, the study-promotion fund's ledger, learning activities against the year's targets, and
exemplary models and commendations, built on its households, clans, units and recognised families.

Both years are planned in full from the seed's own streams, then typed in up to the history's end. The fund is
kept the way an officer keeps it: every voucher typed on its own working day, so the numbers of a year run in
date order; a cash award paid out of the fund posts its payment in the same change (services.awards), and a
payment the fund cannot cover waits for a top-up from the commune, typed just before it, so the ledger never
goes below zero. Every row and audit entry is the one the services would have written (awards.create_event,
create_award, delete_award; ledger.create_entry, delete_entry; activities.create_activity, set_targets;
honours.create_honour); the tests compare them.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from random import Random

from sqlalchemy import Connection
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_KIND_SHORT_LABELS,
    ActivityInput,
    ActivityKind,
    activity_search_text,
    clean_activity,
    count_unit,
)
from khuyenhoc_desktop.domain.awards import (
    AWARD_KIND_LABELS,
    AwardCategory,
    AwardEventInput,
    AwardInput,
    AwardKind,
    award_search_text,
    clean_award,
    clean_event,
    event_search_text,
    split_school,
)
from khuyenhoc_desktop.domain.honours import (
    HonourInput,
    HonourKind,
    HonourLevel,
    RecipientKind,
    clean_honour,
    honour_search_text,
)
from khuyenhoc_desktop.domain.household import LearningStatus, Sex
from khuyenhoc_desktop.domain.ledger import (
    VOUCHER_NAMES,
    VOUCHER_PREFIXES,
    Direction,
    LedgerInput,
    PaymentCategory,
    ReceiptCategory,
    clean_entry,
    ledger_search_text,
    signed,
)
from khuyenhoc_desktop.domain.text import fold, format_count, format_vnd, name_sort_key
from khuyenhoc_desktop.domain.unit import UnitKind
from khuyenhoc_desktop.services import activities, honours
from khuyenhoc_desktop.services.demo import (
    AUDIT_COLUMNS,
    DAY,
    Builder,
    Event,
    Home,
    Resident,
    Row,
    day_start,
    insert_sql,
    moment_before,
    random_id,
    replay,
    stamp,
)
from khuyenhoc_desktop.services.demo_titles import Titles

_TABLES = ("award_event", "ledger_entry", "award", "activity", "activity_target", "honour")  # foreign-key order

_IN_SCHOOL = frozenset(
    {
        LearningStatus.PRIMARY,
        LearningStatus.LOWER_SECONDARY,
        LearningStatus.UPPER_SECONDARY,
        LearningStatus.DROPOUT_RISK,
    }
)
_POOR = frozenset({"Hộ nghèo", "Hộ cận nghèo"})
_HARDSHIP_SHARE = 0.08  # of other households: an orphan, a parent long ill; the hamlet knows, the note does not say
_GOOD_PUPIL = 0.7  # aptitude from which a pupil is among the good ones (three in ten)
_DRAWS_PER_AWARD = 25  # random looks into a pool per award wanted, before a small commune's list is called full
_TYPED_TWICE_SHARE = 0.4  # of ceremonies: one gift typed twice, the copy moved to the recycle bin
_SLIP_SHARE = 0.7  # of years: one receipt typed ten times too large, binned and typed again
_QUARTER_RATE = 0.008  # interest on the fund's deposit, per quarter
_TOP_UP_MARGIN = 5_000_000  # × the money scale: what the commune adds beyond a payment the fund cannot cover

_STEMS = ("Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ")  # by year % 10
_BRANCHES = ("Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi")  # by year % 12

_COMPANIES = (
    "Công ty TNHH Thương mại Dịch vụ Tân Phát", "Công ty Cổ phần Đầu tư Xây dựng Hưng Long",
    "Doanh nghiệp tư nhân Vàng bạc Kim Thành", "Công ty TNHH Vật tư Nông nghiệp Thành Lợi",
)  # fmt: skip
_COUNTRIES = ("Mỹ", "Úc", "Canada", "Pháp", "Đức")
_SUBJECTS = ("Toán", "Ngữ văn", "Tiếng Anh", "Vật lý", "Hóa học", "Sinh học", "Lịch sử", "Địa lý", "Tin học")
_PRIZES = ("Nhất", "Nhì", "Ba", "Khuyến khích")

# Topics of the learning centre's sessions: (topic, field, months it is held in; empty: any month).
_TOPICS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("Phổ biến Luật Giao thông đường bộ", "Pháp luật", ()),
    ("Tuyên truyền Luật Hôn nhân và gia đình", "Pháp luật", ()),
    ("Phòng, chống bạo lực gia đình", "Pháp luật", ()),
    ("Phòng, chống ma túy trong thanh thiếu niên", "Pháp luật", ()),
    ("Tìm hiểu Luật Đất đai", "Pháp luật", ()),
    ("Nhận biết và phòng tránh lừa đảo qua mạng", "Kỹ năng số", ()),
    ("Hướng dẫn sử dụng ứng dụng VNeID và dịch vụ công trực tuyến", "Kỹ năng số", ()),
    ("Thanh toán không dùng tiền mặt", "Kỹ năng số", ()),
    ("Phòng, chống sốt xuất huyết", "Sức khỏe", (5, 6, 7, 8, 9, 10)),
    ("Chăm sóc sức khỏe người cao tuổi", "Sức khỏe", ()),
    ("Dinh dưỡng cho trẻ dưới 5 tuổi", "Sức khỏe", ()),
    ("An toàn vệ sinh thực phẩm", "Sức khỏe", ()),
    ("Phòng, chống đuối nước cho trẻ em dịp hè", "Kỹ năng sống", (5, 6, 7)),
    ("Kỹ năng sơ cứu ban đầu", "Kỹ năng sống", ()),
    ("Phòng cháy, chữa cháy trong khu dân cư", "Kỹ năng sống", (1, 11, 12)),
    ("Kỹ thuật bón phân cân đối cho lúa", "Nông nghiệp", ()),
    ("Phòng trừ rầy nâu hại lúa", "Nông nghiệp", (3, 4, 8, 9)),
    ("Chăm sóc cây ăn trái mùa khô", "Nông nghiệp", (1, 2, 3, 4)),
    ("Phòng bệnh dịch tả heo châu Phi", "Chăn nuôi", ()),
    ("Tiêm phòng cho đàn gia súc, gia cầm", "Chăn nuôi", ()),
    ("Xây dựng gia đình học tập, dòng họ học tập", "Khuyến học", ()),
    ("Đọc sách cùng con", "Văn hóa đọc", (4, 10)),
    ("Nuôi dạy con tốt", "Gia đình", ()),
    ("Phân loại rác thải sinh hoạt tại nguồn", "Môi trường", ()),
    ("Ứng phó với hạn mặn và biến đổi khí hậu", "Môi trường", ()),
    ("Bảo hiểm xã hội tự nguyện, bảo hiểm y tế hộ gia đình", "Chính sách", ()),
    ("Vay vốn ưu đãi cho hộ nghèo, hộ cận nghèo", "Chính sách", ()),
)
# Who is asked to speak on a field (and paid for it, now and then, out of the fund).
_SPEAKERS = {
    "Pháp luật": "Công an",
    "Sức khỏe": "Trạm Y tế",
    "Nông nghiệp": "Hội Nông dân",
    "Chăn nuôi": "Hội Nông dân",
}
_TRAININGS = (
    ("Kỹ thuật trồng và chăm sóc cây ăn trái", "Trồng trọt"), ("Sản xuất lúa theo hướng VietGAP", "Trồng trọt"),
    ("Phòng trừ sâu bệnh hại rau màu", "Trồng trọt"), ("Kỹ thuật trồng rau an toàn", "Trồng trọt"),
    ("Kỹ thuật nuôi bò sinh sản", "Chăn nuôi"), ("Chăn nuôi gà thả vườn an toàn sinh học", "Chăn nuôi"),
    ("Nuôi cá nước ngọt trong ao", "Thủy sản"), ("Kỹ năng số cho người dân", "Tin học"),
    ("Tin học văn phòng cho cán bộ ấp", "Tin học"), ("Bán hàng qua mạng cho hộ kinh doanh", "Thương mại điện tử"),
    ("Sơ cấp cứu cho tình nguyện viên", "Y tế"), ("Nghiệp vụ công tác khuyến học cho chi hội", "Khuyến học"),
    ("Làm phân hữu cơ vi sinh từ phụ phẩm nông nghiệp", "Trồng trọt"), ("Quản lý tài chính hộ gia đình", "Kinh tế"),
    ("Kỹ thuật tưới tiết kiệm nước", "Trồng trọt"),
)  # fmt: skip
_VOCATIONS = (
    ("May công nghiệp", "May mặc"), ("Sửa chữa máy nông nghiệp", "Cơ khí"), ("Kỹ thuật chế biến món ăn", "Nấu ăn"),
    ("Trồng nấm rơm", "Trồng trọt"), ("Đan lát hàng thủ công mỹ nghệ", "Thủ công"), ("Điện dân dụng", "Điện"),
    ("Sửa chữa điện thoại di động", "Điện tử"), ("Chăm sóc sắc đẹp", "Dịch vụ"), ("Hàn điện", "Cơ khí"),
    ("Nuôi và chăm sóc thú y cơ bản", "Chăn nuôi"),
)  # fmt: skip


def lunar_year(year: int) -> str:
    """The name of the lunar year whose Tết falls in `year`: 2026 → "Bính Ngọ"."""
    return f"{_STEMS[year % 10]} {_BRANCHES[year % 12]}"


# -- rows as the services write them ----------------------------------------------------------------------
def event_row(event_id: str, data: AwardEventInput, at: float) -> Row:
    """A ceremony as services.awards.create_event stores it."""
    clean = clean_event(data, date.today())
    moment = stamp(at)
    return {
        "id": event_id, "name": clean.name, "held_on": clean.held_on.isoformat(), "place": clean.place,
        "sponsor": clean.sponsor, "school_year": clean.school_year, "note": clean.note,
        "search_key": event_search_text(clean.name, clean.place, clean.sponsor, clean.school_year, clean.note),
        "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def event_label(name: str) -> str:
    return f"Thêm lễ trao «{name}»"


def award_row(
    award_id: str,
    data: AwardInput,
    household: tuple[str, str] | None,
    event: Row | None,
    ledger_entry_id: str | None,
    at: float,
) -> Row:
    """An award as services.awards.create_award stores it. `data` names a register pupil as the register does;
    `household` is the member's (household id, hamlet id); a blank sponsor and school year come from the
    ceremony, as the service fills them; `ledger_entry_id` is the payment it posted."""
    if event is not None:
        data = replace(
            data, sponsor=data.sponsor or event["sponsor"], school_year=data.school_year or event["school_year"]
        )
    clean = clean_award(data, date.today())
    household_id, hamlet_id = household if household is not None else (None, None)
    moment = stamp(at)
    return {
        "id": award_id, "event_id": clean.event_id, "member_id": clean.member_id, "pupil_name": clean.pupil_name,
        "name_key": fold(clean.pupil_name), "name_sort": name_sort_key(clean.pupil_name),
        "birth_year": clean.birth_year, "household_id": household_id, "hamlet_id": hamlet_id, "school": clean.school,
        "grade": clean.grade, "category": str(clean.category), "kind": str(clean.kind), "value_vnd": clean.value_vnd,
        "sponsor": clean.sponsor, "school_year": clean.school_year, "awarded_on": clean.awarded_on.isoformat(),
        "recurring": clean.recurring, "ledger_entry_id": ledger_entry_id, "note": clean.note,
        "search_key": award_search_text(
            clean.pupil_name, clean.school, clean.grade, clean.category, clean.kind, clean.sponsor, clean.note
        ),
        "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def award_label(award: Row) -> str:
    """The label of the change that adds an award, and its posted payment with it."""
    what = f"suất {AWARD_KIND_LABELS[award['kind']].lower()} {format_vnd(award['value_vnd'])}"
    return f"Thêm {what} cho {award['pupil_name']}"


def award_deletion_label(award: Row) -> str:
    return f"Xóa suất {AWARD_KIND_LABELS[award['kind']].lower()} của {award['pupil_name']}"


def award_payment(award: Row, event_name: str | None) -> LedgerInput:
    """The payment voucher services.awards posts for a cash award (a cash gift outside the study categories is
    a gift in the ledger, every other one a scholarship); its number still to be given."""
    gift = award["category"] == AwardCategory.OTHER
    occasion = f" lễ «{event_name}»" if event_name is not None else f" năm học {award['school_year']}"
    return LedgerInput(
        entry_on=date.fromisoformat(award["awarded_on"]),
        direction=Direction.CHI,
        category=PaymentCategory.GIFT if gift else PaymentCategory.SCHOLARSHIP,
        counterpart=award["pupil_name"],
        amount=award["value_vnd"],
        note=f"{'Quà' if gift else 'Học bổng'}{occasion}",
    )


def ledger_row(entry_id: str, data: LedgerInput, at: float) -> Row:
    """A voucher as services.ledger stores it (create_entry, or an award's posting); `data` carries its number."""
    clean = clean_entry(data, date.today())
    moment = stamp(at)
    return {
        "id": entry_id, "entry_on": clean.entry_on.isoformat(), "direction": str(clean.direction),
        "category": str(clean.category), "voucher_no": clean.voucher_no, "counterpart": clean.counterpart,
        "amount": clean.amount, "note": clean.note,
        "search_key": ledger_search_text(
            clean.direction, clean.category, clean.voucher_no, clean.counterpart, clean.note
        ),
        "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def ledger_label(action: str, entry: Row) -> str:
    """ "Thêm phiếu thu PT-2025-003 (5.000.000 đ)", "Xóa phiếu chi …"."""
    return f"{action} {VOUCHER_NAMES[entry['direction']]} {entry['voucher_no']} ({format_vnd(entry['amount'])})"


def activity_row(activity_id: str, data: ActivityInput, at: float) -> Row:
    """A session or class as services.activities.create_activity stores it."""
    clean = clean_activity(data, date.today())
    moment = stamp(at)
    return {
        "id": activity_id, "kind": str(clean.kind), "name": clean.name, "field": clean.field,
        "starts_on": clean.starts_on.isoformat(), "ends_on": clean.ends_on.isoformat() if clean.ends_on else None,
        "place": clean.place, "participants": clean.participants, "note": clean.note,
        "search_key": activity_search_text(clean.kind, clean.name, clean.field, clean.place, clean.note),
        "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def target_row(target_id: str, year: int, kind: str, target: int, at: float) -> Row:
    """A new target of services.activities.set_targets."""
    moment = stamp(at)
    return {
        "id": target_id, "year": year, "kind": str(kind), "target": target, "created_at": moment,
        "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


def targets_label(year: int, targets: Mapping[str, int]) -> str:
    """set_targets' label when every kind given is set for the first time."""
    said = [
        f"{ACTIVITY_KIND_SHORT_LABELS[kind].lower()} {format_count(target)} {count_unit(kind)}"
        for kind, target in targets.items()
    ]
    return f"Đặt chỉ tiêu năm {year}: {', '.join(said)}"


def honour_row(honour_id: str, data: HonourInput, at: float) -> Row:
    """A model or commendation as services.honours.create_honour stores it; a person picked from the register
    is named, and placed in a hamlet, as the register has them."""
    clean = clean_honour(data, date.today())
    moment = stamp(at)
    return {
        "id": honour_id, "kind": str(clean.kind), "recipient_kind": str(clean.recipient_kind),
        "recipient": clean.recipient, "member_id": clean.member_id, "hamlet_id": clean.hamlet_id,
        "level": str(clean.level), "issuer": clean.issuer, "decision_no": clean.decision_no,
        "honoured_on": clean.honoured_on.isoformat(), "content": clean.content,
        "search_key": honour_search_text(
            clean.kind, clean.recipient_kind, clean.recipient, clean.level, clean.issuer, clean.decision_no,
            clean.content,
        ),
        "created_at": moment, "updated_at": moment, "deleted_at": None,
    }  # fmt: skip


# -- the plan ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SupportCounts:
    """What was built, for DemoSummary: rows created (the few moved to the recycle bin included)."""

    award_events: int
    awards: int
    ledger_entries: int
    activities: int
    honours: int
    fund_balance: int


@dataclass(frozen=True, slots=True)
class _Pupil:
    """A child of school age in either year, with how the household fares and how well the child learns."""

    home: Home
    resident: Resident
    hardship: bool
    aptitude: float

    @property
    def id(self) -> str:
        return self.resident.person.id


@dataclass(frozen=True, slots=True)
class _Line:
    """One kind of gift at a ceremony: who gives it ("" the ceremony's sponsor), what, worth how much, and
    whether the fund pays it (a cash award posted to the ledger)."""

    weight: float
    sponsor: str
    kind: AwardKind
    values: tuple[int, ...]
    posted: bool = False
    recurring: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class _AwardPlan:
    data: AwardInput
    household: tuple[str, str] | None  # (household id, hamlet id) of a register pupil
    event: Row | None
    typed_twice: bool = False


@dataclass
class _Receipt:
    data: LedgerInput
    slip: bool = False  # first typed ten times too large, moved to the recycle bin, typed again


@dataclass
class _Day:
    """What the officer types on one working day, in this order: the quarter's interest, receipts, the awards
    handed out that day, other payments."""

    interest: bool = False
    receipts: list[_Receipt] = field(default_factory=list)
    awards: list[_AwardPlan] = field(default_factory=list)
    payments: list[LedgerInput] = field(default_factory=list)


class _Typist:
    """The moments at which one day's vouchers and awards are typed, one after the other, in office hours."""

    def __init__(self, clock: Random, day: date) -> None:
        self.clock = clock
        self.at = day_start(day) + 3600 + clock.uniform(0, 3 * 3600)  # from 08:00 to 11:00 in Vietnam

    def next(self) -> float:
        self.at += self.clock.uniform(20, 90)
        return self.at


def _weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _last_weekday(year: int, month: int) -> date:
    day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=max(0, day.weekday() - 4))


def _thousands(amount: float) -> int:
    """Money as people hand it over: whole thousands of đồng, at least one."""
    return max(1, round(amount / 1000)) * 1000


class Support:
    """Plans both years of the support registers, types them in day by day up to the history's end, replays
    the history and writes it."""

    def __init__(self, base: Builder, titles: Titles, connection: Connection) -> None:
        self.base, self.titles, self.connection = base, titles, connection
        self.rng = Random(f"{base.seed}:support")
        self.clock = Random(f"{base.seed}:support-history")
        self.end = base.history_end
        self.cutoff = datetime.fromtimestamp(self.end, UTC).date()  # a day's typing is done on that day
        self.previous, self.working = base.this_year - 1, base.this_year
        # Money moved grows with the commune, within reason.
        self.scale = min(4.0, max(0.25, len(base.homes) / 3000))
        self.activity_scale = min(1.0, max(0.3, len(base.homes) / 3000))  # a small commune runs fewer
        profile = base.workspace.profile
        self.association = profile.association_name if profile else ""
        commune = admin_units.in_running_text(base.commune_name)
        kind, _ = admin_units.split_kind(base.province_name)
        province = admin_units.in_running_text(base.province_name if kind else f"Tỉnh {base.province_name}")
        self.committee = f"Ủy ban nhân dân {commune}"
        self.centre = f"Trung tâm học tập cộng đồng {commune}"
        self.hall = f"Hội trường {self.committee}"
        self.commune = commune
        self.province_association = f"Hội Khuyến học {province}"
        self.policy_bank = f"Ngân hàng Chính sách xã hội chi nhánh {province}"
        self.deposit_bank = f"Ngân hàng Nông nghiệp và Phát triển Nông thôn chi nhánh {province}"
        units = titles.rows["unit"]
        self.schools = [u for u in units if u["kind"] == UnitKind.SCHOOL]
        self.cooperatives = [u["name"] for u in units if u["kind"] == UnitKind.COOPERATIVE]
        self.companies = [u["name"] for u in units if u["kind"] == UnitKind.ENTERPRISE] + list(_COMPANIES)
        self.rows: dict[str, list[Row]] = {table: [] for table in _TABLES}
        self.events: list[Event] = []
        self.audit: list[Row] = []
        self.days: dict[date, _Day] = {}
        self.donors: dict[int, list[tuple[Home, Resident]]] = {}
        self.vouchers: Counter[tuple[str, int]] = Counter()
        self.balance = 0

    def build(self) -> SupportCounts:
        pupils = self._pupils()
        needy = [p for p in pupils if p.hardship or p.resident.person.path.risk_grade]
        good = [p for p in pupils if p.aptitude >= _GOOD_PUPIL]
        returning: list[_Pupil] = []
        for year in (self.previous, self.working):
            self._activities(year)
            self._receipts(year, opening=year == self.previous)
            self._tet(year, needy)
            self._prize_winners(year, good)
            self._good_pupils(year, good)
            returning = self._new_school_year(year, needy, returning)
            self._review(year)
            self._province_honours(year)
        self._keep_the_books()
        replay(self.audit, self.base.officer, self.events)
        self._write()
        rows = self.rows
        return SupportCounts(
            len(rows["award_event"]), len(rows["award"]), len(rows["ledger_entry"]), len(rows["activity"]),
            len(rows["honour"]), self.balance,
        )  # fmt: skip

    # -- dates --------------------------------------------------------------------------------------------
    def _some_day(self, year: int, first: tuple[int, int], last: tuple[int, int]) -> date:
        """A working day between (month, day) `first` and `last` of `year` (a weekend moves to the Monday)."""
        low = date(year, *first)
        return _weekday(low + timedelta(days=self.rng.randint(0, (date(year, *last) - low).days)))

    def _at(self, day: date, days: int) -> float | None:
        """When something of `day` was typed: that day or within `days` after, None if not yet."""
        start = day_start(day)
        return moment_before(self.clock, start, start + days * DAY, self.end)

    def _day(self, day: date) -> _Day:
        return self.days.setdefault(day, _Day())

    def _receive(self, day: date, category: str, counterpart: str, amount: int, note: str) -> _Receipt:
        receipt = _Receipt(LedgerInput(day, Direction.THU, category, counterpart, amount, note))
        self._day(day).receipts.append(receipt)
        return receipt

    def _pay(self, day: date, category: str, counterpart: str, amount: int, note: str) -> None:
        self._day(day).payments.append(LedgerInput(day, Direction.CHI, category, counterpart, amount, note))

    # -- people -------------------------------------------------------------------------------------------
    def _pupils(self) -> list[_Pupil]:
        rng = self.rng
        oldest, youngest = self.previous - 1 - 18, self.working - 6
        pupils = []
        for home in self.base.homes:
            hardship = home.note in _POOR or rng.random() < _HARDSHIP_SHARE
            for resident in home.residents:
                person = resident.person
                if person.path.primary and oldest <= person.birth_year <= youngest:
                    pupils.append(_Pupil(home, resident, hardship, rng.random()))
        return pupils

    def _class_of(self, pupil: _Pupil, school_year: int, at: float) -> tuple[str, str, str] | None:
        """(learning status, school, class) of a pupil at school in `school_year` and in the register at `at`."""
        if pupil.resident.status_at(at) is None:
            return None
        status, school = self.base.schooling(pupil.resident.person, school_year)
        if status not in _IN_SCHOOL:
            return None
        return (status, *split_school(school))

    def _adult(
        self, first: date, last: date, born: tuple[int, int], learning: bool = False
    ) -> tuple[Home, Resident] | None:
        """Someone born in `born` who lived in the commune from `first` to `last` (and was then learning as a
        grown-up, if `learning`), if one is found soon."""
        homes, rng = self.base.homes, self.rng
        low, high = day_start(first), day_start(last) + DAY
        for _ in range(50 if homes else 0):
            home = rng.choice(homes)
            resident = rng.choice(home.residents)
            status = resident.status_at(low)
            if (
                born[0] <= resident.person.birth_year <= born[1]
                and status is not None
                and (status == LearningStatus.ADULT_LEARNING or not learning)
                and resident.status_at(high) is not None
            ):
                return home, resident
        return None

    def _benefactor(self) -> str:
        """A well-wisher (mạnh thường quân) who gives at a ceremony: often someone who grew up here."""
        rng, namer = self.rng, self.base.namer
        sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
        name = namer.full_name(rng, namer.surname(rng), sex, rng.randint(1955, 1982))
        title = "Ông" if sex == Sex.MALE else "Bà"
        abroad = f" (Việt kiều {rng.choice(_COUNTRIES)})" if rng.random() < 0.4 else ""
        return f"{title} {name}{abroad}"

    def _hamlet_place(self, hamlet: tuple[str, str]) -> str:
        """ "ấp Vĩnh Thạnh", as a name reads inside a sentence."""
        return f"{self.base.hamlet_word.lower()} {self.base.hamlet_short(hamlet)}"

    # -- awards -------------------------------------------------------------------------------------------
    def _ceremony(
        self,
        name: str,
        held_on: date,
        place: str,
        school_year: int,
        lines: Sequence[_Line],
        pool: Sequence[_Pupil],
        accept: Callable[[_Pupil, str], str | None],
        typed_category: str,
        size: int,
        returning: Sequence[_Pupil] = (),
    ) -> list[_Pupil]:
        """One ceremony: its row, typed a week or so before, and its list, typed the day it is held: `size`
        pupils of `pool` whom `accept` gives a category, `returning` first with the recurring scholarship, and
        a few the school nominated whom the register does not hold (of `typed_category`). Returns who got a
        recurring award."""
        rng = self.rng
        start = day_start(held_on)
        data = AwardEventInput(name, held_on, place, self.association, f"{school_year}-{school_year + 1}")
        event_id = random_id(rng)
        created = moment_before(self.clock, start - 12 * DAY, start - 3 * DAY, self.end)
        event = event_row(event_id, data, start if created is None else created)
        if created is not None:  # else the ceremony is held after the history's end: not planned yet either
            self.rows["award_event"].append(event)
            self.events.append(Event(created, event_label(event["name"]), "award_event", event, None))
        recurring = next(line for line in lines if line.recurring) if returning else None
        again = {pupil.id for pupil in returning}
        plans, recurrent = [], []
        for pupil, category, status, school, grade in self._choose(pool, accept, size, school_year, start, returning):
            line = recurring if recurring is not None and pupil.id in again else self._line(lines, status)
            if line.recurring:
                recurrent.append(pupil)
            person = pupil.resident.person
            award = AwardInput(
                pupil_name=person.name, category=category, kind=line.kind, value_vnd=rng.choice(line.values),
                awarded_on=held_on, member_id=person.id, birth_year=person.birth_year, school=school, grade=grade,
                sponsor=line.sponsor, event_id=event["id"], recurring=line.recurring, post_to_ledger=line.posted,
                note=line.note,
            )  # fmt: skip
            plans.append(_AwardPlan(award, (pupil.home.id, pupil.home.hamlet_id), event))
        for _ in range(rng.randint(0, 2)):
            name_, born, school, grade = self._typed_pupil(school_year)
            line = self._line(lines, LearningStatus.PRIMARY)
            award = AwardInput(
                pupil_name=name_, category=typed_category, kind=line.kind, value_vnd=rng.choice(line.values),
                awarded_on=held_on, birth_year=born, school=school, grade=grade, sponsor=line.sponsor,
                event_id=event["id"], recurring=line.recurring, post_to_ledger=line.posted,
                note="Nhà trường đề nghị; chưa có trong sổ hộ",
            )  # fmt: skip
            plans.append(_AwardPlan(award, None, event))
        in_kind = [i for i, plan in enumerate(plans) if not plan.data.post_to_ledger]
        if in_kind and rng.random() < _TYPED_TWICE_SHARE:
            twice = rng.choice(in_kind)
            plans[twice] = replace(plans[twice], typed_twice=True)
        self._day(held_on).awards.extend(plans)
        return recurrent

    def _choose(
        self,
        pool: Sequence[_Pupil],
        accept: Callable[[_Pupil, str], str | None],
        size: int,
        school_year: int,
        start: float,
        first: Sequence[_Pupil],
    ) -> list[tuple[_Pupil, str, str, str, str]]:
        """(pupil, category, status, school, class) of up to `size` pupils, `first` first, drawn from `pool`."""
        chosen: list[tuple[_Pupil, str, str, str, str]] = []
        taken: set[str] = set()
        draws = [*first, *(self.rng.choice(pool) for _ in range(_DRAWS_PER_AWARD * size if pool else 0))]
        for pupil in draws:
            if len(chosen) >= size:
                break
            found = self._class_of(pupil, school_year, start + DAY / 2) if pupil.id not in taken else None
            category = accept(pupil, found[0]) if found is not None else None
            if found is not None and category is not None:
                taken.add(pupil.id)
                chosen.append((pupil, category, *found))
        return chosen

    def _line(self, lines: Sequence[_Line], status: str) -> _Line:
        """A gift for a pupil: a bicycle only for the older ones, who ride to a school further away."""
        line = self.rng.choices(lines, [line.weight for line in lines])[0]
        return lines[0] if line.kind == AwardKind.BICYCLE and status == LearningStatus.PRIMARY else line

    def _typed_pupil(self, school_year: int) -> tuple[str, int, str, str]:
        """(name, birth year, school, class) of a pupil the school nominated whom the register does not hold."""
        rng, base = self.rng, self.base
        grade = rng.randint(1, 9)
        born = school_year - grade - 5
        name = base.namer.full_name(rng, base.namer.surname(rng), rng.choice((Sex.MALE, Sex.FEMALE)), born)
        school = rng.choice(base.primary_schools) if grade <= 5 else base.lower_secondary
        return name, born, school, f"{grade}{rng.choice('ABCD')}"

    def _tet(self, year: int, needy: Sequence[_Pupil]) -> None:
        rng = self.rng
        lines = (
            _Line(5, "", AwardKind.CASH, (500_000, 700_000, 1_000_000), posted=True),
            _Line(3, rng.choice(self.companies), AwardKind.RICE, (200_000, 250_000, 400_000),
                  note="Gạo và quà bánh Tết"),
            _Line(2, self.policy_bank, AwardKind.CASH, (500_000,)),
            _Line(1, rng.choice(self.companies), AwardKind.CLOTHES, (250_000, 300_000, 350_000),
                  note="Áo ấm, đồng phục"),
        )  # fmt: skip
        held_on = self._some_day(year, (1, 6), (1, 18))
        name = f"Trao quà Tết {lunar_year(year)} {year} cho học sinh nghèo"
        self._ceremony(
            name, held_on, self.hall, year - 1, lines, needy, _needy, AwardCategory.HARDSHIP, rng.randint(20, 60)
        )

    def _good_pupils(self, year: int, good: Sequence[_Pupil]) -> None:
        rng = self.rng
        lines = (
            _Line(6, "", AwardKind.CASH, (500_000, 700_000, 1_000_000), posted=True),
            _Line(3, rng.choice(self.companies), AwardKind.NOTEBOOKS, (100_000, 150_000, 200_000, 300_000),
                  note="Tập vở, dụng cụ học tập"),
            _Line(1, self._benefactor(), AwardKind.CASH, (500_000, 1_000_000)),
        )  # fmt: skip
        held_on = self._some_day(year, (5, 25), (6, 10))
        name = f"Khen thưởng học sinh giỏi năm học {year - 1}-{year}"
        self._ceremony(
            name, held_on, self.centre, year - 1, lines, good, _excellent, AwardCategory.EXCELLENT, rng.randint(30, 60)
        )

    def _new_school_year(self, year: int, needy: Sequence[_Pupil], returning: Sequence[_Pupil]) -> list[_Pupil]:
        """The scholarships at the start of the school year; last year's yearly scholars come back first."""
        rng = self.rng
        lines = (
            _Line(4, "", AwardKind.CASH, (1_000_000, 1_500_000, 2_000_000), posted=True),
            _Line(3, self.province_association, AwardKind.CASH, (1_000_000, 1_500_000), recurring=True,
                  note="Học bổng hằng năm đến hết cấp học"),
            _Line(2, rng.choice(self.companies), AwardKind.BICYCLE, (2_500_000, 2_800_000, 3_000_000, 3_500_000),
                  note="Xe đạp đến trường"),
            _Line(1, self.policy_bank, AwardKind.SCHOOL_BAG, (200_000, 250_000, 300_000),
                  note="Cặp sách và tập vở"),
            _Line(1, self._benefactor(), AwardKind.CASH, (1_000_000, 2_000_000)),
        )  # fmt: skip
        held_on = self._some_day(year, (9, 5), (9, 19))
        name = f"Lễ trao học bổng đầu năm học {year}-{year + 1}"
        return self._ceremony(
            name,
            held_on,
            self.base.lower_secondary,
            year,
            lines,
            needy,
            _scholar,
            AwardCategory.HARDSHIP,
            rng.randint(25, 60),
            returning=returning,
        )

    def _prize_winners(self, year: int, good: Sequence[_Pupil]) -> None:
        """Pupils with a prize in the province's contest, rewarded one by one out of the fund."""
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            day = self._some_day(year, (3, 20), (4, 24))
            for pupil, category, _status, school, grade in self._choose(
                good, _prize_winner, 1, year - 1, day_start(day), ()
            ):
                person = pupil.resident.person
                note = f"Giải {rng.choice(_PRIZES)} kỳ thi học sinh giỏi cấp tỉnh môn {rng.choice(_SUBJECTS)}"
                award = AwardInput(
                    pupil_name=person.name, category=category, kind=AwardKind.CASH,
                    value_vnd=rng.choice((1_000_000, 1_500_000, 2_000_000)), awarded_on=day, member_id=person.id,
                    birth_year=person.birth_year, school=school, grade=grade, sponsor=self.association,
                    post_to_ledger=True, note=note,
                )  # fmt: skip
                self._day(day).awards.append(_AwardPlan(award, (pupil.home.id, pupil.home.hamlet_id), None))

    # -- the fund -----------------------------------------------------------------------------------------
    def _receipts(self, year: int, opening: bool) -> None:
        """The year's money in: what the books carried over, the commune's budget, the branches' fees, gifts
        from businesses and people, the schools' piggy banks, the deposit's interest."""
        rng, scale = self.rng, self.scale
        planned: list[_Receipt] = []
        if opening:
            day = self._some_day(year, (1, 2), (1, 5))
            amount = _thousands(rng.randint(30_000, 80_000) * 1000 * scale)
            note = f"Số dư quỹ đến 31/12/{year - 1} chuyển sang"
            planned.append(self._receive(day, ReceiptCategory.OTHER, self.association, amount, note))
        day = self._some_day(year, (2, 20), (3, 25))
        amount = _thousands(rng.choice((10, 15, 20)) * 1_000_000 * scale)
        note = f"Hỗ trợ kinh phí hoạt động khuyến học năm {year}"
        planned.append(self._receive(day, ReceiptCategory.BUDGET, self.committee, amount, note))
        for half, first, last in (("6 tháng đầu năm", (6, 5), (6, 30)), ("6 tháng cuối năm", (12, 1), (12, 20))):
            for hamlet in self.base.hamlets:
                members = round(len(self.titles.homes_by_hamlet[hamlet[0]]) * rng.uniform(0.2, 0.35))
                if members:
                    branch = f"Chi hội Khuyến học {self._hamlet_place(hamlet)}"
                    note = f"Hội phí {half} {year} ({format_count(members)} hội viên)"
                    day = self._some_day(year, first, last)
                    planned.append(self._receive(day, ReceiptCategory.MEMBER_FEE, branch, members * 6_000, note))
        occasions = (
            ((1, 2), (1, 14), "Ủng hộ quà Tết cho học sinh nghèo"),
            ((8, 10), (9, 4), f"Ủng hộ học bổng đầu năm học {year}-{year + 1}"),
            ((1, 2), (12, 20), "Ủng hộ quỹ khuyến học"),
        )
        for _ in range(max(3, round(rng.randint(5, 9) * math.sqrt(scale)))):
            first, last, note = rng.choice(occasions)
            amount = round(rng.choice((2, 3, 5, 10, 15, 20, 30)) * math.sqrt(scale) * 2) * 500_000
            day = self._some_day(year, first, last)
            planned.append(self._receive(day, ReceiptCategory.DONATION, rng.choice(self.companies), amount, note))
        for _ in range(max(3, round(rng.randint(6, 12) * math.sqrt(scale)))):
            day = self._some_day(year, (1, 2), (12, 20))
            if rng.random() < 0.15:  # someone who grew up here, home for a visit
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                name = self.base.namer.full_name(rng, self.base.namer.surname(rng), sex, rng.randint(1950, 1985))
                amount = rng.choice((5, 10, 20)) * 1_000_000
                note = f"Việt kiều {rng.choice(_COUNTRIES)} về thăm quê, ủng hộ quỹ học bổng"
            else:
                donor = self._adult(day, day + timedelta(days=1), (year - 72, year - 35))
                if donor is None:
                    continue
                self.donors.setdefault(year, []).append(donor)
                name, note = donor[1].person.name, "Ủng hộ quỹ khuyến học"
                amount = rng.choice((500_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000))
            planned.append(self._receive(day, ReceiptCategory.DONATION, name, amount, note))
        for school in self.schools:
            day = self._some_day(year, (5, 12), (5, 29))
            amount = _thousands(rng.randint(1_500, 6_000) * 1000 * math.sqrt(scale))
            note = f"Tiết kiệm heo đất của học sinh năm học {year - 1}-{year}"
            planned.append(self._receive(day, ReceiptCategory.PIGGY_BANK, school["name"], amount, note))
        for month in (3, 6, 9, 12):
            self._day(_last_weekday(year, month)).interest = True
        if rng.random() < _SLIP_SHARE:
            rng.choice(planned[1:] or planned).slip = True
        day = self._some_day(year, (3, 2), (4, 28))
        amount = rng.choice((300_000, 450_000, 600_000, 800_000))
        self._pay(day, PaymentCategory.OTHER, self.base.officer, amount, "Mua sổ sách, văn phòng phẩm")

    def _keep_the_books(self) -> None:
        """Type every day's vouchers and awards, day by day, up to the day the history ends."""
        for day in sorted(self.days):
            if day >= self.cutoff:
                break
            plan, typist = self.days[day], _Typist(self.clock, day)
            interest = round(self.balance * _QUARTER_RATE) if plan.interest else 0
            if interest > 0:
                quarter = f"quý {(day.month - 1) // 3 + 1}/{day.year}"
                data = LedgerInput(day, Direction.THU, ReceiptCategory.INTEREST, self.deposit_bank, interest,
                                   f"Lãi tiền gửi {quarter}")  # fmt: skip
                self._enter(data, typist.next())
            for receipt in plan.receipts:
                if receipt.slip:
                    wrong = self._enter(replace(receipt.data, amount=receipt.data.amount * 10), typist.next())
                    self._bin_entry(wrong, typist.next())
                self._enter(receipt.data, typist.next())
            paid = [award.data.value_vnd for award in plan.awards if award.data.post_to_ledger]
            self._top_up(day, sum(paid) + sum(payment.amount for payment in plan.payments), typist)
            for award in plan.awards:
                self._type_award(award, typist)
            for payment in plan.payments:
                self._enter(payment, typist.next())

    def _enter(self, data: LedgerInput, at: float, label: str = "", entry_id: str = "") -> Row:
        """A voucher under the next number of its year and direction (create_entry, or an award's posting
        under the award's `label`)."""
        key = (str(data.direction), data.entry_on.year)
        self.vouchers[key] += 1
        number = f"{VOUCHER_PREFIXES[data.direction]}-{data.entry_on.year}-{self.vouchers[key]:03d}"
        row = ledger_row(entry_id or random_id(self.rng), replace(data, voucher_no=number), at)
        self.rows["ledger_entry"].append(row)
        self.events.append(Event(at, label or ledger_label("Thêm", row), "ledger_entry", row, None))
        self.balance += signed(data)
        return row

    def _bin_entry(self, entry: Row, at: float) -> None:
        """services.ledger.delete_entry, a minute after the slip."""
        self.events.append(Event(at, ledger_label("Xóa", entry), "ledger_entry", entry, {"deleted_at": stamp(at)}))
        self.balance -= entry["amount"] if entry["direction"] == Direction.THU else -entry["amount"]

    def _top_up(self, day: date, payments: int, typist: _Typist) -> None:
        """When the fund cannot pay the day's `payments`, the commune tops it up first, with a margin."""
        if self.balance >= payments:
            return
        top_up = math.ceil((payments - self.balance) / 1_000_000) * 1_000_000 + _thousands(_TOP_UP_MARGIN * self.scale)
        note = "Hỗ trợ bổ sung kinh phí chi học bổng, khen thưởng"
        self._enter(
            LedgerInput(day, Direction.THU, ReceiptCategory.BUDGET, self.committee, top_up, note), typist.next()
        )

    def _type_award(self, plan: _AwardPlan, typist: _Typist) -> None:
        """services.awards.create_award: the award and, for the fund's cash, its payment in the same change."""
        posted = plan.data.post_to_ledger
        at = typist.next()
        entry_id = random_id(self.rng) if posted else None
        award = award_row(random_id(self.rng), plan.data, plan.household, plan.event, entry_id, at)
        label = award_label(award)
        self.rows["award"].append(award)
        self.events.append(Event(at, label, "award", award, None))
        if entry_id is not None:
            payment = award_payment(award, plan.event["name"] if plan.event is not None else None)
            self._enter(payment, at, label, entry_id)
        if plan.typed_twice:
            again = typist.next()
            copy = award_row(random_id(self.rng), plan.data, plan.household, plan.event, None, again)
            self.rows["award"].append(copy)
            self.events.append(Event(again, award_label(copy), "award", copy, None))
            gone = typist.next()
            self.events.append(Event(gone, award_deletion_label(copy), "award", copy, {"deleted_at": stamp(gone)}))

    # -- activities ---------------------------------------------------------------------------------------
    def _activities(self, year: int) -> None:
        """The learning centre's sessions through the year and the year's classes; the targets, set in January,
        that they beat by a tenth to two thirds (or fall a little short of)."""
        rng, base = self.rng, self.base
        planned = Counter[str]()
        for _ in range(round(rng.randint(40, 60) * self.activity_scale)):
            day = self._some_day(year, (1, 3), (12, 26))
            topic, field_, _months = rng.choice([t for t in _TOPICS if not t[2] or day.month in t[2]])
            place = self.centre
            if rng.random() < 0.3:
                place = f"Nhà văn hóa {self._hamlet_place(rng.choice(base.hamlets))}"
            speaker = _SPEAKERS.get(field_)
            note = f"Báo cáo viên: {speaker} {self.commune}" if speaker and rng.random() < 0.6 else ""
            self._activity(
                ActivityInput(kind=ActivityKind.SESSION, name=topic, field=field_, starts_on=day, place=place,
                              participants=rng.randint(20, 80), note=note), 3,
            )  # fmt: skip
            planned[ActivityKind.SESSION] += 1
            if rng.random() < 0.35:
                sex = rng.choice((Sex.MALE, Sex.FEMALE))
                name = base.namer.full_name(rng, base.namer.surname(rng), sex, rng.randint(1965, 1990))
                amount = rng.choice((300_000, 400_000, 500_000))
                self._pay(day, PaymentCategory.LEARNING_CENTRE, name, amount,
                          f"Bồi dưỡng báo cáo viên buổi sinh hoạt «{topic}»")  # fmt: skip
        places = [self.centre, self.hall, *self.cooperatives]
        for kind, courses, count, days, people, support in (
            (ActivityKind.TRAINING, _TRAININGS, (6, 15), (0, 4), (20, 45), (1_000_000, 1_500_000, 2_000_000)),
            (ActivityKind.VOCATIONAL, _VOCATIONS, (4, 10), (30, 90), (18, 35), (3_000_000, 4_000_000, 5_000_000)),
        ):
            for name, field_ in rng.sample(courses, max(1, round(rng.randint(*count) * self.activity_scale))):
                day = self._some_day(year, (1, 5), (11, 20) if kind == ActivityKind.VOCATIONAL else (12, 10))
                ends_on = day + timedelta(days=rng.randint(*days))
                note = f"Phối hợp {base.vocational}" if kind == ActivityKind.VOCATIONAL else ""
                self._activity(
                    ActivityInput(kind=kind, name=name, field=field_, starts_on=day, ends_on=ends_on,
                                  place=rng.choice(places), participants=rng.randint(*people), note=note), 1,
                )  # fmt: skip
                planned[kind] += 1
                what = "học viên" if kind == ActivityKind.VOCATIONAL else "tài liệu, nước uống"
                self._pay(day, PaymentCategory.LEARNING_CENTRE, self.centre, rng.choice(support),
                          f"Hỗ trợ {what} lớp «{name}»")  # fmt: skip
        self._targets(year, planned)

    def _activity(self, data: ActivityInput, days: int) -> None:
        """Typed the day it happened (a class, on its first day) or within `days` after."""
        activity_id = random_id(self.rng)
        at = self._at(data.starts_on, days)
        if at is not None:
            row = activity_row(activity_id, data, at)
            self.rows["activity"].append(row)
            label = activities.change_label("Thêm", row["kind"], row["name"])
            self.events.append(Event(at, label, "activity", row, None))

    def _targets(self, year: int, planned: Mapping[str, int]) -> None:
        """One change in January: a target per kind, a round number for sessions, that the year reaches by
        90% to 170%."""
        rng = self.rng
        targets = {}
        for kind in (ActivityKind.SESSION, ActivityKind.TRAINING, ActivityKind.VOCATIONAL):
            count = planned[kind]
            options = [t for t in range(1, 2 * count + 1) if 0.9 <= count / t <= 1.7]
            if kind == ActivityKind.SESSION:
                options = [t for t in options if t % 5 == 0] or options
            targets[str(kind)] = rng.choice(options)
        ids = [random_id(rng) for _ in targets]
        at = self._at(self._some_day(year, (1, 5), (1, 16)), 2)
        if at is None:
            return
        label = targets_label(year, targets)
        for target_id, (code, target) in zip(ids, targets.items(), strict=True):
            row = target_row(target_id, year, code, target, at)
            self.rows["activity_target"].append(row)
            self.events.append(Event(at, label, "activity_target", row, None))

    # -- models and commendations -------------------------------------------------------------------------
    def _review(self, year: int) -> None:
        """The association's review of the year before, in January: models and commendations by its decision
        (with a reward out of the fund) and a few by the commune's committee; the meeting is paid for."""
        rng, base = self.rng, self.base
        day = self._some_day(year, (1, 12), (1, 23))
        worked = year - 1
        number = rng.randint(1, 6)
        by_association = (HonourLevel.COMMUNE, self.association, f"{number + 1}/QĐ-KH")
        by_committee = (HonourLevel.COMMUNE, self.committee, f"{rng.randint(3, 40)}/QĐ-UBND")
        model_decision = (HonourLevel.COMMUNE, self.association, f"{number}/QĐ-KH")
        honoured: list[tuple[HonourInput, int]] = []

        def add(kind: str, who: str, recipient: str, by: tuple[str, str, str], content: str, **link: str) -> None:
            level, issuer, decision = by
            honour = HonourInput(kind=kind, recipient_kind=who, recipient=recipient, level=level, issuer=issuer,
                                 decision_no=decision, honoured_on=day, content=content, **link)  # fmt: skip
            reward = 0
            if issuer == self.association:
                reward = rng.choice((300_000, 500_000) if who == RecipientKind.PERSON else (500_000, 1_000_000))
            honoured.append((honour, reward))

        for home in self._model_families(worked, day, rng.randint(2, 3)):
            head = home.head
            recipient = f"Gia đình {'ông' if head.sex == Sex.MALE else 'bà'} {head.name}"
            add(HonourKind.MODEL, RecipientKind.COLLECTIVE, recipient, model_decision,
                f"Gia đình học tập tiêu biểu năm {worked}", hamlet_id=home.hamlet_id)  # fmt: skip
        clans = self.titles.rows["clan"]
        if clans and rng.random() < 0.6:
            clan = rng.choice(clans)
            add(HonourKind.MODEL, RecipientKind.COLLECTIVE, clan["name"], model_decision,
                f"Dòng họ học tập tiêu biểu năm {worked}", hamlet_id=json.loads(clan["hamlet_ids"])[0])  # fmt: skip
        branches = rng.sample(base.hamlets, min(len(base.hamlets), rng.randint(2, 3)))
        for position, hamlet in enumerate(branches):
            recipient = f"Chi hội Khuyến học {self._hamlet_place(hamlet)}"
            if position == 0:
                add(HonourKind.MODEL, RecipientKind.COLLECTIVE, recipient, model_decision,
                    f"Mô hình chi hội khuyến học vững mạnh năm {worked}", hamlet_id=hamlet[0])  # fmt: skip
            else:
                add(HonourKind.COMMENDATION, RecipientKind.COLLECTIVE, recipient, by_association,
                    f"Có thành tích xuất sắc trong công tác khuyến học, khuyến tài năm {worked}",
                    hamlet_id=hamlet[0])  # fmt: skip
        if self.schools:
            add(HonourKind.COMMENDATION, RecipientKind.COLLECTIVE, rng.choice(self.schools)["name"], by_committee,
                f"Có thành tích trong phong trào xây dựng xã hội học tập năm {worked}")  # fmt: skip
        add(HonourKind.COMMENDATION, RecipientKind.COLLECTIVE, rng.choice(self.companies), by_committee,
            f"Có nhiều đóng góp cho quỹ khuyến học {self.commune} năm {worked}")  # fmt: skip
        donors = self.donors.get(worked, [])
        for home, resident in rng.sample(donors, min(len(donors), rng.randint(1, 3))):
            if resident.status_at(day_start(day) + 5 * DAY) is not None:
                add(HonourKind.COMMENDATION, RecipientKind.PERSON, resident.person.name, by_association,
                    f"Có nhiều đóng góp cho quỹ khuyến học năm {worked}", member_id=resident.person.id,
                    hamlet_id=home.hamlet_id)  # fmt: skip
        for _ in range(rng.randint(1, 3)):
            learner = self._adult(day, day + timedelta(days=5), (worked - 75, worked - 25), learning=True)
            if learner is not None:
                home, resident = learner
                add(HonourKind.COMMENDATION, RecipientKind.PERSON, resident.person.name, by_association,
                    f"Tấm gương vượt khó, học tập suốt đời năm {worked}", member_id=resident.person.id,
                    hamlet_id=home.hamlet_id)  # fmt: skip
        if self.schools:
            add(HonourKind.COMMENDATION, RecipientKind.PERSON, rng.choice(self.schools)["head_name"], by_association,
                f"Có nhiều đóng góp cho công tác khuyến học năm {worked}")  # fmt: skip
        self._honour(day, honoured)
        cost = _thousands(rng.randint(2_000, 5_000) * 1000)
        self._pay(day, PaymentCategory.OTHER, base.officer, cost,
                  f"Chi tổ chức hội nghị tổng kết công tác khuyến học năm {worked}")  # fmt: skip

    def _model_families(self, year: int, day: date, count: int) -> list[Home]:
        """Families in the register by `day`, among those recognised as learning families in `year` if the
        commune evaluated that year, else among the best-scored."""
        titles, start = self.titles, day_start(day)
        homes = [home for home in self.base.homes if home.created < start]
        recognised = [home for home in homes if titles.passed.get((year, home.id))]
        best = [home for home in homes if titles.family_quality.get(home.id, 0.0) >= 0.85]
        pool = recognised or best or homes
        return self.rng.sample(pool, min(count, len(pool)))

    def _province_honours(self, year: int) -> None:
        """Around Vietnam's Study Promotion Day (2 October): the province's, and once the central level's."""
        rng = self.rng
        day = self._some_day(year, (9, 28), (10, 8))
        by_province = (HonourLevel.PROVINCE, self.province_association, f"{rng.randint(120, 480)}/QĐ-HKH")
        honoured: list[tuple[HonourInput, int]] = []
        clans = self.titles.rows["clan"]
        if clans:
            clan = rng.choice(clans)
            honoured.append((HonourInput(
                kind=HonourKind.MODEL, recipient_kind=RecipientKind.COLLECTIVE, recipient=clan["name"],
                hamlet_id=json.loads(clan["hamlet_ids"])[0], level=by_province[0], issuer=by_province[1],
                decision_no=by_province[2], honoured_on=day, content=f"Dòng họ học tập tiêu biểu cấp tỉnh năm {year}",
            ), 0))  # fmt: skip
        hamlet = rng.choice(self.base.hamlets)
        honoured.append((HonourInput(
            kind=HonourKind.COMMENDATION, recipient_kind=RecipientKind.COLLECTIVE,
            recipient=f"Chi hội Khuyến học {self._hamlet_place(hamlet)}", hamlet_id=hamlet[0], level=by_province[0],
            issuer=by_province[1], decision_no=by_province[2], honoured_on=day,
            content=f"Có thành tích xuất sắc trong phong trào khuyến học, khuyến tài năm học {year - 1}-{year}",
        ), 0))  # fmt: skip
        honoured.append((HonourInput(
            kind=HonourKind.COMMENDATION, recipient_kind=RecipientKind.PERSON, recipient=self.base.officer,
            level=by_province[0], issuer=by_province[1], decision_no=by_province[2], honoured_on=day,
            content=f"Hoàn thành xuất sắc nhiệm vụ công tác khuyến học năm học {year - 1}-{year}",
        ), 0))  # fmt: skip
        if year == self.previous and rng.random() < 0.5:
            honoured.append((HonourInput(
                kind=HonourKind.COMMENDATION, recipient_kind=RecipientKind.COLLECTIVE, recipient=self.association,
                level=HonourLevel.CENTRAL, issuer="Trung ương Hội Khuyến học Việt Nam",
                decision_no=f"{rng.randint(100, 900)}/QĐ-KHVN", honoured_on=day,
                content="Có thành tích xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập",
            ), 0))  # fmt: skip
        self._honour(day, honoured)

    def _honour(self, day: date, honoured: Sequence[tuple[HonourInput, int]]) -> None:
        """Type the decisions' honours one after the other within a few days; pay the rewards that come with
        them out of the fund on the day."""
        ids = [random_id(self.rng) for _ in honoured]
        at = self._at(day, 4)
        for honour_id, (honour, reward) in zip(ids, honoured, strict=True):
            if reward:
                what = "giấy khen" if honour.kind == HonourKind.COMMENDATION else "công nhận mô hình học tập tiêu biểu"
                note = f"Thưởng kèm {what} theo quyết định số {honour.decision_no}"
                self._pay(day, PaymentCategory.REWARD, honour.recipient, reward, note)
            if at is not None:
                row = honour_row(honour_id, honour, at)
                self.rows["honour"].append(row)
                label = honours.change_label("Thêm", row["kind"], row["recipient"])
                self.events.append(Event(at, label, "honour", row, None))
                at += self.clock.uniform(30, 120)

    # -- writing ------------------------------------------------------------------------------------------
    def _write(self) -> None:
        tables = SQLModel.metadata.tables
        for table in _TABLES:
            if self.rows[table]:
                self.connection.exec_driver_sql(insert_sql(table, tables[table].columns.keys()), self.rows[table])
        if self.audit:
            self.connection.exec_driver_sql(insert_sql("demo_audit", AUDIT_COLUMNS), self.audit)


# -- who a ceremony is for: the category a pupil is given, or None -----------------------------------------
def _needy(pupil: _Pupil, status: str) -> str | None:
    if status == LearningStatus.DROPOUT_RISK:
        return AwardCategory.DROPOUT_RISK
    return AwardCategory.HARDSHIP if pupil.hardship else None


def _excellent(pupil: _Pupil, status: str) -> str | None:
    if status == LearningStatus.DROPOUT_RISK:
        return None
    return AwardCategory.OVERCOMING if pupil.hardship else AwardCategory.EXCELLENT


def _scholar(pupil: _Pupil, status: str) -> str | None:
    if pupil.hardship and pupil.aptitude >= _GOOD_PUPIL and status != LearningStatus.DROPOUT_RISK:
        return AwardCategory.OVERCOMING
    return _needy(pupil, status)


def _prize_winner(pupil: _Pupil, status: str) -> str | None:
    if status in (LearningStatus.LOWER_SECONDARY, LearningStatus.UPPER_SECONDARY):
        return AwardCategory.EXCELLENT
    return None
