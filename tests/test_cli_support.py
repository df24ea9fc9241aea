"""Scholarships, the fund, activities and honours from the command line, scripted as an association's year would
go, then read back through `statistics`, `report`, the ceremony's list and a voucher; every refusal in Vietnamese,
exit code 2 and nothing written."""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import load_workbook

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.text import amount_in_words
from khuyenhoc_desktop.storage.paths import database_path
from tests import test_cli
from tests.test_cli import Cli

# test_cli's fixtures: `cli` runs `khuyenhoc COMMAND --data-dir <test folder> …`, `commune` sets the folder up first.
cli, commune = test_cli.cli, test_cli.commune

EVENT = "Trao học bổng năm học 2025-2026"
SPONSOR = "Công ty TNHH Phước Lợi"
NOT_WRITTEN = "Không ghi gì; vẫn ghi thì thêm --allow-negative."
TABLES = ("award", "award_event", "ledger_entry", "activity", "activity_target", "honour", "member", "audit_log")


def table(cli: Cli, command: str, *options: str) -> list[dict[str, str]]:
    """A list command's CSV output as rows keyed by header."""
    result = cli(command, *options, "--format", "csv")
    assert result.code == 0, result.err
    return list(csv.DictReader(io.StringIO(result.out)))


def ok(cli: Cli, command: str, *options: str) -> str:
    result = cli(command, *options)
    assert (result.code, result.err) == (0, ""), result
    return result.out


def counts(data_dir: Path) -> dict[str, int]:
    with closing(sqlite3.connect(database_path(data_dir))) as connection:
        return {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}


def refused(cli: Cli, data_dir: Path, command: str, *options: str) -> str:
    """Run a command that must be refused with nothing written; return its Vietnamese reason."""
    before = counts(data_dir)
    result = cli(command, *options)
    assert (result.code, result.out) == (2, ""), result
    assert counts(data_dir) == before
    return result.err.strip()


@pytest.fixture
def family(commune: Cli) -> Cli:
    """Household 00001 in Ấp Vĩnh Thạnh: Nguyễn Văn Tư and his son Nguyễn Minh Khoa, in grade 7."""
    ok(commune, "household-add", "--code", "00001", "--head", "Nguyễn Văn Tư", "--hamlet", "Vĩnh Thạnh")
    ok(commune, "member-add", "--code", "00001", "--name", "Nguyễn Minh Khoa", "--birth-year", "2014",
       "--school", "Trường THCS Phước Vĩnh Tây, lớp 7A", "--status", "thcs")  # fmt: skip
    return commune


@pytest.fixture
def ceremony(family: Cli) -> Cli:
    """A donation, then a ceremony with three awards: the register's pupil in cash paid out of the fund, two
    typed pupils in kind. Date and sponsor come from the ceremony."""
    ok(family, "receipt-add", "--date", "10/01/2025", "--category", "quyen_gop", "--counterpart", SPONSOR,
       "--amount", "9.700.000")  # fmt: skip
    ok(family, "award-event-add", "--name", EVENT, "--date", "05/09/2025", "--place", "Hội trường UBND xã",
       "--sponsor", SPONSOR)  # fmt: skip
    posted = ok(family, "award-add", "--member", "00001:nguyen minh khoa", "--category", "vuot_kho_hoc_gioi",
                "--kind", "tien_mat", "--value", "2.000.000", "--event", "trao hoc bong", "--post-to-fund")  # fmt: skip
    assert posted.strip() == (
        f"Đã thêm suất tiền mặt 2.000.000 đ cho Nguyễn Minh Khoa (lễ «{EVENT}», ngày 05/09/2025); "
        "ghi chi quỹ: phiếu chi PC-2025-001."
    )
    ok(family, "award-add", "--pupil", "Trần Thị Bé", "--birth-year", "2013", "--category", "hoan_canh_kho_khan",
       "--kind", "xe_dap", "--value", "1800000", "--grade", "8B", "--event", EVENT)  # fmt: skip
    ok(family, "award-add", "--pupil", "Lê Văn Đạt", "--category", "hoan_canh_kho_khan", "--kind", "tap_vo",
       "--value", "500.000", "--event", EVENT, "--school", "Trường Tiểu học Vĩnh Thạnh", "--grade", "5")  # fmt: skip
    return family


