"""A demo consolidating office: a province office that has received the signed packages of a few demo communes,
so an officer (or a screenshot) sees the submission board, the communes' records and the consolidated report with
real figures. Every step goes through the same services a real office uses: commune demo, export, key
enrolment from the key file, verified import."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import merge, office, packages, trust
from khuyenhoc_desktop.services.demo import create_demo
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

DEFAULT_OFFICE_PROVINCE = "80"  # Tây Ninh, which took in Long An in 2025
DEFAULT_OFFICE_COMMUNES = 6
DEFAULT_OFFICE_HOUSEHOLDS = 400  # per commune: enough for real rates, quick to build


@dataclass(frozen=True)
class OfficeDemoSummary:
    data_dir: Path
    office_name: str
    communes_listed: int
    communes_received: int
    households: int
    period: int


def create_demo_office(
    data_dir: Path,
    communes: int = DEFAULT_OFFICE_COMMUNES,
    households: int = DEFAULT_OFFICE_HOUSEHOLDS,
    seed: int = 2025,
    progress: Callable[[int, int], None] | None = None,
) -> OfficeDemoSummary:
    """Set up `data_dir` as Tây Ninh's province office holding `communes` demo communes' packages; the rest of
    the province's communes have sent nothing yet. Refuses a folder that is already set up."""
    listed = admin_units.communes(DEFAULT_OFFICE_PROVINCE)
    if not 1 <= communes <= len(listed):
        raise UserError(f"Số xã mẫu gửi gói phải từ 1 đến {len(listed)}.")
    workspace = Workspace.open(data_dir)
    try:
        if workspace.is_set_up:
            raise UserError(
                f"Thư mục {data_dir} đã có dữ liệu; cơ quan tổng hợp mẫu chỉ được tạo trong một thư mục trống."
            )
        info = office.init_office(workspace, office.Level.PROVINCE, DEFAULT_OFFICE_PROVINCE)
        with tempfile.TemporaryDirectory(prefix="khuyenhoc-xa-mau-") as scratch:
            made: list[Path] = []
            period = workspace.working_year
            for number, unit in enumerate(listed[:communes]):
                commune_dir = Path(scratch) / unit.code
                create_demo(commune_dir, households, seed + number, unit.code)
                commune = Workspace.open(commune_dir)
                try:
                    key_file = Path(scratch) / f"{unit.code}.pub"
                    keys.export_public(commune.data_dir, key_file)
                    trust.enrol_key(workspace, unit.code, keys.read_public(key_file), None, trust.KeySource.KEY_FILE)
                    made.append(packages.export_package(commune, period, Path(scratch)).path)
                finally:
                    commune.close(backup=False)
                if progress:
                    progress(number + 1, communes + 1)
            merge.apply_all(workspace, made)
            if progress:
                progress(communes + 1, communes + 1)
        with session_scope(workspace.engine) as session:
            received = session.execute(
                text("SELECT count(*) FROM office_households WHERE period = :p"), {"p": str(period)}
            ).scalar_one()
        return OfficeDemoSummary(data_dir, info.name, len(listed), communes, int(received), period)
    finally:
        workspace.close(backup=False)
