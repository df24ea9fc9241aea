"""The learning titles from the command line: the registers, rubrics, the yearly cycle and the citizens' import,
scripted the way an office would, with every refusal in Vietnamese, exit code 2 and nothing written."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook

from khuyenhoc_desktop.domain.rubric_presets import FAMILY
from khuyenhoc_desktop.storage.paths import database_path
from tests import test_cli
from tests.test_cli import Cli

# test_cli's fixtures: `cli` runs `khuyenhoc COMMAND --data-dir <test folder> …`, `commune` sets the folder up first.
cli, commune = test_cli.cli, test_cli.commune

FAMILY_TITLE = ("--title", "gia_dinh")


def table(cli: Cli, command: str, *options: str) -> list[dict[str, str]]:
    """A list command's CSV output as rows keyed by header."""
    result = cli(command, *options, "--format", "csv")
    assert result.code == 0, result.err
    return list(csv.DictReader(io.StringIO(result.out)))


def count(data_dir: Path, table_name: str) -> int:
    with closing(sqlite3.connect(database_path(data_dir))) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table_name}").fetchone()[0])


def family_points(**changes: int) -> list[str]:
    """`--point` options for every indicator of the family preset except 1.1 (left to --prefill): full points,
    but for `changes` (keys "2_1" for indicator 2.1)."""
    given = {i.code: i.max_points for i in FAMILY.indicators if i.code != "1.1"}
    given.update({code.replace("_", "."): points for code, points in changes.items()})
    return [option for code, points in given.items() for option in ("--point", f"{code}={points}")]


def refused(cli: Cli, command: str, *options: str) -> str:
    """Run a command that must be refused; return its Vietnamese reason."""
    result = cli(command, *options)
    assert (result.code, result.out) == (2, ""), result
    return result.err.strip()


@pytest.fixture
def households(commune: Cli) -> Cli:
    for code, head, hamlet in (
        ("00001", "Nguyễn Văn An", "Vĩnh Thạnh"),
        ("00002", "Trần Thị Bình", "Phước Lợi"),
        ("00003", "Lê Văn Cường", "Đông Điền"),
    ):
        assert commune("household-add", "--code", code, "--head", head, "--hamlet", hamlet).code == 0
    return commune


