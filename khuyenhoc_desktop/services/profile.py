"""First-run setup and the Settings dialog's use cases: the profile, the working year, the hamlets."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.profile import (
    PROFILE_FIELD_LABELS,
    ProfileInput,
    clean_hamlet_names,
    clean_profile,
    clean_setup_hamlets,
)
from khuyenhoc_desktop.domain.text import fold
from khuyenhoc_desktop.services import keys as key_service
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Hamlet, Household, Profile, utc_now

SET_UP_LABEL = "Thiết lập đơn vị"


@dataclass(frozen=True)
class HamletRow:
    id: str
    name: str
    household_count: int


def _profile_fields(data: ProfileInput) -> dict[str, Any]:
    """The stored columns of a cleaned profile, unit names looked up from their codes."""
    return {
        **dataclasses.asdict(data),
        "province_name": admin_units.province(data.province_code).name,
        "commune_name": admin_units.commune(data.commune_code).name if data.commune_code else "",
        "updated_at": utc_now(),
    }


def set_up(workspace: Workspace, data: ProfileInput, hamlet_names: list[str]) -> None:
    """First run: store the profile and the hamlets together, or nothing."""
    if workspace.is_set_up:
        raise UserError("Thư mục dữ liệu này đã được thiết lập; hãy sửa trong Cài đặt.")
    cleaned = clean_profile(data, date.today().year)
    names = clean_setup_hamlets(cleaned.role, cleaned.province_code, hamlet_names)
    profile = Profile(**_profile_fields(cleaned))
    with record_change(workspace, SET_UP_LABEL, undoable=False, officer=cleaned.officer_name) as change:
        change.add(profile)
        for position, name in enumerate(names):
            change.add(Hamlet(name=name, position=position))
    workspace.reload_profile()
    key_service.ensure_key(workspace)  # the signing key of issue 5: ready before the first package


def profile_input(workspace: Workspace) -> ProfileInput:
    profile = workspace.profile
    if profile is None:
        raise UserError("Thư mục dữ liệu chưa được thiết lập.")
    return ProfileInput(
        profile.role,
        profile.province_code,
        profile.commune_code,
        profile.association_name,
        profile.officer_name,
        profile.signer_title,
        profile.signer_name,
        profile.working_year,
    )


def save_profile(workspace: Workspace, data: ProfileInput) -> None:
    cleaned = clean_profile(data, date.today().year)
    with record_change(workspace, "Sửa thông tin đơn vị") as change:
        profile = change.session.exec(select(Profile)).one()
        change.touch(profile)
        for name, value in _profile_fields(cleaned).items():
            setattr(profile, name, value)
    workspace.reload_profile()


def set_working_year(workspace: Workspace, year: int) -> None:
    """The year selector: which year's records the registers show. A view choice, so not on the undo stack."""
    clean_profile(replace(profile_input(workspace), working_year=year), date.today().year)
    with record_change(workspace, f"Chọn năm làm việc {year}", undoable=False) as change:
        profile = change.session.exec(select(Profile)).one()
        change.touch(profile)
        profile.working_year, profile.updated_at = year, utc_now()
    workspace.reload_profile()


def list_hamlets(workspace: Workspace) -> list[HamletRow]:
    counts = (
        select(Household.hamlet_id, func.count().label("n"))
        .where(col(Household.deleted_at).is_(None))
        .group_by(col(Household.hamlet_id))
        .subquery()
    )
    with session_scope(workspace.engine) as session:
        rows = session.exec(
            select(Hamlet.id, Hamlet.name, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.hamlet_id == Hamlet.id)
            .where(col(Hamlet.deleted_at).is_(None))
            .order_by(col(Hamlet.position), col(Hamlet.name))
        ).all()
    return [HamletRow(*row) for row in rows]


def _live_hamlet_names(session: Session, except_id: str | None = None) -> list[str]:
    """The names another hamlet must not repeat (up to accents), in the order set up."""
    return list(
        session.exec(
            select(Hamlet.name)
            .where(col(Hamlet.deleted_at).is_(None), Hamlet.id != except_id)
            .order_by(col(Hamlet.position), col(Hamlet.name))
        ).all()
    )


def add_hamlet_in(change: Recorder, name: str) -> Hamlet:
    """Add a hamlet inside a change already open; one removed earlier under the same name comes back, with
    its households' links."""
    existing = _live_hamlet_names(change.session)
    (clean,) = clean_hamlet_names([name], existing) or [""]
    if not clean:
        raise ValidationError("Ấp mới", "hamlets", PROFILE_FIELD_LABELS["hamlets"], "chưa nhập tên ấp.")
    removed = change.session.exec(select(Hamlet).where(col(Hamlet.deleted_at).is_not(None))).all()
    hamlet = next((h for h in removed if fold(h.name) == fold(clean)), None)
    if hamlet is None:
        hamlet = Hamlet(name=clean, position=len(existing))
        change.add(hamlet)
    else:
        change.touch(hamlet)
        hamlet.name, hamlet.deleted_at, hamlet.updated_at = clean, None, utc_now()
    return hamlet


def add_hamlet(workspace: Workspace, name: str) -> str:
    with record_change(workspace, "Thêm ấp") as change:
        hamlet = add_hamlet_in(change, name)
        change.label = f"Thêm ấp «{hamlet.name}»"
    return hamlet.id


def rename_hamlet_in(change: Recorder, hamlet_id: str, name: str) -> Hamlet:
    """Rename inside a change already open (the hamlets register changes the leader in the same step)."""
    (clean,) = clean_hamlet_names([name], _live_hamlet_names(change.session, hamlet_id)) or [""]
    if not clean:
        raise ValidationError("Ấp", "hamlets", PROFILE_FIELD_LABELS["hamlets"], "tên ấp không được để trống.")
    hamlet = change.session.get_one(Hamlet, hamlet_id)
    change.touch(hamlet)
    hamlet.name = clean
    hamlet.updated_at = utc_now()
    return hamlet


def rename_hamlet(workspace: Workspace, hamlet_id: str, name: str) -> None:
    with record_change(workspace, "Đổi tên ấp") as change:
        change.label = f"Đổi tên ấp thành «{rename_hamlet_in(change, hamlet_id, name).name}»"


def remove_hamlet(workspace: Workspace, hamlet_id: str) -> None:
    row = next((h for h in list_hamlets(workspace) if h.id == hamlet_id), None)
    if row is None:
        return
    if row.household_count:
        raise UserError(f"Không thể xóa ấp «{row.name}»: còn {row.household_count} hộ thuộc ấp này.")
    with record_change(workspace, f"Xóa ấp «{row.name}»") as change:
        hamlet = change.session.get_one(Hamlet, hamlet_id)
        change.touch(hamlet)
        hamlet.deleted_at = utc_now()
