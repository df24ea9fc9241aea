"""The report's support lines for a year: money mobilised, awards, the fund, activities, models and
commendations; and those figures as the labelled lines the report, the statistics page and the command line
all print, so the three say the same thing in the same words.

A year is the calendar year of each record's own date (award date, voucher date, start of an activity,
date honoured). Amounts are whole VND. The fund, the activities and the honours are counted by their own
registers' year functions, so the report agrees with the ledger, the activities page and the honours page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_KIND_LABELS,
    ActivityKind,
    TargetProgress,
    count_unit,
    is_class,
    progress,
)
from khuyenhoc_desktop.domain.awards import AWARD_CATEGORY_LABELS, AWARD_KIND_LABELS, AwardKind
from khuyenhoc_desktop.domain.honours import HONOUR_KIND_LABELS, RECIPIENT_KIND_LABELS, HonourKind, RecipientKind
from khuyenhoc_desktop.domain.ledger import PAYMENT_CATEGORY_LABELS, RECEIPT_CATEGORY_LABELS
from khuyenhoc_desktop.domain.text import format_count, format_percent, format_vnd
from khuyenhoc_desktop.services import activities, honours, ledger
from khuyenhoc_desktop.services.ledger import LedgerSummary
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

SUPPORT_HEADING = "Công tác khuyến học, khuyến tài và hoạt động học tập"
NO_SOURCE = "Không ghi nhà tài trợ, nguồn"
SESSIONS_LABEL = "Sinh hoạt tại trung tâm học tập cộng đồng"
CLASSES_LABEL = "Lớp tập huấn, dạy nghề"
ALL_CLASSES = "lop"  # the kind of the classes' summed line: not a kind of the register
MONEY_UNIT = "đồng"
AWARD_UNIT = "suất"


@dataclass(frozen=True)
class SourceMoney:
    source: str  # the sponsor as typed ("" when none was given)
    cash: int
    in_kind: int

    @property
    def total(self) -> int:
        return self.cash + self.in_kind


@dataclass(frozen=True)
class KindAwards:
    kind: str  # cash, bicycle, notebooks…
    awards: int
    value: int


@dataclass(frozen=True)
class CategoryAwards:
    category: str
    awards: int
    recipients: int  # distinct pupils (a pupil of the register counts once; typed pupils by name and birth year)
    value: int


@dataclass(frozen=True)
class SupportStatistics:
    year: int
    cash: int
    in_kind: int
    by_source: list[SourceMoney]  # largest first
    by_kind: list[KindAwards]  # in the vocabulary's order, cash first
    by_category: list[CategoryAwards]  # in the vocabulary's order
    awards: int
    recipients: int
    fund: LedgerSummary  # the ledger's own year summary: brought forward, in and out by category, carried on
    activities: list[TargetProgress]  # the register's own progress per kind: sessions first, then classes
    models: int  # exemplary learning models honoured in the year
    commendations_collective: int
    commendations_person: int

    @property
    def mobilised(self) -> int:
        return self.cash + self.in_kind

    @property
    def classes(self) -> TargetProgress:
        """Training and vocational classes together, against their summed targets (the report's one line)."""
        lines = [line for line in self.activities if is_class(line.kind)]
        targets = [line.target for line in lines if line.target is not None]
        return progress(
            ALL_CLASSES,
            self.year,
            sum(targets) if targets else None,
            sum(line.actual for line in lines),
            sum(line.participants for line in lines),
        )


_PUPIL = "coalesce(a.member_id, a.name_key || '|' || coalesce(a.birth_year, ''))"
_OF_YEAR = "FROM award a WHERE a.deleted_at IS NULL AND a.awarded_on BETWEEN :first AND :last"

_SOURCES_SQL = f"""
SELECT a.sponsor,
       sum(CASE WHEN a.kind = :cash THEN a.value_vnd ELSE 0 END),
       sum(CASE WHEN a.kind = :cash THEN 0 ELSE a.value_vnd END)
{_OF_YEAR} GROUP BY a.sponsor
"""

_KINDS_SQL = f"SELECT a.kind, count(*), sum(a.value_vnd) {_OF_YEAR} GROUP BY a.kind"

_CATEGORIES_SQL = (
    f"SELECT a.category, count(*), count(DISTINCT {_PUPIL}), sum(a.value_vnd) {_OF_YEAR} GROUP BY a.category"
)

_RECIPIENTS_SQL = f"SELECT count(*), count(DISTINCT {_PUPIL}) {_OF_YEAR}"


def _vocabulary_order(labels: Mapping[str, str]) -> dict[str, int]:
    """Rank of each code in its vocabulary; a code no longer in it (an older version's) goes last."""
    return {code: rank for rank, code in enumerate(labels)}


def support_statistics(workspace: Workspace, year: int) -> SupportStatistics:
    params = {"first": date(year, 1, 1).isoformat(), "last": date(year, 12, 31).isoformat(), "cash": AwardKind.CASH}
    with session_scope(workspace.engine) as session:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(text(sql), params).all()]

        sources = [SourceMoney(str(s), int(c or 0), int(k or 0)) for s, c, k in rows(_SOURCES_SQL)]
        kinds = [KindAwards(str(k), int(n), int(v or 0)) for k, n, v in rows(_KINDS_SQL)]
        categories = [CategoryAwards(str(c), int(n), int(p), int(v or 0)) for c, n, p, v in rows(_CATEGORIES_SQL)]
        ((awards, recipients),) = rows(_RECIPIENTS_SQL)
    kind_rank, category_rank = _vocabulary_order(AWARD_KIND_LABELS), _vocabulary_order(AWARD_CATEGORY_LABELS)
    honoured = honours.year_counts(workspace, year)
    return SupportStatistics(
        year=year,
        cash=sum(s.cash for s in sources),
        in_kind=sum(s.in_kind for s in sources),
        by_source=sorted(sources, key=lambda s: (-s.total, s.source)),
        by_kind=sorted(kinds, key=lambda k: (kind_rank.get(k.kind, len(kind_rank)), k.kind)),
        by_category=sorted(categories, key=lambda c: (category_rank.get(c.category, len(category_rank)), c.category)),
        awards=int(awards),
        recipients=int(recipients),
        fund=ledger.year_summary(workspace, year),
        activities=activities.year_progress(workspace, year),
        models=sum(n for (kind, _recipient), n in honoured.items() if kind == HonourKind.MODEL),
        commendations_collective=honoured[(HonourKind.COMMENDATION, RecipientKind.COLLECTIVE)],
        commendations_person=honoured[(HonourKind.COMMENDATION, RecipientKind.PERSON)],
    )


