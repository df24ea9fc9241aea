"""People and households sent by two communes: found by folded name and birth year, reviewed as pairs, decided
with an audit entry and undo (issue 6)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput, Relation, Sex
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import duplicates, merge, packages, trust
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests.conftest import HAMLETS, commune_profile

YEAR = 2025
WEST, EAST = "28201", "25480"  # Xã Phước Vĩnh Tây, Phường Bình Minh (Tây Ninh)
WEST_NAME, EAST_NAME = "Xã Phước Vĩnh Tây", "Phường Bình Minh"


@dataclass
class Family:
    household_id: str
    member_ids: dict[str, str]  # full name → member id


class Commune:
    """A commune's own data folder that sends its packages to the office."""

    def __init__(self, root: Path, code: str) -> None:
        self.code = code
        self.root = root
        self.workspace = Workspace.open(root / code)
        profile_service.set_up(self.workspace, commune_profile(commune_code=code), HAMLETS)
        self.sent = 0

    def family(self, code: str, head: str, born: int | None, *others: tuple[str, int | None, str]) -> Family:
        """A household, its head and the other members (name, birth year, relation), in the first hamlet."""
        hamlet = next(h.id for h in list_hamlets(self.workspace) if h.name == HAMLETS[0])
        household_id = household_service.create_household(
            self.workspace, HouseholdInput(code, head, hamlet, head_birth_year=born)
        )
        member_ids = {m.full_name: m.id for m in household_service.list_members(self.workspace, household_id)}
        for name, year, relation in others:
            sex = Sex.FEMALE if " Thị " in name else Sex.MALE
            member_ids[name] = household_service.add_member(
                self.workspace, household_id, MemberInput(name, year, sex, relation)
            )
        return Family(household_id, member_ids)

    def export(self) -> Path:
        """The year's next package, not yet sent."""
        self.sent += 1
        folder = self.root / f"goi-{self.code}-{self.sent}"
        folder.mkdir()
        return packages.export_package(self.workspace, YEAR, folder).path

    def send(self, office_ws: Workspace, path: Path | None = None) -> merge.ApplyResult:
        """Have the office apply the package (a fresh one by default), enrolling the commune's key the first time."""
        if not trust.keys_of(office_ws, self.code):
            key_file = self.root / f"{self.code}.pub"
            keys.export_public(self.workspace.data_dir, key_file)
            trust.enrol_key(office_ws, self.code, keys.read_public(key_file), None, "tep_khoa")
        return merge.apply(office_ws, path or self.export())


@pytest.fixture
def communes(tmp_path: Path) -> Iterator[tuple[Commune, Commune]]:
    west, east = Commune(tmp_path / "xa", WEST), Commune(tmp_path / "xa", EAST)
    yield west, east
    for commune in (west, east):
        commune.workspace.close(backup=False)


@dataclass
class Sent:
    west_an: Family  # Nguyễn Văn An (1980) heads a household in both communes
    east_an: Family
    west_binh: str  # Trần Thị Bình (1982): his wife in the west, a daughter-in-law in the east
    east_binh: str


def send_two_communes(office_ws: Workspace, west: Commune, east: Commune) -> Sent:
    """A family registered by both communes, and names that must not match: another birth year, no birth
    year, and two namesakes within one commune."""
    west_an = west.family(
        "00001", "Nguyễn Văn An", 1980,
        ("Trần Thị Bình", 1982, Relation.SPOUSE), ("Lê Văn Cường", 1990, Relation.SIBLING),
        ("Phạm Thị Dung", None, Relation.OTHER),
    )  # fmt: skip
    west.family("00002", "Võ Văn Em", 1975, ("Võ Văn Em", 1975, Relation.PARENT))
    east_an = east.family("00007", "Nguyen van an", 1980)  # typed without accents: still the same folded name
    east_other = east.family(
        "00008", "Đỗ Văn Giang", 1950,
        ("Trần thị Bình", 1982, Relation.CHILD_IN_LAW), ("Lê Văn Cường", 1991, Relation.CHILD),
        ("Phạm Thị Dung", None, Relation.CHILD),
    )  # fmt: skip
    west.send(office_ws)
    east.send(office_ws)
    return Sent(west_an, east_an, west_an.member_ids["Trần Thị Bình"], east_other.member_ids["Trần thị Bình"])


