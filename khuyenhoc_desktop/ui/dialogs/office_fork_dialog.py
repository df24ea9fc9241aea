"""The officer's decision on a fork: a commune's package that does not follow the one the office holds (the same
sending number with other data, or not built on it). Taking it in replaces the commune's data for the period,
so the dialog names the commune and the sending number, says what each answer does, and asks why."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from khuyenhoc_desktop.services.merge import Review


class ForkDecisionDialog(QDialog):
    """`accept_fork`: the officer is taking the package in (else keeping it out); `reason` once accepted."""

    def __init__(self, review: Review, accept_fork: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accept_fork = accept_fork
        what = (
            f"gói lần gửi {review.sequence} của {review.commune_name} (mã {review.commune_code}), năm {review.period}"
        )
        self.setWindowTitle("Nhận gói rẽ nhánh" if accept_fork else "Không nhận gói rẽ nhánh")
        self.setMinimumWidth(560)
        if accept_fork:
            text = (
                f"Nhận {what}?\n\nSố liệu năm {review.period} của xã tại cơ quan sẽ được thay bằng số liệu trong "
                "gói này (phần mềm sao lưu trước khi ghi). Chỉ nhận khi xã đã xác nhận đây là gói đúng."
            )
        else:
            text = (
                f"Không nhận {what}?\n\nGói không được ghi vào số liệu; quyết định và lý do được ghi vào nhật ký. "
                "Xã gửi lại gói đúng thì nhận như thường."
            )
        message = QLabel(text)
        message.setObjectName("fork_question")
        message.setWordWrap(True)
        why = QLabel("Vì sao: " + "; ".join(review.warnings)) if review.warnings else None
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(
            "Lý do" + ("" if accept_fork else " (bắt buộc)") + ", ví dụ: xã xác nhận qua điện thoại ngày …"
        )
        buttons = QDialogButtonBox()
        self.confirm_button = QPushButton("Nhận gói rẽ nhánh" if accept_fork else "Không nhận gói")
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        if why is not None:
            why.setWordWrap(True)
            layout.addWidget(why)
        layout.addWidget(QLabel("Lý do quyết định:"))
        layout.addWidget(self.reason_edit)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update)
        self.reason_edit.setFocus()
        self._update()

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _update(self) -> None:
        self.confirm_button.setEnabled(self.accept_fork or bool(self.reason))
