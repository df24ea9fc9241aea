"""Rubric versions in a data folder: presets installed once, the rubric for a year, edits in place while
unused, a new version once used, copies, deletion, and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.domain.rubric import Criterion, Indicator, Rubric
from khuyenhoc_desktop.domain.rubric_presets import FAMILY, PRESETS
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import rubrics
from khuyenhoc_desktop.services.households import create_household
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, Evaluation, utc_now


def use(workspace: Workspace, rubric_id: str, code: str = "00001", deleted: bool = False) -> str:
    """Score a household with the rubric (as the evaluation cycle would), optionally binning the evaluation."""
    hamlet_id = list_hamlets(workspace)[0].id
    household_id = create_household(workspace, HouseholdInput(code, "Trần Thị Mai", hamlet_id))
    evaluation = Evaluation(
        title=Title.FAMILY,
        year=2025,
        subject_id=household_id,
        registered_on="2025-03-01",
        rubric_id=rubric_id,
        deleted_at=utc_now() if deleted else None,
    )
    with session_scope(workspace.engine) as session:
        session.add(evaluation)
    return evaluation.id


def raw_row(workspace: Workspace, rubric_id: str) -> tuple[Any, ...]:
    with session_scope(workspace.engine) as session:
        return tuple(session.execute(text("SELECT * FROM rubric WHERE id = :id"), {"id": rubric_id}).one())


def audit(workspace: Workspace) -> list[AuditEntry]:
    with session_scope(workspace.engine) as session:
        return list(
            session.exec(select(AuditEntry).where(AuditEntry.table_name == "rubric").order_by(col(AuditEntry.id))).all()
        )


def family(workspace: Workspace) -> Rubric:
    return rubrics.rubric_for(workspace, Title.FAMILY, 2025)


def with_first_indicator(rubric: Rubric, max_points: int) -> Rubric:
    children = rubric.criteria[0]
    first = replace(children.indicators[0], max_points=max_points)
    return replace(
        rubric, criteria=(replace(children, indicators=(first, *children.indicators[1:])), *rubric.criteria[1:])
    )


def test_presets_are_installed_once_and_not_undoable(workspace: Workspace) -> None:
    rows = rubrics.list_rubrics(workspace)
    assert [(r.title, r.preset_key, r.version) for r in rows] == [(p.title, key, 1) for key, p in PRESETS]
    assert all(r.max_points == 100 and not r.used for r in rows)
    assert rows[0].title_label == "Gia đình học tập"
    assert rubrics.install_presets(workspace) == 0
    assert len(rubrics.list_rubrics(workspace)) == len(PRESETS)
    entries = audit(workspace)
    assert len(entries) == len(PRESETS)
    assert {e.action for e in entries} == {"Cài các bộ tiêu chí mẫu"}
    assert {e.officer for e in entries} == {"Lê Thị Hoa"}
    assert workspace.history.undo_label is None


def test_presets_come_on_first_use_by_rubric_for(workspace: Workspace) -> None:
    rubric = family(workspace)
    assert rubric.id and rubric.criteria == FAMILY.criteria and rubric.pass_mark == FAMILY.pass_mark
    assert rubrics.get_rubric(workspace, rubric.id) == rubric
    assert len(rubrics.list_rubrics(workspace, Title.FAMILY)) == 1


def test_a_deleted_preset_does_not_come_back(workspace: Workspace) -> None:
    rubrics.delete_rubric(workspace, family(workspace).id)
    assert rubrics.install_presets(workspace) == 0
    assert rubrics.list_rubrics(workspace, Title.FAMILY) == []
    with pytest.raises(UserError, match="Chưa có bộ tiêu chí «Gia đình học tập» áp dụng cho năm 2025"):
        family(workspace)


def test_rubric_for_picks_by_year(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="năm 2015"):
        rubrics.rubric_for(workspace, Title.FAMILY, 2015)
    with pytest.raises(UserError, match="«Công dân học tập» áp dụng cho năm 2021"):
        rubrics.rubric_for(workspace, Title.CITIZEN, 2021)
    assert rubrics.rubric_for(workspace, Title.CITIZEN, 2022).pass_mark == 80
    preset = family(workspace)
    rubrics.save_rubric(workspace, replace(preset, valid_to=2024))
    province = rubrics.save_rubric(
        workspace, replace(preset, id="", name="Gia đình học tập tỉnh Tây Ninh", valid_from=2025, pass_mark=85)
    )
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2024).id == preset.id
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2025).id == province
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2030).pass_mark == 85


def test_rubric_for_prefers_the_higher_version(workspace: Workspace) -> None:
    preset = family(workspace)
    copy = rubrics.copy_as_new_version(workspace, preset.id)
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2025).id == copy
    rubrics.delete_rubric(workspace, copy)
    assert rubrics.rubric_for(workspace, Title.FAMILY, 2025).id == preset.id


def test_save_unused_changes_in_place_and_undo_restores(workspace: Workspace) -> None:
    preset = family(workspace)
    before = raw_row(workspace, preset.id)
    edited = replace(with_first_indicator(preset, 15), pass_mark=85, basis="Hướng dẫn của Hội Khuyến học tỉnh")
    assert rubrics.save_rubric(workspace, edited) == preset.id
    stored = rubrics.get_rubric(workspace, preset.id)
    assert stored == edited
    assert stored.version == 1 and stored.max_points == 105
    assert len(rubrics.list_rubrics(workspace, Title.FAMILY)) == 1
    entry = audit(workspace)[-1]
    assert entry.action == "Sửa bộ tiêu chí «Gia đình học tập» phiên bản 1"
    assert entry.before_json is not None and '"pass_mark": 80' in entry.before_json
    assert entry.after_json is not None and '"pass_mark": 85' in entry.after_json
    assert workspace.history.undo_label == "Sửa bộ tiêu chí «Gia đình học tập» phiên bản 1"
    workspace.history.undo(workspace)
    assert raw_row(workspace, preset.id) == before


def test_save_used_writes_a_new_version_and_leaves_the_old_row_alone(workspace: Workspace) -> None:
    preset = family(workspace)
    use(workspace, preset.id)
    assert rubrics.is_used(workspace, preset.id)
    before = raw_row(workspace, preset.id)
    new_id = rubrics.save_rubric(workspace, replace(preset, pass_mark=75, name="Gia đình học tập (sửa 2025)"))
    assert new_id != preset.id
    assert raw_row(workspace, preset.id) == before
    new = rubrics.get_rubric(workspace, new_id)
    assert (new.version, new.pass_mark, new.name, new.criteria) == (
        2,
        75,
        "Gia đình học tập (sửa 2025)",
        preset.criteria,
    )
    rows = {r.id: r for r in rubrics.list_rubrics(workspace, Title.FAMILY)}
    assert rows[new_id].preset_key == rows[preset.id].preset_key == "gia_dinh_448"
    assert rows[preset.id].used and not rows[new_id].used
    assert family(workspace).id == new_id
    assert audit(workspace)[-1].action == "Lưu bộ tiêu chí «Gia đình học tập» phiên bản 1 thành phiên bản 2"
    # Saving the old version again makes version 3 of the same lineage, still leaving it alone.
    third = rubrics.save_rubric(workspace, replace(preset, pass_mark=90))
    assert rubrics.get_rubric(workspace, third).version == 3
    assert raw_row(workspace, preset.id) == before


def test_a_deleted_evaluation_still_counts_as_use(workspace: Workspace) -> None:
    preset = family(workspace)
    use(workspace, preset.id, deleted=True)
    assert rubrics.is_used(workspace, preset.id)
    assert rubrics.save_rubric(workspace, replace(preset, pass_mark=70)) != preset.id


def test_copy_as_new_version(workspace: Workspace) -> None:
    citizen = rubrics.rubric_for(workspace, Title.CITIZEN, 2025)
    copy_id = rubrics.copy_as_new_version(workspace, citizen.id)
    copy = rubrics.get_rubric(workspace, copy_id)
    assert copy == replace(citizen, id=copy_id, version=2)
    assert not rubrics.is_used(workspace, copy_id)
    assert workspace.history.undo_label == "Sao chép bộ tiêu chí «Công dân học tập» phiên bản 1 thành phiên bản 2"
    assert rubrics.get_rubric(workspace, rubrics.copy_as_new_version(workspace, citizen.id)).version == 3
    workspace.history.undo(workspace)
    assert [r.version for r in rubrics.list_rubrics(workspace, Title.CITIZEN)] == [1, 2]


def test_delete_refused_when_used_and_restorable_otherwise(workspace: Workspace) -> None:
    preset = family(workspace)
    use(workspace, preset.id)
    with pytest.raises(UserError, match="đã được dùng để chấm nên không xóa được"):
        rubrics.delete_rubric(workspace, preset.id)
    assert rubrics.list_rubrics(workspace, Title.FAMILY)[0].id == preset.id
    copy = rubrics.copy_as_new_version(workspace, preset.id)
    rubrics.delete_rubric(workspace, copy)
    assert [r.id for r in rubrics.list_rubrics(workspace, Title.FAMILY)] == [preset.id]
    (source,) = rubrics.BIN_SOURCES
    (binned,) = source.records(workspace)
    assert (binned.id, binned.label, binned.detail) == (copy, "Gia đình học tập — phiên bản 2", "Gia đình học tập")
    with pytest.raises(UserError, match="đang ở thùng rác"):
        rubrics.save_rubric(workspace, rubrics.get_rubric(workspace, copy))
    source.restore(workspace, copy)
    assert len(rubrics.list_rubrics(workspace, Title.FAMILY)) == 2
    actions = [e.action for e in audit(workspace)]
    assert actions[-2:] == [
        "Xóa bộ tiêu chí «Gia đình học tập» phiên bản 2",
        "Khôi phục bộ tiêu chí «Gia đình học tập» phiên bản 2",
    ]


def test_a_new_rubric_starts_its_own_lineage(workspace: Workspace) -> None:
    rubric = Rubric(
        title=Title.UNIT,
        name="Đơn vị học tập khối trường học",
        version=7,  # ignored: the lineage numbers its versions
        pass_mark=16,
        criteria=(Criterion("Học tập của giáo viên", (Indicator("1", "Giáo viên tự học", 20, 10),)),),
        valid_from=2025,
    )
    first = rubrics.save_rubric(workspace, rubric)
    second = rubrics.save_rubric(workspace, rubric)
    assert [rubrics.get_rubric(workspace, i).version for i in (first, second)] == [1, 2]
    row = next(r for r in rubrics.list_rubrics(workspace, Title.UNIT) if r.id == first)
    assert (row.preset_key, row.max_points, row.pass_mark, row.valid_to) == ("", 20, 16, None)
    assert rubrics.rubric_for(workspace, Title.UNIT, 2025).id == second


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pass_mark": 101}, "Điểm đạt"),
        ({"name": ""}, "chưa nhập tên"),
        ({"criteria": (*FAMILY.criteria, Criterion("Tiêu chí bổ sung", ()))}, "«Tiêu chí 5»: cần ít nhất một chỉ tiêu"),
        ({"criteria": (Criterion(" ", FAMILY.criteria[0].indicators), *FAMILY.criteria[1:])}, "chưa nhập tên tiêu chí"),
    ],
)
def test_invalid_rubrics_write_nothing(workspace: Workspace, change: dict[str, object], words: str) -> None:
    preset = family(workspace)
    before, entries = raw_row(workspace, preset.id), len(audit(workspace))
    with pytest.raises(ValidationError) as raised:
        rubrics.save_rubric(workspace, replace(preset, **change))  # type: ignore[arg-type]
    assert words in str(raised.value)
    assert raw_row(workspace, preset.id) == before
    assert len(audit(workspace)) == entries


def test_unknown_rubric(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="Không tìm thấy bộ tiêu chí"):
        rubrics.get_rubric(workspace, "khong-co")


def test_undo_never_rewrites_a_rubric_that_was_used_meanwhile(workspace: Workspace) -> None:
    rubric = rubrics.rubric_for(workspace, Title.FAMILY, 2025)
    rubrics.save_rubric(workspace, replace(rubric, pass_mark=75))  # unused: changed in place, undoable
    assert rubrics.get_rubric(workspace, rubric.id).pass_mark == 75
    household = create_household(workspace, HouseholdInput("00001", "Lê Văn An", list_hamlets(workspace)[0].id))
    with session_scope(workspace.engine) as session:
        session.add(Evaluation(title=Title.FAMILY, year=2025, subject_id=household, registered_on="2025-03-01",
                               rubric_id=rubric.id))  # fmt: skip
    workspace.history.undo(workspace)  # the household
    with pytest.raises(UserError, match="bộ tiêu chí này đã được dùng để chấm"):
        workspace.history.undo(workspace)
    assert rubrics.get_rubric(workspace, rubric.id).pass_mark == 75
