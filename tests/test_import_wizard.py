"""The import wizard (ui/dialogs/import_wizard.py), driven through its widgets as an officer would: a messy
households workbook chosen, its columns checked and one changed, a bad hamlet mapped, the preview read, the problem
rows exported, the rest imported, the fixed problem rows imported again; a saved mapping reused on a sheet whose
columns moved; the templates it hands out imported back."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QWizard

from khuyenhoc_desktop.domain.household import HouseholdInput, Sex
from khuyenhoc_desktop.services import awards as award_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services.sheet_reading import ImportProblems
from khuyenhoc_desktop.services.spreadsheet_import import Outcome
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs import import_wizard
from khuyenhoc_desktop.ui.dialogs.citizen_import_dialog import CitizenImportDialog
from khuyenhoc_desktop.ui.dialogs.import_wizard import NO_COLUMN, ImportWizard
from khuyenhoc_desktop.ui.models.import_preview_model import PreviewModel
from khuyenhoc_desktop.ui.views.awards_view import AwardsView
from khuyenhoc_desktop.ui.views.households_view import HouseholdsView
from tests.gui_helpers import drive_dialogs, open_main_window, type_text
from tests.import_books import TITLE, hamlet_id, messy_book

HEADER = ["STT", "Ma ho", "Ho ten chu ho", "Nam sinh", "Gioi tinh", "Thon/Ap", "Dia chi", "Noi o hien nay", "SDT"]
ROWS: list[list[Any]] = [
    [
        1,
        "00001",
        "Nguyễn Văn Đức",
        datetime(1968, 4, 2),
        "Nam",
        "Ấp Vĩnh Thạnh",
        "Cũ",
        "Số 12, Rạch Kiến",
        "0909123456",
    ],
    [2, None, "Trần Thị Mai", "15/03/1985", "Nữ", "Vinh Thanh cu", None, "Tổ 2", None],
    [None] * 9,
    [3, None, unicodedata.normalize("NFD", "Lê Văn Tám"), "5/3/79", "nam", "Thôn Đông Điền", None, "Tổ 4", 909111222],
    [4, None, "Phạm Thị Hường", 31121, "NỮ", "Dong Dien", None, None, None],  # 15/03/1985 as an Excel serial
    [5, None, "Võ Văn Ba", "31/02/1980", "Nam", "Phước Lợi", None, "Tổ 9", None],  # no 31 February
    [6, None, "Trần Thị Mai", 1985, "Nữ", "Vinh Thanh cu", None, None, None],  # row 6 again
]


def write_book(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    return messy_book(path, "Danh sách hộ", "DANH SÁCH HỘ GIA ĐÌNH NĂM 2025", header, rows)


@pytest.fixture
def registered(workspace: Workspace) -> Workspace:
    """Household 00001 is already in the register, its address about to change."""
    household_service.create_household(
        workspace,
        HouseholdInput("00001", "Nguyễn Văn Đức", hamlet_id(workspace, "Ấp Vĩnh Thạnh"), 1968, Sex.MALE, "Cũ"),
    )
    return workspace


@pytest.fixture
def wizard(qtbot, registered: Workspace) -> ImportWizard:
    wizard = ImportWizard(registered)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def register(workspace: Workspace) -> list[tuple[str, str, str, str]]:
    return [(h.code, h.head_name, h.hamlet_name, h.address) for h in household_service.list_households(workspace)]


def open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The next open-file dialogs answer `path`; the captions asked are returned."""
    asked: list[str] = []

    def answer(_parent: object, caption: str, _folder: str, _filter: str) -> tuple[str, str]:
        asked.append(caption)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    return asked


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The wizard's save questions (workbooks and mappings) answer `path`; the suggested names are returned."""
    suggested: list[str] = []

    def ask_save_path(_parent: object, _caption: str, file_name: str) -> Path:
        suggested.append(file_name)
        return path

    monkeypatch.setattr(import_wizard, "ask_save_path", ask_save_path)
    return suggested


def next_enabled(wizard: ImportWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def go_next(wizard: ImportWizard) -> None:
    page = wizard.currentId()
    assert next_enabled(wizard)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentId() == page + 1


def finish(wizard: ImportWizard) -> None:
    button = wizard.button(QWizard.WizardButton.FinishButton)
    assert button.text() == "Nhập" and button.isVisible() and button.isEnabled()
    button.click()


def shown_rows(model: PreviewModel) -> list[tuple[str, ...]]:
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]  # fmt: skip


