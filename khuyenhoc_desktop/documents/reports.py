"""Write the commune report, or an office's consolidated report, in the format its file name asks for; the window
and the command line both come through here, so they accept the same names and refuse in the same words."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from khuyenhoc_desktop.documents.office_report_pdf import write_office_report_pdf
from khuyenhoc_desktop.documents.office_report_workbook import write_office_report_workbook
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.report_pdf import write_report_pdf
from khuyenhoc_desktop.documents.report_workbook import write_report_workbook
from khuyenhoc_desktop.services.office_report import OfficeReport
from khuyenhoc_desktop.services.statistics import CommuneStatistics

REPORT_WRITERS: dict[str, Callable[[CommuneStatistics, Path], None]] = {
    ".xlsx": write_report_workbook,
    ".pdf": write_report_pdf,
}


def write_report(stats: CommuneStatistics, path: Path) -> None:
    write_as(path, "báo cáo", {suffix: partial(writer, stats) for suffix, writer in REPORT_WRITERS.items()})


OFFICE_REPORT_WRITERS: dict[str, Callable[[OfficeReport, Path], None]] = {
    ".xlsx": write_office_report_workbook,
    ".pdf": write_office_report_pdf,
}


def write_office_report(report: OfficeReport, path: Path) -> None:
    writers = {suffix: partial(writer, report) for suffix, writer in OFFICE_REPORT_WRITERS.items()}
    write_as(path, "báo cáo tổng hợp", writers)
