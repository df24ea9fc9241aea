"""The consolidated report at province scale, printed beside the budgets.

    python benchmarks/bench_office_report.py            # 100 communes × 3,000 households (of An Giang's 102)
    python benchmarks/bench_office_report.py --smoke    # 4 communes × 50 households, for CI: proves the script runs

The office's tables are filled directly (one received package per commune, its snapshot written with
`executemany` as the merge writes it), not through signed packages: this measures the report, not importing.
Each commune has hamlets, households, clans, units and citizens, their evaluations of the year (most registered,
most of those recognised by a decision, a few evaluations of records the commune deleted), awards in cash and in
kind, sessions and classes with targets, models and commendations. Members are left out: the report reads none.
The data folder is kept in benchmarks/out/. Figures: the report's figures (every line of every commune and the
total), then writing the workbook and the PDF. Budgets are for a 2-core laptop; tests never assert times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuyenhoc_desktop.documents.reports import write_office_report  # noqa: E402
from khuyenhoc_desktop.domain.activities import ActivityKind  # noqa: E402
from khuyenhoc_desktop.domain.awards import AwardCategory, AwardKind  # noqa: E402
from khuyenhoc_desktop.domain.honours import HonourKind, RecipientKind  # noqa: E402
from khuyenhoc_desktop.domain.titles import Title  # noqa: E402
from khuyenhoc_desktop.services import office, office_data  # noqa: E402
from khuyenhoc_desktop.services.office_report import office_report  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402
from khuyenhoc_desktop.storage.database import session_scope  # noqa: E402
from khuyenhoc_desktop.storage.paths import database_path  # noqa: E402
from khuyenhoc_desktop.storage.tables import ReceivedPackage  # noqa: E402

FIGURES_BUDGET_S = 3.0  # at 100 communes × 3,000 households
FILE_BUDGET_S = 5.0  # each of the workbook and the PDF
PROVINCE = "91"  # An Giang: 102 communes, so two show as not sent
SMOKE_PROVINCE = "80"
Record = dict[str, object]


class _Commune:
    """One commune's year, shaped like a package's sheets."""

    def __init__(self, rng: Random, year: int) -> None:
        self.rng, self.year = rng, year
        self.rows: dict[str, dict[str, Record]] = {}

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128)))

    def add(self, sheet: str, **record: object) -> str:
        record_id = self.new_id()
        self.rows.setdefault(sheet, {})[record_id] = {"id": record_id, **record}
        return record_id

    def day(self) -> str:
        return f"{self.year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def build(self, households: int) -> dict[str, dict[str, Record]]:
        rng, year = self.rng, self.year
        hamlets = [self.add("hamlets", name=f"Ấp {n}", position=n) for n in range(1, 11)]
        subjects = {
            Title.FAMILY: [
                self.add("households", code=f"{n:05d}", hamlet_id=rng.choice(hamlets), address="", phone="", note="")
                for n in range(1, households + 1)
            ],
            Title.CLAN: [
                self.add("clans", name=f"Họ {n}", hamlet_ids=json.dumps(rng.sample(hamlets, 2)), household_ids="[]")
                for n in range(max(2, households // 150))
            ],
            Title.COMMUNITY: hamlets,
            Title.UNIT: [
                self.add("units", name=f"Trường {n}", kind="truong_hoc") for n in range(max(2, households // 200))
            ],
            Title.CITIZEN: [self.add("citizens", full_name=f"Công dân {n}") for n in range(max(2, households // 15))],
        }
        shares = {Title.FAMILY: 0.85, Title.CLAN: 0.8, Title.COMMUNITY: 1.0, Title.UNIT: 0.8, Title.CITIZEN: 1.0}
        for title, ids in subjects.items():
            decision = self.add("decisions", title=title.value, year=year, number=f"{rng.randint(1, 99)}/QĐ-UBND")
            gone = [self.new_id() for _ in range(len(ids) // 100)]  # evaluations of records the commune deleted
            for subject in [s for s in ids if rng.random() < shares[title]] + gone:
                recognised = rng.random() < 0.92
                self.add("evaluations", title=title.value, year=year, subject_id=subject, registered_on=self.day(),
                         total=rng.randint(60, 100), passed=int(recognised),
                         decision_id=decision if recognised else None)  # fmt: skip
        for _ in range(households // 20):
            kind = AwardKind.CASH if rng.random() < 0.6 else rng.choice([k for k in AwardKind if k != AwardKind.CASH])
            self.add("awards", pupil_name=f"Học sinh {rng.randint(1, households)}", birth_year=rng.randint(2008, 2019),
                     category=rng.choice(list(AwardCategory)).value, kind=kind.value,
                     value_vnd=rng.choice((300_000, 500_000, 1_000_000, 2_000_000)), awarded_on=self.day())  # fmt: skip
        for kind, count in ((ActivityKind.SESSION, 24), (ActivityKind.TRAINING, 6), (ActivityKind.VOCATIONAL, 2)):
            for n in range(count):
                self.add("activities", kind=kind.value, name=f"Buổi {n}", starts_on=self.day(),
                         participants=rng.randint(15, 80))  # fmt: skip
            self.add("activity_targets", year=year, kind=kind.value, target=max(1, count - rng.randint(-3, 3)))
        for sheet, kind, count in (("models", HonourKind.MODEL, 3), ("commendations", HonourKind.COMMENDATION, 6)):
            for _ in range(count):
                self.add(sheet, kind=kind.value, recipient_kind=rng.choice(list(RecipientKind)).value,
                         recipient="Được khen", level="xa", honoured_on=self.day())  # fmt: skip
        return self.rows


def office_folder(out: Path, province: str, communes: int, households: int) -> Path:
    """An office of the province with `communes` of its communes' years, built once."""
    folder = out / f"office-report-{communes}x{households}"
    if database_path(folder).exists():
        return folder
    started = time.perf_counter()
    workspace = Workspace.open(folder)
    try:
        office.init_office(workspace, "tinh", province)
        year = workspace.working_year
        rng = Random(11)
        for unit in office.list_communes(workspace)[:communes]:
            rows = _Commune(rng, year).build(households)
            with session_scope(workspace.engine) as session:
                package = ReceivedPackage(
                    commune_code=unit.code, period=str(year), sequence=1, package_sha256=uuid.uuid4().hex,
                    status="applied", rows=sum(len(r) for r in rows.values()),
                )  # fmt: skip
                session.add(package)
                session.flush()
                office_data.replace_snapshot(session, unit.code, str(year), package.id, 1, rows)
    finally:
        workspace.close(backup=False)
    print(f"  (dựng thư mục cơ quan tổng hợp {communes} xã × {households:,} hộ: {time.perf_counter() - started:.1f} s)")
    return folder


