"""Verified import of a commune's package into the office database (issue 6).

A package is checked (`verify_package`), its signer must be an enrolled, unrevoked key of the commune it names
(`check_signer`), and its sequence must continue what the office holds for that commune and period. The office
keeps each received record in its typed tables (`services/office_data.py`); applying a package replaces the
commune's snapshot for the period in one transaction, after a backup (one for a whole batch, `apply_all`). Every
import, refusal and held fork is a `received_package` row, and the writes are in the audit log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.text import format_date, format_vnd, nfc
from khuyenhoc_desktop.exchange.manifest import Manifest
from khuyenhoc_desktop.exchange.verify import VerifiedPackage
from khuyenhoc_desktop.exchange.workbook import BOOL, DATE, SHEETS, VND, Column
from khuyenhoc_desktop.services import office_data, packages, trust
from khuyenhoc_desktop.services.bulk import cyclic_gc_paused
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.office import list_communes, require_office_role
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
    fingerprint: str = ""  # the signer's, to compare with the commune's paper registration sheet
    held: dict[str, dict[str, Data]] = field(default_factory=dict, repr=False)  # what the office holds, like rows
    key_change: trust.KeyChange | None = None  # the commune's next key, enrolled when the package is applied

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def row_count(self) -> int:
        """The package's records, from the counts: `rows` may be trimmed, or never read (the same package)."""
        return sum(s.new + len(s.changed) + s.unchanged for s in self.sheets)

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
        for number, record in enumerate(records, 2):
            if not record.get("id"):
                raise UserError(f"Gói {path.name}, bảng “{name}”, dòng {number}: thiếu mã định danh.")
        office_data.make_plain(sheet, records)
        rows[sheet] = {str(record["id"]): record for record in records}
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
            if record == old:  # most records of a next package: one comparison, no field walk
                unchanged += 1
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


def _package_fields(package: VerifiedPackage) -> dict[str, Any]:
    """What a review says of the package itself, whatever its verdict."""
    manifest = package.manifest
    return {
        "path": package.path,
        "commune_code": manifest.commune_code,
        "commune_name": manifest.commune_name,
        "period": manifest.period,
        "sequence": manifest.sequence,
        "package_sha256": package.package_sha256,
        "previous_sha256": manifest.previous_package_sha256,
        "data_sha256": package.data_sha256,
        "exported_at": manifest.exported_at,
    }


def _same_as_applied(workspace: Workspace, package: VerifiedPackage) -> Review | None:
    """The review of a byte-identical copy of the package applied for its commune and period, without reading
    its workbook (every record unchanged, counted by the signed manifest); None for any other package.

    Checked before the signer: the package was accepted when it came, and its key may have been retired since
    by a key change, which must not turn a harmless re-import into a refusal."""
    manifest = package.manifest
    with session_scope(workspace.engine) as session:
        applied = _applied(session, manifest.commune_code, manifest.period)
    if applied is None or applied.package_sha256 != package.package_sha256:
        return None
    return Review(
        **_package_fields(package),
        key_id=manifest.key_id,
        fingerprint=package.fingerprint,
        verdict=SAME,
        applied_sequence=applied.sequence,
        sheets=tuple(
            SheetReview(spec.key, spec.name, 0, {}, 0, manifest.rows[spec.name])
            for spec in SHEETS
            if spec.name in manifest.rows
        ),
    )


def review(workspace: Workspace, path: Path) -> Review:
    """What importing the package at `path` would do; refused (UserError) when it fails verification or its
    signer is not trusted. Writes nothing."""
    require_office_role(workspace)
    package = packages.verify_package(path)
    return _review(workspace, package, lambda: _rows_of(package))


Rows = dict[str, dict[str, Data]]  # sheet key → record id → record


def _rows_of(package: VerifiedPackage) -> Rows:
    try:
        return _package_rows(package.path, package.read_workbook())
    except ValueError as error:
        raise UserError(f"Gói {package.path.name}: {error}") from None


