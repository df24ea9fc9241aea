"""The yearly cycle of a learning title: register (đăng ký) → score (chấm điểm) → recognise by a decision
(công nhận theo quyết định) → the list of those recognised.

An evaluation keeps the rubric version it was scored by, the points, what the app suggested and why it
passed or failed, so a year's list can be explained long after the rubric has moved on. A recognised
evaluation is frozen: revoke its decision first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.rubric import Outcome, Rubric, check_points
from khuyenhoc_desktop.domain.rubric import score as score_points
from khuyenhoc_desktop.domain.text import fold, format_date, nfc
from khuyenhoc_desktop.domain.titles import TITLE_LABELS
from khuyenhoc_desktop.services import prefill, rubrics
from khuyenhoc_desktop.services.changes import record_change
from khuyenhoc_desktop.services.deleted import BinSource
from khuyenhoc_desktop.services.subjects import subject_row, subject_sql, subjects_in
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import Decision, Evaluation, utc_now

STATUS_REGISTERED = "Đã đăng ký"
STATUS_PASSED = "Đã chấm — đạt"
STATUS_FAILED = "Đã chấm — chưa đạt"
STATUS_RECOGNISED = "Đã công nhận"

DECISION_RECORD = "Quyết định công nhận"
DECISION_FIELD_LABELS: dict[str, str] = {
    "number": "Số quyết định",
    "signed_on": "Ngày ký",
    "signer_title": "Chức danh người ký",
    "signer_name": "Họ tên người ký",
    "note": "Ghi chú",
}
REGISTERED_ON_LABEL = "Ngày đăng ký"
_NAMED_AT_MOST = 10  # a refusal names this many records, then says how many more


@dataclass(frozen=True, slots=True)
class EvaluationRow:
    id: str
    title: str
    year: int
    subject_id: str
    subject_name: str
    subject_detail: str
    hamlet_id: str | None
    hamlet_name: str
    registered_on: date
    rubric_id: str | None
    rubric_label: str
    total: int | None
    passed: bool | None
    reasons: str  # "thiếu 3 điểm; chỉ tiêu 4 dưới 5 điểm", empty when passed or not scored
    decision_id: str | None
    decision_number: str
    decision_date: date | None
    status: str
    subject_label: str  # "hộ 00012 (Nguyễn Văn An)"
    subject_sort: str

    @property
    def scored(self) -> bool:
        return self.passed is not None

    @property
    def recognised(self) -> bool:
        return self.decision_id is not None

    @property
    def result_text(self) -> str:
        if self.passed is None:
            return ""
        return "Đạt" if self.passed else f"Chưa đạt: {self.reasons}"


@dataclass(frozen=True)
class ScoreForm:
    """Everything the scoring dialog shows: the rubric to score by, the points so far, the app's suggestions."""

    evaluation: EvaluationRow
    rubric: Rubric
    points: dict[str, int]  # the stored points, or the suggestions when not scored yet
    suggestions: prefill.Suggestions


@dataclass(frozen=True)
class DecisionInput:
    number: str
    signed_on: date
    signer_title: str
    signer_name: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: str
    title: str
    year: int
    number: str
    signed_on: date
    signer_title: str
    signer_name: str
    note: str
    count: int  # live evaluations it recognises


def _status(passed: bool | None, decision_id: str | None) -> str:
    if decision_id is not None:
        return STATUS_RECOGNISED
    if passed is None:
        return STATUS_REGISTERED
    return STATUS_PASSED if passed else STATUS_FAILED


def _title_label(title: str) -> str:
    if title not in TITLE_LABELS:
        raise UserError(f"Danh hiệu «{title}» không có trong danh sách {', '.join(TITLE_LABELS.values())}.")
    return TITLE_LABELS[title]


def _named(labels: Iterable[str]) -> str:
    """ "hộ 00001 (An), hộ 00002 (Bình)", cut short with "và N hồ sơ khác" when long."""
    names = list(labels)
    shown = ", ".join(names[:_NAMED_AT_MOST])
    return shown if len(names) <= _NAMED_AT_MOST else f"{shown} và {len(names) - _NAMED_AT_MOST} hồ sơ khác"


