"""Shared fixtures: offscreen Qt, a fresh data folder per test, message boxes answered by the test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from khuyenhoc_desktop.domain.profile import ProfileInput, Role
from khuyenhoc_desktop.services import office
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace

HAMLETS = ["Ấp Vĩnh Thạnh", "Ấp Phước Lợi", "Ấp Đông Điền"]


def commune_profile(**changes: object) -> ProfileInput:
    values: dict[str, object] = {
        "role": Role.COMMUNE,
        "province_code": "80",
        "commune_code": "28201",
        "association_name": "Hội Khuyến học xã Phước Vĩnh Tây",
        "officer_name": "Lê Thị Hoa",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Tư",
        "working_year": 2025,
    }
    values.update(changes)
    return ProfileInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "du-lieu"


@pytest.fixture
def blank_workspace(data_dir: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(data_dir)
    yield workspace
    workspace.close(backup=False)


@pytest.fixture
def workspace(blank_workspace: Workspace) -> Workspace:
    """A commune set up with three hamlets and nothing else."""
    profile_service.set_up(blank_workspace, commune_profile(), HAMLETS)
    return blank_workspace


@pytest.fixture
def office_ws(tmp_path: Path) -> Iterator[Workspace]:
    """Tây Ninh's province office (96 communes), with no key enrolled and nothing received."""
    workspace = Workspace.open(tmp_path / "van-phong")
    office.init_office(workspace, "tinh", "80")
    yield workspace
    workspace.close(backup=False)


@dataclass
class MessageLog:
    """What the officer would have been told; `answers` are the button indexes to press, in order."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.shown]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    from khuyenhoc_desktop.ui import messages as ui_messages

    log = MessageLog()

    def ask(_parent: object, _icon: object, title: str, text: str, buttons: tuple[str, ...] = ("Đóng",)) -> int:
        log.shown.append((title, text))
        return log.answers.pop(0) if log.answers else 0

    monkeypatch.setattr(ui_messages, "ask", ask)
    return log


class _InlinePool:
    """Runs tasks at once on the calling thread (after Picard's FakeThreadPool)."""

    def start(self, runnable: object) -> None:
        runnable.run()  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def inline_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from khuyenhoc_desktop.ui import worker
    except ImportError:  # the Qt-free test blocks PySide6
        return
    monkeypatch.setattr(worker, "pool", lambda: _InlinePool())
