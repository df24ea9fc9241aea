"""The consolidated report (issue 6): one row per commune on the office's list and a total row, with the lines
of the commune report, worked out from the communes' packages held in the office's typed tables.

The rules are the commune's own (services/statistics.py, services/support_statistics.py), so a commune's row
equals what its own statistics page showed when it exported the package:
- a title's total is the commune's live subjects (a package carries only live records); registered: a subject
  with an evaluation of the year; recognised: one whose decision came in the same package (a package carries
  the year's live decisions, so a revoked one un-recognises here too); citizens' total is the number registered;
- money mobilised: cash and in-kind value of the awards given in the year; recipients: distinct pupils (a
  pupil of the register by member, a typed one by folded name and birth year);
- sessions and classes started in the year against the year's targets; classes together against the summed
  targets of the kinds that have one; models and commendations honoured in the year.

Each line family is one SQL statement grouped by commune, never a query per commune, so a province of 100
communes and 300,000 households reports in well under the budget (benchmarks/bench_office_report.py).
Communes' figures are kept as whole numbers (`Tally`) that add up; every rate is worked out from the summed
numerators and denominators, so the total row's rate is never an average of the communes' rates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from khuyenhoc_desktop.domain.activities import ActivityKind, TargetProgress, is_class, progress
from khuyenhoc_desktop.domain.admin_units import split_kind
from khuyenhoc_desktop.domain.awards import AwardKind
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.honours import HONOUR_KIND_LABELS, HonourKind, RecipientKind
from khuyenhoc_desktop.domain.ledger import Direction
from khuyenhoc_desktop.domain.text import fold, format_count, format_date, format_percent
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title, denominator_label
from khuyenhoc_desktop.services.activities import year_bounds
from khuyenhoc_desktop.services.office import list_communes, office_info, require_office_role
from khuyenhoc_desktop.services.office_data import table_name
from khuyenhoc_desktop.services.statistics import (
    FIGURE_HEADERS,
    NOTES,
    SHORT_LABELS,
    TitleFigures,
    figures,
    rate_header,
)
from khuyenhoc_desktop.services.support_statistics import ALL_CLASSES, CLASSES_LABEL, SESSIONS_LABEL
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

NOT_SENT = "Chưa gửi số liệu"
TOTAL_LABEL = "TỔNG CỘNG"
COMMUNE_HEADER = "Xã, phường"
PACKAGE_HEADER = "Lần gửi"
CHART_TITLE = Title.FAMILY  # the chart shows the recognised-family rate per commune
CHART_HEADING = (
    f"Tỷ lệ {TITLE_LABELS[CHART_TITLE].lower()} được công nhận theo xã, phường ({denominator_label(CHART_TITLE)})"
)

COUNT, MONEY, RATE = "count", "money", "rate"

Counts = tuple[int, int, int]  # total, registered, recognised
_NO_COUNTS: Counts = (0, 0, 0)


def report_title(year: int) -> str:
    return f"BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM {year}"


OFFICE_NOTES = (
    *NOTES[:2],
    "Mỗi xã, phường lấy số liệu từ gói số liệu mới nhất đã nhận của năm (cột «Lần gửi»: lần gửi và ngày nhận).",
    "Mẫu số của tỷ lệ: "
    + "; ".join(f"{TITLE_LABELS[title]} {denominator_label(title)}" for title in Title)
    + "; lớp tập huấn, dạy nghề trên tổng chỉ tiêu các loại lớp đã đặt.",
    "Dòng tổng cộng cộng số liệu các xã, phường; tỷ lệ của dòng này tính lại từ tổng tử số và tổng mẫu số, "
    "không lấy trung bình tỷ lệ các xã.",
    "Vận động học bổng, quà: tiền mặt và giá trị hiện vật đã trao trong năm; số học sinh: mỗi em tính một lần "
    "trong xã, phường của mình.",
)


# -- the figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A commune's year as whole numbers that add up across communes: the report's numerators and denominators.
    No rate is kept here; rates are worked out from these, so a sum's rate is never an average."""

    titles: Mapping[str, Counts] = field(default_factory=dict)  # title → (total, registered, recognised)
    cash: int = 0
    in_kind: int = 0
    awards: int = 0
    recipients: int = 0
    sessions: int = 0
    attendances: int = 0
    session_target: int | None = None  # None: no target set
    classes: int = 0
    class_participants: int = 0
    class_target: int | None = None  # the summed targets of the class kinds that have one
    models: int = 0
    commendations_collective: int = 0
    commendations_person: int = 0
    fund_in: int = 0  # the study-promotion fund's receipts in the year
    fund_out: int = 0  # and its payments

    def __add__(self, other: Tally) -> Tally:
        titles = {
            title: _add_counts(self.titles.get(title, _NO_COUNTS), other.titles.get(title, _NO_COUNTS))
            for title in {*self.titles, *other.titles}
        }
        values: dict[str, Any] = {}
        for item in fields(self):
            if item.name != "titles":
                mine, theirs = getattr(self, item.name), getattr(other, item.name)
                values[item.name] = theirs if mine is None else mine if theirs is None else mine + theirs
        return Tally(titles, **values)