_LIST_SQL = """
WITH s AS ({subjects})
SELECT e.id, e.title, e.year, e.subject_id, s.name, s.detail, s.hamlet_id, s.hamlet_name, s.sort_key, s.label,
       s.deleted_at, e.registered_on, e.rubric_id, r.name, r.version, e.total, e.passed, e.reasons,
       d.id, d.number, d.signed_on
FROM evaluation e
LEFT JOIN s ON s.id = e.subject_id
LEFT JOIN rubric r ON r.id = e.rubric_id
LEFT JOIN decision d ON d.id = e.decision_id AND d.deleted_at IS NULL
WHERE e.deleted_at IS NULL AND e.title = :title AND e.year = :year
"""


def _evaluation_row(values: Any) -> EvaluationRow:
    (id_, title, year, subject_id, name, detail, hamlet_id, hamlet_name, key, label, subject_deleted,
     registered_on, rubric_id, rubric_name, rubric_version, total, passed, reasons,
     decision_id, decision_number, decision_date) = values  # fmt: skip
    subject = subject_row(title, (subject_id, name, detail, hamlet_id, hamlet_name, key, label))
    if name is None:  # the subject row itself is gone (never happens through the app)
        subject = replace(subject, name="(không còn trong sổ)", label="(không còn trong sổ)")
    shown_detail = " — ".join(filter(None, (subject.detail, "đã xóa khỏi sổ" if subject_deleted else "")))
    passed_value = None if passed is None else bool(passed)
    return EvaluationRow(
        id=id_,
        title=title,
        year=year,
        subject_id=subject_id,
        subject_name=subject.name,
        subject_detail=shown_detail,
        hamlet_id=subject.hamlet_id,
        hamlet_name=subject.hamlet_name,
        registered_on=date.fromisoformat(registered_on),
        rubric_id=rubric_id,
        rubric_label=f"{rubric_name} (phiên bản {rubric_version})" if rubric_name is not None else "",
        total=total,
        passed=passed_value,
        reasons=reasons,
        decision_id=decision_id,
        decision_number=decision_number or "",
        decision_date=date.fromisoformat(decision_date) if decision_date else None,
        status=_status(passed_value, decision_id),
        subject_label=subject.label,
        subject_sort=subject.sort_key,
    )


def _rows(session: Session, title: str, year: int, ids: list[str] | None = None) -> list[EvaluationRow]:
    sql = _LIST_SQL.format(subjects=subject_sql(title))
    params: dict[str, Any] = {"title": title, "year": year}
    if ids is not None:
        sql += " AND e.id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json.dumps(ids)
    return [_evaluation_row(tuple(row)) for row in session.execute(text(sql), params).all()]


def list_evaluations(workspace: Workspace, title: str, year: int, ids: list[str] | None = None) -> list[EvaluationRow]:
    """The year's live evaluations of one title (or just `ids`), in the Vietnamese order of the subjects."""
    _title_label(title)
    with session_scope(workspace.engine) as session:
        rows = _rows(session, title, year, ids)
    return sorted(rows, key=lambda r: (r.subject_sort, r.subject_detail))


def _live(session: Session, evaluation_id: str) -> Evaluation:
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None or evaluation.deleted_at is not None:
        raise UserError("Hồ sơ này đã bị hủy đăng ký; hãy tải lại danh sách.")
    return evaluation


def _row(session: Session, evaluation: Evaluation) -> EvaluationRow:
    return _rows(session, evaluation.title, evaluation.year, [evaluation.id])[0]


def _refuse_if_recognised(row: EvaluationRow, action: str) -> None:
    if row.recognised:
        raise UserError(
            f"Không thể {action} {row.subject_label}: hồ sơ đã được công nhận theo quyết định số "
            f"{row.decision_number} ngày {format_date(row.decision_date)}. Muốn sửa, hãy hủy quyết định trước."
        )


# -- register ---------------------------------------------------------------------------------------
def default_registration_date(year: int, today: date | None = None) -> date:
    """Today, unless the officer is entering another year's registrations: then 1 January of that year."""
    today = today or date.today()
    return today if year - 1 <= today.year <= year else date(year, 1, 1)


def _check_registration_date(registered_on: date, year: int, title: str) -> None:
    """Registrations open late in the previous year at the earliest and close with the year itself."""
    if not year - 1 <= registered_on.year <= year:
        raise ValidationError(
            f"Đăng ký {TITLE_LABELS[title]} năm {year}",
            "registered_on",
            REGISTERED_ON_LABEL,
            f"ngày {format_date(registered_on)} không thuộc năm {year} (hoặc cuối năm {year - 1}).",
        )


