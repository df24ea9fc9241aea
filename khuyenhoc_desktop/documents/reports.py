"""Write the commune report in the format its file name asks for; the window and the command line both
come through here, so they accept the same names and refuse in the same words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from khuyenhoc_desktop.documents.report_pdf import write_report_pdf
from khuyenhoc_desktop.documents.report_workbook import write_report_workbook
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services.statistics import CommuneStatistics

REPORT_WRITERS: dict[str, Callable[[CommuneStatistics, Path], None]] = {
    ".xlsx": write_report_workbook,
    ".pdf": write_report_pdf,
}


def write_report(stats: CommuneStatistics, path: Path) -> None:
    writer = REPORT_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise UserError(
            f"Không ghi được báo cáo vào «{path.name}»: tên tệp phải kết thúc bằng .xlsx (bảng tính Excel) "
            "hoặc .pdf (bản in)."
        )
    try:
        writer(stats, path)
    except OSError as error:  # most often the same file is still open in Excel or a PDF reader
        raise UserError(
            f"Không ghi được tệp {path}. Hãy xem thư mục còn đó và được phép ghi, tệp không đang mở trong Excel "
            "hoặc trình đọc PDF, rồi thử lại."
        ) from error
