"""`khuyenhoc`: the window, and every job of the window without one.

The commands call the same services as the window, so a script, a support call over the phone or the
frozen app's self-test sees exactly what the officer would. Qt is imported only by the two commands that
need it, which keeps the rest usable (and tested) on a machine with no Qt at all.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NoReturn, Protocol, TypeVar

from khuyenhoc_desktop import APP_NAME, APP_TITLE, __version__
from khuyenhoc_desktop.domain.activities import (
    ACTIVITY_KIND_LABELS,
    ACTIVITY_KIND_NOUNS,
    ActivityInput,
    TargetProgress,
    count_unit,
)
from khuyenhoc_desktop.domain.awards import (
    AWARD_CATEGORY_LABELS,
    AWARD_KIND_LABELS,
    AwardEventInput,
    AwardInput,
    school_text,
)
from khuyenhoc_desktop.domain.clan import ClanInput
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.honours import (
    HONOUR_KIND_LABELS,
    HONOUR_LEVEL_LABELS,
    RECIPIENT_KIND_LABELS,
    HonourInput,
    RecipientKind,
)
from khuyenhoc_desktop.domain.household import (
    LEARNING_STATUS_LABELS,
    MEMBER_FIELD_LABELS,
    RELATION_LABELS,
    SEX_LABELS,
    HouseholdInput,
    LearningStatus,
    MemberInput,
    Relation,
    Sex,
    clean_member,
    format_phone,
)
from khuyenhoc_desktop.domain.import_values import words
from khuyenhoc_desktop.domain.ledger import (
    PAYMENT_CATEGORY_LABELS,
    RECEIPT_CATEGORY_LABELS,
    VOUCHER_NAMES,
    Direction,
    LedgerInput,
    entry_record,
)
from khuyenhoc_desktop.domain.profile import ProfileInput, Role, default_association_name
from khuyenhoc_desktop.domain.rubric import Criterion, Rubric, check_rubric, criteria_from_json, criteria_to_json
from khuyenhoc_desktop.domain.text import (
    amount_in_words,
    fold,
    format_count,
    format_date,
    format_local_time,
    format_percent,
    format_vnd,
    matches,
    nfc,
    parse_date,
)
from khuyenhoc_desktop.domain.titles import SUBJECT_PLURAL, TITLE_LABELS, TITLE_SUBJECT, Subject, Title
from khuyenhoc_desktop.domain.unit import UNIT_KIND_LABELS, UnitInput, UnitKind
from khuyenhoc_desktop.services import activities as activity_service
from khuyenhoc_desktop.services import awards as award_service
from khuyenhoc_desktop.services import backups as backup_service
from khuyenhoc_desktop.services import citizen_import, hamlet_register, recycle_bin
from khuyenhoc_desktop.services import citizens as citizen_service
from khuyenhoc_desktop.services import clans as clan_service
from khuyenhoc_desktop.services import evaluations as evaluation_service
from khuyenhoc_desktop.services import honours as honour_service
from khuyenhoc_desktop.services import households as household_service
from khuyenhoc_desktop.services import ledger as ledger_service
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services import rubrics as rubric_service
from khuyenhoc_desktop.services import statistics as statistics_service
from khuyenhoc_desktop.services import units as unit_service
from khuyenhoc_desktop.services.activities import ActivityRow
from khuyenhoc_desktop.services.awards import AwardRow, EventRow
from khuyenhoc_desktop.services.deleted import BinSource, DeletedRecord
from khuyenhoc_desktop.services.demo import DEFAULT_DEMO_COMMUNE, DEFAULT_DEMO_HOUSEHOLDS, create_demo
from khuyenhoc_desktop.services.evaluations import EvaluationRow
from khuyenhoc_desktop.services.honours import HonourRow
from khuyenhoc_desktop.services.households import HouseholdRow, MemberRow
from khuyenhoc_desktop.services.ledger import LedgerRow, NegativeBalance
from khuyenhoc_desktop.services.profile import HamletRow
from khuyenhoc_desktop.services.subjects import SubjectRow, list_subjects
from khuyenhoc_desktop.services.support_statistics import SUPPORT_HEADING, fund_text, support_lines
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import (
    backups_dir,
    database_path,
    default_data_dir,
    demo_data_dir,
    demo_office_data_dir,
    logs_dir,
)

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.certificates import Recipient
    from khuyenhoc_desktop.services.keys import KeyInfo
    from khuyenhoc_desktop.services.merge import Review
    from khuyenhoc_desktop.services.spreadsheet_import import Options

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
    "name": "--name",
    "representative": "--representative",
    "hamlet_ids": "--hamlet",
    "household_ids": "--household",
    "kind": "--kind",
    "staff_count": "--staff",
    "full_name": "--name",
    "birth_year": "--birth-year",
    "sex": "--sex",
    "registered_on": "--date",
    "number": "--number",
    "signed_on": "--date",
    "relation": "--relation",
    "school": "--school",
    "learning_status": "--status",
    "pass_mark": "--pass-mark",
    "valid_to": "--valid-to",
    "member_id": "--member",
    "pupil_name": "--pupil",
    "category": "--category",
    "value_vnd": "--value",
    "sponsor": "--sponsor",
    "grade": "--grade",
    "school_year": "--school-year",
    "awarded_on": "--date",
    "event_id": "--event",
    "recurring": "--recurring",
    "post_to_ledger": "--post-to-fund",
    "held_on": "--date",
    "place": "--place",
    "entry_on": "--date",
    "counterpart": "--counterpart",
    "amount": "--amount",
    "voucher_no": "--voucher",
    "starts_on": "--date",
    "ends_on": "--end",
    "field": "--field",
    "participants": "--participants",
    "recipient": "--recipient",
    "recipient_kind": "--recipient-kind",
    "level": "--level",
    "issuer": "--issuer",
    "decision_no": "--decision",
    "honoured_on": "--date",
    "content": "--content",
}

EXIT_REFUSED = 2

_TITLE_CHOICES = ", ".join(f"{code} ({label})" for code, label in TITLE_LABELS.items())
_KIND_CHOICES = ", ".join(f"{code} ({label})" for code, label in UNIT_KIND_LABELS.items())


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
    if args.demo:
        return demo_office_data_dir() if getattr(args, "office", False) else demo_data_dir()
    return default_data_dir()


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


def _print_rows(
    headers: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = "table", summary: str = ""
) -> None:
    """Every list command's output: aligned columns to read, or CSV to script; the summary line only for
    reading, so a CSV stays one header row and the records."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return
    cells = [["" if c is None else str(c) for c in row] for row in (headers, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if summary:
        print(summary)


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["table", "csv"], default="table", help="bảng để đọc (table) hoặc CSV UTF-8 (csv)"
    )


def _total(count: int, word: str) -> str:
    return f"Tổng: {format_count(count)} {word}." if count else f"Không có {word} nào khớp."


def _number(count: int, fmt: str) -> str:
    """ "41.500" to read; plain digits in a CSV, where a spreadsheet would read the dot as a decimal point."""
    return str(count) if fmt == "csv" else format_count(count)


def _year(args: argparse.Namespace, workspace: Workspace) -> int:
    year: int = args.year or workspace.working_year
    return year


_LISTED_AT_MOST = 10
Choice = TypeVar("Choice")


def _listed(labels: Sequence[str]) -> str:
    shown = ", ".join(labels[:_LISTED_AT_MOST])
    more = len(labels) - _LISTED_AT_MOST
    return f"{shown} và {more} khác" if more > 0 else shown


def _pick(
    query: str,
    choices: Sequence[Choice],
    keys: Callable[[Choice], Sequence[str]],
    label: Callable[[Choice], str],
    what: str,
) -> Choice:
    """The one record an officer means by a name typed with or without accents: an exact name first, else
    the one whose names hold every word typed. Several, or none, is refused naming them, never guessed."""
    wanted = fold(query)
    found = [c for c in choices if wanted in {fold(k) for k in keys(c)}] or [
        c for c in choices if wanted and matches(fold(" ".join(keys(c))), query)
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"«{nfc(query)}» khớp với nhiều {what}: {_listed([label(c) for c in found])}. Hãy ghi rõ hơn.")
    known = f" Các {what} hiện có: {_listed([label(c) for c in choices])}." if choices else ""
    raise UserError(f"Không có {what} «{nfc(query)}».{known}")


def _option(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _nothing_to_change(dests: Sequence[str]) -> UserError:
    options = [_option(dest) for dest in dests]
    return UserError(f"Chưa ghi gì để sửa: hãy ghi {', '.join(options[:-1])} hoặc {options[-1]}.")


def _given(args: argparse.Namespace, fields: Mapping[str, str]) -> dict[str, Any]:
    """The record fields whose options were given, by field name (`fields` maps option dest → field).

    Commands built with `given_only` leave an absent option out of the namespace, so an edit changes just
    what was typed (`--note ""` clears a note) and an add falls back on the input dataclass's own defaults.
    """
    present = vars(args)
    return {field: present[dest] for dest, field in fields.items() if dest in present}


def _changes(args: argparse.Namespace, fields: Mapping[str, str]) -> dict[str, Any]:
    changes = _given(args, fields)
    if not changes:
        raise _nothing_to_change(list(fields))
    return changes


def _year_or_none(text: str) -> int | None:
    """argparse's type for a year an edit may also clear: `none` for no year."""
    if text.strip().lower() == "none":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không phải năm (ví dụ 2025) hay none") from None


# --- the recycle bin, shared by every restore command ---


def _bin_source(kind: str) -> BinSource:
    return next(source for source in recycle_bin.SOURCES if source.kind == kind)


def _newest(records: Iterable[DeletedRecord], same: Callable[[DeletedRecord], object]) -> list[DeletedRecord]:
    """The bin may hold one record several times (deleted, restored, deleted again): the newest stands for it."""
    return list({same(r): r for r in sorted(records, key=lambda r: r.deleted_at)}.values())


def _deleted_label(record: DeletedRecord) -> str:
    return f"{record.label} ({record.detail})" if record.detail else record.label


def _pick_deleted(query: str, records: Sequence[DeletedRecord], what: str) -> DeletedRecord:
    """A binned record by its label, or by its label and detail when two share a label."""
    return _pick(query, records, lambda r: (r.label, f"{r.label} {r.detail}"), _deleted_label, what)


def _input_file(given: str) -> Path:
    """Checked here because the operating system explains a missing file in English."""
    path = Path(given).expanduser()
    if not path.is_file():
        raise UserError(f"Không có tệp {path}. Dữ liệu giữ nguyên.")
    return path


def _parse_date(text: str) -> date:
    """argparse's type for dd/mm/yyyy, so a bad date is a usage error with parse_date's Vietnamese reason."""
    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _date_or_none(text: str) -> date | None:
    """argparse's type for a date an edit may also clear: `none` for no date."""
    return None if text.strip().lower() == "none" else _parse_date(text)


def _amount(text: str) -> int:
    """argparse's type for money: whole VND typed "9.700.000" or "9700000"; no sign, so never negative."""
    digits = re.sub(r"[.\s]", "", text)
    if not re.fullmatch(r"[0-9]+", digits):
        raise argparse.ArgumentTypeError(f"«{text}» không phải số tiền (số đồng, ví dụ 9.700.000)")
    return int(digits)


# --- the window and the self-test (the only commands that import Qt) ---


def _start_gui(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.ui.app import run_gui

    return run_gui(_data_dir(args), demo=args.demo, office=args.office)


def _self_test(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.ui.self_test import run_self_test

    return run_self_test(Path(args.data_dir).expanduser() if args.data_dir else None)


def _about(args: argparse.Namespace) -> int:
    """What Help → Giới thiệu shows, for support on the telephone or in a script."""
    from khuyenhoc_desktop.ui.dialogs.about_dialog import library_versions

    data_dir = _data_dir(args)
    print(f"{APP_TITLE} {__version__} — Sổ quản lý xã hội học tập — Hội Khuyến học")
    print(f"Thư mục dữ liệu: {data_dir}")
    print(f"Nhật ký (gửi kèm khi báo lỗi): {logs_dir(data_dir)}")
    print(f"Phiên bản thư viện: {library_versions()}")
    return 0


# --- the demo commune ---


def _progress_printer(what: str = "xã mẫu") -> Callable[[int, int], None]:
    """Report every tenth of the way on stderr, so stdout keeps just the summary."""
    last_step = -1

    def report(done: int, total: int) -> None:
        nonlocal last_step
        percent = done * 100 // total if total else 100
        if percent // 10 != last_step:
            last_step = percent // 10
            print(f"Đang tạo {what}… {percent}%", file=sys.stderr, flush=True)

    return report


def _demo_office(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.services.demo_office import create_demo_office

    chosen = {"communes": args.communes, "households": args.households, "seed": args.seed}
    summary = create_demo_office(
        _data_dir(args),
        progress=_progress_printer("cơ quan tổng hợp mẫu"),
        **{k: v for k, v in chosen.items() if v is not None},
    )
    print(
        f"Đã tạo cơ quan tổng hợp mẫu {summary.office_name}: {summary.communes_received}/{summary.communes_listed} "
        f"xã, phường đã gửi gói số liệu năm {summary.period}, {format_count(summary.households)} hộ gia đình.\n"
        f"Thư mục dữ liệu: {summary.data_dir}\n"
        f'Mở bằng: {APP_NAME} --data-dir "{summary.data_dir}"'
    )
    return 0


def _demo(args: argparse.Namespace) -> int:
    if args.office:
        if args.commune is not None:
            raise UserError("Cơ quan tổng hợp mẫu dùng các xã đầu tiên của tỉnh Tây Ninh: bỏ --commune.")
        return _demo_office(args)
    if args.communes is not None:
        raise UserError("--communes chỉ dùng cùng --office.")
    chosen = {"households": args.households, "seed": args.seed, "commune_code": args.commune}
    summary = create_demo(
        _data_dir(args), progress=_progress_printer(), **{k: v for k, v in chosen.items() if v is not None}
    )
    print(
        f"Đã tạo xã mẫu {summary.commune_name}, {summary.province_name}: {summary.hamlets} ấp, "
        f"{format_count(summary.households)} hộ gia đình, {format_count(summary.members)} nhân khẩu "
        f"(trong đó {format_count(summary.deleted_households)} hộ đang ở thùng rác), "
        f"{format_count(summary.clans)} dòng họ, {format_count(summary.units)} đơn vị, "
        f"{format_count(summary.citizens)} công dân học tập; đánh giá, công nhận hai năm gần nhất; "
        f"{format_count(summary.awards)} suất học bổng, quà ở {format_count(summary.award_events)} lễ trao, "
        f"{format_count(summary.ledger_entries)} phiếu thu chi (tồn quỹ {format_vnd(summary.fund_balance)}), "
        f"{format_count(summary.activities)} hoạt động học tập, {format_count(summary.honours)} mô hình và giấy khen.\n"
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
    return _pick(name, profile_service.list_hamlets(workspace), lambda h: (h.name,), lambda h: h.name, "ấp")


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
    headers = ("Mã hộ", "Chủ hộ", "Ấp", "Nhân khẩu", "Địa chỉ", "Điện thoại")
    _print_rows(headers, table, args.format, _total(len(rows), "hộ"))


# Options shared by household-add and household-edit (dest → HouseholdInput field); --hamlet names the hamlet.
_HOUSEHOLD_OPTIONS = {
    "head": "head_name",
    "hamlet": "hamlet_id",
    "birth_year": "head_birth_year",
    "sex": "head_sex",
    "address": "address",
    "phone": "phone",
    "note": "note",
}


def _resolve_hamlet(workspace: Workspace, values: dict[str, Any], commune_wide: bool = False) -> None:
    """--hamlet's name becomes the hamlet's id; with `commune_wide` (a unit) an empty name means no hamlet."""
    if "hamlet_id" in values:
        name = values["hamlet_id"]
        values["hamlet_id"] = None if commune_wide and not nfc(name) else _find_hamlet(workspace, name).id


def _household_line(verb: str, row: HouseholdRow) -> str:
    return f"Đã {verb} hộ {row.code} — chủ hộ {row.head_name}, {row.hamlet_name}."


def _add_household(args: argparse.Namespace, workspace: Workspace) -> None:
    values = _given(args, {"code": "code", **_HOUSEHOLD_OPTIONS})
    _resolve_hamlet(workspace, values)
    values["code"] = values.get("code") or household_service.next_household_code(workspace)
    household_id = household_service.create_household(workspace, HouseholdInput(**values))
    print(_household_line("thêm", household_service.list_households(workspace, [household_id])[0]))


def _edit_household(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, {"new_code": "code", **_HOUSEHOLD_OPTIONS})
    household_id = _household_id(workspace, args.code)
    _resolve_hamlet(workspace, changes)
    current = household_service.household_input(workspace, household_id)
    household_service.update_household(workspace, household_id, replace(current, **changes))
    print(_household_line("sửa", household_service.list_households(workspace, [household_id])[0]))


def _clean_code(code: str) -> str:
    return nfc(code).upper()


def _household_id(workspace: Workspace, code: str) -> str:
    household_id = household_service.find_household(workspace, _clean_code(code))
    if household_id is None:
        raise UserError(f"Không có hộ mã «{_clean_code(code)}» trong sổ.")
    return household_id


def _delete_household(args: argparse.Namespace, workspace: Workspace) -> None:
    code = _clean_code(args.code)
    household_id = _household_id(workspace, code)
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


# --- household members ---

_MEMBER_OPTIONS = {
    "name": "full_name",
    "birth_year": "birth_year",
    "sex": "sex",
    "relation": "relation",
    "school": "school",
    "status": "learning_status",
}


class _Person(Protocol):
    @property
    def full_name(self) -> str: ...

    @property
    def birth_year(self) -> int | None: ...


Person = TypeVar("Person", bound=_Person)


def _person_label(person: _Person) -> str:
    return f"{person.full_name} (sinh năm {person.birth_year})" if person.birth_year else person.full_name


def _pick_member(name: str, members: Sequence[Person], code: str) -> Person:
    """A member of household `code` by name, with the birth year when two share it ("Nguyễn Văn An 1990")."""
    return _pick(
        name,
        members,
        lambda m: (m.full_name, f"{m.full_name} {m.birth_year or ''}"),
        _person_label,
        f"thành viên hộ {code}",
    )


def _member(workspace: Workspace, code: str, name: str) -> MemberRow:
    household_id = _household_id(workspace, code)
    return _pick_member(name, household_service.list_members(workspace, household_id), _clean_code(code))


def _member_reference(given: str) -> tuple[str, str]:
    """--member "00012:Nguyễn Văn An": the household's code and the member's name."""
    code, colon, name = given.partition(":")
    if not colon or not nfc(name):
        raise UserError(f"«{given}» không đúng dạng MÃ_HỘ:HỌ_TÊN (ví dụ 00012:Nguyễn Văn An).")
    return code, name


def _referenced_member(workspace: Workspace, given: str) -> MemberRow:
    return _member(workspace, *_member_reference(given))


def _list_members(args: argparse.Namespace, workspace: Workspace) -> None:
    household_id = _household_id(workspace, args.code)
    household = household_service.list_households(workspace, [household_id])[0]
    rows = household_service.list_members(workspace, household_id)
    table = [
        (
            m.full_name,
            m.birth_year,
            SEX_LABELS.get(m.sex, ""),
            RELATION_LABELS.get(m.relation, m.relation),
            m.school,
            LEARNING_STATUS_LABELS.get(m.learning_status, m.learning_status),
        )
        for m in rows
    ]
    summary = f"Hộ {household.code} — {household.hamlet_name}: {format_count(len(rows))} thành viên."
    _print_rows(tuple(MEMBER_FIELD_LABELS.values()), table, args.format, summary)


def _add_member(args: argparse.Namespace, workspace: Workspace) -> None:
    code = _clean_code(args.code)
    household_id = _household_id(workspace, code)
    member_id = household_service.add_member(workspace, household_id, MemberInput(**_given(args, _MEMBER_OPTIONS)))
    saved = next(m for m in household_service.list_members(workspace, household_id) if m.id == member_id)
    print(f"Đã thêm {saved.full_name} ({RELATION_LABELS[saved.relation].lower()}) vào hộ {code}.")


def _edit_member(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, _MEMBER_OPTIONS)
    code = _clean_code(args.code)
    member = _member(workspace, code, args.member)
    current = MemberInput(
        member.full_name, member.birth_year, member.sex, member.relation, member.school, member.learning_status
    )
    clean = clean_member(replace(current, **changes), date.today().year, code)
    fields = [f for f in changes if getattr(clean, f) != getattr(current, f)]
    if fields:
        household_service.update_member_fields(workspace, member.id, {f: getattr(clean, f) for f in fields})
        print(f"Đã sửa {clean.full_name} (hộ {code}): {', '.join(MEMBER_FIELD_LABELS[f].lower() for f in fields)}.")
    else:
        print(f"{member.full_name} (hộ {code}): không có gì thay đổi.")


def _delete_member(args: argparse.Namespace, workspace: Workspace) -> None:
    code = _clean_code(args.code)
    member = _member(workspace, code, args.member)
    household_service.delete_member(workspace, member.id)
    print(
        f"Đã chuyển {member.full_name} (hộ {code}) vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} member-restore --code {code} --member "{member.full_name}"'
    )


def _restore_member(args: argparse.Namespace, workspace: Workspace) -> None:
    code = _clean_code(args.code)
    _household_id(workspace, code)  # members of a binned household come back with it, not one by one
    # No service lists one household's binned members; the bin's own entries name the household in the detail.
    binned = [r for r in _bin_source("member").records(workspace) if r.detail == f"Thành viên hộ {code}"]
    record = _pick_deleted(args.member, _newest(binned, lambda r: fold(r.label)), f"thành viên đã xóa của hộ {code}")
    household_service.restore_member(workspace, record.id)
    print(f"Đã khôi phục {record.label} vào hộ {code}.")


# --- clans and units ---


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_Named)


@dataclass(frozen=True)
class _Register(Generic[Named]):
    """What deleting and restoring a clan, a unit or a ceremony by its name share: the same lookups, the same
    bin."""

    what: str  # "dòng họ", as messages name one
    command: str  # "clan": the commands are clan-delete and clan-restore
    rows: Callable[[Workspace], Sequence[Named]]
    delete: Callable[[Workspace, str], None]
    bin_kind: str  # its BinSource in services.recycle_bin

    def find(self, workspace: Workspace, name: str) -> Named:
        return _pick(name, self.rows(workspace), lambda r: (r.name,), lambda r: r.name, self.what)

    def delete_job(self, args: argparse.Namespace, workspace: Workspace) -> None:
        row = self.find(workspace, args.name)
        self.delete(workspace, row.id)
        print(
            f"Đã chuyển {self.what} «{row.name}» vào thùng rác. "
            f'Lấy lại bằng: {APP_NAME} {self.command}-restore --name "{row.name}"'
        )

    def restore_job(self, args: argparse.Namespace, workspace: Workspace) -> None:
        """The most recently deleted record of that name, like household-restore."""
        binned = _newest(_bin_source(self.bin_kind).records(workspace), lambda r: fold(r.label))
        record = _pick_deleted(args.name, binned, self.what)
        recycle_bin.restore(workspace, record)
        print(f"Đã khôi phục {self.what} «{record.label}» từ thùng rác.")


_CLANS = _Register("dòng họ", "clan", clan_service.list_clans, clan_service.delete_clan, "clan")
_UNITS = _Register("đơn vị", "unit", unit_service.list_units, unit_service.delete_unit, "unit")


def _list_clans(args: argparse.Namespace, workspace: Workspace) -> None:
    rows = [r for r in clan_service.list_clans(workspace) if not args.search or matches(r.search_key, args.search)]
    table = [(r.name, r.representative, r.hamlet_names, _number(r.household_count, args.format), r.note) for r in rows]
    headers = ("Dòng họ", "Người đại diện", "Các ấp", "Số hộ", "Ghi chú")
    _print_rows(headers, table, args.format, _total(len(rows), "dòng họ"))


def _clan_line(verb: str, workspace: Workspace, clan_id: str) -> str:
    saved = clan_service.list_clans(workspace, [clan_id])[0]
    households = format_count(saved.household_count)
    return f"Đã {verb} dòng họ «{saved.name}» — {saved.hamlet_names}; {households} hộ thành viên."


def _add_clan(args: argparse.Namespace, workspace: Workspace) -> None:
    hamlets = [_find_hamlet(workspace, name) for name in args.hamlet]
    data = ClanInput(
        name=args.name,
        representative=args.representative,
        hamlet_ids=tuple(h.id for h in hamlets),
        household_ids=tuple(_household_id(workspace, code) for code in args.household),
        note=args.note,
    )
    print(_clan_line("thêm", workspace, clan_service.create_clan(workspace, data)))


_CLAN_OPTIONS = {"new_name": "name", "representative": "representative", "note": "note"}
_CLAN_LINKS = ("add_hamlet", "remove_hamlet", "add_household", "remove_household")


def _relinked(
    linked: Sequence[str], added: Sequence[tuple[str, str]], removed: Sequence[tuple[str, str]], clan: str, dest: str
) -> tuple[str, ...]:
    """A clan's hamlets or households after --add-… and --remove-… (pairs of id and how the officer named it)."""
    ids = list(linked)
    for record_id, label in added:
        if record_id in ids:
            raise UserError(f"{label} đã thuộc dòng họ «{clan}» (tùy chọn {_option('add_' + dest)}).")
        ids.append(record_id)
    for record_id, label in removed:
        if record_id not in ids:
            raise UserError(f"{label} không thuộc dòng họ «{clan}» (tùy chọn {_option('remove_' + dest)}).")
        ids.remove(record_id)
    return tuple(ids)


def _edit_clan(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _given(args, _CLAN_OPTIONS)
    links = {dest: vars(args).get(dest, []) for dest in _CLAN_LINKS}
    if not changes and not any(links.values()):
        raise _nothing_to_change([*_CLAN_OPTIONS, *_CLAN_LINKS])
    clan = _CLANS.find(workspace, args.name)
    current = clan_service.clan_input(workspace, clan.id)

    def hamlets(names: Sequence[str]) -> list[tuple[str, str]]:
        return [(h.id, h.name) for h in (_find_hamlet(workspace, name) for name in names)]

    def households(codes: Sequence[str]) -> list[tuple[str, str]]:
        return [(_household_id(workspace, code), f"Hộ {_clean_code(code)}") for code in codes]

    data = replace(
        current,
        **changes,
        hamlet_ids=_relinked(
            current.hamlet_ids, hamlets(links["add_hamlet"]), hamlets(links["remove_hamlet"]), clan.name, "hamlet"
        ),
        household_ids=_relinked(
            current.household_ids,
            households(links["add_household"]),
            households(links["remove_household"]),
            clan.name,
            "household",
        ),
    )
    clan_service.update_clan(workspace, clan.id, data)
    print(_clan_line("sửa", workspace, clan.id))


def _list_units(args: argparse.Namespace, workspace: Workspace) -> None:
    rows = [r for r in unit_service.list_units(workspace) if not args.search or matches(r.search_key, args.search)]
    table = [
        (
            r.name,
            r.kind_label,
            r.head_name,
            _number(r.staff_count, args.format),
            r.hamlet_name,
            format_phone(r.phone) if r.phone else "",
            r.note,
        )
        for r in rows
    ]
    headers = ("Đơn vị", "Loại", "Người đứng đầu", "Cán bộ, nhân viên", "Ấp", "Điện thoại", "Ghi chú")
    _print_rows(headers, table, args.format, _total(len(rows), "đơn vị"))


_UNIT_OPTIONS = {
    "kind": "kind",
    "head": "head_name",
    "staff": "staff_count",
    "hamlet": "hamlet_id",
    "address": "address",
    "phone": "phone",
    "note": "note",
}


def _unit_line(verb: str, workspace: Workspace, unit_id: str) -> str:
    saved = unit_service.list_units(workspace, [unit_id])[0]
    where = f", {saved.hamlet_name}" if saved.hamlet_name else " (cấp xã, không thuộc ấp nào)"
    return f"Đã {verb} đơn vị «{saved.name}» — {saved.kind_label.lower()}{where}."


def _add_unit(args: argparse.Namespace, workspace: Workspace) -> None:
    values = _given(args, {"name": "name", **_UNIT_OPTIONS})
    _resolve_hamlet(workspace, values, commune_wide=True)
    print(_unit_line("thêm", workspace, unit_service.create_unit(workspace, UnitInput(**values))))


def _edit_unit(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, {"new_name": "name", **_UNIT_OPTIONS})
    unit = _UNITS.find(workspace, args.name)
    _resolve_hamlet(workspace, changes, commune_wide=True)
    unit_service.update_unit(workspace, unit.id, replace(unit_service.unit_input(workspace, unit.id), **changes))
    print(_unit_line("sửa", workspace, unit.id))


# --- hamlets as communities ---


def _list_hamlets(args: argparse.Namespace, workspace: Workspace) -> None:
    rows = hamlet_register.list_hamlet_communities(workspace)
    table = [
        (
            r.name,
            r.leader_name,
            *(_number(n, args.format) for n in (r.household_count, r.member_count, r.clan_count, r.unit_count)),
            r.note,
        )
        for r in rows
    ]
    headers = ("Ấp", "Trưởng ấp", "Số hộ", "Nhân khẩu", "Dòng họ", "Đơn vị", "Ghi chú")
    _print_rows(headers, table, args.format, _total(len(rows), "ấp"))


def _set_hamlet(args: argparse.Namespace, workspace: Workspace) -> None:
    """Only what is given changes: `--note ""` clears the note, leaving the option out keeps it."""
    if args.leader is None and args.note is None:
        raise _nothing_to_change(["leader", "note"])
    hamlet = _find_hamlet(workspace, args.hamlet)
    current = hamlet_register.list_hamlet_communities(workspace, [hamlet.id])[0]
    leader = current.leader_name if args.leader is None else args.leader
    note = current.note if args.note is None else args.note
    hamlet_register.update_hamlet_details(workspace, hamlet.id, leader, note)
    saved = hamlet_register.list_hamlet_communities(workspace, [hamlet.id])[0]
    print(f"Đã sửa {saved.name}: trưởng ấp «{saved.leader_name}», ghi chú «{saved.note}».")


# --- rubrics ---


def _rubric_id(workspace: Workspace, given: str, deleted: bool = False) -> str:
    """A rubric's id as `rubrics` (or, `deleted`, `bin`) prints it, or its first few characters when they are
    enough."""
    wanted = given.strip()
    ids = (
        [r.id for r in _bin_source("rubric").records(workspace)]
        if deleted
        else [r.id for r in rubric_service.list_rubrics(workspace)]
    )
    found = [rubric_id for rubric_id in ids if rubric_id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(f"Mã «{wanted}» ứng với {len(found)} bộ tiêu chí; hãy ghi thêm vài ký tự của mã.")
    if deleted:
        raise UserError(f"Thùng rác không có bộ tiêu chí mã «{wanted}». Xem thùng rác bằng lệnh «{APP_NAME} bin».")
    raise UserError(f"Không có bộ tiêu chí mã «{wanted}». Xem các mã bằng lệnh «{APP_NAME} rubrics».")


def _rubric_heading(rubric: Rubric) -> str:
    return f"{TITLE_LABELS.get(rubric.title, rubric.title)} — «{rubric.name}» phiên bản {rubric.version}"


def _list_rubrics(args: argparse.Namespace, workspace: Workspace) -> None:
    rows = rubric_service.list_rubrics(workspace, args.title)
    table = [
        (
            r.id,
            r.title_label,
            r.name,
            r.version,
            f"{r.pass_mark}/{r.max_points}",
            f"{r.valid_from}–{r.valid_to}" if r.valid_to else f"từ {r.valid_from}",
            "đã chấm" if r.used else "",
        )
        for r in rows
    ]
    headers = ("Mã", "Danh hiệu", "Tên", "Phiên bản", "Điểm đạt", "Áp dụng", "Đã dùng")
    _print_rows(headers, table, args.format, _total(len(rows), "bộ tiêu chí"))


def _show_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    rubric = rubric_service.get_rubric(workspace, _rubric_id(workspace, args.id))
    years = f"{rubric.valid_from}–{rubric.valid_to}" if rubric.valid_to else f"từ năm {rubric.valid_from}"
    minimum = any(i.min_points is not None for i in rubric.indicators)
    print(f"{_rubric_heading(rubric)} (mã {rubric.id})")
    if rubric.basis:
        print(f"Căn cứ: {rubric.basis}")
    print(
        f"Áp dụng {years}. Đạt khi từ {rubric.pass_mark}/{rubric.max_points} điểm"
        + (" và không chỉ tiêu nào dưới mức tối thiểu." if minimum else ".")
    )
    width = max(len(i.code) for i in rubric.indicators)
    for number, criterion in enumerate(rubric.criteria, start=1):
        print(f"\nTiêu chí {number}. {criterion.name} ({criterion.max_points} điểm)")
        for i in criterion.indicators:
            extra = f"; tối thiểu {i.min_points}" if i.min_points is not None else ""
            auto = "; tự điền từ dữ liệu" if i.prefill else ""
            print(f"  {i.code.ljust(width)}  [{i.max_points} điểm{extra}{auto}]  {i.text}")


def _rubric_json(rubric: Rubric) -> dict[str, Any]:
    """The file a province shares: the rubric without its id, which belongs to one data folder."""
    return {
        "title": rubric.title,
        "name": rubric.name,
        "version": rubric.version,
        "pass_mark": rubric.pass_mark,
        "valid_from": rubric.valid_from,
        "valid_to": rubric.valid_to,
        "basis": rubric.basis,
        "criteria": criteria_to_json(rubric.criteria),
    }


def _rubric_from_json(data: Any, file_name: str) -> Rubric:
    """A rubric from a shared file, checked as the editor checks one; any shape it was not written in is
    refused in Vietnamese rather than surfacing as a Python error."""
    try:
        return check_rubric(
            Rubric(
                title=data["title"],
                name=data["name"],
                version=int(data.get("version") or 1),
                pass_mark=int(data["pass_mark"]),
                criteria=criteria_from_json(data["criteria"]),
                valid_from=int(data["valid_from"]),
                valid_to=None if data.get("valid_to") is None else int(data["valid_to"]),
                basis=data.get("basis") or "",
            )
        )
    except ValidationError as error:
        raise UserError(f"Tệp «{file_name}»: {error}") from None
    except KeyError as error:
        raise UserError(f"Tệp «{file_name}» không đúng mẫu bộ tiêu chí: thiếu mục «{error.args[0]}».") from None
    except (TypeError, ValueError, AttributeError):
        raise UserError(
            f"Tệp «{file_name}» không đúng mẫu bộ tiêu chí: có mục sai kiểu (điểm và năm phải là số nguyên, "
            "tên và nội dung là chữ, mỗi tiêu chí có «name» và danh sách «indicators»). "
            f"Xem tệp mẫu bằng lệnh «{APP_NAME} rubric-export»."
        ) from None


def _copy_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    copy = rubric_service.get_rubric(
        workspace, rubric_service.copy_as_new_version(workspace, _rubric_id(workspace, args.id))
    )
    print(f"Đã sao chép thành {_rubric_heading(copy)}, mã:\n{copy.id}")


_RUBRIC_OPTIONS = {"name": "name", "pass_mark": "pass_mark", "valid_from": "valid_from", "valid_to": "valid_to"}
_INDICATOR_OPTIONS = {"points": "max_points", "min": "min_points"}


def _changed_criteria(rubric: Rubric, args: argparse.Namespace) -> tuple[Criterion, ...]:
    """The criteria with --points and --min applied to the indicators they name."""
    known = [i.code for i in rubric.indicators]
    changes: dict[str, dict[str, Any]] = {}
    for dest, field in _INDICATOR_OPTIONS.items():
        for code, value in vars(args).get(dest, []):
            if code not in known:
                raise UserError(
                    f"{_rubric_heading(rubric)} không có chỉ tiêu «{code}» (tùy chọn {_option(dest)}). "
                    f"Các chỉ tiêu: {_listed(known)}."
                )
            changes.setdefault(code, {})[field] = value
    return tuple(
        replace(c, indicators=tuple(replace(i, **changes.get(i.code, {})) for i in c.indicators))
        for c in rubric.criteria
    )


def _set_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    """The editor's job from a terminal; a rubric already scored with stays as it was and the change becomes
    its next version, so the output says which of the two happened."""
    changes = _given(args, _RUBRIC_OPTIONS)
    if not changes and not any(dest in vars(args) for dest in _INDICATOR_OPTIONS):
        raise _nothing_to_change([*_RUBRIC_OPTIONS, *_INDICATOR_OPTIONS])
    rubric = rubric_service.get_rubric(workspace, _rubric_id(workspace, args.id))
    changed = replace(rubric, criteria=_changed_criteria(rubric, args), **changes)
    saved = rubric_service.get_rubric(workspace, rubric_service.save_rubric(workspace, changed))
    if saved.id == rubric.id:
        print(f"Đã sửa {_rubric_heading(saved)} (chưa dùng để chấm nên sửa tại chỗ), mã:\n{saved.id}")
    else:
        print(
            f"{_rubric_heading(rubric)} đã được dùng để chấm nên giữ nguyên; "
            f"thay đổi được lưu thành phiên bản {saved.version}, mã:\n{saved.id}"
        )


def _delete_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    rubric_id = _rubric_id(workspace, args.id)
    rubric_service.delete_rubric(workspace, rubric_id)
    heading = _rubric_heading(rubric_service.get_rubric(workspace, rubric_id))
    print(f"Đã chuyển {heading} vào thùng rác. Lấy lại bằng: {APP_NAME} rubric-restore --id {rubric_id}")


def _restore_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    rubric_id = _rubric_id(workspace, args.id, deleted=True)
    rubric_service.restore_rubric(workspace, rubric_id)
    print(f"Đã khôi phục {_rubric_heading(rubric_service.get_rubric(workspace, rubric_id))} từ thùng rác.")


def _export_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    rubric = rubric_service.get_rubric(workspace, _rubric_id(workspace, args.id))
    out = Path(args.out).expanduser()
    text = json.dumps(_rubric_json(rubric), ensure_ascii=False, indent=2) + "\n"
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"Không ghi được tệp {out}: {error.strerror or error}.") from None
    print(f"Đã ghi bộ tiêu chí {_rubric_heading(rubric)} vào {out}")


def _import_rubric(args: argparse.Namespace, workspace: Workspace) -> None:
    """Always a new rubric of its own lineage: a shared file never overwrites the rubrics already here."""
    path = _input_file(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise UserError(f"Tệp «{path.name}» không phải văn bản UTF-8.") from None
    except json.JSONDecodeError as error:
        raise UserError(f"Tệp «{path.name}» không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}).") from None
    if not isinstance(data, dict):
        raise UserError(f"Tệp «{path.name}» không đúng mẫu bộ tiêu chí: cần một đối tượng JSON {{…}}.")
    rubric = _rubric_from_json(data, path.name)
    saved = rubric_service.get_rubric(workspace, rubric_service.save_rubric(workspace, rubric))
    print(f"Đã nhập {_rubric_heading(saved)}, mã:\n{saved.id}")


# --- the yearly cycle of a title ---

_SUBJECT_WORD = {**SUBJECT_PLURAL, Subject.PERSON: "công dân"}

_STATUSES = {
    "dang_ky": evaluation_service.STATUS_REGISTERED,
    "dat": evaluation_service.STATUS_PASSED,
    "chua_dat": evaluation_service.STATUS_FAILED,
    "cong_nhan": evaluation_service.STATUS_RECOGNISED,
}


def _subject_label(subject: SubjectRow) -> str:
    """ "hộ 00012 (Nguyễn Văn An)", "Nguyễn Văn An (Sinh năm 1990)": enough to tell two of a name apart."""
    if not subject.detail or fold(subject.detail) in fold(subject.label):
        return subject.label
    return f"{subject.label} ({subject.detail})"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject_keys(workspace: Workspace, title: str, year: int) -> Callable[[SubjectRow], tuple[str, ...]]:
    """What an officer types for a subject: a household's code (or its head's name), a citizen's name with
    or without the birth year, otherwise the clan's, unit's or hamlet's name."""
    if title == Title.FAMILY:
        codes = {row.id: row.code for row in household_service.list_households(workspace)}
        return lambda s: (codes.get(s.id, ""), s.name)
    if title == Title.CITIZEN:
        born = {row.citizen_id: row.birth_year for row in citizen_service.list_results(workspace, year)}
        return lambda s: (s.name, f"{s.name} {born[s.id]}") if born.get(s.id) else (s.name,)
    return lambda s: (s.name,)


def _subjects(workspace: Workspace, title: str, year: int, keys: Sequence[str]) -> list[SubjectRow]:
    candidates = list_subjects(workspace, title)
    key_of = _subject_keys(workspace, title, year)
    what = _SUBJECT_WORD[TITLE_SUBJECT[title]]
    return [_pick(key, candidates, key_of, _subject_label, what) for key in keys]


def _evaluations_of(workspace: Workspace, title: str, year: int, keys: Sequence[str]) -> list[EvaluationRow]:
    by_subject = {row.subject_id: row for row in evaluation_service.list_evaluations(workspace, title, year)}
    found = []
    for subject in _subjects(workspace, title, year, keys):
        if subject.id not in by_subject:
            raise UserError(
                f"{_sentence(_subject_label(subject))} chưa đăng ký {TITLE_LABELS[title]} năm {year}. "
                f"Đăng ký bằng lệnh «{APP_NAME} register»."
            )
        found.append(by_subject[subject.id])
    return found


def _list_evaluations(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    everything = rows = evaluation_service.list_evaluations(workspace, args.title, year)
    if args.status:
        rows = [r for r in rows if r.status == _STATUSES[args.status]]
    if args.search:
        rows = [r for r in rows if matches(fold(f"{r.subject_label} {r.subject_detail} {r.hamlet_name}"), args.search)]
    table = [
        (
            r.subject_name,
            r.subject_detail,
            r.hamlet_name,
            format_date(r.registered_on),
            r.total,
            r.result_text,
            r.status,
            r.decision_number,
        )
        for r in rows
    ]
    headers = ("Đối tượng", "Chi tiết", "Ấp", "Ngày đăng ký", "Điểm", "Kết quả", "Trạng thái", "Số quyết định")
    _print_rows(headers, table, args.format, _evaluations_summary(args.title, year, len(rows), everything))


def _evaluations_summary(title: str, year: int, shown: int, everything: Sequence[EvaluationRow]) -> str:
    """ "Gia đình học tập năm 2025: 3 hồ sơ — 1 đã đăng ký, 2 đã công nhận.", as the page's count line."""
    heading = f"{TITLE_LABELS[title]} năm {year}"
    if not everything:
        return f"{heading}: chưa có hồ sơ đăng ký nào."
    status = Counter(r.status for r in everything)
    counts = ", ".join(f"{format_count(status[s])} {s.lower()}" for s in _STATUSES.values() if status[s])
    total = format_count(len(everything))
    shown_text = f"{total} hồ sơ" if shown == len(everything) else f"hiện {format_count(shown)}/{total} hồ sơ"
    return f"{heading}: {shown_text} — {counts}."


def _register(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    label = TITLE_LABELS[args.title]
    if args.all:
        taken = {r.subject_id for r in evaluation_service.list_evaluations(workspace, args.title, year)}
        chosen = [s for s in list_subjects(workspace, args.title) if s.id not in taken]
        if not chosen:
            raise UserError(f"Mọi đối tượng trong sổ đã đăng ký {label} năm {year}.")
    else:
        chosen = _subjects(workspace, args.title, year, args.subject)
    registered_on = args.date or evaluation_service.default_registration_date(year)
    ids = evaluation_service.register(workspace, args.title, year, [s.id for s in chosen], registered_on)
    what = _subject_label(chosen[0]) if len(ids) == 1 else f"{format_count(len(ids))} hồ sơ"
    print(f"Đã đăng ký {label} năm {year} (ngày {format_date(registered_on)}): {what}.")


def _unregister(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    row = _evaluations_of(workspace, args.title, year, [args.subject])[0]
    evaluation_service.unregister(workspace, row.id)
    print(f"Đã hủy đăng ký {TITLE_LABELS[args.title]} năm {year} của {row.subject_label} (hồ sơ ở thùng rác).")


def _point(text: str) -> tuple[str, int]:
    """argparse's type for --point 1.2=8."""
    code, equals, value = text.partition("=")
    try:
        if not equals or not nfc(code):
            raise ValueError(text)
        return nfc(code), int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» không đúng dạng MÃ=ĐIỂM (ví dụ 1.2=8)") from None


def _minimum(text: str) -> tuple[str, int | None]:
    """argparse's type for --min 4=5, or 4=none for no minimum."""
    code, equals, value = text.partition("=")
    if equals and nfc(code) and value.strip().lower() == "none":
        return nfc(code), None
    return _point(text)


def _score(args: argparse.Namespace, workspace: Workspace) -> None:
    """Points not given keep what the last scoring gave them; with --prefill, those still empty take the
    app's suggestion (as the scoring form starts from them)."""
    if not args.point and not args.prefill:
        raise UserError("Chưa ghi điểm nào: hãy ghi --point MÃ=ĐIỂM (nhiều lần) hoặc --prefill.")
    year = _year(args, workspace)
    row = _evaluations_of(workspace, args.title, year, [args.subject])[0]
    form = evaluation_service.score_form(workspace, row.id)
    points = dict(form.points) if row.scored else {}
    suggested = form.suggestions.points if args.prefill else {}
    points = {**suggested, **points, **dict(args.point)}
    outcome = evaluation_service.score(workspace, row.id, points)
    table = [
        (
            i.code,
            i.max_points,
            points.get(i.code, ""),
            form.suggestions.explanations.get(i.code, "") if i.code in suggested else "",
        )
        for i in form.rubric.indicators
    ]
    _print_rows(("Chỉ tiêu", "Tối đa", "Điểm", "Tự điền từ dữ liệu"), table)
    print(
        f"{TITLE_LABELS[args.title]} năm {year}, {row.subject_label}: "
        f"{outcome.total}/{form.rubric.max_points} điểm — {outcome.reason_text}"
    )


def _recognise(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    label = TITLE_LABELS[args.title]
    if args.all_passed:
        rows = [
            r for r in evaluation_service.list_evaluations(workspace, args.title, year) if r.passed and not r.recognised
        ]
        if not rows:
            raise UserError(f"Chưa có hồ sơ {label} năm {year} nào đạt mà chưa được công nhận.")
    else:
        rows = _evaluations_of(workspace, args.title, year, args.subject)
    defaults = evaluation_service.decision_defaults(workspace)
    decision = evaluation_service.DecisionInput(
        number=args.number,
        signed_on=args.date,
        signer_title=defaults.signer_title if args.signer_title is None else args.signer_title,
        signer_name=defaults.signer_name if args.signer_name is None else args.signer_name,
        note=args.note,
    )
    evaluation_service.recognise(workspace, args.title, year, [r.id for r in rows], decision)
    what = rows[0].subject_label if len(rows) == 1 else f"{format_count(len(rows))} hồ sơ"
    print(
        f"Đã công nhận {label} năm {year} theo quyết định số {nfc(args.number)} ngày {format_date(args.date)} "
        f"({nfc(decision.signer_title)} {nfc(decision.signer_name)}): {what}."
    )


def _list_decisions(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = evaluation_service.list_decisions(workspace, year, args.title)
    table = [
        (
            r.number,
            format_date(r.signed_on),
            TITLE_LABELS.get(r.title, r.title),
            f"{r.signer_title} {r.signer_name}",
            _number(r.count, args.format),
            r.note,
        )
        for r in rows
    ]
    headers = ("Số quyết định", "Ngày ký", "Danh hiệu", "Người ký", "Số hồ sơ", "Ghi chú")
    summary = f"Năm {year}: {format_count(len(rows))} quyết định." if rows else f"Năm {year} chưa có quyết định nào."
    _print_rows(headers, table, args.format, summary)


def _revoke_decision(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    decisions = evaluation_service.list_decisions(workspace, year)
    decision = _pick(
        args.number, decisions, lambda d: (d.number,), lambda d: f"số {d.number}", f"quyết định năm {year}"
    )
    evaluation_service.revoke_decision(workspace, decision.id)
    print(
        f"Đã hủy quyết định số {decision.number} công nhận {TITLE_LABELS.get(decision.title, decision.title)} "
        f"năm {year}: {format_count(decision.count)} hồ sơ trở lại «{evaluation_service.STATUS_PASSED}»."
    )


# --- learning citizens ---


def _list_citizens(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = sorted(citizen_service.list_results(workspace, year), key=lambda r: r.name_sort)
    if args.search:
        rows = [r for r in rows if matches(r.search_key, args.search)]
    table = [
        (
            r.full_name,
            r.birth_year,
            SEX_LABELS.get(r.sex, ""),
            r.link_label,
            r.hamlet_name,
            r.total,
            r.result_text,
            r.source,
        )
        for r in rows
    ]
    with_result = sum(1 for r in rows if r.evaluation_id is not None)
    summary = _total(len(rows), "công dân")
    if rows:
        summary += f" {format_count(with_result)} người có kết quả năm {year}."
    headers = ("Họ và tên", "Năm sinh", "Giới tính", "Thuộc", "Ấp", "Điểm", f"Kết quả năm {year}", "Nguồn")
    _print_rows(headers, table, args.format, summary)


def _add_citizen(args: argparse.Namespace, workspace: Workspace) -> None:
    if args.member:
        code, name = _member_reference(args.member)
        _household_id(workspace, code)
        members = [m for m in citizen_service.list_member_choices(workspace) if m.household_code == _clean_code(code)]
        member = _pick_member(name, members, _clean_code(code))
        citizen_service.add_citizen_from_member(workspace, member.id)
        done = "đã có trong danh sách, cập nhật theo sổ hộ" if member.citizen_id else "đã thêm vào danh sách"
        print(f"Công dân {member.full_name} (hộ {member.household_code}, {member.hamlet_name}): {done}.")
        return
    if not args.name:
        raise UserError("Thêm công dân của một đơn vị cần họ tên: hãy ghi --name HỌ_TÊN.")
    unit = _pick(args.unit, unit_service.list_units(workspace), lambda u: (u.name,), lambda u: u.name, "đơn vị")
    citizen_service.add_citizen_in_unit(workspace, unit.id, args.name, args.birth_year, args.sex)
    print(f"Công dân {nfc(args.name)} ({unit.name}) có trong danh sách công dân.")


def _citizen(workspace: Workspace, key: str, year: int) -> SubjectRow:
    return _subjects(workspace, Title.CITIZEN, year, [key])[0]


def _delete_citizen(args: argparse.Namespace, workspace: Workspace) -> None:
    citizen = _citizen(workspace, args.citizen, workspace.working_year)
    citizen_service.delete_citizen(workspace, citizen.id)
    print(
        f"Đã chuyển {_subject_label(citizen)} khỏi danh sách công dân vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} bin-restore --kind citizen --label "{citizen.name}"'
    )


def _delete_result(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    citizen = _citizen(workspace, args.citizen, year)
    citizen_service.delete_result(workspace, citizen.id, year)
    print(
        f"Đã chuyển kết quả {TITLE_LABELS[Title.CITIZEN]} năm {year} của {_subject_label(citizen)} vào thùng rác; "
        "người này vẫn trong danh sách công dân."
    )


def _column(given: str, headers: Sequence[str]) -> int:
    """A spreadsheet column by its header (accents ignored) or its letter, as the officer sees it."""
    by_header = [i for i, header in enumerate(headers) if header and fold(header) == fold(given)]
    if len(by_header) == 1:
        return by_header[0]
    if not by_header and re.fullmatch(r"[A-Za-z]{1,3}", given.strip()):
        index = 0
        for letter in given.strip().upper():
            index = index * 26 + ord(letter) - ord("A") + 1
        return index - 1
    columns = ", ".join(f"{citizen_import.column_letter(i)} «{h}»" for i, h in enumerate(headers) if h)
    what = "nhiều cột" if by_header else "cột nào"
    raise UserError(f"«{nfc(given)}» không ứng với {what} trong tệp. Các cột có tiêu đề: {columns}.")


def _import_mapping(
    given: Sequence[str], headers: Sequence[str], labels: Mapping[str, str], guessed: Mapping[str, int]
) -> dict[str, int]:
    """The guessed (or saved) columns with the officer's --map corrections; `FIELD=` with nothing drops one."""
    mapping = dict(guessed)
    for item in given:
        field, equals, column = item.partition("=")
        field = field.strip()
        if not equals or field not in labels:
            raise UserError(f"«{item}» không đúng dạng MỤC=CỘT; MỤC là một trong: {', '.join(labels)}.")
        if column.strip():
            mapping[field] = _column(column, headers)
        else:
            mapping.pop(field, None)
    return mapping


def _import_citizens(args: argparse.Namespace, workspace: Workspace) -> None:
    path = _input_file(args.file)
    year = _year(args, workspace)
    headers = citizen_import.read_sheet(path).headers
    mapping = _import_mapping(args.map, headers, citizen_import.FIELD_LABELS, citizen_import.guess_mapping(headers))
    hamlet = _find_hamlet(workspace, args.hamlet) if args.hamlet else None
    used = "; ".join(
        f"{citizen_import.FIELD_LABELS[field]} ← {citizen_import.column_letter(column)}"
        + (f" «{headers[column]}»" if column < len(headers) and headers[column] else "")
        for field, column in mapping.items()
    )
    print(f"Cột đã chọn: {used}.", file=sys.stderr)  # stdout keeps the outcome, and stays empty on a refusal
    try:
        report = citizen_import.import_results(workspace, path, mapping, year, hamlet.id if hamlet else None)
    except citizen_import.ImportProblems as problems:
        # The dialog shows the first few; a terminal can take them all, so the officer fixes the file once.
        heading = str(problems).splitlines()[0]
        raise UserError("\n".join([heading, *(f"• {p}" for p in problems.problems)])) from None
    print(f"Kết quả Công dân học tập năm {year} từ tệp «{path.name}».\n{report.summary}")
    for note in report.notes:
        print(f"Lưu ý — {note}")


# --- the recycle bin ---


def _list_bin(args: argparse.Namespace, workspace: Workspace) -> None:
    records = recycle_bin.list_deleted(workspace)
    table = [(r.kind_label, r.label, r.detail, format_local_time(r.deleted_at)) for r in records]
    kinds = ", ".join(
        f"{s.kind} ({s.kind_label})" for s in recycle_bin.SOURCES if any(r.kind == s.kind for r in records)
    )
    summary = (
        f"Thùng rác có {format_count(len(records))} bản ghi. "
        f"Lấy lại bằng: {APP_NAME} bin-restore --kind LOẠI --label TÊN; LOẠI: {kinds}."
        if records
        else "Thùng rác trống."
    )
    _print_rows(("Loại", "Bản ghi", "Thuộc", "Thời điểm xóa"), table, args.format, summary)


def _restore_from_bin(args: argparse.Namespace, workspace: Workspace) -> None:
    """Like the bin page's Khôi phục: of records that read the same, the newest is the one restored."""
    source = _bin_source(args.kind)
    what = source.kind_label.lower()
    binned = _newest(source.records(workspace), lambda r: (fold(r.label), fold(r.detail)))
    record = _pick_deleted(args.label, binned, f"{what} đã xóa")
    recycle_bin.restore(workspace, record)
    print(f"Đã khôi phục {what} «{_deleted_label(record)}» từ thùng rác.")


# --- scholarships and gifts, and their ceremonies ---

_EVENTS = _Register("lễ trao", "award-event", award_service.list_events, award_service.delete_event, "award_event")

# Options of award-add and award-edit (dest → AwardInput field); --member and --event name records.
_AWARD_OPTIONS = {
    "pupil": "pupil_name",
    "member": "member_id",
    "birth_year": "birth_year",
    "category": "category",
    "kind": "kind",
    "value": "value_vnd",
    "sponsor": "sponsor",
    "school": "school",
    "grade": "grade",
    "school_year": "school_year",
    "date": "awarded_on",
    "event": "event_id",
    "recurring": "recurring",
    "post_to_fund": "post_to_ledger",
    "note": "note",
}


def _award_label(row: AwardRow) -> str:
    return f"{row.pupil_name} — {row.kind_label.lower()} {format_vnd(row.value_vnd)} ngày {format_date(row.awarded_on)}"


def _find_award(workspace: Workspace, query: str) -> AwardRow:
    """An award by its pupil's name; with the date or the ceremony's name when the pupil has several."""
    return _pick(
        query,
        award_service.list_awards(workspace),
        lambda a: (a.pupil_name, f"{a.pupil_name} {format_date(a.awarded_on)}", f"{a.pupil_name} {a.event_name}"),
        _award_label,
        "suất học bổng, quà",
    )


def _award_links(workspace: Workspace, values: dict[str, Any]) -> EventRow | None:
    """--member and --event as the ids the award keeps ("" unlinks either); returns the ceremony named. A pupil
    typed with --pupil is not the register's: the register would otherwise name them back."""
    if "pupil_name" in values:
        values.setdefault("member_id", "")
    if "member_id" in values:
        given = values["member_id"]
        values["member_id"] = _referenced_member(workspace, given).id if nfc(given) else None
    event = None
    if "event_id" in values:
        given = values["event_id"]
        event = _EVENTS.find(workspace, given) if nfc(given) else None
        values["event_id"] = event.id if event else None
    return event


def _award_line(verb: str, workspace: Workspace, award_id: str) -> str:
    row = award_service.list_awards(workspace, ids=[award_id])[0]
    occasion = f"lễ «{row.event_name}», " if row.event_name else ""
    paid = f"; ghi chi quỹ: phiếu chi {row.voucher_no}" if row.voucher_no else ""
    return (
        f"Đã {verb} suất {row.kind_label.lower()} {format_vnd(row.value_vnd)} cho {row.pupil_name} "
        f"({occasion}ngày {format_date(row.awarded_on)}){paid}."
    )


def _list_awards(args: argparse.Namespace, workspace: Workspace) -> None:
    if args.event:
        event = _EVENTS.find(workspace, args.event)
        rows = award_service.list_awards(workspace, event_id=event.id)
        heading = f"Lễ «{event.name}»"
    else:
        year = _year(args, workspace)
        rows = award_service.list_awards(workspace, year)
        heading = f"Năm {year}"
    if args.search:
        rows = [r for r in rows if matches(r.search_key, args.search)]
    table = [
        (
            format_date(r.awarded_on),
            r.pupil_name,
            r.birth_year,
            r.hamlet_name,
            school_text(r.school, r.grade),
            r.category_label,
            r.kind_label,
            _number(r.value_vnd, args.format),
            r.sponsor,
            r.event_name,
            r.voucher_no,
        )
        for r in rows
    ]
    headers = ("Ngày trao", "Học sinh", "Năm sinh", "Ấp", "Trường/lớp", "Diện", "Hình thức", "Giá trị (đồng)",
               "Nhà tài trợ", "Lễ trao", "Phiếu chi")  # fmt: skip
    cash = sum(r.value_vnd for r in rows if r.is_cash)
    in_kind = sum(r.value_vnd for r in rows if not r.is_cash)
    summary = (
        f"{heading}: {format_count(len(rows))} suất, {format_vnd(cash + in_kind)} "
        f"(tiền mặt {format_vnd(cash)}; hiện vật {format_vnd(in_kind)})."
        if rows
        else f"{heading}: không có suất học bổng, quà nào khớp."
    )
    _print_rows(headers, table, args.format, summary)


def _add_award(args: argparse.Namespace, workspace: Workspace) -> None:
    values = _given(args, _AWARD_OPTIONS)
    event = _award_links(workspace, values)
    values.setdefault("pupil_name", "")  # a pupil of the register is named by the register
    values.setdefault("awarded_on", event.held_on if event else date.today())
    award_id = award_service.create_award(workspace, AwardInput(**values), args.allow_negative)
    print(_award_line("thêm", workspace, award_id))


def _edit_award(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, _AWARD_OPTIONS)
    award = _find_award(workspace, args.award)
    _award_links(workspace, changes)
    current = award_service.award_input(workspace, award.id)
    award_service.update_award(workspace, award.id, replace(current, **changes), args.allow_negative)
    print(_award_line("sửa", workspace, award.id))


def _delete_award(args: argparse.Namespace, workspace: Workspace) -> None:
    award = _find_award(workspace, args.award)
    award_service.delete_award(workspace, award.id)
    paid = f" cùng phiếu chi {award.voucher_no}" if award.voucher_no else ""
    print(
        f"Đã chuyển suất {_award_label(award)}{paid} vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} award-restore --award "{award.pupil_name}"'
    )


def _restore_award(args: argparse.Namespace, workspace: Workspace) -> None:
    """The newest binned award that reads the same; its payment voucher comes back with it."""
    binned = _newest(_bin_source("award").records(workspace), lambda r: (fold(r.label), fold(r.detail)))
    record = _pick_deleted(args.award, binned, "suất học bổng, quà đã xóa")
    award_service.restore_award(workspace, record.id, args.allow_negative)
    print(_award_line("khôi phục", workspace, record.id))


def _list_events(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = award_service.list_events(workspace, year)
    table = [
        (
            format_date(e.held_on),
            e.name,
            e.place,
            e.sponsor,
            e.school_year,
            _number(e.award_count, args.format),
            _number(e.cash_total, args.format),
            _number(e.in_kind_total, args.format),
            _number(e.total, args.format),
        )
        for e in rows
    ]
    headers = ("Ngày", "Lễ trao", "Địa điểm", "Nhà tài trợ", "Năm học", "Số suất", "Tiền mặt (đồng)",
               "Hiện vật (đồng)", "Tổng (đồng)")  # fmt: skip
    _print_rows(headers, table, args.format, _total(len(rows), "lễ trao"))


_EVENT_OPTIONS = {
    "date": "held_on",
    "place": "place",
    "sponsor": "sponsor",
    "school_year": "school_year",
    "note": "note",
}


def _event_line(verb: str, workspace: Workspace, event_id: str) -> str:
    event = award_service.list_events(workspace, ids=[event_id])[0]
    where = f" tại {event.place}" if event.place else ""
    return f"Đã {verb} lễ trao «{event.name}» ngày {format_date(event.held_on)}{where}, năm học {event.school_year}."


def _add_event(args: argparse.Namespace, workspace: Workspace) -> None:
    data = AwardEventInput(**_given(args, {"name": "name", **_EVENT_OPTIONS}))
    print(_event_line("thêm", workspace, award_service.create_event(workspace, data)))


def _edit_event(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, {"new_name": "name", **_EVENT_OPTIONS})
    event = _EVENTS.find(workspace, args.name)
    award_service.update_event(workspace, event.id, replace(award_service.event_input(workspace, event.id), **changes))
    print(_event_line("sửa", workspace, event.id))


def _award_list(args: argparse.Namespace, workspace: Workspace) -> None:
    # Imported here: reportlab and openpyxl would slow every other command's start.
    from khuyenhoc_desktop.documents.award_list import write_award_list
    from khuyenhoc_desktop.documents.report_text import letterhead_of

    event = _EVENTS.find(workspace, args.event)
    out = Path(args.out).expanduser()
    rows = award_service.list_awards(workspace, event_id=event.id)
    write_award_list(event, rows, letterhead_of(workspace.profile), out)
    print(f"Đã ghi danh sách nhận học bổng, quà lễ «{event.name}» ({format_count(len(rows))} suất) vào {out}")


# --- the fund ledger ---

_LEDGER_FIELDS = {"date": "entry_on", "category": "category", "counterpart": "counterpart", "amount": "amount",
                  "note": "note"}  # fmt: skip


def _entry_name(row: LedgerRow) -> str:
    """ "phiếu thu PT-2025-001", as a sentence names it."""
    return f"{VOUCHER_NAMES[row.direction]} {row.voucher_no}"


def _find_entry(workspace: Workspace, query: str) -> LedgerRow:
    """A voucher by its number; "thu 01" or "phiếu chi 01" when a receipt and a payment share the number."""
    return _pick(
        query,
        ledger_service.list_entries(workspace),
        lambda r: (r.voucher_no, _entry_name(r), f"{r.direction_label} {r.voucher_no}"),
        _entry_name,
        "phiếu",
    )


def _entry_line(verb: str, workspace: Workspace, entry_id: str) -> str:
    row = next(r for r in ledger_service.list_entries(workspace) if r.id == entry_id)
    who = f" — {row.counterpart}" if row.counterpart else ""
    return (
        f"Đã {verb} {_entry_name(row)} ngày {format_date(row.entry_on)}: {row.category_label}{who}, "
        f"{format_vnd(row.amount)}. Tồn quỹ sau phiếu: {format_vnd(row.balance)}."
    )


def _list_ledger(args: argparse.Namespace, workspace: Workspace) -> None:
    """The cash book of a year: every line with the balance after it, then the year's summary."""
    year = _year(args, workspace)
    rows = ledger_service.list_entries(workspace, year)
    if args.search:
        rows = [r for r in rows if matches(r.search_key, args.search)]

    def money(amount: int) -> str:
        return _number(amount, args.format) if amount else ""

    table = [
        (
            format_date(r.entry_on),
            r.voucher_no,
            r.direction_label,
            r.category_label,
            r.counterpart,
            money(r.receipt),
            money(r.payment),
            _number(r.balance, args.format),
            r.note,
        )
        for r in rows
    ]
    headers = ("Ngày", "Số phiếu", "Loại", "Nội dung", "Người nộp / nhận", "Thu (đồng)", "Chi (đồng)",
               "Tồn quỹ (đồng)", "Ghi chú")  # fmt: skip
    summary = f"Năm {year}: {fund_text(ledger_service.year_summary(workspace, year))}."
    _print_rows(headers, table, args.format, summary)


def _ledger_adder(direction: str) -> Job:
    def add(args: argparse.Namespace, workspace: Workspace) -> None:
        data = LedgerInput(direction=direction, **_given(args, {**_LEDGER_FIELDS, "voucher": "voucher_no"}))
        print(_entry_line("thêm", workspace, ledger_service.create_entry(workspace, data, args.allow_negative)))

    return add


def _edit_entry(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, {**_LEDGER_FIELDS, "new_voucher": "voucher_no"})
    row = _find_entry(workspace, args.voucher)
    current = ledger_service.ledger_input(workspace, row.id)
    ledger_service.update_entry(workspace, row.id, replace(current, **changes), args.allow_negative)
    print(_entry_line("sửa", workspace, row.id))


def _delete_entry(args: argparse.Namespace, workspace: Workspace) -> None:
    row = _find_entry(workspace, args.voucher)
    ledger_service.delete_entry(workspace, row.id, args.allow_negative)
    label = entry_record(row.direction, row.voucher_no)  # how the bin lists it
    print(
        f"Đã chuyển {_entry_name(row)} ({format_vnd(row.amount)}) vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} bin-restore --kind ledger_entry --label "{label}"'
    )


def _print_voucher(args: argparse.Namespace, workspace: Workspace) -> None:
    # Imported here: reportlab would slow every other command's start.
    from khuyenhoc_desktop.documents.vouchers import write_voucher

    row = _find_entry(workspace, args.voucher)
    out = Path(args.out).expanduser()
    write_voucher(workspace.profile, row, out)
    print(f"Đã ghi {_entry_name(row)} ({format_vnd(row.amount)}) vào {out}")


def _amount_words(args: argparse.Namespace) -> int:
    print(amount_in_words(args.amount))
    return 0


# --- learning activities and their targets ---

_ACTIVITY_OPTIONS = {
    "kind": "kind",
    "name": "name",
    "field": "field",
    "date": "starts_on",
    "end": "ends_on",
    "place": "place",
    "participants": "participants",
    "note": "note",
}


def _activity_label(row: ActivityRow) -> str:
    """ "lớp tập huấn «Kỹ thuật trồng lúa» ngày 01/04/2025", as a sentence names it."""
    return f"{ACTIVITY_KIND_NOUNS[row.kind].lower()} «{row.name}» ngày {format_date(row.starts_on)}"


def _find_activity(workspace: Workspace, query: str) -> ActivityRow:
    """An activity by its name (or topic); with its date when the name recurs."""
    return _pick(
        query,
        activity_service.list_activities(workspace),
        lambda a: (a.name, f"{a.name} {format_date(a.starts_on)}"),
        _activity_label,
        "hoạt động",
    )


def _activity_line(verb: str, workspace: Workspace, activity_id: str) -> str:
    row = activity_service.list_activities(workspace, ids=[activity_id])[0]
    until = f" đến {format_date(row.ends_on)}" if row.ends_on else ""
    return f"Đã {verb} {_activity_label(row)}{until}: {format_count(row.participants)} người."


def _list_activities(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = activity_service.list_activities(workspace, year, args.kind)
    table = [
        (
            r.kind_label,
            r.name,
            r.field,
            format_date(r.starts_on),
            format_date(r.ends_on),
            r.place,
            _number(r.participants, args.format),
            r.note,
        )
        for r in rows
    ]
    headers = ("Loại", "Tên lớp / chủ đề", "Lĩnh vực", "Từ ngày", "Đến ngày", "Địa điểm", "Số người", "Ghi chú")
    _print_rows(headers, table, args.format, _total(len(rows), f"hoạt động năm {year}"))


def _add_activity(args: argparse.Namespace, workspace: Workspace) -> None:
    data = ActivityInput(**_given(args, _ACTIVITY_OPTIONS))
    print(_activity_line("thêm", workspace, activity_service.create_activity(workspace, data)))


def _edit_activity(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, _ACTIVITY_OPTIONS)
    row = _find_activity(workspace, args.activity)
    current = activity_service.activity_input(workspace, row.id)
    activity_service.update_activity(workspace, row.id, replace(current, **changes))
    print(_activity_line("sửa", workspace, row.id))


def _delete_activity(args: argparse.Namespace, workspace: Workspace) -> None:
    row = _find_activity(workspace, args.activity)
    activity_service.delete_activity(workspace, row.id)
    print(
        f"Đã chuyển {_activity_label(row)} vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} bin-restore --kind activity --label "{row.name}"'
    )


def _progress_cells(item: TargetProgress, fmt: str) -> tuple[str, ...]:
    target = "" if item.target is None else _number(item.target, fmt)
    return (ACTIVITY_KIND_LABELS[item.kind], target, _number(item.actual, fmt), _number(item.participants, fmt),
            format_percent(item.rate))  # fmt: skip


def _list_targets(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = [_progress_cells(item, args.format) for item in activity_service.year_progress(workspace, year)]
    headers = ("Loại", "Chỉ tiêu", "Thực hiện", "Số người", "Đạt (so với chỉ tiêu)")
    _print_rows(headers, rows, args.format, f"Chỉ tiêu và kết quả năm {year}; chỉ tiêu 0 hoặc trống: chưa đặt.")


def _set_target(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    activity_service.set_target(workspace, year, args.kind, args.target)
    item = next(i for i in activity_service.year_progress(workspace, year) if i.kind == args.kind)
    unit = count_unit(args.kind)
    target = f"{format_count(args.target)} {unit}" if args.target else "không đặt"
    print(
        f"Chỉ tiêu năm {year} — {ACTIVITY_KIND_LABELS[args.kind]}: {target}; "
        f"đã thực hiện {format_count(item.actual)} {unit} ({format_percent(item.rate)})."
    )


# --- exemplary models and commendations ---

_HONOUR_OPTIONS = {
    "kind": "kind",
    "recipient_kind": "recipient_kind",
    "recipient": "recipient",
    "member": "member_id",
    "hamlet": "hamlet_id",
    "level": "level",
    "issuer": "issuer",
    "decision": "decision_no",
    "date": "honoured_on",
    "content": "content",
}


def _honour_label(row: HonourRow) -> str:
    """How a sentence names an honour: "giấy khen «Trần Văn Hùng» ngày 01/12/2025"."""
    return f"{row.kind_label.lower()} «{row.recipient}» ngày {format_date(row.honoured_on)}"


def _find_honour(workspace: Workspace, query: str) -> HonourRow:
    """An honour by who received it; with the date when they were honoured more than once."""
    return _pick(
        query,
        honour_service.list_honours(workspace),
        lambda h: (h.recipient, f"{h.recipient} {format_date(h.honoured_on)}", f"{h.kind_label} {h.recipient}"),
        _honour_label,
        "mô hình, giấy khen",
    )


def _honour_links(workspace: Workspace, values: dict[str, Any]) -> None:
    """--member names the person honoured from the households register ("" unlinks, as a typed --recipient
    does); --hamlet the hamlet."""
    if "recipient" in values:
        values.setdefault("member_id", "")
    if "member_id" in values:
        given = values["member_id"]
        member = _referenced_member(workspace, given) if nfc(given) else None
        values["member_id"] = member.id if member else None
        if member is not None:
            values["recipient"] = member.full_name
    _resolve_hamlet(workspace, values, commune_wide=True)


def _honour_line(verb: str, workspace: Workspace, honour_id: str) -> str:
    row = honour_service.list_honours(workspace, ids=[honour_id])[0]
    by = f", {row.issuer}" if row.issuer else ""
    return f"Đã {verb} {_honour_label(row)} ({row.recipient_kind_label.lower()}, {row.level_label.lower()}{by})."


def _list_honours(args: argparse.Namespace, workspace: Workspace) -> None:
    year = _year(args, workspace)
    rows = honour_service.list_honours(workspace, year, args.kind)
    table = [
        (
            format_date(r.honoured_on),
            r.kind_label,
            r.recipient_kind_label,
            r.recipient,
            r.hamlet_name,
            r.level_label,
            r.issuer,
            r.decision_no,
            r.content,
        )
        for r in rows
    ]
    headers = ("Ngày khen", "Loại", "Đối tượng", "Người / tập thể", "Ấp", "Cấp khen", "Cơ quan khen",
               "Số quyết định", "Nội dung")  # fmt: skip
    _print_rows(headers, table, args.format, _total(len(rows), f"mô hình, giấy khen năm {year}"))


def _add_honour(args: argparse.Namespace, workspace: Workspace) -> None:
    values = _given(args, _HONOUR_OPTIONS)
    if values.get("member_id") and values["recipient_kind"] != RecipientKind.PERSON:
        raise UserError("--member chỉ dùng khi khen một cá nhân (--recipient-kind ca_nhan).")
    _honour_links(workspace, values)
    print(_honour_line("thêm", workspace, honour_service.create_honour(workspace, HonourInput(**values))))


def _edit_honour(args: argparse.Namespace, workspace: Workspace) -> None:
    changes = _changes(args, _HONOUR_OPTIONS)
    row = _find_honour(workspace, args.honour)
    _honour_links(workspace, changes)
    current = honour_service.honour_input(workspace, row.id)
    honour_service.update_honour(workspace, row.id, replace(current, **changes))
    print(_honour_line("sửa", workspace, row.id))


def _delete_honour(args: argparse.Namespace, workspace: Workspace) -> None:
    row = _find_honour(workspace, args.honour)
    honour_service.delete_honour(workspace, row.id)
    print(
        f"Đã chuyển {_honour_label(row)} vào thùng rác. "
        f'Lấy lại bằng: {APP_NAME} bin-restore --kind honour --label "{row.recipient}"'
    )


# --- statistics ---


def _counts(figures: statistics_service.TitleFigures, fmt: str) -> tuple[str, str, str]:
    return (_number(figures.total, fmt), _number(figures.registered, fmt), _number(figures.recognised, fmt))


def _titles_table(total: Mapping[str, statistics_service.TitleFigures], fmt: str = "table") -> None:
    """The total of every title (a commune's, or an office's), each rate with what it was divided by."""
    rows = [
        (f.title_label, *_counts(f, fmt), f"{format_percent(f.rate)} ({f.denominator_label})") for f in total.values()
    ]
    _print_rows(("Danh hiệu", *statistics_service.FIGURE_HEADERS, "Tỷ lệ công nhận"), rows, fmt)


def _print_support(stats: statistics_service.CommuneStatistics) -> None:
    """The report's part II under the titles: each line as the report words it, a breakdown indented."""
    if stats.support is None:
        return
    print(f"\n{SUPPORT_HEADING} năm {stats.year}:")
    for line in support_lines(stats.support):
        print(f"    - {line.text}" if line.detail else f"  {line.text}")


def _statistics(args: argparse.Namespace, workspace: Workspace) -> None:
    if _is_office(workspace):
        _office_statistics(args, workspace)
        return
    stats = statistics_service.commune_statistics(workspace, _year(args, workspace))
    if args.title is None:
        _titles_table(stats.total, args.format)
        if args.format == "table":  # a CSV stays one table
            _print_support(stats)
        return
    rows = [
        (name, *_counts(f[args.title], args.format), format_percent(f[args.title].rate))
        for name, f in [*((h.hamlet_name, h.figures) for h in stats.hamlets), ("Toàn xã", stats.total)]
    ]
    headers = ("Ấp", *statistics_service.FIGURE_HEADERS, statistics_service.rate_header(args.title))
    _print_rows(headers, rows, args.format, f"{TITLE_LABELS[args.title]} năm {stats.year}.")


# --- the commune report ---


def _report(args: argparse.Namespace, workspace: Workspace) -> None:
    if _is_office(workspace):
        _office_report(args, workspace)
        return
    # Imported here: reportlab and openpyxl would slow every other command's start by a sixth of a second.
    from khuyenhoc_desktop.documents.reports import write_report

    out = Path(args.out).expanduser()
    year = _year(args, workspace)
    stats = statistics_service.commune_statistics(workspace, year)
    write_report(stats, out)
    print(f"Đã ghi báo cáo năm {year} ({len(stats.hamlets)} ấp) vào {out}")
    _titles_table(stats.total)
    _print_support(stats)


# --- signed packages: export and verify (issue 5) ---


def _export_package(args: argparse.Namespace, workspace: Workspace) -> None:
    # Imported here: the package writer pulls in openpyxl and cryptography, which other commands never need.
    from khuyenhoc_desktop.services import packages as package_service

    year = _year(args, workspace)
    result = package_service.export_package(workspace, year, Path(args.out).expanduser())
    print(f"Đã xuất gói số liệu năm {result.period} lần {result.sequence} vào {result.path}")
    print(f"Mã SHA-256 của gói: {result.package_sha256}")
    print(f"Dấu vân tay khóa ký: {result.fingerprint}")
    if result.rotated_to is not None:
        print(f"Gói này báo đổi khóa ký. Từ nay máy này ký bằng khóa mới: {result.rotated_to}")
        print("Hãy gửi gói này lên trước các gói sau, và sao lưu lại khóa ký (key backup).")
    _print_rows(["Trang", "Số dòng"], [(sheet, format_count(n)) for sheet, n in result.rows.items()])


def _list_exports(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import packages as package_service

    rows = package_service.list_exports(workspace)
    table = [
        (r.period, r.sequence, format_local_time(r.exported_at), r.file_name, format_count(r.rows), r.data_sha256[:16])
        for r in rows
    ]
    summary = f"{format_count(len(rows))} gói đã xuất, mới nhất trước."
    _print_rows(["Kỳ", "Lần", "Thời điểm", "Tệp", "Số dòng", "Mã băm số liệu"], table, args.format, summary)


def _verify_package(args: argparse.Namespace) -> int:
    """Reads only the file (and the folder's public key when --data-dir is given): never a database."""
    from khuyenhoc_desktop.exchange import keys
    from khuyenhoc_desktop.services import packages as package_service

    data_dir = Path(args.data_dir).expanduser() if args.data_dir else None
    checked = package_service.verify_package(Path(args.file).expanduser(), data_dir)
    manifest = checked.manifest
    previous = manifest.previous_package_sha256 or "không có (gói đầu tiên của kỳ)"
    print("Gói số liệu hợp lệ: chữ ký, mã băm, kích thước và danh sách tệp đều đúng.")
    print(f"Đơn vị gửi: {manifest.commune_name} (mã {manifest.commune_code}), {manifest.province_name}")
    print(f"Dấu vân tay khóa ký: {checked.fingerprint}")
    print(f"Thời điểm xuất: {format_local_time(manifest.exported_at)} (giờ máy này)")
    print(f"Kỳ số liệu: năm {manifest.period}, lần xuất thứ {manifest.sequence}")
    print(f"Gói trước của kỳ: {previous}")
    if manifest.next_public is not None:
        print(f"Gói báo đổi khóa ký sang khóa có dấu vân tay: {keys.fingerprint(manifest.next_public)}")
    if checked.own_key is not None:
        own = "trùng" if checked.own_key else "KHÁC"
        print(f"Khóa ký: {own} khóa của thư mục dữ liệu {data_dir}")
    _print_rows(["Trang", "Số dòng"], [(sheet, format_count(n)) for sheet, n in manifest.rows.items()])
    print("Hãy so dấu vân tay với phiếu đăng ký khóa ký của đơn vị gửi.")
    return 0


# --- the signing key (issue 5) ---
# services.keys is imported in each command: cryptography would slow every other command's start.


def _passphrase(args: argparse.Namespace, confirm: bool) -> str:
    """From the environment variable named by --passphrase-env (for scripts), else typed without echo."""
    if args.passphrase_env:
        value = os.environ.get(args.passphrase_env)
        if value is None:
            raise UserError(f"Biến môi trường {args.passphrase_env} chưa được đặt: không có mật khẩu để dùng.")
        return value
    typed = getpass.getpass("Mật khẩu bảo vệ khóa: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != typed:
        raise UserError("Hai lần nhập mật khẩu không giống nhau. Chưa ghi gì.")
    return typed


def _print_key(info: KeyInfo) -> None:
    print(f"Dấu vân tay khóa ký: {info.fingerprint}")
    print(f"Mã khóa: {info.key_id}")


def _key_show(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import keys as key_service

    info = key_service.key_info(workspace)
    _print_key(info)
    print(f"Khóa công khai (base64): {info.public_base64}")
    pending = key_service.pending_key(workspace)
    if pending is not None:
        print(f"Khóa mới chờ dùng từ sau lần xuất gói tới: {pending.fingerprint} (mã {pending.key_id})")


def _key_export(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import keys as key_service

    out = Path(args.out).expanduser()
    _print_key(key_service.export_public(workspace, out))
    print(f"Đã ghi khóa công khai vào {out}. Gửi tệp này cùng phiếu đăng ký khóa cho cơ quan tổng hợp.")


def _key_backup(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import keys as key_service

    out = Path(args.out).expanduser()
    _print_key(key_service.export_backup(workspace, out, _passphrase(args, confirm=True)))
    print(f"Đã sao lưu khóa ký (có mật khẩu) vào {out}. Cất tệp và mật khẩu ở hai nơi khác nhau.")


def _key_restore(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import keys as key_service

    source = Path(args.source).expanduser()
    info = key_service.restore_backup(workspace, source, _passphrase(args, confirm=False), replace=args.replace)
    print(f"Đã khôi phục khóa ký từ {source.name}.")
    _print_key(info)


def _key_sheet(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.documents.key_sheet import write_key_sheet  # reportlab: only when printing
    from khuyenhoc_desktop.services import keys as key_service

    out = Path(args.out).expanduser()
    info = key_service.pending_key(workspace) if args.next else key_service.key_info(workspace)
    if info is None:
        raise UserError("Chưa có khóa mới nào chờ dùng: hãy đổi khóa trước (key rotate).")
    write_key_sheet(workspace.profile, info, out)
    print(f"Đã ghi phiếu đăng ký khóa ký số liệu vào {out}. In, ký, đóng dấu rồi gửi cơ quan tổng hợp.")
    _print_key(info)


def _key_rotate(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import keys as key_service

    current = key_service.key_info(workspace)
    pending = key_service.rotate_key(workspace)
    print(f"Đã tạo khóa ký mới, chờ dùng: {pending.fingerprint} (mã {pending.key_id})")
    print(f"Gói số liệu xuất lần tới vẫn ký bằng khóa hiện tại ({current.fingerprint}) và báo khóa mới lên.")
    print("Xuất xong, máy này chuyển sang khóa mới; khóa cũ được cất lại, không ký nữa.")
    print("Đổi khóa lần nữa trước khi xuất gói thì khóa đang chờ được thay bằng khóa khác.")
    print(f"Phiếu đăng ký cho khóa mới: {APP_NAME} key sheet --next --out TỆP.pdf")


# --- the parser ---


# The consolidating office (issue 6): the reconciliation minute of a merge run, held forks, merged communes.
def _minute_path(args: argparse.Namespace) -> Path | None:
    """Checked before any package is read, so a wrong name never costs a whole run."""
    if not args.minute:
        return None
    path = Path(args.minute).expanduser()
    if path.suffix.lower() != ".pdf":
        raise UserError(f"Không ghi được biên bản đối soát vào «{path.name}»: tên tệp phải kết thúc bằng .pdf.")
    return path


def _write_merge_minute(
    workspace: Workspace, out: Path, reviews: list[Review], refused: list[tuple[str, str]], outcomes: dict[Path, str]
) -> None:
    from khuyenhoc_desktop.documents.reconciliation_minute import write_reconciliation_minute
    from khuyenhoc_desktop.documents.report_text import letterhead_of

    write_reconciliation_minute(letterhead_of(workspace.profile), out, reviews, refused, outcomes)
    print(f"Đã ghi biên bản đối soát số liệu vào {out}.")


def _forks(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import merge as merge_service
    from khuyenhoc_desktop.services import office as office_service

    chosen = args.accept or args.reject
    if chosen:
        path = Path(chosen).expanduser()
        result = merge_service.decide_fork(workspace, path, bool(args.accept), args.reason or "")
        if result is None:
            print(f"Đã ghi quyết định không nhận gói rẽ nhánh {path.name}.")
        else:
            found = result.review
            print(f"Đã nhận gói rẽ nhánh {path.name}: số liệu năm {found.period} của {found.commune_name} "
                  f"nay theo gói lần {found.sequence}.")  # fmt: skip
        return
    names = {c.code: c.name for c in office_service.list_communes(workspace)}
    rows = [
        [f.commune_code, names.get(f.commune_code, ""), f.period, f.sequence, format_local_time(f.received_at),
         f.key_id, f.package_sha256[:16], f.warnings.replace("\n", "; ")]
        for f in merge_service.pending_forks(workspace)
    ]  # fmt: skip
    headers = ["Mã xã", "Xã, phường", "Năm", "Lần gửi", "Nhận lúc", "Mã khóa", "SHA-256 (đầu)", "Lý do giữ lại"]
    summary = f"Tổng: {len(rows)} gói rẽ nhánh chờ quyết định." if rows else "Không có gói rẽ nhánh nào chờ quyết định."
    _print_rows(headers, rows, args.format, summary)


def _office_merge_commune(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service

    office_service.mark_merged(workspace, args.code, args.into)
    old, into = (office_service.commune_on_list(workspace, code) for code in (args.code, args.into))
    print(f"Đã ghi {old.name} (mã {old.code}) sáp nhập vào {into.name} (mã {into.code}).")
    print("Số liệu cũ của xã vẫn giữ tên cũ; các gói mới do xã nhận sáp nhập gửi.")


def _office_add_commune(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service

    added = office_service.add_old_commune(workspace, args.code, args.name, args.into)
    merged = "" if added.merged_into_name is None else f", đã sáp nhập vào {added.merged_into_name}"
    print(f"Đã thêm xã, phường cũ {added.name} (mã {added.code}){merged} vào danh sách của cơ quan tổng hợp.")


# The consolidated report (issue 6): on an office's folder, `statistics` and `report` give one row per commune.
def _is_office(workspace: Workspace) -> bool:
    profile = workspace.profile
    return profile is not None and profile.role == Role.CONSOLIDATING_OFFICE


def _office_statistics(args: argparse.Namespace, workspace: Workspace) -> None:
    """Every commune on the list and the total: the titles, then the support work (one table in a CSV, or one
    title's columns with --title); who has not sent, and the old communes inside a row, under it."""
    from khuyenhoc_desktop.services import office_report as report_service

    report = report_service.office_report(workspace, _year(args, workspace))
    if args.title is not None:
        parts = [("", report_service.title_columns(args.title))]
    elif args.format == "csv":
        parts = [("", report_service.COLUMNS)]
    else:
        support = f"\n{SUPPORT_HEADING} năm {report.year}:"
        parts = [
            (f"Các danh hiệu học tập năm {report.year}:", report_service.TITLE_COLUMNS),
            (support, report_service.SUPPORT_COLUMNS),
        ]
    csv_plain = args.format == "csv"
    for heading, columns in parts:
        if heading:
            print(heading)
        headers = [report_service.COMMUNE_HEADER, report_service.PACKAGE_HEADER]
        headers += [f"{c.short_group}: {c.header}" for c in columns]
        rows = [
            [row.name, row.package_label, *(c.text(row, csv_plain) for c in columns)]
            for row in (*report.rows, report.total)
        ]
        _print_rows(headers, rows, args.format)
    if args.format == "table":  # a CSV stays one table
        print("\n".join(["", report.missing_line, *report.merged_notes]))


def _office_report(args: argparse.Namespace, workspace: Workspace) -> None:
    # Imported here, as for the commune's report: reportlab and openpyxl stay off every other command's start.
    from khuyenhoc_desktop.documents.reports import write_office_report
    from khuyenhoc_desktop.services import office_report as report_service

    out = Path(args.out).expanduser()
    report = report_service.office_report(workspace, _year(args, workspace))
    write_office_report(report, out)
    print(f"Đã ghi báo cáo tổng hợp năm {report.year} ({len(report.rows)} xã, phường) vào {out}")
    print(report.received_line)
    _titles_table(report.total.titles)
    print("\n".join(["", report.missing_line, *report.merged_notes]))


def _office_browse(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service
    from khuyenhoc_desktop.services import office_browse

    commune = office_service.commune_on_list(workspace, args.commune).code if args.commune else None
    table = office_browse.load_table(workspace, args.sheet, _year(args, workspace), commune, args.search or "")
    rows = office_browse.sort_rows(table, args.sort)
    csv = args.format == "csv"
    cells = [[c.value(row) if csv and c.numeric else c.text(row) for c in table.columns] for row in rows]
    summary = f"{table.sheet.label} năm {table.period}. {_total(len(rows), table.sheet.noun)}"
    _print_rows([c.header for c in table.columns], cells, args.format, summary)


# The submission board and cross-commune duplicates (issue 6).
def _board(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import submission_board

    board = submission_board.submission_board(workspace, _year(args, workspace))
    rows = []
    for row in board.missing if args.missing else board.rows:
        got = row.received
        sent = ["", "", "", "", "", "", ""] if got is None else [
            got.sequence, got.key_id, got.fingerprint, format_local_time(got.exported_at),
            format_local_time(got.received_at), _number(got.households, args.format), _number(got.members, args.format),
        ]  # fmt: skip
        rows.append([row.code, row.name, row.status_label, *sent, row.notes])
    headers = ["Mã", "Xã, phường", "Trạng thái", "Lần gửi", "Mã khóa", "Dấu vân tay khóa", "Xuất lúc", "Nhận lúc",
               "Số hộ", "Số người", "Ghi chú"]  # fmt: skip
    _print_rows(headers, rows, args.format, f"Năm {board.period}: {board.totals_text}.")


def _duplicates(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import duplicates

    sheet = {"nguoi": duplicates.PEOPLE, "ho": duplicates.HOUSEHOLDS}.get(args.kind or "")
    pairs = [
        pair
        for pair in duplicates.all_pairs(workspace, _year(args, workspace))
        if (args.all or pair.decision is None) and sheet in (None, pair.sheet)
    ]

    def side(s: duplicates.Side) -> list[object]:
        ref = f"{s.commune_code}:{s.record_id}" if args.format == "csv" else s.short_ref
        return [ref, s.full_name, s.commune_name, s.household_code, s.head_name, s.hamlet_name]

    rows = [
        [duplicates.KIND_LABELS[p.sheet], p.first.birth_year, *side(p.first), *side(p.second), p.decision_label, p.note]
        for p in pairs
    ]
    headers = ["Loại", "Năm sinh"]
    for n in (1, 2):
        headers += [f"Mã {n}", f"Họ tên {n}", f"Xã, phường {n}", f"Mã hộ {n}", f"Chủ hộ {n}", f"Ấp {n}"]
    headers += ["Quyết định", "Ghi chú"]
    open_pairs = sum(1 for pair in pairs if pair.decision is None)
    if not pairs:
        summary = "Không có cặp trùng nào" + ("." if args.all else " chưa quyết định.")
    else:
        summary = (
            f"{format_count(len(pairs))} cặp, {format_count(open_pairs)} chưa quyết định. Ghi quyết định: "
            f"{APP_NAME} duplicate-mark --first MÃ_1 --second MÃ_2 --decision giu-ca-hai|trung"
        )
    _print_rows(headers, rows, args.format, summary)


def _duplicate_mark(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import duplicates

    refs = []
    for option, typed in (("--first", args.first), ("--second", args.second)):
        try:
            refs.append(duplicates.parse_ref(typed))
        except UserError as error:
            raise UserError(f"{option}: {error}") from None
    year = _year(args, workspace)
    if args.withdraw:
        pair = duplicates.withdraw_decision(workspace, year, refs[0], refs[1])
        print(f"Đã bỏ quyết định về cặp {pair.title}: cặp này lại chờ xem xét.")
        return
    decision = {"giu-ca-hai": duplicates.Decision.KEEP_BOTH, "trung": duplicates.Decision.DUPLICATE}[args.decision]
    pair = duplicates.mark_pair(workspace, year, refs[0], refs[1], decision, args.note or "")
    print(f"Đã ghi «{pair.decision_label}» cho cặp {pair.title}.")


# Certificates (issue 7): print them with serials and signed QR statements, check one, edit the templates.
_CERTIFICATE_KINDS = {"cong-nhan": "cong_nhan", "giay-khen": "giay_khen"}
_CERTIFICATE_TITLES = ("gia-dinh", "dong-ho", "cong-dong", "don-vi", "cong-dan")


def _option_code(value: str) -> str:
    """ "gia-dinh" on the command line is the title code "gia_dinh"."""
    return value.replace("-", "_")


def _certificate_recipients(
    args: argparse.Namespace, workspace: Workspace, kind: str, title: str | None
) -> list[Recipient]:
    """The recipients the options pick: of one decision (--decision), then only the names given (--only)."""
    from khuyenhoc_desktop.services import certificates as certificate_service

    year = _year(args, workspace)
    decision_id = None
    if args.decision:
        if kind == "giay_khen":
            raise UserError("--decision chọn quyết định công nhận; giấy khen lấy theo hồ sơ khen thưởng của năm.")
        decisions = evaluation_service.list_decisions(workspace, year, title)
        found = [d for d in decisions if fold(d.number) == fold(args.decision)]
        if not found:
            raise UserError(
                f"Không có quyết định công nhận {TITLE_LABELS[title or '']} số «{args.decision}» năm {year}."
            )
        decision_id = found[0].id
    rows = certificate_service.recipients(workspace, kind, year, title, decision_id)
    if not args.only:
        return rows
    wanted = {fold(name): name for name in args.only}
    unknown = [name for key, name in wanted.items() if not any(fold(r.name) == key for r in rows)]
    if unknown:
        raise UserError(
            f"Không có {', '.join(f'«{n}»' for n in unknown)} trong danh sách được "
            f"{'khen' if kind == 'giay_khen' else 'công nhận'} năm {year}. Chưa in giấy nào."
        )
    return [r for r in rows if fold(r.name) in wanted]


def _certificates(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.documents.certificates import write_certificates
    from khuyenhoc_desktop.services import certificates as certificate_service

    kind = _CERTIFICATE_KINDS[args.kind]
    if kind == "giay_khen" and args.title:
        raise UserError("Giấy khen lấy theo hồ sơ khen thưởng, không theo danh hiệu: hãy bỏ --title.")
    title = None if kind == "giay_khen" else _option_code(args.title or "")
    if title == "":
        raise UserError("Giấy công nhận cần --title: " + ", ".join(_CERTIFICATE_TITLES) + ".")
    rows = _certificate_recipients(args, workspace, kind, title)
    if args.list:
        table = [[r.name, r.detail, r.decision_number, _number(r.issued, args.format)] for r in rows]
        _print_rows(["Tên", "Chi tiết", "Quyết định", "Đã in"], table, args.format, _total(len(rows), "hồ sơ"))
        return
    if not args.out:
        raise UserError("Hãy ghi tệp PDF sẽ in ra: --out TỆP.pdf (hoặc --list để chỉ xem danh sách).")
    if not rows:
        raise UserError(f"Không có hồ sơ nào được {'khen' if kind == 'giay_khen' else 'công nhận'} để in giấy.")
    path = Path(args.out).expanduser()
    year, ids = _year(args, workspace), [r.id for r in rows]
    texts = certificate_service.issue(workspace, kind, year, ids, title, output=lambda t: write_certificates(t, path))
    new = [t.serial for t in texts if not t.reprint]
    reprints = len(texts) - len(new)
    print(f"Đã in {format_count(len(texts))} {certificate_service.KIND_LABELS[kind].lower()} vào {path}.")
    if new:
        print(f"Cấp mới {format_count(len(new))} giấy, số sê-ri từ {min(new)} đến {max(new)}.")
    if reprints:
        print(f"In lại {format_count(reprints)} giấy đã cấp (giữ số sê-ri cũ, ghi «bản in lại» trên giấy).")


def _certificate_check(args: argparse.Namespace) -> int:
    from khuyenhoc_desktop.services import certificates as certificate_service

    statement = sys.stdin.read() if args.text == "-" else args.text
    data_dir = _data_dir(args)
    if database_path(data_dir).is_file():
        with _open_workspace(data_dir, _Needs.DATABASE) as workspace:
            result = certificate_service.check(workspace, statement)
    else:
        result = certificate_service.check(None, statement)
    print("GIẤY THẬT" if result.genuine else "KHÔNG XÁC NHẬN ĐƯỢC LÀ GIẤY THẬT")
    print(result.reason)
    for label, value in (
        ("Số sê-ri", result.serial),
        ("Danh hiệu", result.title_label),
        ("Năm", "" if result.year is None else str(result.year)),
        ("Người, tập thể được cấp", result.recipient),
        ("Xã, phường", result.commune),
        ("In lần đầu", "" if result.issued_at is None else format_local_time(result.issued_at)),
        ("Số lần in", str(result.prints) if result.prints else ""),
    ):
        if value:
            print(f"{label}: {value}")
    return 0 if result.genuine else EXIT_REFUSED


def _certificate_template(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import certificates as certificate_service

    key = _option_code(args.title)
    template = certificate_service.default_template(key) if args.reset else certificate_service.template(workspace, key)
    changes: dict[str, Any] = {}
    for item in args.set or ():
        field, equals, value = item.partition("=")
        if not equals or field not in certificate_service.TEMPLATE_FIELDS:
            raise UserError(
                f"«{item}»: hãy ghi TRƯỜNG=GIÁ_TRỊ, TRƯỜNG là một trong "
                + ", ".join(f"{name} ({label.lower()})" for name, label in certificate_service.TEMPLATE_FIELDS.items())
                + "."
            )
        lines = value.replace("\\n", "\n")
        changes[field] = tuple(lines.split("\n")) if isinstance(getattr(template, field), tuple) else lines
    if args.reset or changes:
        certificate_service.save_template(workspace, key, replace(template, **changes))
        print(f"Đã lưu mẫu {certificate_service.template_label(key).lower()}.")
        template = certificate_service.template(workspace, key)
    for name, label in certificate_service.TEMPLATE_FIELDS.items():
        value = getattr(template, name)
        shown = " \\n ".join(value) if isinstance(value, tuple) else value
        print(f"{label} ({name}): {shown}")
    if args.show:
        print("Chỗ điền dùng được:")
        for name, meaning in certificate_service.PLACEHOLDERS.items():
            print(f"  {{{name}}}: {meaning}")


# Importing the lists officers keep in Excel (issue 9): every kind of services/import_kinds.py, and the citizens'
# results, which take their year and columns through citizens-import.
_IMPORT_KINDS = ("households", "members", "scholarships", "citizens")
_TEMPLATE_KINDS = ("households", "members", "scholarships")


def _import(args: argparse.Namespace, workspace: Workspace) -> None:
    if args.kind == "citizens":
        if args.mapping or args.save_mapping or args.dry_run or args.sheet or args.skip_problem_rows or args.value:
            raise UserError(
                "Danh sách Công dân học tập chưa dùng --mapping, --save-mapping, --dry-run, --sheet, --value, "
                "--skip-problem-rows; hãy dùng lệnh citizens-import để chọn năm, cột (--map) và ấp."
            )
        _import_citizens(argparse.Namespace(file=args.file, year=None, map=args.map, hamlet=None), workspace)
        return
    from khuyenhoc_desktop.services import spreadsheet_import as engine
    from khuyenhoc_desktop.services.import_kinds import KINDS
    from khuyenhoc_desktop.services.import_workbooks import write_problem_rows
    from khuyenhoc_desktop.services.sheet_reading import ImportProblems

    kind = KINDS[args.kind]
    path = _input_file(args.file)
    layout = engine.read_sheet(kind, path, args.sheet)
    saved = (
        engine.load_settings(kind, _input_file(args.mapping), layout.headers)
        if args.mapping
        else engine.Settings(engine.guess_columns(kind, layout.headers))
    )
    columns = _import_mapping(args.map, layout.headers, kind.field_labels, saved.columns)
    settings = engine.Settings(columns, _value_choices(args.value, kind.options(workspace), saved.values))
    # stdout keeps the outcome, and stays empty on a refusal
    print(f"Trang «{layout.sheet_name}», hàng tiêu đề {layout.header_row_index + 1}.", file=sys.stderr)
    print(f"Cột đã chọn: {engine.describe_columns(kind, settings.columns, layout.headers)}.", file=sys.stderr)
    for value in engine.typed_values(workspace, kind, layout, settings):
        if value.meaning is None:
            near = f" — có phải «{value.suggestion}»?" if value.suggestion else ""
            choice = f"{value.field}:{value.text}={value.suggestion or '…'}"
            print(
                f"Chưa hiểu «{value.text}» ở cột {kind.field_labels[value.field]} ({value.rows} dòng){near} "
                f'Chọn bằng --value "{choice}".',
                file=sys.stderr,
            )
    if args.save_mapping:
        engine.save_settings(kind, Path(args.save_mapping).expanduser(), settings, layout.headers)
    checked = engine.preview_sheet(workspace, kind, layout, path.name, settings)
    if args.problems_out:
        out = Path(args.problems_out).expanduser()
        count = write_problem_rows(checked, out)
        print(f"Đã ghi {count} dòng lỗi vào {out}: sửa ở đó rồi nhập lại tệp ấy.", file=sys.stderr)
    try:
        report = (
            engine.ImportReport.of(checked, written=False)
            if args.dry_run
            else engine.commit(workspace, checked, args.skip_problem_rows)
        )
    except ImportProblems as problems:
        heading = str(problems).splitlines()[0]
        raise UserError("\n".join([heading, *(f"• {p}" for p in problems.problems)])) from None
    print(f"{kind.title} từ tệp «{path.name}». {report.summary}")
    for problem in report.problems:
        print(f"• {problem}")


def _value_choices(
    given: Sequence[str], options: Mapping[str, Options], saved: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """The saved value choices with the officer's --value ones: MỤC:GIÁ_TRỊ=NGHĨA, the meaning one of the field's
    options (typed with or without accents)."""
    choices = {field: dict(values) for field, values in saved.items()}
    for item in given:
        field, colon, rest = item.partition(":")
        typed, equals, meaning = rest.rpartition("=")
        if not colon or not equals or field.strip() not in options or not typed.strip():
            raise UserError(
                f"«{item}» không đúng dạng MỤC:GIÁ_TRỊ=NGHĨA (ví dụ «hamlet:Vinh Thanh cu=Ấp Vĩnh Thạnh»); "
                f"MỤC là một trong: {', '.join(options)}."
            )
        found = options[field.strip()]
        label = found.recognise(meaning)
        if label is None:
            raise UserError(f"«{meaning}» không phải {found.what} nào; các {found.what}: {', '.join(found.labels)}.")
        choices.setdefault(field.strip(), {})[words(typed)] = label
    return choices


def _import_template(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services.import_kinds import KINDS
    from khuyenhoc_desktop.services.import_workbooks import write_template

    kind, out = KINDS[args.kind], Path(args.out).expanduser()
    rows = write_template(workspace, kind, out, args.filled)
    filled = f", kèm {rows} {kind.noun} đang có trong sổ" if args.filled else " trống"
    print(f"Đã ghi mẫu {kind.title.lower()}{filled}: {out}")


# The consolidating office (issue 6): its communes, and the communes' keys it trusts.
def _office_init(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service

    level = {"province": "tinh", "district": "huyen", "cluster": "cum"}[args.level]
    info = office_service.init_office(workspace, level, args.code, args.name, args.commune or None)
    communes = office_service.list_communes(workspace)
    print(f"Đã thiết lập cơ quan tổng hợp: {info.name} ({office_service.LEVEL_LABELS[info.level]}, mã {info.code}).")
    print(f"Nhận gói số liệu của {len(communes)} xã, phường.")


def _office_communes(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service

    office_service.require_office_role(workspace)
    rows = [
        [c.code, c.name, "" if c.merged_into_code is None else f"{c.merged_into_code} {c.merged_into_name}"]
        for c in office_service.list_communes(workspace)
    ]
    _print_rows(["Mã", "Xã, phường", "Đã sáp nhập vào"], rows, args.format, f"Tổng: {len(rows)} xã, phường.")


def _trust(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.exchange import keys
    from khuyenhoc_desktop.services import trust as trust_service

    if args.revoke:
        revoked = trust_service.revoke_key(workspace, args.revoke)
        print(f"Đã thu hồi khóa {revoked.key_id} của xã, phường mã {revoked.commune_code}.")
        return
    if not args.keyfile or not args.commune:
        raise UserError("Hãy ghi tệp khóa công khai và --commune MÃ_XÃ (hoặc --revoke MÃ_KHÓA để thu hồi).")
    source = args.source or ("phieu_giay" if args.fingerprint else "tep_khoa")
    public = keys.read_public(Path(args.keyfile).expanduser())
    enrolled = trust_service.enrol_key(workspace, args.commune, public, args.fingerprint, source)
    print(f"Đã đăng ký khóa cho xã, phường mã {enrolled.commune_code}.")
    print(f"Dấu vân tay khóa ký: {enrolled.fingerprint}")
    print(f"Mã khóa: {enrolled.key_id}")


def _trusted(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import office as office_service
    from khuyenhoc_desktop.services import trust as trust_service

    office_service.require_office_role(workspace)
    names = {c.code: c.name for c in office_service.list_communes(workspace)}
    rows = [
        [k.commune_code, names.get(k.commune_code, ""), k.key_id, k.fingerprint,
         trust_service.SOURCE_LABELS.get(k.source, k.source), k.enrolled_at[:10],
         "" if k.revoked_at is None else k.revoked_at[:10]]
        for k in trust_service.keys_of(workspace)
    ]  # fmt: skip
    headers = ["Mã xã", "Xã, phường", "Mã khóa", "Dấu vân tay", "Nguồn", "Ngày đăng ký", "Ngày thu hồi"]
    _print_rows(headers, rows, args.format, f"Tổng: {len(rows)} khóa.")


def _merge(args: argparse.Namespace, workspace: Workspace) -> None:
    from khuyenhoc_desktop.services import merge as merge_service

    refusals: list[str] = []
    minute = _minute_path(args)
    reviewed: list[Review] = []  # for the minute, trimmed: a run may take in a whole province
    refused: list[tuple[str, str]] = []
    outcomes: dict[Path, str] = {}

    def not_reviewed(path: Path, reason: str) -> None:
        refusals.append(f"{path.name}: {reason}")
        refused.append((path.name, reason))

    def show(path: Path, found: Review) -> None:
        if minute is not None:
            reviewed.append(merge_service.trimmed(found))
        print(f"{path.name}: {found.commune_name} ({found.commune_code}), năm {found.period}, lần gửi {found.sequence}")
        for sheet in found.sheets:
            print(f"  {sheet.name}: mới {sheet.new}, sửa {len(sheet.changed)}, bỏ {sheet.removed}, "
                  f"giữ nguyên {sheet.unchanged}")  # fmt: skip
        print(f"  Đánh giá: {found.verdict_label}")
        for warning in found.warnings:
            print(f"  Lưu ý: {warning}")

    paths = [Path(given).expanduser() for given in args.files]
    if args.dry_run:
        for path in paths:
            try:
                found = merge_service.review(workspace, path)
            except UserError as error:
                not_reviewed(path, str(error))
                continue
            show(path, found)
            print("  Chạy thử: chưa ghi gì.")
    else:

        def progress(done: int, total: int, name: str) -> None:
            if name:
                print(f"Đang nhận gói {done + 1}/{total}: {name}…", file=sys.stderr, flush=True)

        # One batch: each package in its own transaction, one backup before the first write.
        for item in merge_service.apply_all(workspace, paths, args.allow_fork, progress).items:
            if item.review is None:
                not_reviewed(item.path, item.refusal or "")
                continue
            show(item.path, item.review)
            if item.refusal is not None:
                refusals.append(f"{item.path.name}: {item.refusal}")
                outcomes[item.path] = f"Không nhận: {item.refusal}"
                continue
            print("  Đã nhận gói vào số liệu của cơ quan." if item.applied else "  Không có gì thay đổi.")
            outcomes[item.path] = (
                "Đã nhận vào số liệu của cơ quan." if item.applied else "Đã nhận trước đây: không thay đổi."
            )
    if minute is not None:
        _write_merge_minute(workspace, minute, reviewed, refused, outcomes)
    if refusals:
        raise UserError("Không nhận:\n" + "\n".join(f"• {r}" for r in refusals))


def _add_data_dir(parser: argparse.ArgumentParser, where: str) -> None:
    # SUPPRESS: a --data-dir given before the command name is kept when none follows it.
    parser.add_argument("--data-dir", metavar="THƯ_MỤC", default=argparse.SUPPRESS, help=where)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=APP_NAME,
        description=f"{APP_TITLE} — sổ quản lý xã hội học tập cho Hội Khuyến học.\nKhông ghi lệnh: mở cửa sổ phần mềm.",
        epilog=f"Ví dụ:\n  {APP_NAME} --demo                  mở phần mềm với xã mẫu\n"
        f"  {APP_NAME} --demo --office         mở phần mềm với cơ quan tổng hợp mẫu\n"
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
    parser.add_argument(
        "--office", action="store_true", help="cùng --demo: cơ quan tổng hợp mẫu đã nhận gói của vài xã mẫu"
    )
    parser.set_defaults(run=_start_gui)
    commands = parser.add_subparsers(title="lệnh", metavar="LỆNH", dest="command")

    def command(
        name: str, summary: str, run: Callable[[argparse.Namespace], int], given_only: bool = False
    ) -> argparse.ArgumentParser:
        """`given_only`: an option left out stays out of the namespace (see _given)."""
        argument_default = argparse.SUPPRESS if given_only else None
        sub = commands.add_parser(name, help=summary, description=summary + ".", argument_default=argument_default)
        sub.set_defaults(run=run)
        return sub

    def workspace_command(
        name: str, summary: str, job: Job, needs: _Needs, given_only: bool = False
    ) -> argparse.ArgumentParser:
        sub = command(name, summary, _with_workspace(job, needs), given_only)
        _add_data_dir(sub, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
        return sub

    def edit_command(
        name: str, summary: str, job: Job, field_options: Mapping[str, str] | None = None
    ) -> argparse.ArgumentParser:
        """A command that adds or edits a record from the options given; `field_options` names the option to
        correct where it is not the usual one for the field (--new-code for the code of a household edited)."""
        sub = workspace_command(name, summary, job, _Needs.PROFILE, given_only=True)
        sub.set_defaults(field_options=field_options or {})
        return sub

    text_fields = {"address": ("ĐỊA_CHỈ", "địa chỉ"), "phone": ("SỐ", "số điện thoại"), "note": ("GHI_CHÚ", "ghi chú")}

    def text_options(sub: argparse.ArgumentParser, adding: bool, *names: str) -> None:
        for name in names:
            metavar, what = text_fields[name]
            sub.add_argument(f"--{name}", metavar=metavar, help=what if adding else f'{what}; --{name} "" để xóa')

    def household_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument("--head", required=adding, metavar="HỌ_TÊN", help="họ tên chủ hộ")
        sub.add_argument("--hamlet", required=adding, metavar="TÊN", help="ấp của hộ, gõ có dấu hoặc không dấu")
        sub.add_argument(
            "--birth-year",
            type=int if adding else _year_or_none,
            metavar="NĂM",
            help="năm sinh chủ hộ" if adding else "năm sinh chủ hộ; none để xóa",
        )
        sub.add_argument("--sex", choices=[s.value for s in Sex], help="giới tính chủ hộ")
        text_options(sub, adding, "address", "phone", "note")

    demo = command("demo", "Tạo xã mẫu với dữ liệu minh họa, không mở cửa sổ", _demo)
    _add_data_dir(demo, f"nơi tạo xã mẫu (mặc định: {demo_data_dir()})")
    demo.set_defaults(demo=True)
    # No defaults here: create_demo's own are the ones the window uses too.
    demo.add_argument(
        "--households", type=int, metavar="SỐ", help=f"số hộ gia đình (mặc định {DEFAULT_DEMO_HOUSEHOLDS})"
    )
    demo.add_argument("--seed", type=int, metavar="SỐ", help="hạt giống ngẫu nhiên: cùng số thì cùng dữ liệu")
    demo.add_argument("--commune", metavar="MÃ_XÃ", help=f"mã xã, phường 5 chữ số (mặc định {DEFAULT_DEMO_COMMUNE})")
    demo.add_argument(
        "--office", action="store_true", help="tạo cơ quan tổng hợp mẫu (tỉnh Tây Ninh) đã nhận gói của vài xã mẫu"
    )
    demo.add_argument("--communes", type=int, metavar="SỐ", help="cùng --office: số xã mẫu đã gửi gói (mặc định 6)")

    self_test = command(
        "self-test",
        "Tự kiểm tra trên máy này: mở cửa sổ chính (không hiện ra màn hình), thêm và đọc lại một hộ, tạo xã mẫu, "
        "xuất và kiểm tra gói số liệu, in giấy công nhận ra PDF, rồi thoát",
        _self_test,
    )
    _add_data_dir(self_test, "thử trên bản sao dữ liệu của thư mục này, bản gốc giữ nguyên (mặc định: dữ liệu trống)")

    about = command(
        "about", "Phiên bản, thư mục dữ liệu, thư mục nhật ký và phiên bản thư viện (như Trợ giúp → Giới thiệu)", _about
    )
    _add_data_dir(about, "thư mục dữ liệu cần cho biết (mặc định: thư mục riêng của người dùng)")

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
    _add_format(households)

    add = edit_command("household-add", "Thêm một hộ gia đình", _add_household)
    add.add_argument("--code", metavar="MÃ", help="mã hộ (mặc định: mã kế tiếp)")
    household_options(add, adding=True)
    household_edit = edit_command(
        "household-edit", "Sửa một hộ gia đình: chỉ các mục được ghi thay đổi", _edit_household, {"code": "--new-code"}
    )
    household_edit.add_argument("--code", required=True, metavar="MÃ", help="mã hộ cần sửa")
    household_edit.add_argument("--new-code", metavar="MÃ", help="mã hộ mới")
    household_options(household_edit, adding=False)

    for name, summary, job in (
        ("household-delete", "Chuyển một hộ vào thùng rác", _delete_household),
        ("household-restore", "Lấy một hộ từ thùng rác về sổ", _restore_household),
    ):
        workspace_command(name, summary, job, _Needs.PROFILE).add_argument(
            "--code", required=True, metavar="MÃ", help="mã hộ"
        )

    def listing(name: str, summary: str, job: Job) -> argparse.ArgumentParser:
        sub = workspace_command(name, summary, job, _Needs.PROFILE)
        _add_format(sub)
        return sub

    def household_code(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--code", required=True, metavar="MÃ", help="mã hộ")
        return sub

    def member_name(sub: argparse.ArgumentParser, what: str) -> None:
        household_code(sub).add_argument(
            "--member",
            required=True,
            metavar="HỌ_TÊN",
            help=f"{what}, gõ có dấu hoặc không dấu; thêm năm sinh khi trùng tên",
        )

    def vocabulary(labels: Mapping[str, str]) -> str:
        return ", ".join(f"{code} ({label})" for code, label in labels.items())

    def member_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument("--name", required=adding, metavar="HỌ_TÊN", help="họ tên" if adding else "họ tên mới")
        sub.add_argument(
            "--birth-year",
            type=int if adding else _year_or_none,
            metavar="NĂM",
            help="năm sinh" if adding else "năm sinh; none để xóa",
        )
        sub.add_argument("--sex", choices=[s.value for s in Sex], help="giới tính")
        sub.add_argument(
            "--relation",
            choices=[r.value for r in Relation],
            metavar="QUAN_HỆ",
            help=f"quan hệ với chủ hộ: {vocabulary(RELATION_LABELS)}",
        )
        sub.add_argument(
            "--school", metavar="TRƯỜNG_LỚP", help="trường/lớp đang học" + ("" if adding else '; --school "" để xóa')
        )
        sub.add_argument(
            "--status",
            choices=[s.value for s in LearningStatus],
            metavar="TÌNH_TRẠNG",
            help=f"tình trạng học tập: {vocabulary(LEARNING_STATUS_LABELS)}",
        )

    household_code(listing("members", "Liệt kê thành viên của một hộ", _list_members))
    defaults = (
        SEX_LABELS[MemberInput.sex],
        RELATION_LABELS[MemberInput.relation],
        LEARNING_STATUS_LABELS[MemberInput.learning_status],
    )
    member_add = edit_command(
        "member-add", f"Thêm một thành viên vào hộ (mặc định: {', '.join(defaults).lower()})", _add_member
    )
    household_code(member_add)
    member_options(member_add, adding=True)
    member_edit = edit_command(
        "member-edit",
        "Sửa một thành viên: chỉ các mục được ghi thay đổi; có mục sai thì không sửa mục nào",
        _edit_member,
    )
    member_name(member_edit, "thành viên cần sửa")
    member_options(member_edit, adding=False)
    member_name(
        workspace_command("member-delete", "Chuyển một thành viên vào thùng rác", _delete_member, _Needs.PROFILE),
        "thành viên",
    )
    member_name(
        workspace_command("member-restore", "Lấy một thành viên từ thùng rác về hộ", _restore_member, _Needs.PROFILE),
        "thành viên đã xóa",
    )

    def year_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--year", type=int, metavar="NĂM", help="năm đánh giá (mặc định: năm làm việc)")

    def title_option(sub: argparse.ArgumentParser, required: bool = True) -> None:
        sub.add_argument(
            "--title",
            required=required,
            choices=[str(t) for t in TITLE_LABELS],
            metavar="DANH_HIỆU",
            help=f"danh hiệu: {_TITLE_CHOICES}",
        )

    def search_option(sub: argparse.ArgumentParser, where: str) -> None:
        sub.add_argument("--search", metavar="CHỮ", help=f"tìm theo {where}, không cần gõ dấu")

    def delete_and_restore(named: _Register[Any]) -> None:
        for suffix, summary, job in (
            ("delete", f"Chuyển một {named.what} vào thùng rác", named.delete_job),
            ("restore", f"Lấy một {named.what} từ thùng rác về sổ", named.restore_job),
        ):
            workspace_command(f"{named.command}-{suffix}", summary, job, _Needs.PROFILE).add_argument(
                "--name", required=True, metavar="TÊN", help=f"tên {named.what}, gõ có dấu hoặc không dấu"
            )

    clans = listing("clans", "Liệt kê dòng họ; tìm không cần gõ dấu", _list_clans)
    search_option(clans, "tên dòng họ, người đại diện, ấp, ghi chú")
    clan_add = workspace_command("clan-add", "Thêm một dòng họ", _add_clan, _Needs.PROFILE)
    clan_add.add_argument("--name", required=True, metavar="TÊN", help="tên dòng họ, ví dụ «Họ Nguyễn Văn»")
    clan_add.add_argument("--representative", default="", metavar="HỌ_TÊN", help="người đại diện")
    clan_add.add_argument(
        "--hamlet", required=True, action="append", metavar="TÊN", help="một ấp có dòng họ; ghi nhiều lần cho nhiều ấp"
    )
    clan_add.add_argument(
        "--household", action="append", default=[], metavar="MÃ_HỘ", help="mã một hộ thành viên; ghi nhiều lần"
    )
    clan_add.add_argument("--note", default="", metavar="GHI_CHÚ", help="ghi chú")
    clan_edit = edit_command(
        "clan-edit",
        "Sửa một dòng họ: tên, người đại diện, ghi chú; thêm, bớt ấp và hộ thành viên",
        _edit_clan,
        {"name": "--new-name", "hamlet_ids": "--remove-hamlet", "household_ids": "--add-household"},
    )
    clan_edit.add_argument("--name", required=True, metavar="TÊN", help="dòng họ cần sửa, gõ có dấu hoặc không dấu")
    clan_edit.add_argument("--new-name", metavar="TÊN", help="tên mới")
    clan_edit.add_argument("--representative", metavar="HỌ_TÊN", help='người đại diện; --representative "" để xóa')
    for option, metavar, what in (("hamlet", "TÊN", "ấp"), ("household", "MÃ_HỘ", "hộ thành viên")):
        for verb, doing in (("add", "thêm"), ("remove", "bớt")):
            clan_edit.add_argument(
                f"--{verb}-{option}", action="append", metavar=metavar, help=f"{doing} một {what}; ghi nhiều lần"
            )
    text_options(clan_edit, False, "note")
    delete_and_restore(_CLANS)

    def unit_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument("--kind", required=adding, choices=[k.value for k in UnitKind], help=f"loại: {_KIND_CHOICES}")
        sub.add_argument("--head", metavar="HỌ_TÊN", help="người đứng đầu")
        sub.add_argument("--staff", type=int, metavar="SỐ", help="số cán bộ, nhân viên")
        sub.add_argument(
            "--hamlet",
            metavar="TÊN",
            help="ấp của đơn vị " + ("(bỏ trống: đơn vị cấp xã)" if adding else '(--hamlet "": đơn vị cấp xã)'),
        )
        text_options(sub, adding, "address", "phone", "note")

    units = listing("units", "Liệt kê đơn vị (trường học, cơ quan, hợp tác xã, doanh nghiệp…)", _list_units)
    search_option(units, "tên, loại, người đứng đầu, địa chỉ, điện thoại, ấp")
    unit_add = edit_command("unit-add", "Thêm một đơn vị", _add_unit)
    unit_add.add_argument("--name", required=True, metavar="TÊN", help="tên đơn vị")
    unit_options(unit_add, adding=True)
    unit_edit = edit_command(
        "unit-edit", "Sửa một đơn vị: chỉ các mục được ghi thay đổi", _edit_unit, {"name": "--new-name"}
    )
    unit_edit.add_argument("--name", required=True, metavar="TÊN", help="đơn vị cần sửa, gõ có dấu hoặc không dấu")
    unit_edit.add_argument("--new-name", metavar="TÊN", help="tên mới")
    unit_options(unit_edit, adding=False)
    delete_and_restore(_UNITS)

    listing(
        "hamlets", "Liệt kê các ấp như cộng đồng học tập: trưởng ấp, số hộ, nhân khẩu, dòng họ, đơn vị", _list_hamlets
    )
    hamlet_set = workspace_command(
        "hamlet-set", "Sửa trưởng ấp, ghi chú của một ấp (tên ấp sửa trong Cài đặt)", _set_hamlet, _Needs.PROFILE
    )
    hamlet_set.add_argument("--hamlet", required=True, metavar="TÊN", help="ấp cần sửa, gõ có dấu hoặc không dấu")
    hamlet_set.add_argument("--leader", metavar="HỌ_TÊN", help="trưởng ấp (không ghi: giữ như cũ)")
    hamlet_set.add_argument("--note", metavar="GHI_CHÚ", help='ghi chú (không ghi: giữ như cũ; --note "" để xóa)')

    citizens = listing("citizens", "Liệt kê công dân học tập với kết quả của một năm", _list_citizens)
    year_option(citizens)
    search_option(citizens, "họ tên, năm sinh, hộ, đơn vị, ấp")
    citizen_add = workspace_command(
        "citizen-add",
        "Thêm một công dân học tập: thành viên của một hộ, hoặc người của một đơn vị",
        _add_citizen,
        _Needs.PROFILE,
    )
    who = citizen_add.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", metavar="MÃ_HỘ:HỌ_TÊN", help="thành viên trong sổ hộ, ví dụ 00012:Nguyễn Văn An")
    who.add_argument("--unit", metavar="TÊN", help="đơn vị của người đó (ghi kèm --name)")
    citizen_add.add_argument("--name", metavar="HỌ_TÊN", help="họ tên (với --unit)")
    citizen_add.add_argument("--birth-year", type=int, metavar="NĂM", help="năm sinh (với --unit)")
    citizen_add.add_argument(
        "--sex", choices=[s.value for s in Sex], default=Sex.MALE.value, help="giới tính (với --unit)"
    )
    citizen_help = "họ tên công dân (thêm năm sinh khi trùng tên), gõ có dấu hoặc không dấu"
    citizen_delete = workspace_command(
        "citizen-delete",
        "Xóa một người khỏi danh sách công dân (vào thùng rác); người còn kết quả thì xóa kết quả trước",
        _delete_citizen,
        _Needs.PROFILE,
    )
    citizen_delete.add_argument("--citizen", required=True, metavar="HỌ_TÊN", help=citizen_help)
    result_delete = workspace_command(
        "result-delete",
        "Xóa kết quả Công dân học tập một năm của một người (vào thùng rác); người đó vẫn trong danh sách",
        _delete_result,
        _Needs.PROFILE,
    )
    result_delete.add_argument("--citizen", required=True, metavar="HỌ_TÊN", help=citizen_help)
    year_option(result_delete)
    citizens_import = workspace_command(
        "citizens-import",
        "Nhập danh sách kết quả Công dân học tập từ bảng tính của hệ thống trực tuyến; có lỗi thì không ghi gì",
        _import_citizens,
        _Needs.PROFILE,
    )
    citizens_import.add_argument("--file", required=True, metavar="TỆP", help="bảng tính .xlsx, .xls hoặc .ods")
    year_option(citizens_import)
    citizens_import.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="MỤC=CỘT",
        help="sửa cột đoán từ tiêu đề: CỘT là chữ cột (B) hoặc tiêu đề cột; «MỤC=» bỏ mục đó; ghi nhiều lần. "
        f"MỤC: {', '.join(citizen_import.FIELD_LABELS)}",
    )
    citizens_import.add_argument("--hamlet", metavar="TÊN", help="ấp ghi cho những dòng không nêu ấp")

    rubrics = listing("rubrics", "Liệt kê các bộ tiêu chí (kể cả bộ mẫu) với mã, phiên bản, điểm đạt", _list_rubrics)
    title_option(rubrics, required=False)
    rubric_id_help = "mã bộ tiêu chí trong lệnh rubrics (vài ký tự đầu là đủ)"
    rubric_show = workspace_command(
        "rubric-show", "Xem một bộ tiêu chí: tiêu chí, chỉ tiêu, điểm tối đa và tối thiểu", _show_rubric, _Needs.PROFILE
    )
    rubric_show.add_argument("--id", required=True, metavar="MÃ", help=rubric_id_help)
    rubric_copy = workspace_command(
        "rubric-copy",
        "Sao chép một bộ tiêu chí thành phiên bản mới để sửa; in mã của bản mới",
        _copy_rubric,
        _Needs.PROFILE,
    )
    rubric_copy.add_argument("--id", required=True, metavar="MÃ", help=rubric_id_help)
    rubric_set = edit_command(
        "rubric-set",
        "Sửa tên, điểm đạt, năm áp dụng, điểm tối đa và tối thiểu của chỉ tiêu; "
        "bộ tiêu chí đã dùng để chấm thì giữ nguyên và lưu thành phiên bản mới",
        _set_rubric,
        {"criteria": "--points, --min"},
    )
    rubric_set.add_argument("--id", required=True, metavar="MÃ", help=rubric_id_help)
    rubric_set.add_argument("--name", metavar="TÊN", help="tên bộ tiêu chí")
    rubric_set.add_argument("--pass-mark", type=int, metavar="ĐIỂM", help="điểm đạt")
    rubric_set.add_argument("--valid-from", type=int, metavar="NĂM", help="năm bắt đầu áp dụng")
    rubric_set.add_argument("--valid-to", type=_year_or_none, metavar="NĂM", help="năm cuối áp dụng; none: không hạn")
    rubric_set.add_argument(
        "--points",
        type=_point,
        action="append",
        metavar="MÃ=ĐIỂM",
        help="điểm tối đa một chỉ tiêu, ví dụ 1.2=15; ghi nhiều lần",
    )
    rubric_set.add_argument(
        "--min",
        type=_minimum,
        action="append",
        metavar="MÃ=ĐIỂM",
        help="điểm tối thiểu một chỉ tiêu, ví dụ 4=5, hoặc 4=none để bỏ; ghi nhiều lần",
    )
    for name, summary, job, where in (
        ("rubric-delete", "Chuyển một bộ tiêu chí chưa dùng để chấm vào thùng rác", _delete_rubric, rubric_id_help),
        (
            "rubric-restore",
            "Lấy một bộ tiêu chí từ thùng rác về",
            _restore_rubric,
            "mã bộ tiêu chí đã xóa (vài ký tự đầu là đủ)",
        ),
    ):
        workspace_command(name, summary, job, _Needs.PROFILE).add_argument(
            "--id", required=True, metavar="MÃ", help=where
        )
    rubric_export = workspace_command(
        "rubric-export", "Ghi một bộ tiêu chí ra tệp JSON để chia sẻ", _export_rubric, _Needs.PROFILE
    )
    rubric_export.add_argument("--id", required=True, metavar="MÃ", help=rubric_id_help)
    rubric_export.add_argument("--out", required=True, metavar="TỆP", help="tệp .json cần ghi")
    rubric_import = workspace_command(
        "rubric-import",
        "Nhập một bộ tiêu chí từ tệp JSON (của lệnh rubric-export) thành bộ tiêu chí mới",
        _import_rubric,
        _Needs.PROFILE,
    )
    rubric_import.add_argument(
        "--file",
        required=True,
        metavar="TỆP",
        help="tệp .json; số phiên bản trong tệp không dùng, phiên bản do sổ đánh",
    )

    evaluations = listing(
        "evaluations", "Liệt kê hồ sơ đăng ký một danh hiệu trong năm: điểm, kết quả, trạng thái", _list_evaluations
    )
    title_option(evaluations)
    year_option(evaluations)
    evaluations.add_argument(
        "--status", choices=list(_STATUSES), help="chỉ hồ sơ " + ", ".join(f"{k} ({v})" for k, v in _STATUSES.items())
    )
    search_option(evaluations, "tên, mã hộ, chi tiết, ấp")

    subject_help = (
        "đối tượng: mã hộ (gia_dinh), tên dòng họ, ấp hay đơn vị, họ tên công dân (thêm năm sinh khi trùng tên); "
        "gõ có dấu hoặc không dấu"
    )
    register = workspace_command(
        "register", "Đăng ký danh hiệu cho một hay nhiều đối tượng trong năm", _register, _Needs.PROFILE
    )
    title_option(register)
    year_option(register)
    chosen = register.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--subject", action="append", metavar="ĐỐI_TƯỢNG", help=subject_help + "; ghi nhiều lần")
    chosen.add_argument("--all", action="store_true", help="mọi đối tượng trong sổ chưa đăng ký năm đó")
    register.add_argument(
        "--date", type=_parse_date, metavar="NGÀY", help="ngày đăng ký dd/mm/yyyy (mặc định: hôm nay trong năm đó)"
    )

    unregister = workspace_command(
        "unregister", "Hủy đăng ký của một đối tượng (hồ sơ vào thùng rác)", _unregister, _Needs.PROFILE
    )
    title_option(unregister)
    year_option(unregister)
    unregister.add_argument("--subject", required=True, metavar="ĐỐI_TƯỢNG", help=subject_help)

    score = workspace_command(
        "score", "Chấm điểm một hồ sơ đã đăng ký; in tổng điểm và kết quả", _score, _Needs.PROFILE
    )
    title_option(score)
    year_option(score)
    score.add_argument("--subject", required=True, metavar="ĐỐI_TƯỢNG", help=subject_help)
    score.add_argument(
        "--point",
        type=_point,
        action="append",
        default=[],
        metavar="MÃ=ĐIỂM",
        help="điểm một chỉ tiêu, ví dụ 1.2=8; ghi nhiều lần. Chỉ tiêu không ghi giữ điểm lần chấm trước "
        "(chưa chấm: 0 điểm)",
    )
    score.add_argument(
        "--prefill", action="store_true", help="chỉ tiêu chưa có điểm lấy điểm gợi ý từ dữ liệu (ví dụ trẻ đi học)"
    )

    recognise = workspace_command(
        "recognise", "Công nhận các hồ sơ đạt theo một quyết định", _recognise, _Needs.PROFILE
    )
    title_option(recognise)
    year_option(recognise)
    recognise.add_argument("--number", required=True, metavar="SỐ", help="số quyết định, ví dụ 12/QĐ-KH")
    recognise.add_argument("--date", required=True, type=_parse_date, metavar="NGÀY", help="ngày ký dd/mm/yyyy")
    recognise.add_argument("--signer-title", metavar="CHỨC_DANH", help="chức danh người ký (mặc định: theo thiết lập)")
    recognise.add_argument("--signer-name", metavar="HỌ_TÊN", help="họ tên người ký (mặc định: theo thiết lập)")
    recognise.add_argument("--note", default="", metavar="GHI_CHÚ", help="ghi chú")
    recognised = recognise.add_mutually_exclusive_group(required=True)
    recognised.add_argument("--subject", action="append", metavar="ĐỐI_TƯỢNG", help=subject_help + "; ghi nhiều lần")
    recognised.add_argument("--all-passed", action="store_true", help="mọi hồ sơ đạt mà chưa được công nhận")

    decisions = listing("decisions", "Liệt kê các quyết định công nhận trong năm", _list_decisions)
    year_option(decisions)
    title_option(decisions, required=False)
    revoke = workspace_command(
        "decision-revoke",
        "Hủy một quyết định công nhận: các hồ sơ trở lại «đã chấm — đạt»",
        _revoke_decision,
        _Needs.PROFILE,
    )
    revoke.add_argument("--number", required=True, metavar="SỐ", help="số quyết định")
    year_option(revoke)

    def money_option(sub: argparse.ArgumentParser, option: str, required: bool, what: str) -> None:
        sub.add_argument(option, required=required, type=_amount, metavar="SỐ_TIỀN", help=f"{what}, ví dụ 9.700.000")

    def allow_negative_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--allow-negative", action="store_true", default=False, help="vẫn ghi khi quỹ khuyến học sẽ bị âm"
        )

    def register_year(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument("--year", type=int, metavar="NĂM", help=f"năm {what} (mặc định: năm làm việc)")

    # Scholarships and gifts, their ceremonies.
    awards = listing(
        "awards", "Liệt kê học bổng, quà của một năm hoặc một lễ trao, với tổng tiền mặt và hiện vật", _list_awards
    )
    register_year(awards, "trao")
    awards.add_argument("--event", metavar="TÊN_LỄ", help="chỉ các suất của lễ trao này (mọi năm)")
    search_option(awards, "tên học sinh, trường, diện, hình thức, nhà tài trợ, ấp, lễ trao, số phiếu chi")

    def award_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        pupil = sub.add_mutually_exclusive_group(required=adding)
        pupil.add_argument("--pupil", metavar="HỌ_TÊN", help="học sinh chưa có trong sổ hộ: gõ họ tên")
        pupil.add_argument(
            "--member",
            metavar="MÃ_HỘ:HỌ_TÊN",
            help="học sinh trong sổ hộ, ví dụ 00012:Nguyễn Minh Khoa" + ("" if adding else '; --member "" bỏ liên kết'),
        )
        sub.add_argument(
            "--birth-year", type=int if adding else _year_or_none, metavar="NĂM", help="năm sinh (với --pupil)"
        )
        sub.add_argument(
            "--category",
            required=adding,
            choices=list(AWARD_CATEGORY_LABELS),
            metavar="DIỆN",
            help=f"diện: {vocabulary(AWARD_CATEGORY_LABELS)}",
        )
        sub.add_argument(
            "--kind",
            required=adding,
            choices=list(AWARD_KIND_LABELS),
            metavar="HÌNH_THỨC",
            help=f"hình thức: {vocabulary(AWARD_KIND_LABELS)}",
        )
        money_option(sub, "--value", adding, "giá trị (đồng); hiện vật thì ghi giá trị ước tính")
        sub.add_argument("--sponsor", metavar="TÊN", help="nhà tài trợ, nguồn (mặc định: của lễ trao)")
        sub.add_argument("--school", metavar="TRƯỜNG", help="trường (mặc định: theo sổ hộ)")
        sub.add_argument("--grade", metavar="LỚP", help="lớp, ví dụ 7A")
        sub.add_argument("--school-year", metavar="NĂM_HỌC", help="năm học, ví dụ 2025-2026 (mặc định: theo ngày trao)")
        sub.add_argument(
            "--date",
            type=_parse_date,
            metavar="NGÀY",
            help="ngày trao dd/mm/yyyy (mặc định: ngày của lễ, hoặc hôm nay)",
        )
        sub.add_argument("--event", metavar="TÊN_LỄ", help="lễ trao" + ("" if adding else '; --event "" bỏ khỏi lễ'))
        flag = argparse.BooleanOptionalAction if not adding else "store_true"
        sub.add_argument("--recurring", action=flag, help="học bổng hằng năm")
        sub.add_argument("--post-to-fund", action=flag, help="suất tiền mặt chi từ quỹ: tự ghi phiếu chi vào sổ quỹ")
        text_options(sub, adding, "note")
        allow_negative_option(sub)

    award_add = edit_command(
        "award-add", "Thêm một suất học bổng, quà; suất tiền mặt ghi chi quỹ thì tự ghi phiếu chi", _add_award
    )
    award_options(award_add, adding=True)
    award_help = "suất cần chọn: họ tên học sinh, thêm ngày trao (dd/mm/yyyy) hoặc tên lễ khi học sinh có nhiều suất"
    award_edit = edit_command(
        "award-edit", "Sửa một suất học bổng, quà: chỉ các mục được ghi thay đổi; phiếu chi đi theo suất", _edit_award
    )
    award_edit.add_argument("--award", required=True, metavar="HỌC_SINH", help=award_help)
    award_options(award_edit, adding=False)
    workspace_command(
        "award-delete",
        "Chuyển một suất học bổng, quà vào thùng rác (cùng phiếu chi của nó)",
        _delete_award,
        _Needs.PROFILE,
    ).add_argument("--award", required=True, metavar="HỌC_SINH", help=award_help)
    award_restore = workspace_command(
        "award-restore",
        "Lấy một suất học bổng, quà từ thùng rác về (cùng phiếu chi của nó)",
        _restore_award,
        _Needs.PROFILE,
    )
    award_restore.add_argument(
        "--award",
        required=True,
        metavar="HỌC_SINH",
        help="suất đã xóa: họ tên học sinh, thêm chữ như lệnh bin khi trùng",
    )
    allow_negative_option(award_restore)

    award_events = listing(
        "award-events", "Liệt kê các lễ trao học bổng, quà của một năm với số suất và tổng giá trị", _list_events
    )
    register_year(award_events, "tổ chức")

    def event_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument("--date", required=adding, type=_parse_date, metavar="NGÀY", help="ngày tổ chức dd/mm/yyyy")
        sub.add_argument("--place", metavar="ĐỊA_ĐIỂM", help="địa điểm")
        sub.add_argument("--sponsor", metavar="TÊN", help="nhà tài trợ, nguồn: các suất của lễ mặc định theo đây")
        sub.add_argument("--school-year", metavar="NĂM_HỌC", help="năm học, ví dụ 2025-2026 (mặc định: theo ngày)")
        text_options(sub, adding, "note")

    event_add = edit_command("award-event-add", "Thêm một lễ trao học bổng, quà", _add_event)
    event_add.add_argument(
        "--name", required=True, metavar="TÊN", help="tên lễ, ví dụ «Trao học bổng năm học 2025-2026»"
    )
    event_options(event_add, adding=True)
    event_edit = edit_command(
        "award-event-edit",
        "Sửa một lễ trao: chỉ các mục được ghi thay đổi; các suất giữ ngày và nhà tài trợ của mình",
        _edit_event,
        {"name": "--new-name"},
    )
    event_edit.add_argument("--name", required=True, metavar="TÊN", help="lễ cần sửa, gõ có dấu hoặc không dấu")
    event_edit.add_argument("--new-name", metavar="TÊN", help="tên mới")
    event_options(event_edit, adding=False)
    delete_and_restore(_EVENTS)
    award_list = workspace_command(
        "award-list",
        "Ghi danh sách nhận học bổng, quà của một lễ (có cột ký nhận) ra tệp PDF hoặc Excel",
        _award_list,
        _Needs.PROFILE,
    )
    award_list.add_argument("--event", required=True, metavar="TÊN_LỄ", help="lễ trao, gõ có dấu hoặc không dấu")
    award_list.add_argument("--out", required=True, metavar="TỆP", help="tệp kết quả: .pdf (bản in) hoặc .xlsx")

    # The fund ledger.
    ledger = listing(
        "ledger", "Sổ quỹ khuyến học của một năm: từng phiếu thu, chi với tồn quỹ sau phiếu, và tổng năm", _list_ledger
    )
    register_year(ledger, "của sổ quỹ")
    search_option(ledger, "số phiếu, nội dung, người nộp / nhận, ghi chú")
    voucher_help = "số phiếu, ví dụ PT-2025-001; «thu 01» hay «chi 01» khi phiếu thu và phiếu chi trùng số"

    def ledger_options(sub: argparse.ArgumentParser, adding: bool, categories: Mapping[str, str]) -> None:
        sub.add_argument("--date", required=adding, type=_parse_date, metavar="NGÀY", help="ngày phiếu dd/mm/yyyy")
        sub.add_argument(
            "--category",
            required=adding,
            choices=list(categories),
            metavar="NỘI_DUNG",
            help=f"nội dung: {vocabulary(categories)}",
        )
        sub.add_argument("--counterpart", required=adding, metavar="TÊN", help="người, đơn vị nộp hoặc nhận tiền")
        money_option(sub, "--amount", adding, "số tiền (đồng)")
        text_options(sub, adding, "note")
        allow_negative_option(sub)

    for name, direction, summary, categories in (
        ("receipt-add", Direction.THU, "Ghi một phiếu thu vào sổ quỹ", RECEIPT_CATEGORY_LABELS),
        ("payment-add", Direction.CHI, "Ghi một phiếu chi; quỹ sẽ âm thì từ chối trừ khi ghi --allow-negative",
         PAYMENT_CATEGORY_LABELS),
    ):  # fmt: skip
        sub = edit_command(name, summary, _ledger_adder(direction))
        ledger_options(sub, adding=True, categories=categories)
        sub.add_argument("--voucher", metavar="SỐ_PHIẾU", help="số phiếu (mặc định: số kế tiếp của năm)")
    ledger_edit = edit_command(
        "ledger-edit",
        "Sửa một phiếu thu, chi: chỉ các mục được ghi thay đổi",
        _edit_entry,
        {"voucher_no": "--new-voucher"},
    )
    ledger_edit.add_argument("--voucher", required=True, metavar="SỐ_PHIẾU", help=voucher_help)
    ledger_options(ledger_edit, adding=False, categories={**RECEIPT_CATEGORY_LABELS, **PAYMENT_CATEGORY_LABELS})
    ledger_edit.add_argument("--new-voucher", metavar="SỐ_PHIẾU", help="số phiếu mới")
    ledger_delete = workspace_command(
        "ledger-delete",
        "Chuyển một phiếu vào thùng rác (phiếu chi của một suất học bổng thì xóa suất đó)",
        _delete_entry,
        _Needs.PROFILE,
    )
    ledger_delete.add_argument("--voucher", required=True, metavar="SỐ_PHIẾU", help=voucher_help)
    allow_negative_option(ledger_delete)
    voucher = workspace_command(
        "voucher", "In một phiếu thu, phiếu chi ra tệp PDF, số tiền viết bằng chữ", _print_voucher, _Needs.PROFILE
    )
    voucher.add_argument("--voucher", required=True, metavar="SỐ_PHIẾU", help=voucher_help)
    voucher.add_argument("--out", required=True, metavar="TỆP", help="tệp .pdf cần ghi")
    amount_words = command("amount-words", "In số tiền viết bằng chữ, như trên phiếu thu, phiếu chi", _amount_words)
    amount_words.add_argument("amount", type=_amount, metavar="SỐ_TIỀN", help="số đồng, ví dụ 9.700.000")

    # Learning activities and their yearly targets.
    kind_help = f"loại: {vocabulary(ACTIVITY_KIND_LABELS)}"
    activities = listing(
        "activities", "Liệt kê buổi sinh hoạt, lớp tập huấn, dạy nghề bắt đầu trong một năm", _list_activities
    )
    register_year(activities, "bắt đầu")
    activities.add_argument("--kind", choices=list(ACTIVITY_KIND_LABELS), metavar="LOẠI", help=f"chỉ một {kind_help}")

    def activity_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument("--kind", required=adding, choices=list(ACTIVITY_KIND_LABELS), metavar="LOẠI", help=kind_help)
        sub.add_argument("--name", required=adding, metavar="TÊN", help="tên lớp, hoặc chủ đề buổi sinh hoạt")
        sub.add_argument(
            "--date", required=adding, type=_parse_date, metavar="NGÀY", help="ngày sinh hoạt, ngày bắt đầu lớp"
        )
        sub.add_argument(
            "--end",
            type=_parse_date if adding else _date_or_none,
            metavar="NGÀY",
            help="ngày kết thúc lớp" + ("" if adding else "; none để xóa"),
        )
        sub.add_argument("--field", metavar="LĨNH_VỰC", help="lĩnh vực: trồng trọt, chăn nuôi, tin học…")
        sub.add_argument("--place", metavar="ĐỊA_ĐIỂM", help="địa điểm")
        sub.add_argument(
            "--participants", type=int, metavar="SỐ", help="số người dự buổi sinh hoạt, số học viên của lớp"
        )
        text_options(sub, adding, "note")

    activity_add = edit_command(
        "activity-add", "Thêm một buổi sinh hoạt hoặc một lớp tập huấn, dạy nghề", _add_activity
    )
    activity_options(activity_add, adding=True)
    activity_help = "hoạt động cần chọn: tên lớp hoặc chủ đề, thêm ngày (dd/mm/yyyy) khi trùng tên"
    activity_edit = edit_command("activity-edit", "Sửa một hoạt động: chỉ các mục được ghi thay đổi", _edit_activity)
    activity_edit.add_argument("--activity", required=True, metavar="TÊN", help=activity_help)
    activity_options(activity_edit, adding=False)
    workspace_command(
        "activity-delete", "Chuyển một hoạt động vào thùng rác", _delete_activity, _Needs.PROFILE
    ).add_argument("--activity", required=True, metavar="TÊN", help=activity_help)
    targets = listing("targets", "Chỉ tiêu năm của từng loại hoạt động, số đã thực hiện và tỷ lệ đạt", _list_targets)
    register_year(targets, "của chỉ tiêu")
    target_set = workspace_command(
        "target-set", "Đặt chỉ tiêu năm cho một loại hoạt động (0: không đặt)", _set_target, _Needs.PROFILE
    )
    target_set.set_defaults(field_options=dict.fromkeys(ACTIVITY_KIND_LABELS, "--target"))  # a target's field: its kind
    target_set.add_argument("--kind", required=True, choices=list(ACTIVITY_KIND_LABELS), metavar="LOẠI", help=kind_help)
    target_set.add_argument("--target", required=True, type=int, metavar="SỐ", help="số buổi hoặc số lớp")
    register_year(target_set, "của chỉ tiêu")

    # Exemplary models and commendations.
    honours = listing("honours", "Liệt kê mô hình học tập tiêu biểu và giấy khen của một năm", _list_honours)
    register_year(honours, "khen")
    honours.add_argument(
        "--kind",
        choices=list(HONOUR_KIND_LABELS),
        metavar="LOẠI",
        help=f"chỉ một loại: {vocabulary(HONOUR_KIND_LABELS)}",
    )

    def honour_options(sub: argparse.ArgumentParser, adding: bool) -> None:
        sub.add_argument(
            "--kind",
            required=adding,
            choices=list(HONOUR_KIND_LABELS),
            metavar="LOẠI",
            help=f"loại: {vocabulary(HONOUR_KIND_LABELS)}",
        )
        sub.add_argument(
            "--recipient-kind",
            required=adding,
            choices=list(RECIPIENT_KIND_LABELS),
            metavar="ĐỐI_TƯỢNG",
            help=f"đối tượng: {vocabulary(RECIPIENT_KIND_LABELS)}",
        )
        who = sub.add_mutually_exclusive_group(required=adding)
        who.add_argument("--recipient", metavar="TÊN", help="họ tên người, hoặc tên tập thể được khen")
        who.add_argument(
            "--member",
            metavar="MÃ_HỘ:HỌ_TÊN",
            help="cá nhân trong sổ hộ, ví dụ 00012:Nguyễn Văn An" + ("" if adding else '; --member "" bỏ liên kết'),
        )
        sub.add_argument(
            "--level",
            required=adding,
            choices=list(HONOUR_LEVEL_LABELS),
            metavar="CẤP",
            help=f"cấp khen: {vocabulary(HONOUR_LEVEL_LABELS)}",
        )
        sub.add_argument("--date", required=adding, type=_parse_date, metavar="NGÀY", help="ngày khen dd/mm/yyyy")
        sub.add_argument("--issuer", metavar="TÊN", help="cơ quan khen, ví dụ Hội Khuyến học tỉnh Tây Ninh")
        sub.add_argument("--decision", metavar="SỐ", help="số quyết định")
        sub.add_argument("--content", metavar="NỘI_DUNG", help="khen về việc gì")
        sub.add_argument(
            "--hamlet", metavar="TÊN", help='ấp của người, tập thể được khen (--hamlet "": không thuộc ấp)'
        )

    honour_add = edit_command("honour-add", "Ghi một mô hình học tập tiêu biểu hoặc một giấy khen", _add_honour)
    honour_options(honour_add, adding=True)
    honour_help = "bản ghi cần chọn: người hoặc tập thể được khen, thêm ngày khen (dd/mm/yyyy) khi trùng"
    honour_edit = edit_command("honour-edit", "Sửa một mô hình, giấy khen: chỉ các mục được ghi thay đổi", _edit_honour)
    honour_edit.add_argument("--honour", required=True, metavar="TÊN", help=honour_help)
    honour_options(honour_edit, adding=False)
    workspace_command(
        "honour-delete", "Chuyển một mô hình, giấy khen vào thùng rác", _delete_honour, _Needs.PROFILE
    ).add_argument("--honour", required=True, metavar="TÊN", help=honour_help)

    statistics = listing(
        "statistics",
        "Số liệu một năm: tổng số, đăng ký, công nhận, tỷ lệ của từng danh hiệu; với --title thì từng ấp "
        "(cơ quan tổng hợp: từng xã, phường)",
        _statistics,
    )
    year_option(statistics)
    title_option(statistics, required=False)

    report = workspace_command(
        "report",
        "Ghi báo cáo kết quả xây dựng các mô hình học tập của một năm, từng ấp và toàn xã, ra tệp Excel hoặc PDF "
        "(cơ quan tổng hợp: báo cáo tổng hợp từng xã, phường)",
        _report,
        _Needs.PROFILE,
    )
    report.add_argument("--year", type=int, metavar="NĂM", help="năm báo cáo (mặc định: năm làm việc)")
    report.add_argument(
        "--out", required=True, metavar="TỆP", help="tệp kết quả: .xlsx (bảng tính Excel) hoặc .pdf (bản in)"
    )

    # Signed packages (issue 5): export the year upward, verify a package received.
    export = workspace_command(
        "export",
        "Xuất gói số liệu năm (có chữ ký số) để gửi lên cơ quan tổng hợp",
        _export_package,
        _Needs.PROFILE,
    )
    export.add_argument("--year", type=int, metavar="NĂM", help="năm số liệu (mặc định: năm làm việc)")
    export.add_argument(
        "--out",
        required=True,
        metavar="TỆP",
        help="tệp .zip cần ghi, hoặc một thư mục (tên tệp tự đặt theo mã xã, năm, lần)",
    )
    exports = workspace_command(
        "exports", "Lịch sử các gói số liệu đã xuất, mới nhất trước", _list_exports, _Needs.PROFILE
    )
    _add_format(exports)
    verify = command(
        "verify",
        "Kiểm tra một gói số liệu: đơn vị ký, dấu vân tay khóa, chữ ký, mã băm và danh sách tệp",
        _verify_package,
    )
    verify.add_argument("file", metavar="TỆP", help="tệp gói số liệu .zip")
    _add_data_dir(verify, "so thêm khóa ký của gói với khóa của thư mục dữ liệu này")

    # The signing key (issue 5): `key show|export|backup|restore|sheet`; `key rotate` (issue 6).
    key = commands.add_parser(
        "key",
        help="Khóa ký số liệu của máy này: xem dấu vân tay, xuất khóa công khai, sao lưu, khôi phục, in phiếu",
        description="Khóa ký số liệu của máy này. Khóa bí mật chỉ rời thư mục dữ liệu trong bản sao lưu có mật khẩu.",
    )
    key_commands = key.add_subparsers(title="lệnh khóa", metavar="LỆNH_KHÓA", dest="key_command", required=True)

    def key_command(name: str, summary: str, job: Job, needs: _Needs = _Needs.DATABASE) -> argparse.ArgumentParser:
        sub = key_commands.add_parser(name, help=summary, description=summary + ".")
        sub.set_defaults(run=_with_workspace(job, needs))
        _add_data_dir(sub, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
        return sub

    def passphrase_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--passphrase-env",
            metavar="BIẾN",
            help="lấy mật khẩu từ biến môi trường này (mặc định: gõ mật khẩu, không hiện trên màn hình)",
        )

    key_command("show", "In dấu vân tay và mã khóa ký của thư mục dữ liệu", _key_show)
    key_command("export", "Ghi khóa công khai ra tệp để gửi cơ quan tổng hợp", _key_export).add_argument(
        "--out", required=True, metavar="TỆP", help="tệp cần ghi, ví dụ khoa-cong-khai.pub"
    )
    key_backup = key_command("backup", "Sao lưu khóa ký, bảo vệ bằng mật khẩu, để dùng lại trên máy mới", _key_backup)
    key_backup.add_argument("--out", required=True, metavar="TỆP", help="tệp sao lưu cần ghi, ví dụ khoa-ky.khkey")
    passphrase_option(key_backup)
    key_restore = key_command("restore", "Khôi phục khóa ký từ bản sao lưu có mật khẩu", _key_restore, _Needs.ANYTHING)
    key_restore.add_argument("--from", dest="source", required=True, metavar="TỆP", help="tệp sao lưu khóa")
    passphrase_option(key_restore)
    key_restore.add_argument(
        "--replace", action="store_true", help="thay khóa khác đang có (khóa cũ được giữ lại bên cạnh, không xóa)"
    )
    key_sheet = key_command(
        "sheet", "Ghi phiếu đăng ký khóa ký số liệu ra tệp PDF để in, ký, đóng dấu", _key_sheet, _Needs.PROFILE
    )
    key_sheet.add_argument("--out", required=True, metavar="TỆP", help="tệp .pdf cần ghi")
    key_sheet.add_argument("--next", action="store_true", help="phiếu cho khóa mới đang chờ (sau lệnh key rotate)")
    key_command(
        "rotate",
        "Đổi khóa ký: tạo khóa mới, gói xuất lần tới (ký bằng khóa cũ) báo khóa mới cho cơ quan tổng hợp",
        _key_rotate,
        _Needs.PROFILE,
    )

    # The consolidating office (issue 6): `office init|communes`, `trust`, `trusted`.
    office_parser = commands.add_parser(
        "office",
        help="Cơ quan tổng hợp: thiết lập cấp, tên và danh sách xã, phường nhận gói số liệu",
        description="Cơ quan tổng hợp (tỉnh, huyện cũ hoặc cụm) và danh sách xã, phường theo danh mục năm 2025.",
    )
    office_commands = office_parser.add_subparsers(
        title="lệnh cơ quan tổng hợp", metavar="LỆNH_CƠ_QUAN", dest="office_command", required=True
    )
    office_init = office_commands.add_parser(
        "init", help="Thiết lập cơ quan tổng hợp", description="Thiết lập cơ quan tổng hợp và danh sách xã, phường."
    )
    office_init.set_defaults(run=_with_workspace(_office_init, _Needs.ANYTHING))
    _add_data_dir(office_init, "thư mục dữ liệu (chưa thiết lập thì được thiết lập làm cơ quan tổng hợp)")
    office_init.add_argument(
        "--level", required=True, choices=["province", "district", "cluster"], help="cấp: tỉnh, huyện cũ, cụm"
    )
    office_init.add_argument("--code", required=True, metavar="MÃ", help="mã tỉnh (2 số), hoặc mã huyện cũ, mã cụm")
    office_init.add_argument("--name", metavar="TÊN", help="tên cơ quan (cấp tỉnh: mặc định tên tỉnh)")
    office_init.add_argument(
        "--commune", action="append", metavar="MÃ_XÃ", help="mã xã, phường (ghi nhiều lần) cho huyện cũ, cụm"
    )
    office_communes = office_commands.add_parser(
        "communes", help="Liệt kê xã, phường của cơ quan tổng hợp", description="Liệt kê xã, phường."
    )
    office_communes.set_defaults(run=_with_workspace(_office_communes, _Needs.PROFILE))
    _add_data_dir(office_communes, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
    _add_format(office_communes)
    office_merge = office_commands.add_parser(
        "merge-commune",
        help="Ghi một xã, phường đã sáp nhập vào xã, phường khác",
        description="Ghi xã, phường mã CŨ đã sáp nhập vào xã, phường mã MỚI (cả hai trong danh sách của cơ quan); "
        "xã cũ vẫn ở trong danh sách với tên cũ, số liệu cũ giữ nguyên.",
    )
    office_merge.set_defaults(run=_with_workspace(_office_merge_commune, _Needs.PROFILE))
    _add_data_dir(office_merge, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
    office_merge.add_argument("--code", required=True, metavar="MÃ_CŨ", help="mã xã, phường đã sáp nhập")
    office_merge.add_argument("--into", required=True, metavar="MÃ_MỚI", help="mã xã, phường nhận sáp nhập")
    office_add = office_commands.add_parser(
        "add-commune",
        help="Thêm một xã, phường cũ (trước năm 2025) vào danh sách",
        description="Thêm xã, phường cũ theo mã và tên trước sắp xếp năm 2025 (huyện cũ liệt kê các xã cũ của mình), "
        "có thể ghi luôn xã, phường nhận sáp nhập. Mã theo danh mục 2025 thì từ chối.",
    )
    office_add.set_defaults(run=_with_workspace(_office_add_commune, _Needs.PROFILE))
    _add_data_dir(office_add, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
    office_add.add_argument("--code", required=True, metavar="MÃ_CŨ", help="mã xã, phường cũ (5 chữ số)")
    office_add.add_argument("--name", required=True, metavar="TÊN_CŨ", help="tên cũ, ví dụ «Xã Phước Lại»")
    office_add.add_argument("--into", metavar="MÃ_MỚI", help="mã xã, phường nhận sáp nhập (trong danh sách)")
    office_browse = office_commands.add_parser(
        "browse",
        help="Xem một bảng số liệu các xã, phường đã gửi (hộ, thành viên, dòng họ…)",
        description="In một bảng số liệu các xã, phường gửi lên trong một năm, mỗi dòng kèm xã, phường và lần gửi; "
        "tìm không cần gõ dấu, xếp tên theo thứ tự tiếng Việt.",
    )
    office_browse.set_defaults(run=_with_workspace(_office_browse, _Needs.PROFILE))
    _add_data_dir(office_browse, "thư mục dữ liệu (mặc định: thư mục riêng của người dùng)")
    office_browse.add_argument(
        "--sheet",
        required=True,
        metavar="BẢNG",
        help="households (hộ gia đình), members (thành viên), clans (dòng họ), units (đơn vị), citizens (công dân "
        "học tập), awards (học bổng, quà), ledger (sổ quỹ), activities (hoạt động), models (mô hình), "
        "commendations (khen thưởng)",
    )
    office_browse.add_argument("--commune", metavar="MÃ_XÃ", help="chỉ xã, phường có mã này")
    office_browse.add_argument("--search", metavar="CHỮ", help="tìm theo các chữ này, gõ có dấu hoặc không dấu")
    office_browse.add_argument(
        "--sort",
        default="commune",
        metavar="CỘT",
        help="xếp theo cột: commune (xã, phường, mặc định), sequence (lần gửi) hoặc mã cột của bảng, "
        "ví dụ head_name (chủ hộ), full_name (họ tên); tên người xếp theo tên rồi họ và tên đệm",
    )
    office_browse.add_argument("--year", type=int, metavar="NĂM", help="năm số liệu (mặc định: năm làm việc)")
    _add_format(office_browse)
    trust_command = workspace_command(
        "trust", "Đăng ký khóa công khai của một xã, phường, hoặc thu hồi một khóa", _trust, _Needs.PROFILE
    )
    trust_command.add_argument("keyfile", nargs="?", metavar="TỆP_KHÓA", help="tệp khóa công khai xã gửi lên")
    trust_command.add_argument("--commune", metavar="MÃ_XÃ", help="mã xã, phường của khóa")
    trust_command.add_argument(
        "--fingerprint",
        metavar="DẤU_VÂN_TAY",
        help="dấu vân tay in trên phiếu đăng ký (không phân biệt dấu cách, hoa thường)",
    )
    trust_command.add_argument("--source", choices=["phieu_giay", "tep_khoa", "doi_khoa"], help="nguồn khóa")
    trust_command.add_argument("--revoke", metavar="MÃ_KHÓA", help="thu hồi khóa có mã này")
    _add_format(workspace_command("trusted", "Liệt kê khóa ký đã đăng ký của các xã, phường", _trusted, _Needs.PROFILE))
    forks_command = workspace_command(
        "forks",
        "Gói rẽ nhánh chờ quyết định: liệt kê, nhận (--accept) hoặc không nhận (--reject kèm --reason)",
        _forks,
        _Needs.PROFILE,
    )
    forks_command.description = (
        "Gói rẽ nhánh là gói cùng lần gửi với gói đã nhận mà khác nội dung, hoặc không nối tiếp gói đã nhận; "
        "lệnh merge giữ lại gói đó chờ quyết định. Không ghi gì: liệt kê các gói đang chờ. "
        "--accept TỆP: nhận gói (thay số liệu của xã trong năm bằng gói này, sau khi sao lưu); "
        "--reject TỆP --reason LÝ_DO: không nhận. Tệp phải đúng là gói đã giữ (cùng mã SHA-256). "
        "Mọi quyết định được ghi vào nhật ký."
    )
    decision = forks_command.add_mutually_exclusive_group()
    decision.add_argument("--accept", metavar="TỆP", help="nhận gói rẽ nhánh này")
    decision.add_argument("--reject", metavar="TỆP", help="không nhận gói rẽ nhánh này (cần --reason)")
    forks_command.add_argument("--reason", metavar="LÝ_DO", help="lý do của quyết định (bắt buộc khi không nhận)")
    _add_format(forks_command)
    # The submission board and cross-commune duplicates (issue 6): `board`, `duplicates`, `duplicate-mark`.
    board_command = workspace_command(
        "board", "Bảng theo dõi nhận số liệu: xã, phường nào đã gửi gói của năm, xã nào còn thiếu", _board,
        _Needs.PROFILE,
    )  # fmt: skip
    board_command.add_argument("--year", type=int, metavar="NĂM", help="năm số liệu (mặc định: năm làm việc)")
    board_command.add_argument("--missing", action="store_true", help="chỉ liệt kê xã, phường còn thiếu")
    _add_format(board_command)
    duplicates_command = workspace_command(
        "duplicates",
        "Người, hộ gia đình có ở hai xã, phường trở lên (cùng họ tên, không kể dấu, và cùng năm sinh), từng cặp",
        _duplicates,
        _Needs.PROFILE,
    )
    duplicates_command.add_argument("--year", type=int, metavar="NĂM", help="năm số liệu (mặc định: năm làm việc)")
    duplicates_command.add_argument("--all", action="store_true", help="cả các cặp đã quyết định")
    duplicates_command.add_argument(
        "--kind", choices=["nguoi", "ho"], help="chỉ cặp người (nguoi) hoặc cặp hộ gia đình (ho, trùng chủ hộ)"
    )
    _add_format(duplicates_command)
    mark_command = workspace_command(
        "duplicate-mark",
        "Ghi quyết định về một cặp trùng: giữ cả hai, đánh dấu trùng, hoặc bỏ quyết định đã ghi",
        _duplicate_mark,
        _Needs.PROFILE,
    )
    for option, n in (("--first", 1), ("--second", 2)):
        mark_command.add_argument(
            option,
            required=True,
            metavar="MÃ_XÃ:MÃ",
            help=f"bên thứ {'nhất' if n == 1 else 'hai'}, như cột «Mã {n}» của lệnh duplicates "
            "(mã xã, dấu hai chấm, rồi mã định danh hoặc ít nhất vài ký tự đầu của nó)",
        )
    mark_choice = mark_command.add_mutually_exclusive_group(required=True)
    mark_choice.add_argument(
        "--decision",
        choices=["giu-ca-hai", "trung"],
        help="giu-ca-hai: hai người (hộ) khác nhau, giữ cả hai; trung: là một, đánh dấu trùng",
    )
    mark_choice.add_argument("--withdraw", action="store_true", help="bỏ quyết định đã ghi: cặp lại chờ xem xét")
    mark_command.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú kèm quyết định")
    mark_command.add_argument("--year", type=int, metavar="NĂM", help="năm số liệu (mặc định: năm làm việc)")
    # Certificates (issue 7): `certificates`, `certificate-check`, `certificate-template`.
    certificates_command = workspace_command(
        "certificates",
        "In giấy công nhận danh hiệu (hoặc giấy khen) có số sê-ri và mã QR ký số ra một tệp PDF",
        _certificates,
        _Needs.PROFILE,
    )
    certificates_command.description = (
        "In giấy công nhận cho các hồ sơ được công nhận danh hiệu trong năm theo quyết định còn hiệu lực (hoặc "
        "giấy khen cho các hồ sơ khen thưởng), mỗi giấy một trang A4 ngang. Giấy in lần đầu được cấp số sê-ri mới; "
        "giấy đã in trước đây giữ số sê-ri cũ và được ghi là bản in lại. Mọi lần in được ghi vào sổ cấp giấy."
    )
    certificates_command.add_argument("--year", type=int, metavar="NĂM", help="năm công nhận (mặc định: năm làm việc)")
    certificates_command.add_argument(
        "--title", choices=_CERTIFICATE_TITLES, help="danh hiệu: " + ", ".join(
            f"{option} ({TITLE_LABELS[_option_code(option)].lower()})" for option in _CERTIFICATE_TITLES
        ),
    )  # fmt: skip
    certificates_command.add_argument(
        "--kind", choices=list(_CERTIFICATE_KINDS), default="cong-nhan", help="giấy công nhận (mặc định) hoặc giấy khen"
    )
    certificates_command.add_argument("--out", metavar="TỆP.pdf", help="tệp PDF sẽ ghi")
    certificates_command.add_argument("--decision", metavar="SỐ", help="chỉ hồ sơ của quyết định công nhận số này")
    certificates_command.add_argument(
        "--only", nargs="+", metavar="TÊN", help="chỉ những tên này (gõ có dấu hoặc không dấu, đúng cả họ tên)"
    )
    certificates_command.add_argument(
        "--list", action="store_true", help="chỉ liệt kê người, tập thể sẽ được in giấy và số lần đã in, không in"
    )
    _add_format(certificates_command)
    check_command = command(
        "certificate-check",
        "Kiểm tra nội dung mã QR của một giấy công nhận, giấy khen: thật hay không",
        _certificate_check,
    )
    _add_data_dir(check_command, "thư mục dữ liệu để đối chiếu khóa và sổ cấp giấy (mặc định: thư mục riêng)")
    check_command.add_argument(
        "text", metavar="NỘI_DUNG", help="nội dung mã QR (quét bằng ứng dụng bất kỳ); - để đọc từ bàn phím"
    )
    template_command = workspace_command(
        "certificate-template",
        "Xem hoặc sửa mẫu giấy công nhận của một danh hiệu, hoặc mẫu giấy khen",
        _certificate_template,
        _Needs.PROFILE,
    )
    template_command.add_argument(
        "--title", required=True, choices=[*_CERTIFICATE_TITLES, "giay-khen"], help="danh hiệu, hoặc giay-khen"
    )
    template_action = template_command.add_mutually_exclusive_group()
    template_action.add_argument("--show", action="store_true", help="in mẫu kèm danh sách chỗ điền dùng được")
    template_action.add_argument(
        "--set",
        nargs="+",
        metavar="TRƯỜNG=GIÁ_TRỊ",
        help="sửa các trường của mẫu; ô nhiều dòng (recipient_format, body_format, signer_lines) tách dòng bằng \\n",
    )
    template_action.add_argument("--reset", action="store_true", help="trở về mẫu mặc định")
    import_command = workspace_command(
        "import",
        "Nhập danh sách từ bảng tính xã đang giữ (hộ gia đình); có lỗi thì không ghi gì",
        _import,
        _Needs.PROFILE,
    )
    import_command.add_argument("--kind", required=True, choices=_IMPORT_KINDS, help="loại danh sách")
    import_command.add_argument("file", metavar="TỆP", help="bảng tính .xlsx, .xls hoặc .ods")
    import_command.add_argument("--mapping", metavar="TỆP.json", help="ghép cột đã lưu (mục → tiêu đề cột)")
    import_command.add_argument("--save-mapping", metavar="TỆP.json", help="lưu ghép cột dùng lần này để dùng lại")
    import_command.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và đếm, không ghi gì")
    import_command.add_argument("--sheet", metavar="TÊN", help="trang cần nhập (mặc định: trang đầu có danh sách)")
    import_command.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="MỤC=CỘT",
        help="sửa cột đoán từ tiêu đề (hoặc đã lưu): CỘT là chữ cột (B) hoặc tiêu đề cột; «MỤC=» bỏ mục đó; "
        "ghi nhiều lần",
    )
    import_command.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="MỤC:GIÁ_TRỊ=NGHĨA",
        help="hiểu một giá trị gõ trong tệp là một mục của danh mục, ví dụ «hamlet:Vinh Thanh cu=Ấp Vĩnh Thạnh»; "
        "ghi nhiều lần; được lưu cùng --save-mapping",
    )
    import_command.add_argument(
        "--skip-problem-rows", action="store_true", help="nhập các dòng không lỗi, bỏ qua các dòng có lỗi"
    )
    import_command.add_argument(
        "--problems-out", metavar="TỆP.xlsx", help="ghi các dòng có lỗi ra bảng tính để sửa rồi nhập lại"
    )
    template_command = workspace_command(
        "import-template", "Ghi mẫu danh sách để điền rồi nhập (trống, hoặc kèm số liệu đang có)", _import_template,
        _Needs.PROFILE,
    )  # fmt: skip
    template_command.add_argument("--kind", required=True, choices=_TEMPLATE_KINDS, help="loại danh sách")
    template_command.add_argument("--out", required=True, metavar="TỆP.xlsx", help="tệp mẫu cần ghi")
    template_command.add_argument("--filled", action="store_true", help="điền sẵn các bản ghi đang có trong sổ")
    merge_command = workspace_command(
        "merge", "Nhận gói số liệu của xã, phường: kiểm tra, so sánh, ghi vào số liệu", _merge, _Needs.PROFILE
    )
    merge_command.add_argument("files", nargs="+", metavar="TỆP", help="gói số liệu (.zip) xã gửi lên")
    merge_command.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và so sánh, không ghi gì")
    merge_command.add_argument("--allow-fork", action="store_true", help="nhận cả gói rẽ nhánh (cùng lần gửi)")
    merge_command.add_argument(
        "--minute", metavar="TỆP.pdf", help="ghi biên bản đối soát số liệu của lần chạy này (cả khi chạy thử)"
    )

    listing("bin", "Liệt kê thùng rác: bản ghi đã xóa của mọi sổ, mới nhất trước", _list_bin)
    bin_restore = workspace_command("bin-restore", "Lấy một bản ghi từ thùng rác về", _restore_from_bin, _Needs.PROFILE)
    bin_restore.add_argument(
        "--kind",
        required=True,
        choices=[s.kind for s in recycle_bin.SOURCES],
        metavar="LOẠI",
        help="loại bản ghi: " + ", ".join(f"{s.kind} ({s.kind_label.lower()})" for s in recycle_bin.SOURCES),
    )
    bin_restore.add_argument(
        "--label",
        required=True,
        metavar="TÊN",
        help="bản ghi như cột «Bản ghi» của lệnh bin, gõ có dấu hoặc không dấu; trùng tên thì thêm chữ ở cột «Thuộc»",
    )
    return parser


def _use_utf8_streams() -> None:
    """Vietnamese must print on a Windows console or into a redirected file, whatever the code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None in a windowed build, or a plain object
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def _refusal(error: Exception, renamed: Mapping[str, str]) -> str:
    """The reason, with the option to correct; `renamed` is the command's own, where it differs (--new-code)."""
    options = {**_OPTION_OF_FIELD, **renamed}
    if isinstance(error, ValidationError) and error.field in options:
        return f"{error} (tùy chọn {options[error.field]})"
    if isinstance(error, NegativeBalance):
        return f"{error}. Không ghi gì; vẫn ghi thì thêm --allow-negative."
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
        print(_refusal(error, getattr(args, "field_options", {})), file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # `khuyenhoc board | head`: the reader had enough; what is left goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
