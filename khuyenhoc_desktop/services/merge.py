"""Verified import of a commune's package into the office database (issue 6).

A package is checked (`verify_package`), its signer must be an enrolled, unrevoked key of the commune it names
(`check_signer`), and its sequence must continue what the office holds for that commune and period. The office
keeps each received record in its typed tables (`services/office_data.py`); applying a package replaces the
commune's snapshot for the period in one transaction, after a backup. Every import, refusal and held fork is
a `received_package` row, and the writes are in the audit log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange.workbook import SHEETS
from khuyenhoc_desktop.services import office_data, packages, trust
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.office import require_office_role
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import ReceivedPackage, new_id, utc_now

BACKUP_REASON = "truoc-nhap-goi"

FIRST, NEXT, SAME, REPLAY, GAP, FORK = "first", "next", "same", "replay", "gap", "fork"
VERDICT_LABELS: dict[str, str] = {
    FIRST: "gói đầu tiên của xã trong kỳ",
    NEXT: "gói tiếp theo",
    SAME: "gói này đã được nhận rồi: không có gì thay đổi",
    REPLAY: "gói cũ hơn gói đã nhận: không nhận",
    GAP: "thiếu gói ở giữa",
    FORK: "gói rẽ nhánh: cùng lần gửi hoặc không nối tiếp gói đã nhận, cần quyết định",
}

Data = dict[str, Any]


@dataclass(frozen=True)
class SheetReview:
    sheet: str  # the sheet's stable key
    name: str  # the sheet's title
    new: int
    changed: dict[str, tuple[str, ...]]  # record id → the fields that changed
    removed: int
    unchanged: int


@dataclass(frozen=True)
class Review:
    path: Path
    commune_code: str
    commune_name: str
    period: str
    sequence: int
    package_sha256: str
    previous_sha256: str | None
    data_sha256: str
    key_id: str
    exported_at: str
    verdict: str
    applied_sequence: int | None
    sheets: tuple[SheetReview, ...]
    warnings: tuple[str, ...] = ()
    rows: dict[str, dict[str, Data]] = field(default_factory=dict, repr=False)  # sheet key → id → record

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def row_count(self) -> int:
        return sum(len(records) for records in self.rows.values())

    @property
    def has_changes(self) -> bool:
        return any(s.new or s.changed or s.removed for s in self.sheets)


@dataclass(frozen=True)
class ApplyResult:
    review: Review
    applied: bool  # False: the same package again, nothing written
    package_id: str | None
    backup: Path | None


def _package_rows(path: Path, workbook: dict[str, list[dict[str, object]]]) -> dict[str, dict[str, Data]]:
    keys = {spec.name: spec.key for spec in SHEETS}
    rows: dict[str, dict[str, Data]] = {}
    for name, records in workbook.items():
        sheet = keys.get(name)
        if sheet is None:
            continue  # a sheet a newer version added: this version has nowhere to keep it
        by_id: dict[str, Data] = {}
        for number, record in enumerate(records, 2):
            record_id = record.get("id")
            if not record_id:
                raise UserError(f"Gói {path.name}, bảng “{name}”, dòng {number}: thiếu mã định danh.")
            by_id[str(record_id)] = office_data.plain(record)
        rows[sheet] = by_id
    return rows


def _applied(session: Session, commune: str, period: str) -> ReceivedPackage | None:
    return session.exec(
        select(ReceivedPackage)
        .where(
            ReceivedPackage.commune_code == commune,
            ReceivedPackage.period == period,
            ReceivedPackage.status == "applied",
            col(ReceivedPackage.deleted_at).is_(None),
        )
        .order_by(col(ReceivedPackage.sequence).desc(), col(ReceivedPackage.received_at).desc())
    ).first()


def _verdict(applied: ReceivedPackage | None, sequence: int, sha: str, previous: str | None) -> tuple[str, list[str]]:
    if applied is None:
        warnings = [f"đây là lần gửi {sequence} nhưng chưa nhận lần nào trước"] if sequence > 1 else []
        return FIRST, warnings
    if applied.package_sha256 == sha:
        return SAME, []
    if sequence < applied.sequence:
        return REPLAY, []
    if sequence == applied.sequence:
        return FORK, [f"đã nhận một gói khác cũng là lần gửi {sequence}"]
    if sequence > applied.sequence + 1:
        first_missing, last_missing = applied.sequence + 1, sequence - 1
        missing = f"{first_missing}" if first_missing == last_missing else f"{first_missing}–{last_missing}"
        return GAP, [f"thiếu lần gửi {missing} (đã nhận lần {applied.sequence}, gói này là lần {sequence})"]
    if previous != applied.package_sha256:
        return FORK, [f"gói lần {sequence} không nối tiếp gói lần {applied.sequence} đã nhận"]
    return NEXT, []


def _compare(package: dict[str, dict[str, Data]], held: dict[str, dict[str, Data]]) -> tuple[SheetReview, ...]:
    names = {spec.key: spec.name for spec in SHEETS}
    order = [spec.key for spec in SHEETS]
    sheets = sorted(set(package) | set(held), key=lambda s: (order.index(s) if s in order else len(order), s))
    result = []
    for sheet in sheets:
        new_rows, old_rows = package.get(sheet, {}), held.get(sheet, {})
        changed: dict[str, tuple[str, ...]] = {}
        unchanged = 0
        for record_id, record in new_rows.items():
            old = old_rows.get(record_id)
            if old is None:
                continue
            fields = tuple(sorted(k for k in set(record) | set(old) if record.get(k) != old.get(k)))
            if fields:
                changed[record_id] = fields
            else:
                unchanged += 1
        result.append(
            SheetReview(
                sheet=sheet,
                name=names.get(sheet, sheet),
                new=sum(1 for r in new_rows if r not in old_rows),
                changed=changed,
                removed=sum(1 for r in old_rows if r not in new_rows),
                unchanged=unchanged,
            )
        )
    return tuple(result)


def review(workspace: Workspace, path: Path) -> Review:
    """What importing the package at `path` would do; refused (UserError) when it fails verification or its
    signer is not trusted. Writes nothing."""
    require_office_role(workspace)
    package = packages.verify_package(path)
    signer = trust.check_signer(workspace, package)
    manifest = package.manifest
    try:
        rows = _package_rows(path, package.read_workbook())
    except ValueError as error:
        raise UserError(f"Gói {path.name}: {error}") from None
    with session_scope(workspace.engine) as session:
        applied = _applied(session, manifest.commune_code, manifest.period)
        held = office_data.held_rows(session, manifest.commune_code, manifest.period)
    verdict, warnings = _verdict(applied, manifest.sequence, package.package_sha256, manifest.previous_package_sha256)
    return Review(
        path=path,
        commune_code=manifest.commune_code,
        commune_name=manifest.commune_name,
        period=manifest.period,
        sequence=manifest.sequence,
        package_sha256=package.package_sha256,
        previous_sha256=manifest.previous_package_sha256,
        data_sha256=package.data_sha256,
        key_id=signer.key_id,
        exported_at=manifest.exported_at,
        verdict=verdict,
        applied_sequence=None if applied is None else applied.sequence,
        sheets=_compare(rows, held),
        warnings=tuple(warnings),
        rows=rows,
    )


def _file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _record_refusal(workspace: Workspace, path: Path, reason: str, found: Review | None, status: str) -> None:
    """Keep the refusal (or the held fork) in the office's records, in a small write of its own."""
    label = f"Không nhận gói {path.name}" if status == "refused" else f"Giữ gói rẽ nhánh {path.name} chờ quyết định"
    with record_change(workspace, label, undoable=False) as change:
        change.add(
            ReceivedPackage(
                commune_code="" if found is None else found.commune_code,
                period="" if found is None else found.period,
                sequence=0 if found is None else found.sequence,
                package_sha256=_file_sha256(path) if found is None else found.package_sha256,
                previous_sha256=None if found is None else found.previous_sha256,
                data_sha256="" if found is None else found.data_sha256,
                key_id="" if found is None else found.key_id,
                exported_at="" if found is None else found.exported_at,
                status=status,
                warnings=reason,
                rows=0 if found is None else found.row_count,
            )
        )


