"""The pages of the navigation, in the order officers use them: a commune's registers between "Hộ gia đình" and
"Thùng rác", or a consolidating office's pages.

Each page is a QWidget with a `changed` signal (emitted after it saved something) and a `reload()` that
re-reads its data; the main window builds a page when it is first shown, and reloads it when it is shown
after a change elsewhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from khuyenhoc_desktop.domain.profile import Role
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


# A consolidating office's pages: who has sent, receiving packages, the communes' records, duplicates between
# communes, the consolidated report, the communes with their keys; then its own recognitions and commendations
# (province-level schools and agencies as Đơn vị học tập, its giấy khen), printed with its own serials.
_OFFICE_PAGES = (
    ("Tình hình nhận gói", "submission_board_view", "SubmissionBoardView"),
    ("Nhận gói số liệu", "office_import_view", "OfficeImportView"),
    ("Số liệu các xã, phường", "office_tables_view", "OfficeTablesView"),
    ("Trùng giữa các xã", "office_duplicates_view", "OfficeDuplicatesView"),
    ("Báo cáo tổng hợp", "office_report_view", "OfficeReportView"),
    ("Xã, phường và khóa ký", "office_communes_view", "OfficeCommunesView"),
    ("Đơn vị", "units_view", "UnitsView"),
    ("Đăng ký, chấm điểm, công nhận", "evaluations_view", "EvaluationsView"),
    ("Mô hình, giấy khen", "honours_view", "HonoursView"),
)


def register_pages(workspace: Workspace) -> list[tuple[str, PageFactory]]:
    """Titles with the factories that build their pages (the main window builds a page when first shown): a
    commune's registers between its households and its recycle bin, or a consolidating office's pages."""
    profile = workspace.profile
    office = profile is not None and profile.role == Role.CONSOLIDATING_OFFICE
    return [
        (title, _factory(workspace, module, name)) for title, module, name in (_OFFICE_PAGES if office else _REGISTERS)
    ]
