"""The demo consolidating office: real commune packages, enrolled keys and verified imports behind it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import office, trust
from khuyenhoc_desktop.services.demo_office import create_demo_office
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path


def test_demo_office_holds_the_packages_of_its_first_communes(tmp_path: Path) -> None:
    summary = create_demo_office(tmp_path / "tinh", communes=2, households=30, seed=7)
    assert (summary.office_name, summary.communes_listed, summary.communes_received) == ("Tây Ninh", 96, 2)
    workspace = Workspace.open(tmp_path / "tinh")
    try:
        listed = [c.code for c in office.list_communes(workspace)]
        enrolled = {k.commune_code for k in trust.keys_of(workspace)}
    finally:
        workspace.close(backup=False)
    with closing(sqlite3.connect(database_path(tmp_path / "tinh"))) as connection:
        applied = connection.execute(
            "SELECT commune_code, sequence FROM received_package WHERE status = 'applied' ORDER BY commune_code"
        ).fetchall()
        per_commune = dict(
            connection.execute("SELECT commune_code, count(*) FROM office_households GROUP BY commune_code")
        )
    assert len(listed) == 96 and enrolled == {code for code, _ in applied} and len(applied) == 2
    assert all(sequence == 1 for _, sequence in applied)
    assert sum(per_commune.values()) == summary.households and all(28 <= n <= 30 for n in per_commune.values())


def test_demo_office_refuses_a_folder_in_use(tmp_path: Path) -> None:
    create_demo_office(tmp_path / "tinh", communes=1, households=5)
    with pytest.raises(UserError, match="đã có dữ liệu"):
        create_demo_office(tmp_path / "tinh", communes=1, households=5)


def test_demo_command_builds_the_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(tmp_path / "tinh")
    assert main(["demo", "--office", "--communes", "1", "--households", "10", "--data-dir", folder]) == 0
    assert "1/96 xã, phường đã gửi gói số liệu" in capsys.readouterr().out
    assert main(["demo", "--communes", "1", "--data-dir", str(tmp_path / "xa")]) == 2
    assert "--communes chỉ dùng cùng --office" in capsys.readouterr().err