def _add_counts(first: Counts, second: Counts) -> Counts:
    return (first[0] + second[0], first[1] + second[1], first[2] + second[2])


@dataclass(frozen=True)
class PackageRef:
    """The package a row's figures come from."""

    commune_code: str
    commune_name: str
    sequence: int
    received_at: str  # UTC ISO

    @property
    def received_on(self) -> str:
        """The day the office received it, on the officer's clock."""
        return format_date(datetime.fromisoformat(self.received_at.replace("Z", "+00:00")).astimezone())

    @property
    def label(self) -> str:
        """ "Lần 2 (15/12/2025)": the sequence and the day received."""
        return f"Lần {self.sequence} ({self.received_on})"


@dataclass(frozen=True)
class ReportRow:
    year: int
    code: str  # "" for the total row
    name: str
    own: PackageRef | None  # the commune's own package for the period; None: it sent nothing
    merged: tuple[tuple[str, PackageRef | None], ...] = ()  # old communes merged into it, with their packages
    tally: Tally = field(default_factory=Tally)
    is_total: bool = False
    packages: int = 0  # the total row: how many packages its figures come from

    @property
    def sources(self) -> tuple[PackageRef, ...]:
        return tuple(p for p in (self.own, *(package for _name, package in self.merged)) if p is not None)

    @property
    def has_figures(self) -> bool:
        """False for a commune that nothing was received from: its cells are left blank, not zero."""
        return self.is_total or bool(self.sources)

    @property
    def package_label(self) -> str:
        if self.is_total:
            return f"{format_count(self.packages)} gói"
        return NOT_SENT if self.own is None else self.own.label

    @cached_property
    def titles(self) -> dict[str, TitleFigures]:
        return {t.value: figures(t.value, *self.tally.titles.get(t.value, _NO_COUNTS)) for t in Title}

    @property
    def mobilised(self) -> int:
        return self.tally.cash + self.tally.in_kind

    @property
    def sessions(self) -> TargetProgress:
        tally = self.tally
        return progress(ActivityKind.SESSION, self.year, tally.session_target, tally.sessions, tally.attendances)

    @property
    def classes(self) -> TargetProgress:
        tally = self.tally
        return progress(ALL_CLASSES, self.year, tally.class_target, tally.classes, tally.class_participants)

    @property
    def chart_rate(self) -> float | None:
        return self.titles[CHART_TITLE].rate if self.has_figures else None


