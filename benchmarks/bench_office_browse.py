"""Browsing the consolidating office's tables at province scale, printed beside the budgets.

    python benchmarks/bench_office_browse.py            # 100 communes × 3,000 households, 1.2 million members
    python benchmarks/bench_office_browse.py --smoke    # 4 communes × 50 households, for CI: proves the script runs

The office's tables are filled directly (one received package per commune, its snapshot written with
`executemany` as the merge writes it), not through signed packages: this measures browsing, not importing.
The data folder is kept in benchmarks/out/. Figures: opening the households table (the service's read of
every commune's households and the model fill), one search keystroke (median and worst), one sort by the
head's name, choosing one commune and back to all; the same for the members table. Budgets are for a 2-core
laptop; tests never assert times.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from random import Random

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuyenhoc_desktop.domain import admin_units  # noqa: E402
from khuyenhoc_desktop.domain.household import LearningStatus, Relation, Sex  # noqa: E402
from khuyenhoc_desktop.services import office, office_data  # noqa: E402
from khuyenhoc_desktop.services.demo import Namer, phone_number  # noqa: E402
from khuyenhoc_desktop.services.workspace import Workspace  # noqa: E402
from khuyenhoc_desktop.storage.database import session_scope  # noqa: E402
from khuyenhoc_desktop.storage.paths import database_path  # noqa: E402
from khuyenhoc_desktop.storage.tables import ReceivedPackage  # noqa: E402

OPEN_BUDGET_S = 3.0  # the households table at 300,000
KEYSTROKE_BUDGET_MS = 50.0  # worst keystroke at 300,000
SORT_BUDGET_MS = 300.0  # by the head's name at 300,000
PROVINCE = "82"  # Đồng Tháp: more than 100 communes, southern names
QUERY = "nguyen van "  # typed one key at a time
HAMLETS = ("Bình Thạnh", "Tân Phú", "Mỹ Hòa", "An Phong", "Long Hưng", "Phú Điền", "Hòa Lợi", "Tân Hội", "Mỹ An")
Record = dict[str, object]


class _Commune:
    """One commune's households and members, shaped like a package's sheets: about four people a household,
    most houses found by their group (tổ), some by a road number, children at the commune's schools."""

    def __init__(self, rng: Random, namer: Namer, name: str) -> None:
        self.rng, self.namer = rng, namer
        self.place = admin_units.short_name(name)
        self.hamlets = [(str(uuid.UUID(int=rng.getrandbits(128))), f"Ấp {h}") for h in HAMLETS]
        self.households: dict[str, Record] = {}
        self.members: dict[str, Record] = {}

    def household(self, number: int, year: int) -> None:
        rng = self.rng
        household_id = str(uuid.UUID(int=rng.getrandbits(128)))
        hamlet_id, hamlet = rng.choice(self.hamlets)
        address = (
            f"Tổ {rng.randint(1, 8)}, {hamlet}" if rng.random() < 0.65 else f"Số {rng.randint(1, 350)}, đường {hamlet}"
        )
        code = f"{number:05d}"
        self.households[household_id] = {
            "id": household_id, "code": code, "hamlet_id": hamlet_id, "hamlet_name": hamlet, "address": address,
            "phone": phone_number(rng) if rng.random() < 0.7 else "",
            "note": rng.choices(("", "Hộ cận nghèo", "Hộ nghèo"), (90, 6, 4))[0],
        }  # fmt: skip
        surname = self.namer.surname(rng)
        head_born = rng.randint(1945, 1995)
        people = [(surname, Sex.MALE if rng.random() < 0.75 else Sex.FEMALE, head_born, Relation.HEAD)]
        if rng.random() < 0.8:
            other = Sex.FEMALE if people[0][1] == Sex.MALE else Sex.MALE
            people.append((self.namer.surname(rng), other, head_born + rng.randint(-4, 4), Relation.SPOUSE))
        for _ in range(rng.choice((0, 1, 2, 2, 2, 3, 3, 4))):
            born = min(year, head_born + rng.randint(20, 40))
            people.append((surname, rng.choice((Sex.MALE, Sex.FEMALE)), born, Relation.CHILD))
        for position, (family, sex, born, relation) in enumerate(people, 1):
            member_id = str(uuid.UUID(int=rng.getrandbits(128)))
            status, school = self._schooling(year - born)
            self.members[member_id] = {
                "id": member_id, "household_id": household_id, "household_code": code,
                "full_name": self.namer.full_name(rng, family, sex, born), "birth_year": born, "sex": sex.value,
                "relation": relation.value, "school": school, "learning_status": status, "position": position,
            }  # fmt: skip

    def _schooling(self, age: int) -> tuple[str, str]:
        letter = self.rng.choice("ABCD")
        if age < 3:
            return LearningStatus.PRESCHOOL_AGE.value, ""
        if age < 6:
            return LearningStatus.KINDERGARTEN.value, f"Trường Mầm non {self.place}"
        if age <= 10:
            return LearningStatus.PRIMARY.value, f"Trường Tiểu học {self.place}, lớp {age - 5}{letter}"
        if age <= 14:
            return LearningStatus.LOWER_SECONDARY.value, f"Trường THCS {self.place}, lớp {age - 5}{letter}"
        if age <= 17:
            return LearningStatus.UPPER_SECONDARY.value, f"Trường THPT {self.place}, lớp {age - 5}{letter}"
        return (LearningStatus.ADULT_LEARNING if self.rng.random() < 0.3 else LearningStatus.NOT_STUDYING).value, ""


