"""Learning activities: sessions at the community learning centre (trung tâm học tập cộng đồng) and training
or vocational classes, each kind measured against a yearly target ("493 lớp, đạt 164% chỉ tiêu")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from khuyenhoc_desktop.domain.dates import a_year_after, check_day
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import fold, format_count, format_date, nfc

MAX_NAME_LENGTH = 200
MAX_PARTICIPANTS = 100_000
MAX_TARGET = 100_000


class ActivityKind(StrEnum):
    SESSION = "sinh_hoat"
    TRAINING = "tap_huan"
    VOCATIONAL = "day_nghe"


ACTIVITY_KIND_LABELS: dict[str, str] = {
    ActivityKind.SESSION: "Buổi sinh hoạt tại trung tâm học tập cộng đồng",
    ActivityKind.TRAINING: "Lớp tập huấn",
    ActivityKind.VOCATIONAL: "Lớp dạy nghề",
}

# The register's "Loại" column and the totals line are narrow.
ACTIVITY_KIND_SHORT_LABELS: dict[str, str] = {
    ActivityKind.SESSION: "Sinh hoạt",
    ActivityKind.TRAINING: "Tập huấn",
    ActivityKind.VOCATIONAL: "Dạy nghề",
}

# How one activity of the kind is named in messages and on the progress strip ("Buổi sinh hoạt: 48 / 40 buổi").
ACTIVITY_KIND_NOUNS: dict[str, str] = {
    ActivityKind.SESSION: "Buổi sinh hoạt",
    ActivityKind.TRAINING: "Lớp tập huấn",
    ActivityKind.VOCATIONAL: "Lớp dạy nghề",
}

ACTIVITY_FIELD_LABELS: dict[str, str] = {
    "kind": "Loại hoạt động",
    "name": "Tên lớp / chủ đề",
    "field": "Lĩnh vực",
    "starts_on": "Từ ngày",
    "ends_on": "Đến ngày",
    "place": "Địa điểm",
    "participants": "Số người",
    "note": "Ghi chú",
}

SESSION_DATE_LABEL = "Ngày sinh hoạt"  # a session has one day, not "from"


def is_class(kind: str) -> bool:
    """Training and vocational classes run over days and have participants; a session is one day's attendance."""
    return kind in (ActivityKind.TRAINING, ActivityKind.VOCATIONAL)


def count_unit(kind: str) -> str:
    """What the target counts: "buổi" for sessions, "lớp" for classes."""
    return "lớp" if is_class(kind) else "buổi"


def starts_label(kind: str) -> str:
    return ACTIVITY_FIELD_LABELS["starts_on"] if is_class(kind) else SESSION_DATE_LABEL


@dataclass(frozen=True, kw_only=True)
class ActivityInput:
    kind: str
    name: str  # the topic of a session, the name of a class
    field: str = ""  # trồng trọt, chăn nuôi, tin học, pháp luật…
    starts_on: date
    ends_on: date | None = None  # classes only; None while unknown
    place: str = ""
    participants: int = 0  # attendance of a session, participants of a class
    note: str = ""


def activity_record(kind: str, name: str) -> str:
    """How messages name an activity: Lớp tập huấn «Kỹ thuật trồng lúa», or "Buổi sinh hoạt mới"."""
    noun = ACTIVITY_KIND_NOUNS.get(kind, "Hoạt động")
    return f"{noun} «{name}»" if name else f"{noun} mới"


def clean_activity(data: ActivityInput, today: date) -> ActivityInput:
    """Normalise and check an activity; raises ValidationError naming the activity and the field."""
    name = nfc(data.name)
    record = activity_record(data.kind, name)
    labels = ACTIVITY_FIELD_LABELS
    if data.kind not in ACTIVITY_KIND_LABELS:
        raise ValidationError(record, "kind", labels["kind"], f"giá trị «{data.kind}» không hợp lệ.")
    if not name:
        what = "tên lớp" if is_class(data.kind) else "chủ đề buổi sinh hoạt"
        raise ValidationError(record, "name", labels["name"], f"chưa nhập {what}.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(record, "name", labels["name"], f"dài quá {MAX_NAME_LENGTH} ký tự.")
    latest = a_year_after(today)  # classes are planned ahead
    check_day(data.starts_on, latest, record, "starts_on", starts_label(data.kind))
    if data.ends_on is not None:
        if not is_class(data.kind):
            raise ValidationError(
                record, "ends_on", labels["ends_on"], "buổi sinh hoạt diễn ra trong một ngày, không có ngày kết thúc."
            )
        check_day(data.ends_on, latest, record, "ends_on", labels["ends_on"])
        if data.ends_on < data.starts_on:
            raise ValidationError(
                record,
                "ends_on",
                labels["ends_on"],
                f"ngày kết thúc {format_date(data.ends_on)} trước ngày bắt đầu {format_date(data.starts_on)}.",
            )
    if data.participants < 0:
        raise ValidationError(record, "participants", labels["participants"], "số người không được âm.")
    if data.participants > MAX_PARTICIPANTS:
        raise ValidationError(
            record,
            "participants",
            labels["participants"],
            f"quá {format_count(MAX_PARTICIPANTS)} người; hãy kiểm tra lại.",
        )
    return replace(data, name=name, field=nfc(data.field), place=nfc(data.place), note=nfc(data.note))


def activity_search_text(kind: str, name: str, field: str, place: str, note: str) -> str:
    """The stored folded text the register searches in ("tap huan tin hoc" finds the computer class)."""
    return fold(" ".join((ACTIVITY_KIND_SHORT_LABELS.get(kind, ""), name, field, place, note)))


def target_record(year: int) -> str:
    return f"Chỉ tiêu năm {year}"


def clean_target(kind: str, year: int, target: int) -> None:
    """A target is a number of sessions or classes; the field named is the kind, whose box holds it."""
    if kind not in ACTIVITY_KIND_LABELS:
        raise ValidationError(target_record(year), kind, "Loại hoạt động", f"giá trị «{kind}» không hợp lệ.")
    if not 0 <= target <= MAX_TARGET:
        raise ValidationError(
            target_record(year),
            kind,
            ACTIVITY_KIND_NOUNS[kind],
            f"chỉ tiêu phải từ 0 đến {format_count(MAX_TARGET)} {count_unit(kind)}.",
        )


@dataclass(frozen=True, slots=True)
class TargetProgress:
    kind: str
    year: int
    target: int | None  # None: no target set for the year
    actual: int  # sessions or classes that started in the year
    participants: int  # attendances of the sessions, participants of the classes
    rate: float | None  # actual over the target (1.64 is 164%); None without a target above 0


def progress(kind: str, year: int, target: int | None, actual: int, participants: int) -> TargetProgress:
    """The year's achievement of one kind. Over 100% is kept as it is: reports say "đạt 164% chỉ tiêu"."""
    return TargetProgress(kind, year, target, actual, participants, actual / target if target else None)
