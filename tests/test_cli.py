"""The command line: every job of the window, with the options the issue promised, in Vietnamese."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from khuyenhoc_desktop import __version__
from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.storage.paths import (
    backups_dir,
    database_path,
    default_data_dir,
    demo_data_dir,
    demo_office_data_dir,
)

COMMANDS = [
    "demo",
    "self-test",
    "about",
    "setup",
    "backup",
    "backups",
    "restore",
    "households",
    "household-add",
    "household-edit",
    "household-delete",
    "household-restore",
    "members",
    "member-add",
    "member-edit",
    "member-delete",
    "member-restore",
    "clans",
    "clan-add",
    "clan-edit",
    "clan-delete",
    "clan-restore",
    "units",
    "unit-add",
    "unit-edit",
    "unit-delete",
    "unit-restore",
    "hamlets",
    "hamlet-set",
    "citizens",
    "citizen-add",
    "citizen-delete",
    "result-delete",
    "citizens-import",
    "rubrics",
    "rubric-show",
    "rubric-copy",
    "rubric-set",
    "rubric-delete",
    "rubric-restore",
    "rubric-export",
    "rubric-import",
    "evaluations",
    "register",
    "unregister",
    "score",
    "recognise",
    "decisions",
    "decision-revoke",
    "awards",
    "award-add",
    "award-edit",
    "award-delete",
    "award-restore",
    "award-events",
    "award-event-add",
    "award-event-edit",
    "award-event-delete",
    "award-event-restore",
    "award-list",
    "ledger",
    "receipt-add",
    "payment-add",
    "ledger-edit",
    "ledger-delete",
    "voucher",
    "amount-words",
    "activities",
    "activity-add",
    "activity-edit",
    "activity-delete",
    "targets",
    "target-set",
    "honours",
    "honour-add",
    "honour-edit",
    "honour-delete",
    "statistics",
    "report",
    "export",
    "exports",
    "verify",
    "key",
    "office",
    "trust",
    "trusted",
    "forks",
    "board",
    "duplicates",
    "duplicate-mark",
    "certificates",
    "certificate-check",
    "certificate-template",
    "import",
    "import-template",
    "merge",
    "bin",
    "bin-restore",
]

SETUP = [
    "--role", "xa", "--province", "80", "--commune", "28201",
    "--hamlet", "Ấp Vĩnh Thạnh", "--hamlet", "Ấp Phước Lợi", "--hamlet", "Ấp Đông Điền",
    "--association", "Hội Khuyến học xã Phước Vĩnh Tây", "--officer", "Lê Thị Hoa",
    "--signer-title", "Chủ tịch", "--signer-name", "Nguyễn Văn Tư", "--year", "2025",
]  # fmt: skip


@dataclass
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Cli:
    """`cli("households", "--search", "x")` runs `khuyenhoc households --data-dir <test folder> --search x`."""

    def run(command: str, *options: str, folder: Path = data_dir) -> Result:
        code = main([command, "--data-dir", str(folder), *options])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def commune(cli: Cli) -> Cli:
    result = cli("setup", *SETUP)
    assert result.code == 0, result.err
    assert "Hội Khuyến học xã Phước Vĩnh Tây" in result.out
    assert "3 ấp: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền" in result.out
    return cli


def heads(cli: Cli, *options: str, folder: Path | None = None) -> list[str]:
    """The household heads `households --format csv` lists, in its order."""
    extra = {"folder": folder} if folder else {}
    result = cli("households", "--format", "csv", *options, **extra)
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["Mã hộ", "Chủ hộ", "Ấp", "Nhân khẩu", "Địa chỉ", "Điện thoại"]
    return [row[1] for row in rows[1:]]


def row_counts(data_dir: Path) -> tuple[int, ...]:
    with closing(sqlite3.connect(database_path(data_dir))) as connection:
        return tuple(
            connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("household", "member", "audit_log")
        )


def test_help_lists_every_command_in_vietnamese() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "khuyenhoc_desktop", "--help"], capture_output=True, check=False, timeout=60
    )
    text = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    listed = re.findall(r"^    ([a-z-]+)", text, flags=re.MULTILINE)
    assert listed == COMMANDS
    assert "Cách dùng: khuyenhoc" in text
    assert "--demo" in text and "--data-dir" in text
    assert "Liệt kê hộ gia đình" in text


def test_added_household_is_found_without_accents(commune: Cli) -> None:
    added = commune("household-add", "--code", "00001", "--head", "Nguyễn Văn Đức", "--hamlet", "vinh thanh",
                    "--birth-year", "1968", "--phone", "0909.123.456", "--address", "Số 12, Rạch Kiến")  # fmt: skip
    assert added.code == 0, added.err
    assert "Đã thêm hộ 00001 — chủ hộ Nguyễn Văn Đức, Ấp Vĩnh Thạnh" in added.out
    assert commune("household-add", "--head", "Trần Thị Mai", "--hamlet", "Phước Lợi", "--sex", "nu").code == 0

    found = commune("households", "--search", "nguyen van duc")
    assert found.code == 0
    assert "Nguyễn Văn Đức" in found.out and "0909 123 456" in found.out and "Ấp Vĩnh Thạnh" in found.out
    assert "Trần Thị Mai" not in found.out
    assert "Tổng: 1 hộ." in found.out

    assert heads(commune, "--search", "so 12 rach kien") == ["Nguyễn Văn Đức"]
    assert heads(commune, "--hamlet", "ap phuoc loi") == ["Trần Thị Mai"]
    assert heads(commune, "--search", "00002") == ["Trần Thị Mai"]  # the next free code was given
    assert "Không có hộ nào khớp." in commune("households", "--search", "le van").out


def test_households_sort_by_given_name_in_vietnamese_order(commune: Cli) -> None:
    for head in ("Nguyễn Văn Đức", "Phạm Văn Dũng", "Võ Thị Ánh", "Trần Văn Bình"):
        assert commune("household-add", "--head", head, "--hamlet", "Đông Điền").code == 0
    assert heads(commune, "--sort", "name") == ["Võ Thị Ánh", "Trần Văn Bình", "Phạm Văn Dũng", "Nguyễn Văn Đức"]
    assert heads(commune) == ["Nguyễn Văn Đức", "Phạm Văn Dũng", "Võ Thị Ánh", "Trần Văn Bình"]  # by code


def test_duplicate_code_is_refused_and_nothing_is_written(commune: Cli, data_dir: Path) -> None:
    assert commune("household-add", "--code", "00001", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh").code == 0
    before = row_counts(data_dir)

    refused = commune("household-add", "--code", "00001", "--head", "Lê Văn Tám", "--hamlet", "Phước Lợi")

    assert refused.code == 2
    assert "mã hộ «00001» đã có trong sổ (chủ hộ Nguyễn Văn Đức)" in refused.err
    assert "--code" in refused.err
    assert refused.out == ""
    assert row_counts(data_dir) == before
    assert not backups_dir(data_dir).exists()
    assert heads(commune) == ["Nguyễn Văn Đức"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--hamlet", "Ấp Mới"], "Không có ấp «Ấp Mới». Các ấp hiện có: Ấp Vĩnh Thạnh, Ấp Phước Lợi, Ấp Đông Điền."),
        (["--hamlet", "ap", "--code", "7"], "«ap» khớp với nhiều ấp"),
        (["--hamlet", "Phước Lợi", "--phone", "12345"], "«12345» không phải số điện thoại Việt Nam"),
        (["--hamlet", "Phước Lợi", "--birth-year", "1850"], "năm sinh 1850 phải nằm trong khoảng"),
    ],
)
def test_bad_household_input_is_refused_in_vietnamese(
    commune: Cli, data_dir: Path, options: list[str], message: str
) -> None:
    before = row_counts(data_dir)
    refused = commune("household-add", "--head", "Lê Văn Tám", *options)
    assert (refused.code, refused.out) == (2, "")
    assert message in refused.err
    assert row_counts(data_dir) == before


def test_delete_to_recycle_bin_and_restore(commune: Cli) -> None:
    commune("household-add", "--code", "A1", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh")
    commune("household-add", "--code", "A2", "--head", "Trần Thị Mai", "--hamlet", "Vĩnh Thạnh")

    deleted = commune("household-delete", "--code", "a1")
    assert deleted.code == 0, deleted.err
    assert "Đã chuyển hộ A1 — Nguyễn Văn Đức vào thùng rác" in deleted.out
    assert heads(commune) == ["Trần Thị Mai"]
    again = commune("household-delete", "--code", "A1")
    assert (again.code, again.err.strip()) == (2, "Không có hộ mã «A1» trong sổ.")

    restored = commune("household-restore", "--code", "A1")
    assert restored.code == 0, restored.err
    assert heads(commune) == ["Nguyễn Văn Đức", "Trần Thị Mai"]
    again = commune("household-restore", "--code", "A1")
    assert (again.code, again.err.strip()) == (2, "Thùng rác không có hộ mã «A1».")


def test_restore_refuses_when_the_code_was_given_again(commune: Cli) -> None:
    commune("household-add", "--code", "A1", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh")
    commune("household-delete", "--code", "A1")
    commune("household-add", "--code", "A1", "--head", "Lê Văn Tám", "--hamlet", "Phước Lợi")

    refused = commune("household-restore", "--code", "A1")

    assert refused.code == 2
    assert "mã hộ «A1» đã có trong sổ (chủ hộ Lê Văn Tám)" in refused.err
    assert heads(commune) == ["Lê Văn Tám"]


def test_backup_list_and_restore_round_trip(commune: Cli, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commune("household-add", "--code", "00001", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh")
    made = commune("backup")
    assert made.code == 0, made.err
    backup = Path(made.out.removeprefix("Đã sao lưu:").strip())
    assert backup.is_file() and backup.parent == backups_dir(data_dir)

    commune("household-add", "--code", "00002", "--head", "Trần Thị Mai", "--hamlet", "Phước Lợi")
    restored = commune("restore", "--from", backup.name)  # a name from `backups` is enough
    assert restored.code == 0, restored.err
    assert f"Đã khôi phục dữ liệu từ {backup.name}" in restored.out
    assert heads(commune) == ["Nguyễn Văn Đức"]

    listed = commune("backups")
    assert main(["--data-dir", str(data_dir), "backups"]) == 0  # --data-dir may come before the command too
    assert capsys.readouterr().out == listed.out
    lines = listed.out.splitlines()
    assert lines[0].split()[:2] == ["Thời", "gian"]
    entries = [line for line in lines if re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d  ", line)]
    assert ["Trước khi khôi phục" in entries[0], "Sao lưu thủ công" in entries[1]] == [True, True]
    assert len(entries) == 2 and entries[1].rstrip().endswith(backup.name)
    assert re.search(r"  \d+ KB  ", entries[1])

    safety = Path(restored.out.split("sao lưu tại:")[1].strip())
    assert commune("restore", "--from", str(safety)).code == 0
    assert heads(commune) == ["Nguyễn Văn Đức", "Trần Thị Mai"]


def test_restore_refuses_a_missing_or_foreign_file(commune: Cli, data_dir: Path, tmp_path: Path) -> None:
    commune("household-add", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh")
    missing = commune("restore", "--from", str(tmp_path / "khong-co.sqlite"))
    assert missing.code == 2
    assert "Không tìm thấy tệp sao lưu" in missing.err
    assert not (tmp_path / "khong-co.sqlite").exists()

    foreign = tmp_path / "ghi-chu.sqlite"
    foreign.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    refused = commune("restore", "--from", str(foreign))
    assert refused.code == 2
    assert "ghi-chu.sqlite" in refused.err
    assert heads(commune) == ["Nguyễn Văn Đức"]


def test_setup_refusals_name_the_option_and_leave_the_folder_unset(cli: Cli) -> None:
    without_commune = [o for o in SETUP if o not in ("--commune", "28201")]
    refused = cli("setup", *without_commune)
    assert refused.code == 2
    assert "hãy chọn xã, phường" in refused.err and "--commune" in refused.err

    unknown = cli("setup", *[("99" if o == "80" else o) for o in SETUP])
    assert unknown.code == 2
    assert "Không có tỉnh, thành phố mã 99" in unknown.err

    unset = cli("households")
    assert unset.code == 2
    assert "chưa được thiết lập" in unset.err and "khuyenhoc setup" in unset.err

    assert cli("setup", *SETUP).code == 0
    twice = cli("setup", *SETUP)
    assert twice.code == 2 and "đã được thiết lập" in twice.err


@pytest.mark.parametrize("command", ["households", "backup", "backups", "household-delete"])
def test_commands_do_not_create_a_folder_that_is_not_there(cli: Cli, tmp_path: Path, command: str) -> None:
    folder = tmp_path / "go-nham"
    options = ["--code", "1"] if command == "household-delete" else []
    result = cli(command, *options, folder=folder)
    assert result.code == 2
    assert f"Thư mục {folder} chưa có dữ liệu của phần mềm" in result.err
    assert not folder.exists()


def test_usage_errors_are_explained_in_vietnamese(cli: Cli) -> None:
    result = cli("household-add", "--head", "Nguyễn Văn Đức", "--hamlet", "Vĩnh Thạnh", "--sex", "khac")
    assert result.code == 2
    assert "Cách dùng: khuyenhoc household-add" in result.err
    assert "lỗi: tham số --sex: giá trị không hợp lệ: 'khac'" in result.err
    assert "thiếu tham số bắt buộc: --head" in cli("household-add", "--hamlet", "Vĩnh Thạnh").err


def test_demo_command_creates_a_commune_without_a_window(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "xa-mau"
    made = cli("demo", "--households", "50", "--seed", "7", folder=folder)
    assert made.code == 0, made.err
    assert "100%" in made.err
    assert "Đã tạo xã mẫu Xã Phước Vĩnh Tây, Tây Ninh" in made.out
    assert f"Thư mục dữ liệu: {folder}" in made.out

    listed = heads(cli, folder=folder)
    match = re.search(r"([\d.]+) hộ gia đình, ([\d.]+) nhân khẩu \(trong đó ([\d.]+) hộ đang ở thùng rác\)", made.out)
    assert match is not None
    households, _members, deleted = (int(g.replace(".", "")) for g in match.groups())
    assert households == 50
    assert len(listed) == households - deleted
    assert all(listed)

    again = cli("demo", "--households", "50", folder=folder)
    assert again.code == 2
    assert again.err.strip()


@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, bool, bool]]:
    """Stands in for the window: records where it would have opened."""
    from khuyenhoc_desktop.ui import app

    calls: list[tuple[Path, bool, bool]] = []

    def run_gui(data_dir: Path, demo: bool = False, office: bool = False) -> int:
        calls.append((data_dir, demo, office))
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    return calls


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (default_data_dir(), False, False)),
        (["--demo"], (demo_data_dir(), True, False)),
        (["--demo", "--office"], (demo_office_data_dir(), True, True)),
        (["--data-dir", "du-lieu-xa"], (Path("du-lieu-xa"), False, False)),
        (["--demo", "--data-dir", "thu"], (Path("thu"), True, False)),
    ],
)
def test_no_command_opens_the_window_on_the_right_folder(
    gui_calls: list[tuple[Path, bool, bool]], argv: list[str], expected: tuple[Path, bool, bool]
) -> None:
    assert main(argv) == 0
    assert gui_calls == [expected]


def test_self_test_runs_on_the_given_folder_or_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from khuyenhoc_desktop.ui import self_test

    seen: list[Path | None] = []

    def run_self_test(data_dir: Path | None) -> int:
        seen.append(data_dir)
        return 3

    monkeypatch.setattr(self_test, "run_self_test", run_self_test)
    assert main(["self-test"]) == 3
    assert main(["self-test", "--data-dir", str(tmp_path)]) == 3
    assert seen == [None, tmp_path]


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """`khuyenhoc households | head -1`: the list is cut short without a traceback."""
    command = [sys.executable, "-m", "khuyenhoc_desktop", "--data-dir", str(tmp_path / "xa")]
    subprocess.run([*command, "demo", "--households", "800"], capture_output=True, check=True, timeout=120)
    process = subprocess.Popen([*command, "households"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().decode("utf-8").startswith("Mã hộ")
    process.stdout.close()  # more than a pipe's buffer is still to come
    errors = process.stderr.read().decode("utf-8", "replace")
    assert process.wait(timeout=60) == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_about_says_what_the_about_dialog_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["about", "--data-dir", str(tmp_path / "xa")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Khuyến học {__version__} — Sổ quản lý xã hội học tập — Hội Khuyến học"
    assert lines[1:3] == [
        f"Thư mục dữ liệu: {tmp_path / 'xa'}",
        f"Nhật ký (gửi kèm khi báo lỗi): {tmp_path / 'xa' / 'logs'}",
    ]
    assert lines[3].startswith("Phiên bản thư viện: Qt 6.") and not (tmp_path / "xa").exists()
