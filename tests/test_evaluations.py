"""The yearly cycle through the services: register → score → recognise, with undo, audit and rubric versions."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import evaluations, rubrics, subjects
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.evaluations import DecisionInput
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, Citizen, Clan, Decision, Evaluation, Unit

REGISTERED = date(2025, 3, 10)
DECISION = DecisionInput("25/QĐ-UBND", date(2025, 12, 15), "Chủ tịch", "Nguyễn Văn Tư")


def add_household(workspace: Workspace, code: str, head: str, hamlet: int = 0) -> str:
    hamlet_id = list_hamlets(workspace)[hamlet].id
    return household_service.create_household(workspace, HouseholdInput(code, head, hamlet_id))


def add_citizen(workspace: Workspace, name: str, birth_year: int = 1985) -> str:
    with record_change(workspace, "Thêm công dân") as change:
        citizen = Citizen(full_name=name, birth_year=birth_year, hamlet_id=list_hamlets(workspace)[1].id)
        change.add(citizen)
    return citizen.id


def full_marks(workspace: Workspace, title: str) -> dict[str, int]:
    return {i.code: i.max_points for i in rubrics.rubric_for(workspace, title, 2025).indicators}


def only(workspace: Workspace, evaluation_id: str) -> evaluations.EvaluationRow:
    (row,) = [r for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025) if r.id == evaluation_id]
    return row


@pytest.fixture
def families(workspace: Workspace) -> list[str]:
    """Three households, the first with a child who dropped out of school."""
    first = add_household(workspace, "00001", "Nguyễn Văn An")
    household_service.add_member(workspace, first, MemberInput("Nguyễn Văn Tí", 2011, learning_status="bo_hoc"))
    return [
        first,
        add_household(workspace, "00002", "Trần Thị Bình", 1),
        add_household(workspace, "00003", "Lê Văn Cư"),
    ]


def test_subjects_of_each_title_come_from_their_registers(workspace: Workspace, families: list[str]) -> None:
    hamlets = list_hamlets(workspace)
    with record_change(workspace, "Thêm dòng họ, đơn vị") as change:
        change.add(
            Clan(
                name="Họ Nguyễn Văn",
                representative="Nguyễn Văn Lộc",
                hamlet_ids=json.dumps([hamlets[2].id, hamlets[0].id]),
            )
        )
        change.add(Unit(name="Trường Tiểu học Vĩnh Thạnh", kind="truong_hoc", head_name="Võ Thị Mai"))
        change.add(Unit(name="Hợp tác xã Phước Lợi", kind="hop_tac_xa", hamlet_id=hamlets[1].id, deleted_at="x"))
    add_citizen(workspace, "Đặng Thị Hoa")

    family = subjects.list_subjects(workspace, Title.FAMILY)
    assert [(s.name, s.detail, s.hamlet_name) for s in family] == [
        ("Nguyễn Văn An", "Hộ 00001", "Ấp Vĩnh Thạnh"),
        ("Trần Thị Bình", "Hộ 00002", "Ấp Phước Lợi"),  # Vietnamese order by given name: An, Bình, Cư
        ("Lê Văn Cư", "Hộ 00003", "Ấp Vĩnh Thạnh"),
    ]
    (clan,) = subjects.list_subjects(workspace, Title.CLAN)
    assert (clan.detail, clan.hamlet_id, clan.hamlet_name) == (
        "Đại diện: Nguyễn Văn Lộc",
        hamlets[2].id,
        "Ấp Đông Điền, Ấp Vĩnh Thạnh",
    )
    assert [s.name for s in subjects.list_subjects(workspace, Title.COMMUNITY)] == [h.name for h in hamlets]
    (unit,) = subjects.list_subjects(workspace, Title.UNIT)  # the deleted cooperative is not offered
    assert (unit.name, unit.detail, unit.hamlet_id) == ("Trường Tiểu học Vĩnh Thạnh", "Trường học · Võ Thị Mai", None)
    (citizen,) = subjects.list_subjects(workspace, Title.CITIZEN)
    assert (citizen.name, citizen.detail, citizen.hamlet_name) == ("Đặng Thị Hoa", "Sinh năm 1985", "Ấp Phước Lợi")
    assert subjects.subject_name(workspace, Title.FAMILY, families[1]) == "hộ 00002 (Trần Thị Bình)"


def test_registering_twice_is_refused_naming_the_record_and_nothing_is_written(
    workspace: Workspace, families: list[str]
) -> None:
    (first,) = evaluations.register(workspace, Title.FAMILY, 2025, [families[0]], REGISTERED)
    with pytest.raises(UserError) as refused:
        evaluations.register(workspace, Title.FAMILY, 2025, families, REGISTERED)
    assert (
        str(refused.value) == "hộ 00001 (Nguyễn Văn An) đã đăng ký Gia đình học tập năm 2025. Chưa đăng ký hồ sơ nào."
    )
    rows = evaluations.list_evaluations(workspace, Title.FAMILY, 2025)
    assert [(r.id, r.status, r.registered_on) for r in rows] == [(first, "Đã đăng ký", REGISTERED)]
    # Another year, or another title, is another registration.
    evaluations.register(workspace, Title.FAMILY, 2026, [families[0]], date(2026, 1, 5))
    assert len(evaluations.list_evaluations(workspace, Title.FAMILY, 2026)) == 1


def test_registration_date_must_belong_to_the_year(workspace: Workspace, families: list[str]) -> None:
    with pytest.raises(ValidationError) as refused:
        evaluations.register(workspace, Title.FAMILY, 2025, families, date(2026, 1, 2))
    assert refused.value.field == "registered_on"
    assert evaluations.list_evaluations(workspace, Title.FAMILY, 2025) == []
    assert evaluations.default_registration_date(2025, date(2025, 6, 1)) == date(2025, 6, 1)
    assert evaluations.default_registration_date(2023, date(2025, 6, 1)) == date(2023, 1, 1)


def test_unregister_goes_to_the_recycle_bin_and_comes_back(workspace: Workspace, families: list[str]) -> None:
    (evaluation_id,) = evaluations.register(workspace, Title.FAMILY, 2025, [families[1]], REGISTERED)
    evaluations.unregister(workspace, evaluation_id)
    assert evaluations.list_evaluations(workspace, Title.FAMILY, 2025) == []
    ((bin_id, label, detail, _at),) = evaluations.BIN_SOURCES[0].list_deleted(workspace)
    assert (bin_id, label, detail) == (
        evaluation_id,
        "hộ 00002 (Trần Thị Bình) — đăng ký Gia đình học tập",
        "Năm 2025",
    )
    evaluations.restore_evaluation(workspace, evaluation_id)
    assert [r.id for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025)] == [evaluation_id]


def test_score_stores_the_rubric_used_and_the_outcome(workspace: Workspace, families: list[str]) -> None:
    (evaluation_id,) = evaluations.register(workspace, Title.FAMILY, 2025, [families[1]], REGISTERED)
    rubric = rubrics.rubric_for(workspace, Title.FAMILY, 2025)
    points = full_marks(workspace, Title.FAMILY)
    points["4.1"] = 2  # 100 − 3
    points["3.4"] = 0  # 97 − 5 = 92
    outcome = evaluations.score(workspace, evaluation_id, points)
    assert (outcome.total, outcome.passed) == (92, True)

    row = only(workspace, evaluation_id)
    assert (row.rubric_id, row.total, row.passed, row.status, row.result_text) == (
        rubric.id, 92, True, "Đã chấm — đạt", "Đạt",
    )  # fmt: skip
    assert row.rubric_label == "Gia đình học tập (phiên bản 1)"
    with session_scope(workspace.engine) as session:
        stored = session.get_one(Evaluation, evaluation_id)
    assert json.loads(stored.scores) == points
    assert json.loads(stored.prefilled) == {"1.1": 10}  # household 00002 has no school-age child

    points["2.3"], points["4.2"] = 0, 1  # 92 − 10 − 4 = 78
    assert evaluations.score(workspace, evaluation_id, points).reasons == ("thiếu 2 điểm",)
    row = only(workspace, evaluation_id)
    assert (row.total, row.passed, row.status, row.result_text) == (
        78, False, "Đã chấm — chưa đạt", "Chưa đạt: thiếu 2 điểm",
    )  # fmt: skip


def test_citizen_rubric_reasons_name_the_missing_points_and_the_weak_indicator(workspace: Workspace) -> None:
    citizen_id = add_citizen(workspace, "Đặng Thị Hoa")
    (evaluation_id,) = evaluations.register(workspace, Title.CITIZEN, 2025, [citizen_id], REGISTERED)
    points = dict.fromkeys(full_marks(workspace, Title.CITIZEN), 8)
    points["4"] = 3  # 72 + 3 = 75
    outcome = evaluations.score(workspace, evaluation_id, points)
    assert (outcome.total, outcome.passed, outcome.reason_text) == (
        75, False, "Chưa đạt: thiếu 5 điểm; chỉ tiêu 4 dưới 5 điểm",
    )  # fmt: skip
    (row,) = evaluations.list_evaluations(workspace, Title.CITIZEN, 2025)
    assert (row.subject_name, row.reasons) == ("Đặng Thị Hoa", "thiếu 5 điểm; chỉ tiêu 4 dưới 5 điểm")
    # 90 points do not pass with one indicator under 5.
    assert evaluations.score(workspace, evaluation_id, {**dict.fromkeys(points, 10), "7": 0}).reasons == (
        "chỉ tiêu 7 dưới 5 điểm",
    )


def test_points_outside_the_rubric_are_refused(workspace: Workspace, families: list[str]) -> None:
    (evaluation_id,) = evaluations.register(workspace, Title.FAMILY, 2025, [families[1]], REGISTERED)
    with pytest.raises(ValidationError, match="điểm 11 phải từ 0 đến 10"):
        evaluations.score(workspace, evaluation_id, {"1.1": 11})
    with pytest.raises(ValidationError, match="không có trong bộ tiêu chí"):
        evaluations.score(workspace, evaluation_id, {"9.9": 1})
    assert only(workspace, evaluation_id).status == "Đã đăng ký"


def test_score_form_prefills_and_an_override_is_logged(workspace: Workspace, families: list[str]) -> None:
    (evaluation_id,) = evaluations.register(workspace, Title.FAMILY, 2025, [families[0]], REGISTERED)
    form = evaluations.score_form(workspace, evaluation_id)
    assert form.points == {"1.1": 0}  # the dropout
    assert form.suggestions.explanations["1.1"].startswith(
        "0/1 trẻ trong độ tuổi đang đi học; chưa đi học: Nguyễn Văn Tí"
    )

    evaluations.score(workspace, evaluation_id, {**full_marks(workspace, Title.FAMILY), "1.1": 10})
    label = "Chấm điểm Gia đình học tập hộ 00001 (Nguyễn Văn An) (sửa điểm tự điền chỉ tiêu 1.1: 0 → 10)"
    assert workspace.history.undo_label == label
    with session_scope(workspace.engine) as session:
        actions = session.exec(select(AuditEntry.action).where(AuditEntry.record_id == evaluation_id)).all()
    assert label in actions

    # Scored, the form shows the stored points, not the suggestion; agreeing with it logs no override.
    assert evaluations.score_form(workspace, evaluation_id).points["1.1"] == 10
    evaluations.score(workspace, evaluation_id, {**full_marks(workspace, Title.FAMILY), "1.1": 0})
    assert workspace.history.undo_label == "Chấm điểm Gia đình học tập hộ 00001 (Nguyễn Văn An)"


def test_recognise_creates_a_decision_and_refuses_unscored_or_failed(workspace: Workspace, families: list[str]) -> None:
    passed, failed, unscored = evaluations.register(workspace, Title.FAMILY, 2025, families, REGISTERED)
    evaluations.score(workspace, passed, full_marks(workspace, Title.FAMILY))
    evaluations.score(workspace, failed, {"1.1": 10})

    with pytest.raises(UserError) as refused:
        evaluations.recognise(workspace, Title.FAMILY, 2025, [passed, failed, unscored], DECISION)
    assert str(refused.value) == (
        "Không công nhận được — chưa chấm điểm: hộ 00003 (Lê Văn Cư); chưa đạt: hộ 00002 (Trần Thị Bình). "
        "Chưa công nhận hồ sơ nào."
    )
    assert evaluations.list_decisions(workspace, 2025) == []

    decision_id = evaluations.recognise(workspace, Title.FAMILY, 2025, [passed], DECISION)
    assert uuid.UUID(decision_id).version == 4
    (decision,) = evaluations.list_decisions(workspace, 2025, Title.FAMILY)
    assert (decision.id, decision.number, decision.signed_on, decision.signer_name, decision.count) == (
        decision_id, "25/QĐ-UBND", date(2025, 12, 15), "Nguyễn Văn Tư", 1,
    )  # fmt: skip
    row = only(workspace, passed)
    assert (row.status, row.decision_id, row.decision_number, row.decision_date) == (
        "Đã công nhận", decision_id, "25/QĐ-UBND", date(2025, 12, 15),
    )  # fmt: skip
    assert workspace.history.undo_label == (
        "Công nhận Gia đình học tập năm 2025 theo quyết định số 25/QĐ-UBND: hộ 00001 (Nguyễn Văn An)"
    )

    with pytest.raises(UserError, match="đã được công nhận theo quyết định số 25/QĐ-UBND ngày 15/12/2025"):
        evaluations.score(workspace, passed, {"1.1": 0})
    with pytest.raises(UserError, match="hủy đăng ký hộ 00001"):
        evaluations.unregister(workspace, passed)
    assert only(workspace, passed).total == 100


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"number": "  "}, "number", "chưa nhập số quyết định"),
        ({"number": "25/qđ-ubnd"}, "number", "số «25/QĐ-UBND» đã dùng cho quyết định công nhận Gia đình học tập"),
        ({"signer_name": ""}, "signer_name", "chưa nhập họ tên người ký"),
        ({"signed_on": date(2024, 12, 31)}, "signed_on", "trước năm được công nhận 2025"),
    ],
)
def test_a_decision_needs_a_new_number_a_signer_and_a_date_in_time(
    workspace: Workspace, families: list[str], change: dict[str, object], field: str, message: str
) -> None:
    first, second, _ = evaluations.register(workspace, Title.FAMILY, 2025, families, REGISTERED)
    for evaluation_id in (first, second):
        evaluations.score(workspace, evaluation_id, full_marks(workspace, Title.FAMILY))
    evaluations.recognise(workspace, Title.FAMILY, 2025, [first], DECISION)
    with pytest.raises(ValidationError) as refused:
        evaluations.recognise(workspace, Title.FAMILY, 2025, [second], replace(DECISION, **change))  # type: ignore[arg-type]
    assert refused.value.field == field
    assert message in refused.value.message
    assert only(workspace, second).status == "Đã chấm — đạt"


def test_undo_of_recognise_and_revoking_a_decision(workspace: Workspace, families: list[str]) -> None:
    first, second = evaluations.register(workspace, Title.FAMILY, 2025, families[:2], REGISTERED)
    for evaluation_id in (first, second):
        evaluations.score(workspace, evaluation_id, full_marks(workspace, Title.FAMILY))
    decision_id = evaluations.recognise(workspace, Title.FAMILY, 2025, [first, second], DECISION)

    workspace.history.undo(workspace)
    assert {r.status for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025)} == {"Đã chấm — đạt"}
    assert evaluations.list_decisions(workspace, 2025) == []
    with session_scope(workspace.engine) as session:
        assert session.get(Decision, decision_id) is None

    workspace.history.redo(workspace)
    assert [d.count for d in evaluations.list_decisions(workspace, 2025)] == [2]

    evaluations.revoke_decision(workspace, decision_id)
    assert workspace.history.undo_label == "Hủy quyết định công nhận Gia đình học tập số 25/QĐ-UBND (2 hồ sơ)"
    assert evaluations.list_decisions(workspace, 2025) == []
    assert {r.status for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025)} == {"Đã chấm — đạt"}
    # The number is free again, and the revocation itself can be undone.
    workspace.history.undo(workspace)
    assert {r.decision_id for r in evaluations.list_evaluations(workspace, Title.FAMILY, 2025)} == {decision_id}


def test_the_rubric_used_is_kept_after_the_rubric_is_edited(workspace: Workspace, families: list[str]) -> None:
    first, second, _ = evaluations.register(workspace, Title.FAMILY, 2025, families, REGISTERED)
    old = rubrics.rubric_for(workspace, Title.FAMILY, 2025)
    evaluations.score(workspace, first, full_marks(workspace, Title.FAMILY))

    new_id = rubrics.save_rubric(workspace, replace(old, pass_mark=95))
    assert new_id != old.id
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2025).id == new_id

    form = evaluations.score_form(workspace, first)
    assert (form.rubric.id, form.rubric.pass_mark) == (old.id, 80)
    points = {**full_marks(workspace, Title.FAMILY), "4.1": 0, "4.2": 0, "4.3": 0}  # 85: passes 80, not 95
    assert evaluations.score(workspace, first, points).passed
    assert only(workspace, first).rubric_id == old.id
    # A first scoring takes the new version.
    assert not evaluations.score(workspace, second, points).passed
    assert only(workspace, second).rubric_label == "Gia đình học tập (phiên bản 2)"
