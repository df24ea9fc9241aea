"""Sending the year upward: export a signed package, check one, list what this installation sent.

Each export of a period gets the next sequence number and names the previous package's SHA-256, so the
consolidating office can tell which version is newest and that none was skipped. The history row is
written only once the file is in place; if that write fails, the file is taken away again, so history and
disk never disagree.

A key change waiting in the folder (`services.keys.rotate_key`) rides on the next export: the package, signed by
the current key, announces the new one, and only once that package is in place and recorded does the new key
take over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.package import write_package
from khuyenhoc_desktop.exchange.verify import VerifiedPackage
from khuyenhoc_desktop.exchange.verify import verify_package as _verify
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.tables import PackageExport, utc_now

PACKAGE_SUFFIX = ".zip"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    period: str
    sequence: int
    package_sha256: str
    data_sha256: str
    previous_sha256: str | None
    rows: dict[str, int]
    fingerprint: str  # of the key that signed the package
    rotated_to: str | None = None  # fingerprint of the key that signs from now on, when this export changed it


@dataclass(frozen=True)
class ExportRow:
    period: str
    sequence: int
    exported_at: str  # UTC ISO
    file_name: str
    rows: int
    data_sha256: str
    package_sha256: str
    key_id: str


def _period(year: int) -> str:
    return str(year)


def _last_export(workspace: Workspace, period: str) -> PackageExport | None:
    with Session(workspace.engine) as session:
        return session.exec(
            select(PackageExport).where(PackageExport.period == period).order_by(col(PackageExport.sequence).desc())
        ).first()


def next_sequence(workspace: Workspace, year: int) -> int:
    last = _last_export(workspace, _period(year))
    return 1 if last is None else last.sequence + 1


def suggested_file_name(workspace: Workspace, year: int) -> str:
    """ "khuyenhoc-28201-2025-lan-03.zip": commune, period and the sequence this export will get."""
    profile = workspace.profile
    code = profile.commune_code if profile is not None and profile.commune_code else "khong-ma"
    return f"khuyenhoc-{code}-{_period(year)}-lan-{next_sequence(workspace, year):02d}{PACKAGE_SUFFIX}"


def export_package(workspace: Workspace, year: int, out_path: Path, progress: Progress | None = None) -> ExportResult:
    """Write the year's signed package to `out_path` (a folder gets the suggested name) and record it."""
    profile = workspace.profile
    if profile is None:
        raise UserError("Thư mục dữ liệu chưa được thiết lập: chưa có đơn vị để xuất gói số liệu.")
    if profile.role != Role.COMMUNE:
        raise UserError("Chỉ Hội Khuyến học xã, phường xuất gói số liệu gửi lên; cơ quan tổng hợp nhận gói.")
    if out_path.is_dir():
        out_path = out_path / suggested_file_name(workspace, year)
    elif out_path.suffix.lower() != PACKAGE_SUFFIX:
        out_path = out_path.with_name(out_path.name + PACKAGE_SUFFIX)
    signer = keys.public_raw(workspace.data_dir)  # a folder set up before signing keys existed gets one now
    announced = keys.next_public_raw(workspace.data_dir)
    period = _period(year)
    last = _last_export(workspace, period)
    sequence = 1 if last is None else last.sequence + 1
    previous = None if last is None else last.package_sha256
    written = write_package(
        workspace,
        year,
        out_path,
        sequence=sequence,
        previous_sha256=previous,
        exported_at=utc_now(),
        next_public=announced,
        progress=progress,
    )
    manifest = written.manifest
    try:
        label = f"Xuất gói số liệu năm {period} lần {sequence}"
        if announced is not None:
            label += f", báo đổi khóa ký sang khóa {keys.key_id(announced)}"
        with record_change(workspace, label, undoable=False) as change:
            change.add(
                PackageExport(
                    period=period,
                    sequence=sequence,
                    exported_at=manifest.exported_at,
                    file_name=out_path.name,
                    data_sha256=written.data_sha256,
                    package_sha256=written.package_sha256,
                    key_id=manifest.key_id,
                    rows=sum(manifest.rows.values()),
                )
            )
    except BaseException:
        with contextlib.suppress(OSError):
            out_path.unlink()
        raise
    if announced is not None:
        keys.promote_next(workspace.data_dir, announced)
    return ExportResult(
        path=out_path,
        period=period,
        sequence=sequence,
        package_sha256=written.package_sha256,
        data_sha256=written.data_sha256,
        previous_sha256=previous,
        rows=dict(manifest.rows),
        fingerprint=keys.fingerprint(signer),
        rotated_to=None if announced is None else keys.fingerprint(announced),
    )


def verify_package(path: Path, data_dir: Path | None = None) -> VerifiedPackage:
    """Check a package; never opens a database, so checking a hostile file changes nothing here."""
    return _verify(path, data_dir)


def list_exports(workspace: Workspace) -> list[ExportRow]:
    """Newest first."""
    with Session(workspace.engine) as session:
        exports = session.exec(
            select(PackageExport).order_by(col(PackageExport.exported_at).desc(), col(PackageExport.sequence).desc())
        ).all()
        return [
            ExportRow(e.period, e.sequence, e.exported_at, e.file_name, e.rows, e.data_sha256, e.package_sha256,
                      e.key_id)
            for e in exports
        ]  # fmt: skip
