"""The office's tables read for browsing: every commune's rows with their provenance, searched without accents,
sorted the Vietnamese way, from the service and from the command line (issue 6)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import merge, office, office_browse, office_data, packages, trust
from khuyenhoc_desktop.services.office_browse import BrowseTable
from khuyenhoc_desktop.services.profile import list_hamlets, set_working_year
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import ReceivedPackage

PHUOC_VINH_TAY, AN_TINH = "28201", "25732"  # Xã Phước Vĩnh Tây and Phường An Tịnh, Tây Ninh


def record(id_: str, **fields: object) -> dict[str, object]:
    return {"id": id_, **fields}


def household(id_: str, code: str, hamlet: str, address: str = "", phone: str = "") -> dict[str, object]:
    return record(id_, code=code, hamlet_id="ap", hamlet_name=hamlet, address=address, phone=phone, note="")


def member(id_: str, household_id: str, name: str, born: int | None, sex: str, relation: str, **more: object) -> dict:
    return record(
        id_, household_id=household_id, household_code="", full_name=name, birth_year=born, sex=sex,
        relation=relation, school=more.get("school", ""), learning_status=more.get("status", "khong_di_hoc"),
        position=1,
    )  # fmt: skip


def fill(
    workspace: Workspace, commune: str, sequence: int, sheets: dict[str, list[dict[str, object]]], period: str = "2025"
) -> None:
    """Put a commune's snapshot in the office's tables as an applied package would."""
    with session_scope(workspace.engine) as session:
        package = ReceivedPackage(
            commune_code=commune, period=period, sequence=sequence, package_sha256=f"{commune}-{sequence}",
            status="applied",
        )  # fmt: skip
        session.add(package)
        session.flush()
        rows = {sheet: {str(r["id"]): r for r in records} for sheet, records in sheets.items()}
        office_data.replace_snapshot(session, commune, period, package.id, sequence, rows)


def two_communes(workspace: Workspace) -> None:
    """Phước Vĩnh Tây (its second package) with three households, An Tịnh (first package) with one; an older
    period of Phước Vĩnh Tây too, which a 2025 look must not show."""
    big = [member(f"b{i}", "h3", f"Nguyễn Văn Con {i}", 2000 + i, "nam", "con") for i in range(9)]
    fill(
        workspace,
        PHUOC_VINH_TAY,
        2,
        {
            "households": [
                household("h1", "00001", "Ấp Vĩnh Thạnh", "Tổ 3, Ấp Vĩnh Thạnh", "0909123456"),
                household("h2", "00002", "Ấp Đông Điền", "Số 12, đường Đông Điền"),
                household("h3", "00010", "Ấp Phước Lợi", "Tổ 1, Ấp Phước Lợi"),
            ],
            "members": [
                member("m1", "h1", "Nguyễn Văn Đức", 1968, "nam", "chu_ho"),
                member("m2", "h1", "Trần Thị Ánh", 1970, "nu", "vo_chong"),
                member(
                    "m3",
                    "h1",
                    "Nguyễn Minh An",
                    2012,
                    "nam",
                    "con",
                    school="Trường THCS Phước Vĩnh Tây, lớp 8A",
                    status="thcs",
                ),
                member("m4", "h2", "Lê Thị Ân", 1955, "nu", "chu_ho"),
                member("m5", "h3", "Nguyễn Văn Bình", None, "nam", "chu_ho"),
                *big,
            ],
            "clans": [
                record(
                    "c1",
                    name="Họ Nguyễn Văn",
                    representative="Nguyễn Văn Đức",
                    hamlet_ids="[]",
                    household_ids=json.dumps(["h1", "h3"]),
                    note="",
                )
            ],
            "ledger": [
                record(
                    "l1",
                    entry_on="2025-03-15",
                    direction="thu",
                    category="quyen_gop",
                    voucher_no="PT-2025-001",
                    counterpart="Công ty Phước Thành",
                    amount=1_500_000,
                    note="Ủng hộ quỹ",
                )
            ],
        },
    )
    fill(
        workspace,
        AN_TINH,
        1,
        {
            "households": [household("k1", "00001", "Khu phố 1", "Số 5, đường An Tịnh")],
            "members": [member("n1", "k1", "Đặng Văn An", 1980, "nam", "chu_ho")],
        },
    )
    fill(
        workspace,
        PHUOC_VINH_TAY,
        1,
        {"households": [household("old", "00099", "Ấp Vĩnh Thạnh")], "members": []},
        period="2024",
    )


@pytest.fixture
def bare_office(tmp_path: Path) -> Iterator[Workspace]:
    """Tây Ninh's province office, working on 2025, nothing received yet."""
    workspace = Workspace.open(tmp_path / "van-phong")
    office.init_office(workspace, "tinh", "80")
    set_working_year(workspace, 2025)
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def office_ws(bare_office: Workspace) -> Workspace:
    two_communes(bare_office)
    return bare_office