def test_a_ceremony_lists_its_awards_with_what_carried_over(ceremony: Cli) -> None:
    rows = table(ceremony, "awards", "--event", "trao hoc bong 2025")
    assert [(r["Học sinh"], r["Hình thức"], r["Giá trị (đồng)"], r["Phiếu chi"]) for r in rows] == [
        ("Trần Thị Bé", "Xe đạp", "1800000", ""),  # by given name, the Vietnamese way
        ("Lê Văn Đạt", "Tập vở", "500000", ""),
        ("Nguyễn Minh Khoa", "Tiền mặt", "2000000", "PC-2025-001"),
    ]
    assert {(r["Ngày trao"], r["Nhà tài trợ"], r["Lễ trao"]) for r in rows} == {("05/09/2025", SPONSOR, EVENT)}
    khoa = rows[2]
    assert (khoa["Ấp"], khoa["Trường/lớp"]) == ("Ấp Vĩnh Thạnh", "Trường THCS Phước Vĩnh Tây, lớp 7A")

    listed = ok(ceremony, "awards", "--search", "xe dap")
    assert "Trần Thị Bé" in listed and "Lê Văn Đạt" not in listed
    summary = ok(ceremony, "awards").splitlines()[-1]
    assert summary == "Năm 2025: 3 suất, 4.300.000 đ (tiền mặt 2.000.000 đ; hiện vật 2.300.000 đ)."

    events = table(ceremony, "award-events")
    assert [(e["Lễ trao"], e["Số suất"], e["Tiền mặt (đồng)"], e["Tổng (đồng)"]) for e in events] == [
        (EVENT, "3", "2000000", "4300000")
    ]


def test_the_ledger_keeps_a_running_balance_and_refuses_an_overdraft(ceremony: Cli, data_dir: Path) -> None:
    ok(ceremony, "receipt-add", "--date", "15/02/2025", "--category", "hoi_phi",
       "--counterpart", "Chi hội ấp Phước Lợi", "--amount", "300.000", "--note", "Hội phí quý I")  # fmt: skip

    reason = refused(ceremony, data_dir, "payment-add", "--date", "20/12/2025", "--category", "khen_thuong",
                     "--counterpart", "Chi hội ấp Vĩnh Thạnh", "--amount", "9.000.000")  # fmt: skip
    assert reason == f"Sau phiếu chi PC-2025-002 ngày 20/12/2025 quỹ sẽ âm 1.000.000 đ. {NOT_WRITTEN}"
    paid = ok(ceremony, "payment-add", "--date", "20/12/2025", "--category", "khen_thuong",
              "--counterpart", "Chi hội ấp Vĩnh Thạnh", "--amount", "8.000.000")  # fmt: skip
    assert paid.strip() == (
        "Đã thêm phiếu chi PC-2025-002 ngày 20/12/2025: Khen thưởng — Chi hội ấp Vĩnh Thạnh, 8.000.000 đ. "
        "Tồn quỹ sau phiếu: 0 đ."
    )

    rows = table(ceremony, "ledger")
    assert [(r["Số phiếu"], r["Thu (đồng)"], r["Chi (đồng)"], r["Tồn quỹ (đồng)"]) for r in rows] == [
        ("PT-2025-001", "9700000", "", "9700000"),
        ("PT-2025-002", "300000", "", "10000000"),
        ("PC-2025-001", "", "2000000", "8000000"),
        ("PC-2025-002", "", "8000000", "0"),
    ]
    assert rows[2]["Nội dung"] == "Học bổng" and rows[2]["Người nộp / nhận"] == "Nguyễn Minh Khoa"
    shown = ok(ceremony, "ledger").splitlines()
    assert "9.700.000" in shown[1]
    assert shown[-1] == "Năm 2025: tồn đầu năm 0 đ, thu 10.000.000 đ, chi 10.000.000 đ, tồn cuối năm 0 đ."

    # An overdraft the officer agrees to is written, and the balance shows it.
    ok(ceremony, "payment-add", "--date", "21/12/2025", "--category", "khac", "--counterpart", "Nhà sách",
       "--amount", "150.000", "--allow-negative")  # fmt: skip
    assert table(ceremony, "ledger")[-1]["Tồn quỹ (đồng)"] == "-150000"


