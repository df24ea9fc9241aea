"""The registers between "Hộ gia đình" and "Thùng rác" in the navigation, in the order officers use them.

Each page is a QWidget with a `changed` signal (emitted after it saved something) and a `reload()` that
re-reads its data; the main window reloads a page when it is shown after a change elsewhere.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.ui.views.citizens_view import CitizensView
from khuyenhoc_desktop.ui.views.clans_view import ClansView
from khuyenhoc_desktop.ui.views.evaluations_view import EvaluationsView
from khuyenhoc_desktop.ui.views.hamlets_view import HamletsView
from khuyenhoc_desktop.ui.views.rubrics_view import RubricsView
from khuyenhoc_desktop.ui.views.statistics_view import StatisticsView
from khuyenhoc_desktop.ui.views.units_view import UnitsView


def register_pages(workspace: Workspace) -> list[tuple[str, QWidget]]:
    return [
        ("Dòng họ", ClansView(workspace)),
        ("Đơn vị", UnitsView(workspace)),
        ("Ấp, khu phố", HamletsView(workspace)),
        ("Công dân học tập", CitizensView(workspace)),
        ("Đăng ký, chấm điểm, công nhận", EvaluationsView(workspace)),
        ("Thống kê, báo cáo", StatisticsView(workspace)),
        ("Bộ tiêu chí", RubricsView(workspace)),
    ]