def test_a_family_year_from_registration_to_decision(households: Cli) -> None:
    cli = households
    registered = cli("register", *FAMILY_TITLE, "--all", "--date", "15/03/2025")
    assert registered.code == 0, registered.err
    assert registered.out.strip() == "Đã đăng ký Gia đình học tập năm 2025 (ngày 15/03/2025): 3 hồ sơ."

    passed = cli("score", *FAMILY_TITLE, "--subject", "00001", "--prefill", *family_points())
    assert passed.code == 0, passed.err
    assert "hộ 00001 (Nguyễn Văn An): 100/100 điểm — Đạt" in passed.out
    assert "Hộ không có trẻ trong độ tuổi đi học" in passed.out  # 1.1 filled from the members, and why
    failed = cli(
        "score",
        *FAMILY_TITLE,
        "--subject",
        "tran thi binh",
        "--prefill",
        *family_points(**{"2_1": 0, "2_2": 0, "4_4": 2}),
    )
    assert failed.code == 0, failed.err
    assert "hộ 00002 (Trần Thị Bình): 77/100 điểm — Chưa đạt: thiếu 3 điểm" in failed.out
    rescored = cli("score", *FAMILY_TITLE, "--subject", "00003", "--point", "1.1=10", *family_points(**{"4_4": 0}))
    assert "95/100 điểm — Đạt" in rescored.out

    recognised = cli("recognise", *FAMILY_TITLE, "--all-passed", "--number", "12/QĐ-KH", "--date", "20/11/2025")
    assert recognised.code == 0, recognised.err
    assert "theo quyết định số 12/QĐ-KH ngày 20/11/2025 (Chủ tịch Nguyễn Văn Tư): 2 hồ sơ." in recognised.out

    rows = {row["Chi tiết"]: row for row in table(cli, "evaluations", *FAMILY_TITLE)}
    assert {code: (row["Điểm"], row["Trạng thái"], row["Số quyết định"]) for code, row in rows.items()} == {
        "Hộ 00001": ("100", "Đã công nhận", "12/QĐ-KH"),
        "Hộ 00002": ("77", "Đã chấm — chưa đạt", ""),
        "Hộ 00003": ("95", "Đã công nhận", "12/QĐ-KH"),
    }
    assert rows["Hộ 00002"]["Kết quả"] == "Chưa đạt: thiếu 3 điểm"
    listed = cli("evaluations", *FAMILY_TITLE, "--status", "cong_nhan")
    assert "Gia đình học tập năm 2025: hiện 2/3 hồ sơ — 1 đã chấm — chưa đạt, 2 đã công nhận." in listed.out
    assert "Trần Thị Bình" not in listed.out

    decisions = table(cli, "decisions", "--year", "2025")
    assert [(d["Số quyết định"], d["Ngày ký"], d["Danh hiệu"], d["Số hồ sơ"]) for d in decisions] == [
        ("12/QĐ-KH", "20/11/2025", "Gia đình học tập", "2")
    ]
    stats = table(cli, "statistics", *FAMILY_TITLE)
    assert stats[-1] == {"Ấp": "Toàn xã", "Tổng số": "3", "Đăng ký": "3", "Công nhận": "2",
                         "Tỷ lệ (trên tổng số hộ)": "66,7%"}  # fmt: skip

    assert "đã được công nhận theo quyết định số 12/QĐ-KH" in refused(
        cli, "score", *FAMILY_TITLE, "--subject", "00001", "--point", "1.2=0"
    )
    revoked = cli("decision-revoke", "--number", "12/qđ-kh")
    assert revoked.code == 0, revoked.err
    assert "2 hồ sơ trở lại «Đã chấm — đạt»" in revoked.out
    assert [row["Trạng thái"] for row in table(cli, "evaluations", *FAMILY_TITLE, "--status", "dat")] == [
        "Đã chấm — đạt",
        "Đã chấm — đạt",
    ]
    assert table(cli, "decisions") == []


def test_unscored_or_failed_records_are_not_recognised(households: Cli, data_dir: Path) -> None:
    cli = households
    cli("register", *FAMILY_TITLE, "--subject", "00001", "--subject", "00002")
    cli("score", *FAMILY_TITLE, "--subject", "00002", *family_points(**{"2_1": 0, "2_2": 0}))
    before = count(data_dir, "decision")

    message = refused(cli, "recognise", *FAMILY_TITLE, "--subject", "00001", "--subject", "00002",
                      "--number", "7", "--date", "01/12/2025")  # fmt: skip
    assert "chưa chấm điểm: hộ 00001 (Nguyễn Văn An)" in message
    assert "chưa đạt: hộ 00002 (Trần Thị Bình)" in message
    assert refused(cli, "recognise", *FAMILY_TITLE, "--all-passed", "--number", "7", "--date", "01/12/2025") == (
        "Chưa có hồ sơ Gia đình học tập năm 2025 nào đạt mà chưa được công nhận."
    )
    assert count(data_dir, "decision") == before