def test_ledger_edit_and_delete_by_voucher(ceremony: Cli, data_dir: Path) -> None:
    edited = ok(
        ceremony, "ledger-edit", "--voucher", "pt-2025-001", "--amount", "9.800.000", "--note", "Ủng hộ năm 2025"
    )
    assert "phiếu thu PT-2025-001" in edited and "9.800.000 đ" in edited

    # The payment an award posted belongs to the award: its amount and its deletion are the award's.
    assert "hãy sửa số tiền ở sổ học bổng" in refused(ceremony, data_dir, "ledger-edit", "--voucher", "PC-2025-001",
                                                     "--amount", "1")  # fmt: skip
    assert "hãy xóa phần thưởng đó" in refused(ceremony, data_dir, "ledger-delete", "--voucher", "PC-2025-001")
    # Taking the donation away would leave the scholarship paid from nothing.
    assert "quỹ sẽ âm 2.000.000 đ" in refused(ceremony, data_dir, "ledger-delete", "--voucher", "PT-2025-001")

    ok(ceremony, "receipt-add", "--date", "01/03/2025", "--category", "lai", "--counterpart", "Ngân hàng",
       "--amount", "12.000", "--voucher", "LAI-01")  # fmt: skip
    deleted = ok(ceremony, "ledger-delete", "--voucher", "lai-01")
    assert "Đã chuyển phiếu thu LAI-01 (12.000 đ) vào thùng rác" in deleted
    assert 'bin-restore --kind ledger_entry --label "Phiếu thu LAI-01"' in deleted
    assert ok(ceremony, "bin-restore", "--kind", "ledger_entry", "--label", "Phiếu thu LAI-01")
    assert [r["Số phiếu"] for r in table(ceremony, "ledger")][1] == "LAI-01"


def test_award_edit_delete_and_restore_take_the_payment_along(ceremony: Cli, data_dir: Path) -> None:
    edited = ok(ceremony, "award-edit", "--award", "khoa", "--value", "2.500.000")
    assert "tiền mặt 2.500.000 đ cho Nguyễn Minh Khoa" in edited and "phiếu chi PC-2025-001" in edited
    assert table(ceremony, "ledger")[-1]["Chi (đồng)"] == "2500000"

    deleted = ok(ceremony, "award-delete", "--award", "Nguyễn Minh Khoa")
    assert "cùng phiếu chi PC-2025-001 vào thùng rác" in deleted
    assert [r["Số phiếu"] for r in table(ceremony, "ledger")] == ["PT-2025-001"]

    restored = ok(ceremony, "award-restore", "--award", "nguyen minh khoa")
    assert "Đã khôi phục suất tiền mặt 2.500.000 đ cho Nguyễn Minh Khoa" in restored
    assert [r["Số phiếu"] for r in table(ceremony, "ledger")] == ["PT-2025-001", "PC-2025-001"]

    unlinked = ok(ceremony, "award-edit", "--award", "Trần Thị Bé", "--event", "", "--no-recurring")
    assert "lễ «" not in unlinked
    # A name typed for the register's pupil makes the award a typed pupil's: the register no longer names it.
    assert "cho Nguyễn Minh Khôi" in ok(ceremony, "award-edit", "--award", "khoa", "--pupil", "Nguyễn Minh Khôi")
    assert [r["Ấp"] for r in table(ceremony, "awards", "--search", "khoi")] == [""]
    assert refused(ceremony, data_dir, "award-edit", "--award", "khoa 2030", "--value", "1").startswith(
        "Không có suất học bổng, quà «khoa 2030»."
    )


def test_a_ceremony_with_awards_stays_and_can_be_renamed(ceremony: Cli, data_dir: Path) -> None:
    assert "còn 3 suất học bổng, quà" in refused(ceremony, data_dir, "award-event-delete", "--name", EVENT)
    renamed = ok(ceremony, "award-event-edit", "--name", EVENT, "--new-name", "Lễ khai giảng", "--place", "")
    assert renamed.strip() == "Đã sửa lễ trao «Lễ khai giảng» ngày 05/09/2025, năm học 2025-2026."
    assert {r["Lễ trao"] for r in table(ceremony, "awards")} == {"Lễ khai giảng"}


