"""The demo commune: believable, consistent with what the services would have written, and never
written over real data."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from khuyenhoc_desktop.domain.activities import ActivityInput
from khuyenhoc_desktop.domain.awards import AwardCategory, AwardEventInput, AwardInput, AwardKind, split_school
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.honours import HonourInput
from khuyenhoc_desktop.domain.household import LearningStatus, Relation, Sex, normalize_phone
from khuyenhoc_desktop.domain.ledger import LedgerInput
from khuyenhoc_desktop.domain.profile import Role, default_association_name
from khuyenhoc_desktop.domain.rubric import score
from khuyenhoc_desktop.domain.rubric_presets import FAMILY, SCHOOL_AGE_CHILDREN_IN_SCHOOL
from khuyenhoc_desktop.domain.text import fold, name_sort_key, nfc
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.domain.unit import UnitKind
from khuyenhoc_desktop.services import activities as activity_service
from khuyenhoc_desktop.services import awards as award_service
from khuyenhoc_desktop.services import citizens as citizen_service
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import evaluations as evaluation_service
from khuyenhoc_desktop.services import hamlet_register, prefill, recycle_bin
from khuyenhoc_desktop.services import honours as honour_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import ledger as ledger_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services import rubrics as rubric_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.demo import DemoSummary, create_demo
from khuyenhoc_desktop.services.demo_support import (
    activity_row,
    award_deletion_label,
    award_label,
    award_payment,
    award_row,
    event_label,
    event_row,
    honour_row,
    ledger_label,
    ledger_row,
    target_row,
    targets_label,
)
from khuyenhoc_desktop.services.demo_titles import (
    batch_label,
    citizen_result_label,
    citizen_result_row,
    decision_row,
    registration_row,
    scoring_changes,
    scoring_label,
    working_year_decision_day,
)
from khuyenhoc_desktop.services.prefill import school_attendance
from khuyenhoc_desktop.services.statistics import commune_statistics
from khuyenhoc_desktop.services.support_statistics import support_lines, support_statistics
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import connect
from khuyenhoc_desktop.storage.migrations import household_search_text
from khuyenhoc_desktop.storage.paths import database_path

SMALL = 200


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    """One small demo shared by the read-only tests (each build is a fraction of a second, but adds up)."""
    return create_demo(tmp_path_factory.mktemp("demo") / "xa-mau", households=SMALL)


@pytest.fixture
def demo_workspace(demo: DemoSummary) -> Iterator[Workspace]:
    workspace = Workspace.open(demo.data_dir)
    yield workspace
    workspace.close(backup=False)


def _rows(data_dir: Path, sql: str, parameters: dict[str, object] | None = None) -> list[sqlite3.Row]:
    connection = connect(database_path(data_dir))
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql, parameters or {}).fetchall()
    finally:
        connection.close()


def _surname(full_name: str) -> str:
    return full_name.split()[0]


def _school_year_now() -> int:
    today = date.today()
    return today.year if (today.month, today.day) >= (9, 15) else today.year - 1


def test_demo_is_the_requested_commune(demo: DemoSummary, demo_workspace: Workspace) -> None:
    assert (demo.commune_name, demo.province_name, demo.households) == ("Xã Phước Vĩnh Tây", "Tây Ninh", SMALL)
    profile = demo_workspace.profile
    assert profile is not None
    assert (profile.role, profile.commune_code, profile.province_code) == (Role.COMMUNE, "28201", "80")
    assert (profile.commune_name, profile.province_name) == ("Xã Phước Vĩnh Tây", "Tây Ninh")
    assert profile.association_name == default_association_name(Role.COMMUNE, "80", "28201")
    assert profile.signer_title == "Chủ tịch"
    assert len(profile.officer_name.split()) >= 3 and len(profile.signer_name.split()) >= 3
    assert profile.working_year == date.today().year
    hamlets = profile_service.list_hamlets(demo_workspace)
    assert 6 <= len(hamlets) == demo.hamlets <= 10
    assert all(h.name.startswith("Ấp ") and len(h.name.split()) >= 3 for h in hamlets)
    assert sum(h.household_count for h in hamlets) == SMALL - demo.deleted_households


def test_every_live_household_has_one_head_and_a_five_digit_code(demo: DemoSummary, demo_workspace: Workspace) -> None:
    rows = household_service.list_households(demo_workspace)
    assert len(rows) == SMALL - demo.deleted_households
    assert all(row.head_name and row.member_count >= 1 for row in rows)
    heads = _rows(
        demo.data_dir,
        """SELECT h.code, count(m.id) AS heads FROM household h
           LEFT JOIN member m ON m.household_id = h.id AND m.relation = 'chu_ho' AND m.deleted_at IS NULL
           GROUP BY h.id""",
    )
    assert {row["code"] for row in heads} == {f"{n:05d}" for n in range(1, SMALL + 1)}
    assert {row["heads"] for row in heads} == {1}
    assert household_service.next_household_code(demo_workspace) == f"{SMALL + 1:05d}"
    total_members = _rows(demo.data_dir, "SELECT count(*) AS n FROM member")[0]["n"]
    assert total_members == demo.members
    assert 3.0 <= demo.members / SMALL <= 5.0
    assert max(row.member_count for row in rows) <= 7


def test_text_is_nfc_with_diacritics_and_derived_keys_match_the_services(demo: DemoSummary) -> None:
    members = _rows(demo.data_dir, "SELECT * FROM member")
    for member in members:
        for column in ("full_name", "school"):
            assert member[column] == nfc(member[column])
        assert member["name_key"] == fold(member["full_name"])
        assert member["name_sort"] == name_sort_key(member["full_name"])
        assert member["sex"] in set(Sex) and member["relation"] in set(Relation)
        assert member["learning_status"] in set(LearningStatus)
    assert sum(not member["full_name"].isascii() for member in members) > len(members) / 2
    assert any("Đ" in member["full_name"] or "đ" in member["full_name"] for member in members)
    households = _rows(
        demo.data_dir,
        """SELECT h.*, m.full_name AS head FROM household h
           JOIN member m ON m.household_id = h.id AND m.relation = 'chu_ho' AND m.deleted_at IS NULL""",
    )
    assert len(households) == SMALL
    for household in households:
        assert household["address"] == nfc(household["address"])
        assert household["search_key"] == household_search_text(
            household["code"], household["head"], household["address"], household["phone"], household["note"]
        )
        assert household["phone"] == "" or normalize_phone(household["phone"]) == household["phone"]
    assert any(h["phone"] for h in households) and any(not h["phone"] for h in households)
    assert any(h["address"].startswith("Tổ ") for h in households)


def test_families_are_plausible(demo: DemoSummary) -> None:
    members = _rows(demo.data_dir, "SELECT * FROM member WHERE deleted_at IS NULL")
    heads = {m["household_id"]: m for m in members if m["relation"] == Relation.HEAD}
    for member in members:
        head = heads[member["household_id"]]
        assert 1940 <= head["birth_year"] <= 1995
        if member["relation"] == Relation.SPOUSE:
            assert _surname(member["full_name"]) != _surname(head["full_name"])
            assert member["sex"] != head["sex"]
        if member["relation"] == Relation.CHILD:
            assert member["birth_year"] - head["birth_year"] >= 12
            if head["sex"] == Sex.MALE:
                assert _surname(member["full_name"]) == _surname(head["full_name"])
        if member["relation"] == Relation.GRANDCHILD:
            assert member["birth_year"] - head["birth_year"] >= 30
    assert {m["relation"] for m in members} >= {
        Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.GRANDCHILD, Relation.CHILD_IN_LAW
    }  # fmt: skip
    surnames = [_surname(m["full_name"]) for m in members]
    assert 0.2 < surnames.count("Nguyễn") / len(surnames) < 0.45


def test_school_age_children_have_a_fitting_school_and_status(demo: DemoSummary) -> None:
    # Members of households in the recycle bin stopped being updated when they were deleted.
    members = _rows(
        demo.data_dir,
        """SELECT m.* FROM member m JOIN household h ON h.id = m.household_id
           WHERE h.deleted_at IS NULL AND m.deleted_at IS NULL""",
    )
    school_year = _school_year_now()
    levels = {
        LearningStatus.PRIMARY: ("Trường Tiểu học ", range(1, 6)),
        LearningStatus.LOWER_SECONDARY: ("Trường THCS ", range(6, 10)),
        LearningStatus.UPPER_SECONDARY: ("Trường THPT ", range(10, 13)),
    }
    found = {status: 0 for status in levels}
    for member in members:
        grade = school_year - member["birth_year"] - 5
        status = member["learning_status"]
        if status in levels:
            prefix, grades = levels[LearningStatus(status)]
            assert member["school"].startswith(prefix) and f", lớp {grade}" in member["school"]
            assert grade in grades
            found[LearningStatus(status)] += 1
        if grade >= 18:  # 23 and over
            assert status in (LearningStatus.ADULT_LEARNING, LearningStatus.NOT_STUDYING)
        if grade <= -3:  # under 3
            assert status == LearningStatus.PRESCHOOL_AGE
    assert all(count >= 5 for count in found.values()), found


_TABLES = (
    "profile", "hamlet", "household", "member", "rubric", "clan", "unit", "citizen", "decision", "evaluation",
    "award_event", "award", "ledger_entry", "activity", "activity_target", "honour",
)  # fmt: skip
# How the services label the change that creates a row of each kind ("Thêm suất …" also posts its payment).
_CREATED_BY = (
    "Thiết lập đơn vị", "Thêm hộ ", "Thêm thành viên ", "Cài các bộ tiêu chí mẫu", "Thêm dòng họ «", "Thêm đơn vị «",
    "Thêm công dân ", "Đăng ký ", "Chấm điểm Công dân học tập năm ", "Công nhận ", "Thêm lễ trao «", "Thêm suất ",
    "Thêm phiếu thu ", "Thêm phiếu chi ", "Thêm buổi sinh hoạt «", "Thêm lớp ", "Đặt chỉ tiêu năm ",
    "Thêm mô hình học tập tiêu biểu «", "Thêm giấy khen «",
)  # fmt: skip
_ATTENDANCE_INDICATOR = next(i for i in FAMILY.indicators if i.prefill == SCHOOL_AGE_CHILDREN_IN_SCHOOL)
_ATTENDANCE, _ATTENDANCE_POINTS = _ATTENDANCE_INDICATOR.code, _ATTENDANCE_INDICATOR.max_points


def test_history_spans_years_and_replays_to_the_stored_rows(demo: DemoSummary) -> None:
    """Every row of every table is what its audit entries, replayed in order, leave; and each family was
    offered the school-attendance points services.prefill computes from the members as they stood then."""
    audit = _rows(demo.data_dir, "SELECT * FROM audit_log ORDER BY id")
    assert len({entry["at"][:4] for entry in audit}) >= 2
    assert [entry["at"] for entry in audit] == sorted(entry["at"] for entry in audit)
    assert all(entry["officer"] for entry in audit)
    columns = {table: list(SQLModel.metadata.tables[table].columns.keys()) for table in _TABLES}
    latest: dict[str, dict[str, object]] = {}
    members: dict[object, dict[object, dict[str, object]]] = {}  # household id → member id → row then
    scored_families = overridden = 0
    for entry in audit:
        after = json.loads(entry["after_json"])
        assert list(after) == columns[entry["table_name"]]
        if entry["record_id"] in latest:
            assert json.loads(entry["before_json"]) == latest[entry["record_id"]]
        else:
            assert entry["before_json"] is None
            assert entry["action"].startswith(_CREATED_BY), entry["action"]
        latest[entry["record_id"]] = after
        if entry["table_name"] == "member":
            members.setdefault(after["household_id"], {})[after["id"]] = after
        if entry["action"].startswith("Chấm điểm Gia đình học tập "):
            living = [(m["full_name"], m["birth_year"], m["learning_status"]) for m in
                      members[after["subject_id"]].values() if m["deleted_at"] is None]  # fmt: skip
            suggested = _ATTENDANCE_POINTS if school_attendance(living, after["year"]).all_in_school else 0
            assert json.loads(after["prefilled"]) == {_ATTENDANCE: suggested}
            given = json.loads(after["scores"])[_ATTENDANCE]
            assert (given != suggested) == entry["action"].endswith(
                f"(sửa điểm tự điền chỉ tiêu {_ATTENDANCE}: {suggested} → {given})"
            )
            scored_families += 1
            overridden += given != suggested
    assert scored_families > SMALL / 2 and overridden < scored_families / 10
    for table in _TABLES:
        stored = {str(row["id"]): dict(row) for row in _rows(demo.data_dir, f"SELECT * FROM {table}")}
        assert stored == {key: latest[key] for key in stored}
    actions = [entry["action"] for entry in audit]
    assert any(a.startswith("Sửa tình trạng học tập của ") for a in actions)
    assert any(a.startswith("Sửa thông tin ấp «") for a in actions)
    assert any(a.startswith("Sửa trường/lớp đang học của ") for a in actions)
    created = _rows(demo.data_dir, "SELECT min(created_at) AS first, max(created_at) AS last FROM household")[0]
    assert created["first"].startswith("2023-") and created["last"] > "2024"


def test_hamlets_clans_and_units_are_the_communes_own(demo: DemoSummary, demo_workspace: Workspace) -> None:
    profile = demo_workspace.profile
    assert profile is not None
    assert all(len(h.leader_name.split()) >= 3 for h in hamlet_register.list_hamlet_communities(demo_workspace))
    households = {row.id: row for row in household_service.list_households(demo_workspace)}
    clans = clan_service.list_clans(demo_workspace)
    assert len(clans) == demo.clans >= 5
    linked: set[str] = set()
    for clan in clans:
        assert clan.name.startswith(("Họ ", "Dòng họ ")) and 1 <= len(clan.hamlet_ids) <= 3
        family_name = clan.name.removeprefix("Dòng họ ").removeprefix("Họ ").split()[0]
        assert clan.household_ids and set(clan.household_ids) <= households.keys()  # live households only
        members = [households[household_id] for household_id in clan.household_ids]
        assert {m.hamlet_id for m in members} <= set(clan.hamlet_ids)
        assert {_surname(m.head_name) for m in members} == {family_name}
        assert clan.representative in {m.head_name for m in members}
        assert linked.isdisjoint(clan.household_ids)
        linked |= set(clan.household_ids)
    assert len(linked) < len(households) / 2
    assert len({fold(clan.name.removeprefix("Dòng họ ").removeprefix("Họ ")) for clan in clans}) == len(clans)
    units = unit_service.list_units(demo_workspace)
    assert 6 <= len(units) == demo.units <= 10
    assert {u.kind for u in units} == set(UnitKind) - {UnitKind.OTHER}
    assert all(u.head_name and u.staff_count > 0 for u in units)
    assert any(u.name == "Ủy ban nhân dân xã Phước Vĩnh Tây" and u.head_name == profile.signer_name for u in units)
    attended = {row["school"].split(", lớp")[0] for row in _rows(demo.data_dir, "SELECT school FROM member")}
    schools = [u.name for u in units if u.kind == UnitKind.SCHOOL]
    assert set(schools) <= attended
    assert all(
        any(s.startswith(level) for s in schools) for level in ("Trường Mầm non ", "Trường Tiểu học ", "Trường THCS ")
    )


def test_statistics_have_figures_for_both_years(demo_workspace: Workspace) -> None:
    today = date.today()
    previous = commune_statistics(demo_workspace, today.year - 1).total
    family = previous[Title.FAMILY]
    assert 0.75 <= family.registered / family.total <= 0.95
    assert 0.6 * family.registered <= family.recognised < family.registered
    assert all(previous[title].recognised > 0 for title in Title)
    working = commune_statistics(demo_workspace, today.year).total
    assert 0.75 <= working[Title.FAMILY].registered / working[Title.FAMILY].total <= 0.97
    decided = working_year_decision_day(today) is not None
    assert (working[Title.FAMILY].recognised > 0) == decided
    if decided:
        assert all(working[title].registered > 0 and working[title].recognised > 0 for title in Title)


def test_results_follow_their_rubric_and_recognitions_their_decision(
    demo: DemoSummary, demo_workspace: Workspace
) -> None:
    profile = demo_workspace.profile
    assert profile is not None
    decisions = {d["id"]: d for d in _rows(demo.data_dir, "SELECT * FROM decision")}
    assert {(d["title"], d["year"]) for d in decisions.values()} >= {(t.value, date.today().year - 1) for t in Title}
    for decision in decisions.values():
        assert re.fullmatch(r"\d+/QĐ-KH", decision["number"]) and decision["deleted_at"] is None
        assert (decision["signer_title"], decision["signer_name"]) == (profile.signer_title, profile.signer_name)
        assert int(decision["signed_on"][:4]) == decision["year"]
    assert len({(d["year"], d["number"]) for d in decisions.values()}) == len(decisions)
    rubrics_used = {}
    evaluations = _rows(demo.data_dir, "SELECT * FROM evaluation")
    for evaluation in evaluations:
        if evaluation["decision_id"] is not None:
            decision = decisions[evaluation["decision_id"]]
            assert evaluation["passed"] == 1 and evaluation["deleted_at"] is None
            assert (decision["title"], decision["year"]) == (evaluation["title"], evaluation["year"])
            assert evaluation["updated_at"] >= decision["created_at"] >= evaluation["registered_on"]
        if evaluation["passed"] is None:
            continue
        rubric_id = evaluation["rubric_id"]
        rubric = rubrics_used.setdefault(rubric_id, rubric_service.get_rubric(demo_workspace, rubric_id))
        assert rubric.title == evaluation["title"] and rubric.applies_to(evaluation["year"])
        outcome = score(rubric, json.loads(evaluation["scores"]))
        assert (evaluation["total"], evaluation["passed"], evaluation["reasons"]) == (
            outcome.total, outcome.passed, "; ".join(outcome.reasons)
        )  # fmt: skip
    reasons = {e["title"]: set() for e in evaluations}
    for e in evaluations:
        reasons[e["title"]].update(e["reasons"].split("; ") if e["reasons"] else [])
    assert all(re.fullmatch(r"thiếu \d+ điểm|chỉ tiêu \d+ dưới 5 điểm", r) for found in reasons.values() for r in found)
    assert any(r.startswith("thiếu ") for r in reasons[Title.FAMILY])


def test_each_evaluation_is_named_in_its_audit_entries_as_the_services_name_it(
    demo: DemoSummary, demo_workspace: Workspace
) -> None:
    actions: dict[str, list[str]] = {}
    for entry in _rows(demo.data_dir, "SELECT record_id, action FROM audit_log WHERE table_name = 'evaluation'"):
        actions.setdefault(entry["record_id"], []).append(entry["action"])
    for year in (date.today().year - 1, date.today().year):
        for title in (Title.FAMILY, Title.CLAN, Title.COMMUNITY, Title.UNIT):
            label = TITLE_LABELS[title]
            for row in evaluation_service.list_evaluations(demo_workspace, title, year):
                done = actions[row.id]
                assert done[0].startswith(f"Đăng ký {label} năm {year}: ")
                assert row.scored == any(a.startswith(f"Chấm điểm {label} {row.subject_label}") for a in done)
                recognition = f"Công nhận {label} năm {year} theo quyết định số {row.decision_number}: "
                assert row.recognised == any(a.startswith(recognition) for a in done)


def test_learning_citizens_are_members_and_a_few_staff(demo: DemoSummary, demo_workspace: Workspace) -> None:
    citizens = _rows(
        demo.data_dir,
        """SELECT c.*, m.full_name AS member_name, m.birth_year AS member_born, m.sex AS member_sex,
                  h.hamlet_id AS home_hamlet, u.hamlet_id AS unit_hamlet
           FROM citizen c LEFT JOIN member m ON m.id = c.member_id LEFT JOIN household h ON h.id = m.household_id
           LEFT JOIN unit u ON u.id = c.unit_id""",
    )
    assert len(citizens) == demo.citizens
    from_households = [c for c in citizens if c["member_id"] is not None]
    staff = [c for c in citizens if c["unit_id"] is not None]
    assert len(from_households) + len(staff) == len(citizens) and 1 <= len(staff) <= 3 * demo.units
    for c in citizens:
        assert (c["name_key"], c["name_sort"]) == (fold(c["full_name"]), name_sort_key(c["full_name"]))
    for c in from_households:
        assert (c["full_name"], c["birth_year"], c["sex"]) == (c["member_name"], c["member_born"], c["member_sex"])
        assert c["hamlet_id"] == c["home_hamlet"]
    assert all(c["hamlet_id"] == c["unit_hamlet"] for c in staff)
    adults = _rows(
        demo.data_dir,
        f"""SELECT count(*) AS n FROM member m JOIN household h ON h.id = m.household_id
            WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL AND m.birth_year <= {date.today().year - 18}""",
    )[0]["n"]
    assert 0.02 <= len(from_households) / adults <= 0.09
    results = citizen_service.list_results(demo_workspace, date.today().year - 1)
    scored = [r for r in results if r.evaluation_id is not None]
    assert len(scored) >= len(citizens) * 0.6
    assert all(set(r.scores) == {str(n) for n in range(1, 11)} and r.source == "" for r in scored)


def test_some_households_are_in_the_recycle_bin_and_can_be_restored(
    demo: DemoSummary, demo_workspace: Workspace
) -> None:
    deleted = [r for r in recycle_bin.list_deleted(demo_workspace) if r.kind == "household"]
    assert len(deleted) == demo.deleted_households >= 1
    codes = {r["code"] for r in _rows(demo.data_dir, "SELECT code FROM household WHERE deleted_at IS NOT NULL")}
    actions = {r["action"] for r in _rows(demo.data_dir, "SELECT action FROM audit_log")}
    assert {f"Xóa hộ {code}" for code in codes} <= actions


def test_restoring_from_the_bin_works_on_demo_data(data_dir: Path) -> None:
    create_demo(data_dir, households=60, seed=3)
    workspace = Workspace.open(data_dir)
    try:
        record = next(r for r in recycle_bin.list_deleted(workspace) if r.kind == "household")
        recycle_bin.restore(workspace, record)
        assert record.id in {row.id for row in household_service.list_households(workspace)}
        workspace.history.undo(workspace)
        assert record.id not in {row.id for row in household_service.list_households(workspace)}
    finally:
        workspace.close(backup=False)


def _without(row: dict[str, object], *columns: str) -> dict[str, object]:
    return {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at", *columns)}


def _one(data_dir: Path, table: str, record_id: str) -> dict[str, object]:
    return dict(_rows(data_dir, f"SELECT * FROM {table} WHERE id = '{record_id}'")[0])


def _actions(data_dir: Path, record_id: str) -> list[str]:
    return [
        r["action"]
        for r in _rows(data_dir, f"SELECT action FROM audit_log WHERE record_id = '{record_id}' ORDER BY id")
    ]


def test_demo_rows_and_labels_are_those_the_services_write(data_dir: Path, tmp_path: Path) -> None:
    """The services write a year's cycle, a citizen's result, a clan, a unit and a hamlet's leader; the
    demo's row builders given the same input produce the same columns and audit labels."""
    create_demo(data_dir, households=60, seed=5)
    workspace = Workspace.open(data_dir)
    try:
        profile = workspace.profile
        assert profile is not None
        year = date.today().year + 1
        first, second = household_service.list_households(workspace)[:2]
        registered_on = date(year, 1, 5)
        ids = evaluation_service.register(workspace, Title.FAMILY, year, [first.id, second.id], registered_on)
        rubric = rubric_service.rubric_for(workspace, Title.FAMILY, year)
        full = {i.code: i.max_points for i in rubric.indicators}
        suggested = {h.id: prefill.suggest(workspace, rubric, Title.FAMILY, h.id, year).points for h in (first, second)}
        # The first fails, and the officer overrides the app's suggestion; the second passes and is recognised.
        failing = {**full, "2.1": 3, "3.2": 0, _ATTENDANCE: _ATTENDANCE_POINTS - suggested[first.id][_ATTENDANCE]}
        passing = {**full, **suggested[second.id], "4.1": 4}
        evaluation_service.score(workspace, ids[0], failing)
        evaluation_service.score(workspace, ids[1], passing)
        signer = (profile.signer_title, profile.signer_name)
        decision = evaluation_service.DecisionInput("99/QĐ-KH", date(year, 12, 1), *signer)
        decision_id = evaluation_service.recognise(workspace, Title.FAMILY, year, [ids[1]], decision)

        at = time.time()
        labels = [f"hộ {h.code} ({h.head_name})" for h in (first, second)]
        for evaluation_id, home, points, label, decided in (
            (ids[0], first, failing, labels[0], None),
            (ids[1], second, passing, labels[1], decision_id),
        ):
            expected = registration_row(evaluation_id, Title.FAMILY, year, home.id, at)
            expected.update(scoring_changes(rubric, points, suggested[home.id], at), decision_id=decided)
            assert _without(_one(data_dir, "evaluation", evaluation_id), "registered_on") == _without(
                expected, "registered_on"
            )
            done = [f"Đăng ký Gia đình học tập năm {year}", "Chấm điểm Gia đình học tập"]
            assert _actions(data_dir, evaluation_id)[:2] == [
                batch_label(done[0], labels),
                scoring_label(Title.FAMILY, label, suggested[home.id], points),
            ]
        assert "(sửa điểm tự điền chỉ tiêu" in _actions(data_dir, ids[0])[1]
        recognition = f"Công nhận Gia đình học tập năm {year} theo quyết định số 99/QĐ-KH"
        assert (
            _actions(data_dir, ids[1])[2] == _actions(data_dir, decision_id)[0] == batch_label(recognition, labels[1:])
        )
        stored = _one(data_dir, "decision", decision_id)
        assert _without(stored) == _without(
            decision_row("x", Title.FAMILY, year, "99/QĐ-KH", date(year, 12, 1), signer, at)
        )

        citizen = _rows(data_dir, "SELECT * FROM citizen WHERE member_id IS NOT NULL LIMIT 1")[0]
        citizen_rubric = rubric_service.rubric_for(workspace, Title.CITIZEN, year)
        points = {str(n): 9 for n in range(1, 11)} | {"4": 4}
        outcome = citizen_service.record_result(workspace, citizen["id"], year, points)
        (result,) = _rows(data_dir, f"SELECT * FROM evaluation WHERE subject_id = '{citizen['id']}' AND year = {year}")
        expected = citizen_result_row(result["id"], citizen["id"], year, citizen_rubric, points, at)
        assert _without(dict(result), "registered_on") == _without(expected, "registered_on")
        assert outcome.reasons == ("chỉ tiêu 4 dưới 5 điểm",)
        assert _actions(data_dir, result["id"]) == [citizen_result_label(year, citizen["full_name"], outcome.total)]

        # A clan and a unit typed in again through their services come out as the demo wrote them.
        for table, service, what, read_input in (
            ("clan", clan_service, "dòng họ", clan_service.clan_input),
            ("unit", unit_service, "đơn vị", unit_service.unit_input),
        ):
            demo_row = dict(_rows(data_dir, f"SELECT * FROM {table} ORDER BY created_at LIMIT 1")[0])
            data = read_input(workspace, demo_row["id"])
            getattr(service, f"delete_{table}")(workspace, demo_row["id"])
            again = getattr(service, f"create_{table}")(workspace, data)
            assert _without(_one(data_dir, table, again)) == _without(demo_row)
            assert (
                _actions(data_dir, again)
                == _actions(data_dir, demo_row["id"])[:1]
                == [f"Thêm {what} «{demo_row['name']}»"]
            )
        hamlet = dict(_rows(data_dir, "SELECT * FROM hamlet ORDER BY position LIMIT 1")[0])
        hamlet_register.update_hamlet_details(workspace, hamlet["id"], hamlet["leader_name"], hamlet["note"])
        assert len(set(_actions(data_dir, hamlet["id"])[1:])) == 1  # the demo's edits and the service's agree
    finally:
        workspace.close(backup=False)

    blank = Workspace.open(tmp_path / "trống")
    try:
        rubric_service.install_presets(blank)
    finally:
        blank.close(backup=False)
    installed = [_without(dict(r)) for r in _rows(tmp_path / "trống", "SELECT * FROM rubric ORDER BY preset_key")]
    assert [_without(dict(r)) for r in _rows(data_dir, "SELECT * FROM rubric ORDER BY preset_key")] == installed
    assert {r["action"] for r in _rows(data_dir, "SELECT action FROM audit_log WHERE table_name = 'rubric'")} == {
        "Cài các bộ tiêu chí mẫu"
    }


