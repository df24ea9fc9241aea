"""Learning citizens (Công dân học tập): the people evaluated, and each one's result for a year.

A citizen is a household member, a unit's staff member, or (from an imported list) someone the registers
do not hold yet. The person's name, birth year, sex and hamlet are copied onto the citizen row, so a result
still names the person after the household moves on; adding the same member again refreshes the copy.

A year's result is an Evaluation row of the title "cong_dan" (one live row per citizen and year), so the
shared cycle — decisions, statistics — treats it like any other title. This module is how those rows are
written for citizens: points typed against the rubric, or an outcome the national online system gave.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import MEMBER_FIELD_LABELS, SEX_LABELS, check_birth_year
from khuyenhoc_desktop.domain.rubric import Outcome, check_points, score
from khuyenhoc_desktop.domain.text import fold, name_sort_key, nfc
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.services import evaluations, rubrics
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.deleted import BinSource, move_to_bin, take_from_bin
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Citizen, Decision, Evaluation, Household, Member, Unit, utc_now

TITLE = Title.CITIZEN
UNKNOWN_SEX = ""  # an imported person whose sex the file does not give and no register knows

RESULT_LABELS = {True: "Đạt", False: "Chưa đạt", None: "Chưa chấm"}


@dataclass(frozen=True, slots=True)
class CitizenResultRow:
    citizen_id: str
    evaluation_id: str | None  # None: no result for the year yet
    full_name: str
    birth_year: int | None
    sex: str
    link_label: str  # "Hộ 00012 — Ấp Vĩnh Thạnh", "Trường Tiểu học Phước Vĩnh Tây (đơn vị)" or ""
    hamlet_id: str | None
    hamlet_name: str
    year: int
    total: int | None
    passed: bool | None
    reasons: str  # "; "-joined, as domain.rubric.Outcome.reasons
    scores: dict[str, int]
    source: str  # "" typed here, else the name of the imported file
    recognised: bool  # in a live decision: no longer changed from here
    name_sort: str
    search_key: str

    @property
    def id(self) -> str:
        """The table models key rows by `id`; a citizen has one row per year."""
        return self.citizen_id

    @property
    def result_text(self) -> str:
        """ "" without a result for the year; "Chưa chấm" when on the year's list but not scored yet."""
        if self.evaluation_id is None:
            return ""
        failed_because = self.passed is False and self.reasons
        text = f"Chưa đạt: {self.reasons}" if failed_because else RESULT_LABELS[self.passed]
        return f"{text} — đã công nhận" if self.recognised else text


@dataclass(frozen=True, slots=True)
class MemberChoice:
    """A household member offered when adding citizens from the households register."""

    id: str
    full_name: str
    birth_year: int | None
    sex: str
    household_code: str
    head_name: str
    hamlet_name: str
    citizen_id: str | None  # already in the citizens' list
    name_sort: str
    search_key: str


class Written(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ResultValues:
    """What one result row holds, whether typed or imported."""

    rubric_id: str | None
    scores: Mapping[str, int]
    total: int | None
    passed: bool | None
    reasons: str
    source: str


_RESULTS_SQL = """
SELECT c.id, e.id, c.full_name, c.birth_year, c.sex, h.code, hh.name, u.name, c.hamlet_id, coalesce(ha.name, ''),
       e.total, e.passed, coalesce(e.reasons, ''), coalesce(e.scores, '{}'), coalesce(e.source, ''),
       d.id IS NOT NULL, c.name_sort
FROM citizen c
LEFT JOIN member m ON m.id = c.member_id
LEFT JOIN household h ON h.id = m.household_id
LEFT JOIN hamlet hh ON hh.id = h.hamlet_id
LEFT JOIN unit u ON u.id = c.unit_id
LEFT JOIN hamlet ha ON ha.id = c.hamlet_id
LEFT JOIN evaluation e ON e.subject_id = c.id AND e.title = :title AND e.year = :year AND e.deleted_at IS NULL
LEFT JOIN decision d ON d.id = e.decision_id AND d.deleted_at IS NULL
WHERE c.deleted_at IS NULL
"""


def link_label(household_code: str | None, household_hamlet: str | None, unit_name: str | None) -> str:
    if household_code is not None:
        return f"Hộ {household_code} — {household_hamlet or ''}".strip(" —")
    if unit_name is not None:
        return f"{unit_name} (đơn vị)"
    return ""


def list_results(workspace: Workspace, year: int, ids: list[str] | None = None) -> list[CitizenResultRow]:
    """Every live citizen (or just `ids`) with the year's result, if any, in one query.

    Citizens without a result for the year are listed too: they were added to be scored.
    """
    sql, params = _RESULTS_SQL, {"title": TITLE.value, "year": year}
    if ids is not None:
        sql += " AND c.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(ids)
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(sql), params).all()
    result = []
    for (
        citizen_id, evaluation_id, name, birth_year, sex, code, household_hamlet, unit_name, hamlet_id, hamlet_name,
        total, passed, reasons, scores, source, recognised, name_sort,
    ) in rows:  # fmt: skip
        link = link_label(code, household_hamlet, unit_name)
        result.append(
            CitizenResultRow(
                citizen_id=citizen_id,
                evaluation_id=evaluation_id,
                full_name=name,
                birth_year=birth_year,
                sex=sex,
                link_label=link,
                hamlet_id=hamlet_id,
                hamlet_name=hamlet_name,
                year=year,
                total=total,
                passed=None if passed is None else bool(passed),
                reasons=reasons,
                scores={str(k): int(v) for k, v in json.loads(scores).items()},
                source=source,
                recognised=bool(recognised),
                name_sort=name_sort,
                search_key=fold(f"{name} {birth_year or ''} {link} {hamlet_name} {source}"),
            )
        )
    return result


