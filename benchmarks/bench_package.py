"""Signed package speed at commune scale, printed beside the budgets.

    python benchmarks/bench_package.py            # a 5,000-household demo commune (kept in benchmarks/out/)
    python benchmarks/bench_package.py --smoke    # 200 households, for CI: proves the script runs, not the speed

Figures: the whole export (read every register, write the workbook, hash, sign, zip, rename, record the
history row) beside a bare openpyxl write-only write of the same rows read by the same queries (no
formats, no summary, no signature): the export may cost at most 1.3 times that. Then verifying the package
(every check up to, not including, opening the workbook). Tests never assert times.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from khuyenhoc_desktop.exchange.workbook import SHEETS  # noqa: E402
from khuyenhoc_desktop.services import packages  # noqa: E402
from khuyenhoc_desktop.services.demo import create_demo  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402
from khuyenhoc_desktop.storage.paths import database_path  # noqa: E402

EXPORT_BUDGET_S = 2.0  # at 5,000 households
BARE_RATIO_BUDGET = 1.3  # export ÷ bare openpyxl write-only
VERIFY_BUDGET_S = 0.2


def data_folder(out: Path, households: int) -> Path:
    """Its own folder: exports add history rows, which the other benchmarks' folders should not carry."""
    folder = out / f"package-{households}"
    if not database_path(folder).exists():
        started = time.perf_counter()
        create_demo(folder, households=households, seed=7)
        print(f"  (dựng thư mục dữ liệu {households:,} hộ: {time.perf_counter() - started:.1f} s)")
    return folder


def median_s(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bare_write(database: Path, year: int, target: Path) -> None:
    """The floor: the same queries, every row appended as is to a write-only workbook, saved."""
    params = {"first": date(year, 1, 1).isoformat(), "last": date(year, 12, 31).isoformat(), "year": year}
    wb = Workbook(write_only=True)
    with closing(sqlite3.connect(database)) as connection:
        for spec in SHEETS:
            sheet = wb.create_sheet(spec.name)
            sheet.append([column.header for column in spec.columns])
            for row in connection.execute(spec.sql, {k: v for k, v in params.items() if f":{k}" in spec.sql}):
                sheet.append(list(row))
    wb.save(target)


def verdict(value: float, budget: float) -> str:
    return "đạt" if value <= budget else "VƯỢT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny size: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where data folders are kept")
    args = parser.parse_args(argv)
    households = 200 if args.smoke else 5_000
    runs = 1 if args.smoke else 5
    folder = data_folder(args.out / ("smoke" if args.smoke else "full"), households)
    print(f"Gói số liệu có chữ ký — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    workspace = Workspace.open(folder)
    try:
        year = workspace.working_year
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch)
            results: list[packages.ExportResult] = []
            export_s = median_s(runs, lambda: results.append(packages.export_package(workspace, year, out)))
            bare_s = median_s(runs, lambda: bare_write(workspace.database, year, out / "tran.xlsx"))
            package = results[-1].path
            verify_s = median_s(runs * 4, lambda: packages.verify_package(package))
            size = package.stat().st_size
            rows = sum(results[-1].rows.values())
    finally:
        workspace.close(backup=False)
    ratio = export_s / bare_s if bare_s else float("inf")
    print(f"{'chỉ số':<46}{'đo được':>12}{'ngân sách':>12}  kết quả")
    table = (
        ("xuất gói (đọc, ghi bảng tính, băm, ký, nén)", f"{export_s:.2f} s", f"{EXPORT_BUDGET_S:.2f} s",
         verdict(export_s, EXPORT_BUDGET_S)),
        ("openpyxl write-only trần, cùng các dòng", f"{bare_s:.2f} s", "—", ""),
        ("xuất gói ÷ openpyxl trần", f"{ratio:.2f}×", f"{BARE_RATIO_BUDGET:.1f}×", verdict(ratio, BARE_RATIO_BUDGET)),
        ("kiểm tra gói (chữ ký, mã băm, tệp)", f"{verify_s * 1000:.1f} ms", f"{VERIFY_BUDGET_S * 1000:.0f} ms",
         verdict(verify_s, VERIFY_BUDGET_S)),
    )  # fmt: skip
    for name, value, budget, result in table:
        print(f"{name:<46}{value:>12}{budget:>12}  {result}")
    print(f"({households:,} hộ, {rows:,} dòng, gói {size / 1_000_000:.1f} MB)")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