def _review(workspace: Workspace, package: VerifiedPackage, read_rows: Callable[[], Rows]) -> Review:
    """`review` of a verified package. Its records come from `read_rows` (read ahead in a batch), asked for only
    once the package is known to be new and its signer trusted, so a refusal names the first check failed."""
    same = _same_as_applied(workspace, package)
    if same is not None:
        return same
    signer = trust.check_signer(workspace, package)
    key_change = trust.key_change(workspace, package, signer)
    manifest = package.manifest
    rows = read_rows()
    with session_scope(workspace.engine) as session:
        applied = _applied(session, manifest.commune_code, manifest.period)
        held = office_data.held_rows(session, manifest.commune_code, manifest.period)
    verdict, warnings = _verdict(applied, manifest.sequence, package.package_sha256, manifest.previous_package_sha256)
    return Review(
        **_package_fields(package),
        key_id=signer.key_id,
        fingerprint=signer.fingerprint,
        verdict=verdict,
        applied_sequence=None if applied is None else applied.sequence,
        sheets=_compare(rows, held),
        warnings=tuple(warnings) + (() if key_change is None else (key_change.label,)),
        rows=rows,
        held=held,
        key_change=key_change,
    )


def _file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _record_refusal(
    workspace: Workspace, path: Path, reason: str, found: Review | None, status: str, claimed: Manifest | None = None
) -> None:
    """Keep the refusal (or the held fork) in the office's records, in a small write of its own."""
    label = f"Không nhận gói {path.name}" if status == "refused" else f"Giữ gói rẽ nhánh {path.name} chờ quyết định"
    named = found or claimed
    with record_change(workspace, label, undoable=False) as change:
        change.add(
            ReceivedPackage(
                commune_code="" if named is None else named.commune_code,
                period="" if named is None else named.period,
                sequence=0 if named is None else named.sequence,
                package_sha256=_file_sha256(path) if found is None else found.package_sha256,
                previous_sha256=None if found is None else found.previous_sha256,
                data_sha256="" if found is None else found.data_sha256,
                key_id="" if found is None else found.key_id,
                exported_at="" if named is None else named.exported_at,
                status=status,
                warnings=reason,
                rows=0 if found is None else found.row_count,
            )
        )


def record_refusal(workspace: Workspace, path: Path, reason: str) -> None:
    """Record a package refused before it could be reviewed. One whose signature checks out (refused for a signer
    the office does not trust, say) is filed under the commune its manifest names, so that the board shows whom
    to call; one that fails verification names no commune, since nothing it claims can be believed."""
    try:
        claimed: Manifest | None = packages.verify_package(path).manifest
    except UserError:
        claimed = None
    _record_refusal(workspace, path, reason, None, "refused", claimed)


@dataclass(frozen=True)
class _Opened:
    """A package as a batch reads it ahead: verified, or the refusal; its records and their derived keys, or why
    they could not be read (raised only when the review asks for them, after the checks that come first)."""

    package: VerifiedPackage | UserError
    rows: Rows | UserError
    derived: office_data.Derived | None = None

    @classmethod
    def read(cls, path: Path) -> _Opened:
        try:
            package = packages.verify_package(path)
        except UserError as error:
            return cls(error, error)
        try:
            rows = _rows_of(package)
        except UserError as error:
            return cls(package, error)
        return cls(package, rows, office_data.derive(rows))

    def review(self, workspace: Workspace) -> Review:
        if isinstance(self.package, UserError):
            raise self.package
        return _review(workspace, self.package, self._rows)

    def _rows(self) -> Rows:
        if isinstance(self.rows, UserError):
            raise self.rows
        return self.rows


def _reviewed(workspace: Workspace, path: Path, opened: _Opened | None = None) -> Review:
    """The review of a package about to be applied (`opened`: read ahead by a batch); a refusal is recorded
    before it is raised."""
    try:
        return review(workspace, path) if opened is None else opened.review(workspace)
    except UserError as error:
        record_refusal(workspace, path, str(error))
        raise


def _not_taken(workspace: Workspace, found: Review, allow_fork: bool) -> str | None:
    """Why a reviewed package is not written (a replay, or a fork unless allowed), recorded; None to write it."""
    path = found.path
    if found.verdict == REPLAY:
        reason = (
            f"Gói {path.name} của {found.commune_name} là lần gửi {found.sequence}, cũ hơn lần "
            f"{found.applied_sequence} đã nhận: không nhận gói cũ."
        )
        _record_refusal(workspace, path, reason, found, "refused")
        return reason
    if found.verdict == FORK and not allow_fork:
        reason = (
            f"Gói {path.name} của {found.commune_name} rẽ nhánh ({'; '.join(found.warnings)}): chưa nhận. "
            "Hãy hỏi lại xã, phường; nhận gói này thì chạy lại với --allow-fork."
        )
        _record_refusal(workspace, path, reason, found, "fork_waiting")
        return reason
    return None