def test_subjects_are_found_by_code_or_name_and_never_guessed(households: Cli) -> None:
    cli = households
    cli("household-add", "--code", "00004", "--head", "Nguyễn Văn An", "--hamlet", "Phước Lợi")

    ambiguous = refused(cli, "register", *FAMILY_TITLE, "--subject", "nguyen van an")
    assert ambiguous == (
        "«nguyen van an» khớp với nhiều hộ: hộ 00001 (Nguyễn Văn An), hộ 00004 (Nguyễn Văn An). Hãy ghi rõ hơn."
    )
    assert refused(cli, "register", *FAMILY_TITLE, "--subject", "00009").startswith(
        "Không có hộ «00009». Các hộ hiện có: hộ 00001 (Nguyễn Văn An),"
    )
    assert cli("register", *FAMILY_TITLE, "--subject", "le van cuong").code == 0
    assert refused(cli, "register", *FAMILY_TITLE, "--subject", "00003") == (
        "hộ 00003 (Lê Văn Cường) đã đăng ký Gia đình học tập năm 2025. Chưa đăng ký hồ sơ nào."
    )
    assert refused(cli, "score", *FAMILY_TITLE, "--subject", "00002", "--point", "1.1=10") == (
        "Hộ 00002 (Trần Thị Bình) chưa đăng ký Gia đình học tập năm 2025. Đăng ký bằng lệnh «khuyenhoc register»."
    )
    assert "ô «Chỉ tiêu 1.1»: điểm 11 phải từ 0 đến 10" in refused(
        cli, "score", *FAMILY_TITLE, "--subject", "00003", "--point", "1.1=11"
    )
    assert "thiếu tham số bắt buộc: --title" in cli("score", "--subject", "00003").err
    bad_point = cli("score", *FAMILY_TITLE, "--subject", "00003", "--point", "1.1:10")
    assert bad_point.code == 2 and "«1.1:10» không đúng dạng MÃ=ĐIỂM" in bad_point.err
    bad_date = cli("register", *FAMILY_TITLE, "--subject", "00001", "--date", "31/02/2025")
    assert bad_date.code == 2 and "Ngày «31/02/2025» không đúng dạng ngày/tháng/năm" in bad_date.err
    assert "(tùy chọn --date)" in refused(cli, "register", *FAMILY_TITLE, "--subject", "00001", "--date", "01/01/2030")

    unregistered = cli("unregister", *FAMILY_TITLE, "--subject", "00003")
    assert unregistered.code == 0, unregistered.err
    assert table(cli, "evaluations", *FAMILY_TITLE) == []


def test_a_citizen_fails_on_an_indicator_under_its_minimum(commune: Cli) -> None:
    cli = commune
    cli("unit-add", "--name", "Trường Tiểu học Phước Vĩnh Tây", "--kind", "truong_hoc", "--hamlet", "Phước Lợi")
    for born in ("1980", "1992"):
        added = cli("citizen-add", "--unit", "truong tieu hoc", "--name", "Phạm Thị Hạnh", "--birth-year", born,
                    "--sex", "nu")  # fmt: skip
        assert added.code == 0, added.err
    assert "khớp với nhiều công dân" in refused(cli, "register", "--title", "cong_dan", "--subject", "Phạm Thị Hạnh")
    assert cli("register", "--title", "cong_dan", "--subject", "pham thi hanh 1980").code == 0

    points = [f"{n}={p}" for n, p in zip(range(1, 11), (8, 8, 8, 3, 8, 8, 8, 8, 8, 10), strict=True)]
    scored = cli("score", "--title", "cong_dan", "--subject", "Phạm Thị Hạnh 1980",
                 *[o for p in points for o in ("--point", p)])  # fmt: skip
    assert scored.code == 0, scored.err
    assert "77/100 điểm — Chưa đạt: thiếu 3 điểm; chỉ tiêu 4 dưới 5 điểm" in scored.out
    citizens = {(r["Họ và tên"], r["Năm sinh"]): r for r in table(cli, "citizens")}
    assert citizens[("Phạm Thị Hạnh", "1980")]["Kết quả năm 2025"] == "Chưa đạt: thiếu 3 điểm; chỉ tiêu 4 dưới 5 điểm"
    assert citizens[("Phạm Thị Hạnh", "1992")]["Kết quả năm 2025"] == ""