def query(workspace: Workspace, sql: str, *params: object) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(database_path(workspace.data_dir))) as connection:
        return list(connection.execute(sql, params).fetchall())


def test_people_and_households_in_two_communes_are_grouped(
    office_ws: Workspace, communes: tuple[Commune, Commune]
) -> None:
    sent = send_two_communes(office_ws, *communes)
    groups = duplicates.find_groups(office_ws, YEAR)

    # The two heads are one household pair, not also a pair of people; the namesakes in one commune, the other
    # birth year and the unknown birth year are no match.
    assert [(g.full_name, g.birth_year, g.communes, g.records, g.pairs, g.open) for g in groups.people] == [
        ("Trần Thị Bình", 1982, (EAST, WEST), 2, 1, 1)
    ]
    assert [(g.name_key, g.birth_year, g.communes, g.pairs) for g in groups.households] == [
        ("nguyen van an", 1980, (EAST, WEST), 1)
    ]
    assert groups.open_pairs(duplicates.PEOPLE) == 1 and groups.open_pairs(duplicates.HOUSEHOLDS) == 1

    (pair,) = duplicates.group_pairs(office_ws, YEAR, groups.people[0])
    assert (pair.first.ref, pair.second.ref) == ((EAST, sent.east_binh), (WEST, sent.west_binh))
    east, west = pair.first, pair.second
    assert (east.commune_name, east.household_code, east.head_name, east.hamlet_name, east.relation_label) == (
        EAST_NAME, "00008", "Đỗ Văn Giang", HAMLETS[0], "Con dâu/Con rể"
    )  # fmt: skip
    assert (west.commune_name, west.household_code, west.head_name, west.relation_label) == (
        WEST_NAME, "00001", "Nguyễn Văn An", "Vợ/Chồng"
    )  # fmt: skip
    assert pair.decision is None and pair.decision_label == "Chưa quyết định"

    (household_pair,) = duplicates.group_pairs(office_ws, YEAR, groups.households[0])
    assert {household_pair.first.record_id, household_pair.second.record_id} == {
        sent.west_an.household_id,
        sent.east_an.household_id,
    }
    assert sorted(s.member_count for s in (household_pair.first, household_pair.second)) == [1, 4]


