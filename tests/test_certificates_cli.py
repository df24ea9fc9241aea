"""Certificates from the command line: `certificates` prints the recognised records (or the commendations) to one
PDF with serials and reprints reported, `certificate-check` answers 0 for a genuine statement and 2 otherwise,
`certificate-template` shows and edits the wording."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from khuyenhoc_desktop.cli import main
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import certificates
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.paths import database_path
from tests import test_certificates
from tests.pdf_helpers import NEEDS_POPPLER, pdf_text
from tests.test_certificates import commendation

# test_certificates' fixture: four households recognised by two decisions, a fifth only registered.
families = test_certificates.families


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def printings(data_dir: Path) -> int:
    with closing(sqlite3.connect(database_path(data_dir))) as connection:
        return int(connection.execute("SELECT count(*) FROM certificate_print").fetchone()[0])


@NEEDS_POPPLER
def test_certificates_prints_every_recognised_record_then_reports_reprints(
    workspace: Workspace, families: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = str(workspace.data_dir)
    out_file = tmp_path / "giay-cong-nhan.pdf"

    code, out, err = run(
        capsys, "certificates", "--data-dir", folder, "--year", "2025", "--title", "gia-dinh", "--out", str(out_file)
    )

    assert code == 0, err
    assert f"Đã in 4 giấy công nhận vào {out_file}." in out
    assert "Cấp mới 4 giấy, số sê-ri từ 28201-2025-GD-000001 đến 28201-2025-GD-000004." in out
    text = pdf_text(out_file)
    assert text.count("\f") == 4  # one page per certificate
    assert "Gia đình ông (bà): Nguyễn Văn An" in text

    again = tmp_path / "in-lai.pdf"
    code, out, err = run(
        capsys,
        "certificates",
        "--data-dir",
        folder,
        "--title",
        "gia-dinh",
        "--only",
        "nguyen van an",
        "--out",
        str(again),
    )

    assert code == 0, err
    assert "Đã in 1 giấy công nhận" in out
    assert "In lại 1 giấy đã cấp" in out
    assert "Cấp mới" not in out
    assert pdf_text(again).count("\f") == 1
    assert printings(workspace.data_dir) == 5


def test_certificates_of_one_decision_listed_as_csv(
    workspace: Workspace, families: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(workspace.data_dir)

    code, out, err = run(
        capsys, "certificates", "--data-dir", folder, "--title", "gia-dinh", "--decision", "30/qđ-hkh", "--list",
        "--format", "csv",
    )  # fmt: skip

    assert code == 0, err
    assert out.splitlines() == ["Tên,Chi tiết,Quyết định,Đã in", "Phạm Văn Đức,Hộ 00004 · Ấp Đông Điền,30/QĐ-HKH,0"]
    code, out, err = run(capsys, "certificates", "--data-dir", folder, "--title", "gia-dinh", "--decision", "99/QĐ")
    assert (code, out) == (2, "")
    assert "Không có quyết định công nhận Gia đình học tập số «99/QĐ» năm 2025" in err


def test_certificates_refusals_print_nothing_and_spend_no_serial(
    workspace: Workspace, families: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = str(workspace.data_dir)
    base = ("certificates", "--data-dir", folder, "--year", "2025")

    refusals = [
        run(capsys, *base, "--out", str(tmp_path / "a.pdf")),
        run(capsys, *base, "--title", "gia-dinh"),
        run(capsys, *base, "--title", "gia-dinh", "--only", "Không Có Ai", "--out", str(tmp_path / "b.pdf")),
        run(capsys, *base, "--title", "gia-dinh", "--out", str(tmp_path / "khong-co-thu-muc" / "c.pdf")),
        run(capsys, *base, "--kind", "giay-khen", "--title", "gia-dinh", "--out", str(tmp_path / "d.pdf")),
    ]

    assert [code for code, _, _ in refusals] == [2, 2, 2, 2, 2]
    assert "hãy bỏ --title" in refusals[4][2]
    assert "Giấy công nhận cần --title" in refusals[0][2]
    assert "--out TỆP.pdf" in refusals[1][2]
    assert "Không có «Không Có Ai» trong danh sách được công nhận năm 2025" in refusals[2][2]
    assert "Không ghi được tệp" in refusals[3][2]
    assert printings(workspace.data_dir) == 0
    (first,) = certificates.issue(workspace, "cong_nhan", 2025, [families["Nguyễn Văn An"]], Title.FAMILY)
    assert first.serial == "28201-2025-GD-000001"


@NEEDS_POPPLER
def test_giay_khen_from_the_commendation_records(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    commendation(workspace, "Đặng Văn Hải")
    out_file = tmp_path / "giay-khen.pdf"

    code, out, err = run(
        capsys, "certificates", "--data-dir", str(workspace.data_dir), "--kind", "giay-khen", "--year", "2025",
        "--out", str(out_file),
    )  # fmt: skip

    assert code == 0, err
    assert "Đã in 1 giấy khen" in out
    assert "28201-2025-GK-000001" in out
    assert "GIẤY KHEN" in pdf_text(out_file)


def test_certificate_check_answers_0_for_genuine_and_2_otherwise(
    workspace: Workspace, families: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (text,) = certificates.issue(workspace, "cong_nhan", 2025, [families["Lê Văn Cư"]], Title.FAMILY)
    folder = str(workspace.data_dir)

    code, out, _ = run(capsys, "certificate-check", "--data-dir", folder, text.qr_text)
    assert code == 0
    assert out.splitlines()[:2] == ["GIẤY THẬT", "Chữ ký đúng, bằng khóa của máy này; giấy đã in 1 lần."]
    assert "Người, tập thể được cấp: Lê Văn Cư" in out
    assert "Số sê-ri: 28201-2025-GD-000001" in out

    code, out, _ = run(
        capsys, "certificate-check", "--data-dir", folder, text.qr_text.replace("Lê Văn Cư", "Lê Văn Cừ")
    )
    assert code == 2
    assert out.startswith("KHÔNG XÁC NHẬN ĐƯỢC LÀ GIẤY THẬT\nChữ ký không khớp với nội dung")

    elsewhere = tmp_path / "may-khac"
    code, out, _ = run(capsys, "certificate-check", "--data-dir", str(elsewhere), text.qr_text)
    assert code == 2
    assert keys.fingerprint(keys.public_raw(workspace.data_dir)) in out
    assert not elsewhere.exists()  # checking creates no data folder


def test_certificate_template_shows_edits_and_refuses_unknown_placeholders(
    workspace: Workspace, families: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(workspace.data_dir)

    code, out, err = run(
        capsys, "certificate-template", "--data-dir", folder, "--title", "gia-dinh",
        "--set", r"recipient_format=Hộ ông (bà) {ho_ten}\n{ap}", "signer_lines=TM. BAN CHẤP HÀNH\\nPHÓ CHỦ TỊCH",
    )  # fmt: skip
    assert code == 0, err
    assert "Đã lưu mẫu giấy công nhận gia đình học tập." in out
    assert r"Người, tập thể được cấp (recipient_format): Hộ ông (bà) {ho_ten} \n {ap}" in out
    (text,) = certificates.issue(workspace, "cong_nhan", 2025, [families["Nguyễn Văn An"]], Title.FAMILY)
    assert text.recipient_lines == ("Hộ ông (bà) Nguyễn Văn An", "Ấp Vĩnh Thạnh")
    assert text.signer_lines == ("TM. BAN CHẤP HÀNH", "PHÓ CHỦ TỊCH")

    code, out, err = run(
        capsys, "certificate-template", "--data-dir", folder, "--title", "gia-dinh", "--set", "heading={tieu_de}"
    )
    assert (code, out) == (2, "")
    assert "ô «Tên loại giấy»: chỗ điền {tieu_de} không có" in err

    code, out, _ = run(capsys, "certificate-template", "--data-dir", folder, "--title", "giay-khen", "--show")
    assert code == 0
    assert "Tên loại giấy (heading): GIẤY KHEN" in out
    assert "  {ho_ten}: chủ hộ, dòng họ, ấp, đơn vị hoặc người được cấp giấy" in out

    code, out, _ = run(capsys, "certificate-template", "--data-dir", folder, "--title", "gia-dinh", "--reset")
    assert code == 0
    assert certificates.template(workspace, Title.FAMILY) == certificates.default_template(Title.FAMILY)
