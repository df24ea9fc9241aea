"""Where every document is written: in the format its file name asks for, with a wrong name or a file that
cannot be written refused in words the officer can act on, the same for the report, a list and a voucher."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from khuyenhoc_desktop.domain.errors import UserError

FORMAT_NAMES: dict[str, str] = {".xlsx": ".xlsx (bảng tính Excel)", ".pdf": ".pdf (bản in)"}


def write_as(path: Path, what: str, writers: Mapping[str, Callable[[Path], None]]) -> None:
    """Write `what` ("báo cáo", "danh sách") with the writer of the path's suffix, offered in `writers`' order."""
    writer = writers.get(path.suffix.lower())
    if writer is None:
        formats = " hoặc ".join(FORMAT_NAMES[suffix] for suffix in writers)
        raise UserError(f"Không ghi được {what} vào «{path.name}»: tên tệp phải kết thúc bằng {formats}.")
    try:
        writer(path)
    except OSError as error:  # most often the same file is still open in Excel or a PDF reader
        raise UserError(
            f"Không ghi được tệp {path}. Hãy xem thư mục còn đó và được phép ghi, tệp không đang mở trong Excel "
            "hoặc trình đọc PDF, rồi thử lại."
        ) from error