_MEMBERS_SQL = """
SELECT m.id, m.full_name, m.birth_year, m.sex, h.code, coalesce(head.full_name, ''), ha.name, c.id, m.name_sort
FROM member m
JOIN household h ON h.id = m.household_id AND h.deleted_at IS NULL
JOIN hamlet ha ON ha.id = h.hamlet_id
LEFT JOIN member head ON head.household_id = h.id AND head.relation = 'chu_ho' AND head.deleted_at IS NULL
LEFT JOIN citizen c ON c.member_id = m.id AND c.deleted_at IS NULL
WHERE m.deleted_at IS NULL
ORDER BY m.name_sort
"""


def list_member_choices(workspace: Workspace) -> list[MemberChoice]:
    """Every live member of a live household, by given name, for the "add from the households" picker."""
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(_MEMBERS_SQL)).all()
    return [
        MemberChoice(
            id=member_id,
            full_name=name,
            birth_year=birth_year,
            sex=sex,
            household_code=code,
            head_name=head,
            hamlet_name=hamlet,
            citizen_id=citizen_id,
            name_sort=name_sort,
            search_key=fold(f"{name} {birth_year or ''} {code} {head} {hamlet}"),
        )
        for member_id, name, birth_year, sex, code, head, hamlet, citizen_id, name_sort in rows
    ]


def set_person(citizen: Citizen, full_name: str, birth_year: int | None, sex: str, hamlet_id: str | None) -> None:
    """The copied person fields and the keys derived from the name, written together."""
    citizen.full_name, citizen.birth_year, citizen.sex, citizen.hamlet_id = full_name, birth_year, sex, hamlet_id
    citizen.name_key = fold(full_name)
    citizen.name_sort = name_sort_key(full_name)


def citizen_of_member(session: Session, member_id: str) -> Citizen | None:
    return session.exec(
        select(Citizen).where(Citizen.member_id == member_id, col(Citizen.deleted_at).is_(None))
    ).first()


def add_citizen_from_member(workspace: Workspace, member_id: str) -> str:
    """One citizen per member: adding the member again returns the same citizen, its copy refreshed."""
    with record_change(workspace, "Thêm công dân từ sổ hộ") as change:
        session = change.session
        member = session.get(Member, member_id)
        household = session.get(Household, member.household_id) if member is not None else None
        if member is None or household is None or member.deleted_at is not None or household.deleted_at is not None:
            raise UserError("Thành viên này không còn trong sổ hộ (đã bị xóa); hãy tải lại danh sách.")
        citizen = citizen_of_member(session, member_id)
        if citizen is None:
            citizen = Citizen(full_name="", member_id=member_id)
            change.add(citizen)
            change.label = f"Thêm công dân {member.full_name} (hộ {household.code})"
        else:
            change.touch(citizen)
            change.label = f"Cập nhật công dân {member.full_name} theo sổ hộ"
        person = (member.full_name, member.birth_year, member.sex, household.hamlet_id)
        if person != (citizen.full_name, citizen.birth_year, citizen.sex, citizen.hamlet_id):
            set_person(citizen, *person)
            citizen.updated_at = utc_now()
    return citizen.id


