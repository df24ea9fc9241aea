"""`khuyenhoc`: the window, and every job of the window without one.

The commands call the same services as the window, so a script, a support call over the phone or the
frozen app's self-test sees exactly what the officer would. Qt is imported only by the two commands that
need it, which keeps the rest usable (and tested) on a machine with no Qt at all.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from khuyenhoc_desktop import APP_NAME, APP_TITLE, __version__
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.household import HouseholdInput, Sex, format_phone
from khuyenhoc_desktop.domain.profile import ProfileInput, Role, default_association_name
from khuyenhoc_desktop.domain.text import fold, format_count, matches, nfc
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services import statistics as statistics_service
from khuyenhoc_desktop.services.demo import DEFAULT_DEMO_COMMUNE, DEFAULT_DEMO_HOUSEHOLDS, create_demo
from khuyenhoc_desktop.services.profile import HamletRow
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import backups_dir, database_path, default_data_dir, demo_data_dir

# Python ships no Vietnamese catalogue for argparse's own words; these are the ones an officer meets.
_ARGPARSE_WORDS = (
    ("the following arguments are required: ", "thiếu tham số bắt buộc: "),
    ("unrecognized arguments: ", "tham số không hiểu được: "),
    ("argument ", "tham số "),
    ("invalid choice: ", "giá trị không hợp lệ: "),
    ("(choose from ", "(chọn một trong "),
    ("invalid int value: ", "không phải số nguyên: "),
    ("expected one argument", "cần một giá trị"),
)

# Which option to correct when a service refuses a field: the message names the form's field.
_OPTION_OF_FIELD = {
    "role": "--role",
    "province_code": "--province",
    "commune_code": "--commune",
    "association_name": "--association",
    "officer_name": "--officer",
    "signer_title": "--signer-title",
    "signer_name": "--signer-name",
    "working_year": "--year",
    "hamlets": "--hamlet",
    "code": "--code",
    "head_name": "--head",
    "hamlet_id": "--hamlet",
    "head_birth_year": "--birth-year",
    "head_sex": "--sex",
    "address": "--address",
    "phone": "--phone",
    "note": "--note",
}

EXIT_REFUSED = 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Vietnamese in its headings, its -h and its error line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False  # our own -h, below, with a Vietnamese help line
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        for english, vietnamese in _ARGPARSE_WORDS:
            message = message.replace(english, vietnamese)
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"{self.prog}: lỗi: {message}\n")


class _Needs(Enum):
    """What a command needs of its data folder before it may open it."""

    ANYTHING = "anything"  # may create the folder: setup, restore onto a new machine
    DATABASE = "database"  # an existing database, set up or not
    PROFILE = "profile"  # a folder set up for a commune or a consolidating office


Job = Callable[[argparse.Namespace, Workspace], None]


def _data_dir(args: argparse.Namespace) -> Path:
    """--data-dir wins; otherwise the demo folder for --demo and `demo`, else the officer's own folder."""
    if args.data_dir:
        return Path(args.data_dir).expanduser()
    return demo_data_dir() if args.demo else default_data_dir()


@contextmanager
def _open_workspace(data_dir: Path, needs: _Needs) -> Iterator[Workspace]:
    """Open, check and always close the folder.

    No backup on close: a script adding households one command at a time would otherwise rotate the
    officer's ten backups away within minutes. `khuyenhoc backup` is there for that.
    """
    if needs is not _Needs.ANYTHING and not database_path(data_dir).is_file():
        raise UserError(
            f"Thư mục {data_dir} chưa có dữ liệu của phần mềm. "
            f"Hãy thiết lập bằng lệnh «{APP_NAME} setup» hoặc mở phần mềm."
        )
    workspace = Workspace.open(data_dir)
    try:
        if needs is _Needs.PROFILE and not workspace.is_set_up:
            raise UserError(f"Thư mục {data_dir} chưa được thiết lập. Hãy chạy «{APP_NAME} setup» hoặc mở phần mềm.")
        yield workspace
    finally:
        workspace.close(backup=False)


def _with_workspace(job: Job, needs: _Needs) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with _open_workspace(_data_dir(args), needs) as workspace:
            job(args, workspace)
        return 0

    return run