def apply(workspace: Workspace, path: Path, allow_fork: bool = False) -> ApplyResult:
    """Import the package at `path`: review it, back up, then replace the commune's snapshot for the period in one
    transaction. A refusal (or a fork without `allow_fork`) raises UserError with the reason and is recorded."""
    require_office_role(workspace)
    found = _reviewed(workspace, path)
    if found.verdict == SAME:
        return ApplyResult(found, False, None, None)
    reason = _not_taken(workspace, found, allow_fork)
    if reason is not None:
        raise UserError(reason)
    backup = workspace.backup(BACKUP_REASON)
    return ApplyResult(found, True, _write(workspace, found), backup)


def _write(workspace: Workspace, found: Review, derived: office_data.Derived | None = None) -> str:
    """Replace the commune's snapshot for the period with the reviewed package's, and record the package, in one
    transaction; returns the id of its `received_package` row. `derived`: the rows' keys, when computed ahead."""
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
        office_data.replace_snapshot(
            session, found.commune_code, found.period, package_id, found.sequence, found.rows, derived
        )
        if found.key_change is not None:
            trust.change_key_in(change, found.key_change, found.period, found.sequence)
    return package_id


@dataclass(frozen=True)
class BatchItem:
    """One file of a batch: its review (None when it could not be reviewed: not verified, signer not trusted),
    whether it was written, or why not."""

    path: Path
    review: Review | None  # trimmed (see `trimmed`): a batch of a province's packages never holds all their rows
    applied: bool = False  # False with no refusal: the same package again, nothing written
    package_id: str | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class BatchResult:
    items: tuple[BatchItem, ...]
    backup: Path | None  # the one backup, taken before the batch's first write; None when nothing was written


Progress = Callable[[int, int, str], None]  # files done, files in all, the file being read


def apply_all(
    workspace: Workspace, paths: Sequence[Path], allow_fork: bool = False, progress: Progress | None = None
) -> BatchResult:
    """Import several packages in the order given, as `apply` does each, with one backup before the first write
    instead of one per package: at a province's size a backup takes seconds. Each package is written in its own
    transaction, so a refused or failing package never undoes one accepted before it; refusals are recorded as
    `apply` records them and reported per file rather than raised. `progress` may raise to stop between files."""
    require_office_role(workspace)
    backup: Path | None = None
    items: list[BatchItem] = []
    # The next package is verified, read and its derived keys computed on a helper thread while this one is
    # written: python-calamine and SQLite both run without the GIL, so on two cores reading hides behind writing.
    # The helper never touches the database, and what it finds is judged here in order, so a batch refuses
    # exactly what `apply` would.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="doc-goi") as reader, cyclic_gc_paused():
        ahead = [reader.submit(_Opened.read, path) for path in paths[:1]]  # one package in flight at a time
        for done, path in enumerate(paths):
            if progress is not None:
                progress(done, len(paths), path.name)
            opened = ahead.pop().result()
            ahead += [reader.submit(_Opened.read, later) for later in paths[done + 1 : done + 2]]
            try:
                found = _reviewed(workspace, path, opened)
            except UserError as error:
                items.append(BatchItem(path, None, refusal=str(error)))
                continue
            reason = None if found.verdict == SAME else _not_taken(workspace, found, allow_fork)
            if found.verdict == SAME or reason is not None:
                items.append(BatchItem(path, trimmed(found), refusal=reason))
                continue
            if backup is None:
                backup = workspace.backup(BACKUP_REASON)
            package_id = _write(workspace, found, opened.derived)
            items.append(BatchItem(path, trimmed(found), applied=True, package_id=package_id))
    if progress is not None:
        progress(len(paths), len(paths), "")
    return BatchResult(tuple(items), backup)


# --- What the officer reads of a review (the window, the minute), and the decision on a held fork ---

