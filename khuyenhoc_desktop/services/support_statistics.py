"""The report's support lines for a year: money mobilised, awards, the fund, activities, models and
commendations. Read straight from the tables in a few queries, like the titles' statistics, so the
report, the screen and the command line count the same way.

A year is the calendar year of each record's own date (award date, voucher date, start of an activity,
date honoured). Amounts are whole VND.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

CASH_KIND = "tien_mat"
SESSION_KIND = "sinh_hoat"
CLASS_KINDS = ("tap_huan", "day_nghe")


@dataclass(frozen=True)
class SourceMoney:
    source: str  # the sponsor as typed ("" when none was given)
    cash: int
    in_kind: int

    @property
    def total(self) -> int:
        return self.cash + self.in_kind


@dataclass(frozen=True)
class CategoryAwards:
    category: str
    awards: int
    recipients: int  # distinct pupils (a pupil of the register counts once; typed pupils by name and birth year)
    value: int


@dataclass(frozen=True)
class ActivityLine:
    kind: str
    count: int  # sessions or classes started in the year
    participants: int  # attendances of sessions, participants of classes
    target: int | None

    @property
    def percent(self) -> float | None:
        return self.count / self.target if self.target else None


@dataclass(frozen=True)
class SupportStatistics:
    year: int
    cash: int
    in_kind: int
    by_source: list[SourceMoney]  # largest first
    by_category: list[CategoryAwards]
    awards: int
    recipients: int
    fund_opening: int  # balance on 1 January
    fund_receipts: int
    fund_payments: int
    activities: list[ActivityLine]  # sessions first, then the class kinds
    models: int  # exemplary learning models honoured in the year
    commendations_collective: int
    commendations_person: int

    @property
    def mobilised(self) -> int:
        return self.cash + self.in_kind

    @property
    def fund_closing(self) -> int:
        return self.fund_opening + self.fund_receipts - self.fund_payments

    @property
    def classes(self) -> ActivityLine:
        """Training and vocational classes together, against their summed targets (the report's one line)."""
        lines = [line for line in self.activities if line.kind in CLASS_KINDS]
        targets = [line.target for line in lines if line.target is not None]
        return ActivityLine(
            "lop",
            sum(line.count for line in lines),
            sum(line.participants for line in lines),
            sum(targets) if targets else None,
        )


_PUPIL = "coalesce(a.member_id, a.name_key || '|' || coalesce(a.birth_year, ''))"

_SOURCES_SQL = """
SELECT a.sponsor,
       sum(CASE WHEN a.kind = :cash THEN a.value_vnd ELSE 0 END),
       sum(CASE WHEN a.kind = :cash THEN 0 ELSE a.value_vnd END)
FROM award a WHERE a.deleted_at IS NULL AND a.awarded_on BETWEEN :first AND :last
GROUP BY a.sponsor
"""

_CATEGORIES_SQL = f"""
SELECT a.category, count(*), count(DISTINCT {_PUPIL}), sum(a.value_vnd)
FROM award a WHERE a.deleted_at IS NULL AND a.awarded_on BETWEEN :first AND :last
GROUP BY a.category ORDER BY a.category
"""

_RECIPIENTS_SQL = f"""
SELECT count(*), count(DISTINCT {_PUPIL})
FROM award a WHERE a.deleted_at IS NULL AND a.awarded_on BETWEEN :first AND :last
"""

_FUND_SQL = """
SELECT coalesce(sum(CASE WHEN entry_on < :first THEN (CASE direction WHEN 'thu' THEN amount ELSE -amount END) END), 0),
       coalesce(sum(CASE WHEN entry_on BETWEEN :first AND :last AND direction = 'thu' THEN amount END), 0),
       coalesce(sum(CASE WHEN entry_on BETWEEN :first AND :last AND direction = 'chi' THEN amount END), 0)
FROM ledger_entry WHERE deleted_at IS NULL
"""

_ACTIVITIES_SQL = """
SELECT kind, count(*), coalesce(sum(participants), 0)
FROM activity WHERE deleted_at IS NULL AND starts_on BETWEEN :first AND :last GROUP BY kind
"""

_TARGETS_SQL = "SELECT kind, target FROM activity_target WHERE deleted_at IS NULL AND year = :year"

_HONOURS_SQL = """
SELECT kind, recipient_kind, count(*)
FROM honour WHERE deleted_at IS NULL AND honoured_on BETWEEN :first AND :last GROUP BY kind, recipient_kind
"""


def support_statistics(workspace: Workspace, year: int) -> SupportStatistics:
    params = {"first": date(year, 1, 1).isoformat(), "last": date(year, 12, 31).isoformat(), "year": year}
    with session_scope(workspace.engine) as session:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(text(sql), {**params, "cash": CASH_KIND}).all()]

        sources = [SourceMoney(str(s), int(c or 0), int(k or 0)) for s, c, k in rows(_SOURCES_SQL)]
        categories = [CategoryAwards(str(c), int(n), int(p), int(v or 0)) for c, n, p, v in rows(_CATEGORIES_SQL)]
        ((awards, recipients),) = rows(_RECIPIENTS_SQL)
        ((opening, receipts, payments),) = rows(_FUND_SQL)
        done = {str(k): (int(n), int(p)) for k, n, p in rows(_ACTIVITIES_SQL)}
        targets = {str(k): int(t) for k, t in rows(_TARGETS_SQL)}
        honours = {(str(k), str(r)): int(n) for k, r, n in rows(_HONOURS_SQL)}
    activities = [
        ActivityLine(kind, *done.get(kind, (0, 0)), targets.get(kind)) for kind in (SESSION_KIND, *CLASS_KINDS)
    ]
    return SupportStatistics(
        year=year,
        cash=sum(s.cash for s in sources),
        in_kind=sum(s.in_kind for s in sources),
        by_source=sorted(sources, key=lambda s: (-s.total, s.source)),
        by_category=categories,
        awards=int(awards),
        recipients=int(recipients),
        fund_opening=int(opening),
        fund_receipts=int(receipts),
        fund_payments=int(payments),
        activities=activities,
        models=sum(n for (kind, _r), n in honours.items() if kind == "mo_hinh"),
        commendations_collective=honours.get(("giay_khen", "tap_the"), 0),
        commendations_person=honours.get(("giay_khen", "ca_nhan"), 0),
    )
