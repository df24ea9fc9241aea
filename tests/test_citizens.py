"""Learning citizens (services/citizens.py): who is evaluated, their yearly result against the rubric,
one live result per citizen and year, the recycle bin and undo."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import text

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput, Relation, Sex
from khuyenhoc_desktop.domain.text import matches
from khuyenhoc_desktop.domain.unit import UnitInput, UnitKind
from khuyenhoc_desktop.services import citizens, evaluations, rubrics
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.deleted import BinSource, DeletedRecord
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.rubrics import rubric_for
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Decision, Evaluation

YEAR = 2025


def hamlet_id(workspace: Workspace, name: str) -> str:
    return next(h.id for h in list_hamlets(workspace) if h.name == name)


def add_household(workspace: Workspace, code: str, head: str, hamlet: str = "Ấp Vĩnh Thạnh", year: int = 1970) -> str:
    return household_service.create_household(
        workspace, HouseholdInput(code, head, hamlet_id(workspace, hamlet), head_birth_year=year)
    )


def head_of(workspace: Workspace, household_id: str) -> str:
    return next(m.id for m in household_service.list_members(workspace, household_id) if m.relation == Relation.HEAD)


def add_unit(workspace: Workspace, name: str = "Trường Tiểu học Phước Vĩnh Tây", hamlet: str | None = None) -> str:
    return unit_service.create_unit(
        workspace,
        UnitInput(name, UnitKind.SCHOOL, "Trần Văn Bình", 30, hamlet_id(workspace, hamlet) if hamlet else None),
    )


def all_points(workspace: Workspace, value: int, **changes: int) -> dict[str, int]:
    """Every indicator of the year's citizen rubric at `value`, some changed: codes as the rubric has them."""
    points = {i.code: value for i in rubric_for(workspace, "cong_dan", YEAR).indicators}
    points.update({code.removeprefix("c"): v for code, v in changes.items()})
    return points


def result_of(workspace: Workspace, citizen_id: str, year: int = YEAR) -> citizens.CitizenResultRow:
    (row,) = citizens.list_results(workspace, year, [citizen_id])
    return row


def live_results(workspace: Workspace) -> list[tuple[str, int]]:
    with session_scope(workspace.engine) as session:
        rows = session.execute(
            text("SELECT subject_id, year FROM evaluation WHERE title = 'cong_dan' AND deleted_at IS NULL")
        ).all()
    return [(r[0], r[1]) for r in rows]


def recycle_bin_records(workspace: Workspace, sources: tuple[BinSource, ...]) -> list[DeletedRecord]:
    return [r for source in sources for r in source.records(workspace)]


@pytest.fixture
def family(workspace: Workspace) -> dict[str, str]:
    """Hộ 00012 in Ấp Phước Lợi: the head and a daughter."""
    household = add_household(workspace, "00012", "Nguyễn Văn Đức", "Ấp Phước Lợi", 1968)
    daughter = household_service.add_member(
        workspace, household, MemberInput("Nguyễn Thị Ánh", 1995, Sex.FEMALE, Relation.CHILD)
    )
    return {"household": household, "head": head_of(workspace, household), "daughter": daughter}


def test_the_citizen_rubric_is_ten_indicators_of_ten_points_pass_80_none_under_5(workspace: Workspace) -> None:
    rubric = rubric_for(workspace, "cong_dan", YEAR)
    assert [i.code for i in rubric.indicators] == [str(k) for k in range(1, 11)]
    assert {(i.max_points, i.min_points) for i in rubric.indicators} == {(10, 5)}
    assert (rubric.max_points, rubric.pass_mark) == (100, 80)


def test_add_from_a_household_member_copies_the_person_and_is_reused(
    workspace: Workspace, family: dict[str, str]
) -> None:
    first = citizens.add_citizen_from_member(workspace, family["daughter"])
    again = citizens.add_citizen_from_member(workspace, family["daughter"])

    assert again == first
    row = result_of(workspace, first)
    assert (row.full_name, row.birth_year, row.sex) == ("Nguyễn Thị Ánh", 1995, Sex.FEMALE)
    assert (row.link_label, row.hamlet_name) == ("Hộ 00012 — Ấp Phước Lợi", "Ấp Phước Lợi")
    assert (row.evaluation_id, row.total, row.passed, row.result_text) == (None, None, None, "")
    assert matches(row.search_key, "anh phuoc loi 00012 1995")
    assert not matches(row.search_key, "anh dong dien")
    assert len(citizens.list_results(workspace, YEAR)) == 1


def test_adding_a_member_again_refreshes_the_copy_from_the_register(
    workspace: Workspace, family: dict[str, str]
) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["daughter"])
    household_service.update_member(workspace, family["daughter"], "full_name", "Nguyễn Thị Ngọc Ánh")

    assert citizens.add_citizen_from_member(workspace, family["daughter"]) == citizen
    assert result_of(workspace, citizen).full_name == "Nguyễn Thị Ngọc Ánh"
    assert workspace.history.undo_label == "Cập nhật công dân Nguyễn Thị Ngọc Ánh theo sổ hộ"