@dataclass(frozen=True)
class OfficeReport:
    year: int
    office_name: str  # "Tây Ninh", "Cụm xã phía Nam"
    province_name: str
    association_name: str
    signer_title: str
    signer_name: str
    rows: tuple[ReportRow, ...]  # every commune on the list (merged ones inside the commune they went into)
    total: ReportRow
    generated_at: datetime  # local time, for the date line

    @property
    def missing(self) -> list[ReportRow]:
        return [row for row in self.rows if row.own is None]

    @property
    def missing_line(self) -> str:
        """The line under the table: who has not sent the year's figures."""
        missing, listed = self.missing, len(self.rows)
        if not missing:
            return f"Tất cả {format_count(listed)} xã, phường đã gửi số liệu năm {self.year}."
        names = ", ".join(row.name for row in missing)
        return f"{NOT_SENT} năm {self.year}: {format_count(len(missing))}/{format_count(listed)} xã, phường ({names})."

    @property
    def merged_notes(self) -> list[str]:
        """One line per commune merged into another:
        "Xã Long Hựu: gồm số liệu của xã cũ Long Hựu Đông (lần gửi 1, nhận 10/12/2025)."."""
        notes = []
        for row in self.rows:
            for name, package in row.merged:
                kind, short = split_kind(name)
                sent = (
                    "không gửi số liệu riêng"
                    if package is None
                    else f"lần gửi {package.sequence}, nhận {package.received_on}"
                )
                notes.append(f"{row.name}: gồm số liệu của {(kind or 'xã').lower()} cũ {short} ({sent}).")
        return notes

    @property
    def received_line(self) -> str:
        received = len(self.rows) - len(self.missing)
        return (
            f"Tổng hợp từ số liệu của {format_count(received)}/{format_count(len(self.rows))} xã, phường; "
            f"lập lúc {self.generated_at:%H:%M} ngày {self.generated_at:%d/%m/%Y}."
        )


# -- the report's columns: the workbook, the PDF, the screen and the command line all lay them out -----------


Value = int | float | None


@dataclass(frozen=True)
class ReportColumn:
    group: str  # the line of the commune report: "Gia đình học tập", "Lớp tập huấn, dạy nghề"
    short_group: str  # the same, narrow, for the screen and the terminal
    header: str  # "Công nhận", "Tỷ lệ (trên tổng số hộ)"
    kind: str  # COUNT, MONEY (whole VND) or RATE
    read: Callable[[ReportRow], Value]

    def value(self, row: ReportRow) -> Value:
        """The cell's number; None when the commune sent nothing, or a rate has nothing to divide by."""
        return self.read(row) if row.has_figures else None

    def text(self, row: ReportRow, plain: bool = False) -> str:
        """The cell as people read it ("41.500", "88,2%", "—"); `plain` writes whole numbers without the dots,
        for a CSV, where a spreadsheet would take the dot for a decimal point."""
        value = self.value(row)
        if not row.has_figures:
            return ""
        if self.kind == RATE:
            return format_percent(value)
        if value is None:
            return "—"
        return str(int(value)) if plain else format_count(int(value))


def title_columns(title: str) -> tuple[ReportColumn, ...]:
    """One title's total, registered, recognised and rate."""
    label, short = TITLE_LABELS[title], SHORT_LABELS[title]
    total, registered, recognised = FIGURE_HEADERS
    return (
        ReportColumn(label, short, total, COUNT, lambda row: row.titles[title].total),
        ReportColumn(label, short, registered, COUNT, lambda row: row.titles[title].registered),
        ReportColumn(label, short, recognised, COUNT, lambda row: row.titles[title].recognised),
        ReportColumn(label, short, rate_header(title), RATE, lambda row: row.titles[title].rate),
    )


TITLE_COLUMNS: tuple[ReportColumn, ...] = tuple(column for title in Title for column in title_columns(title))