def register(workspace: Workspace, title: str, year: int, subject_ids: list[str], registered_on: date) -> list[str]:
    """Register each subject for the title and year, or none: one already registered refuses them all."""
    title_label = _title_label(title)
    wanted = list(dict.fromkeys(subject_ids))
    if not wanted:
        raise UserError("Chưa chọn hồ sơ nào để đăng ký.")
    _check_registration_date(registered_on, year, title)
    with record_change(workspace, f"Đăng ký {title_label} năm {year}") as change:
        session = change.session
        subjects = subjects_in(session, title, wanted)
        missing = [subject_id for subject_id in wanted if subject_id not in subjects]
        if missing:
            gone = subjects_in(session, title, missing, live_only=False)
            raise UserError(
                f"Không đăng ký được: {_named(gone[i].label if i in gone else i for i in missing)} "
                "không còn trong sổ. Chưa đăng ký hồ sơ nào."
            )
        taken = session.exec(
            select(Evaluation.subject_id).where(
                Evaluation.title == title,
                Evaluation.year == year,
                col(Evaluation.subject_id).in_(wanted),
                col(Evaluation.deleted_at).is_(None),
            )
        ).all()
        if taken:
            already = sorted((subjects[i] for i in taken), key=lambda s: (s.sort_key, s.detail))
            raise UserError(
                f"{_named(s.label for s in already)} đã đăng ký {title_label} năm {year}. Chưa đăng ký hồ sơ nào."
            )
        evaluations = [
            Evaluation(title=title, year=year, subject_id=subject_id, registered_on=registered_on.isoformat())
            for subject_id in wanted
        ]
        for evaluation in evaluations:
            change.add(evaluation)
        what = subjects[wanted[0]].label if len(wanted) == 1 else f"{len(wanted)} hồ sơ"
        change.label = f"Đăng ký {title_label} năm {year}: {what}"
    return [e.id for e in evaluations]


def unregister(workspace: Workspace, evaluation_id: str) -> None:
    """To the recycle bin; refused once recognised."""
    with record_change(workspace, "Hủy đăng ký") as change:
        evaluation = _live(change.session, evaluation_id)
        row = _row(change.session, evaluation)
        _refuse_if_recognised(row, "hủy đăng ký")
        change.touch(evaluation)
        evaluation.deleted_at = utc_now()
        change.label = f"Hủy đăng ký {TITLE_LABELS[row.title]} năm {row.year}: {row.subject_label}"


def restore_evaluation(workspace: Workspace, evaluation_id: str) -> None:
    with record_change(workspace, "Khôi phục hồ sơ đăng ký") as change:
        session = change.session
        evaluation = session.get_one(Evaluation, evaluation_id)
        names = subjects_in(session, evaluation.title, [evaluation.subject_id], live_only=False)
        name = names[evaluation.subject_id].label if evaluation.subject_id in names else evaluation.subject_id
        again = session.exec(
            select(Evaluation.id).where(
                Evaluation.title == evaluation.title,
                Evaluation.year == evaluation.year,
                Evaluation.subject_id == evaluation.subject_id,
                col(Evaluation.deleted_at).is_(None),
            )
        ).first()
        if again is not None:
            raise UserError(
                f"{name} đã đăng ký lại {TITLE_LABELS[evaluation.title]} năm {evaluation.year}: "
                "không khôi phục hồ sơ cũ."
            )
        change.touch(evaluation)
        evaluation.deleted_at = None
        change.label = f"Khôi phục đăng ký {TITLE_LABELS[evaluation.title]} năm {evaluation.year}: {name}"


# -- score ------------------------------------------------------------------------------------------
def _rubric_of(workspace: Workspace, evaluation: Evaluation) -> Rubric:
    """The rubric an evaluation was scored by, or for a first scoring the one that applies to its year."""
    if evaluation.rubric_id:
        return rubrics.get_rubric(workspace, evaluation.rubric_id)
    return rubrics.rubric_for(workspace, evaluation.title, evaluation.year)


def _read(workspace: Workspace, evaluation_id: str) -> tuple[Evaluation, EvaluationRow]:
    with session_scope(workspace.engine) as session:
        evaluation = _live(session, evaluation_id)
        return evaluation, _row(session, evaluation)