def column(table: BrowseTable, key: str, rows: list[tuple[object, ...]] | None = None) -> list[str]:
    shown = table.column(key)
    return [shown.text(row) for row in (table.rows if rows is None else rows)]


def test_households_of_every_commune_with_where_they_came_from(office_ws: Workspace) -> None:
    table = office_browse.load_table(office_ws, "households")
    assert table.period == "2025" and table.complete
    assert [c.header for c in table.columns] == [
        "Xã, phường", "Mã hộ", "Chủ hộ", "Ấp", "Địa chỉ", "Số nhân khẩu", "Điện thoại", "Ghi chú", "Lần gửi",
    ]  # fmt: skip
    shown = {(r[0], column(table, "code", [r])[0]): [c.text(r) for c in table.columns] for r in table.rows}
    assert shown == {
        (PHUOC_VINH_TAY, "00001"): ["Xã Phước Vĩnh Tây", "00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh",
                                    "Tổ 3, Ấp Vĩnh Thạnh", "3", "0909123456", "", "2"],
        (PHUOC_VINH_TAY, "00002"): ["Xã Phước Vĩnh Tây", "00002", "Lê Thị Ân", "Ấp Đông Điền",
                                    "Số 12, đường Đông Điền", "1", "", "", "2"],
        (PHUOC_VINH_TAY, "00010"): ["Xã Phước Vĩnh Tây", "00010", "Nguyễn Văn Bình", "Ấp Phước Lợi",
                                    "Tổ 1, Ấp Phước Lợi", "10", "", "", "2"],
        (AN_TINH, "00001"): ["Phường An Tịnh", "00001", "Đặng Văn An", "Khu phố 1", "Số 5, đường An Tịnh", "1", "",
                             "", "1"],
    }  # fmt: skip


def test_another_year_is_read_when_asked(office_ws: Workspace) -> None:
    assert column(office_browse.load_table(office_ws, "households", 2024), "code") == ["00099"]
    assert office_browse.count_rows(office_ws, "households") == 4
    assert office_browse.count_rows(office_ws, "households", 2024) == 1
    assert office_browse.count_rows(office_ws, "members", commune=AN_TINH) == 1


@pytest.mark.parametrize(
    ("sheet", "query", "found"),
    [
        ("households", "nguyen van duc", ["Nguyễn Văn Đức"]),  # the stored key, searched in SQL
        ("households", "DANG  an", ["Đặng Văn An"]),
        ("households", "dong dien", ["Lê Thị Ân"]),  # the address is in the key too
        ("members", "thi an", ["Trần Thị Ánh", "Lê Thị Ân"]),  # a word is found inside another
        ("clans", "ho nguyen", ["Họ Nguyễn Văn"]),  # folded as the rows are read
        ("ledger", "phuoc thanh", ["Công ty Phước Thành"]),
    ],
)
def test_search_ignores_accents_case_and_word_order(
    office_ws: Workspace, sheet: str, query: str, found: list[str]
) -> None:
    table = office_browse.load_table(office_ws, sheet, search=query)
    name = {"households": "head_name", "members": "full_name", "clans": "name", "ledger": "counterpart"}[sheet]
    assert column(table, name) == found
    assert table.search == " ".join(query.lower().split()).replace("đ", "d")