def record_refusal(workspace: Workspace, path: Path, reason: str) -> None:
    """Record a package refused before it could be reviewed (not verified, or its signer not trusted)."""
    _record_refusal(workspace, path, reason, None, "refused")


def apply(workspace: Workspace, path: Path, allow_fork: bool = False) -> ApplyResult:
    """Import the package at `path`: review it, back up, then replace the commune's snapshot for the period in one
    transaction. A refusal (or a fork without `allow_fork`) raises UserError with the reason and is recorded."""
    require_office_role(workspace)
    try:
        found = review(workspace, path)
    except UserError as error:
        record_refusal(workspace, path, str(error))
        raise
    if found.verdict == SAME:
        return ApplyResult(found, False, None, None)
    if found.verdict == REPLAY:
        reason = (
            f"Gói {path.name} của {found.commune_name} là lần gửi {found.sequence}, cũ hơn lần "
            f"{found.applied_sequence} đã nhận: không nhận gói cũ."
        )
        _record_refusal(workspace, path, reason, found, "refused")
        raise UserError(reason)
    if found.verdict == FORK and not allow_fork:
        reason = (
            f"Gói {path.name} của {found.commune_name} rẽ nhánh ({'; '.join(found.warnings)}): chưa nhận. "
            "Hãy hỏi lại xã, phường; nhận gói này thì chạy lại với --allow-fork."
        )
        _record_refusal(workspace, path, reason, found, "fork_waiting")
        raise UserError(reason)
    backup = workspace.backup(BACKUP_REASON)
    package_id = new_id()
    label = f"Nhận gói số liệu {found.commune_name} năm {found.period} lần {found.sequence}"
    with record_change(workspace, label, undoable=False) as change:
        session = change.session
        for older in session.exec(
            select(ReceivedPackage).where(
                ReceivedPackage.commune_code == found.commune_code,
                ReceivedPackage.period == found.period,
                ReceivedPackage.status == "applied",
            )
        ).all():
            change.touch(older)
            older.status, older.updated_at = "superseded", utc_now()
        change.add(
            ReceivedPackage(
                id=package_id,
                commune_code=found.commune_code,
                period=found.period,
                sequence=found.sequence,
                package_sha256=found.package_sha256,
                previous_sha256=found.previous_sha256,
                data_sha256=found.data_sha256,
                key_id=found.key_id,
                exported_at=found.exported_at,
                status="applied",
                warnings="\n".join(found.warnings),
                rows=found.row_count,
            )
        )
        session.flush()
        office_data.replace_snapshot(session, found.commune_code, found.period, package_id, found.sequence, found.rows)
    return ApplyResult(found, True, package_id, backup)