def _print_rows(headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = "table") -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return
    cells = [[str(c) for c in row] for row in (headers, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


# --- the window and the self-test (the only commands that import Qt) ---


def _start_gui(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.ui.app import run_gui

    return run_gui(_data_dir(args), demo=args.demo)


def _self_test(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.ui.self_test import run_self_test

    return run_self_test(Path(args.data_dir).expanduser() if args.data_dir else None)


# --- the demo commune ---


def _progress_printer() -> Callable[[int, int], None]:
    """Report every tenth of the way on stderr, so stdout keeps just the summary."""
    last_step = -1

    def report(done: int, total: int) -> None:
        nonlocal last_step
        percent = done * 100 // total if total else 100
        if percent // 10 != last_step:
            last_step = percent // 10
            print(f"Đang tạo xã mẫu… {percent}%", file=sys.stderr, flush=True)

    return report


def _demo(args: argparse.Namespace) -> int:
    chosen = {"households": args.households, "seed": args.seed, "commune_code": args.commune}
    summary = create_demo(
        _data_dir(args), progress=_progress_printer(), **{k: v for k, v in chosen.items() if v is not None}
    )
    print(
        f"Đã tạo xã mẫu {summary.commune_name}, {summary.province_name}: {summary.hamlets} ấp, "
        f"{format_count(summary.households)} hộ gia đình, {format_count(summary.members)} nhân khẩu "
        f"(trong đó {format_count(summary.deleted_households)} hộ đang ở thùng rác).\n"
        f"Thư mục dữ liệu: {summary.data_dir}\n"
        f'Mở bằng: {APP_NAME} --data-dir "{summary.data_dir}"'
    )
    return 0


# --- setup ---


def _set_up(args: argparse.Namespace, workspace: Workspace) -> None:
    commune = args.commune or ""
    data = ProfileInput(
        role=args.role,
        province_code=args.province,
        commune_code=commune,
        association_name=args.association or default_association_name(args.role, args.province, commune),
        officer_name=args.officer,
        signer_title=args.signer_title,
        signer_name=args.signer_name,
        working_year=args.year,
    )
    profile_service.set_up(workspace, data, args.hamlet)
    profile = workspace.profile
    assert profile is not None  # set_up either stored it or raised
    unit = ", ".join(name for name in (profile.commune_name, profile.province_name) if name)
    hamlets = [h.name for h in profile_service.list_hamlets(workspace)]
    print(f"Đã thiết lập {profile.association_name} ({unit}), năm làm việc {profile.working_year}.")
    if hamlets:
        print(f"{len(hamlets)} ấp: {', '.join(hamlets)}.")


# --- backups ---


def _format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _back_up(_args: argparse.Namespace, workspace: Workspace) -> None:
    print(f"Đã sao lưu: {backup_service.back_up_now(workspace)}")


def _list_backups(_args: argparse.Namespace, workspace: Workspace) -> None:
    found = backup_service.backups(workspace)
    if not found:
        print(f"Chưa có bản sao lưu nào trong {backups_dir(workspace.data_dir)}.")
        return
    rows = [(b.created.strftime("%d/%m/%Y %H:%M"), b.reason_label, _format_size(b.size), b.path.name) for b in found]
    _print_rows(("Thời gian", "Lý do", "Dung lượng", "Tệp"), rows)
    print(f"Thư mục sao lưu: {backups_dir(workspace.data_dir)}")


def _backup_file(workspace: Workspace, given: str) -> Path:
    """A path, or just a file name from `khuyenhoc backups`, looked up in the folder's backups."""
    path = Path(given).expanduser()
    for candidate in (path, backups_dir(workspace.data_dir) / path.name):
        if candidate.is_file():
            return candidate
    raise UserError(f"Không tìm thấy tệp sao lưu «{given}». Dữ liệu hiện tại giữ nguyên.")


def _restore(args: argparse.Namespace, workspace: Workspace) -> None:
    source = _backup_file(workspace, args.source)
    safety = backup_service.restore_backup(workspace, source)
    print(f"Đã khôi phục dữ liệu từ {source.name}.\nDữ liệu trước khi khôi phục được sao lưu tại: {safety}")


# --- households ---


def _find_hamlet(workspace: Workspace, name: str) -> HamletRow:
    """The hamlet an officer means, typed with or without accents, with or without "Ấp"."""
    hamlets = profile_service.list_hamlets(workspace)
    found = [h for h in hamlets if fold(h.name) == fold(name)] or [h for h in hamlets if matches(fold(h.name), name)]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"«{nfc(name)}» khớp với nhiều ấp: {', '.join(h.name for h in found)}. Hãy ghi rõ hơn.")
    raise UserError(f"Không có ấp «{nfc(name)}». Các ấp hiện có: {', '.join(h.name for h in hamlets)}.")


_SORTS: dict[str, Callable[[household_service.HouseholdRow], tuple[object, ...]]] = {
    "code": lambda row: (row.code,),
    "name": lambda row: (row.head_sort, row.code),
    "hamlet": lambda row: (row.hamlet_position, row.head_sort, row.code),
}


def _list_households(args: argparse.Namespace, workspace: Workspace) -> None:
    rows = household_service.list_households(workspace)
    if args.search:
        rows = [row for row in rows if matches(row.search_key, args.search)]
    if args.hamlet:
        hamlet_id = _find_hamlet(workspace, args.hamlet).id
        rows = [row for row in rows if row.hamlet_id == hamlet_id]
    rows.sort(key=_SORTS[args.sort])
    table = [
        (r.code, r.head_name, r.hamlet_name, r.member_count, r.address, format_phone(r.phone) if r.phone else "")
        for r in rows
    ]
    _print_rows(("Mã hộ", "Chủ hộ", "Ấp", "Nhân khẩu", "Địa chỉ", "Điện thoại"), table, args.format)
    if args.format == "table":
        print(f"Tổng: {format_count(len(rows))} hộ." if rows else "Không có hộ nào khớp.")


def _add_household(args: argparse.Namespace, workspace: Workspace) -> None:
    hamlet = _find_hamlet(workspace, args.hamlet)
    data = HouseholdInput(
        code=args.code or household_service.next_household_code(workspace),
        head_name=args.head,
        hamlet_id=hamlet.id,
        head_birth_year=args.birth_year,
        head_sex=args.sex,
        address=args.address,
        phone=args.phone,
        note=args.note,
    )
    household_id = household_service.create_household(workspace, data)
    saved = household_service.household_input(workspace, household_id)
    print(f"Đã thêm hộ {saved.code} — chủ hộ {saved.head_name}, {hamlet.name}.")


def _clean_code(code: str) -> str:
    return nfc(code).upper()


def _delete_household(args: argparse.Namespace, workspace: Workspace) -> None:
    code = _clean_code(args.code)
    household_id = household_service.find_household(workspace, code)
    if household_id is None:
        raise UserError(f"Không có hộ mã «{code}» trong sổ.")
    head = household_service.household_input(workspace, household_id).head_name
    household_service.delete_household(workspace, household_id)
    print(f"Đã chuyển hộ {code} — {head} vào thùng rác. Lấy lại bằng: {APP_NAME} household-restore --code {code}")


def _restore_household(args: argparse.Namespace, workspace: Workspace) -> None:
    """The most recently deleted household with that code (the bin may hold several)."""
    code = _clean_code(args.code)
    household_id = household_service.find_household(workspace, code, deleted=True)
    if household_id is None:
        raise UserError(f"Thùng rác không có hộ mã «{code}».")
    household_service.restore_household(workspace, household_id)
    print(f"Đã khôi phục hộ {code} từ thùng rác.")


# --- the commune report ---


def _report(args: argparse.Namespace, workspace: Workspace) -> None:
    # Imported here: reportlab and openpyxl would slow every other command's start by a sixth of a second.
    from khuyenhoc_desktop.documents.reports import write_report

    out = Path(args.out).expanduser()
    year = args.year or workspace.working_year
    stats = statistics_service.commune_statistics(workspace, year)
    write_report(stats, out)
    print(f"Đã ghi báo cáo năm {year} ({len(stats.hamlets)} ấp) vào {out}")
    rows = [
        (
            figures.title_label,
            format_count(figures.total),
            format_count(figures.registered),
            format_count(figures.recognised),
            f"{statistics_service.rate_text(figures.rate)} ({figures.denominator_label})",
        )
        for figures in stats.total.values()
    ]
    _print_rows(("Danh hiệu", *statistics_service.FIGURE_HEADERS, "Tỷ lệ công nhận"), rows)


# --- the parser ---


def _add_data_dir(parser: argparse.ArgumentParser, where: str) -> None:
    # SUPPRESS: a --data-dir given before the command name is kept when none follows it.
    parser.add_argument("--data-dir", metavar="THƯ_MỤC", default=argparse.SUPPRESS, help=where)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=APP_NAME,
        description=f"{APP_TITLE} — sổ quản lý xã hội học tập cho Hội Khuyến học.\nKhông ghi lệnh: mở cửa sổ phần mềm.",
        epilog=f"Ví dụ:\n  {APP_NAME} --demo                  mở phần mềm với xã mẫu\n"
        f'  {APP_NAME} households --search "nguyen van"\n'
        f"Hướng dẫn từng lệnh: {APP_NAME} LỆNH --help",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="hiện phiên bản")
    parser.add_argument(
        "--data-dir",
        metavar="THƯ_MỤC",
        default=None,
        help=f"thư mục dữ liệu (mặc định: thư mục riêng của người dùng, {default_data_dir()})",
    )
    parser.add_argument(
        "--demo", action="store_true", help=f"dùng xã mẫu để làm quen, tạo khi chưa có (ở {demo_data_dir()})"
    )
    parser.set_defaults(run=_start_gui)
    commands = parser.add_subparsers(title="lệnh", metavar="LỆNH", dest="command")

    def command(name: str, summary: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary + ".")
        sub.set_defaults(run=run)
        return sub

    def workspace_command(name: str, summary: str, job: Job, needs: _Needs) -> argparse.ArgumentParser:
        sub = command(name, summary, _with_workspace(job, needs))
        _add_data_dir(sub, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
        return sub

    demo = command("demo", "Tạo xã mẫu với dữ liệu minh họa, không mở cửa sổ", _demo)
    _add_data_dir(demo, f"nơi tạo xã mẫu (mặc định: {demo_data_dir()})")
    demo.set_defaults(demo=True)
    # No defaults here: create_demo's own are the ones the window uses too.
    demo.add_argument(
        "--households", type=int, metavar="SỐ", help=f"số hộ gia đình (mặc định {DEFAULT_DEMO_HOUSEHOLDS})"
    )
    demo.add_argument("--seed", type=int, metavar="SỐ", help="hạt giống ngẫu nhiên: cùng số thì cùng dữ liệu")
    demo.add_argument("--commune", metavar="MÃ_XÃ", help=f"mã xã, phường 5 chữ số (mặc định {DEFAULT_DEMO_COMMUNE})")

    self_test = command(
        "self-test",
        "Tự kiểm tra trên máy này: mở cửa sổ chính (không hiện ra màn hình), thêm và đọc lại một hộ, rồi thoát",
        _self_test,
    )
    _add_data_dir(self_test, "thử trên bản sao dữ liệu của thư mục này, bản gốc giữ nguyên (mặc định: dữ liệu trống)")

    setup = workspace_command(
        "setup", "Thiết lập thư mục dữ liệu mới: vai trò, đơn vị, người ký, các ấp", _set_up, _Needs.ANYTHING
    )
    setup.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="xa: Hội xã, phường; tong_hop: cơ quan tổng hợp"
    )
    setup.add_argument("--province", required=True, metavar="MÃ_TỈNH", help="mã tỉnh, thành phố 2 chữ số")
    setup.add_argument("--commune", metavar="MÃ_XÃ", help="mã xã, phường 5 chữ số (bắt buộc với vai trò xa)")
    setup.add_argument(
        "--hamlet",
        action="append",
        default=[],
        metavar="TÊN",
        help="tên một ấp, thôn, khu phố; ghi nhiều lần cho nhiều ấp",
    )
    setup.add_argument("--association", metavar="TÊN", help="tên Hội (mặc định: theo tên xã hoặc tỉnh)")
    setup.add_argument("--officer", required=True, metavar="HỌ_TÊN", help="họ tên cán bộ nhập liệu")
    setup.add_argument("--signer-title", required=True, metavar="CHỨC_DANH", help="chức danh người ký, ví dụ Chủ tịch")
    setup.add_argument("--signer-name", required=True, metavar="HỌ_TÊN", help="họ tên người ký")
    setup.add_argument(
        "--year", type=int, default=date.today().year, metavar="NĂM", help="năm làm việc (mặc định năm nay)"
    )

    workspace_command("backup", "Sao lưu dữ liệu ngay", _back_up, _Needs.DATABASE)
    workspace_command("backups", "Liệt kê các bản sao lưu, mới nhất trước", _list_backups, _Needs.DATABASE)
    restore = workspace_command(
        "restore",
        "Khôi phục dữ liệu từ một bản sao lưu (dữ liệu hiện tại được sao lưu trước)",
        _restore,
        _Needs.ANYTHING,
    )
    restore.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="TỆP",
        help="tệp sao lưu: đường dẫn, hoặc tên tệp trong danh sách của lệnh backups",
    )

    households = workspace_command(
        "households", "Liệt kê hộ gia đình; tìm không cần gõ dấu", _list_households, _Needs.PROFILE
    )
    households.add_argument("--search", metavar="CHỮ", help="tìm theo mã hộ, tên chủ hộ, địa chỉ, điện thoại, ghi chú")
    households.add_argument("--hamlet", metavar="TÊN", help="chỉ các hộ của ấp này")
    households.add_argument(
        "--sort",
        choices=list(_SORTS),
        default="code",
        help="xếp theo mã hộ (code), tên chủ hộ theo thứ tự tiếng Việt (name), hoặc ấp (hamlet)",
    )
    households.add_argument(
        "--format", choices=["table", "csv"], default="table", help="bảng để đọc (table) hoặc CSV UTF-8 (csv)"
    )

    add = workspace_command("household-add", "Thêm một hộ gia đình", _add_household, _Needs.PROFILE)
    add.add_argument("--code", metavar="MÃ", help="mã hộ (mặc định: mã kế tiếp)")
    add.add_argument("--head", required=True, metavar="HỌ_TÊN", help="họ tên chủ hộ")
    add.add_argument("--hamlet", required=True, metavar="TÊN", help="ấp của hộ, gõ có dấu hoặc không dấu")
    add.add_argument("--birth-year", type=int, metavar="NĂM", help="năm sinh chủ hộ")
    add.add_argument("--sex", choices=[s.value for s in Sex], default=Sex.MALE.value, help="giới tính chủ hộ")
    add.add_argument("--address", default="", metavar="ĐỊA_CHỈ", help="địa chỉ")
    add.add_argument("--phone", default="", metavar="SỐ", help="số điện thoại")
    add.add_argument("--note", default="", metavar="GHI_CHÚ", help="ghi chú")

    for name, summary, job in (
        ("household-delete", "Chuyển một hộ vào thùng rác", _delete_household),
        ("household-restore", "Lấy một hộ từ thùng rác về sổ", _restore_household),
    ):
        workspace_command(name, summary, job, _Needs.PROFILE).add_argument(
            "--code", required=True, metavar="MÃ", help="mã hộ"
        )

    report = workspace_command(
        "report",
        "Ghi báo cáo kết quả xây dựng các mô hình học tập của một năm, từng ấp và toàn xã, ra tệp Excel hoặc PDF",
        _report,
        _Needs.PROFILE,
    )
    report.add_argument("--year", type=int, metavar="NĂM", help="năm báo cáo (mặc định: năm làm việc)")
    report.add_argument(
        "--out", required=True, metavar="TỆP", help="tệp kết quả: .xlsx (bảng tính Excel) hoặc .pdf (bản in)"
    )
    return parser


def _use_utf8_streams() -> None:
    """Vietnamese must print on a Windows console or into a redirected file, whatever the code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None in a windowed build, or a plain object
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.field in _OPTION_OF_FIELD:
        return f"{error} (tùy chọn {_OPTION_OF_FIELD[error.field]})"
    return str(error)


def main(argv: list[str] | None = None) -> int:
    _use_utf8_streams()
    try:
        args = _build_parser().parse_args(argv)
    except SystemExit as stop:  # --help and --version (0), or a usage error already explained on stderr
        return int(stop.code or 0)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (UserError, ValidationError) as error:
        print(_refusal(error), file=sys.stderr)
        return EXIT_REFUSED
