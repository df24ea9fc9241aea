"""The consolidating office's import speed at province scale (issue 6), printed beside the budgets.

    python benchmarks/bench_office.py            # 100 communes × 3,000 households, 12,000 members each
    python benchmarks/bench_office.py --smoke    # 3 communes × 30 households: proves the script runs, not the speed

The packages are real: each commune is a demo commune of province 91 (An Giang) topped up to exactly the
households and members asked for, exported and signed by the commune's own key. They are made once and kept in
benchmarks/out/ (a second run reuses them). Each run then enrols the communes' keys in an empty office and times
`merge.apply_all` over every package (verify, review, one backup, write), beside the bare figure: python-calamine
parsing the same workbooks plus one plain sqlite3 `executemany` per table of the same rows into the same typed
tables of another empty office. Then peak memory, and re-importing an unchanged package. Tests never assert times.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from contextlib import closing
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from khuyenhoc_desktop.domain import admin_units  # noqa: E402
from khuyenhoc_desktop.domain.text import format_count  # noqa: E402
from khuyenhoc_desktop.exchange import keys  # noqa: E402
from khuyenhoc_desktop.exchange.manifest import DATA_NAME  # noqa: E402
from khuyenhoc_desktop.exchange.workbook import SHEETS  # noqa: E402
from khuyenhoc_desktop.services import merge, office, packages, trust  # noqa: E402
from khuyenhoc_desktop.services.demo import create_demo  # noqa: E402
from khuyenhoc_desktop.services.office_data import DERIVED, PROVENANCE, SPECS, table_name  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402
from khuyenhoc_desktop.storage.database import connect  # noqa: E402
from khuyenhoc_desktop.storage.paths import database_path  # noqa: E402

PROVINCE = "91"  # An Giang: 102 communes since the 2025 reform (Tây Ninh, with Long An's, has 96)
MEMBERS_PER_HOUSEHOLD = 4

TOTAL_BUDGET_S = 60.0  # 100 communes on a 2-core laptop
BARE_RATIO_BUDGET = 2.0  # apply_all ÷ (calamine read + bare executemany)
MEMORY_BUDGET_MB = 1024.0
REIMPORT_BUDGET_S = 1.0


def _top_up(data_dir: Path, members: int, seed: int) -> None:
    """The demo moves about 1% of households to the recycle bin and has about 3.8 people a household: bring
    the bin's households back (their members never left) and add copies of non-head members to households
    drawn at random, so the commune exports exactly the households and members asked for."""
    rng = Random(f"{seed}:top-up")  # the demo drew its ids from Random(seed)
    with closing(connect(database_path(data_dir))) as db:
        db.execute("BEGIN")
        db.execute("UPDATE household SET deleted_at = NULL WHERE deleted_at IS NOT NULL")
        live = db.execute(
            "SELECT count(*) FROM member m JOIN household h ON h.id = m.household_id WHERE m.deleted_at IS NULL"
        ).fetchone()[0]
        columns = [row[1] for row in db.execute("PRAGMA table_info(member)")]
        others = db.execute(
            f"SELECT {', '.join(columns)} FROM member WHERE relation != 'chu_ho' AND deleted_at IS NULL"
        ).fetchall()
        households = [row[0] for row in db.execute("SELECT id FROM household")]
        positions = dict(db.execute("SELECT household_id, max(position) FROM member GROUP BY household_id").fetchall())
        added = []
        for model in rng.choices(others, k=max(0, members - live)):
            row = dict(zip(columns, model, strict=True))
            household = rng.choice(households)
            positions[household] = positions.get(household, -1) + 1
            row |= {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "household_id": household}
            row["position"] = positions[household]
            added.append(tuple(row[c] for c in columns))
        db.executemany(f"INSERT INTO member ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", added)
        db.execute("COMMIT")


def _make_commune(job: tuple[int, str, int, Path]) -> None:
    """One commune's package and public key file (run in a worker process)."""
    seed, code, households, folder = job
    data_dir = folder / "xa" / code
    shutil.rmtree(data_dir, ignore_errors=True)
    create_demo(data_dir, households=households, seed=seed, commune_code=code)
    _top_up(data_dir, households * MEMBERS_PER_HOUSEHOLD, seed)
    workspace = Workspace.open(data_dir)
    try:
        written = packages.export_package(workspace, workspace.working_year, folder / "goi" / f"{code}.zip")
        keys.export_public(data_dir, folder / "khoa" / f"{code}.pub")
    finally:
        workspace.close(backup=False)
    shutil.rmtree(data_dir)  # the package and the key file are all the benchmark needs
    if written.rows["Hộ gia đình"] != households or written.rows["Thành viên"] != households * MEMBERS_PER_HOUSEHOLD:
        raise RuntimeError(f"xã {code}: gói có {written.rows}, không đúng số hộ, số thành viên cần dựng")


