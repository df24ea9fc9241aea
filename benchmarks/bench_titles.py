"""Learning titles speed at commune and consolidating-office scale, printed beside the budgets.

    python benchmarks/bench_titles.py            # 5,000 and 50,000 households (data shared with bench_households)
    python benchmarks/bench_titles.py --smoke    # tiny sizes, for CI: proves the script runs, not the speed

Figures: the year's statistics (all titles, per hamlet), the families' evaluation list that the
"Đăng ký, chấm điểm, công nhận" page opens with, and writing the report workbook and PDF.
Tests never assert times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_households import data_folder, verdict  # noqa: E402

from khuyenhoc_desktop.documents.reports import write_report  # noqa: E402
from khuyenhoc_desktop.domain.titles import Title  # noqa: E402
from khuyenhoc_desktop.services import evaluations  # noqa: E402
from khuyenhoc_desktop.services.statistics import commune_statistics  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402

STATISTICS_BUDGET_MS = 1000.0  # at 50,000 households
EVALUATIONS_BUDGET_MS = 300.0  # at 5,000 households (a commune's own list)
REPORT_BUDGET_MS = 1000.0  # both files, at 50,000


def best_of(runs: int, fn: Callable[[], object]) -> float:
    """Milliseconds, median of `runs`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def figures(folder: Path, runs: int) -> dict[str, float]:
    workspace = Workspace.open(folder)
    try:
        year = workspace.working_year
        stats = commune_statistics(workspace, year)
        with tempfile.TemporaryDirectory() as scratch:
            report = best_of(
                runs, lambda: [write_report(stats, Path(scratch) / f"bao-cao{s}") for s in (".xlsx", ".pdf")]
            )
        return {
            "statistics": best_of(runs, lambda: commune_statistics(workspace, year)),
            "evaluations": best_of(runs, lambda: evaluations.list_evaluations(workspace, Title.FAMILY, year)),
            "report": report,
        }
    finally:
        workspace.close(backup=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where data folders are kept")
    args = parser.parse_args(argv)
    commune, office = (200, 1_000) if args.smoke else (5_000, 50_000)
    out = args.out / ("smoke" if args.smoke else "full")
    runs = 1 if args.smoke else 5
    print(f"Danh hiệu học tập — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    small, large = figures(data_folder(out, commune), runs), figures(data_folder(out, office), runs)
    print(f"{'chỉ số':<46}{'quy mô':>10}{'đo được':>12}{'ngân sách':>12}  kết quả")
    rows = (
        ("thống kê năm (mọi danh hiệu, theo ấp)", commune, small["statistics"], None),
        ("thống kê năm (mọi danh hiệu, theo ấp)", office, large["statistics"], STATISTICS_BUDGET_MS),
        ("danh sách hồ sơ Gia đình học tập", commune, small["evaluations"], EVALUATIONS_BUDGET_MS),
        ("danh sách hồ sơ Gia đình học tập", office, large["evaluations"], None),
        ("xuất báo cáo Excel và PDF", office, large["report"], REPORT_BUDGET_MS),
    )
    for name, size, value, budget in rows:
        limit = f"{budget:.0f} ms" if budget else "—"
        result = verdict(value, budget) if budget else ""
        print(f"{name:<46}{size:>10,}{value:>9.0f} ms{limit:>12}  {result}")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