def test_one_commune(office_ws: Workspace) -> None:
    table = office_browse.load_table(office_ws, "members", commune=AN_TINH)
    assert column(table, "commune") == ["Phường An Tịnh"] and column(table, "full_name") == ["Đặng Văn An"]


def test_sort_names_by_given_name_the_vietnamese_way_and_numbers_by_value(office_ws: Workspace) -> None:
    table = office_browse.load_table(office_ws, "households")
    # An < Ân < Bình < Đức: given name first, ă/â after a, đ after d
    assert column(table, "head_name", office_browse.sort_rows(table, "head_name")) == [
        "Đặng Văn An", "Lê Thị Ân", "Nguyễn Văn Bình", "Nguyễn Văn Đức",
    ]  # fmt: skip
    assert column(table, "member_count", office_browse.sort_rows(table, "member_count", descending=True)) == [
        "10", "3", "1", "1",
    ]  # fmt: skip
    members = office_browse.load_table(office_ws, "members", commune=PHUOC_VINH_TAY)
    years = column(members, "birth_year", office_browse.sort_rows(members, "birth_year"))
    assert years[0] == "" and years[1:4] == ["1955", "1968", "1970"]  # unknown first, then by value
    names = column(members, "full_name", office_browse.sort_rows(members, "full_name"))
    assert names[9:] == ["Nguyễn Minh An", "Trần Thị Ánh", "Lê Thị Ân", "Nguyễn Văn Bình", "Nguyễn Văn Đức"]
    communes = column(table, "commune", office_browse.sort_rows(table, "commune"))
    assert communes == ["Phường An Tịnh"] + ["Xã Phước Vĩnh Tây"] * 3


def test_vocabulary_labels_dates_money_and_derived_counts(office_ws: Workspace) -> None:
    members = office_browse.load_table(office_ws, "members", search="nguyen minh an")
    assert [c.text(members.rows[0]) for c in members.columns] == [
        "Xã Phước Vĩnh Tây", "Nguyễn Minh An", "2012", "Nam", "Con", "", "Trường THCS Phước Vĩnh Tây, lớp 8A",
        "Đang học THCS", "2",
    ]  # fmt: skip
    ledger = office_browse.load_table(office_ws, "ledger")
    assert [c.text(ledger.rows[0]) for c in ledger.columns][1:7] == [
        "15/03/2025", "Thu", "Quyên góp, ủng hộ", "PT-2025-001", "Công ty Phước Thành", "1.500.000",
    ]  # fmt: skip
    assert ledger.column("amount").value(ledger.rows[0]) == 1_500_000 and ledger.column("amount").numeric
    clans = office_browse.load_table(office_ws, "clans")
    assert column(clans, "household_count") == ["2"]


def test_a_limit_says_the_rows_are_cut_short_and_what_they_cover(office_ws: Workspace) -> None:
    cut = office_browse.load_table(office_ws, "members", search="nguyen", limit=3)
    assert len(cut.rows) == 3 and not cut.complete
    assert not cut.covers(None, "nguyen van")  # rows are missing: narrowing them would hide some
    whole = office_browse.load_table(office_ws, "members", search="nguyen van", limit=100)
    assert whole.complete and len(whole.rows) == 11
    assert whole.covers(None, "nguyen van con") and whole.covers(PHUOC_VINH_TAY, "Nguyễn Văn")
    assert not whole.covers(None, "nguyen")  # a shorter query finds more than was read
    one = office_browse.load_table(office_ws, "members", commune=AN_TINH)
    assert one.covers(AN_TINH, "dang") and not one.covers(None, "dang") and not one.covers(PHUOC_VINH_TAY, "")


