"""The consolidating office's workspace (issue 6): the level it consolidates (a province, a legacy district or a
cluster), its name, and the communes whose packages it receives, from the official 2025 list.

A province office gets all the province's communes; a district or cluster office names its communes by code.
A commune merged into another stays on the list under its old name, marked with the commune it went into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import ProfileInput, Role, default_association_name
from khuyenhoc_desktop.domain.text import nfc, sort_key
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Office, OfficeCommune, utc_now


class Level(StrEnum):
    PROVINCE = "tinh"
    DISTRICT = "huyen"
    CLUSTER = "cum"


LEVEL_LABELS: dict[str, str] = {
    Level.PROVINCE: "Tỉnh, thành phố",
    Level.DISTRICT: "Huyện (cũ)",
    Level.CLUSTER: "Cụm xã, phường",
}

# Placeholders for a folder the office command sets up itself; the officer corrects them in Settings.
DEFAULT_OFFICER = "Cán bộ tổng hợp"
DEFAULT_SIGNER_TITLE = "Chủ tịch"
DEFAULT_SIGNER_NAME = "(chưa ghi)"


@dataclass(frozen=True)
class OfficeInfo:
    level: str
    code: str
    name: str


@dataclass(frozen=True)
class OfficeCommuneRow:
    code: str
    name: str
    merged_into_code: str | None
    merged_into_name: str | None


def _commune(code: str) -> admin_units.AdminUnit:
    try:
        return admin_units.commune(code.strip())
    except ValueError as error:
        raise UserError(f"{error}.") from None


def _province(code: str) -> admin_units.AdminUnit:
    try:
        return admin_units.province(code.strip())
    except ValueError as error:
        raise UserError(f"{error}.") from None


def _chosen_communes(level: str, code: str, commune_codes: list[str] | None) -> list[admin_units.AdminUnit]:
    if level == Level.PROVINCE:
        if commune_codes:
            raise UserError("Cơ quan cấp tỉnh nhận mọi xã, phường của tỉnh: không cần ghi danh sách xã.")
        return list(admin_units.communes(_province(code).code))
    if not commune_codes:
        raise UserError(f"{LEVEL_LABELS[level]}: hãy ghi mã các xã, phường thuộc cơ quan tổng hợp.")
    chosen: dict[str, admin_units.AdminUnit] = {}
    for given in commune_codes:
        unit = _commune(given)
        chosen.setdefault(unit.code, unit)
    return list(chosen.values())


def _set_up_as_office(workspace: Workspace, province_code: str) -> None:
    profile_service.set_up(
        workspace,
        ProfileInput(
            role=Role.CONSOLIDATING_OFFICE,
            province_code=province_code,
            commune_code="",
            association_name=default_association_name(Role.CONSOLIDATING_OFFICE, province_code, ""),
            officer_name=DEFAULT_OFFICER,
            signer_title=DEFAULT_SIGNER_TITLE,
            signer_name=DEFAULT_SIGNER_NAME,
            working_year=date.today().year,
        ),
        [],
    )


def require_office_role(workspace: Workspace) -> None:
    profile = workspace.profile
    if profile is None or profile.role != Role.CONSOLIDATING_OFFICE:
        raise UserError(
            "Thư mục dữ liệu này là của một xã, phường: chỉ cơ quan tổng hợp (tỉnh, huyện cũ, cụm) "
            "mới quản lý danh sách xã và khóa ký của các xã."
        )


@dataclass(frozen=True)
class OfficePlan:
    """A checked office set-up, not yet written: what `init_office` will store."""

    info: OfficeInfo
    province_code: str
    communes: tuple[admin_units.AdminUnit, ...]


def plan_office(level: str, code: str, name: str | None = None, commune_codes: list[str] | None = None) -> OfficePlan:
    """Check an office set-up without writing anything, so the set-up wizard can refuse it before it stores
    the profile."""
    if level not in LEVEL_LABELS:
        raise UserError(f"Cấp tổng hợp «{level}» không có; hãy chọn tinh, huyen hoặc cum.")
    code = nfc(code)
    if not code:
        raise UserError("Hãy ghi mã của cơ quan tổng hợp.")
    communes = _chosen_communes(level, code, commune_codes)
    if level == Level.PROVINCE:
        province = _province(code)
        return OfficePlan(
            OfficeInfo(level, province.code, nfc(name or "") or province.name), province.code, tuple(communes)
        )
    clean_name = nfc(name or "")
    if not clean_name:
        raise UserError(f"{LEVEL_LABELS[level]}: hãy ghi tên cơ quan tổng hợp (--name).")
    return OfficePlan(OfficeInfo(level, code, clean_name), communes[0].province_code, tuple(communes))


def init_office(
    workspace: Workspace,
    level: str,
    code: str,
    name: str | None = None,
    commune_codes: list[str] | None = None,
) -> OfficeInfo:
    """Record the office and its communes, all together or nothing. A folder not yet set up is set up first
    as a consolidating office of the province the code (or the first commune) belongs to."""
    if workspace.is_set_up:
        require_office_role(workspace)
    plan = plan_office(level, code, name, commune_codes)
    if office_info(workspace) is not None:
        raise UserError("Cơ quan tổng hợp của thư mục này đã được thiết lập.")
    if not workspace.is_set_up:
        _set_up_as_office(workspace, plan.province_code)
    info = plan.info
    with record_change(workspace, f"Thiết lập cơ quan tổng hợp «{info.name}»", undoable=False) as change:
        change.add(Office(level=info.level, code=info.code, name=info.name))
        for unit in plan.communes:
            change.add(OfficeCommune(code=unit.code, name=unit.name))
    return info


def office_info(workspace: Workspace) -> OfficeInfo | None:
    with session_scope(workspace.engine) as session:
        office = session.exec(select(Office)).first()
        return None if office is None else OfficeInfo(office.level, office.code, office.name)


def _live(session: Session) -> list[OfficeCommune]:
    return list(session.exec(select(OfficeCommune).where(col(OfficeCommune.deleted_at).is_(None))).all())


def list_communes(workspace: Workspace) -> list[OfficeCommuneRow]:
    """The office's communes in Vietnamese order, each with the commune it was merged into, if any."""
    with session_scope(workspace.engine) as session:
        rows = _live(session)
    names = {row.code: row.name for row in rows}
    return [
        OfficeCommuneRow(
            row.code,
            row.name,
            row.merged_into_code,
            None if row.merged_into_code is None else names.get(row.merged_into_code, row.merged_into_code),
        )
        for row in sorted(rows, key=lambda r: sort_key(r.name))
    ]


