"""The submission board: every commune of the office with where its package for the period stands (issue 6)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.services import merge, office, submission_board, trust
from khuyenhoc_desktop.services.submission_board import Status
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests.test_duplicates import EAST, EAST_NAME, WEST, WEST_NAME, YEAR, Commune, communes

__all__ = ["communes"]  # fixtures defined beside the tests they were written for, which pytest finds here by name

COMMUNES = 96  # Tây Ninh's communes and wards in 2025


def row_of(board: submission_board.Board, code: str) -> submission_board.BoardRow:
    return next(row for row in board.rows if row.code == code)


def test_nothing_received_yet(office_ws: Workspace) -> None:
    board = submission_board.submission_board(office_ws, YEAR)
    assert len(board.rows) == board.expected == len(board.missing) == COMMUNES
    assert {row.status_label for row in board.rows} == {"Chưa nhận"}
    assert board.totals_text == f"Đã nhận 0/{COMMUNES} xã, phường; còn thiếu {COMMUNES}"
    names = [row.name for row in board.rows]
    assert names.index("Phường Bình Minh") < names.index("Phường Gò Dầu") < names.index("Xã Phước Vĩnh Tây")


def test_received_package_with_signer_times_and_counts(office_ws: Workspace, communes: tuple[Commune, Commune]) -> None:
    west, _ = communes
    west.family("00001", "Nguyễn Văn An", 1980, ("Trần Thị Bình", 1982, "vo_chong"))
    west.family("00002", "Lê Văn Cường", 1990)
    result = west.send(office_ws)

    board = submission_board.submission_board(office_ws, YEAR)
    row = row_of(board, WEST)
    assert (row.status, row.status_label, row.missing, row.notes) == (Status.RECEIVED, "Đã nhận", False, "")
    received = row.received
    assert received is not None
    (key,) = trust.keys_of(office_ws, WEST)
    assert (received.sequence, received.key_id, received.fingerprint) == (1, key.key_id, key.fingerprint)
    assert received.exported_at == result.review.exported_at
    assert (received.households, received.members, received.rows) == (2, 3, result.review.row_count)
    assert received.exported_at <= received.received_at
    assert board.totals_text == f"Đã nhận 1/{COMMUNES} xã, phường; còn thiếu {COMMUNES - 1}"
    assert row_of(board, EAST).status == Status.MISSING
    assert WEST not in board.missing_text() and f"{EAST} {EAST_NAME}" in board.missing_text()
    assert board.missing_text().startswith(f"Các xã, phường chưa gửi số liệu năm {YEAR} ({COMMUNES - 1}):")

    assert row_of(submission_board.submission_board(office_ws, YEAR + 1), WEST).status == Status.MISSING


def test_gap_replay_and_fork_are_shown_until_something_newer_is_applied(
    office_ws: Workspace, communes: tuple[Commune, Commune]
) -> None:
    west, east = communes
    first = west.export()
    west.send(office_ws, first)
    west.export()  # lần gửi 2 never reaches the office
    west.send(office_ws)
    row = row_of(submission_board.submission_board(office_ws, YEAR), WEST)
    assert row.status == Status.RECEIVED and row.received is not None and row.received.sequence == 3
    assert row.notes == "Lưu ý: thiếu lần gửi 2 (đã nhận lần 1, gói này là lần 3)"

    with pytest.raises(UserError):
        west.send(office_ws, first)  # an old file dragged in again
    row = row_of(submission_board.submission_board(office_ws, YEAR), WEST)
    assert (row.status_label, row.missing) == ("Gói bị từ chối", False)
    assert "cũ hơn lần 3 đã nhận" in row.problem and row.notes.startswith(row.problem)

    west.send(office_ws)
    assert row_of(submission_board.submission_board(office_ws, YEAR), WEST).status == Status.RECEIVED

    east.send(office_ws)
    with closing(sqlite3.connect(database_path(east.workspace.data_dir))) as connection, connection:
        connection.execute("DELETE FROM package_export")  # a reinstalled laptop starts again at lần gửi 1
    east.family("00001", "Đỗ Văn Giang", 1950)
    fork = east.export()
    with pytest.raises(UserError, match="rẽ nhánh"):
        east.send(office_ws, fork)
    board = submission_board.submission_board(office_ws, YEAR)
    row = row_of(board, EAST)
    assert row.status_label == "Có gói rẽ nhánh chờ quyết định" and "rẽ nhánh" in row.problem
    assert board.totals_text == (
        f"Đã nhận 2/{COMMUNES} xã, phường; còn thiếu {COMMUNES - 2}; 1 xã có gói rẽ nhánh chờ quyết định"
    )


def test_merged_commune_is_shown_as_such_and_no_longer_expected(office_ws: Workspace) -> None:
    office.mark_merged(office_ws, EAST, WEST)
    board = submission_board.submission_board(office_ws, YEAR)
    row = row_of(board, EAST)
    assert row.status_label == f"Đã sáp nhập vào {WEST_NAME} ({WEST})"
    assert not row.missing and board.expected == COMMUNES - 1
    assert board.totals_text == f"Đã nhận 0/{COMMUNES - 1} xã, phường; còn thiếu {COMMUNES - 1}"
    assert "sap nhap" in row.search_key


def test_a_commune_folder_has_no_board(workspace: Workspace) -> None:
    with pytest.raises(UserError, match="chỉ cơ quan tổng hợp"):
        submission_board.submission_board(workspace, YEAR)


def test_board_command(
    office_ws: Workspace, communes: tuple[Commune, Commune], capsys: pytest.CaptureFixture[str]
) -> None:
    from khuyenhoc_desktop.cli import main

    west, _ = communes
    west.family("00001", "Nguyễn Văn An", 1980)
    west.send(office_ws)
    folder = ["--data-dir", str(office_ws.data_dir), "--year", str(YEAR)]
    assert main(["board", *folder]) == 0
    out = capsys.readouterr().out.splitlines()
    (west_line,) = [line for line in out if line.startswith(WEST)]
    (key,) = trust.keys_of(office_ws, WEST)
    assert f"{WEST_NAME}" in west_line and "Đã nhận" in west_line and key.key_id in west_line
    assert out[-1] == f"Năm {YEAR}: Đã nhận 1/{COMMUNES} xã, phường; còn thiếu {COMMUNES - 1}."

    assert main(["board", *folder, "--missing", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith('Mã,"Xã, phường",Trạng thái,Lần gửi')
    assert len(lines) == 1 + COMMUNES - 1 and not any(line.startswith(WEST) for line in lines)
    assert f"{EAST},{EAST_NAME},Chưa nhận,,,,,,,," in lines

    assert main(["board", "--data-dir", str(west.workspace.data_dir)]) == 2
    assert "chỉ cơ quan tổng hợp" in capsys.readouterr().err


def test_a_refusal_shows_under_the_commune_only_when_the_package_checks_out(
    office_ws: Workspace, communes: tuple[Commune, Commune]
) -> None:
    west, east = communes
    with pytest.raises(UserError):
        merge.apply(office_ws, west.export())  # signed, but by a key the office has not enrolled
    tampered = east.export()
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(UserError):
        merge.apply(office_ws, tampered)
    board = submission_board.submission_board(office_ws, YEAR)
    row = row_of(board, WEST)
    assert (row.status, row.missing) == (Status.REFUSED, True) and "khóa" in row.problem  # still to send one
    assert row_of(board, EAST).status == Status.MISSING  # what a broken file claims is not believed