def test_clans_with_their_hamlets_and_member_households(households: Cli, data_dir: Path) -> None:
    cli = households
    added = cli("clan-add", "--name", "Họ Nguyễn Văn", "--representative", "Nguyễn Văn An", "--hamlet", "vinh thanh",
                "--hamlet", "Đông Điền", "--household", "00001", "--household", "00003")  # fmt: skip
    assert added.code == 0, added.err
    assert added.out.strip() == "Đã thêm dòng họ «Họ Nguyễn Văn» — Ấp Đông Điền, Ấp Vĩnh Thạnh; 2 hộ thành viên."
    assert table(cli, "clans", "--search", "dong dien") == [
        {"Dòng họ": "Họ Nguyễn Văn", "Người đại diện": "Nguyễn Văn An", "Các ấp": "Ấp Đông Điền, Ấp Vĩnh Thạnh",
         "Số hộ": "2", "Ghi chú": ""}
    ]  # fmt: skip
    before = count(data_dir, "clan")
    assert refused(cli, "clan-add", "--name", "ho nguyen van", "--hamlet", "Phước Lợi") == (
        "Dòng họ «ho nguyen van» — ô «Tên dòng họ»: trùng với dòng họ «Họ Nguyễn Văn» đã có trong sổ. (tùy chọn --name)"
    )
    assert refused(cli, "clan-add", "--name", "Họ Trần", "--hamlet", "Phước Lợi", "--household", "00009") == (
        "Không có hộ mã «00009» trong sổ."
    )
    assert "thiếu tham số bắt buộc: --hamlet" in cli("clan-add", "--name", "Họ Trần").err
    assert count(data_dir, "clan") == before

    deleted = cli("clan-delete", "--name", "nguyen van")
    assert deleted.code == 0, deleted.err
    assert 'Lấy lại bằng: khuyenhoc clan-restore --name "Họ Nguyễn Văn"' in deleted.out
    assert table(cli, "clans") == []
    assert refused(cli, "clan-delete", "--name", "Họ Nguyễn Văn") == "Không có dòng họ «Họ Nguyễn Văn»."
    assert cli("clan-restore", "--name", "ho nguyen van").code == 0
    assert [row["Dòng họ"] for row in table(cli, "clans")] == ["Họ Nguyễn Văn"]


def test_units_and_hamlets_as_communities(households: Cli) -> None:
    cli = households
    added = cli("unit-add", "--name", "Trường Tiểu học Phước Vĩnh Tây", "--kind", "truong_hoc", "--head",
                "Phạm Thị Hạnh", "--staff", "35", "--hamlet", "phuoc loi", "--phone", "0909123456")  # fmt: skip
    assert added.code == 0, added.err
    assert added.out.strip() == "Đã thêm đơn vị «Trường Tiểu học Phước Vĩnh Tây» — trường học, Ấp Phước Lợi."
    assert cli("unit-add", "--name", "Hợp tác xã Vĩnh Thạnh", "--kind", "hop_tac_xa").code == 0
    units = table(cli, "units", "--search", "truong")
    assert [(u["Đơn vị"], u["Loại"], u["Cán bộ, nhân viên"], u["Điện thoại"]) for u in units] == [
        ("Trường Tiểu học Phước Vĩnh Tây", "Trường học", "35", "0909 123 456")
    ]
    assert "(tùy chọn --phone)" in refused(cli, "unit-add", "--name", "Chợ", "--kind", "khac", "--phone", "123")
    assert "giá trị không hợp lệ: 'truong'" in cli("unit-add", "--name", "Chợ", "--kind", "truong").err
    assert cli("unit-delete", "--name", "hop tac xa").code == 0
    assert cli("unit-restore", "--name", "Hợp tác xã Vĩnh Thạnh").code == 0
    assert len(table(cli, "units")) == 2

    cli("clan-add", "--name", "Họ Lê", "--hamlet", "Phước Lợi", "--hamlet", "Đông Điền")
    assert cli("hamlet-set", "--hamlet", "phuoc loi", "--leader", "Võ Văn Tâm", "--note", "Ấp văn hóa").code == 0
    kept = cli("hamlet-set", "--hamlet", "phuoc loi", "--note", "")
    assert kept.out.strip() == "Đã sửa Ấp Phước Lợi: trưởng ấp «Võ Văn Tâm», ghi chú «»."
    hamlets = {h["Ấp"]: h for h in table(cli, "hamlets")}
    assert hamlets["Ấp Phước Lợi"] == {"Ấp": "Ấp Phước Lợi", "Trưởng ấp": "Võ Văn Tâm", "Số hộ": "1",
                                       "Nhân khẩu": "1", "Dòng họ": "1", "Đơn vị": "1", "Ghi chú": ""}  # fmt: skip
    assert hamlets["Ấp Vĩnh Thạnh"]["Đơn vị"] == "0"
    assert refused(cli, "hamlet-set", "--hamlet", "phuoc loi") == "Chưa ghi gì để sửa: hãy ghi --leader hoặc --note."


