"""The first-run wizard driven as an officer would: typing, picking from lists, pressing the buttons."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget, QWizard
from pytestqt.qtbot import QtBot

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.domain.profile import Role, default_association_name
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.dialogs import setup_wizard
from khuyenhoc_desktop.ui.dialogs.setup_wizard import (
    PAGE_HAMLETS,
    PAGE_OFFICE,
    PAGE_PEOPLE,
    PAGE_PLACE,
    PAGE_SUMMARY,
    SetupWizard,
)
from tests.conftest import HAMLETS, MessageLog
from tests.gui_helpers import press, type_text

Button = QWizard.WizardButton


def type_lines(widget: QWidget, text: str) -> None:
    for number, line in enumerate(text.split("\n")):
        if number:
            press(widget, Qt.Key.Key_Return)
        type_text(widget, line)


def click(qtbot: QtBot, wizard: SetupWizard, button: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)


def pick(combo: QWidget, typed: str) -> None:
    """Type into a searchable combo and choose the only suggestion from the popup."""
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), typed)
    completer = combo.completer()
    assert completer.completionCount() == 1, typed
    press(completer.popup(), Qt.Key.Key_Down)
    press(completer.popup(), Qt.Key.Key_Return)


@pytest.fixture
def wizard(qtbot: QtBot, blank_workspace: Workspace) -> SetupWizard:
    wizard = SetupWizard(blank_workspace)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def fill_place(wizard: SetupWizard) -> None:
    pick(wizard.form.province, "tay ninh")
    pick(wizard.form.commune, "phuoc vinh tay")


def fill_people(wizard: SetupWizard) -> None:
    type_text(wizard.form.officer_name, "Lê Thị Hoa")
    type_text(wizard.form.signer_name, "Nguyễn Văn Tư")


def go_to(qtbot: QtBot, wizard: SetupWizard, page: int, hamlets: str = "\n".join(HAMLETS)) -> None:
    """Fill every page before `page` with a valid commune set-up and move on to `page`."""
    steps = {
        PAGE_PLACE: lambda: fill_place(wizard),
        PAGE_HAMLETS: lambda: type_lines(wizard.hamlets, hamlets),
        PAGE_PEOPLE: lambda: fill_people(wizard),
    }
    while wizard.currentId() < page:
        steps.get(wizard.currentId(), lambda: None)()
        click(qtbot, wizard, Button.NextButton)


def assert_nothing_written(workspace: Workspace) -> None:
    workspace.reload_profile()
    assert not workspace.is_set_up
    assert profile_service.list_hamlets(workspace) == []


def shown_error(wizard: SetupWizard) -> str:
    """The red message visible on the current page."""
    page = wizard.currentPage()
    texts = [
        label.text()
        for label in page.findChildren(setup_wizard.QLabel)
        if label.isVisible() and "color: #b00020" in label.styleSheet()
    ]
    assert len(texts) == 1, texts
    return texts[0]


def test_buttons_and_pages_speak_vietnamese(wizard: SetupWizard) -> None:
    texts = {wizard.buttonText(b) for b in (Button.BackButton, Button.NextButton, Button.FinishButton)}
    assert texts == {"Quay lại", "Tiếp tục", "Hoàn tất"}
    assert wizard.buttonText(Button.CancelButton) == "Hủy"
    assert [wizard.page(i).title() for i in wizard.pageIds()] == [
        "Chào mừng",
        "Địa bàn",
        "Ấp, thôn, khu phố",
        "Hội và người ký",
        "Kiểm tra lại",
        "Cơ quan tổng hợp",
    ]


def test_commune_set_up_from_start_to_finish(qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace) -> None:
    go_to(qtbot, wizard, PAGE_PLACE)
    fill_place(wizard)
    assert wizard.form.province.currentText() == "Tây Ninh"
    assert wizard.form.commune.currentText() == "Xã Phước Vĩnh Tây"
    assert wizard.form.association_name.text() == default_association_name(Role.COMMUNE, "80", "28201")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_HAMLETS
    assert "«Ấp Vĩnh Thạnh»" in wizard._hamlet_hint.text()  # a southern province says "Ấp"
    type_lines(wizard.hamlets, "\n".join(HAMLETS) + "\n\n")
    click(qtbot, wizard, Button.NextButton)
    fill_people(wizard)
    wizard.form.signer_title.setCurrentText("Phó Chủ tịch")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_SUMMARY
    summary = " ".join(label.text() for label in wizard.currentPage().findChildren(setup_wizard.QLabel))
    assert "Xã Phước Vĩnh Tây" in summary
    assert "3: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền" in summary
    assert "Phó Chủ tịch Nguyễn Văn Tư" in summary
    click(qtbot, wizard, Button.FinishButton)

    assert wizard.result() == QDialog.DialogCode.Accepted
    assert blank_workspace.is_set_up
    stored = profile_service.profile_input(blank_workspace)
    assert (stored.role, stored.province_code, stored.commune_code) == (Role.COMMUNE, "80", "28201")
    assert stored.officer_name == "Lê Thị Hoa"
    assert (stored.signer_title, stored.signer_name) == ("Phó Chủ tịch", "Nguyễn Văn Tư")
    assert stored.working_year == date.today().year
    assert [h.name for h in profile_service.list_hamlets(blank_workspace)] == HAMLETS


def suggestions(combo: QWidget, typed: str) -> set[str]:
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), typed)
    model = combo.completer().completionModel()
    return {model.index(row, 0).data() for row in range(model.rowCount())}


def test_province_list_finds_names_typed_with_or_without_accents(qtbot: QtBot, wizard: SetupWizard) -> None:
    go_to(qtbot, wizard, PAGE_PLACE)
    province = wizard.form.province
    assert suggestions(province, "ninh") == {"Bắc Ninh", "Ninh Bình", "Quảng Ninh", "Tây Ninh"}
    assert province.completer().popup().isVisible()
    assert suggestions(province, "Tây") == {"Tây Ninh"}
    assert suggestions(province, "da nang") == {"Thành phố Đà Nẵng"}

    pick(province, "tay ninh")
    assert province.currentData() == "80"
    assert wizard.form.commune.count() == 96  # Long An merged into Tây Ninh


def test_a_name_typed_in_full_counts_without_picking_from_the_list(qtbot: QtBot, wizard: SetupWizard) -> None:
    go_to(qtbot, wizard, PAGE_PLACE)
    wizard.form.province.setFocus()
    type_text(wizard.form.province.lineEdit(), "tây ninh")
    press(wizard.form.province.lineEdit(), Qt.Key.Key_Tab)
    assert wizard.form.commune.count() == 96
    type_text(wizard.form.commune.lineEdit(), "xa phuoc vinh tay")
    assert (wizard.form.value().province_code, wizard.form.value().commune_code) == ("80", "28201")


def test_no_commune_chosen_is_refused_on_the_place_page(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace
) -> None:
    go_to(qtbot, wizard, PAGE_PLACE)
    pick(wizard.form.province, "tay ninh")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_PLACE
    assert "hãy chọn xã, phường" in shown_error(wizard)
    assert wizard.focusWidget() in (wizard.form.commune, wizard.form.commune.lineEdit())
    assert_nothing_written(blank_workspace)


def test_a_commune_needs_at_least_one_hamlet(qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace) -> None:
    go_to(qtbot, wizard, PAGE_HAMLETS, hamlets="")
    type_lines(wizard.hamlets, "  \n")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_HAMLETS
    assert "hãy nhập ít nhất một ấp" in shown_error(wizard)
    assert_nothing_written(blank_workspace)


def test_hamlets_differing_only_by_accents_are_refused(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace
) -> None:
    go_to(qtbot, wizard, PAGE_HAMLETS)
    type_lines(wizard.hamlets, "Ấp Phước Lợi\nap phuoc loi")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_HAMLETS
    assert "trùng với ấp «Ấp Phước Lợi»" in shown_error(wizard)
    assert_nothing_written(blank_workspace)


def test_blank_officer_name_is_refused_and_the_cursor_put_there(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace
) -> None:
    go_to(qtbot, wizard, PAGE_PEOPLE)
    type_text(wizard.form.signer_name, "Nguyễn Văn Tư")
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_PEOPLE
    assert "chưa nhập họ tên cán bộ nhập liệu" in shown_error(wizard)
    assert wizard.focusWidget() is wizard.form.officer_name
    assert_nothing_written(blank_workspace)


def test_a_refusal_at_finish_goes_back_to_the_page_holding_the_field(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_to(qtbot, wizard, PAGE_SUMMARY)

    def refuse(*_args: object) -> None:
        raise ValidationError("Ấp «Ấp Vĩnh Thạnh»", "hamlets", "Ấp, thôn, khu phố", "tên quá dài.")

    monkeypatch.setattr(setup_wizard.profile_service, "set_up", refuse)
    click(qtbot, wizard, Button.FinishButton)

    assert wizard.isVisible()
    assert wizard.currentId() == PAGE_HAMLETS
    assert "tên quá dài" in shown_error(wizard)
    assert_nothing_written(blank_workspace)


def test_association_name_typed_by_the_officer_is_kept(qtbot: QtBot, wizard: SetupWizard) -> None:
    go_to(qtbot, wizard, PAGE_PLACE)
    fill_place(wizard)
    wizard.form.association_name.setText("Chi hội Khuyến học Phước Vĩnh Tây")
    pick(wizard.form.commune, "can giuoc")
    assert wizard.form.association_name.text() == "Chi hội Khuyến học Phước Vĩnh Tây"


def test_consolidating_office_needs_no_commune_and_no_hamlet(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace
) -> None:
    qtbot.mouseClick(wizard.form.role_buttons[Role.CONSOLIDATING_OFFICE], Qt.MouseButton.LeftButton)
    click(qtbot, wizard, Button.NextButton)
    assert not wizard.form.commune.isEnabled()
    pick(wizard.form.province, "tay ninh")
    assert wizard.form.association_name.text() == "Hội Khuyến học tỉnh Tây Ninh"
    click(qtbot, wizard, Button.NextButton)

    assert wizard.currentId() == PAGE_OFFICE
    assert not wizard.office.communes.isVisibleTo(wizard)  # a province office receives every commune
    click(qtbot, wizard, Button.NextButton)
    fill_people(wizard)
    click(qtbot, wizard, Button.NextButton)
    summary = [label.text() for label in wizard.currentPage().findChildren(setup_wizard.QLabel)]
    assert "Tây Ninh (Tỉnh, thành phố), 96 xã, phường" in summary
    click(qtbot, wizard, Button.FinishButton)

    assert wizard.result() == QDialog.DialogCode.Accepted
    stored = profile_service.profile_input(blank_workspace)
    assert (stored.role, stored.province_code, stored.commune_code) == ("tong_hop", "80", "")
    assert profile_service.list_hamlets(blank_workspace) == []
    assert office.office_info(blank_workspace) == office.OfficeInfo("tinh", "80", "Tây Ninh")
    assert len(office.list_communes(blank_workspace)) == 96


def test_a_cluster_office_names_its_communes_before_anything_is_stored(
    qtbot: QtBot, wizard: SetupWizard, blank_workspace: Workspace, messages: MessageLog
) -> None:
    qtbot.mouseClick(wizard.form.role_buttons[Role.CONSOLIDATING_OFFICE], Qt.MouseButton.LeftButton)
    click(qtbot, wizard, Button.NextButton)
    pick(wizard.form.province, "tay ninh")
    click(qtbot, wizard, Button.NextButton)
    qtbot.mouseClick(wizard.office.level_buttons["cum"], Qt.MouseButton.LeftButton)
    assert wizard.office.communes.isVisibleTo(wizard)
    type_text(wizard.office.code, "CUM-1")
    type_text(wizard.office.name, "Cụm Cần Giuộc")
    click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PAGE_OFFICE and "hãy ghi mã các xã" in messages.texts[-1]
    assert_nothing_written(blank_workspace)

    type_text(wizard.office.filter, "phuoc vinh tay")
    shown = [wizard.office.communes.item(r) for r in range(wizard.office.communes.count())]
    visible = [item for item in shown if not item.isHidden()]
    assert [item.text() for item in visible] == ["Xã Phước Vĩnh Tây (28201)"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    assert wizard.office.count.text() == "Đã chọn 1 xã, phường."
    click(qtbot, wizard, Button.NextButton)
    fill_people(wizard)
    click(qtbot, wizard, Button.NextButton)
    click(qtbot, wizard, Button.FinishButton)

    assert office.office_info(blank_workspace) == office.OfficeInfo("cum", "CUM-1", "Cụm Cần Giuộc")
    assert [c.code for c in office.list_communes(blank_workspace)] == ["28201"]
