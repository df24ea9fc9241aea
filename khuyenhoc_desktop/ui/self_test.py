"""`khuyenhoc self-test`: prove on this machine that the window opens, a household goes in and comes back, and a
small demo commune exports a signed package, reads its households list back from a workbook and prints its
families' certificates.

Run from the frozen folder, it is the check that no data file, font, hidden import or library (PDFium) went
missing from the build: every file of resources.REQUIRED is looked for where the bundle keeps it. It works on a
copy (of the given data folder, or of nothing) and on a scratch folder, so the officer's data is never touched.
Every line is flushed as it is printed: support sees how far it got, and benchmarks/bench_bundle.py times the
window's line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from khuyenhoc_desktop.domain.profile import ProfileInput, Role
from khuyenhoc_desktop.resources import REQUIRED, missing_resources
from khuyenhoc_desktop.storage.backup import copy_database
from khuyenhoc_desktop.storage.paths import database_path

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.workspace import Workspace

SELF_TEST_PROFILE = ProfileInput(
    role=Role.COMMUNE,
    province_code="80",
    commune_code="28201",
    association_name="Hội Khuyến học xã Phước Vĩnh Tây",
    officer_name="Kiểm tra tự động",
    signer_title="Chủ tịch",
    signer_name="Nguyễn Văn Kiểm",
    working_year=2025,
)


# Small enough to take well under a second, large enough that the demo's families are recognised by a decision.
DEMO_HOUSEHOLDS = 20
WINDOW_CHECK = "Mở cửa sổ chính"
RESOURCES_CHECK = "Tài nguyên đóng gói"


def _print_now(line: str) -> None:
    print(line, flush=True)


def run_self_test(data_dir: Path | None = None, report: Callable[[str], None] = _print_now) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from khuyenhoc_desktop.documents.reports import write_report
    from khuyenhoc_desktop.services import households as household_service
    from khuyenhoc_desktop.services import profile as profile_service
    from khuyenhoc_desktop.services.demo import create_demo
    from khuyenhoc_desktop.services.packages import export_package, verify_package
    from khuyenhoc_desktop.services.statistics import commune_statistics
    from khuyenhoc_desktop.services.workspace import Workspace
    from khuyenhoc_desktop.ui.app import application
    from khuyenhoc_desktop.ui.dialogs.household_dialog import HouseholdDialog
    from khuyenhoc_desktop.ui.main_window import MainWindow

    failures = 0

    def check(ok: bool, what: str) -> None:
        nonlocal failures
        failures += not ok
        report(f"{'ĐẠT ' if ok else 'LỖI '} {what}")

    missing = missing_resources()
    check(
        not missing,
        f"{RESOURCES_CHECK} ({len(REQUIRED)} tệp)" if not missing else f"{RESOURCES_CHECK}: thiếu {', '.join(missing)}",
    )
    with tempfile.TemporaryDirectory(prefix="khuyenhoc-selftest-") as scratch:
        work_dir = Path(scratch)
        if data_dir is not None and database_path(data_dir).exists():
            copy_database(database_path(data_dir), database_path(work_dir))
        workspace = Workspace.open(work_dir)
        profile = workspace.profile
        if profile is not None and profile.role == Role.CONSOLIDATING_OFFICE:
            # The checks below are a commune's work; an office's folder is checked on a fresh commune beside it.
            workspace.close(backup=False)
            workspace = Workspace.open(work_dir / "xa-kiem-tra")
        try:
            if not workspace.is_set_up:
                profile_service.set_up(workspace, SELF_TEST_PROFILE, ["Ấp Kiểm Tra"])
            if not profile_service.list_hamlets(workspace):
                profile_service.add_hamlet(workspace, "Ấp Kiểm Tra")
            app = application()
            window = MainWindow(workspace)
            window.show()
            app.processEvents()
            check(window.isVisible(), WINDOW_CHECK)
            check(
                QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy",
                "Nút, hộp thoại chuẩn của Qt nói tiếng Việt",
            )

            dialog = HouseholdDialog(workspace, parent=window)
            dialog.head_name.setText("Nguyễn Văn Đức")
            dialog.hamlet.setCurrentIndex(1)
            dialog.phone.setText("0909 123 456")
            dialog.save()
            saved = dialog.saved_id
            check(saved is not None, f"Lưu hộ mới {dialog.code.text()}")
            window.households.reload()
            shown = saved is not None and window.households.select_household(saved)
            check(bool(shown), "Hộ mới hiện trong sổ hộ gia đình")
            if saved is not None:
                back = household_service.household_input(workspace, saved)
                check(
                    back.head_name == "Nguyễn Văn Đức" and back.phone == "0909123456",
                    "Đọc lại đúng dữ liệu hộ",
                )
            stats = commune_statistics(workspace, workspace.working_year)
            for suffix in (".pdf", ".xlsx"):
                written = (Path(scratch) / "bao-cao").with_suffix(suffix)
                write_report(stats, written)
                check(written.is_file() and written.stat().st_size > 1000, f"Xuất báo cáo {suffix[1:].upper()}")
            exported = export_package(workspace, workspace.working_year, Path(scratch))
            checked = verify_package(exported.path)
            check(checked.manifest.sequence == exported.sequence, "Xuất và kiểm tra gói số liệu có chữ ký")
            window.close()
        finally:
            workspace.close(backup=False)
        demo_dir = work_dir / "xa-mau"
        summary = create_demo(demo_dir, households=DEMO_HOUSEHOLDS)
        check(summary.households == DEMO_HOUSEHOLDS, f"Tạo xã mẫu {summary.commune_name} ({DEMO_HOUSEHOLDS} hộ)")
        demo = Workspace.open(demo_dir)
        try:
            _check_demo(demo, work_dir / "xa-mau-ra", check)
        finally:
            demo.close(backup=False)
    report("Tự kiểm tra: đạt." if failures == 0 else f"Tự kiểm tra: {failures} mục lỗi.")
    return 0 if failures == 0 else 1


def _check_demo(workspace: Workspace, out: Path, check: Callable[[bool, str], None]) -> None:
    """The demo commune's package, verified as the office would, and its families' recognition certificates of
    the latest year with a decision, written as a PDF that PDFium opens and whose QR statements check out."""
    from khuyenhoc_desktop.documents.certificates import write_certificates
    from khuyenhoc_desktop.domain.certificates import CertificateKind
    from khuyenhoc_desktop.domain.titles import Title
    from khuyenhoc_desktop.services import certificates, evaluations
    from khuyenhoc_desktop.services.packages import export_package, verify_package
    from khuyenhoc_desktop.ui.pdf_pages import PdfPages

    out.mkdir()
    year = workspace.working_year
    exported = export_package(workspace, year, out)
    checked = verify_package(exported.path)
    check(
        checked.manifest.sequence == exported.sequence and exported.path.stat().st_size > 1000,
        "Xuất và kiểm tra gói số liệu của xã mẫu",
    )
    _check_import(workspace, out / "mau-danh-sach-ho.xlsx", check)
    kind = CertificateKind.RECOGNITION.value
    decided = [y for y in range(year, year - 5, -1) if evaluations.list_decisions(workspace, y, Title.FAMILY)]
    if not decided:
        check(False, "Xã mẫu có quyết định công nhận Gia đình học tập")
        return
    family_ids = [r.id for r in certificates.recipients(workspace, kind, decided[0], Title.FAMILY)]
    pdf = out / "giay-cong-nhan.pdf"
    printed = certificates.issue(
        workspace, kind, decided[0], family_ids, Title.FAMILY, output=lambda texts: write_certificates(texts, pdf)
    )
    with PdfPages(pdf) as pages:
        opened = pages.page_count == len(printed) > 0 and not pages.render_to_width(0, 400).isNull()
    genuine = all(certificates.check(workspace, c.qr_text).genuine for c in printed)
    check(
        opened and genuine,
        f"In {len(printed)} giấy công nhận Gia đình học tập năm {decided[0]} (PDF đọc được, mã QR hợp lệ)",
    )


def _check_import(workspace: Workspace, path: Path, check: Callable[[bool, str], None]) -> None:
    """The households template filled with the register (openpyxl) read back by the import (python-calamine):
    every household unchanged."""
    from khuyenhoc_desktop.services.household_import import HOUSEHOLDS
    from khuyenhoc_desktop.services.import_workbooks import write_template
    from khuyenhoc_desktop.services.spreadsheet_import import Outcome, preview

    written = write_template(workspace, HOUSEHOLDS, path, filled=True)
    read = preview(workspace, HOUSEHOLDS, path)
    same = written > 0 and read.count(Outcome.SAME) == written == len(read.rows) and not read.problems
    check(same, f"Nhập lại mẫu danh sách hộ kèm số liệu ({written} hộ, không đổi)")