_MONEY, _AWARDS = "Vận động học bổng, quà", "Học bổng, quà đã trao"
_FUND = "Quỹ khuyến học"
_MODELS = f"{HONOUR_KIND_LABELS[HonourKind.MODEL]} được khen"
_COMMENDATIONS = HONOUR_KIND_LABELS[HonourKind.COMMENDATION]
SUPPORT_COLUMNS: tuple[ReportColumn, ...] = (
    ReportColumn(_MONEY, "Vận động", "Số tiền (đồng)", MONEY, lambda row: row.mobilised),
    ReportColumn(_AWARDS, "Học bổng, quà", "Số suất", COUNT, lambda row: row.tally.awards),
    ReportColumn(_AWARDS, "Học bổng, quà", "Số học sinh", COUNT, lambda row: row.tally.recipients),
    ReportColumn(SESSIONS_LABEL, "Sinh hoạt", "Số buổi", COUNT, lambda row: row.sessions.actual),
    ReportColumn(SESSIONS_LABEL, "Sinh hoạt", "Lượt người", COUNT, lambda row: row.sessions.participants),
    ReportColumn(CLASSES_LABEL, "Tập huấn, dạy nghề", "Số lớp", COUNT, lambda row: row.classes.actual),
    ReportColumn(CLASSES_LABEL, "Tập huấn, dạy nghề", "Học viên", COUNT, lambda row: row.classes.participants),
    ReportColumn(CLASSES_LABEL, "Tập huấn, dạy nghề", "Chỉ tiêu (lớp)", COUNT, lambda row: row.classes.target),
    ReportColumn(CLASSES_LABEL, "Tập huấn, dạy nghề", "Tỷ lệ (trên chỉ tiêu)", RATE, lambda row: row.classes.rate),
    ReportColumn(_MODELS, "Mô hình", "Số mô hình", COUNT, lambda row: row.tally.models),
    ReportColumn(_COMMENDATIONS, "Giấy khen", "Tập thể", COUNT, lambda row: row.tally.commendations_collective),
    ReportColumn(_COMMENDATIONS, "Giấy khen", "Cá nhân", COUNT, lambda row: row.tally.commendations_person),
    ReportColumn(_FUND, "Quỹ", "Thu trong năm (đồng)", MONEY, lambda row: row.tally.fund_in),
    ReportColumn(_FUND, "Quỹ", "Chi trong năm (đồng)", MONEY, lambda row: row.tally.fund_out),
)
COLUMNS = (*TITLE_COLUMNS, *SUPPORT_COLUMNS)


def column_groups(columns: Iterable[ReportColumn]) -> list[tuple[str, list[ReportColumn]]]:
    """Neighbouring columns of one line, with the line's name: the header row above the column headers."""
    groups: list[tuple[str, list[ReportColumn]]] = []
    for column in columns:
        if groups and groups[-1][0] == column.group:
            groups[-1][1].append(column)
        else:
            groups.append((column.group, [column]))
    return groups


# -- reading the office's tables ----------------------------------------------------------------------------

_SUBJECT_SHEETS: dict[str, str] = {
    Title.FAMILY: "households",
    Title.CLAN: "clans",
    Title.COMMUNITY: "hamlets",
    Title.UNIT: "units",
    Title.CITIZEN: "citizens",
}

# The title codes are the app's own constants, written into the SQL; the period and dates are parameters.
_TOTALS_SQL = " UNION ALL ".join(
    f"SELECT commune_code, '{title}', count(*) FROM {table_name(sheet)} WHERE period = :period GROUP BY commune_code"
    for title, sheet in _SUBJECT_SHEETS.items()
)

# A subject is counted only while its register still holds it: `EXISTS` looks it up by the tables' unique
# (commune, period, id) index. A commune keeps one live evaluation per title, year and subject (a unique index),
# so counting rows counts subjects; and reading the evaluations in table order, not through that index, is
# measured a quarter faster at province scale.
_SUBJECT_KNOWN = " ".join(
    f"WHEN '{title}' THEN EXISTS (SELECT 1 FROM {table_name(sheet)} s WHERE s.commune_code = e.commune_code "
    "AND s.period = e.period AND s.id = e.subject_id)"
    for title, sheet in _SUBJECT_SHEETS.items()
)

_EVALUATED_SQL = f"""
SELECT e.commune_code, e.title, count(*), count(d.id)
FROM {table_name("evaluations")} e NOT INDEXED
LEFT JOIN {table_name("decisions")} d
       ON d.commune_code = e.commune_code AND d.period = e.period AND d.id = e.decision_id
WHERE e.period = :period AND e.year = :year AND CASE e.title {_SUBJECT_KNOWN} ELSE 0 END
GROUP BY e.commune_code, e.title
"""