def test_a_decision_is_stored_in_fixed_order_audited_undone_and_withdrawn(
    office_ws: Workspace, communes: tuple[Commune, Commune]
) -> None:
    sent = send_two_communes(office_ws, *communes)
    # Named the other way round from the stored order: found again all the same.
    pair = duplicates.mark_pair(
        office_ws, YEAR, (WEST, sent.west_binh), (EAST, sent.east_binh), "duplicate", "Chuyển hộ khẩu"
    )
    assert pair.decision == duplicates.Decision.DUPLICATE and pair.first.commune_code == EAST
    stored = "SELECT sheet, first_commune, first_record, second_commune, second_record, decision, note " \
        "FROM duplicate_decision WHERE deleted_at IS NULL"  # fmt: skip
    assert query(office_ws, stored) == [
        ("members", EAST, sent.east_binh, WEST, sent.west_binh, "duplicate", "Chuyển hộ khẩu")
    ]
    label = f"Đánh dấu trùng: Trần thị Bình (1982) ở {EAST_NAME} và {WEST_NAME}"
    assert query(office_ws, "SELECT action FROM audit_log WHERE table_name = 'duplicate_decision'") == [(label,)]
    groups = duplicates.find_groups(office_ws, YEAR)
    assert (groups.people[0].decided, groups.people[0].open) == (1, 0)

    with pytest.raises(UserError, match="đã được ghi «Đánh dấu trùng» rồi"):
        duplicates.mark_pair(
            office_ws, YEAR, (EAST, sent.east_binh), (WEST, sent.west_binh), "duplicate", "Chuyển hộ khẩu"
        )
    changed = duplicates.mark_pair(office_ws, YEAR, (EAST, sent.east_binh), (WEST, sent.west_binh), "keep_both")
    assert changed.decision_label == "Giữ cả hai"
    assert query(office_ws, "SELECT decision, note FROM duplicate_decision") == [("keep_both", "")]

    assert office_ws.history.undo_label == f"Giữ cả hai: Trần thị Bình (1982) ở {EAST_NAME} và {WEST_NAME}"
    office_ws.history.undo(office_ws)
    assert query(office_ws, "SELECT decision, note FROM duplicate_decision") == [("duplicate", "Chuyển hộ khẩu")]
    office_ws.history.undo(office_ws)
    assert query(office_ws, "SELECT count(*) FROM duplicate_decision") == [(0,)]
    assert duplicates.find_groups(office_ws, YEAR).people[0].open == 1
    office_ws.history.redo(office_ws)

    withdrawn = duplicates.withdraw_decision(office_ws, YEAR, (WEST, sent.west_binh), (EAST, sent.east_binh))
    assert withdrawn.decision is None
    assert query(office_ws, "SELECT count(*) FROM duplicate_decision WHERE deleted_at IS NULL") == [(0,)]
    assert duplicates.find_groups(office_ws, YEAR).people[0].open == 1
    with pytest.raises(UserError, match="chưa có quyết định nào"):
        duplicates.withdraw_decision(office_ws, YEAR, (WEST, sent.west_binh), (EAST, sent.east_binh))


def test_household_decision_and_the_group_refreshed(office_ws: Workspace, communes: tuple[Commune, Commune]) -> None:
    sent = send_two_communes(office_ws, *communes)
    group = duplicates.find_groups(office_ws, YEAR).households[0]
    duplicates.mark_pair(
        office_ws, YEAR, (WEST, sent.west_an.household_id), (EAST, sent.east_an.household_id), "keep_both"
    )
    refreshed = duplicates.refresh_group(office_ws, YEAR, group)
    assert refreshed is not None and (refreshed.pairs, refreshed.decided, refreshed.open) == (1, 1, 0)
    assert refreshed == duplicates.find_groups(office_ws, YEAR).households[0]


def test_a_decision_is_refused_unless_the_two_records_match(
    office_ws: Workspace, communes: tuple[Commune, Commune]
) -> None:
    sent = send_two_communes(office_ws, *communes)
    west_ids, an_household = sent.west_an.member_ids, sent.west_an.household_id

    def refused(first: tuple[str, str], second: tuple[str, str], match: str) -> None:
        with pytest.raises(UserError, match=match):
            duplicates.mark_pair(office_ws, YEAR, first, second, "duplicate")

    refused((WEST, west_ids["Lê Văn Cường"]), (EAST, sent.east_binh), "không cùng họ tên và năm sinh")
    refused((WEST, west_ids["Trần Thị Bình"]), (WEST, west_ids["Lê Văn Cường"]), "cùng ở Xã Phước Vĩnh Tây")
    refused((WEST, an_household), (EAST, sent.east_binh), "một bên là hộ gia đình")
    heads = (WEST, west_ids["Nguyễn Văn An"]), (EAST, sent.east_an.member_ids["Nguyen van an"])
    refused(*heads, f"chủ hộ ở cả .*cặp hộ {EAST}:{sent.east_an.household_id[:8]} và {WEST}:{an_household[:8]}")
    refused(
        (WEST, "ffffffff-0000"), (EAST, sent.east_binh), f"Không có người hay hộ gia đình nào mã ffffffff-0000 .*{WEST}"
    )
    refused((WEST, west_ids["Phạm Thị Dung"]), (EAST, sent.east_binh), "chưa có năm sinh")
    with pytest.raises(UserError, match="Quyết định «xoa» không có"):
        duplicates.mark_pair(office_ws, YEAR, (WEST, sent.west_binh), (EAST, sent.east_binh), "xoa")
    assert query(office_ws, "SELECT count(*) FROM duplicate_decision") == [(0,)]