def test_a_shared_rubric_is_exported_edited_and_imported_as_a_new_one(commune: Cli, tmp_path: Path,
                                                                      data_dir: Path) -> None:  # fmt: skip
    cli = commune
    presets = table(cli, "rubrics", "--title", "cong_dan")
    assert [(r["Tên"], r["Phiên bản"], r["Điểm đạt"], r["Áp dụng"]) for r in presets] == [
        ("Công dân học tập", "1", "80/100", "từ 2022")
    ]
    shown = cli("rubric-show", "--id", presets[0]["Mã"][:8])
    assert "Đạt khi từ 80/100 điểm và không chỉ tiêu nào dưới mức tối thiểu." in shown.out
    assert "[10 điểm; tối thiểu 5]" in shown.out

    exported = tmp_path / "cong-dan.json"
    assert cli("rubric-export", "--id", presets[0]["Mã"], "--out", str(exported)).code == 0
    shared = json.loads(exported.read_text(encoding="utf-8"))
    assert set(shared) == {"title", "name", "version", "pass_mark", "valid_from", "valid_to", "basis", "criteria"}
    shared.update(name="Công dân học tập tỉnh Tây Ninh", pass_mark=75, valid_from=2025)
    shared["criteria"][0]["indicators"][0]["text"] = "Có kế hoạch tự học hằng năm"
    exported.write_text(json.dumps(shared, ensure_ascii=False), encoding="utf-8")

    imported = cli("rubric-import", "--file", str(exported))
    assert imported.code == 0, imported.err
    assert "Đã nhập Công dân học tập — «Công dân học tập tỉnh Tây Ninh» phiên bản 1" in imported.out
    listed = {r["Tên"]: r for r in table(cli, "rubrics", "--title", "cong_dan")}
    assert set(listed) == {"Công dân học tập", "Công dân học tập tỉnh Tây Ninh"}
    assert (listed["Công dân học tập tỉnh Tây Ninh"]["Điểm đạt"], listed["Công dân học tập tỉnh Tây Ninh"]["Mã"]) == (
        "75/100",
        imported.out.split()[-1],
    )
    assert "Có kế hoạch tự học hằng năm" in cli("rubric-show", "--id", imported.out.split()[-1]).out

    copied = cli("rubric-copy", "--id", presets[0]["Mã"])
    assert "«Công dân học tập» phiên bản 2" in copied.out
    before = count(data_dir, "rubric")
    broken = tmp_path / "hong.json"
    broken.write_text('{"title": "cong_dan",', encoding="utf-8")
    assert (
        refused(cli, "rubric-import", "--file", str(broken))
        == "Tệp «hong.json» không phải JSON hợp lệ (dòng 1, cột 22)."
    )
    shared["pass_mark"] = 120
    exported.write_text(json.dumps(shared, ensure_ascii=False), encoding="utf-8")
    assert "ô «Điểm đạt»: phải lớn hơn 0 và không quá tổng 100 điểm" in refused(
        cli, "rubric-import", "--file", str(exported)
    )
    del shared["criteria"]
    exported.write_text(json.dumps(shared, ensure_ascii=False), encoding="utf-8")
    assert refused(cli, "rubric-import", "--file", str(exported)) == (
        "Tệp «cong-dan.json» không đúng mẫu bộ tiêu chí: thiếu mục «criteria»."
    )
    assert refused(cli, "rubric-show", "--id", "khong-co") == (
        "Không có bộ tiêu chí mã «khong-co». Xem các mã bằng lệnh «khuyenhoc rubrics»."
    )
    assert count(data_dir, "rubric") == before


