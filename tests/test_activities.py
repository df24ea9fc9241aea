"""Learning activities and their yearly targets: the rules, the year's progress, undo and the recycle bin."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import text

from khuyenhoc_desktop.domain.activities import ActivityInput, ActivityKind, clean_activity, progress
from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.services import activities
from khuyenhoc_desktop.services.activities import BIN_SOURCES
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope

TODAY = date(2025, 11, 27)
SESSION, TRAINING, VOCATIONAL = ActivityKind.SESSION, ActivityKind.TRAINING, ActivityKind.VOCATIONAL


def session(
    name: str = "Phòng chống tác hại của thuốc lá", day: date = date(2025, 3, 8), **changes: object
) -> ActivityInput:
    values: dict[str, object] = {"kind": SESSION, "name": name, "starts_on": day, "participants": 45}
    values.update(changes)
    return ActivityInput(**values)  # type: ignore[arg-type]


def training(
    name: str = "Kỹ thuật trồng lúa chất lượng cao", day: date = date(2025, 4, 1), **changes: object
) -> ActivityInput:
    values: dict[str, object] = {
        "kind": TRAINING, "name": name, "field": "Trồng trọt", "starts_on": day, "ends_on": day,
        "place": "Ấp Vĩnh Thạnh", "participants": 30,
    }  # fmt: skip
    values.update(changes)
    return ActivityInput(**values)  # type: ignore[arg-type]


# -- rules ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (session(name="  "), "name", "Buổi sinh hoạt mới — ô «Tên lớp / chủ đề»: chưa nhập chủ đề buổi sinh hoạt."),
        (training(name=""), "name", "Lớp tập huấn mới — ô «Tên lớp / chủ đề»: chưa nhập tên lớp."),
        (
            session(participants=-1),
            "participants",
            "Buổi sinh hoạt «Phòng chống tác hại của thuốc lá» — ô «Số người»: số người không được âm.",
        ),
        (
            session(day=date(1999, 12, 31)),
            "starts_on",
            "ô «Ngày sinh hoạt»: ngày 31/12/1999 nằm ngoài khoảng cho phép (01/01/2000 – 27/11/2026).",
        ),
        (
            training(day=date(2026, 11, 28), ends_on=None),
            "starts_on",
            "ô «Từ ngày»: ngày 28/11/2026 nằm ngoài khoảng cho phép (01/01/2000 – 27/11/2026).",
        ),
        (
            training(ends_on=date(2025, 3, 31)),
            "ends_on",
            "ô «Đến ngày»: ngày kết thúc 31/03/2025 trước ngày bắt đầu 01/04/2025.",
        ),
        (
            session(ends_on=date(2025, 3, 9)),
            "ends_on",
            "buổi sinh hoạt diễn ra trong một ngày, không có ngày kết thúc.",
        ),
        (session(kind="hoi_thao"), "kind", "ô «Loại hoạt động»: giá trị «hoi_thao» không hợp lệ."),
    ],
)
def test_clean_activity_refuses_with_a_message_naming_record_and_field(
    data: ActivityInput, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        clean_activity(data, TODAY)
    assert error.value.field == field
    assert message in str(error.value)


def test_clean_activity_normalises_text_and_accepts_the_edges() -> None:
    decomposed = unicodedata.normalize("NFD", "  Tin  học   văn phòng ")
    clean = clean_activity(
        training(name=decomposed, day=date(2000, 1, 1), ends_on=date(2026, 11, 27), participants=0), TODAY
    )
    assert clean.name == "Tin học văn phòng" and unicodedata.is_normalized("NFC", clean.name)
    assert (clean.starts_on, clean.ends_on, clean.participants) == (date(2000, 1, 1), date(2026, 11, 27), 0)
    assert clean_activity(training(ends_on=None), TODAY).ends_on is None  # a class whose end is not known yet


def test_progress_keeps_achievement_over_the_target() -> None:
    seed = progress(VOCATIONAL, 2020, 300, 493, 14_790)  # "493 lớp, đạt 164% chỉ tiêu"
    assert seed.rate == pytest.approx(1.6433, abs=0.0001)
    assert progress(SESSION, 2025, 40, 48, 2400).rate == 1.2
    assert progress(SESSION, 2025, None, 12, 600).rate is None  # no target set
    assert progress(SESSION, 2025, 0, 12, 600).rate is None  # 0 means no target: nothing to divide by


# -- the register -----------------------------------------------------------------------------------


def test_create_list_and_update_activities(workspace: Workspace) -> None:
    first = activities.create_activity(workspace, session(), TODAY)
    second = activities.create_activity(workspace, training(day=date(2025, 2, 10), ends_on=date(2025, 2, 14)), TODAY)
    activities.create_activity(workspace, session("Sức khỏe sinh sản", date(2024, 12, 31)), TODAY)

    rows = activities.list_activities(workspace, 2025)
    assert [(r.kind_label, r.name, r.starts_on, r.ends_on) for r in rows] == [
        ("Tập huấn", "Kỹ thuật trồng lúa chất lượng cao", date(2025, 2, 10), date(2025, 2, 14)),
        ("Sinh hoạt", "Phòng chống tác hại của thuốc lá", date(2025, 3, 8), None),
    ]
    assert [r.id for r in activities.list_activities(workspace, 2025, SESSION)] == [first]
    assert len(activities.list_activities(workspace)) == 3
    assert "tap huan" in rows[0].search_key and "trong trot" in rows[0].search_key
    assert workspace.history.undo_label == "Thêm buổi sinh hoạt «Sức khỏe sinh sản»"

    activities.update_activity(workspace, second, training(name="Tin học văn phòng", field="Tin học"), TODAY)
    assert activities.activity_input(workspace, second).name == "Tin học văn phòng"
    assert workspace.history.undo_label == "Sửa lớp tập huấn «Tin học văn phòng»"
    workspace.history.undo(workspace)
    assert activities.activity_input(workspace, second).name == "Kỹ thuật trồng lúa chất lượng cao"


def test_nothing_is_written_when_an_activity_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError):
        activities.create_activity(workspace, session(participants=-5), TODAY)
    assert activities.list_activities(workspace) == []
    assert workspace.history.undo_label is None


def test_delete_restore_and_the_recycle_bin(workspace: Workspace) -> None:
    kept = activities.create_activity(workspace, session(), TODAY)
    gone = activities.create_activity(workspace, training(), TODAY)
    activities.delete_activity(workspace, gone)
    assert [r.id for r in activities.list_activities(workspace, 2025)] == [kept]
    assert workspace.history.undo_label == "Xóa lớp tập huấn «Kỹ thuật trồng lúa chất lượng cao»"
    (binned,) = BIN_SOURCES[0].records(workspace)
    assert (binned.kind_label, binned.label, binned.detail) == (
        "Hoạt động học tập", "Kỹ thuật trồng lúa chất lượng cao", "Tập huấn — 01/04/2025",
    )  # fmt: skip
    assert [p.actual for p in activities.year_progress(workspace, 2025)] == [1, 0, 0]  # deleted: not counted

    activities.restore_activity(workspace, gone)
    assert len(activities.list_activities(workspace, 2025)) == 2
    assert BIN_SOURCES[0].records(workspace) == []
    workspace.history.undo(workspace)  # undo the restore
    assert len(activities.list_activities(workspace, 2025)) == 1


# -- targets and progress ---------------------------------------------------------------------------


def live_target_rows(workspace: Workspace) -> list[tuple[int, str, int]]:
    with session_scope(workspace.engine) as db:
        sql = "SELECT year, kind, target FROM activity_target WHERE deleted_at IS NULL ORDER BY year, kind"
        return [tuple(row) for row in db.execute(text(sql))]  # type: ignore[misc]


def test_set_target_updates_the_one_row_per_year_and_kind_and_undoes(workspace: Workspace) -> None:
    activities.set_target(workspace, 2025, TRAINING, 300)
    activities.set_target(workspace, 2025, TRAINING, 320)
    activities.set_target(workspace, 2024, TRAINING, 250)
    assert live_target_rows(workspace) == [(2024, "tap_huan", 250), (2025, "tap_huan", 320)]
    assert activities.targets(workspace, 2025) == {"tap_huan": 320}

    workspace.history.undo(workspace)  # the 2024 target
    workspace.history.undo(workspace)  # 320 back to 300
    assert live_target_rows(workspace) == [(2025, "tap_huan", 300)]
    assert workspace.history.undo_label == "Đặt chỉ tiêu năm 2025: tập huấn 300 lớp"
    workspace.history.undo(workspace)
    assert activities.targets(workspace, 2025) == {}


def test_set_targets_is_one_change_and_writes_only_what_changed(workspace: Workspace) -> None:
    activities.set_target(workspace, 2025, SESSION, 40)
    activities.set_targets(workspace, 2025, {SESSION: 40, TRAINING: 10, VOCATIONAL: 0})
    assert workspace.history.undo_label == "Đặt chỉ tiêu năm 2025: tập huấn 10 lớp"
    assert activities.targets(workspace, 2025) == {"sinh_hoat": 40, "tap_huan": 10}  # 0 writes no row
    activities.set_targets(workspace, 2025, {SESSION: 0})
    assert workspace.history.undo_label == "Đặt chỉ tiêu năm 2025: sinh hoạt không đặt chỉ tiêu"
    assert activities.year_progress(workspace, 2025)[0].rate is None


def test_a_negative_target_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as error:
        activities.set_targets(workspace, 2025, {SESSION: 40, TRAINING: -1})
    assert str(error.value) == "Chỉ tiêu năm 2025 — ô «Lớp tập huấn»: chỉ tiêu phải từ 0 đến 100.000 lớp."
    assert error.value.field == TRAINING
    assert activities.targets(workspace, 2025) == {}  # none of the batch written


def test_year_progress_counts_by_the_start_date_within_the_year(workspace: Workspace) -> None:
    activities.set_targets(workspace, 2025, {SESSION: 2, VOCATIONAL: 3})
    activities.create_activity(workspace, session(day=date(2024, 12, 31), participants=100), TODAY)
    activities.create_activity(workspace, session(day=date(2025, 1, 1), participants=40), TODAY)
    activities.create_activity(workspace, session(day=date(2025, 12, 31), participants=35), TODAY)
    activities.create_activity(workspace, session(day=date(2026, 1, 1), participants=100), TODAY)
    for i in range(5):  # a class running into the next year counts in the year it starts
        activities.create_activity(
            workspace,
            training(f"May công nghiệp khóa {i + 1}", date(2025, 12, 1), kind=VOCATIONAL, ends_on=date(2026, 2, 28)),
            TODAY,
        )

    result = activities.year_progress(workspace, 2025)
    assert [(p.kind, p.year, p.target, p.actual, p.participants) for p in result] == [
        ("sinh_hoat", 2025, 2, 2, 75),
        ("tap_huan", 2025, None, 0, 0),
        ("day_nghe", 2025, 3, 5, 150),
    ]
    assert [p.rate for p in result] == [1.0, None, pytest.approx(1.6667, abs=0.0001)]
    assert [p.actual for p in activities.year_progress(workspace, 2026)] == [1, 0, 0]