def test_support_rows_and_labels_are_those_the_services_write(data_dir: Path) -> None:
    """A ceremony, a cash award posted to the fund, a receipt, a class, the next year's targets and a
    commendation written through the services; the demo's builders given the same input write the same columns
    and audit labels, and the services number their vouchers on from the demo's."""
    create_demo(data_dir, households=60, seed=5)
    workspace = Workspace.open(data_dir)
    try:
        # A small commune's fund runs short now and then: the commune tops it up before it pays.
        assert min(e.balance for e in ledger_service.list_entries(workspace)) >= 0
        today = date.today()
        pupil = _rows(
            data_dir,
            """SELECT m.*, h.hamlet_id FROM member m JOIN household h ON h.id = m.household_id
               WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL AND m.learning_status = :status LIMIT 1""",
            {"status": LearningStatus.PRIMARY.value},
        )[0]
        this_year = f"SELECT voucher_no FROM ledger_entry WHERE direction = 'chi' AND entry_on >= '{today.year}'"
        last_payment = max((int(r["voucher_no"][-3:]) for r in _rows(data_dir, this_year)), default=0)

        # A gift to the fund, and one typed with a slip and deleted; the fund can then pay the award below.
        for amount in (12_500_000, 125_000_000):
            receipt = LedgerInput(today, "thu", "quyen_gop", "Công ty TNHH Thép Đông Á", amount, "Ủng hộ quỹ")
            entry_id = ledger_service.create_entry(workspace, receipt)
            entry = _one(data_dir, "ledger_entry", entry_id)
            numbered = replace(receipt, voucher_no=str(entry["voucher_no"]))
            assert _without(entry) == _without(ledger_row("x", numbered, 0))
            assert _actions(data_dir, entry_id) == [ledger_label("Thêm", entry)]
        ledger_service.delete_entry(workspace, entry_id)
        assert _actions(data_dir, entry_id) == [ledger_label("Thêm", entry), ledger_label("Xóa", entry)]

        ceremony = AwardEventInput(
            "Trao học bổng Ngày hội khuyến học", today, "Nhà văn hóa ấp", "Hội Khuyến học xã", ""
        )
        event_id = award_service.create_event(workspace, ceremony)
        stored_event = _one(data_dir, "award_event", event_id)
        assert _without(stored_event) == _without(event_row("x", ceremony, time.time()))
        assert _actions(data_dir, event_id) == [event_label(ceremony.name)]

        school, grade = split_school(pupil["school"])
        award = AwardInput(
            pupil_name=pupil["full_name"], category=AwardCategory.HARDSHIP, kind=AwardKind.CASH, value_vnd=700_000,
            awarded_on=today, member_id=pupil["id"], event_id=event_id, post_to_ledger=True,
        )  # fmt: skip
        award_id = award_service.create_award(workspace, award)
        stored = _one(data_dir, "award", award_id)
        as_register = replace(award, birth_year=pupil["birth_year"], school=school, grade=grade)
        expected = award_row("x", as_register, (pupil["household_id"], pupil["hamlet_id"]), stored_event, "y", 0)
        assert _without(stored, "ledger_entry_id") == _without(expected, "ledger_entry_id")
        entry = _one(data_dir, "ledger_entry", str(stored["ledger_entry_id"]))
        assert entry["voucher_no"] == f"PC-{today.year}-{last_payment + 1:03d}"
        payment = replace(award_payment(stored, ceremony.name), voucher_no=str(entry["voucher_no"]))
        assert _without(entry) == _without(ledger_row("x", payment, 0))
        assert _actions(data_dir, award_id) == _actions(data_dir, str(entry["id"])) == [award_label(stored)]

        course = ActivityInput(
            kind="day_nghe", name="Sửa chữa máy nông nghiệp", field="Cơ khí", starts_on=today,
            ends_on=today + timedelta(days=60), place="Hợp tác xã", participants=28, note="Phối hợp trường nghề",
        )  # fmt: skip
        activity_id = activity_service.create_activity(workspace, course)
        assert _without(_one(data_dir, "activity", activity_id)) == _without(activity_row("x", course, 0))
        assert _actions(data_dir, activity_id) == ["Thêm lớp dạy nghề «Sửa chữa máy nông nghiệp»"]

        targets = {"sinh_hoat": 45, "tap_huan": 8, "day_nghe": 4}
        activity_service.set_targets(workspace, today.year + 1, targets)
        stored_targets = _rows(data_dir, f"SELECT * FROM activity_target WHERE year = {today.year + 1}")
        assert {r["kind"]: _without(dict(r)) for r in stored_targets} == {
            kind: _without(target_row("x", today.year + 1, kind, target, 0)) for kind, target in targets.items()
        }
        assert {a for r in stored_targets for a in _actions(data_dir, r["id"])} == {
            targets_label(today.year + 1, targets)
        }

        commendation = HonourInput(
            kind="giay_khen", recipient_kind="ca_nhan", recipient="gõ khác tên", member_id=pupil["id"], level="xa",
            issuer="Hội Khuyến học xã", decision_no="3/QĐ-KH", honoured_on=today, content="Tấm gương hiếu học",
        )  # fmt: skip
        honour_id = honour_service.create_honour(workspace, commendation)
        as_register = replace(commendation, recipient=pupil["full_name"], hamlet_id=pupil["hamlet_id"])
        assert _without(_one(data_dir, "honour", honour_id)) == _without(honour_row("x", as_register, 0))
        assert _actions(data_dir, honour_id) == [f"Thêm giấy khen «{pupil['full_name']}»"]

        in_kind = replace(award, kind=AwardKind.NOTEBOOKS, value_vnd=150_000, post_to_ledger=False)
        gift_id = award_service.create_award(workspace, in_kind)
        award_service.delete_award(workspace, gift_id)
        gift = _one(data_dir, "award", gift_id)
        assert _actions(data_dir, gift_id) == [award_label(gift), award_deletion_label(gift)]
    finally:
        workspace.close(backup=False)


