"""Prefill from the members table: "every school-age child attends school", computed for a household and year."""

from __future__ import annotations

import pytest

from khuyenhoc_desktop.domain.household import HouseholdInput, MemberInput
from khuyenhoc_desktop.domain.rubric import Criterion, Indicator, Rubric
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import rubrics
from khuyenhoc_desktop.services.prefill import SCHOOL_AGE_CHILDREN_IN_SCHOOL, school_attendance, suggest
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.workspace import Workspace

Child = tuple[str, int | None, str]


def household(workspace: Workspace, code: str, children: list[Child]) -> str:
    hamlet_id = list_hamlets(workspace)[0].id
    household_id = household_service.create_household(
        workspace, HouseholdInput(code, "Phạm Văn Hùng", hamlet_id, head_birth_year=1975)
    )
    for name, birth_year, status in children:
        household_service.add_member(workspace, household_id, MemberInput(name, birth_year, learning_status=status))
    return household_id


def family_suggestion(workspace: Workspace, household_id: str, year: int = 2025) -> tuple[int, str]:
    rubric = rubrics.rubric_for(workspace, Title.FAMILY, year)
    (code,) = [i.code for i in rubric.indicators if i.prefill == SCHOOL_AGE_CHILDREN_IN_SCHOOL]
    found = suggest(workspace, rubric, Title.FAMILY, household_id, year)
    assert set(found.points) == set(found.explanations) == {code}
    return found.points[code], found.explanations[code]


def test_all_children_of_school_age_in_school_earn_the_indicator(workspace: Workspace) -> None:
    household_id = household(
        workspace,
        "00001",
        [
            ("Phạm Thị Lan", 2018, "tieu_hoc"),  # 7
            ("Phạm Văn Minh", 2012, "thcs"),  # 13
            ("Phạm Thị Ngọc", 2008, "hoc_nghe"),  # 17
            ("Phạm Văn Bảo", 2021, "mam_non"),  # 4: not of school age
        ],
    )
    assert family_suggestion(workspace, household_id) == (10, "3/3 trẻ trong độ tuổi đang đi học")


def test_one_child_dropped_out_loses_the_indicator_and_is_named(workspace: Workspace) -> None:
    household_id = household(
        workspace,
        "00002",
        [("Phạm Thị Lan", 2016, "tieu_hoc"), ("Phạm Văn Minh", 2010, "bo_hoc"), ("Phạm Văn Tài", 2014, "thcs")],
    )
    points, why = family_suggestion(workspace, household_id)
    assert points == 0
    assert why == "2/3 trẻ trong độ tuổi đang đi học; chưa đi học: Phạm Văn Minh (15 tuổi, đã bỏ học)"


def test_a_household_without_school_age_children_earns_the_indicator(workspace: Workspace) -> None:
    household_id = household(
        workspace,
        "00003",
        [("Phạm Văn Bảo", 2021, "mam_non"), ("Phạm Thị Hạnh", 2000, "khong_di_hoc"), ("Phạm Văn Sơn", 2005, "bo_hoc")],
    )
    assert family_suggestion(workspace, household_id) == (
        10,
        "Hộ không có trẻ trong độ tuổi đi học (6–17 tuổi)",
    )


def test_members_of_unknown_birth_year_are_left_out_and_children_among_them_mentioned(workspace: Workspace) -> None:
    household_id = household(
        workspace,
        "00004",
        [("Phạm Văn Minh", None, "bo_hoc"), ("Phạm Thị Lan", 2015, "tieu_hoc"), ("Phạm Thị Tư", None, "khong_di_hoc")],
    )
    points, why = family_suggestion(workspace, household_id)
    assert points == 10  # the dropout of unknown age cannot be counted either way
    assert why == "1/1 trẻ trong độ tuổi đang đi học; 1 trẻ chưa rõ năm sinh không được tính"


def test_the_evaluation_year_decides_who_is_of_school_age(workspace: Workspace) -> None:
    household_id = household(workspace, "00005", [("Phạm Văn Minh", 2007, "bo_hoc")])
    assert family_suggestion(workspace, household_id, 2024)[0] == 0  # 17 in 2024
    assert family_suggestion(workspace, household_id, 2025)[0] == 10  # 18 in 2025: an adult


def test_a_deleted_member_does_not_count(workspace: Workspace) -> None:
    household_id = household(workspace, "00006", [("Phạm Văn Minh", 2012, "bo_hoc")])
    (member,) = [m for m in household_service.list_members(workspace, household_id) if m.full_name == "Phạm Văn Minh"]
    household_service.delete_member(workspace, member.id)
    assert family_suggestion(workspace, household_id)[0] == 10


@pytest.mark.parametrize(
    ("children", "all_in_school", "of_age"),
    [
        ([("Lan", 2020, "tieu_hoc")], True, 1),  # 6 in 2026
        ([("Lan", 2021, "chua_di_hoc")], True, 0),  # 5: too young
        ([("Lan", 2020, "chua_di_hoc")], False, 1),  # 6 and not yet at school
        ([("Lan", 2020, "mam_non")], True, 0),  # still in kindergarten at 6
        ([("Lan", 2009, "thpt")], True, 1),  # 17
        ([("Lan", 2008, "khong_di_hoc")], True, 0),  # 18
        ([("Lan", 2012, "nguy_co_bo_hoc")], True, 1),  # at risk, still at school
        ([("Lan", 2012, "khong_di_hoc")], False, 1),
        ([("Lan", 2009, "hoc_tap_suot_doi")], False, 1),
        ([("Lan", 2009, "cao_dang_dai_hoc")], True, 1),
    ],
)
def test_school_attendance_rule(children: list[Child], all_in_school: bool, of_age: int) -> None:
    fact = school_attendance(children, 2026)
    assert (fact.all_in_school, fact.of_age) == (all_in_school, of_age)


def test_only_indicators_with_a_known_key_of_the_title_are_suggested(workspace: Workspace) -> None:
    household_id = household(workspace, "00007", [("Phạm Văn Minh", 2012, "bo_hoc")])
    rubric = Rubric(
        title=Title.FAMILY,
        name="Bộ tiêu chí thử",
        version=1,
        pass_mark=10,
        criteria=(
            Criterion(
                "Trẻ em",
                (
                    Indicator("1", "Trẻ đến trường", 6, prefill=SCHOOL_AGE_CHILDREN_IN_SCHOOL),
                    Indicator("2", "Trẻ chuyên cần", 4, prefill="chua_co_du_lieu"),
                    Indicator("3", "Góc học tập", 4),
                ),
            ),
        ),
        valid_from=2025,
    )
    assert suggest(workspace, rubric, Title.FAMILY, household_id, 2025).points == {"1": 0}
    # The same key in a clan's rubric is not computed: the fact is about one household's members.
    clan_rubric = Rubric(**{**rubric.__dict__, "title": Title.CLAN})
    assert suggest(workspace, clan_rubric, Title.CLAN, household_id, 2025).points == {}