def commune_packages(out: Path, communes: int, households: int) -> list[tuple[str, Path, Path]]:
    """(commune code, package, public key file) for the province's first `communes` communes, made once."""
    folder = out / f"commune-packages-{communes}x{households}"
    codes = [unit.code for unit in admin_units.communes(PROVINCE)][:communes]
    if len(codes) < communes:
        raise SystemExit(f"tỉnh {PROVINCE} chỉ có {len(codes)} xã, phường")
    found = [(code, folder / "goi" / f"{code}.zip", folder / "khoa" / f"{code}.pub") for code in codes]
    missing = [(seed, code, households, folder) for seed, (code, package, key) in enumerate(found, 1)
               if not (package.exists() and key.exists())]  # fmt: skip
    if missing:
        for sub in ("goi", "khoa"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(min(2, len(missing))) as pool:
            pool.map(_make_commune, missing)
        print(f"  (dựng {len(missing)} gói số liệu xã: {time.perf_counter() - started:.1f} s, giữ ở {folder})")
    return found


def empty_office(folder: Path, enrol: list[tuple[str, Path, Path]]) -> Workspace:
    workspace = Workspace.open(folder)
    office.init_office(workspace, "tinh", PROVINCE)
    for code, _package, key in enrol:
        trust.enrol_key(workspace, code, keys.read_public(key), None, "tep_khoa")
    return workspace


def bare_import(folder: Path, merged: Path, made: list[tuple[str, Path, Path]]) -> float:
    """The floor: each package's workbook parsed by python-calamine (no checks, no typing), and one plain
    sqlite3 `executemany` per table of exactly the rows the office stored for that commune (its derived keys
    included, so the indexes do the same work; fetched from the merged office `merged`, untimed) into the same
    typed tables of an empty office, one transaction per package. Returns the seconds taken."""
    Workspace.open(folder).close(backup=False)  # the office schema, migrated
    taken = 0.0
    with closing(connect(database_path(folder))) as db, closing(connect(merged)) as source:
        for code, path, _key in made:
            package_id = str(uuid.uuid4())
            stored = {}
            for sheet in SPECS:
                columns = (*PROVENANCE, *SPECS[sheet].keys, *DERIVED.get(sheet, ()))
                select = ", ".join("?" if c == "package_id" else c for c in columns)
                table = table_name(sheet)
                found = source.execute(f"SELECT {select} FROM {table} WHERE commune_code = ?", (package_id, code))
                insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                stored[sheet] = (insert, found.fetchall())
            started = time.perf_counter()
            with zipfile.ZipFile(path) as archive:
                book = CalamineWorkbook.from_filelike(io.BytesIO(archive.read(DATA_NAME)))
            for spec in SHEETS:
                book.get_sheet_by_name(spec.name).to_python()
            book.close()
            db.execute("BEGIN")
            db.execute(
                "INSERT INTO received_package (id, commune_code, period, sequence, package_sha256, received_at, "
                "status, created_at, updated_at) VALUES (?, ?, '', 1, '', '', 'applied', '', '')",
                (package_id, code),
            )
            for sql, rows in stored.values():
                db.executemany(sql, rows)
            db.execute("COMMIT")
            taken += time.perf_counter() - started
    return taken


def peak_memory_mb() -> float:
    """The process's peak resident memory (ru_maxrss: kilobytes on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def verdict(value: float, budget: float) -> str:
    return "đạt" if value <= budget else "VƯỢT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny size: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where packages are kept")
    args = parser.parse_args(argv)
    communes, households = (3, 30) if args.smoke else (100, 3_000)
    print(f"Cơ quan tổng hợp nhận gói số liệu — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    made = commune_packages(args.out / ("smoke" if args.smoke else "full"), communes, households)
    paths = [package for _code, package, _key in made]
    with tempfile.TemporaryDirectory() as scratch:
        workspace = empty_office(Path(scratch) / "van-phong", made)
        try:
            started = time.perf_counter()
            batch = merge.apply_all(workspace, paths)
            total_s = time.perf_counter() - started
            memory_mb = peak_memory_mb()
            refused = [f"{item.path.name}: {item.refusal}" for item in batch.items if item.refusal]
            if refused:
                raise SystemExit("gói bị từ chối:\n" + "\n".join(refused))
            reimports = []
            for _ in range(5):
                started = time.perf_counter()
                again = merge.apply(workspace, paths[0])
                reimports.append(time.perf_counter() - started)
            assert not again.applied and again.review.verdict == merge.SAME
            with closing(connect(workspace.database)) as db:
                held = {
                    key: db.execute(f"SELECT count(*) FROM {table_name(key)}").fetchone()[0]
                    for key in ("households", "members")
                }
        finally:
            workspace.close(backup=False)
        bare_s = bare_import(Path(scratch) / "tran", workspace.database, made)
    reimport_s = statistics.median(reimports)
    ratio = total_s / bare_s if bare_s else float("inf")
    per_package = total_s / len(paths)
    print(f"{'chỉ số':<52}{'đo được':>12}{'ngân sách':>12}  kết quả")
    table = (
        (f"nhận {len(paths)} gói (kiểm tra, so sánh, sao lưu, ghi)", f"{total_s:.1f} s", f"{TOTAL_BUDGET_S:.0f} s",
         verdict(total_s, TOTAL_BUDGET_S)),
        ("  mỗi gói", f"{per_package:.2f} s", "—", ""),
        ("calamine đọc + executemany trần, cùng các dòng", f"{bare_s:.1f} s", "—", ""),
        ("nhận gói ÷ trần", f"{ratio:.2f}×", f"{BARE_RATIO_BUDGET:.1f}×", verdict(ratio, BARE_RATIO_BUDGET)),
        ("bộ nhớ cao nhất", f"{memory_mb:.0f} MB", f"{MEMORY_BUDGET_MB:.0f} MB", verdict(memory_mb, MEMORY_BUDGET_MB)),
        ("nhận lại một gói không đổi", f"{reimport_s * 1000:.0f} ms", f"{REIMPORT_BUDGET_S * 1000:.0f} ms",
         verdict(reimport_s, REIMPORT_BUDGET_S)),
    )  # fmt: skip
    for name, value, budget, result in table:
        print(f"{name:<52}{value:>12}{budget:>12}  {result}")
    size = sum(path.stat().st_size for path in paths)
    households_held, members_held = format_count(held["households"]), format_count(held["members"])
    print(f"({communes} xã, {households_held} hộ, {members_held} thành viên; gói {size / 1_000_000:.0f} MB)")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