def test_short_ids_are_enough(office_ws: Workspace, communes: tuple[Commune, Commune]) -> None:
    sent = send_two_communes(office_ws, *communes)
    first = duplicates.parse_ref(f" {WEST}:{sent.west_binh[:8].upper()} ")
    assert first == (WEST, sent.west_binh[:8])
    pair = duplicates.mark_pair(
        office_ws, YEAR, first, duplicates.parse_ref(f"{EAST}:{sent.east_binh[:8]}"), "duplicate"
    )
    assert (pair.first.record_id, pair.second.record_id) == (sent.east_binh, sent.west_binh)
    with pytest.raises(UserError, match="MÃ_XÃ:MÃ_ĐỊNH_DANH"):
        duplicates.parse_ref(sent.west_binh)


def test_all_pairs_people_then_households(office_ws: Workspace, communes: tuple[Commune, Commune]) -> None:
    send_two_communes(office_ws, *communes)
    assert [
        (p.sheet, p.first.name_key, p.first.commune_code, p.second.commune_code)
        for p in duplicates.all_pairs(office_ws, YEAR)
    ] == [
        ("members", "tran thi binh", EAST, WEST),
        ("households", "nguyen van an", EAST, WEST),
    ]


def test_a_commune_folder_is_refused(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="chỉ cơ quan tổng hợp"):
        duplicates.find_groups(workspace, YEAR)


def test_duplicates_and_duplicate_mark_commands(
    office_ws: Workspace, communes: tuple[Commune, Commune], capsys: pytest.CaptureFixture[str]
) -> None:
    from khuyenhoc_desktop.cli import main

    sent = send_two_communes(office_ws, *communes)
    folder = ["--data-dir", str(office_ws.data_dir), "--year", str(YEAR)]
    assert main(["duplicates", *folder]) == 0
    out = capsys.readouterr().out
    east_ref, west_ref = f"{EAST}:{sent.east_binh[:8]}", f"{WEST}:{sent.west_binh[:8]}"
    person_line = next(line for line in out.splitlines() if line.startswith("Người"))
    assert person_line.split()[:2] == ["Người", "1982"] and east_ref in person_line and west_ref in person_line
    assert "Hộ gia đình  1980" in out and "Chưa quyết định" in out
    assert "2 cặp, 2 chưa quyết định" in out

    assert main(["duplicate-mark", *folder, "--first", west_ref, "--second", east_ref, "--decision", "trung",
                 "--note", "Cùng một người"]) == 0  # fmt: skip
    assert (
        f"Đã ghi «Đánh dấu trùng» cho cặp Trần thị Bình (1982) ở {EAST_NAME} và {WEST_NAME}." in capsys.readouterr().out
    )
    assert main(["duplicates", *folder, "--kind", "nguoi"]) == 0
    assert "Không có cặp trùng nào chưa quyết định." in capsys.readouterr().out
    assert main(["duplicates", *folder, "--all", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('Loại,Năm sinh,Mã 1,Họ tên 1,"Xã, phường 1"')
    assert f"{EAST}:{sent.east_binh}" in lines[1] and lines[1].endswith("Đánh dấu trùng,Cùng một người")

    assert main(["duplicate-mark", *folder, "--first", west_ref, "--second", east_ref, "--withdraw"]) == 0
    assert "lại chờ xem xét" in capsys.readouterr().out
    assert main(["duplicate-mark", *folder, "--first", "28201", "--second", east_ref, "--decision", "trung"]) == 2
    assert capsys.readouterr().err.startswith("--first: «28201» chưa đúng dạng MÃ_XÃ:MÃ_ĐỊNH_DANH")
