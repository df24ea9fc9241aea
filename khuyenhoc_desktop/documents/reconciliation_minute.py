"""The reconciliation minute (biên bản đối soát số liệu): what the office found in the packages it checked, on paper
the officer signs and files with the packages.

It is the office's record of a reception, so it names each package the way the officer verified it (commune,
period, sending number, the signing key's id and fingerprint to hold against the commune's registration sheet),
what the office's copy would become register by register, and the changed records field by field with the old
and the new value. Long lists are cut with "… và N bản ghi khác": the counts above them stay whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from khuyenhoc_desktop.documents.fonts import BOLD, ITALIC, REGULAR
from khuyenhoc_desktop.documents.output import write_as
from khuyenhoc_desktop.documents.pdf_parts import (
    ISSUER,
    official_document,
    official_header,
    page_number,
    para,
    signature_block,
    signer_titles,
    style,
)
from khuyenhoc_desktop.documents.report_text import NUMBER_HEADER, Letterhead, vietnamese_date
from khuyenhoc_desktop.domain.text import format_count, format_local_time, nfc
from khuyenhoc_desktop.services.merge import CHANGED, REMOVED, Review, SheetReview, record_changes

TITLE = "BIÊN BẢN ĐỐI SOÁT SỐ LIỆU"
SUBTITLE = "(gói số liệu các xã, phường gửi lên cơ quan tổng hợp)"
NUMBER_LINE = "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BB-HKH"
NOT_APPLIED = "Mới kiểm tra, chưa ghi vào số liệu của cơ quan."
SHOWN_PER_REGISTER = 20  # changed or removed records listed per register; the rest are counted
COUNT_HEADERS = ("Mới", "Thay đổi", "Bị xóa", "Không đổi")
CHANGE_HEADERS = ("Bản ghi", "Trường", "Trước đây", "Trong gói")
SIGN_HINT = "(Ký, ghi rõ họ tên)"
HEADER_FILL = colors.HexColor("#e8eef4")

Refusal = tuple[str, str]  # the file's name, the reason it was refused


def _cell(text: str, bold: bool = False) -> Paragraph:
    return para(text, style(10, BOLD if bold else REGULAR, TA_LEFT, leading=12))


def _grid(rows: list[list[object]], widths: list[float], header_rows: int = 1, right_from: int = 99) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (right_from, header_rows), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _more(total: int, shown: int) -> str:
    return f"… và {format_count(total - shown)} bản ghi khác" if total > shown else ""


def _details(review: Review, outcome: str, width: float) -> Table:
    rows = [
        ("Tệp gói", review.path.name),
        ("Thời điểm xã xuất gói", format_local_time(review.exported_at) if review.exported_at else ""),
        ("Khóa ký", review.key_id),
        ("Dấu vân tay khóa ký", review.fingerprint),
        ("Đánh giá lần gửi", review.verdict_label),
        ("Lưu ý", "; ".join(review.warnings) or "không có"),
        ("Kết quả", outcome),
    ]
    table = Table(
        [[_cell(f"{label}:"), _cell(value, bold=label in ("Dấu vân tay khóa ký", "Kết quả"))] for label, value in rows],
        colWidths=[width * 0.3, width * 0.7],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _counts(review: Review, width: float) -> Table:
    def figures(sheet: SheetReview) -> list[int]:
        return [sheet.new, len(sheet.changed), sheet.removed, sheet.unchanged]

    held = [sheet for sheet in review.sheets if any(figures(sheet))]  # registers neither side has are left out
    rows: list[list[object]] = [[_cell("Bảng số liệu", bold=True), *(_cell(h, bold=True) for h in COUNT_HEADERS)]]
    rows += [[_cell(sheet.name), *(format_count(n) for n in figures(sheet))] for sheet in held]
    totals = [sum(column) for column in zip(*(figures(s) for s in held), strict=True)] or [0, 0, 0, 0]
    rows.append([_cell("Cộng", bold=True), *(format_count(n) for n in totals)])
    figure_width = width * 0.14
    return _grid(rows, [width - 4 * figure_width, *[figure_width] * 4], right_from=1)


def _changed(review: Review, width: float) -> list[Flowable]:
    """Every changed field of the first records of each register, old value → new value."""
    rows: list[list[object]] = [[_cell(h, bold=True) for h in CHANGE_HEADERS]]
    spans: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for sheet in review.sheets:
        changed = [c for c in record_changes(review, sheet.sheet) if c.kind == CHANGED][:SHOWN_PER_REGISTER]
        if not changed:
            continue
        spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
        rows.append([_cell(f"{sheet.name} ({format_count(len(sheet.changed))} bản ghi thay đổi)", bold=True)])
        for record in changed:
            for number, change in enumerate(record.fields):
                rows.append([_cell(record.label if number == 0 else ""), _cell(change.header), _cell(change.old),
                             _cell(change.new)])  # fmt: skip
        more = _more(len(sheet.changed), len(changed))
        if more:
            spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            rows.append([para(more, style(10, ITALIC, TA_LEFT, leading=12))])
    if len(rows) == 1:
        return []
    for row in rows:
        row += [""] * (len(CHANGE_HEADERS) - len(row))
    table = _grid(rows, [width * 0.3, width * 0.2, width * 0.25, width * 0.25])
    table.setStyle(TableStyle(spans))
    heading = _cell("Các bản ghi thay đổi (trước đây → trong gói):", bold=True)
    return [Spacer(1, 2 * mm), KeepTogether([heading, Spacer(1, 1 * mm), table])]


def _removed(review: Review) -> list[Flowable]:
    lines: list[Flowable] = []
    for sheet in review.sheets:
        removed = [c.label for c in record_changes(review, sheet.sheet) if c.kind == REMOVED][:SHOWN_PER_REGISTER]
        if removed:
            listed = "; ".join([*removed, _more(sheet.removed, len(removed))]).rstrip("; ")
            lines.append(para(f"– {sheet.name} ({format_count(sheet.removed)}): {listed}.", style(10.5, align=TA_LEFT)))
    if not lines:
        return []
    heading = _cell("Các bản ghi có trong số liệu của cơ quan nhưng không còn trong gói (bị xóa):", bold=True)
    return [Spacer(1, 2 * mm), heading, *lines]


def _package(number: int, review: Review, outcome: str, width: float) -> list[Flowable]:
    heading = (
        f"{number}. {nfc(review.commune_name)} (mã {review.commune_code}) — năm {review.period}, "
        f"lần gửi {review.sequence}"
    )
    return [
        Spacer(1, 4 * mm),
        KeepTogether([para(heading, style(12, BOLD, TA_LEFT)), Spacer(1, 1.5 * mm), _details(review, outcome, width)]),
        Spacer(1, 2 * mm),
        _counts(review, width),
        *_changed(review, width),
        *_removed(review),
    ]


def _refusals(refusals: Sequence[Refusal], first_number: int, width: float) -> list[Flowable]:
    if not refusals:
        return []
    rows: list[list[object]] = [[_cell(NUMBER_HEADER, bold=True), _cell("Tệp", bold=True), _cell("Lý do", bold=True)]]
    rows += [[str(i), _cell(name), _cell(reason)] for i, (name, reason) in enumerate(refusals, start=1)]
    heading = para(f"{first_number}. Các gói không nhận", style(12, BOLD, TA_LEFT))
    return [Spacer(1, 4 * mm), heading, Spacer(1, 1.5 * mm), _grid(rows, [10 * mm, width * 0.3, width * 0.7 - 10 * mm])]


def _opening(letterhead: Letterhead, when: datetime, checked: int, refused: int) -> Paragraph:
    place = nfc(letterhead.association_name) or "cơ quan tổng hợp"
    who = nfc(letterhead.officer_name) or "cán bộ tổng hợp"
    text = (
        f"Hồi {when.hour:02d} giờ {when.minute:02d} phút, {vietnamese_date(when.date())}, tại {place}, {who} đã "
        f"kiểm tra {format_count(checked + refused)} gói số liệu do các xã, phường gửi lên (chữ ký số, mã băm, "
        f"khóa ký đã đăng ký, thứ tự lần gửi) và đối chiếu với số liệu cơ quan đang giữ: {format_count(checked)} "
        f"gói kiểm tra đạt, {format_count(refused)} gói không nhận. Kết quả như sau:"
    )
    return para(text, style(12, align=TA_JUSTIFY, leading=16))


def write_minute_pdf(
    letterhead: Letterhead,
    path: Path,
    reviews: Sequence[Review],
    refusals: Sequence[Refusal] = (),
    outcomes: Mapping[Path, str] | None = None,
    when: datetime | None = None,
) -> None:
    moment = when or datetime.now()
    document = official_document(path, TITLE.capitalize(), letterhead.association_name)
    width = document.width - 12  # the frame keeps 6 pt inside each margin
    story: list[Flowable] = [
        official_header(letterhead, NUMBER_LINE, letterhead.date_line(moment.date()), width),
        Spacer(1, 6 * mm),
        para(TITLE, style(14, BOLD)),
        para(SUBTITLE, style(12, ITALIC)),
        Spacer(1, 4 * mm),
        _opening(letterhead, moment, len(reviews), len(refusals)),
    ]
    for number, review in enumerate(reviews, start=1):
        story += _package(number, review, (outcomes or {}).get(review.path, NOT_APPLIED), width)
    story += _refusals(refusals, len(reviews) + 1, width)
    closing = para(
        "Biên bản lập xong cùng ngày, lưu cùng các tệp gói số liệu tại cơ quan tổng hợp.",
        style(12, align=TA_LEFT),
    )
    story.append(
        signature_block(
            [
                [*signer_titles("NGƯỜI KIỂM TRA, TIẾP NHẬN"), para(SIGN_HINT, style(12, ITALIC))],
                signer_titles(f"TM. {ISSUER}", nfc(letterhead.signer_title).upper()),
            ],
            [nfc(letterhead.officer_name), nfc(letterhead.signer_name)],
            width,
            kept_with=[Spacer(1, 4 * mm), closing],
        )
    )
    document.build(story, onLaterPages=page_number)


def write_reconciliation_minute(
    letterhead: Letterhead,
    path: Path,
    reviews: Sequence[Review],
    refusals: Sequence[Refusal] = (),
    outcomes: Mapping[Path, str] | None = None,
    when: datetime | None = None,
) -> None:
    """The minute of the packages checked (`reviews`, whole or trimmed) and those refused before review;
    `outcomes` says per package file what became of it (default: only checked). A wrong suffix or an
    unwritable file is refused in Vietnamese."""
    write_as(
        path,
        "biên bản đối soát",
        {".pdf": lambda out: write_minute_pdf(letterhead, out, reviews, refusals, outcomes, when)},
    )
