"""The window's editing jobs from the command line: households and members, clans, units, citizens and their
results, rubrics and the recycle bin. Each is checked against what the services then read back, and each
refusal against the whole database: exit code 2, a Vietnamese reason naming the option, nothing written."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from khuyenhoc_desktop.domain.rubric_presets import FAMILY
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services import rubrics as rubric_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.citizens import list_results
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests import test_cli, test_cli_titles
from tests.test_cli import Cli
from tests.test_cli_titles import refused, table

# Shared fixtures: `cli` runs `khuyenhoc COMMAND --data-dir <test folder> …`, `commune` sets the folder up first,
# `households` adds 00001 Nguyễn Văn An (Vĩnh Thạnh), 00002 Trần Thị Bình (Phước Lợi), 00003 Lê Văn Cường (Đông Điền).
cli, commune, households = test_cli.cli, test_cli.commune, test_cli_titles.households

TABLES = ("household", "member", "clan", "unit", "citizen", "evaluation", "decision", "rubric", "hamlet", "audit_log")


def snapshot(data_dir: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every register, to prove a refused command wrote nothing at all."""
    with closing(sqlite3.connect(database_path(data_dir))) as connection:
        return {t: sorted(connection.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def refused_unchanged(cli: Cli, data_dir: Path, command: str, *options: str) -> str:
    before = snapshot(data_dir)
    message = refused(cli, command, *options)
    assert snapshot(data_dir) == before
    return message


def ok(cli: Cli, command: str, *options: str) -> str:
    result = cli(command, *options)
    assert (result.code, result.err) == (0, ""), result
    return result.out.strip()


@contextmanager
def opened(data_dir: Path) -> Iterator[Workspace]:
    """The folder as the services see it, after the commands have run."""
    workspace = Workspace.open(data_dir)
    try:
        yield workspace
    finally:
        workspace.close(backup=False)


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in profile_service.list_hamlets(workspace) if h.name == name)


def household_id(workspace: Workspace, code: str) -> str:
    found = household_service.find_household(workspace, code)
    assert found is not None
    return found


@pytest.fixture
def ready(households: Cli) -> Cli:
    """The households, with the rubric presets installed (they are installed by the first command reading
    rubrics), so a refusal's snapshot compares only what the refused command could have written."""
    table(households, "rubrics")
    return households


# --- households ---


def test_household_edit_changes_only_the_options_given(ready: Cli, data_dir: Path) -> None:
    cli = ready
    edited = ok(cli, "household-edit", "--code", "00001", "--new-code", "00011", "--hamlet", "phuoc loi",
                "--phone", "0909.123.456", "--birth-year", "1970", "--address", "Số 12, Rạch Kiến")  # fmt: skip
    assert edited == "Đã sửa hộ 00011 — chủ hộ Nguyễn Văn An, Ấp Phước Lợi."
    ok(cli, "household-edit", "--code", "00011", "--note", "Hộ cận nghèo", "--sex", "nu", "--head", "Nguyễn Thị An")
    with opened(data_dir) as workspace:
        saved = household_service.household_input(workspace, household_id(workspace, "00011"))
        assert (saved.code, saved.head_name, saved.hamlet_id, saved.head_birth_year, saved.head_sex) == (
            "00011", "Nguyễn Thị An", hamlet_id(workspace, "Ấp Phước Lợi"), 1970, "nu"
        )  # fmt: skip
        assert (saved.address, saved.phone, saved.note) == ("Số 12, Rạch Kiến", "0909123456", "Hộ cận nghèo")

    ok(cli, "household-edit", "--code", "00011", "--birth-year", "none", "--note", "")
    with opened(data_dir) as workspace:
        saved = household_service.household_input(workspace, household_id(workspace, "00011"))
        assert (saved.head_birth_year, saved.note, saved.address) == (None, "", "Số 12, Rạch Kiến")


def test_household_edit_refusals_name_the_option(ready: Cli, data_dir: Path) -> None:
    cli = ready
    assert refused_unchanged(cli, data_dir, "household-edit", "--code", "00001", "--new-code", "00002") == (
        "Hộ gia đình «00002» — ô «Mã hộ»: mã hộ «00002» đã có trong sổ (chủ hộ Trần Thị Bình). (tùy chọn --new-code)"
    )
    assert "(tùy chọn --phone)" in refused_unchanged(
        cli, data_dir, "household-edit", "--code", "00001", "--phone", "12"
    )
    assert refused_unchanged(cli, data_dir, "household-edit", "--code", "00001") == (
        "Chưa ghi gì để sửa: hãy ghi --new-code, --head, --hamlet, --birth-year, --sex, --address, --phone hoặc --note."
    )
    assert refused_unchanged(cli, data_dir, "household-edit", "--code", "00099", "--note", "x") == (
        "Không có hộ mã «00099» trong sổ."
    )
    assert refused_unchanged(cli, data_dir, "household-edit", "--code", "00001", "--hamlet", "Ấp Mới").startswith(
        "Không có ấp «Ấp Mới»."
    )
    bad_year = cli("household-edit", "--code", "00001", "--birth-year", "năm ngoái")
    assert bad_year.code == 2 and "«năm ngoái» không phải năm (ví dụ 2025) hay none" in bad_year.err


# --- members ---


def members(cli: Cli, code: str) -> list[dict[str, str]]:
    return table(cli, "members", "--code", code)


def test_members_are_listed_added_and_edited(ready: Cli, data_dir: Path) -> None:
    cli = ready
    added = ok(cli, "member-add", "--code", "00001", "--name", "Nguyễn Thị Lan", "--birth-year", "2012", "--sex", "nu",
               "--school", "Lớp 7A, Trường THCS Phước Vĩnh Tây", "--status", "thcs")  # fmt: skip
    assert added == "Đã thêm Nguyễn Thị Lan (con) vào hộ 00001."
    assert ok(cli, "member-add", "--code", "00001", "--name", "Phạm Thị Hoa", "--relation", "vo_chong") == (
        "Đã thêm Phạm Thị Hoa (vợ/chồng) vào hộ 00001."
    )
    assert members(cli, "00001") == [
        {"Họ tên": "Nguyễn Văn An", "Năm sinh": "", "Giới tính": "Nam", "Quan hệ với chủ hộ": "Chủ hộ",
         "Trường/lớp đang học": "", "Tình trạng học tập": "Không đi học"},
        {"Họ tên": "Nguyễn Thị Lan", "Năm sinh": "2012", "Giới tính": "Nữ", "Quan hệ với chủ hộ": "Con",
         "Trường/lớp đang học": "Lớp 7A, Trường THCS Phước Vĩnh Tây", "Tình trạng học tập": "Đang học THCS"},
        {"Họ tên": "Phạm Thị Hoa", "Năm sinh": "", "Giới tính": "Nam", "Quan hệ với chủ hộ": "Vợ/Chồng",
         "Trường/lớp đang học": "", "Tình trạng học tập": "Không đi học"},
    ]  # fmt: skip
    assert "Hộ 00001 — Ấp Vĩnh Thạnh: 3 thành viên." in cli("members", "--code", "00001").out

    edited = ok(cli, "member-edit", "--code", "00001", "--member", "pham thi hoa", "--sex", "nu", "--birth-year",
                "1972", "--status", "hoc_tap_suot_doi")  # fmt: skip
    assert edited == "Đã sửa Phạm Thị Hoa (hộ 00001): năm sinh, giới tính, tình trạng học tập."
    assert ok(cli, "member-edit", "--code", "00001", "--member", "Phạm Thị Hoa", "--sex", "nu") == (
        "Phạm Thị Hoa (hộ 00001): không có gì thay đổi."
    )
    # Naming a new head: the relation goes first, the old head becomes "Khác", the household is listed under her.
    ok(cli, "member-edit", "--code", "00001", "--member", "Phạm Thị Hoa", "--relation", "chu_ho", "--name",
       "Phạm Thị Hoà")  # fmt: skip
    with opened(data_dir) as workspace:
        rows = household_service.list_members(workspace, household_id(workspace, "00001"))
        assert [(m.full_name, m.birth_year, m.sex, m.relation, m.learning_status) for m in rows] == [
            ("Phạm Thị Hoà", 1972, "nu", "chu_ho", "hoc_tap_suot_doi"),
            ("Nguyễn Văn An", None, "nam", "khac", "khong_di_hoc"),
            ("Nguyễn Thị Lan", 2012, "nu", "con", "thcs"),
        ]
        assert household_service.list_households(workspace, [household_id(workspace, "00001")])[0].head_name == (
            "Phạm Thị Hoà"
        )


def test_member_edit_checks_every_field_before_writing_any(ready: Cli, data_dir: Path) -> None:
    cli = ready
    ok(cli, "member-add", "--code", "00001", "--name", "Nguyễn Thị Lan", "--birth-year", "2012")
    lan = ("member-edit", "--code", "00001", "--member", "nguyen thi lan")
    message = refused_unchanged(cli, data_dir, *lan, "--name", "Lan Anh", "--school", "Lớp 8A", "--birth-year", "1850")
    assert message.startswith("Thành viên «Lan Anh» của hộ «00001» — ô «Năm sinh»: năm sinh 1850")
    assert message.endswith("(tùy chọn --birth-year)")
    # The one refusal only writing can find — a head stepping down alone — comes before any other field is saved.
    message = refused_unchanged(cli, data_dir, "member-edit", "--code", "00001", "--member", "Nguyễn Văn An",
                                "--name", "Nguyễn Văn Ân", "--relation", "con")  # fmt: skip
    assert "mỗi hộ phải có một chủ hộ: hãy chọn người khác làm chủ hộ trước. (tùy chọn --relation)" in message
    assert refused_unchanged(cli, data_dir, "member-edit", "--code", "00001", "--member", "Nguyễn Thị Lan") == (
        "Chưa ghi gì để sửa: hãy ghi --name, --birth-year, --sex, --relation, --school hoặc --status."
    )
    assert "(tùy chọn --name)" in refused_unchanged(
        cli, data_dir, "member-add", "--code", "00001", "--name", " ", "--birth-year", "2015"
    )
    bad_status = cli("member-add", "--code", "00001", "--name", "Nguyễn Văn Bảo", "--status", "dang_hoc")
    assert bad_status.code == 2 and "tham số --status: giá trị không hợp lệ: 'dang_hoc'" in bad_status.err

    ok(cli, "member-add", "--code", "00001", "--name", "Nguyễn Thị Lan", "--birth-year", "2015")
    assert refused_unchanged(cli, data_dir, "member-edit", "--code", "00001", "--member", "nguyen thi lan",
                             "--school", "Lớp 3B") == (
        "«nguyen thi lan» khớp với nhiều thành viên hộ 00001: Nguyễn Thị Lan (sinh năm 2012), "
        "Nguyễn Thị Lan (sinh năm 2015). Hãy ghi rõ hơn."
    )  # fmt: skip
    ok(cli, "member-edit", "--code", "00001", "--member", "nguyen thi lan 2015", "--school", "Lớp 3B")
    assert [(m["Năm sinh"], m["Trường/lớp đang học"]) for m in members(cli, "00001")[1:]] == [
        ("2012", ""),
        ("2015", "Lớp 3B"),
    ]


def test_a_member_goes_to_the_bin_and_comes_back(ready: Cli, data_dir: Path) -> None:
    cli = ready
    ok(cli, "member-add", "--code", "00001", "--name", "Nguyễn Thị Lan", "--birth-year", "2012")
    ok(cli, "member-add", "--code", "00002", "--name", "Nguyễn Thị Lan", "--birth-year", "2010")
    deleted = ok(cli, "member-delete", "--code", "00001", "--member", "nguyen thi lan")
    assert deleted == (
        "Đã chuyển Nguyễn Thị Lan (hộ 00001) vào thùng rác. "
        'Lấy lại bằng: khuyenhoc member-restore --code 00001 --member "Nguyễn Thị Lan"'
    )
    assert [m["Họ tên"] for m in members(cli, "00001")] == ["Nguyễn Văn An"]
    assert refused_unchanged(cli, data_dir, "member-delete", "--code", "00001", "--member", "Nguyễn Văn An") == (
        "Không thể xóa chủ hộ Nguyễn Văn An: hãy chọn người khác làm chủ hộ trước, hoặc xóa cả hộ."
    )
    assert refused_unchanged(cli, data_dir, "member-restore", "--code", "00002", "--member", "Nguyễn Thị Lan") == (
        "Không có thành viên đã xóa của hộ 00002 «Nguyễn Thị Lan»."
    )

    assert ok(cli, "member-restore", "--code", "00001", "--member", "Nguyễn Thị Lan") == (
        "Đã khôi phục Nguyễn Thị Lan vào hộ 00001."
    )
    with opened(data_dir) as workspace:
        rows = household_service.list_members(workspace, household_id(workspace, "00001"))
        assert [(m.full_name, m.birth_year) for m in rows] == [("Nguyễn Văn An", None), ("Nguyễn Thị Lan", 2012)]
    assert refused(cli, "member-restore", "--code", "00001", "--member", "Nguyễn Thị Lan").startswith(
        "Không có thành viên đã xóa của hộ 00001 «Nguyễn Thị Lan»."
    )


# --- clans and units ---


def test_clan_edit_renames_and_relinks(ready: Cli, data_dir: Path) -> None:
    cli = ready
    ok(cli, "clan-add", "--name", "Họ Nguyễn Văn", "--hamlet", "Vĩnh Thạnh", "--household", "00001")
    ok(cli, "clan-add", "--name", "Họ Lê", "--hamlet", "Đông Điền")
    edited = ok(cli, "clan-edit", "--name", "ho nguyen van", "--new-name", "Dòng họ Nguyễn Văn", "--representative",
                "Nguyễn Văn An", "--add-hamlet", "dong dien", "--remove-hamlet", "Vĩnh Thạnh", "--add-household",
                "00003", "--add-household", "00002", "--remove-household", "00001")  # fmt: skip
    assert edited == "Đã sửa dòng họ «Dòng họ Nguyễn Văn» — Ấp Đông Điền; 2 hộ thành viên."
    with opened(data_dir) as workspace:
        clan = next(c for c in clan_service.list_clans(workspace) if c.name == "Dòng họ Nguyễn Văn")
        saved = clan_service.clan_input(workspace, clan.id)
        assert saved.representative == "Nguyễn Văn An"
        assert saved.hamlet_ids == (hamlet_id(workspace, "Ấp Đông Điền"),)
        assert saved.household_ids == (household_id(workspace, "00003"), household_id(workspace, "00002"))

    clan = ("clan-edit", "--name", "Dòng họ Nguyễn Văn")
    assert refused_unchanged(cli, data_dir, *clan, "--remove-hamlet", "Đông Điền") == (
        "Dòng họ «Dòng họ Nguyễn Văn» — ô «Các ấp có dòng họ»: hãy chọn ít nhất một ấp có dòng họ sinh sống. "
        "(tùy chọn --remove-hamlet)"
    )
    assert refused_unchanged(cli, data_dir, *clan, "--add-hamlet", "Đông Điền") == (
        "Ấp Đông Điền đã thuộc dòng họ «Dòng họ Nguyễn Văn» (tùy chọn --add-hamlet)."
    )
    assert refused_unchanged(cli, data_dir, *clan, "--remove-household", "00001") == (
        "Hộ 00001 không thuộc dòng họ «Dòng họ Nguyễn Văn» (tùy chọn --remove-household)."
    )
    assert refused_unchanged(cli, data_dir, *clan, "--new-name", "họ le") == (
        "Dòng họ «họ le» — ô «Tên dòng họ»: trùng với dòng họ «Họ Lê» đã có trong sổ. (tùy chọn --new-name)"
    )
    assert refused_unchanged(cli, data_dir, *clan) == (
        "Chưa ghi gì để sửa: hãy ghi --new-name, --representative, --note, --add-hamlet, --remove-hamlet, "
        "--add-household hoặc --remove-household."
    )
    assert refused_unchanged(cli, data_dir, "clan-edit", "--name", "Họ Trần", "--note", "x") == (
        "Không có dòng họ «Họ Trần». Các dòng họ hiện có: Họ Lê, Dòng họ Nguyễn Văn."
    )


def test_unit_edit_changes_only_the_options_given(ready: Cli, data_dir: Path) -> None:
    cli = ready
    ok(cli, "unit-add", "--name", "Trường Tiểu học Phước Vĩnh Tây", "--kind", "truong_hoc", "--head", "Phạm Thị Hạnh",
       "--staff", "35", "--hamlet", "Phước Lợi", "--phone", "0909123456")  # fmt: skip
    ok(cli, "unit-add", "--name", "Hợp tác xã Vĩnh Thạnh", "--kind", "hop_tac_xa")
    edited = ok(cli, "unit-edit", "--name", "truong tieu hoc", "--new-name", "Trường Tiểu học Phước Vĩnh Tây A",
                "--staff", "40", "--hamlet", "", "--head", "Võ Văn Tâm")  # fmt: skip
    assert edited == "Đã sửa đơn vị «Trường Tiểu học Phước Vĩnh Tây A» — trường học (cấp xã, không thuộc ấp nào)."
    assert ok(cli, "unit-edit", "--name", "hop tac xa", "--hamlet", "vinh thanh", "--kind", "doanh_nghiep") == (
        "Đã sửa đơn vị «Hợp tác xã Vĩnh Thạnh» — doanh nghiệp, Ấp Vĩnh Thạnh."
    )
    with opened(data_dir) as workspace:
        school = next(u for u in unit_service.list_units(workspace) if u.name.startswith("Trường"))
        saved = unit_service.unit_input(workspace, school.id)
        assert (saved.name, saved.kind, saved.head_name, saved.staff_count, saved.hamlet_id, saved.phone) == (
            "Trường Tiểu học Phước Vĩnh Tây A", "truong_hoc", "Võ Văn Tâm", 40, None, "0909123456"
        )  # fmt: skip

    unit = ("unit-edit", "--name", "Hợp tác xã Vĩnh Thạnh")
    assert refused_unchanged(cli, data_dir, *unit, "--staff", "-1") == (
        "Đơn vị «Hợp tác xã Vĩnh Thạnh» — ô «Số cán bộ, nhân viên»: phải từ 0 đến 100.000 người. (tùy chọn --staff)"
    )
    assert refused_unchanged(cli, data_dir, *unit, "--new-name", "truong tieu hoc phuoc vinh tay a").endswith(
        "đã có trong sổ. (tùy chọn --new-name)"
    )
    assert "(tùy chọn --phone)" in refused_unchanged(cli, data_dir, *unit, "--phone", "12")
    assert refused_unchanged(cli, data_dir, *unit).startswith("Chưa ghi gì để sửa: hãy ghi --new-name, --kind,")
    bad_kind = cli(*unit, "--kind", "truong")
    assert bad_kind.code == 2 and "giá trị không hợp lệ: 'truong'" in bad_kind.err


# --- citizens and their results ---


def test_a_citizen_result_and_then_the_citizen_are_deleted(ready: Cli, data_dir: Path) -> None:
    cli = ready
    ok(cli, "citizen-add", "--member", "00001:Nguyễn Văn An")
    ok(cli, "register", "--title", "cong_dan", "--subject", "nguyen van an")
    assert refused_unchanged(cli, data_dir, "citizen-delete", "--citizen", "nguyen van an") == (
        "Nguyễn Văn An còn kết quả năm 2025: hãy xóa các kết quả đó trước khi xóa người này khỏi danh sách."
    )
    assert ok(cli, "result-delete", "--citizen", "Nguyễn Văn An", "--year", "2025") == (
        "Đã chuyển kết quả Công dân học tập năm 2025 của Nguyễn Văn An vào thùng rác; "
        "người này vẫn trong danh sách công dân."
    )
    with opened(data_dir) as workspace:
        assert [(r.full_name, r.evaluation_id) for r in list_results(workspace, 2025)] == [("Nguyễn Văn An", None)]
    assert refused_unchanged(cli, data_dir, "result-delete", "--citizen", "nguyen van an") == (
        "Nguyễn Văn An chưa có kết quả năm 2025."
    )

    deleted = ok(cli, "citizen-delete", "--citizen", "nguyen van an")
    assert deleted == (
        "Đã chuyển Nguyễn Văn An khỏi danh sách công dân vào thùng rác. "
        'Lấy lại bằng: khuyenhoc bin-restore --kind citizen --label "Nguyễn Văn An"'
    )
    with opened(data_dir) as workspace:
        assert list_results(workspace, 2025) == []
    assert refused_unchanged(cli, data_dir, "citizen-delete", "--citizen", "Nguyễn Văn An") == (
        "Không có công dân «Nguyễn Văn An»."
    )
    assert ok(cli, "bin-restore", "--kind", "citizen", "--label", "nguyen van an") == (
        "Đã khôi phục công dân «Nguyễn Văn An» từ thùng rác."
    )
    assert [r["Họ và tên"] for r in table(cli, "citizens")] == ["Nguyễn Văn An"]


def test_citizens_of_one_name_are_told_apart_by_birth_year(commune: Cli, data_dir: Path) -> None:
    cli = commune
    ok(cli, "unit-add", "--name", "Trường Tiểu học Phước Vĩnh Tây", "--kind", "truong_hoc")
    for born in ("1980", "1992"):
        ok(cli, "citizen-add", "--unit", "truong", "--name", "Phạm Thị Hạnh", "--birth-year", born, "--sex", "nu")
    assert refused_unchanged(cli, data_dir, "citizen-delete", "--citizen", "pham thi hanh").startswith(
        "«pham thi hanh» khớp với nhiều công dân:"
    )
    ok(cli, "citizen-delete", "--citizen", "pham thi hanh 1992")
    assert [(r["Họ và tên"], r["Năm sinh"]) for r in table(cli, "citizens")] == [("Phạm Thị Hạnh", "1980")]


# --- rubrics ---


def rubric_id(cli: Cli, title: str, version: str = "1") -> str:
    return next(r["Mã"] for r in table(cli, "rubrics", "--title", title) if r["Phiên bản"] == version)


def test_an_unused_rubric_is_changed_in_place(commune: Cli, data_dir: Path) -> None:
    cli = commune
    copy = ok(cli, "rubric-copy", "--id", rubric_id(cli, "cong_dan")).split()[-1]
    changed = ok(cli, "rubric-set", "--id", copy[:8], "--name", "Công dân học tập tỉnh Tây Ninh", "--pass-mark", "75",
                 "--valid-from", "2025", "--valid-to", "2030", "--points", "1=15", "--min", "4=none", "--min",
                 "5=3")  # fmt: skip
    assert changed == (
        "Đã sửa Công dân học tập — «Công dân học tập tỉnh Tây Ninh» phiên bản 2 (chưa dùng để chấm nên sửa tại chỗ), "
        f"mã:\n{copy}"
    )
    with opened(data_dir) as workspace:
        saved = rubric_service.get_rubric(workspace, copy)
        indicators = {i.code: (i.max_points, i.min_points) for i in saved.indicators}
    assert (saved.name, saved.pass_mark, saved.valid_from, saved.valid_to, saved.max_points) == (
        "Công dân học tập tỉnh Tây Ninh", 75, 2025, 2030, 105
    )  # fmt: skip
    assert [indicators[code] for code in ("1", "4", "5", "6")] == [(15, 5), (10, None), (10, 3), (10, 5)]

    ok(cli, "rubric-set", "--id", copy, "--valid-to", "none")
    with opened(data_dir) as workspace:
        assert rubric_service.get_rubric(workspace, copy).valid_to is None


def test_a_used_rubric_is_kept_and_the_change_becomes_a_new_version(households: Cli, data_dir: Path) -> None:
    cli = households
    family = rubric_id(cli, "gia_dinh")
    ok(cli, "register", "--title", "gia_dinh", "--subject", "00001")
    ok(cli, "score", "--title", "gia_dinh", "--subject", "00001", "--point", "1.1=10")

    changed = ok(cli, "rubric-set", "--id", family, "--pass-mark", "85", "--points", "1.1=12")
    new_id = changed.split()[-1]
    assert changed == (
        "Gia đình học tập — «Gia đình học tập» phiên bản 1 đã được dùng để chấm nên giữ nguyên; "
        f"thay đổi được lưu thành phiên bản 2, mã:\n{new_id}"
    )
    with opened(data_dir) as workspace:
        kept, saved = (rubric_service.get_rubric(workspace, i) for i in (family, new_id))
    assert (kept.version, kept.pass_mark, kept.criteria) == (1, FAMILY.pass_mark, FAMILY.criteria)
    assert (saved.version, saved.pass_mark, saved.indicators[0].max_points) == (2, 85, 12)


def test_rubric_set_refusals_name_the_option(ready: Cli, data_dir: Path) -> None:
    cli = ready
    rubric = ("rubric-set", "--id", rubric_id(cli, "cong_dan"))
    assert refused_unchanged(cli, data_dir, *rubric, "--points", "11=10") == (
        "Công dân học tập — «Công dân học tập» phiên bản 1 không có chỉ tiêu «11» (tùy chọn --points). "
        "Các chỉ tiêu: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10."
    )
    assert refused_unchanged(cli, data_dir, *rubric, "--pass-mark", "120") == (
        "Bộ tiêu chí «Công dân học tập» — ô «Điểm đạt»: phải lớn hơn 0 và không quá tổng 100 điểm. "
        "(tùy chọn --pass-mark)"
    )
    assert refused_unchanged(cli, data_dir, *rubric, "--min", "3=12").endswith(
        "ô «Chỉ tiêu 3»: điểm tối thiểu phải từ 0 đến 10. (tùy chọn --points, --min)"
    )
    assert refused_unchanged(cli, data_dir, *rubric, "--valid-to", "2020").endswith(
        "ô «Áp dụng đến năm»: không được trước năm bắt đầu áp dụng. (tùy chọn --valid-to)"
    )
    assert refused_unchanged(cli, data_dir, *rubric) == (
        "Chưa ghi gì để sửa: hãy ghi --name, --pass-mark, --valid-from, --valid-to, --points hoặc --min."
    )
    bad_points = cli(*rubric, "--points", "1:15")
    assert bad_points.code == 2 and "«1:15» không đúng dạng MÃ=ĐIỂM" in bad_points.err


def test_a_rubric_goes_to_the_bin_unless_it_was_used(households: Cli, data_dir: Path) -> None:
    cli = households
    copy = ok(cli, "rubric-copy", "--id", rubric_id(cli, "cong_dan")).split()[-1]
    assert ok(cli, "rubric-delete", "--id", copy[:8]) == (
        "Đã chuyển Công dân học tập — «Công dân học tập» phiên bản 2 vào thùng rác. "
        f"Lấy lại bằng: khuyenhoc rubric-restore --id {copy}"
    )
    assert [r["Phiên bản"] for r in table(cli, "rubrics", "--title", "cong_dan")] == ["1"]
    assert refused_unchanged(cli, data_dir, "rubric-restore", "--id", rubric_id(cli, "cong_dan")) == (
        f"Thùng rác không có bộ tiêu chí mã «{rubric_id(cli, 'cong_dan')}». Xem thùng rác bằng lệnh «khuyenhoc bin»."
    )
    assert ok(cli, "rubric-restore", "--id", copy[:8]) == (
        "Đã khôi phục Công dân học tập — «Công dân học tập» phiên bản 2 từ thùng rác."
    )
    with opened(data_dir) as workspace:
        assert copy in [r.id for r in rubric_service.list_rubrics(workspace, "cong_dan")]

    ok(cli, "register", "--title", "gia_dinh", "--subject", "00001")
    ok(cli, "score", "--title", "gia_dinh", "--subject", "00001", "--point", "1.1=10")
    assert refused_unchanged(cli, data_dir, "rubric-delete", "--id", rubric_id(cli, "gia_dinh")) == (
        "Bộ tiêu chí «Gia đình học tập» phiên bản 1 đã được dùng để chấm nên không xóa được. "
        "Muốn ngừng dùng, hãy đặt năm kết thúc áp dụng."
    )


# --- the recycle bin ---


@pytest.fixture
def saigon_clock() -> Iterator[None]:
    """The officer's clock on UTC+7, whatever the test machine's zone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Ho_Chi_Minh")
        time.tzset()
        yield
    time.tzset()


def set_deleted_at(data_dir: Path, table_name: str, when: str) -> None:
    with closing(sqlite3.connect(database_path(data_dir))) as connection, connection:
        connection.execute(f"UPDATE {table_name} SET deleted_at = ? WHERE deleted_at IS NOT NULL", (when,))


@pytest.mark.usefixtures("saigon_clock")
def test_the_bin_lists_every_register_newest_first_in_local_time(ready: Cli, data_dir: Path) -> None:
    cli = ready
    assert "Thùng rác trống." in cli("bin").out
    assert table(cli, "bin") == []
    ok(cli, "unit-add", "--name", "Hợp tác xã Vĩnh Thạnh", "--kind", "hop_tac_xa", "--hamlet", "Vĩnh Thạnh")
    ok(cli, "unit-delete", "--name", "Hợp tác xã Vĩnh Thạnh")
    set_deleted_at(data_dir, "unit", "2025-12-14T17:05:00Z")
    ok(cli, "household-delete", "--code", "00002")
    set_deleted_at(data_dir, "household", "2025-12-15T01:30:00Z")

    assert table(cli, "bin") == [
        {"Loại": "Hộ gia đình", "Bản ghi": "Hộ 00002 — Trần Thị Bình", "Thuộc": "Ấp Phước Lợi",
         "Thời điểm xóa": "15/12/2025 08:30"},
        {"Loại": "Đơn vị", "Bản ghi": "Hợp tác xã Vĩnh Thạnh", "Thuộc": "Hợp tác xã — Ấp Vĩnh Thạnh",
         "Thời điểm xóa": "15/12/2025 00:05"},
    ]  # fmt: skip
    assert (
        "Thùng rác có 2 bản ghi. Lấy lại bằng: khuyenhoc bin-restore --kind LOẠI --label TÊN; "
        "LOẠI: household (Hộ gia đình), unit (Đơn vị)."
    ) in cli("bin").out

    assert ok(cli, "bin-restore", "--kind", "household", "--label", "00002") == (
        "Đã khôi phục hộ gia đình «Hộ 00002 — Trần Thị Bình (Ấp Phước Lợi)» từ thùng rác."
    )
    assert [h["Mã hộ"] for h in table(cli, "households")] == ["00001", "00002", "00003"]
    assert refused_unchanged(cli, data_dir, "bin-restore", "--kind", "household", "--label", "00002") == (
        "Không có hộ gia đình đã xóa «00002»."
    )
    assert refused_unchanged(cli, data_dir, "bin-restore", "--kind", "unit", "--label", "truong") == (
        "Không có đơn vị đã xóa «truong». "
        "Các đơn vị đã xóa hiện có: Hợp tác xã Vĩnh Thạnh (Hợp tác xã — Ấp Vĩnh Thạnh)."
    )
    bad_kind = cli("bin-restore", "--kind", "ho", "--label", "00002")
    assert bad_kind.code == 2 and "tham số --kind: giá trị không hợp lệ: 'ho'" in bad_kind.err


def test_bin_restore_tells_records_of_one_name_apart_by_their_detail(ready: Cli, data_dir: Path) -> None:
    cli = ready
    for code in ("00001", "00002"):
        ok(cli, "member-add", "--code", code, "--name", "Nguyễn Thị Lan")
        ok(cli, "member-delete", "--code", code, "--member", "Nguyễn Thị Lan")
    assert refused_unchanged(cli, data_dir, "bin-restore", "--kind", "member", "--label", "Nguyễn Thị Lan") == (
        "«Nguyễn Thị Lan» khớp với nhiều thành viên đã xóa: Nguyễn Thị Lan (Thành viên hộ 00001), "
        "Nguyễn Thị Lan (Thành viên hộ 00002). Hãy ghi rõ hơn."
    )
    assert ok(cli, "bin-restore", "--kind", "member", "--label", "nguyen thi lan 00002") == (
        "Đã khôi phục thành viên «Nguyễn Thị Lan (Thành viên hộ 00002)» từ thùng rác."
    )
    assert [m["Họ tên"] for m in members(cli, "00002")] == ["Trần Thị Bình", "Nguyễn Thị Lan"]
    assert [m["Họ tên"] for m in members(cli, "00001")] == ["Nguyễn Văn An"]
    assert [(r["Loại"], r["Bản ghi"], r["Thuộc"]) for r in table(cli, "bin")] == [
        ("Thành viên", "Nguyễn Thị Lan", "Thành viên hộ 00001")
    ]
