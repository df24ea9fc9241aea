"""Qt's own texts (standard buttons, edit context menus, the wizard's buttons, file and print dialogs) speak
Vietnamese once the application is built, from the shipped qtbase_vi translation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QWizard,
    QWizardPage,
)

from khuyenhoc_desktop.resources import resources_dir
from khuyenhoc_desktop.ui.app import QT_TRANSLATOR_NAME, application

TRANSLATIONS = resources_dir() / "translations"


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return application()


def menu_texts(menu: QMenu) -> list[str]:
    """The entries as the officer reads them: no accelerator ampersand, no shortcut after the tab."""
    return [action.text().split("\t")[0].replace("&", "") for action in menu.actions() if not action.isSeparator()]


def ts_messages(path: Path) -> list[tuple[str, str, str]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name", ""), message.findtext("source", ""), message.findtext("translation", ""))
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_standard_button_texts_are_vietnamese(app: QApplication) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    question = QMessageBox(
        QMessageBox.Icon.Question, "Hỏi", "Lưu không?", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert question.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Có"
    assert question.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Không"


def test_an_explicit_button_text_still_wins(app: QApplication) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    box.button(QDialogButtonBox.StandardButton.Save).setText("Lưu hộ")
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Lưu hộ"


def test_edit_context_menus_are_vietnamese(app: QApplication, qtbot) -> None:
    line = QLineEdit()
    qtbot.addWidget(line)
    texts = menu_texts(line.createStandardContextMenu())
    assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"} <= set(texts)
    assert "Copy" not in texts
    note = QPlainTextEdit()
    qtbot.addWidget(note)
    assert {"Sao chép", "Dán", "Chọn tất cả"} <= set(menu_texts(note.createStandardContextMenu()))


def test_wizard_buttons_are_vietnamese(app: QApplication, qtbot) -> None:
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Tiếp >"
    assert wizard.button(QWizard.WizardButton.BackButton).text() == "< &Quay lại"
    assert wizard.button(QWizard.WizardButton.FinishButton).text() == "&Hoàn tất"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Hủy"


def test_building_the_application_twice_installs_one_translator(app: QApplication) -> None:
    application()
    assert len(app.findChildren(QTranslator, QT_TRANSLATOR_NAME)) == 1


def test_the_compiled_translation_matches_its_source() -> None:
    """The .qm is what Qt loads and the .ts is what people edit: every message of the .ts must come out of the .qm
    as written, or the .qm was not rebuilt after an edit (pyside6-lrelease qtbase_vi.ts -qm qtbase_vi.qm)."""
    messages = ts_messages(TRANSLATIONS / "qtbase_vi.ts")
    assert len(messages) > 150
    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "qtbase_vi.qm"))
    assert translator.language() == "vi_VN"
    for context, source, translation in messages:
        assert translation, f"{context} «{source}» chưa dịch"
        assert translator.translate(context, source) == translation, f"{context} «{source}»"


def test_a_missing_translation_leaves_english_and_the_app_running(
    app: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from khuyenhoc_desktop.ui import app as app_module

    installed = app.findChild(QTranslator, QT_TRANSLATOR_NAME)
    assert installed is not None
    app.removeTranslator(installed)
    installed.setParent(None)
    monkeypatch.setattr(app_module, "resources_dir", lambda: tmp_path)
    app_module.install_qt_vietnamese(app)
    assert app.findChild(QTranslator, QT_TRANSLATOR_NAME) is None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert "Không nạp được bản dịch tiếng Việt của Qt" in caplog.text

    monkeypatch.undo()
    app_module.install_qt_vietnamese(app)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