def office_folder(out: Path, communes: int, households: int) -> Path:
    """An office of the province with `communes` of its communes' households and members, built once."""
    folder = out / f"office-{communes}x{households}"
    if database_path(folder).exists():
        return folder
    started = time.perf_counter()
    workspace = Workspace.open(folder)
    try:
        office.init_office(workspace, "tinh", PROVINCE)
        period = str(workspace.working_year)
        rng, namer = Random(7), Namer(southern=True)
        for unit in office.list_communes(workspace)[:communes]:
            commune = _Commune(rng, namer, unit.name)
            for number in range(1, households + 1):
                commune.household(number, workspace.working_year)
            rows = {"hamlets": {h: {"id": h, "name": name} for h, name in commune.hamlets}}
            rows |= {"households": commune.households, "members": commune.members}
            with session_scope(workspace.engine) as session:
                package = ReceivedPackage(
                    commune_code=unit.code, period=period, sequence=1, package_sha256=uuid.uuid4().hex,
                    status="applied", rows=sum(len(r) for r in rows.values()),
                )  # fmt: skip
                session.add(package)
                session.flush()
                office_data.replace_snapshot(session, unit.code, period, package.id, 1, rows)
    finally:
        workspace.close(backup=False)
    print(f"  (dựng thư mục cơ quan tổng hợp {communes} xã × {households:,} hộ: {time.perf_counter() - started:.1f} s)")
    return folder


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


class _InlinePool:
    """Runs the view's reads at once, so a figure holds the read and the model fill together."""

    def start(self, runnable: object) -> None:
        runnable.run()  # type: ignore[attr-defined]