def test_the_support_registers_are_full_and_the_fund_adds_up(demo: DemoSummary, demo_workspace: Workspace) -> None:
    today = date.today()
    previous = today.year - 1
    entries = ledger_service.list_entries(demo_workspace)
    assert entries and min(e.balance for e in entries) >= 0
    assert entries[-1].balance == demo.fund_balance > 0
    vouchers = _rows(demo.data_dir, "SELECT * FROM ledger_entry")
    assert len(vouchers) == demo.ledger_entries
    by_book: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for voucher in vouchers:
        found = re.fullmatch(r"(PT|PC)-(\d{4})-(\d{3})", voucher["voucher_no"])
        assert found and found[1] == {"thu": "PT", "chi": "PC"}[voucher["direction"]]
        assert found[2] == voucher["entry_on"][:4] and date.fromisoformat(voucher["entry_on"]).weekday() < 5
        by_book.setdefault((found[1], found[2]), []).append((int(found[3]), voucher["entry_on"]))
    for numbered in by_book.values():  # 1, 2, 3… in date order, the binned slips keeping theirs
        numbered.sort()
        assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1))
        assert [d for _, d in numbered] == sorted(d for _, d in numbered)
    assert {(direction, str(previous)) for direction in ("PT", "PC")} <= by_book.keys()

    awards = _rows(
        demo.data_dir,
        """SELECT a.*, l.direction, l.amount, l.counterpart, l.entry_on, l.category AS paid_as, l.deleted_at AS unpaid,
                  e.held_on, e.school_year AS event_year
           FROM award a LEFT JOIN ledger_entry l ON l.id = a.ledger_entry_id
           LEFT JOIN award_event e ON e.id = a.event_id""",
    )
    assert len(awards) == demo.awards
    posted = [a for a in awards if a["ledger_entry_id"] is not None]
    assert posted and all(a["kind"] == "tien_mat" and a["deleted_at"] is None for a in posted)
    for award in posted:  # each a live payment of the same amount, to the pupil, on the day
        assert (award["direction"], award["amount"], award["counterpart"], award["entry_on"], award["unpaid"]) == (
            "chi", award["value_vnd"], award["pupil_name"], award["awarded_on"], None
        )  # fmt: skip
        assert award["paid_as"] in ("hoc_bong", "qua")
    scholarships = [v["id"] for v in vouchers if v["category"] in ("hoc_bong", "qua")]
    assert sorted(scholarships) == sorted(a["ledger_entry_id"] for a in posted)
    values = {"tien_mat": (500_000, 2_000_000), "xe_dap": (2_500_000, 3_500_000), "tap_vo": (100_000, 300_000)}
    for award in awards:
        low, high = values.get(award["kind"], (100_000, 500_000))
        assert low <= award["value_vnd"] <= high, award["kind"]
        if award["event_id"] is not None:
            assert (award["awarded_on"], award["school_year"]) == (award["held_on"], award["event_year"])
        if award["member_id"] is not None:  # the class a register pupil was in that school year
            first = int(award["school_year"][:4])
            assert int(re.match(r"\d+", award["grade"])[0]) == first - award["birth_year"] - 5
        else:
            assert award["household_id"] is None and award["birth_year"] and award["grade"]
    assert {a["category"] for a in awards} >= {"hoan_canh_kho_khan", "hoc_sinh_gioi", "vuot_kho_hoc_gioi"}
    assert {a["kind"] for a in awards} >= {"tien_mat", "tap_vo", "xe_dap"}
    assert any(a["member_id"] is None for a in awards) and any(a["recurring"] for a in awards)
    assert len({a["sponsor"] for a in awards}) >= 5
    events = _rows(demo.data_dir, "SELECT * FROM award_event")
    assert len(events) == demo.award_events >= 3
    assert any(e["name"].startswith("Trao quà Tết ") and e["held_on"][5:7] == "01" for e in events)

    honours = _rows(
        demo.data_dir,
        """SELECT o.*, m.full_name, h.hamlet_id AS home_hamlet FROM honour o
           LEFT JOIN member m ON m.id = o.member_id LEFT JOIN household h ON h.id = m.household_id""",
    )
    assert len(honours) == demo.honours
    assert {(o["kind"], o["recipient_kind"]) for o in honours} >= {
        ("mo_hinh", "tap_the"), ("giay_khen", "tap_the"), ("giay_khen", "ca_nhan")
    }  # fmt: skip
    assert {o["level"] for o in honours} >= {"xa", "tinh"}
    linked = [o for o in honours if o["member_id"] is not None]
    assert linked and all((o["recipient"], o["hamlet_id"]) == (o["full_name"], o["home_hamlet"]) for o in linked)

    for year in (previous, today.year):
        if year == today.year and today < date(year, 7, 1):
            continue  # the working year's lines fill up as it goes
        support = support_statistics(demo_workspace, year)
        assert all(line.amount for line in support_lines(support) if not line.detail), year
        sessions = support.activities[0]
        assert 20 * sessions.actual <= sessions.participants <= 80 * sessions.actual
        if year == previous:
            assert all(0.85 <= line.rate <= 1.7 for line in support.activities if line.rate is not None)