DETAIL_LIMIT = 50  # records of each kind a trimmed review keeps per register: enough to check, never a province
NEW, CHANGED, REMOVED = "new", "changed", "removed"
CHANGE_LABELS: dict[str, str] = {NEW: "mới", CHANGED: "thay đổi", REMOVED: "bị xóa"}
EMPTY_VALUE = "(trống)"
FORK_ACCEPTED, FORK_REJECTED = "fork_accepted", "fork_rejected"
_NAME_FIELDS = ("full_name", "pupil_name", "recipient", "name", "number", "voucher_no")


@dataclass(frozen=True)
class FieldChange:
    header: str  # the column's Vietnamese header in the package workbook
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    kind: str  # NEW, CHANGED or REMOVED
    record_id: str
    label: str
    fields: tuple[FieldChange, ...] = ()  # only for CHANGED


def shown_value(column: Column | None, value: object) -> str:
    """A stored value as the workbook shows it: labels for vocabulary codes, dd/mm/yyyy, dot thousands."""
    if value is None or value == "":
        return EMPTY_VALUE
    if column is None:
        return str(value)
    if column.labels:
        return column.labels.get(str(value), str(value))
    if column.kind == BOOL:
        return "có" if value else "không"
    if column.kind == DATE:
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if column.kind == VND and isinstance(value, int):
        return format_vnd(value)
    return str(value)


def record_label(sheet: str, record: Data) -> str:
    """How the officer recognises a record: a household by its code and hamlet, a person by name and household,
    others by their name or number, else by their kind and the start of their id."""
    if sheet == "households":
        return f"Hộ {record.get('code') or '?'}, {record.get('hamlet_name') or EMPTY_VALUE}"
    if sheet == "members":
        return f"{record.get('full_name') or EMPTY_VALUE} (hộ {record.get('household_code') or '?'})"
    named = next((str(record[k]) for k in _NAME_FIELDS if record.get(k)), "")
    if named:
        return named
    spec = office_data.SPECS.get(sheet)
    kinds = [
        shown_value(c, record.get(c.key)) for c in (spec.columns if spec else ()) if c.labels and record.get(c.key)
    ]
    return " – ".join([*kinds, f"mã {str(record.get('id', ''))[:8]}"])


def _field_changes(sheet: str, old: Data, new: Data, keys: tuple[str, ...]) -> tuple[FieldChange, ...]:
    spec = office_data.SPECS.get(sheet)
    columns = {c.key: c for c in spec.columns} if spec else {}
    return tuple(
        FieldChange(
            columns[k].header if k in columns else k,
            shown_value(columns.get(k), old.get(k)),
            shown_value(columns.get(k), new.get(k)),
        )
        for k in keys
    )


def record_changes(found: Review, sheet: str) -> list[RecordChange]:
    """The new, changed (field by field, old → new) and removed records of one register, in that order.
    Works on a whole review and on a trimmed one alike (see `trimmed`)."""
    package, held = found.rows.get(sheet, {}), found.held.get(sheet, {})
    sheet_review = next((s for s in found.sheets if s.sheet == sheet), None)
    changed = {} if sheet_review is None else sheet_review.changed
    result = [RecordChange(NEW, rid, record_label(sheet, r)) for rid, r in package.items() if rid not in held]
    result += [
        RecordChange(CHANGED, rid, record_label(sheet, package[rid]), _field_changes(sheet, held[rid], package[rid], f))
        for rid, f in changed.items()
        if rid in package and rid in held
    ]
    result += [RecordChange(REMOVED, rid, record_label(sheet, r)) for rid, r in held.items() if rid not in package]
    return result


def trimmed(found: Review, limit: int = DETAIL_LIMIT) -> Review:
    """The review keeping only the records its first `limit` new, changed and removed records per register need:
    what a window or a minute shows of many packages without holding every commune's rows. The counts stay in
    `sheets`; applying reads the file again."""
    rows: dict[str, dict[str, Data]] = {}
    held: dict[str, dict[str, Data]] = {}
    for sheet_review in found.sheets:
        sheet = sheet_review.sheet
        package, old = found.rows.get(sheet, {}), found.held.get(sheet, {})
        new_ids = [rid for rid in package if rid not in old][:limit]
        changed_ids = [rid for rid in sheet_review.changed if rid in package and rid in old][:limit]
        removed_ids = [rid for rid in old if rid not in package][:limit]
        rows[sheet] = {rid: package[rid] for rid in (*new_ids, *changed_ids)}
        held[sheet] = {rid: old[rid] for rid in (*changed_ids, *removed_ids)}
    return replace(found, rows=rows, held=held)