def test_a_deleted_member_cannot_be_added(workspace: Workspace, family: dict[str, str]) -> None:
    household_service.delete_member(workspace, family["daughter"])
    with pytest.raises(UserError, match="không còn trong sổ hộ"):
        citizens.add_citizen_from_member(workspace, family["daughter"])


def test_add_a_units_staff_member(workspace: Workspace) -> None:
    unit = add_unit(workspace, hamlet="Ấp Đông Điền")
    citizen = citizens.add_citizen_in_unit(workspace, unit, "  Phạm  Thị Hồng ", 1988, Sex.FEMALE)

    row = result_of(workspace, citizen)
    assert (row.full_name, row.birth_year, row.sex) == ("Phạm Thị Hồng", 1988, Sex.FEMALE)
    assert (row.link_label, row.hamlet_name) == ("Trường Tiểu học Phước Vĩnh Tây (đơn vị)", "Ấp Đông Điền")
    # The same person typed again (another spelling of the accents' case) is the same citizen.
    assert citizens.add_citizen_in_unit(workspace, unit, "phạm thị hồng", 1988, Sex.FEMALE) == citizen


@pytest.mark.parametrize(
    ("name", "year", "sex", "field", "message"),
    [
        ("", 1988, Sex.FEMALE, "full_name", "chưa nhập họ tên"),
        ("Phạm Thị Hồng", 1850, Sex.FEMALE, "birth_year", "năm sinh 1850 phải nằm trong khoảng"),
        ("Phạm Thị Hồng", 1988, "khac", "sex", "chỉ nhận Nam hoặc Nữ"),
    ],
)
def test_unit_staff_input_is_checked(
    workspace: Workspace, name: str, year: int, sex: str, field: str, message: str
) -> None:
    unit = add_unit(workspace)
    with pytest.raises(ValidationError, match=message) as caught:
        citizens.add_citizen_in_unit(workspace, unit, name, year, sex)
    assert caught.value.field == field
    assert citizens.list_results(workspace, YEAR) == []


def test_record_result_passes_with_80_and_no_indicator_under_5(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])

    outcome = citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 8))

    assert (outcome.total, outcome.passed, outcome.reasons) == (80, True, ())
    row = result_of(workspace, citizen)
    assert (row.total, row.passed, row.result_text, row.source) == (80, True, "Đạt", "")
    assert row.scores == all_points(workspace, 8)
    with session_scope(workspace.engine) as session:
        evaluation = session.get_one(Evaluation, row.evaluation_id)
    assert evaluation.rubric_id == rubric_for(workspace, "cong_dan", YEAR).id
    assert json.loads(evaluation.scores) == all_points(workspace, 8)


def test_record_result_fails_with_the_reasons_in_the_officers_words(
    workspace: Workspace, family: dict[str, str]
) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])

    outcome = citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 9, c4=4, c7=5, c9=0))

    assert outcome.total == 9 * 7 + 4 + 5 + 0
    assert outcome.reasons == ("thiếu 8 điểm", "chỉ tiêu 4 dưới 5 điểm", "chỉ tiêu 9 dưới 5 điểm")
    assert result_of(workspace, citizen).result_text == (
        "Chưa đạt: thiếu 8 điểm; chỉ tiêu 4 dưới 5 điểm; chỉ tiêu 9 dưới 5 điểm"
    )


def test_points_out_of_range_are_refused_and_nothing_written(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    with pytest.raises(ValidationError, match="điểm 11 phải từ 0 đến 10") as caught:
        citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 8, c3=11))
    assert caught.value.record == f"Công dân «Nguyễn Văn Đức» năm {YEAR}"
    assert live_results(workspace) == []


def test_one_live_result_per_citizen_and_year(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 7))
    first_id = result_of(workspace, citizen).evaluation_id

    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 9))
    citizens.record_result(workspace, citizen, YEAR - 1, all_points(workspace, 6))

    assert sorted(live_results(workspace)) == [(citizen, YEAR - 1), (citizen, YEAR)]
    row = result_of(workspace, citizen)
    assert (row.evaluation_id, row.total, row.passed) == (first_id, 90, True)
    assert result_of(workspace, citizen, YEAR - 1).total == 60


def test_undo_takes_back_a_score_then_the_citizen(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 7))
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 9))
    assert workspace.history.undo_label == f"Chấm điểm Công dân học tập năm {YEAR}: Nguyễn Văn Đức (90 điểm)"

    workspace.history.undo(workspace)
    assert result_of(workspace, citizen).total == 70
    workspace.history.undo(workspace)
    assert result_of(workspace, citizen).evaluation_id is None
    workspace.history.undo(workspace)
    assert citizens.list_results(workspace, YEAR) == []
    workspace.history.redo(workspace)
    assert result_of(workspace, citizen).full_name == "Nguyễn Văn Đức"


def test_an_imported_outcome_is_kept_as_given(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])

    citizens.record_outcome(workspace, citizen, YEAR, 85, False, "ket-qua-cdht-2025.xlsx")

    row = result_of(workspace, citizen)
    assert (row.total, row.passed, row.reasons, row.scores) == (85, False, "", {})
    assert (row.result_text, row.source) == ("Chưa đạt", "ket-qua-cdht-2025.xlsx")
    with pytest.raises(ValidationError, match="tổng điểm 101 phải từ 0 đến 100"):
        citizens.record_outcome(workspace, citizen, YEAR, 101, True)


