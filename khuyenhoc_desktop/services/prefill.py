"""Indicators the app can score from data it already holds, so the officer checks rather than counts.

A rubric indicator names a fact by its `prefill` key; `suggest` computes the facts the app knows and says,
in a few Vietnamese words, how it got each number. The officer may override a suggestion; the evaluation
keeps what was suggested so the override shows in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.household import LEARNING_STATUS_LABELS, LearningStatus
from khuyenhoc_desktop.domain.rubric import Rubric
from khuyenhoc_desktop.domain.rubric_presets import SCHOOL_AGE_CHILDREN_IN_SCHOOL
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Member

SCHOOL_AGES = range(6, 18)  # from the year a child turns 6 (grade 1) to the year they turn 17 (grade 12)

# A pupil at risk of dropping out still goes to school: the support programme tracks them, not this rule.
IN_SCHOOL = frozenset(
    {
        LearningStatus.PRIMARY,
        LearningStatus.LOWER_SECONDARY,
        LearningStatus.UPPER_SECONDARY,
        LearningStatus.VOCATIONAL,
        LearningStatus.HIGHER,
        LearningStatus.DROPOUT_RISK,
    }
)
# A six-year-old still in kindergarten is not yet of school age, whatever the arithmetic says.
NOT_YET_SCHOOL_AGE = frozenset({LearningStatus.KINDERGARTEN})
# What adults are recorded as: a member of unknown age with one of these is not worth a warning.
ADULT_STATUSES = frozenset({LearningStatus.NOT_STUDYING, LearningStatus.ADULT_LEARNING})


@dataclass(frozen=True)
class Suggestions:
    points: dict[str, int]  # indicator code → points the app suggests
    explanations: dict[str, str]  # indicator code → how it got them, for the officer


@dataclass(frozen=True)
class SchoolAttendance:
    of_age: int
    in_school: int
    out_of_school: tuple[str, ...]  # "Lê Văn Tí (14 tuổi, đã bỏ học)"
    unknown_age: int  # members of unknown birth year recorded with a child's learning status

    @property
    def all_in_school(self) -> bool:
        return not self.out_of_school

    @property
    def explanation(self) -> str:
        if not self.of_age:
            text = f"Hộ không có trẻ trong độ tuổi đi học ({SCHOOL_AGES.start}–{SCHOOL_AGES.stop - 1} tuổi)"
        else:
            text = f"{self.in_school}/{self.of_age} trẻ trong độ tuổi đang đi học"
            if self.out_of_school:
                text += "; chưa đi học: " + ", ".join(self.out_of_school)
        if self.unknown_age:
            text += f"; {self.unknown_age} trẻ chưa rõ năm sinh không được tính"
        return text


def school_attendance(members: Iterable[tuple[str, int | None, str]], year: int) -> SchoolAttendance:
    """Every child aged 6–17 in `year` (year − birth year) must be in school for the household to pass.

    Rule, for members `(name, birth_year, learning_status)`:
    - a member of unknown birth year is left out (one recorded with a child's learning status is counted
      in `unknown_age`, so the officer knows to fill the year in);
    - a kindergarten pupil is not of school age, even at 6;
    - primary, lower and upper secondary, vocational, college or university, and at risk of dropping out
      count as in school; dropped out, not studying, not yet started school and adult learning do not;
    - a household with no child of school age passes: it has no child out of school.
    """
    of_age = in_school = unknown = 0
    out: list[str] = []
    for name, birth_year, status in members:
        if birth_year is None:
            if status not in ADULT_STATUSES:
                unknown += 1
            continue
        age = year - birth_year
        if age not in SCHOOL_AGES or status in NOT_YET_SCHOOL_AGE:
            continue
        of_age += 1
        if status in IN_SCHOOL:
            in_school += 1
        else:
            out.append(f"{name} ({age} tuổi, {LEARNING_STATUS_LABELS.get(status, status).lower()})")
    return SchoolAttendance(of_age, in_school, tuple(out), unknown)


def _household_school_attendance(session: Session, household_id: str, year: int) -> tuple[bool, str]:
    members = session.exec(
        select(Member.full_name, Member.birth_year, Member.learning_status)
        .where(Member.household_id == household_id, col(Member.deleted_at).is_(None))
        .order_by(col(Member.position), col(Member.created_at))
    ).all()
    fact = school_attendance(members, year)
    return fact.all_in_school, fact.explanation


@dataclass(frozen=True)
class Fact:
    title: str  # the title whose subjects it is computed for
    label: str  # shown in the rubric editor beside the key
    compute: Callable[[Session, str, int], tuple[bool, str]]  # (subject id, year) → (full points?, why)


FACTS: dict[str, Fact] = {
    SCHOOL_AGE_CHILDREN_IN_SCHOOL: Fact(
        Title.FAMILY,
        "Mọi trẻ trong độ tuổi đi học (6–17 tuổi) đều đang đi học — tính từ danh sách thành viên",
        _household_school_attendance,
    ),
}

PREFILL_LABELS: dict[str, str] = {key: fact.label for key, fact in FACTS.items()}


def suggest(workspace: Workspace, rubric: Rubric, title: str, subject_id: str, year: int) -> Suggestions:
    """Points for every indicator of `rubric` whose prefill key the app can compute for this subject:
    all the indicator's points when the fact holds, none when it does not."""
    wanted = [i for i in rubric.indicators if i.prefill in FACTS and FACTS[i.prefill].title == title]
    points: dict[str, int] = {}
    explanations: dict[str, str] = {}
    if not wanted:
        return Suggestions(points, explanations)
    with session_scope(workspace.engine) as session:
        for indicator in wanted:
            holds, why = FACTS[indicator.prefill].compute(session, subject_id, year)
            points[indicator.code] = indicator.max_points if holds else 0
            explanations[indicator.code] = why
    return Suggestions(points, explanations)
