"""`khuyenhoc export` and `khuyenhoc verify`: what the officer reads, and the exit codes a script relies on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.exchange import keys


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


SETUP = [
    "--role", "xa", "--province", "80", "--commune", "28201", "--hamlet", "Ấp Vĩnh Thạnh",
    "--officer", "Lê Thị Hoa", "--signer-title", "Chủ tịch", "--signer-name", "Nguyễn Văn Tư", "--year", "2025",
]  # fmt: skip


@pytest.fixture
def commune(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Path:
    assert run(capsys, "setup", "--data-dir", str(data_dir), *SETUP)[0] == 0
    code, _, err = run(capsys, "household-add", "--data-dir", str(data_dir), "--head", "Nguyễn Văn Đức",
                       "--hamlet", "vinh thanh")  # fmt: skip
    assert code == 0, err
    return data_dir


def test_export_to_a_folder_names_the_file_and_verify_shows_who_signed(
    capsys: pytest.CaptureFixture[str], commune: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "export", "--data-dir", str(commune), "--year", "2025", "--out", str(tmp_path))
    assert code == 0, err
    package = tmp_path / "khuyenhoc-28201-2025-lan-01.zip"
    assert package.is_file()
    assert f"Đã xuất gói số liệu năm 2025 lần 1 vào {package}" in out
    fingerprint = keys.fingerprint(keys.public_raw(commune))
    assert fingerprint in out

    code, out, err = run(capsys, "verify", str(package))
    assert code == 0, err
    assert "Gói số liệu hợp lệ" in out
    assert "Đơn vị gửi: Xã Phước Vĩnh Tây (mã 28201), Tây Ninh" in out
    assert f"Dấu vân tay khóa ký: {fingerprint}" in out
    assert "Kỳ số liệu: năm 2025, lần xuất thứ 1" in out
    assert "gói đầu tiên của kỳ" in out
    assert "Hộ gia đình" in out and "Khóa ký:" not in out

    code, out, _ = run(capsys, "verify", str(package), "--data-dir", str(commune))
    assert code == 0 and f"Khóa ký: trùng khóa của thư mục dữ liệu {commune}" in out


def test_a_second_export_continues_the_sequence(
    capsys: pytest.CaptureFixture[str], commune: Path, tmp_path: Path
) -> None:
    assert run(capsys, "export", "--data-dir", str(commune), "--out", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "export", "--data-dir", str(commune), "--out", str(tmp_path / "lan-hai"))
    assert code == 0 and "lần 2" in out and (tmp_path / "lan-hai.zip").is_file()
    code, out, _ = run(capsys, "verify", str(tmp_path / "lan-hai.zip"))
    assert code == 0 and "lần xuất thứ 2" in out and "gói đầu tiên" not in out


def test_a_tampered_package_exits_2_with_the_reason(
    capsys: pytest.CaptureFixture[str], commune: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "goi.zip"
    assert run(capsys, "export", "--data-dir", str(commune), "--out", str(out_file))[0] == 0
    with zipfile.ZipFile(out_file, "a") as archive:
        archive.writestr("virus.exe", b"MZ")
    code, out, err = run(capsys, "verify", str(out_file))
    assert code == 2 and out == ""
    assert "Gói số liệu goi.zip bị từ chối: có tệp lạ không thuộc gói: virus.exe." in err


def test_verify_of_a_non_package_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "bao-cao.xlsx"
    other.write_bytes(b"not a zip at all")
    code, _, err = run(capsys, "verify", str(other))
    assert code == 2 and "không phải gói số liệu" in err


def test_export_needs_a_set_up_folder(capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "--data-dir", str(data_dir), "--out", str(tmp_path))
    assert code == 2 and "chưa có dữ liệu" in err
    assert list(tmp_path.glob("*.zip")) == []


def test_exports_lists_the_history_newest_first(workspace, tmp_path, capsys) -> None:
    from khuyenhoc_desktop.cli import main

    data = ["--data-dir", str(workspace.data_dir)]
    assert main(["export", *data, "--year", "2025", "--out", str(tmp_path)]) == 0
    assert main(["export", *data, "--year", "2025", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["exports", *data, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Kỳ,Lần,Thời điểm,Tệp")
    assert [line.split(",")[:2] for line in lines[1:]] == [["2025", "2"], ["2025", "1"]]