def test_delete_and_restore_a_result_through_the_recycle_bin(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 8))
    evaluation_id = result_of(workspace, citizen).evaluation_id

    citizens.delete_result(workspace, citizen, YEAR)

    assert result_of(workspace, citizen).evaluation_id is None
    assert [r.id for r in recycle_bin_records(workspace, evaluations.BIN_SOURCES)] == [evaluation_id]
    # Scored afresh meanwhile: the binned result cannot come back on top of the new one.
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 6))
    with pytest.raises(UserError, match="không khôi phục hồ sơ cũ"):
        evaluations.restore_evaluation(workspace, evaluation_id)
    citizens.delete_result(workspace, citizen, YEAR)
    evaluations.restore_evaluation(workspace, evaluation_id)
    assert result_of(workspace, citizen).total == 80
    with pytest.raises(UserError, match="chưa có kết quả năm 2024"):
        citizens.delete_result(workspace, citizen, YEAR - 1)


def test_a_citizen_with_results_is_not_deleted(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    citizens.record_result(workspace, citizen, YEAR - 1, all_points(workspace, 8))
    with pytest.raises(UserError, match="còn kết quả năm 2024"):
        citizens.delete_citizen(workspace, citizen)

    citizens.delete_result(workspace, citizen, YEAR - 1)
    citizens.delete_citizen(workspace, citizen)
    assert citizens.list_results(workspace, YEAR) == []
    # Deleted, the member can be added anew; the old citizen then no longer comes back.
    again = citizens.add_citizen_from_member(workspace, family["head"])
    assert again != citizen
    (binned,) = recycle_bin_records(workspace, citizens.BIN_SOURCES)
    assert (binned.kind_label, binned.label, binned.detail) == ("Công dân", "Nguyễn Văn Đức", "Sinh năm 1968")
    with pytest.raises(UserError, match="đã được thêm lại"):
        citizens.restore_citizen(workspace, citizen)


def test_a_recognised_result_is_neither_rescored_nor_deleted(workspace: Workspace, family: dict[str, str]) -> None:
    citizen = citizens.add_citizen_from_member(workspace, family["head"])
    citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 9))
    with record_change(workspace, "Công nhận") as change:
        decision = Decision(
            title="cong_dan", year=YEAR, number="15/QĐ-HKH", signed_on="2025-12-15",
            signer_title="Chủ tịch", signer_name="Nguyễn Văn Tư",
        )  # fmt: skip
        change.add(decision)
        evaluation = change.session.get_one(Evaluation, result_of(workspace, citizen).evaluation_id)
        change.touch(evaluation)
        evaluation.decision_id = decision.id

    assert result_of(workspace, citizen).recognised
    assert result_of(workspace, citizen).result_text == "Đạt — đã công nhận"
    with pytest.raises(UserError, match="công nhận theo quyết định số 15/QĐ-HKH"):
        citizens.record_result(workspace, citizen, YEAR, all_points(workspace, 5))
    with pytest.raises(UserError, match="công nhận theo quyết định số 15/QĐ-HKH"):
        citizens.delete_result(workspace, citizen, YEAR)
    assert result_of(workspace, citizen).total == 90


def test_member_choices_list_every_live_member_and_who_is_already_a_citizen(
    workspace: Workspace, family: dict[str, str]
) -> None:
    add_household(workspace, "00013", "Lê Văn Ba", "Ấp Đông Điền")
    citizen = citizens.add_citizen_from_member(workspace, family["daughter"])

    choices = {c.full_name: c for c in citizens.list_member_choices(workspace)}

    assert sorted(choices) == ["Lê Văn Ba", "Nguyễn Thị Ánh", "Nguyễn Văn Đức"]
    anh = choices["Nguyễn Thị Ánh"]
    assert (anh.household_code, anh.head_name, anh.hamlet_name, anh.citizen_id) == (
        "00012", "Nguyễn Văn Đức", "Ấp Phước Lợi", citizen,
    )  # fmt: skip
    assert choices["Lê Văn Ba"].citizen_id is None


def test_a_result_is_rescored_by_the_rubric_version_it_was_scored_with(
    workspace: Workspace, family: dict[str, str]
) -> None:
    head = citizens.add_citizen_from_member(workspace, family["head"])
    daughter = citizens.add_citizen_from_member(workspace, family["daughter"])
    first = rubric_for(workspace, "cong_dan", YEAR)
    citizens.record_result(workspace, head, YEAR, all_points(workspace, 8))
    stricter = rubrics.save_rubric(workspace, replace(first, pass_mark=90))  # used: a new version
    assert rubric_for(workspace, "cong_dan", YEAR).id == stricter

    assert citizens.record_result(workspace, head, YEAR, all_points(workspace, 8)).passed
    assert citizens.record_result(workspace, daughter, YEAR, all_points(workspace, 8)).reasons == ("thiếu 10 điểm",)