def add_citizen_in_unit(workspace: Workspace, unit_id: str, full_name: str, birth_year: int | None, sex: str) -> str:
    """A unit's staff member, typed in; the same name and birth year in the same unit is the same person."""
    name = nfc(full_name)
    with record_change(workspace, "Thêm công dân của đơn vị") as change:
        session = change.session
        unit = session.get(Unit, unit_id)
        if unit is None or unit.deleted_at is not None:
            raise UserError("Đơn vị này không còn trong sổ (đã bị xóa); hãy chọn đơn vị khác.")
        record = f"Công dân «{name}» của {unit.name}" if name else f"Công dân mới của {unit.name}"
        if not name:
            raise ValidationError(record, "full_name", MEMBER_FIELD_LABELS["full_name"], "chưa nhập họ tên.")
        check_birth_year(birth_year, date.today().year, record, "birth_year", MEMBER_FIELD_LABELS["birth_year"])
        if sex not in SEX_LABELS:
            raise ValidationError(record, "sex", MEMBER_FIELD_LABELS["sex"], "chỉ nhận Nam hoặc Nữ.")
        same = session.exec(
            select(Citizen).where(
                Citizen.unit_id == unit_id,
                Citizen.name_key == fold(name),
                Citizen.birth_year == birth_year,
                col(Citizen.deleted_at).is_(None),
            )
        ).first()
        if same is not None:
            return same.id
        citizen = Citizen(full_name="", unit_id=unit_id)
        set_person(citizen, name, birth_year, sex, unit.hamlet_id)
        change.add(citizen)
        change.label = f"Thêm công dân {name} ({unit.name})"
    return citizen.id


def _live_citizen(session: Session, citizen_id: str) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None or citizen.deleted_at is not None:
        raise UserError("Công dân này không còn trong danh sách (đã bị xóa); hãy tải lại danh sách.")
    return citizen


def live_result(session: Session, citizen_id: str, year: int) -> Evaluation | None:
    return session.exec(
        select(Evaluation).where(
            Evaluation.title == TITLE,
            Evaluation.year == year,
            Evaluation.subject_id == citizen_id,
            col(Evaluation.deleted_at).is_(None),
        )
    ).first()


def recognising_decision(session: Session, evaluation: Evaluation) -> Decision | None:
    """The live decision that recognised this result, if any: such a result is no longer changed here."""
    if evaluation.decision_id is None:
        return None
    decision = session.get(Decision, evaluation.decision_id)
    return decision if decision is not None and decision.deleted_at is None else None


def recognised_message(name: str, year: int, decision: Decision) -> str:
    return (
        f"Kết quả năm {year} của {name} đã được công nhận theo quyết định số {decision.number}; "
        "không sửa hay xóa được nữa."
    )


def write_result(
    change: Recorder,
    citizen: Citizen,
    year: int,
    values: ResultValues,
    existing: Evaluation | None,
    registered_on: date | None = None,
) -> Written:
    """Create the year's result or overwrite the live one (`existing`, looked up by the caller)."""
    scores = json.dumps(dict(values.scores), ensure_ascii=False, sort_keys=True)
    if existing is None:
        change.add(
            Evaluation(
                title=TITLE,
                year=year,
                subject_id=citizen.id,
                registered_on=(registered_on or date.today()).isoformat(),
                rubric_id=values.rubric_id,
                scores=scores,
                total=values.total,
                passed=values.passed,
                reasons=values.reasons,
                source=values.source,
            )
        )
        return Written.CREATED
    decision = recognising_decision(change.session, existing)
    if decision is not None:
        raise UserError(recognised_message(citizen.full_name, year, decision))
    fields = {
        "rubric_id": values.rubric_id,
        "scores": scores,
        "total": values.total,
        "passed": values.passed,
        "reasons": values.reasons,
        "source": values.source,
    }
    if registered_on is not None:
        fields["registered_on"] = registered_on.isoformat()
    if all(getattr(existing, name) == value for name, value in fields.items()):
        return Written.UNCHANGED
    change.touch(existing)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.updated_at = utc_now()
    return Written.UPDATED