def _snapshot(data_dir: Path) -> list[tuple[object, ...]]:
    queries = (
        """SELECT h.id, h.code, h.address, h.phone, h.note, m.id, m.full_name, m.birth_year, m.sex, m.relation
           FROM household h JOIN member m ON m.household_id = h.id ORDER BY h.code, m.position""",
        # Hamlets get their ids from the set-up service, so they are compared by name.
        """SELECT c.id, c.name, c.representative, c.household_ids,
                  (SELECT group_concat(h.name) FROM json_each(c.hamlet_ids) j JOIN hamlet h ON h.id = j.value)
           FROM clan c ORDER BY c.id""",
        """SELECT u.id, u.name, u.kind, u.head_name, u.staff_count, h.name
           FROM unit u LEFT JOIN hamlet h ON h.id = u.hamlet_id ORDER BY u.id""",
        "SELECT id, full_name, member_id, unit_id FROM citizen ORDER BY id",
        "SELECT id, name, held_on, place, sponsor FROM award_event ORDER BY id",
        """SELECT id, event_id, member_id, pupil_name, category, kind, value_vnd, sponsor, awarded_on, ledger_entry_id,
                  deleted_at IS NULL
           FROM award ORDER BY id""",
        "SELECT id, entry_on, direction, category, voucher_no, counterpart, amount, note FROM ledger_entry ORDER BY id",
        "SELECT id, kind, name, field, starts_on, ends_on, participants FROM activity ORDER BY id",
        "SELECT id, year, kind, target FROM activity_target ORDER BY id",
        "SELECT id, kind, recipient, member_id, level, decision_no, honoured_on FROM honour ORDER BY id",
        """SELECT e.id, e.title, e.year, coalesce(h.name, e.subject_id), e.scores, e.total, e.passed, e.reasons,
                  e.decision_id
           FROM evaluation e LEFT JOIN hamlet h ON h.id = e.subject_id ORDER BY e.id""",
    )
    return [tuple(row) for sql in queries for row in _rows(data_dir, sql)]


