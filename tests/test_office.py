"""The consolidating office's workspace: its level, name and communes from the 2025 list (issue 6)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.migrations import migrate
from khuyenhoc_desktop.storage.paths import database_path


def test_province_office_sets_up_the_folder_and_lists_all_its_communes(blank_workspace: Workspace) -> None:
    info = office.init_office(blank_workspace, "tinh", "80")

    assert info.level == "tinh" and info.code == "80" and "Tây Ninh" in info.name
    profile = blank_workspace.profile
    assert profile is not None and profile.role == Role.CONSOLIDATING_OFFICE and profile.province_code == "80"
    communes = office.list_communes(blank_workspace)
    assert len(communes) == 96
    assert ("28201", "Xã Phước Vĩnh Tây") in {(c.code, c.name) for c in communes}
    assert office.office_info(blank_workspace) == info


def test_district_office_takes_the_communes_given(blank_workspace: Workspace) -> None:
    office.init_office(blank_workspace, "huyen", "H-CG", "Huyện Cần Giuộc (cũ)", ["28201", "28201", "25480"])
    codes = [c.code for c in office.list_communes(blank_workspace)]
    assert sorted(codes) == ["25480", "28201"]
    assert office.office_info(blank_workspace) == office.OfficeInfo("huyen", "H-CG", "Huyện Cần Giuộc (cũ)")


def test_cluster_needs_a_name_communes_and_real_codes(blank_workspace: Workspace) -> None:
    with pytest.raises(UserError, match="mã các xã"):
        office.init_office(blank_workspace, "cum", "C1", "Cụm 1")
    with pytest.raises(UserError, match="tên cơ quan"):
        office.init_office(blank_workspace, "cum", "C1", None, ["28201"])
    with pytest.raises(UserError, match="99999"):
        office.init_office(blank_workspace, "cum", "C1", "Cụm 1", ["99999"])
    assert not blank_workspace.is_set_up
    office.init_office(blank_workspace, "cum", "C1", "Cụm 1", ["28201"])
    with pytest.raises(UserError, match="đã được thiết lập"):
        office.init_office(blank_workspace, "cum", "C1", "Cụm 1", ["28201"])


def test_merged_commune_keeps_its_old_name(blank_workspace: Workspace) -> None:
    office.init_office(blank_workspace, "cum", "C1", "Cụm 1", ["28201", "25480"])
    office.mark_merged(blank_workspace, "25480", "28201")

    rows = {c.code: c for c in office.list_communes(blank_workspace)}
    merged = rows["25480"]
    assert merged.merged_into_code == "28201" and merged.merged_into_name == "Xã Phước Vĩnh Tây"
    assert merged.name != "" and rows["28201"].merged_into_code is None
    with pytest.raises(UserError, match="chính nó"):
        office.mark_merged(blank_workspace, "28201", "28201")
    with pytest.raises(UserError, match="không có trong danh sách"):
        office.mark_merged(blank_workspace, "28201", "25672")
    with pytest.raises(UserError, match="đã sáp nhập"):
        office.mark_merged(blank_workspace, "28201", "25480")


def test_commune_folder_is_refused(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="của một xã"):
        office.init_office(workspace, "tinh", "80")
    assert office.office_info(workspace) is None


def test_version_5_database_gains_the_office_tables(data_dir: Path) -> None:
    data_dir.mkdir()
    path = database_path(data_dir)
    assert migrate(path, data_dir, upto=5) == 5
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("INSERT INTO hamlet (id, name, created_at, updated_at) VALUES ('h', 'Ấp 1', 'x', 'x')")
        connection.commit()
    assert migrate(path, data_dir, upto=6) == 6
    with closing(sqlite3.connect(path)) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"office", "office_commune", "trusted_key"} <= names
        assert connection.execute("SELECT name FROM hamlet").fetchall() == [("Ấp 1",)]


def test_a_legacy_district_lists_an_old_commune_under_its_old_code_and_name(blank_workspace: Workspace) -> None:
    office.init_office(blank_workspace, "huyen", "CG", "Huyện Cần Giuộc (cũ)", ["28159"])
    for code, name, into, refusal in (
        ("2790", "Xã Phước Lại", None, "5 chữ số"),
        ("27901", "  ", None, "hãy ghi tên cũ"),
        ("27925", "Xã Phước Lại", None, "Xã Đức Huệ theo danh mục năm 2025"),
        ("28159", "Xã Cần Giuộc", None, "đã có trong danh sách"),
        ("27901", "Xã Phước Lại", "28201", "không có trong danh sách"),
    ):
        with pytest.raises(UserError, match=refusal):
            office.add_old_commune(blank_workspace, code, name, into)
    assert [c.code for c in office.list_communes(blank_workspace)] == ["28159"]

    added = office.add_old_commune(blank_workspace, "27901", "Xã  Phước Lại", "28159")
    assert (added.name, added.merged_into_code, added.merged_into_name) == ("Xã Phước Lại", "28159", "Xã Cần Giuộc")
    assert blank_workspace.history.undo_label == "Thêm xã cũ Xã Phước Lại (mã 27901), đã sáp nhập vào Xã Cần Giuộc"
    with pytest.raises(UserError, match="đã sáp nhập vào Xã Cần Giuộc"):
        office.add_old_commune(blank_workspace, "27902", "Xã Long Hậu", "27901")


def test_office_add_commune_command(blank_workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from khuyenhoc_desktop.cli import main

    office.init_office(blank_workspace, "huyen", "CG", "Huyện Cần Giuộc (cũ)", ["28159"])
    folder = str(blank_workspace.data_dir)
    argv = ["office", "add-commune", "--data-dir", folder, "--code", "27901", "--name", "Xã Phước Lại"]
    assert main([*argv, "--into", "28159"]) == 0
    assert "Đã thêm xã, phường cũ Xã Phước Lại (mã 27901), đã sáp nhập vào Xã Cần Giuộc" in capsys.readouterr().out
    assert main(argv) == 2
    assert "đã có trong danh sách" in capsys.readouterr().err