def record_result(
    workspace: Workspace,
    citizen_id: str,
    year: int,
    points: Mapping[str, int | None],
    registered_on: date | None = None,
) -> Outcome:
    """Score the points and keep them as the citizen's result for the year, in one change.

    As on the evaluations page, a result already scored is rescored by the rubric version it used; a first
    scoring uses the year's rubric.
    """
    with session_scope(workspace.engine) as session:
        existing = live_result(session, citizen_id, year)
        used = existing.rubric_id if existing is not None else None
    # Read before the change: rubric_for may install the presets in a change of its own.
    rubric = rubrics.get_rubric(workspace, used) if used else rubrics.rubric_for(workspace, TITLE, year)
    with record_change(workspace, "Chấm điểm Công dân học tập") as change:
        citizen = _live_citizen(change.session, citizen_id)
        clean = check_points(rubric, points, f"Công dân «{citizen.full_name}» năm {year}")
        outcome = score(rubric, clean)
        values = ResultValues(rubric.id, clean, outcome.total, outcome.passed, "; ".join(outcome.reasons), "")
        write_result(change, citizen, year, values, live_result(change.session, citizen_id, year), registered_on)
        change.label = f"Chấm điểm Công dân học tập năm {year}: {citizen.full_name} ({outcome.total} điểm)"
    return outcome


def record_outcome(
    workspace: Workspace, citizen_id: str, year: int, total: int | None, passed: bool, source: str = ""
) -> None:
    """A result given without points per indicator (the national system's list): kept as it came.

    No rubric of ours judged it, so none is recorded and no reason is invented for a fail.
    """
    rubric = rubrics.rubric_for(workspace, TITLE, year)
    with record_change(workspace, "Ghi kết quả Công dân học tập") as change:
        citizen = _live_citizen(change.session, citizen_id)
        if total is not None and not 0 <= total <= rubric.max_points:
            raise ValidationError(
                f"Công dân «{citizen.full_name}» năm {year}",
                "total",
                "Tổng điểm",
                f"tổng điểm {total} phải từ 0 đến {rubric.max_points}.",
            )
        values = ResultValues(None, {}, total, passed, "", nfc(source))
        write_result(change, citizen, year, values, live_result(change.session, citizen_id, year))
        change.label = f"Ghi kết quả Công dân học tập năm {year}: {citizen.full_name}"


def delete_result(workspace: Workspace, citizen_id: str, year: int) -> None:
    """Take the citizen off the year's list (the evaluation goes to the recycle bin); the person stays."""
    with session_scope(workspace.engine) as session:
        citizen = _live_citizen(session, citizen_id)
        evaluation = live_result(session, citizen_id, year)
    if evaluation is None:
        raise UserError(f"{citizen.full_name} chưa có kết quả năm {year}.")
    evaluations.unregister(workspace, evaluation.id)


def _check_no_live_results(session: Session, citizen: Citizen) -> None:
    _live_citizen(session, citizen.id)
    years = session.exec(
        select(Evaluation.year)
        .where(Evaluation.title == TITLE, Evaluation.subject_id == citizen.id, col(Evaluation.deleted_at).is_(None))
        .order_by(col(Evaluation.year))
    ).all()
    if years:
        raise UserError(
            f"{citizen.full_name} còn kết quả năm {', '.join(str(y) for y in years)}: "
            "hãy xóa các kết quả đó trước khi xóa người này khỏi danh sách."
        )


def delete_citizen(workspace: Workspace, citizen_id: str) -> None:
    """Take someone added by mistake off the list; refused while any year's result is still live."""
    move_to_bin(workspace, Citizen, citizen_id, lambda c: f"Xóa công dân {c.full_name}", _check_no_live_results)


def _check_not_added_again(session: Session, citizen: Citizen) -> None:
    if citizen.member_id is not None and citizen_of_member(session, citizen.member_id) is not None:
        raise UserError(f"{citizen.full_name} đã được thêm lại vào danh sách công dân; không cần khôi phục.")


def restore_citizen(workspace: Workspace, citizen_id: str) -> None:
    take_from_bin(workspace, Citizen, citizen_id, lambda c: f"Khôi phục công dân {c.full_name}", _check_not_added_again)


_DELETED_CITIZENS_SQL = """
SELECT c.id, c.full_name, coalesce('Sinh năm ' || c.birth_year, ''), c.deleted_at
FROM citizen c WHERE c.deleted_at IS NOT NULL
"""


def _list_deleted_citizens(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    with session_scope(workspace.engine) as session:
        rows = session.execute(text(_DELETED_CITIZENS_SQL)).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


# A deleted result is an evaluation: the evaluations' own bin source lists and restores it.
BIN_SOURCES = (BinSource("citizen", "Công dân", _list_deleted_citizens, restore_citizen),)