def test_same_seed_gives_the_same_commune_and_another_seed_another(tmp_path: Path) -> None:
    first = create_demo(tmp_path / "a", households=50, seed=7)
    again = create_demo(tmp_path / "b", households=50, seed=7)
    other = create_demo(tmp_path / "c", households=50, seed=8)
    assert first.members == again.members
    assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")
    assert _snapshot(tmp_path / "a") != _snapshot(tmp_path / "c")
    hamlets = "SELECT name FROM hamlet ORDER BY position"
    assert _rows(tmp_path / "a", hamlets) == _rows(tmp_path / "b", hamlets)
    assert other.data_dir == tmp_path / "c"


def test_refuses_a_folder_that_is_already_set_up(workspace: Workspace) -> None:
    tables = ("profile", "hamlet", "audit_log")
    before = [tuple(r) for table in tables for r in _rows(workspace.data_dir, f"SELECT * FROM {table}")]
    with pytest.raises(UserError, match="đã có dữ liệu"):
        create_demo(workspace.data_dir, households=20)
    after = [tuple(r) for table in tables for r in _rows(workspace.data_dir, f"SELECT * FROM {table}")]
    assert after == before
    assert _rows(workspace.data_dir, "SELECT count(*) AS n FROM household")[0]["n"] == 0