# -- the lines ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupportLine:
    label: str
    value: str  # "7.000.000 đ", "4 suất cho 3 học sinh"
    note: str = ""  # what the value is made of: "tiền mặt 3.500.000 đ; hiện vật 3.500.000 đ"
    detail: bool = False  # a breakdown of the line above it (by source, by category, by kind)
    amount: int | None = None  # the line's one figure as a number, for a spreadsheet to add up across communes
    unit: str = ""  # what `amount` counts: "đồng", "suất", "buổi", "lớp"…

    @property
    def reading(self) -> str:
        """What follows the label: "7.000.000 đ (tiền mặt 3.500.000 đ; hiện vật 3.500.000 đ)"."""
        return f"{self.value} ({self.note})" if self.note else self.value

    @property
    def text(self) -> str:
        """ "Vận động học bổng, quà: 7.000.000 đ (tiền mặt 3.500.000 đ; hiện vật 3.500.000 đ)"."""
        return f"{self.label}: {self.reading}"


def _awards_text(awards: int, recipients: int) -> str:
    return f"{format_count(awards)} {AWARD_UNIT} cho {format_count(recipients)} học sinh"


def _money_parts(parts: Iterable[tuple[str, int]]) -> str:
    """ "quyên góp, ủng hộ 5.000.000 đ; hội phí 200.000 đ": the parts that are not zero, named in lower case."""
    return "; ".join(f"{name.lower()} {format_vnd(value)}" for name, value in parts if value)


def _money_lines(support: SupportStatistics) -> list[SupportLine]:
    cash, in_kind = AWARD_KIND_LABELS[AwardKind.CASH].lower(), "hiện vật"
    lines = [
        SupportLine(
            "Vận động học bổng, quà",
            format_vnd(support.mobilised),
            f"{cash} {format_vnd(support.cash)}; {in_kind} {format_vnd(support.in_kind)}" if support.mobilised else "",
            amount=support.mobilised,
            unit=MONEY_UNIT,
        )
    ]
    lines += [
        SupportLine(
            source.source or NO_SOURCE,
            format_vnd(source.total),
            _money_parts([(cash, source.cash), (in_kind, source.in_kind)]),
            detail=True,
            amount=source.total,
            unit=MONEY_UNIT,
        )
        for source in support.by_source
    ]
    return lines


