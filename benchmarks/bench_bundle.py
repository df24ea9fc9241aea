"""The frozen app (scripts/build, dist/KhuyenHoc/): its size and how soon it shows the main window, beside the budgets.

    python benchmarks/bench_bundle.py            # median of 5 starts; fails if the folder has not been built
    python benchmarks/bench_bundle.py --smoke    # one start, for CI; only reports, and says so if there is no build

Figures: the folder's size (every file, links not followed), with Qt's ICU share and the largest parts, and the
time from starting `khuyenhoc-debug self-test` to its "Mở cửa sổ chính" line, printed once the main window is shown
(offscreen). That start also sets up the self-test's empty data folder, so it is an upper bound on a real start.
The budgets are the Windows build's; this machine measures its own platform's build, and a Linux build carries
what Windows provides itself (ICU, the C++ runtime, X11, GLib, CUPS), about 60 MB of it. Tests never assert times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_households import verdict  # noqa: E402

from khuyenhoc_desktop.ui.self_test import WINDOW_CHECK  # noqa: E402

SIZE_BUDGET_MB = 150.0
START_BUDGET_MS = 2000.0
BUNDLE = ROOT / "dist" / "KhuyenHoc"
DEBUG_PROGRAM = "khuyenhoc-debug.exe" if sys.platform == "win32" else "khuyenhoc-debug"


def bundle_megabytes(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1_000_000


def _megabytes(path: Path) -> float:
    if path.is_symlink():
        return 0.0
    return bundle_megabytes(path) if path.is_dir() else path.stat().st_size / 1_000_000


def largest_parts(folder: Path, count: int = 8) -> list[tuple[str, float]]:
    """The programs and the biggest entries of _internal: where the megabytes are when the size is over budget."""
    entries = [p for p in folder.iterdir() if p.is_file()] + list((folder / "_internal").iterdir())
    return sorted(((p.name, _megabytes(p)) for p in entries), key=lambda part: -part[1])[:count]


def icu_megabytes(folder: Path) -> float:
    """Qt's ICU libraries: the Linux wheels ship them (about 38 MB), while on Windows Qt uses the system's icu.dll."""
    return sum(_megabytes(p) for p in folder.rglob("*icu*") if p.is_file())


def start_milliseconds(program: Path) -> float:
    """From starting the self-test to its window line; the self-test then runs to the end and must pass."""
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(program), "self-test"],
            cwd=scratch,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert process.stdout is not None
        shown = None
        for line in process.stdout:
            if shown is None and WINDOW_CHECK in line:
                shown = time.perf_counter()
        if process.wait() != 0 or shown is None:
            raise SystemExit(f"Tự kiểm tra của bản đóng gói không đạt (mã thoát {process.returncode}).")
    return (shown - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="one start, and no failure when nothing is built")
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="the built folder (default dist/KhuyenHoc)")
    args = parser.parse_args(argv)
    print(f"Bản đóng gói — kích thước và thời gian mở ({'chạy thử nhanh' if args.smoke else 'đo thật'})")
    program = args.bundle / DEBUG_PROGRAM
    if not program.is_file():
        print(f"Chưa có bản đóng gói {program}: hãy chạy bash scripts/build trước.")
        return 0 if args.smoke else 1
    runs = 1 if args.smoke else 5
    size = bundle_megabytes(args.bundle)
    start = statistics.median(start_milliseconds(program) for _ in range(runs))
    print(f"{'chỉ số':<46}{'đo được':>12}{'ngân sách':>12}  kết quả")
    rows = (
        ("dung lượng thư mục đóng gói", size, "MB", SIZE_BUDGET_MB),
        ("khởi động đến cửa sổ chính", start, "ms", START_BUDGET_MS),
    )
    for name, value, unit, budget in rows:
        print(f"{name:<46}{value:>9.0f} {unit}{budget:>9.0f} {unit}  {verdict(value, budget)}")
    print(f"trong đó ICU của Qt (Windows dùng ICU của hệ điều hành): {icu_megabytes(args.bundle):.0f} MB")
    print("phần lớn nhất: " + ", ".join(f"{name} {megabytes:.1f} MB" for name, megabytes in largest_parts(args.bundle)))
    if args.smoke:
        print("(chạy thử nhanh: một lần mở, số đo không phải trung vị)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