_AWARDS_SQL = f"""
SELECT commune_code,
       sum(CASE WHEN kind = :cash THEN value_vnd ELSE 0 END), sum(CASE WHEN kind = :cash THEN 0 ELSE value_vnd END),
       count(*), count(DISTINCT coalesce(member_id, fold(pupil_name) || '|' || coalesce(birth_year, '')))
FROM {table_name("awards")} WHERE period = :period AND awarded_on BETWEEN :first AND :last
GROUP BY commune_code
"""

_ACTIVITIES_SQL = f"""
SELECT commune_code, kind, count(*), coalesce(sum(participants), 0)
FROM {table_name("activities")} WHERE period = :period AND starts_on BETWEEN :first AND :last
GROUP BY commune_code, kind
"""

_TARGETS_SQL = f"""
SELECT commune_code, kind, sum(target) FROM {table_name("activity_targets")}
WHERE period = :period AND year = :year GROUP BY commune_code, kind
"""

_HONOURS_SQL = " UNION ALL ".join(
    f"SELECT commune_code, '{kind}', recipient_kind, count(*) FROM {table_name(sheet)} "
    "WHERE period = :period AND honoured_on BETWEEN :first AND :last GROUP BY commune_code, recipient_kind"
    for kind, sheet in ((HonourKind.MODEL, "models"), (HonourKind.COMMENDATION, "commendations"))
)

_FUND_SQL = f"""
SELECT commune_code, sum(CASE WHEN direction = :receipt THEN amount ELSE 0 END),
       sum(CASE WHEN direction = :receipt THEN 0 ELSE amount END)
FROM {table_name("ledger")} WHERE period = :period AND entry_on BETWEEN :first AND :last
GROUP BY commune_code
"""

_PACKAGES_SQL = """
SELECT commune_code, sequence, received_at FROM received_package
WHERE period = :period AND status = 'applied' AND deleted_at IS NULL
ORDER BY sequence, received_at
"""

_PERIODS_SQL = "SELECT DISTINCT period FROM received_package WHERE status = 'applied' AND deleted_at IS NULL"


def _with_fold(session: Session) -> None:
    """The awards' pupils are told apart by folded name, as the commune stores them; the office's rows carry
    the typed name, so SQLite is lent the same `fold`."""
    session.connection().connection.driver_connection.create_function(  # type: ignore[union-attr]
        "fold", 1, fold, deterministic=True
    )


def _tallies(session: Session, year: int) -> dict[str, Tally]:
    """Each commune's tally for the year, from the packages held for the period: one statement per line family."""
    first, last = year_bounds(year)
    params: dict[str, Any] = {
        "period": str(year), "year": year, "first": first, "last": last,
        "cash": AwardKind.CASH, "receipt": Direction.THU,
    }  # fmt: skip

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in session.execute(text(sql), params).all()]

    titles: dict[str, dict[str, list[int]]] = {}
    for code, title, total in rows(_TOTALS_SQL):
        titles.setdefault(code, {}).setdefault(title, [0, 0, 0])[0] = int(total)
    for code, title, registered, recognised in rows(_EVALUATED_SQL):
        counts = titles.setdefault(code, {}).setdefault(title, [0, 0, 0])
        counts[1], counts[2] = int(registered), int(recognised)
    values: dict[str, dict[str, Any]] = {}

    def put(code: str, **found: Any) -> None:
        mine = values.setdefault(code, {})
        for name, value in found.items():
            mine[name] = value if mine.get(name) is None else mine[name] + value

    _with_fold(session)
    for code, cash, in_kind, awards, recipients in rows(_AWARDS_SQL):
        put(code, cash=int(cash or 0), in_kind=int(in_kind or 0), awards=int(awards), recipients=int(recipients))
    for code, kind, count, participants in rows(_ACTIVITIES_SQL):
        if kind == ActivityKind.SESSION:
            put(code, sessions=int(count), attendances=int(participants))
        elif is_class(kind):
            put(code, classes=int(count), class_participants=int(participants))
    for code, kind, target in rows(_TARGETS_SQL):
        if kind == ActivityKind.SESSION:
            put(code, session_target=int(target))
        elif is_class(kind):
            put(code, class_target=int(target))
    for code, kind, recipient_kind, count in rows(_HONOURS_SQL):
        if kind == HonourKind.MODEL:
            put(code, models=int(count))
        elif recipient_kind == RecipientKind.COLLECTIVE:
            put(code, commendations_collective=int(count))
        elif recipient_kind == RecipientKind.PERSON:
            put(code, commendations_person=int(count))
    for code, receipts, payments in rows(_FUND_SQL):
        put(code, fund_in=int(receipts or 0), fund_out=int(payments or 0))
    return {
        code: Tally({t: (c[0], c[1], c[2]) for t, c in titles.get(code, {}).items()}, **values.get(code, {}))
        for code in {*titles, *values}
    }


