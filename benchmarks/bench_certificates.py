"""Certificates speed and size at the consolidating office's scale, printed beside the budgets.

    python benchmarks/bench_certificates.py            # 5,000 certificates with QR codes into one PDF
    python benchmarks/bench_certificates.py --smoke    # a few, for CI: proves the script runs, not the speed

Figures: our writer (documents/certificates.py: the border a form stored once, each QR code a 1-bit image
mask), beside a bare reportlab loop drawing the same lines and the same codes (segno, the same mask) the plain
way: no border, no fitting, one canvas.rect per dark module; with each file's size. Budgets are for a
2-core laptop; tests never assert times.
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import segno  # noqa: E402
from bench_households import verdict  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from khuyenhoc_desktop.documents.certificates import CERTIFICATE_PAGE, QR_MASK, write_certificates  # noqa: E402
from khuyenhoc_desktop.documents.fonts import BOLD, REGULAR, register_fonts  # noqa: E402
from khuyenhoc_desktop.domain.certificates import CertificateKind, CertificateText  # noqa: E402

TIME_BUDGET_S = 20.0  # 5,000 certificates
SIZE_BUDGET_MB = 10.0

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE_NAMES = ("Văn", "Thị", "Ngọc", "Minh", "Thanh", "Hữu", "Thị Ngọc", "Quốc")
GIVEN_NAMES = ("Ánh", "Bình", "Cường", "Dũng", "Hạnh", "Khải", "Lộc", "Nguyệt", "Phượng", "Thưởng", "Yến")
HAMLETS = ("Phước Lợi", "Phước Hòa", "Phước Tân")


def encoded(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sample(count: int) -> list[CertificateText]:
    """Certificates worded as the defaults word them, each with a statement laid out as services/certificates.py
    lays it out (its public key and a real Ed25519 signature): its length sets the QR code's size, and so the
    drawing time and the file's size."""
    key = Ed25519PrivateKey.generate()
    public = encoded(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    certificates = []
    for number in range(1, count + 1):
        name = (
            f"{FAMILY_NAMES[number % len(FAMILY_NAMES)]} {MIDDLE_NAMES[number % len(MIDDLE_NAMES)]} "
            f"{GIVEN_NAMES[number % len(GIVEN_NAMES)]}"
        )
        serial = f"28201-2025-GD-{number:06d}"
        statement = f"KHCN1|{serial}|GD|2025|{name}|28201|{public}"
        signature = encoded(key.sign(statement.encode()))
        certificates.append(
            CertificateText(
                serial=serial,
                kind=CertificateKind.RECOGNITION,
                superior_body="UBND XÃ PHƯỚC VĨNH TÂY",
                issuing_body="HỘI KHUYẾN HỌC",
                number_line=f"Số: {number}/GCN-HKH",
                heading="GIẤY CÔNG NHẬN",
                title_line="“GIA ĐÌNH HỌC TẬP” NĂM 2025",
                recipient_lines=(
                    f"Gia đình ông/bà: {name}",
                    f"Ấp {HAMLETS[number % len(HAMLETS)]}, xã Phước Vĩnh Tây, tỉnh Tây Ninh",
                ),
                body_lines=(
                    "Đã đạt danh hiệu “Gia đình học tập” năm 2025",
                    "theo Quyết định số 05/QĐ-HKH ngày 10/12/2025 của Ban Chấp hành Hội Khuyến học xã.",
                ),
                place_date="Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025",
                signer_lines=("TM. BAN CHẤP HÀNH", "CHỦ TỊCH"),
                signer_name="Trần Văn Bình",
                qr_text=f"{statement}|{signature}",
                reprint=number % 50 == 0,
            )
        )
    return certificates


def bare_loop(certificates: list[CertificateText], path: Path) -> None:
    """The same lines and codes with nothing but reportlab's plain calls, as one would write it first."""
    register_fonts()
    canvas = Canvas(str(path), pagesize=CERTIFICATE_PAGE, pageCompression=1, initialFontName=REGULAR)
    width, height = CERTIFICATE_PAGE
    for certificate in certificates:
        lines = (
            certificate.superior_body,
            certificate.issuing_body,
            certificate.number_line,
            certificate.heading,
            certificate.title_line,
            *certificate.recipient_lines,
            *certificate.body_lines,
            certificate.place_date,
            *certificate.signer_lines,
            certificate.signer_name,
            certificate.serial,
        )
        for index, line in enumerate(lines):
            canvas.setFont(BOLD if index in (1, 3, 4) else REGULAR, 14)
            canvas.drawCentredString(width / 2, height - (20 + index * 9) * mm, line)
        matrix = segno.make(certificate.qr_text, error="m", micro=False, mask=QR_MASK).matrix
        module = 22 * mm / len(matrix)
        for row, cells in enumerate(matrix):
            for column, dark in enumerate(cells):
                if dark:
                    canvas.rect(24 * mm + column * module, 42 * mm - row * module, module, module, 0, 1)
        canvas.showPage()
    canvas.save()


def timed(
    write: Callable[[list[CertificateText], Path], object], certificates: list[CertificateText], path: Path
) -> tuple[float, float]:
    """Seconds, and the file's size in megabytes."""
    started = time.perf_counter()
    write(certificates, path)
    return time.perf_counter() - started, path.stat().st_size / 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="a few certificates: checks the script, not the speed")
    args = parser.parse_args(argv)
    count = 50 if args.smoke else 5_000
    print(f"Giấy công nhận — đo tốc độ ({'chạy thử nhanh' if args.smoke else 'quy mô thật'})")
    certificates = sample(count)
    register_fonts()  # once per process in the app as well; not part of either figure
    with tempfile.TemporaryDirectory() as scratch:
        ours_s, ours_mb = timed(write_certificates, certificates, Path(scratch) / "giay-cong-nhan.pdf")
        bare_s, bare_mb = timed(bare_loop, certificates, Path(scratch) / "vong-lap-tran.pdf")
    print(f"{'chỉ số':<46}{'số giấy':>10}{'đo được':>12}{'ngân sách':>12}  kết quả")
    rows = (
        ("in giấy công nhận kèm mã QR (thời gian)", ours_s, "s", TIME_BUDGET_S),
        ("in giấy công nhận kèm mã QR (dung lượng)", ours_mb, "MB", SIZE_BUDGET_MB),
        ("vòng lặp reportlab trần (thời gian)", bare_s, "s", None),
        ("vòng lặp reportlab trần (dung lượng)", bare_mb, "MB", None),
    )
    for name, value, unit, budget in rows:
        limit = f"{budget:.0f} {unit}" if budget else "—"
        result = verdict(value, budget) if budget and not args.smoke else ""
        print(f"{name:<46}{count:>10,}{value:>9.1f} {unit:<2}{limit:>12}  {result}")
    if args.smoke:
        print("(chạy thử nhanh: số đo không so với ngân sách thật)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