def test_only_an_office_and_known_sheets_and_columns(office_ws: Workspace, workspace: Workspace) -> None:
    with pytest.raises(UserError, match="chỉ cơ quan tổng hợp"):
        office_browse.load_table(workspace, "households")
    with pytest.raises(UserError, match="households, members"):
        office_browse.load_table(office_ws, "nha_cua")
    table = office_browse.load_table(office_ws, "clans")
    with pytest.raises(UserError, match=r"Dòng họ không có cột «head_name».*representative"):
        office_browse.sort_rows(table, "head_name")


def test_a_merged_package_is_browsable(bare_office: Workspace, workspace: Workspace, tmp_path: Path) -> None:
    """The whole way: a commune's household, exported, signed, verified and merged, then found at the office."""
    key_file = tmp_path / "xa.pub"
    keys.export_public(workspace.data_dir, key_file)
    trust.enrol_key(bare_office, PHUOC_VINH_TAY, keys.read_public(key_file), None, "tep_khoa")
    hamlet = next(h.id for h in list_hamlets(workspace) if h.name == "Ấp Đông Điền")
    household_service.create_household(workspace, HouseholdInput("00042", "Phạm Thị Hương", hamlet, address="Tổ 7"))
    folder = tmp_path / "goi"
    folder.mkdir()
    package = packages.export_package(workspace, 2025, folder).path
    assert merge.apply(bare_office, package).applied
    table = office_browse.load_table(bare_office, "households", search="pham thi huong")
    assert [[c.text(r) for c in table.columns] for r in table.rows] == [
        ["Xã Phước Vĩnh Tây", "00042", "Phạm Thị Hương", "Ấp Đông Điền", "Tổ 7", "1", "", "", "1"]
    ]


def run(capsys: pytest.CaptureFixture[str], office_ws: Workspace, *options: str) -> tuple[int, str, str]:
    code = main(["office", "browse", "--data-dir", str(office_ws.data_dir), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_browse_command(office_ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, office_ws, "--sheet", "households", "--sort", "head_name")
    lines = out.splitlines()
    assert code == 0 and re.split(r"\s{2,}", lines[0]) == [
        "Xã, phường", "Mã hộ", "Chủ hộ", "Ấp", "Địa chỉ", "Số nhân khẩu", "Điện thoại", "Ghi chú", "Lần gửi",
    ]  # fmt: skip
    assert [line.split("  ")[0].strip() for line in lines[1:5]] == ["Phường An Tịnh"] + ["Xã Phước Vĩnh Tây"] * 3
    assert ["Đặng Văn An" in lines[1], "Lê Thị Ân" in lines[2], "Nguyễn Văn Đức" in lines[4]] == [True] * 3
    assert lines[-1] == "Hộ gia đình năm 2025. Tổng: 4 hộ."

    code, out, _ = run(
        capsys, office_ws, "--sheet", "ledger", "--commune", PHUOC_VINH_TAY, "--search", "ung ho", "--format", "csv"
    )
    assert code == 0
    assert out.splitlines() == [
        '"Xã, phường",Ngày,Thu/chi,Khoản,Số phiếu,Người nộp / nhận,Số tiền (đồng),Ghi chú,Lần gửi',
        'Xã Phước Vĩnh Tây,15/03/2025,Thu,"Quyên góp, ủng hộ",PT-2025-001,Công ty Phước Thành,1500000,Ủng hộ quỹ,2',
    ]

    code, out, _ = run(capsys, office_ws, "--sheet", "households", "--year", "2024", "--format", "csv")
    assert code == 0 and [line.split(",")[1] for line in out.splitlines()[1:]] == ["00099"]


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (("--sheet", "nha"), "Không có bảng «nha»"),
        (("--sheet", "members", "--sort", "ten"), "không có cột «ten»"),
        (("--sheet", "members", "--commune", "01001"), "không có trong danh sách xã"),
    ],
)
def test_browse_command_refuses_in_vietnamese(
    office_ws: Workspace, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], reason: str
) -> None:
    code, out, err = run(capsys, office_ws, *options)
    assert code == 2 and reason in err and not out
