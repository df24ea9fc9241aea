"""The submission board (issue 6): for one period, every commune on the office's list and where its package
stands, so the officer sees who is still missing before the deadline.

Read from what the import already keeps: `received_package` (every applied, refused, held or superseded
package), `office_commune` (the list, merged communes marked) and `trusted_key` (the signer's fingerprint).
A refusal or a held fork counts only when it came after the package applied last: an old file dragged in
again does not hide the data the office already holds, but it is shown until something newer is applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text

from khuyenhoc_desktop.domain.text import fold, format_count
from khuyenhoc_desktop.services import office, trust
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope


class Status(StrEnum):
    MISSING = "chua_nhan"
    RECEIVED = "da_nhan"
    FORK = "re_nhanh"
    REFUSED = "tu_choi"
    MERGED = "sap_nhap"


STATUS_LABELS: dict[str, str] = {
    Status.MISSING: "Chưa nhận",
    Status.RECEIVED: "Đã nhận",
    Status.FORK: "Có gói rẽ nhánh chờ quyết định",
    Status.REFUSED: "Gói bị từ chối",
    Status.MERGED: "Đã sáp nhập",
}


@dataclass(frozen=True, slots=True)
class Received:
    """The package applied last for the commune and period."""

    sequence: int
    key_id: str
    fingerprint: str  # "" when the key is no longer on the office's list
    exported_at: str  # UTC ISO
    received_at: str  # UTC ISO
    rows: int
    households: int
    members: int
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BoardRow:
    code: str
    name: str
    status: str
    received: Received | None
    merged_into: str  # "Xã B (28202)" for a merged commune, else ""
    problem: str  # the reason of the refusal or held fork that came after the package applied last
    search_key: str

    @property
    def id(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        if self.status == Status.MERGED:
            return f"{STATUS_LABELS[Status.MERGED]} vào {self.merged_into}"
        return STATUS_LABELS[self.status]

    @property
    def missing(self) -> bool:
        """Still expected to send the period's package: on the list, not merged, nothing applied."""
        return self.status != Status.MERGED and self.received is None

    @property
    def notes(self) -> str:
        """Everything the officer should read about the commune, one line."""
        warnings = self.received.warnings if self.received is not None else ()
        return "; ".join(note for note in (self.problem, *(f"Lưu ý: {w}" for w in warnings)) if note)


@dataclass(frozen=True)
class Board:
    period: str
    rows: tuple[BoardRow, ...]  # the office's communes in Vietnamese order

    @property
    def expected(self) -> int:
        return sum(1 for row in self.rows if row.status != Status.MERGED)

    @property
    def missing(self) -> tuple[BoardRow, ...]:
        return tuple(row for row in self.rows if row.missing)

    @property
    def totals_text(self) -> str:
        """ "Đã nhận 87/100 xã, phường; còn thiếu 13" and the communes waiting for the officer."""
        missing = len(self.missing)
        parts = [f"Đã nhận {format_count(self.expected - missing)}/{format_count(self.expected)} xã, phường"]
        parts.append(f"còn thiếu {format_count(missing)}" if missing else "đã đủ")
        for status, what in ((Status.FORK, "có gói rẽ nhánh chờ quyết định"), (Status.REFUSED, "có gói bị từ chối")):
            count = sum(1 for row in self.rows if row.status == status)
            if count:
                parts.append(f"{format_count(count)} xã {what}")
        return "; ".join(parts)

    def missing_text(self) -> str:
        """The list to paste into a reminder message: heading, then one commune a line."""
        lines = [f"Các xã, phường chưa gửi số liệu năm {self.period} ({format_count(len(self.missing))}):"]
        lines += [f"{row.code} {row.name}" for row in self.missing]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Event:
    commune: str
    sequence: int
    key_id: str
    exported_at: str
    received_at: str
    status: str
    warnings: str
    rows: int


def _events(workspace: Workspace, period: str) -> dict[str, list[_Event]]:
    """The period's packages per commune, oldest first."""
    with session_scope(workspace.engine) as session:
        found = session.execute(
            text(
                "SELECT commune_code, sequence, key_id, exported_at, received_at, status, warnings, rows "
                "FROM received_package WHERE period = :p AND deleted_at IS NULL ORDER BY received_at, rowid"
            ),
            {"p": period},
        ).all()
    events: dict[str, list[_Event]] = {}
    for row in found:
        event = _Event(*row)
        events.setdefault(event.commune, []).append(event)
    return events


def _counts(workspace: Workspace, period: str) -> dict[str, tuple[int, int]]:
    """Households and members the office holds per commune for the period. A plain scan: through the name index
    the planner would pick, 300,000 households take 0.47 s against 0.08 s."""
    with session_scope(workspace.engine) as session:
        found = session.execute(
            text(
                "SELECT commune_code, count(*), coalesce(sum(member_count), 0) FROM office_households NOT INDEXED "
                "WHERE period = :p GROUP BY commune_code"
            ),
            {"p": period},
        ).all()
    return {code: (households, members) for code, households, members in found}


# How `received_package.status` reads on the board; "superseded" and an accepted fork are history.
_PROBLEMS: dict[str, str] = {"fork_waiting": Status.FORK, "refused": Status.REFUSED, "fork_rejected": Status.REFUSED}


def _status(events: Iterable[_Event]) -> tuple[_Event | None, str, str]:
    """The package applied last, and the status with the reason of any later refusal or held fork (a fork
    waiting for the officer first: it needs a decision)."""
    applied: _Event | None = None
    later: list[_Event] = []
    for event in events:
        if event.status == "applied":
            applied, later = event, []
        elif event.status in _PROBLEMS:
            later.append(event)
    for status in (Status.FORK, Status.REFUSED):
        last = next((e for e in reversed(later) if _PROBLEMS[e.status] == status), None)
        if last is not None:
            return applied, status, "; ".join(line for line in last.warnings.splitlines() if line)
    return applied, Status.RECEIVED if applied is not None else Status.MISSING, ""


def submission_board(workspace: Workspace, year: int) -> Board:
    """Every commune on the office's list with the state of its package for the year."""
    office.require_office_role(workspace)
    period = str(year)
    events = _events(workspace, period)
    counts = _counts(workspace, period)
    fingerprints = {key.key_id: key.fingerprint for key in trust.keys_of(workspace)}
    rows = []
    for commune in office.list_communes(workspace):
        applied, status, problem = _status(events.get(commune.code, ()))
        merged_into = ""
        if commune.merged_into_code is not None:
            status, merged_into = Status.MERGED, f"{commune.merged_into_name} ({commune.merged_into_code})"
        received = None
        if applied is not None:
            households, members = counts.get(commune.code, (0, 0))
            received = Received(
                applied.sequence,
                applied.key_id,
                fingerprints.get(applied.key_id, ""),
                applied.exported_at,
                applied.received_at,
                applied.rows,
                households,
                members,
                tuple(line for line in applied.warnings.splitlines() if line),
            )
        label = STATUS_LABELS[status]
        rows.append(
            BoardRow(
                commune.code,
                commune.name,
                status,
                received,
                merged_into,
                problem,
                fold(f"{commune.code} {commune.name} {label} {merged_into}"),
            )
        )
    return Board(period, tuple(rows))