def test_messy_list_imported_with_problem_rows_exported_fixed_and_imported_again(
    qtbot, wizard: ImportWizard, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_book(tmp_path / "ho-2025.xlsx", ROWS)
    changes: list[bool] = []
    wizard.changed.connect(lambda: changes.append(True))

    # 1. The file, found below its title rows on the sheet that holds the list.
    first = wizard.file_page
    assert first.kind_buttons.checkedButton().text() == "Danh sách hộ gia đình"
    assert not next_enabled(wizard)
    asked = open_file(monkeypatch, path)
    first.choose_button.click()
    assert asked == ["Chọn tệp bảng tính"]
    assert [first.sheet_combo.itemText(i) for i in range(first.sheet_combo.count())] == ["Hướng dẫn", "Danh sách hộ"]
    assert first.sheet_combo.currentText() == "Danh sách hộ"
    first.sheet_combo.setCurrentIndex(0)
    first.sheet_combo.activated.emit(0)
    assert first.header_info.text().startswith("Trang «Hướng dẫn»: hàng tiêu đề ở dòng 1; 0 dòng dữ liệu")
    first.sheet_combo.setCurrentIndex(1)
    first.sheet_combo.activated.emit(1)
    assert first.header_info.text().startswith("Trang «Danh sách hộ»: hàng tiêu đề ở dòng 4; 6 dòng dữ liệu")
    assert first.raw.item(0, 0).text() == TITLE
    assert [first.raw.item(3, c).text() for c in range(3)] == ["STT", "Ma ho", "Ho ten chu ho"]
    assert first.raw.item(3, 2).font().bold() and not first.raw.item(4, 2).font().bold()
    go_next(wizard)

    # 2. The columns, guessed from headers without diacritics; the address taken from another column.
    columns = wizard.columns_page
    combos = columns.combos
    assert {name: combo.currentData() for name, combo in combos.items()} == {
        "code": 1, "head_name": 2, "hamlet": 5, "address": 6, "phone": 8, "note": -1, "head_birth_year": 3,
        "head_sex": 4,
    }  # fmt: skip
    assert combos["head_name"].currentText() == "C — «Ho ten chu ho» (Nguyễn Văn Đức; Trần Thị Mai)"
    combos["head_name"].setCurrentIndex(combos["head_name"].findText(NO_COLUMN))
    assert not next_enabled(wizard)
    assert columns.problems.text() == "Chưa chọn cột «Họ tên chủ hộ»."
    combos["head_name"].setCurrentIndex(combos["head_name"].findData(5))
    assert not next_enabled(wizard)
    assert "được chọn cho nhiều mục" in columns.problems.text()
    combos["head_name"].setCurrentIndex(combos["head_name"].findData(2))
    combos["address"].setCurrentIndex(combos["address"].findData(7))
    assert columns.problems.isHidden()
    go_next(wizard)

    # 3. The values: the hamlet nobody recognises comes first, a suggestion marked as such; the officer knows
    # better and says which hamlet it is.
    values = wizard.values_page
    table = values.table
    assert [(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())][:1] == [
        ("Vinh Thanh cu", "2")
    ]
    odd = table.cellWidget(0, values.COL_MEANING)
    assert odd.currentText() == "Ấp Vĩnh Thạnh (gợi ý)" and odd.font().italic()
    assert table.item(0, 1).background() == import_wizard.UNKNOWN_BACKGROUND
    understood = {
        table.item(r, 1).text(): table.cellWidget(r, values.COL_MEANING).currentText()
        for r in range(1, table.rowCount())
    }
    assert understood["Thôn Đông Điền"] == understood["Dong Dien"] == "Ấp Đông Điền"
    assert understood["NỮ"] == "Nữ" and understood["nam"] == "Nam"
    odd.setCurrentIndex(odd.findData("Ấp Phước Lợi"))
    odd.activated.emit(odd.currentIndex())
    assert not odd.font().italic()

    mapping = tmp_path / "ghep-cot-ho.json"
    suggested = save_to(monkeypatch, mapping)
    values.save_button.click()
    assert suggested == ["ghep-cot-danh-sach-ho-gia-dinh.json"]
    saved = json.loads(mapping.read_text(encoding="utf-8"))
    assert saved["cot"]["address"] == "Noi o hien nay"
    assert saved["gia_tri"] == {"hamlet": {"vinh thanh cu": "Ấp Phước Lợi"}}
    go_next(wizard)

    # 4. The preview: every row with what it would do, the problems by column.
    preview = wizard.preview_page
    assert preview.summary.text() == "6 dòng — 3 hộ mới, 1 hộ cập nhật, 0 hộ không đổi, 2 dòng có lỗi."
    model = preview.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Dòng",
        "Kết quả",
        "Lỗi",
        "Khớp với",
        "Mã hộ (B)",
    ]
    rows = shown_rows(model)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("5", "Cập nhật", "Hộ 00001 — Nguyễn Văn Đức"), ("6", "Thêm mới", ""), ("8", "Thêm mới", ""),
        ("9", "Thêm mới", ""), ("10", "Có lỗi", ""), ("11", "Có lỗi", ""),
    ]  # fmt: skip
    preview.filter.setCurrentIndex(preview.filter.findText("Chỉ dòng lỗi"))
    problems = [r[2] for r in shown_rows(model)]
    assert problems[0].startswith("«Nam sinh»: ")
    assert problems[1] == "trùng hộ với dòng 6 (chủ hộ «Trần Thị Mai»)"
    assert preview.skip_box.text() == "Nhập các dòng không lỗi, bỏ qua 2 dòng lỗi"
    assert not preview.skip_box.isChecked()

    fix_me = tmp_path / "dong-loi.xlsx"
    suggested = save_to(monkeypatch, fix_me)
    preview.export_button.click()
    assert suggested == ["ho-2025-dong-loi.xlsx"]
    assert messages.texts[-1].startswith(f"Đã xuất 2 dòng lỗi vào:\n{fix_me}")

    # 5. With problems, nothing is imported unless the officer chooses to leave the problem rows out.
    go_next(wizard)
    assert "Sửa tệp rồi nhập lại, hoặc xuất các dòng lỗi ra bảng tính" in wizard.import_page.error.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    wizard.back()
    messages.answers = [1]  # "Hủy"
    preview.skip_box.setChecked(True)
    assert not preview.skip_box.isChecked()
    messages.answers = [0]
    preview.skip_box.setChecked(True)
    assert preview.skip_box.isChecked()
    assert messages.texts[-1].startswith("Chỉ nhập 4 dòng không lỗi và bỏ qua 2 dòng lỗi?")
    assert register(registered) == [("00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "Cũ")]
    go_next(wizard)
    finish(wizard)

    assert wizard.result() == QDialog.DialogCode.Accepted and not wizard.isVisible()
    assert changes == [True]
    assert messages.texts[-1] == ("Đã nhập: 6 dòng — 3 hộ mới, 1 hộ cập nhật, 0 hộ không đổi. Bỏ qua 2 dòng có lỗi.")
    assert register(registered) == [
        ("00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "Số 12, Rạch Kiến"),
        ("00002", "Trần Thị Mai", "Ấp Phước Lợi", "Tổ 2"),
        ("00003", "Lê Văn Tám", "Ấp Đông Điền", "Tổ 4"),
        ("00004", "Phạm Thị Hường", "Ấp Đông Điền", ""),
    ]

    # The problem rows fixed in the exported workbook (the date corrected, the duplicate deleted), then imported
    # with the saved mapping: the path typed in rather than picked.
    book = openpyxl.load_workbook(fix_me)
    sheet = book.active
    assert [c.value for c in sheet[1]][-1] == "Lỗi cần sửa"
    assert [sheet.cell(row=r, column=3).value for r in (2, 3)] == ["Võ Văn Ba", "Trần Thị Mai"]
    sheet.cell(row=2, column=4).value = "28/02/1980"
    sheet.delete_rows(3)
    book.save(fix_me)

    again = ImportWizard(registered)
    qtbot.addWidget(again)
    again.show()
    type_text(again.file_page.path_edit, str(fix_me))
    again.file_page.path_edit.returnPressed.emit()
    assert again.file_page.header_info.text().startswith("Trang «Danh sách hộ»: hàng tiêu đề ở dòng 1; 1 dòng")
    go_next(again)
    open_file(monkeypatch, mapping)
    again.columns_page.open_button.click()
    assert again.columns_page.combos["address"].currentData() == 7
    go_next(again)
    go_next(again)
    assert again.preview_page.summary.text() == "1 dòng — 1 hộ mới, 0 hộ cập nhật, 0 hộ không đổi."
    assert again.preview_page.skip_box.isHidden() and again.preview_page.export_button.isHidden()
    go_next(again)
    finish(again)
    assert messages.texts[-1] == "Đã nhập: 1 dòng — 1 hộ mới, 0 hộ cập nhật, 0 hộ không đổi."
    assert register(registered)[-1] == ("00005", "Võ Văn Ba", "Ấp Phước Lợi", "Tổ 9")
    assert len(register(registered)) == 5


def test_a_saved_mapping_fits_next_years_sheet_whose_columns_moved(
    wizard: ImportWizard, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mapping = tmp_path / "ghep-cot.json"
    wizard.load(write_book(tmp_path / "ho-2025.xlsx", ROWS))
    go_next(wizard)
    combos = wizard.columns_page.combos
    combos["address"].setCurrentIndex(combos["address"].findData(7))
    save_to(monkeypatch, mapping)
    wizard.columns_page.save_button.click()
    assert messages.texts[-1].startswith(f"Đã lưu ghép cột vào:\n{mapping}\n")

    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]  # next year's sheet: the same columns, right to left
    moved = write_book(tmp_path / "ho-2026.xlsx", [[r[i] for i in order] for r in ROWS], [HEADER[i] for i in order])
    reused = ImportWizard(registered)
    reused.show()
    reused.load(moved)
    go_next(reused)
    open_file(monkeypatch, mapping)
    reused.columns_page.open_button.click()
    assert {name: combo.currentData() for name, combo in reused.columns_page.combos.items()} == {
        "code": 7, "head_name": 6, "hamlet": 3, "address": 1, "phone": 0, "note": -1, "head_birth_year": 5,
        "head_sex": 4,
    }  # fmt: skip
    reused.close()


def test_a_value_chosen_in_a_saved_mapping_is_understood_next_time(
    wizard: ImportWizard, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mapping = tmp_path / "ghep-cot.json"
    mapping.write_text(
        json.dumps({"loai": "households", "cot": {}, "gia_tri": {"hamlet": {"Vinh Thanh cu": "Ấp Phước Lợi"}}})
    )
    wizard.load(write_book(tmp_path / "ho.xlsx", ROWS))
    go_next(wizard)
    open_file(monkeypatch, mapping)
    wizard.columns_page.open_button.click()
    assert messages.texts == []
    go_next(wizard)
    values = wizard.values_page
    assert "Mọi giá trị đều khớp danh sách" in values.intro.text()
    row = next(r for r in range(values.table.rowCount()) if values.table.item(r, 1).text() == "Vinh Thanh cu")
    assert values.table.cellWidget(row, values.COL_MEANING).currentText() == "Ấp Phước Lợi"
    go_next(wizard)
    assert [r.values["hamlet"] for r in wizard.preview.rows if r.number == 6] == [hamlet_id(registered, "Ấp Phước Lợi")]


def test_templates_download_and_import_back(
    wizard: ImportWizard, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    filled, blank = tmp_path / "ho-hien-co.xlsx", tmp_path / "mau.xlsx"
    suggested = save_to(monkeypatch, filled)
    wizard.file_page.filled_template_button.click()
    save_to(monkeypatch, blank)
    wizard.file_page.blank_template_button.click()
    assert suggested == ["danh-sach-ho-gia-dinh-hien-co.xlsx"]
    assert messages.texts == [
        f"Đã lưu mẫu «Danh sách hộ gia đình» kèm 1 dòng hiện có vào:\n{filled}",
        f"Đã lưu mẫu trống «Danh sách hộ gia đình» vào:\n{blank}",
    ]

    wizard.load(blank)
    go_next(wizard)
    assert all(combo.currentData() >= 0 for combo in wizard.columns_page.combos.values())

    wizard.back()
    wizard.load(filled)
    go_next(wizard)
    assert all(combo.currentData() >= 0 for combo in wizard.columns_page.combos.values())
    go_next(wizard)
    go_next(wizard)
    assert [(r.outcome, r.matched) for r in wizard.preview.rows] == [(Outcome.SAME, "Hộ 00001 — Nguyễn Văn Đức")]
    go_next(wizard)
    finish(wizard)
    assert messages.texts[-1] == "Đã nhập: 1 dòng — 0 hộ mới, 0 hộ cập nhật, 1 hộ không đổi."
    assert register(registered) == [("00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "Cũ")]


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_first_page(
    wizard: ImportWizard, messages, tmp_path: Path
) -> None:
    path = tmp_path / "ghi-chu.xlsx"
    path.write_text("không phải bảng tính", encoding="utf-8")
    wizard.load(path)
    assert wizard.file_page.error.text() == (
        "Không đọc được tệp «ghi-chu.xlsx»: tệp bị hỏng hoặc không phải bảng tính (.xlsx, .xls, .ods)."
    )
    assert not next_enabled(wizard)
    assert messages.texts == []


def test_a_refused_import_writes_nothing_and_keeps_the_wizard_open(
    wizard: ImportWizard, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wizard.load(write_book(tmp_path / "ho.xlsx", ROWS[:2]))
    for _ in range(4):
        go_next(wizard)

    def refuse(*_args: object) -> None:
        raise ImportProblems("ho.xlsx", ["Dòng 5: sổ vừa được sửa ở máy khác."])

    monkeypatch.setattr(import_wizard.engine, "commit", refuse)
    finish(wizard)
    assert wizard.isVisible() and wizard.currentId() == import_wizard.PAGE_IMPORT
    assert messages.shown[-1][0] == "Chưa nhập được"
    assert "Dòng 5: sổ vừa được sửa ở máy khác." in messages.texts[-1]
    assert register(registered) == [("00001", "Nguyễn Văn Đức", "Ấp Vĩnh Thạnh", "Cũ")]


def test_the_citizens_results_open_their_own_dialog(wizard: ImportWizard, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QDialog] = []
    handlers = drive_dialogs(monkeypatch, CitizenImportDialog)
    handlers.append(lambda dialog: (opened.append(dialog), dialog.reject()))
    wizard.file_page.citizens_button.setChecked(True)
    assert wizard.file_page.citizens_note.isVisible() and not wizard.file_page.choose_button.isEnabled()
    go_next_to_citizens = wizard.button(QWizard.WizardButton.NextButton)
    assert go_next_to_citizens.isEnabled()
    go_next_to_citizens.click()
    assert len(opened) == 1 and isinstance(opened[0], CitizenImportDialog)
    assert wizard.result() == QDialog.DialogCode.Rejected and not wizard.isVisible()


def test_the_main_window_opens_the_wizard_and_shows_what_it_imported(
    qtbot, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_main_window(qtbot, registered, monkeypatch)
    assert window.import_action.text() == "Nhập danh sách từ Excel…"
    assert window.import_action in window.menuBar().actions()[0].menu().actions()
    assert window.households is not None and window.households.model.total() == 1
    path = write_book(tmp_path / "ho.xlsx", ROWS[:2])

    def run(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportWizard)
        dialog.load(path)
        for _ in range(4):
            go_next(dialog)
        finish(dialog)

    drive_dialogs(monkeypatch, ImportWizard).append(run)
    window.import_action.trigger()
    assert window.households.model.total() == 2


def test_the_registers_own_buttons_open_the_wizard_on_their_list(
    qtbot, registered: Workspace, messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    households = HouseholdsView(registered)
    qtbot.addWidget(households)
    path = write_book(tmp_path / "ho.xlsx", ROWS[:2])
    opened: list[str] = []

    def run(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportWizard) and dialog.kind is not None
        opened.append(dialog.kind.key)
        dialog.load(path)
        for _ in range(4):
            go_next(dialog)
        finish(dialog)

    drive_dialogs(monkeypatch, ImportWizard).append(run)
    with qtbot.waitSignal(households.changed):
        households.import_button.click()
    assert households.model.total() == 2 and opened == ["households"]

    awards = AwardsView(registered)
    qtbot.addWidget(awards)
    drive_dialogs(monkeypatch, ImportWizard).append(
        lambda dialog: (opened.append(dialog.kind.key), dialog.reject())  # type: ignore[attr-defined]
    )
    awards.import_button.click()
    assert opened == ["households", "scholarships"]


def test_an_office_has_no_import(qtbot, office_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    window = open_main_window(qtbot, office_ws, monkeypatch)
    assert window.import_action not in window.menuBar().actions()[0].menu().actions()


def test_the_preview_model_is_a_sound_qt_model(qtmodeltester, wizard: ImportWizard, tmp_path: Path) -> None:
    wizard.load(write_book(tmp_path / "ho.xlsx", ROWS))
    for _ in range(3):
        go_next(wizard)
    model = wizard.preview_page.model
    qtmodeltester.check(model)
    wizard.preview_page.filter.setCurrentIndex(wizard.preview_page.filter.findText("Thêm mới"))
    assert {model.index(r, PreviewModel.COL_OUTCOME).data() for r in range(model.rowCount())} == {"Thêm mới"}
    qtmodeltester.check(model)


def walk_to_preview(wizard: ImportWizard, path: Path) -> None:
    wizard.load(path)
    go_next(wizard)
    go_next(wizard)


def test_members_come_in_through_the_same_pages(qtbot, registered: Workspace, messages, tmp_path: Path) -> None:
    header = ["STT", "Ma ho", "Ho va ten", "Ngay sinh", "Gioi tinh", "Quan he voi chu ho", "Truong/lop"]
    path = write_book(tmp_path / "tv.xlsx", [
        [1, "00001", "Nguyễn Thị Lan", "2012", "Nữ", "con gai", "THCS Vĩnh Thạnh, lớp 8"],
        [2, "00001", "Nguyễn Văn Bảo", "15/03/2016", "nam", "Duong tu", "TH Vĩnh Thạnh, lớp 4"],
    ], header)  # fmt: skip
    wizard = ImportWizard(registered, "members")
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.file_page.kind_buttons.checkedButton().text() == "Danh sách thành viên hộ"
    walk_to_preview(wizard, path)
    values = wizard.values_page
    assert values.table.item(0, 1).text() == "Duong tu"  # an adopted son: not a relation the list knows
    odd = values.table.cellWidget(0, values.COL_MEANING)
    odd.setCurrentIndex(odd.findData("Con"))
    go_next(wizard)
    assert wizard.preview_page.summary.text() == "2 dòng — 2 người mới, 0 người cập nhật, 0 người không đổi."
    go_next(wizard)
    finish(wizard)
    household_id = household_service.find_household(registered, "00001")
    assert household_id is not None
    members = household_service.list_members(registered, household_id)
    assert [(m.full_name, m.relation, m.birth_year) for m in members] == [
        ("Nguyễn Văn Đức", "chu_ho", 1968), ("Nguyễn Thị Lan", "con", 2012), ("Nguyễn Văn Bảo", "con", 2016),
    ]  # fmt: skip


def test_scholarships_come_in_through_the_same_pages(qtbot, registered: Workspace, messages, tmp_path: Path) -> None:
    header = ["STT", "Ho ten hoc sinh", "Nam sinh", "Thon/Ap", "Dien", "Hinh thuc", "So tien", "Ngay trao"]
    path = write_book(tmp_path / "hb.xlsx", [
        [1, "Nguyễn Thị Lan", 2012, "Vĩnh Thạnh", "HSG", "TM", "500.000 đ", "05/09/2025"],
        [2, "Lê Văn Tám", 2011, None, "Học sinh giỏi", "Tiền mặt", 700000, 45905],  # 05/09/2025, an Excel serial
    ], header)  # fmt: skip
    wizard = ImportWizard(registered, "scholarships")
    qtbot.addWidget(wizard)
    wizard.show()
    walk_to_preview(wizard, path)
    go_next(wizard)
    assert wizard.preview_page.summary.text() == "2 dòng — 2 suất mới, 0 suất cập nhật, 0 suất không đổi."
    go_next(wizard)
    finish(wizard)
    awards = award_service.list_awards(registered)
    assert sorted((a.pupil_name, a.value_vnd, a.awarded_on) for a in awards) == [
        ("Lê Văn Tám", 700_000, date(2025, 9, 5)), ("Nguyễn Thị Lan", 500_000, date(2025, 9, 5)),
    ]  # fmt: skip