def _award_lines(support: SupportStatistics) -> list[SupportLine]:
    kinds = "; ".join(
        f"{AWARD_KIND_LABELS.get(k.kind, k.kind).lower()} {format_count(k.awards)} {AWARD_UNIT}"
        for k in support.by_kind
    )
    lines = [
        SupportLine(
            "Số suất học bổng, quà",
            _awards_text(support.awards, support.recipients),
            kinds,
            amount=support.awards,
            unit=AWARD_UNIT,
        )
    ]
    lines += [
        SupportLine(
            AWARD_CATEGORY_LABELS.get(c.category, c.category),
            _awards_text(c.awards, c.recipients),
            format_vnd(c.value),
            detail=True,
            amount=c.awards,
            unit=AWARD_UNIT,
        )
        for c in support.by_category
    ]
    return lines


def fund_text(fund: LedgerSummary) -> str:
    """ "tồn đầu năm 6.000.000 đ, thu 5.000.000 đ, chi 2.500.000 đ, tồn cuối năm 8.500.000 đ": the report's fund
    line, and the ledger's year summary on the command line."""
    return (
        f"tồn đầu năm {format_vnd(fund.opening)}, thu {format_vnd(fund.total_receipts)}, "
        f"chi {format_vnd(fund.total_payments)}, tồn cuối năm {format_vnd(fund.closing)}"
    )


def _fund_lines(fund: LedgerSummary) -> list[SupportLine]:
    flows = (
        ("Thu trong năm", fund.total_receipts, fund.receipts, RECEIPT_CATEGORY_LABELS),
        ("Chi trong năm", fund.total_payments, fund.payments, PAYMENT_CATEGORY_LABELS),
    )
    return [
        SupportLine("Quỹ khuyến học", fund_text(fund), amount=fund.closing, unit=MONEY_UNIT),
        *(
            SupportLine(
                label,
                format_vnd(total),
                _money_parts((labels.get(code, code), value) for code, value in by_category.items()),
                detail=True,
                amount=total,
                unit=MONEY_UNIT,
            )
            for label, total, by_category, labels in flows
        ),
    ]


def _activity_line(label: str, line: TargetProgress, detail: bool = False) -> SupportLine:
    """ "3 buổi, 100 lượt người (chỉ tiêu 2 buổi, đạt 150,0%)"; a class's people are its học viên."""
    unit = "lớp" if line.kind == ALL_CLASSES else count_unit(line.kind)
    people = "học viên" if unit == "lớp" else "lượt người"
    target = (
        f"chỉ tiêu {format_count(line.target)} {unit}, đạt {format_percent(line.rate)}"
        if line.target
        else "chưa đặt chỉ tiêu"
    )
    value = f"{format_count(line.actual)} {unit}, {format_count(line.participants)} {people}"
    return SupportLine(label, value, target, detail=detail, amount=line.actual, unit=unit)


def _activity_lines(support: SupportStatistics) -> list[SupportLine]:
    sessions = [line for line in support.activities if line.kind == ActivityKind.SESSION]
    classes = [line for line in support.activities if is_class(line.kind)]
    return [
        *(_activity_line(SESSIONS_LABEL, line) for line in sessions),
        _activity_line(CLASSES_LABEL, support.classes),
        *(_activity_line(ACTIVITY_KIND_LABELS[line.kind], line, detail=True) for line in classes),
    ]


def _honour_lines(support: SupportStatistics) -> list[SupportLine]:
    collective, person = support.commendations_collective, support.commendations_person
    commendation = HONOUR_KIND_LABELS[HonourKind.COMMENDATION]
    return [
        SupportLine(
            f"{HONOUR_KIND_LABELS[HonourKind.MODEL]} được khen",
            format_count(support.models),
            amount=support.models,
            unit="mô hình",
        ),
        SupportLine(
            commendation,
            f"{format_count(collective)} {RECIPIENT_KIND_LABELS[RecipientKind.COLLECTIVE].lower()}, "
            f"{format_count(person)} {RECIPIENT_KIND_LABELS[RecipientKind.PERSON].lower()}",
            amount=collective + person,
            unit=commendation.lower(),
        ),
    ]


def support_lines(support: SupportStatistics) -> list[SupportLine]:
    """The year's support work as the report words it: each headline line, then its breakdown (detail lines)."""
    return [
        *_money_lines(support),
        *_award_lines(support),
        *_fund_lines(support.fund),
        *_activity_lines(support),
        *_honour_lines(support),
    ]