def test_activities_against_their_targets(commune: Cli, data_dir: Path) -> None:
    ok(commune, "target-set", "--kind", "sinh_hoat", "--target", "2")
    target = ok(commune, "target-set", "--kind", "tap_huan", "--target", "4")
    assert target.strip() == "Chỉ tiêu năm 2025 — Lớp tập huấn: 4 lớp; đã thực hiện 0 lớp (0,0%)."
    for name, day, people in (("Phòng chống đuối nước", "01/03/2025", "40"), ("Pháp luật giao thông", "01/06/2025",
                              "35"), ("Nuôi con khỏe", "31/12/2025", "25")):  # fmt: skip
        ok(commune, "activity-add", "--kind", "sinh_hoat", "--name", name, "--date", day, "--participants", people)
    added = ok(commune, "activity-add", "--kind", "tap_huan", "--name", "Kỹ thuật trồng lúa", "--date", "01/04/2025",
               "--end", "05/04/2025", "--field", "Trồng trọt", "--participants", "30")  # fmt: skip
    assert added.strip() == "Đã thêm lớp tập huấn «Kỹ thuật trồng lúa» ngày 01/04/2025 đến 05/04/2025: 30 người."

    progress = {r["Loại"]: r for r in table(commune, "targets")}
    sessions = progress["Buổi sinh hoạt tại trung tâm học tập cộng đồng"]
    assert (sessions["Chỉ tiêu"], sessions["Thực hiện"], sessions["Số người"], sessions["Đạt (so với chỉ tiêu)"]) == (
        "2", "3", "100", "150,0%",
    )  # fmt: skip
    assert progress["Lớp tập huấn"]["Đạt (so với chỉ tiêu)"] == "25,0%"
    assert progress["Lớp dạy nghề"]["Chỉ tiêu"] == ""

    assert [r["Tên lớp / chủ đề"] for r in table(commune, "activities", "--kind", "tap_huan")] == ["Kỹ thuật trồng lúa"]
    ok(commune, "activity-edit", "--activity", "trong lua", "--participants", "32", "--end", "none")
    assert table(commune, "activities", "--kind", "tap_huan")[0]["Đến ngày"] == ""
    reason = refused(commune, data_dir, "activity-edit", "--activity", "nuoi con", "--end", "02/01/2026")
    assert "không có ngày kết thúc" in reason and "(tùy chọn --end)" in reason
    assert "(tùy chọn --target)" in refused(commune, data_dir, "target-set", "--kind", "day_nghe", "--target", "-1")
    deleted = ok(commune, "activity-delete", "--activity", "Nuôi con khỏe")
    assert "Đã chuyển buổi sinh hoạt «Nuôi con khỏe» ngày 31/12/2025 vào thùng rác" in deleted
    assert len(table(commune, "activities")) == 3


