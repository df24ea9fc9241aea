"""Importing a commune's own households and members workbooks, timed beside the budget.

    python benchmarks/bench_import.py            # 50,000 households, then 50,000 members of 10,000 households
    python benchmarks/bench_import.py --smoke    # tiny size, for CI: proves the script runs, not the speed

The workbooks are as communes keep them: a title row, headers without diacritics, dates as text or Excel dates,
hamlets and relations typed loosely. Each list is timed as a dry run, a commit into a fresh commune (every row new,
backup included), the same file again (every row unchanged) and a next year's copy where every row changed (the
address of every household, the class of every member): every row an update. Budgets are for a 2-core laptop;
tests never assert times.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from khuyenhoc_desktop.domain.profile import ProfileInput, Role  # noqa: E402
from khuyenhoc_desktop.services import profile as profile_service  # noqa: E402
from khuyenhoc_desktop.services.household_import import HOUSEHOLDS  # noqa: E402
from khuyenhoc_desktop.services.member_import import MEMBERS  # noqa: E402
from khuyenhoc_desktop.services.spreadsheet_import import ImportKind, ImportReport, import_file  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402

BUDGET_S = 10.0  # each measure, at 50,000 rows
HAMLETS = ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền", "Ấp Rạch Kiến", "Ấp Long Khánh"]
TYPED_HAMLETS = ["Vinh Thanh", "ấp Phước Lợi", "Thôn Đông Điền", "AP RACH KIEN", "Long Khánh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Thảo", "Tú", "Vân", "Yến"]


def run_list(
    workspace: Workspace, kind: ImportKind, path: Path, next_year: Path, households: Path | None = None
) -> list[tuple[str, float]]:
    """One list's four timings; `households` (the members' households) is imported first, untimed."""
    try:
        if households is not None:
            import_file(workspace, HOUSEHOLDS, households)
        dry_s, dry = timed(lambda: import_file(workspace, kind, path, dry_run=True))
        commit_s, commit = timed(lambda: import_file(workspace, kind, path))
        again_s, again = timed(lambda: import_file(workspace, kind, path))
        next_s, later = timed(lambda: import_file(workspace, kind, next_year))
    finally:
        workspace.close(backup=False)
    rows = dry.rows
    assert not dry.problems and commit.created + commit.unchanged == rows, (dry, commit)
    assert again.unchanged == rows and later.updated == rows, (again, later)
    return [
        ("chạy thử (đọc, ghép cột, kiểm tra)", dry_s),
        ("nhập thật vào xã mới (sao lưu, ghi)", commit_s),
        ("nhập lại cùng tệp (mọi dòng không đổi)", again_s),
        ("nhập bản năm sau (mọi dòng cập nhật)", next_s),
    ]


def write_members(path: Path, households: Path, count: int, school: str) -> None:
    """Five people for each of the first `count` households of the households workbook: its head as that
    workbook has them, then a spouse and three children or grandchildren with their class at `school`."""
    pick = random.Random(11)
    source = openpyxl.load_workbook(households, read_only=True)
    heads = list(source.worksheets[0].iter_rows(min_row=4, max_row=count + 3, values_only=True))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Nhân khẩu")
    sheet.append(["DANH SÁCH NHÂN KHẨU"])
    sheet.append([])
    sheet.append(["STT", "Ma ho", "Ho va ten", "Nam sinh", "Gioi tinh", "Quan he voi chu ho", "Truong lop"])
    n = 0
    for _stt, code, name, born, sex, *_rest in heads:
        n += 1
        sheet.append([n, code, name, born, sex, "Chủ hộ", f"{school} 12" if school != "Lớp" else ""])
        for relation in ("Vợ", "con gai", "Con trai", "Cháu"):
            n += 1
            person = f"{pick.choice(FAMILY)} {pick.choice(MIDDLE)} {pick.choice(GIVEN)} {pick.choice(GIVEN)}"
            sheet.append([n, code, person, pick.randint(1950, 2020), pick.choice(("Nam", "Nữ")), relation,
                          f"{school} {n % 12 + 1}"])  # fmt: skip
    book.save(path)
    source.close()


def write_workbook(path: Path, rows: int, street: str = "Tổ") -> None:
    pick = random.Random(7)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách hộ")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH XÃ PHƯỚC VĨNH TÂY"])
    sheet.append([])
    sheet.append(["STT", "Ma ho", "Ho ten chu ho", "Nam sinh", "Gioi tinh", "Thon/Ap", "Dia chi", "SDT", "Ghi chu"])
    for n in range(1, rows + 1):
        year = pick.randint(1940, 2000)
        born: object = (year, f"{pick.randint(1, 28)}/{pick.randint(1, 12)}/{year}",
                        date(year, pick.randint(1, 12), pick.randint(1, 28)))[n % 3]  # fmt: skip
        name = f"{pick.choice(FAMILY)} {pick.choice(MIDDLE)} {pick.choice(GIVEN)}"
        sheet.append([n, f"{n:05d}", name, born, pick.choice(("Nam", "Nữ")), TYPED_HAMLETS[n % len(HAMLETS)],
                      f"{street} {n % 30 + 1}", f"09{n:08d}", ""])  # fmt: skip
    book.save(path)


def new_commune(folder: Path) -> Workspace:
    workspace = Workspace.open(folder)
    profile_service.set_up(
        workspace,
        ProfileInput(role=Role.COMMUNE, province_code="80", commune_code="28201",
                     association_name="Hội Khuyến học xã Phước Vĩnh Tây", officer_name="Lê Thị Hoa",
                     signer_title="Chủ tịch", signer_name="Nguyễn Văn Tư", working_year=2025),
        HAMLETS,
    )  # fmt: skip
    return workspace


def timed(fn: Callable[[], ImportReport]) -> tuple[float, ImportReport]:
    started = time.perf_counter()
    report = fn()
    return time.perf_counter() - started, report


def verdict(value: float, budget: float) -> str:
    return "đạt" if value <= budget else "VƯỢT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny size: checks the script, not the speed")
    args = parser.parse_args(argv)
    size = 200 if args.smoke else 50_000
    print(f"Nhập danh sách từ bảng tính — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        write_workbook(folder / "ho.xlsx", size)
        write_workbook(folder / "ho-nam-sau.xlsx", size, street="Khu")
        write_members(folder / "tv.xlsx", folder / "ho.xlsx", size // 5, "Lớp")
        write_members(folder / "tv-nam-sau.xlsx", folder / "ho.xlsx", size // 5, "Trường Phước Vĩnh Tây, lớp")
        print(f"  (tạo bảng tính {size:,} dòng mỗi tệp: {time.perf_counter() - started:.1f} s)")
        households = run_list(new_commune(folder / "ho-xa"), HOUSEHOLDS, folder / "ho.xlsx", folder / "ho-nam-sau.xlsx")
        workspace = new_commune(folder / "tv-xa")
        members = run_list(workspace, MEMBERS, folder / "tv.xlsx", folder / "tv-nam-sau.xlsx", folder / "ho.xlsx")
    print(f"{'chỉ số':<56}{'số dòng':>10}{'đo được':>12}{'ngân sách':>12}  kết quả")
    for title, measured in (("Hộ gia đình", households), ("Thành viên hộ", members)):
        for name, value in measured:
            shown = f"{title}: {name}"
            print(f"{shown:<56}{size:>10,}{value:>10.2f} s{BUDGET_S:>10.0f} s  {verdict(value, BUDGET_S)}")
    if args.smoke:
        print("Chạy thử nhanh: chỉ kiểm tra script chạy được; số đo không có ý nghĩa.")
        return 0
    return 0 if max(v for _n, v in (*households, *members)) <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
