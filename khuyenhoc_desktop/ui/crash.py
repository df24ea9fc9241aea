"""Unexpected errors: written to the log in the data folder and shown in Vietnamese; the app stays open."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from khuyenhoc_desktop import __version__
from khuyenhoc_desktop.storage.paths import logs_dir
from khuyenhoc_desktop.ui import messages

log = logging.getLogger("khuyenhoc")
LOG_NAME = "khuyenhoc.log"


def start_logging(data_dir: Path) -> Path:
    folder = logs_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in log.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.info("Khởi động khuyenhoc %s, dữ liệu tại %s", __version__, data_dir)
    return path


def install_excepthook(log_path: Path) -> None:
    def report(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("Lỗi không mong muốn:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        messages.ask(
            None,
            messages.Icon.Critical,
            "Lỗi không mong muốn",
            "Phần mềm gặp một lỗi không lường trước; thao tác vừa rồi có thể chưa hoàn tất, "
            "nhưng dữ liệu đã lưu trước đó không bị ảnh hưởng.\n\n"
            f"Chi tiết: {value}\n\nNhật ký lỗi được ghi tại:\n{log_path}\n"
            "Hãy gửi tệp này cho bộ phận hỗ trợ nếu lỗi lặp lại.",
        )

    sys.excepthook = report
    threading.excepthook = lambda args: log.error(
        "Lỗi trong luồng nền:\n%s",
        "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)),
    )