def median_of(runs: int, fn: Callable[[], object]) -> float:
    """Seconds, median of `runs`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where data folders are kept")
    args = parser.parse_args(argv)
    province, communes, households = (SMOKE_PROVINCE, 4, 50) if args.smoke else (PROVINCE, 100, 3_000)
    runs = 1 if args.smoke else 3
    print(f"Báo cáo tổng hợp — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    folder = office_folder(args.out / ("smoke" if args.smoke else "full"), province, communes, households)
    workspace = Workspace.open(folder)
    try:
        year = workspace.working_year
        report = office_report(workspace, year)
        figures = median_of(runs, lambda: office_report(workspace, year))
        with tempfile.TemporaryDirectory() as scratch:
            files = {
                suffix: median_of(runs, lambda s=suffix: write_office_report(report, Path(scratch) / f"bao-cao{s}"))
                for suffix in (".xlsx", ".pdf")
            }
    finally:
        workspace.close(backup=False)
    scale = f"{communes} xã × {households:,} hộ"
    print(f"{'chỉ số':<40}{'quy mô':>24}{'đo được':>10}{'ngân sách':>11}  kết quả")
    for name, value, budget in (
        ("số liệu báo cáo (mọi xã và dòng tổng)", figures, FIGURES_BUDGET_S),
        ("ghi tệp Excel", files[".xlsx"], FILE_BUDGET_S),
        ("ghi tệp PDF", files[".pdf"], FILE_BUDGET_S),
    ):
        print(f"{name:<40}{scale:>24}{value:>8.2f} s{budget:>9.1f} s  {'đạt' if value <= budget else 'VƯỢT'}")
    total = report.total.titles[Title.FAMILY]
    print(f"(dòng tổng cộng: {total.total:,} hộ, {total.recognised:,} gia đình học tập được công nhận)")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
