"""Households register speed at commune and consolidating-office scale, printed beside the budgets.

    python benchmarks/bench_households.py            # 5,000 and 50,000 households (data kept in benchmarks/out/)
    python benchmarks/bench_households.py --smoke    # tiny sizes, for CI: proves the script runs, not the speed

Figures: cold start to main window shown (a fresh interpreter each time), opening the register (query and
model fill), one search keystroke, one sort by the head's name. Budgets are for a 2-core laptop; tests
never assert times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuyenhoc_desktop.services.demo import create_demo  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402
from khuyenhoc_desktop.storage.paths import database_path  # noqa: E402

STARTUP_BUDGET_S = 1.0  # at 5,000 households
KEYSTROKE_BUDGET_MS = 30.0  # at 50,000
SORT_BUDGET_MS = 150.0  # at 50,000
QUERY = "nguyen van "  # typed one key at a time

_PROBE = """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {root!r})
from pathlib import Path
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.app import application
from khuyenhoc_desktop.ui.main_window import MainWindow
app = application()
workspace = Workspace.open(Path({data!r}))
window = MainWindow(workspace)
window.show()
app.processEvents()
print("shown", flush=True)
os._exit(0)
"""


def data_folder(out: Path, households: int) -> Path:
    folder = out / f"households-{households}"
    if not database_path(folder).exists():
        started = time.perf_counter()
        create_demo(folder, households=households, seed=7)
        print(f"  (dựng thư mục dữ liệu {households:,} hộ: {time.perf_counter() - started:.1f} s)")
    return folder


def cold_start(folder: Path, runs: int) -> float:
    """Seconds from launching a new interpreter to the main window shown; median of `runs`."""
    probe = _PROBE.format(root=str(ROOT), data=str(folder))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        assert "shown" in child.stdout, child.stderr
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def register_figures(folder: Path) -> dict[str, float]:
    """Milliseconds: open the register, median and worst search keystroke, median sort by name."""
    from PySide6.QtCore import Qt

    from khuyenhoc_desktop.ui.app import application
    from khuyenhoc_desktop.ui.models.household_models import HouseholdsModel
    from khuyenhoc_desktop.ui.views.households_view import HouseholdsView

    application()
    workspace = Workspace.open(folder)
    try:
        holder: list[HouseholdsView] = []
        open_ms = timed(lambda: holder.append(HouseholdsView(workspace)))
        view = holder[0]
        view.resize(1200, 700)
        view.show()
        keys = [timed(lambda n=n: view.search.setText(QUERY[:n])) for n in range(1, len(QUERY) + 1)]
        view.search.clear()
        sorts = [
            timed(lambda order=order: view.table.sortByColumn(HouseholdsModel.COL_HEAD, order))
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 3
        ]
        rows = view.model.total()
        view.close()
    finally:
        workspace.close(backup=False)
    return {"rows": rows, "open": open_ms, "key": statistics.median(keys), "key_worst": max(keys),
            "sort": statistics.median(sorts)}  # fmt: skip


def verdict(value: float, budget: float) -> str:
    return "đạt" if value <= budget else "VƯỢT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where data folders are kept")
    args = parser.parse_args(argv)
    commune, office = (200, 1_000) if args.smoke else (5_000, 50_000)
    out = args.out / ("smoke" if args.smoke else "full")
    print(f"Sổ hộ gia đình — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    small, large = data_folder(out, commune), data_folder(out, office)

    start_s = cold_start(small, runs=1 if args.smoke else 5)
    figures = register_figures(large)
    print(f"{'chỉ số':<42}{'quy mô':>10}{'đo được':>12}{'ngân sách':>12}  kết quả")
    rows = (
        ("khởi động đến khi hiện cửa sổ chính", commune, f"{start_s:.2f} s", f"{STARTUP_BUDGET_S:.2f} s",
         verdict(start_s, STARTUP_BUDGET_S)),
        ("mở sổ hộ gia đình", office, f"{figures['open']:.0f} ms", "—", ""),
        ("một phím gõ tìm kiếm (trung vị)", office, f"{figures['key']:.1f} ms", f"{KEYSTROKE_BUDGET_MS:.0f} ms",
         verdict(figures["key"], KEYSTROKE_BUDGET_MS)),
        ("một phím gõ tìm kiếm (chậm nhất)", office, f"{figures['key_worst']:.1f} ms",
         f"{KEYSTROKE_BUDGET_MS:.0f} ms", verdict(figures["key_worst"], KEYSTROKE_BUDGET_MS)),
        ("một lần xếp theo tên chủ hộ", office, f"{figures['sort']:.1f} ms", f"{SORT_BUDGET_MS:.0f} ms",
         verdict(figures["sort"], SORT_BUDGET_MS)),
    )  # fmt: skip
    for name, size, value, budget, result in rows:
        print(f"{name:<42}{size:>10,}{value:>12}{budget:>12}  {result}")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