def results_sheet(path: Path, *rows: tuple[object, ...]) -> Path:
    """The national system's list as we expect it: a title row, the headers, one person a row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["DANH SÁCH KẾT QUẢ ĐÁNH GIÁ CÔNG DÂN HỌC TẬP NĂM 2025"])
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Giới tính", "Thôn, ấp", "Tổng điểm", "Kết quả"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_citizens_are_added_and_imported_from_a_spreadsheet(households: Cli, tmp_path: Path, data_dir: Path) -> None:
    cli = households
    added = cli("citizen-add", "--member", "00001:nguyen van an")
    assert added.out.strip() == "Công dân Nguyễn Văn An (hộ 00001, Ấp Vĩnh Thạnh): đã thêm vào danh sách."
    assert refused(cli, "citizen-add", "--member", "00001:Lê Văn Tám") == (
        "Không có thành viên hộ 00001 «Lê Văn Tám». Các thành viên hộ 00001 hiện có: Nguyễn Văn An."
    )
    sheet = results_sheet(tmp_path / "ket-qua.xlsx", (1, "Đỗ Thị Hoa", 1990, "Nữ", "Phước Lợi", 85, "Đạt"),
                          (2, "Võ Văn Tâm", 1975, "Nam", "Ấp Đông Điền", 60, "Không đạt"))  # fmt: skip

    imported = cli("citizens-import", "--file", str(sheet), "--map", "sex=", "--map", "total=F")
    assert imported.code == 0, imported.err
    assert "Cột đã chọn: Họ và tên ← B «Họ và tên»" in imported.err and "Giới tính" not in imported.err
    assert "Đã đọc 2 dòng: 2 kết quả mới, 0 kết quả được cập nhật." in imported.out
    citizens = {r["Họ và tên"]: r for r in table(cli, "citizens", "--year", "2025")}
    assert {name: (r["Ấp"], r["Điểm"], r["Kết quả năm 2025"], r["Nguồn"]) for name, r in citizens.items()} == {
        "Nguyễn Văn An": ("Ấp Vĩnh Thạnh", "", "", ""),
        "Đỗ Thị Hoa": ("Ấp Phước Lợi", "85", "Đạt", "ket-qua.xlsx"),
        "Võ Văn Tâm": ("Ấp Đông Điền", "60", "Chưa đạt", "ket-qua.xlsx"),
    }
    assert [r["Họ và tên"] for r in table(cli, "citizens", "--search", "do thi")] == ["Đỗ Thị Hoa"]


def test_a_bad_spreadsheet_is_refused_row_by_row_and_nothing_is_written(
    households: Cli, tmp_path: Path, data_dir: Path
) -> None:
    cli = households
    sheet = results_sheet(tmp_path / "loi.xlsx", (1, "Đỗ Thị Hoa", "năm ngoái", "Nữ", "Phước Lợi", 185, "Đạt"),
                          (2, "", 1975, "Nam", "Đông Điền", 60, "Có lẽ"))  # fmt: skip
    table(cli, "rubrics")  # the presets are installed on first use, by any command that reads rubrics
    before = (count(data_dir, "citizen"), count(data_dir, "evaluation"), count(data_dir, "audit_log"))

    result = cli("citizens-import", "--file", str(sheet))

    assert (result.code, result.out) == (2, "")
    problems = result.err.splitlines()
    assert "Chưa nhập tệp «loi.xlsx»: có 4 lỗi, chưa ghi gì vào sổ." in problems[1]
    assert problems[2:] == [
        "• Dòng 3, cột «Năm sinh»: «năm ngoái» không phải năm sinh hay ngày sinh (ví dụ 1985 hoặc 15/03/1985).",
        "• Dòng 3, cột «Tổng điểm»: 185 điểm nằm ngoài khoảng 0–100.",
        "• Dòng 4, cột «Họ và tên»: chưa có họ tên.",
        "• Dòng 4, cột «Kết quả»: «Có lẽ» không phải «Đạt» hay «Không đạt».",
    ]
    assert (count(data_dir, "citizen"), count(data_dir, "evaluation"), count(data_dir, "audit_log")) == before
    assert refused(cli, "citizens-import", "--file", str(sheet), "--map", "total=Điểm") == (
        "«Điểm» không ứng với cột nào trong tệp. Các cột có tiêu đề: A «STT», B «Họ và tên», C «Năm sinh», "
        "D «Giới tính», E «Thôn, ấp», F «Tổng điểm», G «Kết quả»."
    )
    assert refused(cli, "citizens-import", "--file", str(tmp_path / "khong-co.xlsx")).startswith("Không có tệp ")
