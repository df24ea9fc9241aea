"""The registers between "Hộ gia đình" and "Thùng rác" in the navigation, in the order officers use them.

Each page is a QWidget with a `changed` signal (emitted after it saved something) and a `reload()` that
re-reads its data; the main window builds a page when it is first shown, and reloads it when it is shown
after a change elsewhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.services.workspace import Workspace

PageFactory = Callable[[], QWidget]

# (title, module under ui/views, class): imported when the page is first shown, which keeps them off start-up.
_REGISTERS = (
    ("Dòng họ", "clans_view", "ClansView"),
    ("Đơn vị", "units_view", "UnitsView"),
    ("Ấp, khu phố", "hamlets_view", "HamletsView"),
    ("Công dân học tập", "citizens_view", "CitizensView"),
    ("Đăng ký, chấm điểm, công nhận", "evaluations_view", "EvaluationsView"),
    ("Học bổng, quà", "awards_view", "AwardsView"),
    ("Sổ quỹ khuyến học", "ledger_view", "LedgerView"),
    ("Hoạt động học tập", "activities_view", "ActivitiesView"),
    ("Mô hình, giấy khen", "honours_view", "HonoursView"),
    ("Thống kê, báo cáo", "statistics_view", "StatisticsView"),
    ("Bộ tiêu chí", "rubrics_view", "RubricsView"),
)


def _factory(workspace: Workspace, module: str, name: str) -> PageFactory:
    def build() -> QWidget:
        view: type[QWidget] = getattr(importlib.import_module(f"khuyenhoc_desktop.ui.views.{module}"), name)
        return view(workspace)  # type: ignore[call-arg]

    return build


def register_pages(workspace: Workspace) -> list[tuple[str, PageFactory]]:
    """Titles with the factories that build their pages (the main window builds a page when first shown)."""
    return [(title, _factory(workspace, module, name)) for title, module, name in _REGISTERS]