def test_refuses_an_unknown_commune_or_household_count_without_touching_the_folder(data_dir: Path) -> None:
    with pytest.raises(UserError, match="Không có xã, phường mã 99999"):
        create_demo(data_dir, households=20, commune_code="99999")
    with pytest.raises(UserError, match="Số hộ"):
        create_demo(data_dir, households=0)
    assert not data_dir.exists()


def test_northern_commune_has_thon_and_northern_surnames(data_dir: Path) -> None:
    summary = create_demo(data_dir, households=20, commune_code="00583")
    names = [row["name"] for row in _rows(data_dir, "SELECT name FROM hamlet")]
    assert (summary.commune_name, summary.province_name) == ("Xã Bát Tràng", "Thành phố Hà Nội")
    assert all(name.startswith("Thôn ") for name in names)
    surnames = {row["s"] for row in _rows(data_dir, "SELECT substr(full_name, 1, 5) AS s FROM member")}
    assert not any(s.startswith("Huỳnh") for s in surnames)


def test_progress_is_reported_and_cancelling_leaves_the_folder_blank(data_dir: Path) -> None:
    calls: list[tuple[int, int]] = []

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        calls.append((done, total))
        raise Cancelled

    with pytest.raises(Cancelled):
        create_demo(data_dir, households=600, progress=cancel)
    workspace = Workspace.open(data_dir)
    try:
        assert not workspace.is_set_up
        assert profile_service.list_hamlets(workspace) == []
        assert household_service.list_households(workspace) == []
    finally:
        workspace.close(backup=False)
    calls.clear()
    summary = create_demo(data_dir, households=600, progress=lambda done, total: calls.append((done, total)))
    assert summary.households == 600
    assert calls[-1] == (600, 600) and len(calls) >= 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