def test_honours_of_collectives_and_persons(family: Cli, data_dir: Path) -> None:
    model = ok(family, "honour-add", "--kind", "mo_hinh", "--recipient-kind", "tap_the", "--recipient",
               "Dòng họ Trần", "--level", "xa", "--date", "20/11/2025", "--hamlet", "Phước Lợi")  # fmt: skip
    assert model.strip() == "Đã thêm mô hình học tập tiêu biểu «Dòng họ Trần» ngày 20/11/2025 (tập thể, cấp xã)."
    ok(family, "honour-add", "--kind", "giay_khen", "--recipient-kind", "ca_nhan", "--member", "00001:Nguyễn Văn Tư",
       "--level", "tinh", "--date", "01/12/2025", "--issuer", "Hội Khuyến học tỉnh Tây Ninh", "--decision",
       "15/QĐ-KH")  # fmt: skip
    rows = table(family, "honours")
    assert [(r["Loại"], r["Người / tập thể"], r["Ấp"], r["Cấp khen"]) for r in rows] == [
        ("Mô hình học tập tiêu biểu", "Dòng họ Trần", "Ấp Phước Lợi", "Cấp xã"),
        ("Giấy khen", "Nguyễn Văn Tư", "Ấp Vĩnh Thạnh", "Cấp tỉnh"),
    ]
    assert [r["Người / tập thể"] for r in table(family, "honours", "--kind", "giay_khen")] == ["Nguyễn Văn Tư"]

    ok(family, "honour-edit", "--honour", "dong ho tran", "--content", "Dòng họ hiếu học", "--hamlet", "")
    assert table(family, "honours")[0]["Ấp"] == ""
    assert "--member chỉ dùng khi khen một cá nhân" in refused(
        family, data_dir, "honour-add", "--kind", "giay_khen", "--recipient-kind", "tap_the", "--member",
        "00001:Nguyễn Văn Tư", "--level", "xa", "--date", "01/12/2025",
    )  # fmt: skip
    reason = refused(family, data_dir, "honour-add", "--kind", "giay_khen", "--recipient-kind", "ca_nhan",
                     "--recipient", "Lê Văn An", "--level", "xa", "--date", "01/01/2100")  # fmt: skip
    assert "nằm ngoài khoảng cho phép" in reason and "(tùy chọn --date)" in reason
    deleted = ok(family, "honour-delete", "--honour", "Nguyễn Văn Tư")
    assert "Đã chuyển giấy khen «Nguyễn Văn Tư» ngày 01/12/2025 vào thùng rác" in deleted


SUPPORT_LINES = (
    "Công tác khuyến học, khuyến tài và hoạt động học tập năm 2025:",
    "  Vận động học bổng, quà: 4.300.000 đ (tiền mặt 2.000.000 đ; hiện vật 2.300.000 đ)",
    f"    - {SPONSOR}: 4.300.000 đ (tiền mặt 2.000.000 đ; hiện vật 2.300.000 đ)",
    "  Số suất học bổng, quà: 3 suất cho 3 học sinh (tiền mặt 1 suất; xe đạp 1 suất; tập vở 1 suất)",
    "    - Hoàn cảnh khó khăn: 2 suất cho 2 học sinh (2.300.000 đ)",
    "  Quỹ khuyến học: tồn đầu năm 0 đ, thu 9.700.000 đ, chi 2.000.000 đ, tồn cuối năm 7.700.000 đ",
    "    - Chi trong năm: 2.000.000 đ (học bổng 2.000.000 đ)",
    "  Sinh hoạt tại trung tâm học tập cộng đồng: 1 buổi, 60 lượt người (chỉ tiêu 2 buổi, đạt 50,0%)",
    "  Lớp tập huấn, dạy nghề: 0 lớp, 0 học viên (chưa đặt chỉ tiêu)",
    "  Mô hình học tập tiêu biểu được khen: 0",
    "  Giấy khen: 0 tập thể, 1 cá nhân",
)


@pytest.fixture
def year(ceremony: Cli) -> Cli:
    ok(ceremony, "target-set", "--kind", "sinh_hoat", "--target", "2")
    ok(ceremony, "activity-add", "--kind", "sinh_hoat", "--name", "Học tập suốt đời", "--date", "08/09/2025",
       "--participants", "60")  # fmt: skip
    ok(ceremony, "honour-add", "--kind", "giay_khen", "--recipient-kind", "ca_nhan", "--recipient", "Trần Văn Hùng",
       "--level", "xa", "--date", "01/12/2025")  # fmt: skip
    return ceremony


def test_statistics_and_report_show_the_support_lines(year: Cli, tmp_path: Path) -> None:
    shown = ok(year, "statistics").splitlines()
    for line in SUPPORT_LINES:
        assert line in shown, line
    assert shown.index(SUPPORT_LINES[0]) > 5  # after the titles table
    assert "Công tác khuyến học" not in ok(year, "statistics", "--format", "csv")  # a CSV stays one table

    workbook = tmp_path / "bao-cao.xlsx"
    written = ok(year, "report", "--out", str(workbook))
    assert SUPPORT_LINES[5] in written.splitlines()
    sheet = load_workbook(workbook)["Khuyến học, hoạt động"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=8, values_only=True)}
    assert rows["Vận động học bổng, quà"][2:4] == (4_300_000, "đồng")
    assert rows["Quỹ khuyến học"][2] == 7_700_000