def _packages(session: Session, year: int, names: Mapping[str, str]) -> dict[str, PackageRef]:
    """Each commune's applied package for the period (the latest, should two ever be marked applied)."""
    found: dict[str, PackageRef] = {}
    for code, sequence, received_at in session.execute(text(_PACKAGES_SQL), {"period": str(year)}).all():
        found[code] = PackageRef(code, names.get(code, code), int(sequence), str(received_at))
    return found


def _receiving(code: str, merged_into: Mapping[str, str | None]) -> str:
    """The commune on the list whose row holds `code`'s figures: itself, or where it was merged (followed
    through a commune that was itself merged later)."""
    seen = {code}
    while (into := merged_into.get(code)) is not None and into in merged_into and into not in seen:
        seen.add(into)
        code = into
    return code


def report_years(workspace: Workspace) -> list[int]:
    """The years to offer: those with a package received, and the working year; newest first."""
    with session_scope(workspace.engine) as session:
        periods = {str(row[0]) for row in session.execute(text(_PERIODS_SQL)).all()}
    return sorted({int(p) for p in periods if p.isdigit()} | {workspace.working_year}, reverse=True)


def office_report(workspace: Workspace, year: int) -> OfficeReport:
    """The consolidated report of the year: every commune on the office's list in Vietnamese order, the communes
    merged into it inside its row, and the total."""
    require_office_role(workspace)
    info = office_info(workspace)
    if info is None:
        raise UserError("Cơ quan tổng hợp chưa được thiết lập: hãy ghi cấp, mã và danh sách xã, phường trước.")
    communes = list_communes(workspace)
    names = {c.code: c.name for c in communes}
    merged_into = {c.code: c.merged_into_code for c in communes}
    with session_scope(workspace.engine) as session:
        tallies = _tallies(session, year)
        packages = _packages(session, year, names)
    members: dict[str, list[str]] = {}
    for commune in communes:
        members.setdefault(_receiving(commune.code, merged_into), []).append(commune.code)
    rows = []
    for commune in communes:
        if commune.code not in members:
            continue  # merged into another: its figures are in that commune's row
        merged = tuple((names[code], packages.get(code)) for code in members[commune.code] if code != commune.code)
        tally = sum((tallies.get(code, Tally()) for code in members[commune.code]), Tally())
        rows.append(ReportRow(year, commune.code, commune.name, packages.get(commune.code), merged, tally))
    total = ReportRow(
        year,
        "",
        TOTAL_LABEL,
        None,
        tally=sum((row.tally for row in rows), Tally()),
        is_total=True,
        packages=sum(len(row.sources) for row in rows),
    )
    profile = workspace.profile
    return OfficeReport(
        year=year,
        office_name=info.name,
        province_name=profile.province_name if profile else "",
        association_name=profile.association_name if profile else "",
        signer_title=profile.signer_title if profile else "",
        signer_name=profile.signer_name if profile else "",
        rows=tuple(rows),
        total=total,
        generated_at=datetime.now().astimezone(),
    )
