"""Rubric rules and scoring (domain/rubric.py) and the shipped presets, with property tests of the totals and
the pass rule."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.rubric import (
    Criterion,
    Indicator,
    Rubric,
    check_points,
    check_rubric,
    criteria_from_json,
    criteria_to_json,
    score,
)
from khuyenhoc_desktop.domain.rubric_presets import (
    CITIZEN,
    FAMILY,
    PRESETS,
    SCHOOL_AGE_CHILDREN_IN_SCHOOL,
)
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title

RECORD = "Hộ 00012 — Nguyễn Văn Đức"


def small_rubric(pass_mark: int = 15, minimum: int | None = 5) -> Rubric:
    return Rubric(
        title=Title.FAMILY,
        name="Gia đình học tập xã Phước Vĩnh Tây",
        version=1,
        pass_mark=pass_mark,
        criteria=(
            Criterion("Học tập của trẻ em", (Indicator("1.1", "Trẻ em đến trường", 10, minimum),)),
            Criterion("Học tập của người lớn", (Indicator("2.1", "Người lớn tự học", 10),)),
        ),
        valid_from=2016,
    )


# -- presets ---------------------------------------------------------------------------------------


def test_there_is_one_preset_per_title_with_distinct_keys() -> None:
    assert sorted(r.title for _, r in PRESETS) == sorted(TITLE_LABELS)
    assert len({key for key, _ in PRESETS}) == len(PRESETS)


@pytest.mark.parametrize(("key", "rubric"), PRESETS, ids=[key for key, _ in PRESETS])
def test_every_preset_is_a_valid_rubric_of_100_points(key: str, rubric: Rubric) -> None:
    assert check_rubric(rubric) == rubric  # already clean: nothing to normalise
    assert rubric.max_points == 100
    assert 0 < rubric.pass_mark <= 100
    assert rubric.version == 1 and rubric.valid_to is None
    assert rubric.name == TITLE_LABELS[rubric.title]
    assert "có thể sửa" in rubric.basis


@pytest.mark.parametrize("title", [Title.FAMILY, Title.CLAN, Title.COMMUNITY, Title.UNIT])
def test_the_qd_448_presets_apply_from_2016(title: str) -> None:
    rubric = next(r for _, r in PRESETS if r.title == title)
    assert "QĐ 448/QĐ-KHVN" in rubric.basis
    assert rubric.valid_from == 2016 and rubric.applies_to(2016) and rubric.applies_to(2030)
    assert not rubric.applies_to(2015)


def test_family_preset_follows_qd_448() -> None:
    names = [c.name for c in FAMILY.criteria]
    assert names == [
        "Học tập của trẻ em",
        "Học tập của người lớn",
        "Điều kiện học tập",
        "Tác động của học tập đối với gia đình",
    ]
    children = FAMILY.criteria[0]
    assert children.max_points == 30
    school = [i for i in children.indicators if i.prefill == SCHOOL_AGE_CHILDREN_IN_SCHOOL]
    assert len(school) == 1
    assert school[0].text == "Tất cả trẻ em trong độ tuổi đi học đều được đến trường"
    assert school[0].max_points == 10
    assert SCHOOL_AGE_CHILDREN_IN_SCHOOL == "school_age_children_in_school"
    assert [i.prefill for i in FAMILY.indicators].count("") == len(FAMILY.indicators) - 1


def test_citizen_preset_is_ten_indicators_of_ten_points_pass_80_min_5() -> None:
    assert CITIZEN.title == Title.CITIZEN
    assert [i.code for i in CITIZEN.indicators] == [str(n) for n in range(1, 11)]
    assert all(i.max_points == 10 and i.min_points == 5 for i in CITIZEN.indicators)
    assert CITIZEN.pass_mark == 80 and CITIZEN.valid_from == 2022
    assert "QĐ 244/QĐ-KHVN" in CITIZEN.basis and "QĐ 324/QĐ-KHVN" in CITIZEN.basis


def test_citizen_scoring_the_way_the_issue_describes_it() -> None:
    points = {str(n): 9 for n in range(1, 11)}
    assert score(CITIZEN, points).passed
    points["4"] = 4
    outcome = score(CITIZEN, points)
    assert outcome.total == 85 and not outcome.passed
    assert outcome.reasons == ("chỉ tiêu 4 dưới 5 điểm",)
    assert outcome.reason_text == "Chưa đạt: chỉ tiêu 4 dưới 5 điểm"
    outcome = score(CITIZEN, {**{str(n): 8 for n in range(1, 11)}, "1": 9, "2": 4})  # 77 points
    assert outcome.reasons == ("thiếu 3 điểm", "chỉ tiêu 2 dưới 5 điểm")
    assert score(CITIZEN, {str(n): 8 for n in range(1, 11)}).reason_text == "Đạt"


# -- check_rubric ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": "tre_em"}, "title", "không phải danh hiệu"),
        ({"name": "  "}, "name", "chưa nhập tên"),
        ({"criteria": ()}, "criteria", "ít nhất một tiêu chí"),
        ({"pass_mark": 21}, "pass_mark", "không quá tổng 20 điểm"),
        ({"pass_mark": 0}, "pass_mark", "phải lớn hơn 0"),
        ({"valid_from": 2025, "valid_to": 2024}, "valid_to", "không được trước năm bắt đầu"),
    ],
)
def test_check_rubric_refuses_in_vietnamese(change: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_rubric(replace(small_rubric(), **change))  # type: ignore[arg-type]
    assert raised.value.field == field
    assert words in raised.value.message


@pytest.mark.parametrize(
    ("indicator", "words"),
    [
        (Indicator("2.1", "Người lớn tự học", 10), "trùng mã 2.1"),
        (Indicator("2.2", "", 10), "cần có mã và nội dung"),
        (Indicator("2.2", "Người lớn học nghề", 0), "điểm tối đa phải lớn hơn 0"),
        (Indicator("2.2", "Người lớn học nghề", 5, 6), "điểm tối thiểu phải từ 0 đến 5"),
    ],
)
def test_check_rubric_refuses_bad_indicators(indicator: Indicator, words: str) -> None:
    rubric = small_rubric()
    adults = rubric.criteria[1]
    bad = replace(rubric, criteria=(rubric.criteria[0], replace(adults, indicators=(*adults.indicators, indicator))))
    with pytest.raises(ValidationError, match=words):
        check_rubric(bad)


def test_check_rubric_stores_nfc_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Học tập của trẻ em")
    rubric = replace(
        small_rubric(),
        name=unicodedata.normalize("NFD", " Gia  đình học tập "),
        criteria=(Criterion(decomposed, (Indicator("1.1", decomposed, 20),)),),
    )
    clean = check_rubric(rubric)
    assert clean.name == "Gia đình học tập"
    assert clean.criteria[0].name == "Học tập của trẻ em"
    assert clean.indicators[0].text == "Học tập của trẻ em"


def test_validity_period() -> None:
    rubric = replace(small_rubric(), valid_from=2016, valid_to=2020)
    assert [year for year in range(2014, 2023) if rubric.applies_to(year)] == [2016, 2017, 2018, 2019, 2020]


# -- property tests --------------------------------------------------------------------------------


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    criteria = []
    for i in range(1, draw(st.integers(1, 4)) + 1):
        indicators = []
        for j in range(1, draw(st.integers(1, 4)) + 1):
            maximum = draw(st.integers(1, 20))
            minimum = draw(st.none() | st.integers(0, maximum))
            indicators.append(Indicator(f"{i}.{j}", f"Chỉ tiêu {i}.{j}", maximum, minimum))
        criteria.append(Criterion(f"Tiêu chí {i}", tuple(indicators)))
    total = sum(c.max_points for c in criteria)
    return Rubric(Title.FAMILY, "Bộ tiêu chí thử", 1, draw(st.integers(1, total)), tuple(criteria), 2016)


@st.composite
def scored(draw: st.DrawFn) -> tuple[Rubric, dict[str, int | None]]:
    rubric = draw(rubrics())
    points: dict[str, int | None] = {}
    for indicator in rubric.indicators:
        if draw(st.booleans()):  # some indicators not scored at all
            points[indicator.code] = draw(st.none() | st.integers(0, indicator.max_points))
    return rubric, points


@given(scored())
def test_total_is_the_sum_of_the_points(case: tuple[Rubric, dict[str, int | None]]) -> None:
    rubric, points = case
    assert score(rubric, points).total == sum(value or 0 for value in points.values())


@given(scored())
def test_pass_rule_and_reasons(case: tuple[Rubric, dict[str, int | None]]) -> None:
    rubric, points = case
    outcome = score(rubric, points)
    total = sum(value or 0 for value in points.values())
    short = [i for i in rubric.indicators if i.min_points is not None and (points.get(i.code) or 0) < i.min_points]
    assert outcome.passed == (total >= rubric.pass_mark and not short)
    expected = [f"thiếu {rubric.pass_mark - total} điểm"] if total < rubric.pass_mark else []
    expected += [f"chỉ tiêu {i.code} dưới {i.min_points} điểm" for i in short]
    assert list(outcome.reasons) == expected
    assert outcome.reason_text == ("Đạt" if outcome.passed else "Chưa đạt: " + "; ".join(expected))


@given(scored())
def test_check_points_keeps_every_valid_score(case: tuple[Rubric, dict[str, int | None]]) -> None:
    rubric, points = case
    assert check_points(rubric, points, RECORD) == {code: v for code, v in points.items() if v is not None}


@given(rubrics(), st.data())
def test_check_points_refuses_out_of_range(rubric: Rubric, data: st.DataObject) -> None:
    indicator = data.draw(st.sampled_from(rubric.indicators))
    value = data.draw(st.integers(max_value=-1) | st.integers(min_value=indicator.max_points + 1))
    with pytest.raises(ValidationError) as raised:
        check_points(rubric, {indicator.code: value}, RECORD)
    assert raised.value.field == indicator.code
    assert raised.value.field_label == f"Chỉ tiêu {indicator.code}"
    assert raised.value.message == f"điểm {value} phải từ 0 đến {indicator.max_points}."
    assert str(raised.value).startswith(RECORD)


@given(rubrics(), st.text(min_size=1, max_size=5))
def test_check_points_refuses_unknown_indicators(rubric: Rubric, code: str) -> None:
    if code in {i.code for i in rubric.indicators}:
        code += ".9"
    with pytest.raises(ValidationError) as raised:
        check_points(rubric, {code: 0}, RECORD)
    assert raised.value.message == "không có trong bộ tiêu chí đang dùng."
    assert raised.value.field_label == f"Chỉ tiêu {code}"


@given(rubrics())
def test_criteria_json_round_trips(rubric: Rubric) -> None:
    stored = json.dumps(criteria_to_json(rubric.criteria), ensure_ascii=False)
    assert criteria_from_json(json.loads(stored)) == rubric.criteria


@pytest.mark.parametrize(("key", "rubric"), PRESETS, ids=[key for key, _ in PRESETS])
def test_presets_round_trip_through_json_with_their_prefill_keys(key: str, rubric: Rubric) -> None:
    stored = json.dumps(criteria_to_json(rubric.criteria), ensure_ascii=False)
    assert "\\u" not in stored  # Vietnamese readable in the file
    assert criteria_from_json(json.loads(stored)) == rubric.criteria


@given(rubrics())
def test_full_marks_always_pass_and_nothing_scored_always_fails(rubric: Rubric) -> None:
    full = score(rubric, {i.code: i.max_points for i in rubric.indicators})
    assert full.passed and full.total == rubric.max_points and full.reasons == ()
    empty = score(rubric, {})
    assert not empty.passed
    assert empty.reasons[0] == f"thiếu {rubric.pass_mark} điểm"