def test_award_list_voucher_and_amount_in_words(ceremony: Cli, data_dir: Path, tmp_path: Path) -> None:
    pdf, workbook = tmp_path / "danh-sach.pdf", tmp_path / "danh-sach.xlsx"
    assert "(3 suất)" in ok(ceremony, "award-list", "--event", "trao hoc bong", "--out", str(pdf))
    ok(ceremony, "award-list", "--event", EVENT, "--out", str(workbook))
    assert pdf.read_bytes().startswith(b"%PDF")
    names = [row[1] for row in load_workbook(workbook).active.iter_rows(min_row=8, max_row=10, values_only=True)]
    assert names == ["Trần Thị Bé", "Lê Văn Đạt", "Nguyễn Minh Khoa"]

    voucher = tmp_path / "phieu-chi.pdf"
    printed = ok(ceremony, "voucher", "--voucher", "PC-2025-001", "--out", str(voucher))
    assert printed.strip() == f"Đã ghi phiếu chi PC-2025-001 (2.000.000 đ) vào {voucher}"
    assert voucher.read_bytes().startswith(b"%PDF")

    for wrong, command, options in (
        ("phieu.txt", "voucher", ("--voucher", "PT-2025-001")),
        ("danh-sach.csv", "award-list", ("--event", EVENT)),
    ):
        reason = refused(ceremony, data_dir, command, *options, "--out", str(tmp_path / wrong))
        assert f"«{wrong}»: tên tệp phải kết thúc bằng .pdf (bản in)" in reason
        assert not (tmp_path / wrong).exists()


def test_amount_in_words_needs_no_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["amount-words", "9.700.000"]) == 0
    assert capsys.readouterr().out == "Chín triệu bảy trăm nghìn đồng\n"
    assert main(["amount-words", "1 000 005"]) == 0
    assert capsys.readouterr().out == f"{amount_in_words(1_000_005)}\n"
    assert main(["amount-words", "9,7"]) == 2
    assert "«9,7» không phải số tiền" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("award-add", ("--pupil", "Lê Văn Tám", "--category", "khac", "--kind", "gao", "--value", "0"),
         "giá trị phải lớn hơn 0 (hiện vật thì ghi giá trị ước tính). (tùy chọn --value)"),
        ("award-add", ("--pupil", "Lê Văn Tám", "--category", "khac", "--kind", "gao", "--value", "1",
                       "--event", "Tết"),
         "Không có lễ trao «Tết». Các lễ trao hiện có: Trao học bổng năm học 2025-2026."),
        ("award-add", ("--member", "00001", "--category", "khac", "--kind", "gao", "--value", "1"),
         "«00001» không đúng dạng MÃ_HỘ:HỌ_TÊN"),
        ("award-add", ("--pupil", "Võ Thị Hoa", "--category", "hoc_sinh_gioi", "--kind", "tien_mat", "--value",
                       "8.000.000", "--date", "06/09/2025", "--post-to-fund"),
         f"Sau phiếu chi PC-2025-002 ngày 06/09/2025 quỹ sẽ âm 300.000 đ. {NOT_WRITTEN}"),
        ("receipt-add", ("--date", "01/01/2100", "--category", "khac", "--counterpart", "X", "--amount", "1"),
         "(tùy chọn --date)"),
        ("receipt-add", ("--date", "01/01/2025", "--category", "khac", "--counterpart", "X", "--amount", "-5"),
         "tham số --amount: «-5» không phải số tiền"),
        ("payment-add", ("--date", "01/01/2025", "--category", "quyen_gop", "--counterpart", "X", "--amount", "1"),
         "tham số --category: giá trị không hợp lệ"),
        ("ledger-edit", ("--voucher", "PT-2025-009", "--amount", "1"), "Không có phiếu «PT-2025-009»"),
        ("award-edit", ("--award", "Trần Thị Bé"), "Chưa ghi gì để sửa"),
    ],
)  # fmt: skip
def test_refusals_write_nothing(
    ceremony: Cli, data_dir: Path, command: str, options: tuple[str, ...], message: str
) -> None:
    assert message in refused(ceremony, data_dir, command, *options)
