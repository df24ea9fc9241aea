"""The base of every record form: labelled fields, Enter moves on, the last Enter saves, and a
validation message shown beside the fields with the cursor put in the field it names."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khuyenhoc_desktop.domain.errors import ValidationError
from khuyenhoc_desktop.ui.views.profile_form import error_label


class RecordFormDialog(QDialog):
    """Subclasses add their fields with `add_field` and implement `write` (raising ValidationError)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.fields: dict[str, QWidget] = {}
        self._form = QFormLayout()
        self.error = error_label()
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Lưu")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(QLabel("Các ô có dấu * là bắt buộc. Enter chuyển sang ô kế tiếp, Enter ở ô cuối để lưu."))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # only once the button is inside the dialog does Qt keep it default

    def add_field(self, name: str, label: str, widget: QWidget, required: bool = False) -> None:
        self.fields[name] = widget
        self._form.addRow(label + (" *" if required else ""), widget)
        widget.installEventFilter(self)

    def write(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        try:
            self.write()
        except ValidationError as error:
            self.show_error(error)
            return
        self.accept()

    def show_error(self, error: ValidationError) -> None:
        self.error.setText(str(error))
        self.error.show()
        widget = self.fields.get(error.field)
        if widget is not None:
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not (isinstance(watched, QComboBox) and watched.view().isVisible())
        ):
            if watched is list(self.fields.values())[-1]:
                self.save()
            else:
                self.focusNextChild()
            return True
        return super().eventFilter(watched, event)


def choice_box(labels: dict[str, str], first: tuple[str, str] | None = None) -> QComboBox:
    """A combo over a code → label vocabulary (optionally led by a "choose…" entry)."""
    combo = QComboBox()
    if first is not None:
        combo.addItem(first[1], first[0])
    for code, label in labels.items():
        combo.addItem(label, code)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))