@dataclass(frozen=True)
class HeldPackage:
    """A package as the office recorded it (`received_package`)."""

    commune_code: str
    period: str
    sequence: int
    package_sha256: str
    key_id: str
    exported_at: str
    received_at: str
    status: str
    warnings: str


def _held(record: ReceivedPackage) -> HeldPackage:
    return HeldPackage(
        record.commune_code,
        record.period,
        record.sequence,
        record.package_sha256,
        record.key_id,
        record.exported_at,
        record.received_at,
        record.status,
        record.warnings,
    )


def _held_forks(session: Session, sha: str | None = None, waiting: bool = True) -> list[ReceivedPackage]:
    """Forks held for a decision, newest first. `waiting`: leave out those taken in since (`merge --allow-fork`)."""
    query = select(ReceivedPackage).where(
        ReceivedPackage.status == "fork_waiting", col(ReceivedPackage.deleted_at).is_(None)
    )
    if waiting:
        taken = select(ReceivedPackage.package_sha256).where(col(ReceivedPackage.status).in_(("applied", "superseded")))
        query = query.where(col(ReceivedPackage.package_sha256).not_in(taken))
    if sha is not None:
        query = query.where(ReceivedPackage.package_sha256 == sha)
    return list(session.exec(query.order_by(col(ReceivedPackage.received_at).desc())).all())


def pending_forks(workspace: Workspace) -> list[HeldPackage]:
    """Each fork waiting for the officer's decision once (the same file held twice is one decision), newest first."""
    require_office_role(workspace)
    with session_scope(workspace.engine) as session:
        found = {record.package_sha256: _held(record) for record in reversed(_held_forks(session))}
    return sorted(found.values(), key=lambda held: held.received_at, reverse=True)


def latest_applied(workspace: Workspace) -> dict[str, HeldPackage]:
    """Each commune's package in force that the office received last, whatever the period."""
    with session_scope(workspace.engine) as session:
        records = session.exec(
            select(ReceivedPackage)
            .where(ReceivedPackage.status == "applied", col(ReceivedPackage.deleted_at).is_(None))
            .order_by(col(ReceivedPackage.received_at))
        ).all()
        return {record.commune_code: _held(record) for record in records}


def decide_fork(workspace: Workspace, path: Path, accept: bool, reason: str) -> ApplyResult | None:
    """The officer's decision on a fork: accepting applies the package (it replaces the commune's data for the
    period), rejecting keeps it out with the reason. The file must be the fork held (same SHA-256); a fork only
    reviewed so far is held first, so the decision always stands against a recorded package."""
    require_office_role(workspace)
    reason = " ".join(nfc(reason).split())
    if not accept and not reason:
        raise UserError(f"Gói {path.name}: hãy ghi lý do không nhận gói rẽ nhánh.")
    sha = _file_sha256(path)
    with session_scope(workspace.engine) as session:
        held = [_held(record) for record in _held_forks(session, sha)]
    if not held:
        found = review(workspace, path)
        if found.verdict != FORK:
            raise UserError(f"Gói {path.name} không phải gói rẽ nhánh đang chờ quyết định: {found.verdict_label}.")
        _record_refusal(workspace, path, "; ".join(found.warnings), found, "fork_waiting")
        held = [HeldPackage(found.commune_code, found.period, found.sequence, sha, found.key_id, found.exported_at,
                            utc_now(), "fork_waiting", "")]  # fmt: skip
    names = {commune.code: commune.name for commune in list_communes(workspace)}
    fork = held[0]
    what = f"gói rẽ nhánh {names.get(fork.commune_code, fork.commune_code)} năm {fork.period} lần {fork.sequence}"
    decided = "nhận" if accept else "không nhận"
    result = apply(workspace, path, allow_fork=True) if accept else None
    label = f"{decided.capitalize()} {what}" + (f": {reason}" if reason else "")
    with record_change(workspace, label, undoable=False) as change:
        for record in _held_forks(change.session, sha, waiting=False):
            change.touch(record)
            note = f"Quyết định: {decided}" + (f" — {reason}" if reason else "")
            record.status = FORK_ACCEPTED if accept else FORK_REJECTED
            record.warnings, record.updated_at = f"{record.warnings}\n{note}".strip(), utc_now()
    return result