def score_form(workspace: Workspace, evaluation_id: str) -> ScoreForm:
    evaluation, row = _read(workspace, evaluation_id)
    rubric = _rubric_of(workspace, evaluation)
    suggestions = prefill.suggest(workspace, rubric, row.title, row.subject_id, row.year)
    points = json.loads(evaluation.scores) if row.scored else dict(suggestions.points)
    return ScoreForm(row, rubric, points, suggestions)


def score(workspace: Workspace, evaluation_id: str, points: Mapping[str, int | None]) -> Outcome:
    """Check the points against the evaluation's rubric, store them with the verdict and the rubric used.

    A point that differs from what the app filled in is named in the audit entry's label.
    """
    evaluation, row = _read(workspace, evaluation_id)
    _refuse_if_recognised(row, "chấm lại")
    title_label = TITLE_LABELS[row.title]
    rubric = _rubric_of(workspace, evaluation)
    clean = check_points(rubric, points, f"Phiếu chấm {title_label} — {row.subject_label}")
    outcome = score_points(rubric, clean)
    suggested = prefill.suggest(workspace, rubric, row.title, row.subject_id, row.year).points
    overrides = [
        f"chỉ tiêu {code}: {value} → {clean.get(code, 0)}"
        for code, value in suggested.items()
        if clean.get(code, 0) != value
    ]
    label = f"Chấm điểm {title_label} {row.subject_label}"
    if overrides:
        label += f" (sửa điểm tự điền {', '.join(overrides)})"
    with record_change(workspace, label) as change:
        evaluation = _live(change.session, evaluation_id)
        _refuse_if_recognised(_row(change.session, evaluation), "chấm lại")
        change.touch(evaluation)
        evaluation.rubric_id = rubric.id
        evaluation.scores = json.dumps({i.code: clean[i.code] for i in rubric.indicators if i.code in clean})
        evaluation.prefilled = json.dumps(suggested)
        evaluation.total, evaluation.passed = outcome.total, outcome.passed
        evaluation.reasons = "; ".join(outcome.reasons)
        evaluation.updated_at = utc_now()
    return outcome


# -- recognise --------------------------------------------------------------------------------------
def decision_defaults(workspace: Workspace) -> DecisionInput:
    """A new decision: signed today by whoever the profile names as signer."""
    profile = workspace.profile
    return DecisionInput(
        "", date.today(), profile.signer_title if profile else "", profile.signer_name if profile else ""
    )


def clean_decision(data: DecisionInput, year: int) -> DecisionInput:
    number = nfc(data.number)
    record = f"{DECISION_RECORD} số «{number}»" if number else DECISION_RECORD
    for field, value, what in (
        ("number", number, "số quyết định"),
        ("signer_title", nfc(data.signer_title), "chức danh người ký"),
        ("signer_name", nfc(data.signer_name), "họ tên người ký"),
    ):
        if not value:
            raise ValidationError(record, field, DECISION_FIELD_LABELS[field], f"chưa nhập {what}.")
    if data.signed_on.year < year:
        raise ValidationError(
            record,
            "signed_on",
            DECISION_FIELD_LABELS["signed_on"],
            f"ngày ký {format_date(data.signed_on)} trước năm được công nhận {year}.",
        )
    return DecisionInput(number, data.signed_on, nfc(data.signer_title), nfc(data.signer_name), nfc(data.note))


def _check_number_free(session: Session, number: str, year: int) -> None:
    """A decision number identifies one document of the year, whatever title it recognises."""
    for other in session.exec(select(Decision).where(Decision.year == year, col(Decision.deleted_at).is_(None))):
        if fold(other.number) == fold(number):
            raise ValidationError(
                f"{DECISION_RECORD} số «{number}»",
                "number",
                DECISION_FIELD_LABELS["number"],
                f"số «{other.number}» đã dùng cho quyết định công nhận {TITLE_LABELS.get(other.title, other.title)} "
                f"ngày {format_date(date.fromisoformat(other.signed_on))}.",
            )


