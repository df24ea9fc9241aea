"""Rubrics as data, and scoring against them.

A rubric is criteria → indicators → maximum points, a pass mark, and optionally a minimum per indicator.
Provinces adapt them, so nothing here is hard-coded to one decision; presets live in `rubric_presets`.
Scores are whole points. An evaluation keeps the rubric version it used, so it can always say why a
record passed or failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.text import nfc
from khuyenhoc_desktop.domain.titles import TITLE_LABELS


@dataclass(frozen=True)
class Indicator:
    code: str  # "1", "2.1", …: stable within a rubric, printed on forms
    text: str
    max_points: int
    min_points: int | None = None  # below this the record fails whatever its total
    prefill: str = ""  # key of a fact the app can compute (see services.prefill), or ""


@dataclass(frozen=True)
class Criterion:
    name: str
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.indicators)


@dataclass(frozen=True)
class Rubric:
    title: str
    name: str
    version: int
    pass_mark: int
    criteria: tuple[Criterion, ...]
    valid_from: int  # first year it applies to
    valid_to: int | None = None  # last year, or open-ended
    basis: str = ""  # the decision it follows, e.g. "QĐ 448/QĐ-KHVN"
    id: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def applies_to(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class Outcome:
    total: int
    passed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)  # why it failed, in the officer's words

    @property
    def reason_text(self) -> str:
        return "Đạt" if self.passed else "Chưa đạt: " + "; ".join(self.reasons)


def score(rubric: Rubric, points: Mapping[str, int | None]) -> Outcome:
    """Total and verdict. An indicator not scored counts 0 and, when it has a minimum, fails it."""
    total = sum(points.get(i.code) or 0 for i in rubric.indicators)
    reasons: list[str] = []
    if total < rubric.pass_mark:
        reasons.append(f"thiếu {rubric.pass_mark - total} điểm")
    for indicator in rubric.indicators:
        if indicator.min_points is not None and (points.get(indicator.code) or 0) < indicator.min_points:
            reasons.append(f"chỉ tiêu {indicator.code} dưới {indicator.min_points} điểm")
    return Outcome(total, not reasons, tuple(reasons))


def check_points(rubric: Rubric, points: Mapping[str, int | None], record: str) -> dict[str, int]:
    """Every scored indicator within 0..max; unknown indicators refused. Returns the clean mapping."""
    known = {i.code: i for i in rubric.indicators}
    clean: dict[str, int] = {}
    for code, value in points.items():
        if code not in known:
            raise ValidationError(record, code, f"Chỉ tiêu {code}", "không có trong bộ tiêu chí đang dùng.")
        if value is None:
            continue
        indicator = known[code]
        if not 0 <= value <= indicator.max_points:
            raise ValidationError(
                record, code, f"Chỉ tiêu {code}", f"điểm {value} phải từ 0 đến {indicator.max_points}."
            )
        clean[code] = value
    return clean


def _normalised(rubric: Rubric) -> Rubric:
    return replace(
        rubric,
        name=nfc(rubric.name),
        basis=nfc(rubric.basis),
        criteria=tuple(
            Criterion(
                nfc(c.name),
                tuple(replace(i, code=nfc(i.code), text=nfc(i.text)) for i in c.indicators),
            )
            for c in rubric.criteria
        ),
    )


def check_rubric(rubric: Rubric) -> Rubric:
    """Refuse a rubric an officer could not score against; returns it NFC-normalised (checked after
    normalising, so "1.1 " and "1.1" are the same code)."""
    rubric = _normalised(rubric)
    record = f"Bộ tiêu chí «{rubric.name or TITLE_LABELS.get(rubric.title, rubric.title)}»"
    if rubric.title not in TITLE_LABELS:
        raise ValidationError(record, "title", "Danh hiệu", "không phải danh hiệu đã biết.")
    if not rubric.name:
        raise ValidationError(record, "name", "Tên bộ tiêu chí", "chưa nhập tên.")
    if not rubric.criteria:
        raise ValidationError(record, "criteria", "Tiêu chí", "cần ít nhất một tiêu chí có chỉ tiêu.")
    for number, criterion in enumerate(rubric.criteria, start=1):
        if not criterion.name:
            raise ValidationError(record, "criteria", f"Tiêu chí {number}", "chưa nhập tên tiêu chí.")
        if not criterion.indicators:
            raise ValidationError(record, "criteria", f"Tiêu chí {number}", "cần ít nhất một chỉ tiêu.")
    codes = [i.code for i in rubric.indicators]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValidationError(record, "criteria", "Mã chỉ tiêu", f"trùng mã {', '.join(duplicates)}.")
    for indicator in rubric.indicators:
        if not indicator.code or not indicator.text:
            raise ValidationError(record, "criteria", "Chỉ tiêu", "mỗi chỉ tiêu cần có mã và nội dung.")
        if indicator.max_points <= 0:
            raise ValidationError(record, "criteria", f"Chỉ tiêu {indicator.code}", "điểm tối đa phải lớn hơn 0.")
        if indicator.min_points is not None and not 0 <= indicator.min_points <= indicator.max_points:
            raise ValidationError(
                record,
                "criteria",
                f"Chỉ tiêu {indicator.code}",
                f"điểm tối thiểu phải từ 0 đến {indicator.max_points}.",
            )
    if not 0 < rubric.pass_mark <= rubric.max_points:
        raise ValidationError(
            record, "pass_mark", "Điểm đạt", f"phải lớn hơn 0 và không quá tổng {rubric.max_points} điểm."
        )
    if rubric.valid_to is not None and rubric.valid_to < rubric.valid_from:
        raise ValidationError(record, "valid_to", "Áp dụng đến năm", "không được trước năm bắt đầu áp dụng.")
    return rubric


def criteria_to_json(criteria: tuple[Criterion, ...]) -> list[dict[str, Any]]:
    """The stored (and exported) form of a rubric's body."""
    return [
        {
            "name": c.name,
            "indicators": [
                {"code": i.code, "text": i.text, "max": i.max_points, "min": i.min_points, "prefill": i.prefill}
                for i in c.indicators
            ],
        }
        for c in criteria
    ]


def criteria_from_json(data: list[dict[str, Any]]) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            c["name"],
            tuple(
                Indicator(i["code"], i["text"], int(i["max"]), i.get("min"), i.get("prefill", ""))
                for i in c["indicators"]
            ),
        )
        for c in data
    )