def view_figures(folder: Path) -> dict[str, float]:
    """Milliseconds on the window's side, and the service's reads on their own."""
    from PySide6.QtCore import Qt

    from khuyenhoc_desktop.services import office_browse
    from khuyenhoc_desktop.ui import worker
    from khuyenhoc_desktop.ui.app import application
    from khuyenhoc_desktop.ui.views.office_tables_view import IN_MEMORY_ROWS, OfficeTablesView

    application()
    worker.pool = lambda: _InlinePool()  # type: ignore[assignment,return-value]
    workspace = Workspace.open(folder)
    try:
        read_ms = timed(lambda: office_browse.load_table(workspace, "households"))
        holder: list[OfficeTablesView] = []
        open_ms = timed(lambda: holder.append(OfficeTablesView(workspace)))
        view = holder[0]
        view.resize(1400, 800)
        view.show()
        keys = [timed(lambda n=n: view.search.setText(QUERY[:n])) for n in range(1, len(QUERY) + 1)]
        view.search.clear()
        head = [c.key for c in view.model.table.columns].index("head_name")
        sorts = [
            timed(lambda order=order: view.table.sortByColumn(head, order))
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 3
        ]
        communes = [timed(lambda i=i: view.commune_choice.setCurrentIndex(i)) for i in (1, 2, 0)]
        households = view.model.total()
        view.commune_choice.setCurrentIndex(1)
        members_ms = timed(lambda: view.sheet_choice.setCurrentIndex(view.sheet_choice.findData("members")))
        commune_members = view.model.total()
        members_total = office_browse.count_rows(workspace, "members")
        found: list[office_browse.BrowseTable] = []
        search_ms = timed(
            lambda: found.append(
                office_browse.load_table(workspace, "members", search="nguyen van an", limit=IN_MEMORY_ROWS)
            )
        )
        view.close()
    finally:
        workspace.close(backup=False)
    return {
        "households": households, "read": read_ms, "open": open_ms, "key": statistics.median(keys),
        "key_worst": max(keys), "sort": statistics.median(sorts), "commune": max(communes),
        "members": members_total, "commune_members": commune_members, "members_open": members_ms,
        "members_found": len(found[0].rows), "members_search": search_ms,
    }  # fmt: skip


def verdict(value: float, budget: float) -> str:
    return "đạt" if value <= budget else "VƯỢT"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script, not the speed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out", help="where data folders are kept")
    args = parser.parse_args(argv)
    communes, households = (4, 50) if args.smoke else (100, 3_000)
    scale = "chạy thử nhanh" if args.smoke else "quy mô thật"
    print(f"Bảng số liệu các xã, phường ở cơ quan tổng hợp — đo tốc độ ({scale})")
    folder = office_folder(args.out / ("smoke" if args.smoke else "full"), communes, households)
    f = view_figures(folder)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hh, people, one = int(f["households"]), int(f["members"]), int(f["commune_members"])
    print(f"{'chỉ số':<48}{'quy mô':>11}{'đo được':>12}{'ngân sách':>12}  kết quả")
    rows = (
        ("đọc bảng hộ (dịch vụ, ở luồng phụ)", hh, f"{f['read'] / 1000:.2f} s", "—", ""),
        ("mở bảng hộ: đọc, đổ vào bảng, xếp theo xã", hh, f"{f['open'] / 1000:.2f} s", f"{OPEN_BUDGET_S:.2f} s",
         verdict(f["open"] / 1000, OPEN_BUDGET_S)),
        ("một phím gõ tìm kiếm (trung vị)", hh, f"{f['key']:.1f} ms", f"{KEYSTROKE_BUDGET_MS:.0f} ms",
         verdict(f["key"], KEYSTROKE_BUDGET_MS)),
        ("một phím gõ tìm kiếm (chậm nhất)", hh, f"{f['key_worst']:.1f} ms", f"{KEYSTROKE_BUDGET_MS:.0f} ms",
         verdict(f["key_worst"], KEYSTROKE_BUDGET_MS)),
        ("một lần xếp theo tên chủ hộ (trung vị)", hh, f"{f['sort']:.1f} ms", f"{SORT_BUDGET_MS:.0f} ms",
         verdict(f["sort"], SORT_BUDGET_MS)),
        ("chọn một xã, phường / trở lại tất cả (chậm nhất)", hh, f"{f['commune']:.1f} ms", "—", ""),
        ("mở bảng thành viên của một xã", one, f"{f['members_open']:.1f} ms", "—", ""),
        ("tìm «nguyen van an» trong thành viên mọi xã", people, f"{f['members_search']:.0f} ms", "—", ""),
        ("bộ nhớ đỉnh của tiến trình", hh, f"{peak_mb:.0f} MB", "—", ""),
    )  # fmt: skip
    for name, size, value, budget, result in rows:
        print(f"{name:<48}{size:>11,}{value:>12}{budget:>12}  {result}")
    print(f"(tìm «nguyen van an» thấy {int(f['members_found']):,} người, đọc bằng SQL trên khóa tên đã lưu)")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
