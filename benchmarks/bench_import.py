"""Importing a commune's own households workbook, timed beside the budget.

    python benchmarks/bench_import.py            # 50,000 households: dry run, commit, then the same file again
    python benchmarks/bench_import.py --smoke    # tiny size, for CI: proves the script runs, not the speed

The workbook is as communes keep them: a title row, headers without diacritics, dates as text or Excel
dates, hamlets typed loosely. The commit is timed into a fresh commune (every row new, backup included);
the re-import of the same file finds every household already there (every row an update check).
Budgets are for a 2-core laptop; tests never assert times.
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
from khuyenhoc_desktop.services.household_import import ImportReport, import_households  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402

BUDGET_S = 10.0  # each of dry run and commit, at 50,000 rows
HAMLETS = ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền", "Ấp Rạch Kiến", "Ấp Long Khánh"]
TYPED_HAMLETS = ["Vinh Thanh", "ấp Phước Lợi", "Thôn Đông Điền", "AP RACH KIEN", "Long Khánh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Thảo", "Tú", "Vân", "Yến"]


def write_workbook(path: Path, rows: int) -> None:
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
                      f"Tổ {n % 30 + 1}", f"09{n:08d}", ""])  # fmt: skip
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
    print(f"Nhập danh sách hộ từ bảng tính — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "danh-sach-ho.xlsx"
        started = time.perf_counter()
        write_workbook(path, size)
        print(f"  (tạo bảng tính {size:,} dòng: {time.perf_counter() - started:.1f} s)")
        workspace = new_commune(Path(scratch) / "du-lieu")
        try:
            dry_s, dry = timed(lambda: import_households(workspace, path, dry_run=True))
            commit_s, commit = timed(lambda: import_households(workspace, path))
            again_s, again = timed(lambda: import_households(workspace, path))
        finally:
            workspace.close(backup=False)
    assert dry.created == commit.created == size and again.unchanged == size, (dry, commit, again)
    print(f"{'chỉ số':<44}{'số dòng':>10}{'đo được':>12}{'ngân sách':>12}  kết quả")
    for name, value in (
        ("chạy thử (đọc, ghép cột, kiểm tra)", dry_s),
        ("nhập thật vào xã mới (sao lưu, ghi)", commit_s),
        ("nhập lại cùng tệp (mọi hộ không đổi)", again_s),
    ):
        print(f"{name:<44}{size:>10,}{value:>10.2f} s{BUDGET_S:>10.0f} s  {verdict(value, BUDGET_S)}")
    if args.smoke:
        print("Chạy thử nhanh: chỉ kiểm tra script chạy được; số đo không có ý nghĩa.")
        return 0
    return 0 if max(dry_s, commit_s, again_s) <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