def recognise(workspace: Workspace, title: str, year: int, evaluation_ids: list[str], decision: DecisionInput) -> str:
    """Recognise passed evaluations by one decision, or none of them; returns the decision's id."""
    title_label = _title_label(title)
    clean = clean_decision(decision, year)
    wanted = list(dict.fromkeys(evaluation_ids))
    if not wanted:
        raise UserError("Chưa chọn hồ sơ nào để công nhận.")
    with record_change(workspace, f"Công nhận {title_label} năm {year}") as change:
        session = change.session
        _check_number_free(session, clean.number, year)
        rows = sorted(_rows(session, title, year, wanted), key=lambda r: (r.subject_sort, r.subject_detail))
        problems = [f"{len(wanted) - len(rows)} hồ sơ không còn trong danh sách đăng ký năm {year}"] * (
            len(rows) < len(wanted)
        )
        for what, refused in (
            ("chưa chấm điểm", lambda r: not r.scored),
            ("chưa đạt", lambda r: r.passed is False),
            ("đã được công nhận trước đó", lambda r: r.recognised),
        ):
            names = [r.subject_label for r in rows if refused(r)]
            if names:
                problems.append(f"{what}: {_named(names)}")
        if problems:
            raise UserError(f"Không công nhận được — {'; '.join(problems)}. Chưa công nhận hồ sơ nào.")
        record = Decision(
            title=title,
            year=year,
            number=clean.number,
            signed_on=clean.signed_on.isoformat(),
            signer_title=clean.signer_title,
            signer_name=clean.signer_name,
            note=clean.note,
        )
        change.add(record)
        session.flush()
        for evaluation in session.exec(select(Evaluation).where(col(Evaluation.id).in_(wanted))):
            change.touch(evaluation)
            evaluation.decision_id = record.id
            evaluation.updated_at = utc_now()
        change.label = f"Công nhận {title_label} năm {year} theo quyết định số {clean.number}: " + (
            rows[0].subject_label if len(rows) == 1 else f"{len(rows)} hồ sơ"
        )
    return record.id


def list_decisions(workspace: Workspace, year: int, title: str | None = None) -> list[DecisionRow]:
    """The year's live decisions (of one title, or all), in the order they were signed."""
    with session_scope(workspace.engine) as session:
        rows = session.execute(
            text(
                """SELECT d.id, d.title, d.year, d.number, d.signed_on, d.signer_title, d.signer_name, d.note,
                          (SELECT count(*) FROM evaluation e WHERE e.decision_id = d.id AND e.deleted_at IS NULL)
                   FROM decision d
                   WHERE d.deleted_at IS NULL AND d.year = :year AND (:title IS NULL OR d.title = :title)
                   ORDER BY d.signed_on, d.created_at"""
            ),
            {"year": year, "title": title},
        ).all()
    return [DecisionRow(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]), r[5], r[6], r[7], r[8]) for r in rows]


def revoke_decision(workspace: Workspace, decision_id: str) -> None:
    """Withdraw a decision: its evaluations go back to "scored, passed" (undoable like any change)."""
    with record_change(workspace, "Hủy quyết định công nhận") as change:
        session = change.session
        record = session.get(Decision, decision_id)
        if record is None or record.deleted_at is not None:
            raise UserError("Quyết định này đã được hủy; hãy tải lại danh sách.")
        change.touch(record)
        record.deleted_at = utc_now()
        linked = session.exec(select(Evaluation).where(Evaluation.decision_id == decision_id)).all()
        for evaluation in linked:
            change.touch(evaluation)
            evaluation.decision_id = None
            evaluation.updated_at = utc_now()
        change.label = (
            f"Hủy quyết định công nhận {TITLE_LABELS.get(record.title, record.title)} số {record.number} "
            f"({len(linked)} hồ sơ)"
        )


# -- the recycle bin --------------------------------------------------------------------------------
def _list_deleted(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    """Evaluations taken off a year's list (hủy đăng ký), named by their subject."""
    with session_scope(workspace.engine) as session:
        deleted = session.exec(select(Evaluation).where(col(Evaluation.deleted_at).is_not(None))).all()
        by_title: dict[str, list[Evaluation]] = {}
        for evaluation in deleted:
            by_title.setdefault(evaluation.title, []).append(evaluation)
        result = []
        for title, evaluations in by_title.items():
            names = subjects_in(session, title, [e.subject_id for e in evaluations], live_only=False)
            for e in evaluations:
                name = names[e.subject_id].label if e.subject_id in names else e.subject_id
                result.append((e.id, f"{name} — đăng ký {TITLE_LABELS[title]}", f"Năm {e.year}", e.deleted_at or ""))
    return result


BIN_SOURCES = (BinSource("evaluation", "Hồ sơ đăng ký", _list_deleted, restore_evaluation),)