def commune_on_list(workspace: Workspace, code: str) -> OfficeCommuneRow:
    """The office's commune of that code; refused when the office does not receive that commune's packages."""
    found = next((row for row in list_communes(workspace) if row.code == code.strip()), None)
    if found is None:
        raise UserError(f"Xã, phường mã {code.strip()} không có trong danh sách xã của cơ quan tổng hợp.")
    return found


def add_old_commune(workspace: Workspace, code: str, name: str, into_code: str | None = None) -> OfficeCommuneRow:
    """Put a commune of before the 2025 reform on the list (a legacy district lists its old communes), under its
    old code and name, merged into a commune on the list when `into_code` is given. Its records keep that name."""
    require_office_role(workspace)
    code, name = code.strip(), nfc(name)
    if not (len(code) == 5 and code.isdigit()):
        raise UserError(f"Mã xã, phường cũ «{code}» phải có 5 chữ số.")
    if not name:
        raise UserError(f"Xã, phường cũ mã {code}: hãy ghi tên cũ (ví dụ «Xã Phước Lại»).")
    if any(row.code == code for row in list_communes(workspace)):
        raise UserError(f"Xã, phường mã {code} đã có trong danh sách của cơ quan tổng hợp.")
    try:
        current = admin_units.commune(code)
    except ValueError:
        current = None
    if current is not None:
        raise UserError(f"Mã {code} là {current.name} theo danh mục năm 2025, không phải mã của một xã cũ.")
    into = None if into_code is None else commune_on_list(workspace, into_code)
    if into is not None and into.merged_into_code is not None:
        raise UserError(f"{into.name} đã sáp nhập vào {into.merged_into_name}: hãy chọn xã nhận sáp nhập.")
    label = f"Thêm xã cũ {name} (mã {code})" + ("" if into is None else f", đã sáp nhập vào {into.name}")
    with record_change(workspace, label) as change:
        change.add(OfficeCommune(code=code, name=name, merged_into_code=None if into is None else into.code))
    return commune_on_list(workspace, code)


def mark_merged(workspace: Workspace, old_code: str, into_code: str) -> None:
    """Mark a commune as merged into another on the list; it keeps its old name for its old records."""
    require_office_role(workspace)
    old, into = commune_on_list(workspace, old_code), commune_on_list(workspace, into_code)
    if old.code == into.code:
        raise UserError("Không thể sáp nhập một xã vào chính nó.")
    if into.merged_into_code is not None:
        raise UserError(f"{into.name} đã sáp nhập vào {into.merged_into_name}: hãy chọn xã nhận sáp nhập.")
    with record_change(workspace, f"Ghi {old.name} sáp nhập vào {into.name}") as change:
        row = change.session.exec(
            select(OfficeCommune).where(OfficeCommune.code == old.code, col(OfficeCommune.deleted_at).is_(None))
        ).one()
        change.touch(row)
        row.merged_into_code, row.updated_at = into.code, utc_now()
