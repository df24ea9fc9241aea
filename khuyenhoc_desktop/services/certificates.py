"""Certificates (issue 7): who receives one, the serial each gets for good, the wording from the officer's
template, and the signed statement its QR code carries, which anyone can check later.

A certificate is issued once per recipient, title and year: the first printing takes the next serial of the
commune (or of a consolidating office, under its own code: `80-2025-DV-000001`), year and title
(`28201-2025-GD-000001`); a later printing is a reprint under the same serial, logged
and marked on the page. Serials are never given twice, not even after a decision is revoked.

The statement (docs/certificate-statement.md) names the serial, title, year, recipient and commune and is signed
with the installation's Ed25519 key; it carries the public key itself, so a changed character is caught on any
machine, and whether the key is the commune's is answered from this folder's own keys or the office's enrolled
ones — or, elsewhere, by comparing the fingerprint with the commune's paper key sheet.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain import admin_units
from khuyenhoc_desktop.domain.certificates import CertificateKind, CertificateText
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.honours import HonourKind, RecipientKind
from khuyenhoc_desktop.domain.profile import Role
from khuyenhoc_desktop.domain.text import format_date, nfc
from khuyenhoc_desktop.domain.titles import TITLE_LABELS, Title
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import honours, office, trust
from khuyenhoc_desktop.services.bulk import cyclic_gc_paused
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.profile import list_hamlets
from khuyenhoc_desktop.services.subjects import subject_row, subject_sql
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import (
    Certificate,
    CertificatePrint,
    CertificateTemplateRecord,
    Profile,
    utc_now,
)

COMMENDATION = CertificateKind.COMMENDATION.value  # the template key and the `title` of a giấy khen
STATEMENT_PREFIX = "KHCN1"
STATEMENT_PARTS = 8
SERIAL_DIGITS = 6
# The serial's and the statement's short code of each title; a giấy khen is GK.
ABBREVIATIONS: dict[str, str] = {
    Title.FAMILY: "GD",
    Title.CLAN: "DH",
    Title.COMMUNITY: "CD",
    Title.UNIT: "DV",
    Title.CITIZEN: "CDN",
    COMMENDATION: "GK",
}
_TITLE_OF_CODE = {code: key for key, code in ABBREVIATIONS.items()}
KIND_LABELS: dict[str, str] = {
    CertificateKind.RECOGNITION: "Giấy công nhận",
    CertificateKind.COMMENDATION: "Giấy khen",
}
EMPTY_VALUE = "……"  # a value the records do not hold: left as dots to fill in by hand, as on paper forms

# -- templates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateTemplate:
    """The wording of one title's certificates (or of the giấy khen), with {placeholders} from PLACEHOLDERS.
    The tuples hold one printed line each."""

    superior_body: str
    issuing_body: str
    number_format: str
    heading: str
    title_format: str
    recipient_format: tuple[str, ...]
    body_format: tuple[str, ...]
    place_date_format: str
    signer_lines: tuple[str, ...]


TEMPLATE_FIELDS: dict[str, str] = {
    "superior_body": "Cơ quan cấp trên",
    "issuing_body": "Cơ quan cấp giấy",
    "number_format": "Số giấy",
    "heading": "Tên loại giấy",
    "title_format": "Danh hiệu và năm",
    "recipient_format": "Người, tập thể được cấp",
    "body_format": "Nội dung",
    "place_date_format": "Địa danh, ngày tháng",
    "signer_lines": "Chức vụ người ký",
}
REQUIRED_FIELDS = ("heading", "recipient_format")

PLACEHOLDERS: dict[str, str] = {
    "so": "số thứ tự của giấy trong năm (12)",
    "seri": "số sê-ri (28201-2025-GD-000012)",
    "danh_hieu": "tên danh hiệu (Gia đình học tập)",
    "DANH_HIEU": "tên danh hiệu viết hoa (GIA ĐÌNH HỌC TẬP)",
    "nam": "năm được công nhận, được khen (2025)",
    "ho_ten": "chủ hộ, dòng họ, ấp, đơn vị hoặc người được cấp giấy",
    "nguoi_nhan": "người nhận kèm «ông (bà)» khi là một người (ông (bà) Nguyễn Văn An)",
    "nam_sinh": "năm sinh (công dân học tập)",
    "ap": "ấp (Ấp Vĩnh Thạnh)",
    "xa": "xã, phường viết trong câu (xã Phước Vĩnh Tây)",
    "ten_xa": "tên xã, phường không kèm chữ «xã» (Phước Vĩnh Tây)",
    "XA": "xã, phường viết hoa (XÃ PHƯỚC VĨNH TÂY)",
    "tinh": "tỉnh, thành phố viết trong câu (tỉnh Tây Ninh)",
    "dia_chi": "địa chỉ đủ: ấp, xã, tỉnh",
    "so_quyet_dinh": "số quyết định công nhận, khen thưởng",
    "ngay_quyet_dinh": "ngày quyết định (15/12/2025)",
    "co_quan": "cơ quan ra quyết định (Hội Khuyến học xã Phước Vĩnh Tây)",
    "noi_dung": "nội dung khen (giấy khen)",
    "ngay": "ngày ký quyết định (15)",
    "thang": "tháng ký quyết định (12)",
    "nam_ky": "năm ký quyết định (2025)",
    "CHUC_VU": "chức vụ người ký viết hoa (CHỦ TỊCH)",
}

_DECISION_LINE = "Theo Quyết định số {so_quyet_dinh} ngày {ngay_quyet_dinh} của {co_quan}"
_RECOGNITION_DEFAULT = CertificateTemplate(
    superior_body="UBND {XA}",
    issuing_body="HỘI KHUYẾN HỌC",
    number_format="Số: {so}/GCN-HKH",
    heading="GIẤY CÔNG NHẬN",
    title_format="“{DANH_HIEU}” NĂM {nam}",
    recipient_format=("{ho_ten}", "{dia_chi}"),
    body_format=("Đã đạt danh hiệu “{danh_hieu}” năm {nam}", _DECISION_LINE),
    place_date_format="{ten_xa}, ngày {ngay} tháng {thang} năm {nam_ky}",
    signer_lines=("TM. BAN CHẤP HÀNH", "{CHUC_VU}"),
)
_RECIPIENT_DEFAULTS: dict[str, tuple[str, ...]] = {
    Title.FAMILY: ("Gia đình ông (bà): {ho_ten}", "{dia_chi}"),
    Title.CLAN: ("Dòng họ {ho_ten}", "{dia_chi}"),
    Title.COMMUNITY: ("{ho_ten}", "{xa}, {tinh}"),
    Title.UNIT: ("{ho_ten}", "{dia_chi}"),
    Title.CITIZEN: ("Ông (bà) {ho_ten}, sinh năm {nam_sinh}", "{dia_chi}"),
}
_COMMENDATION_DEFAULT = replace(
    _RECOGNITION_DEFAULT,
    number_format="Số: {so}/GK-HKH",
    heading="GIẤY KHEN",
    title_format="NĂM {nam}",
    recipient_format=("Tặng {nguoi_nhan}", "{dia_chi}"),
    body_format=("{noi_dung}", _DECISION_LINE),
)


def template_label(title_or_kind: str) -> str:
    """ "Giấy công nhận Gia đình học tập" or "Giấy khen": how messages name a template."""
    if title_or_kind == COMMENDATION:
        return KIND_LABELS[CertificateKind.COMMENDATION]
    if title_or_kind in TITLE_LABELS:
        return f"{KIND_LABELS[CertificateKind.RECOGNITION]} {TITLE_LABELS[title_or_kind]}"
    choices = ", ".join(f"{key} ({TITLE_LABELS[key]})" for key in TITLE_LABELS)
    raise UserError(
        f"Không có mẫu giấy «{title_or_kind}»: chọn một danh hiệu {choices} hoặc {COMMENDATION} (giấy khen)."
    )


def default_template(title_or_kind: str) -> CertificateTemplate:
    template_label(title_or_kind)
    if title_or_kind == COMMENDATION:
        return _COMMENDATION_DEFAULT
    return replace(_RECOGNITION_DEFAULT, recipient_format=_RECIPIENT_DEFAULTS[title_or_kind])


def _field_texts(template: CertificateTemplate) -> list[tuple[str, str]]:
    """Every (field, text) to check: each signer line on its own."""
    result: list[tuple[str, str]] = []
    for item in fields(CertificateTemplate):
        value = getattr(template, item.name)
        result.extend((item.name, line) for line in (value if isinstance(value, tuple) else (value,)))
    return result


def _clean(value: str | tuple[str, ...]) -> Any:
    """A text trimmed and NFC-normalised; of lines, the empty ones dropped."""
    return tuple(filter(None, map(nfc, value))) if isinstance(value, tuple) else nfc(value)


def check_template(title_or_kind: str, template: CertificateTemplate) -> CertificateTemplate:
    """The template NFC-normalised and trimmed, or a ValidationError naming the field and the placeholder."""
    record = f"Mẫu {template_label(title_or_kind).lower()}"
    clean = CertificateTemplate(*(_clean(getattr(template, item.name)) for item in fields(CertificateTemplate)))
    for name in REQUIRED_FIELDS:
        if not getattr(clean, name):
            raise ValidationError(record, name, TEMPLATE_FIELDS[name], "không được để trống.")
    for name, value in _field_texts(clean):
        label = TEMPLATE_FIELDS[name]
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError as error:
            raise ValidationError(
                record, name, label, "dấu ngoặc nhọn { } không khớp; chỗ điền viết như {ho_ten}."
            ) from error
        for _, placeholder, spec, conversion in parsed:
            if placeholder is None:
                continue
            if placeholder not in PLACEHOLDERS:
                raise ValidationError(
                    record, name, label,
                    f"chỗ điền {{{placeholder}}} không có. Dùng được: "
                    + ", ".join(f"{{{key}}}" for key in PLACEHOLDERS) + ".",
                )  # fmt: skip
            if spec or conversion:
                raise ValidationError(
                    record, name, label, f"chỗ điền {{{placeholder}}} không kèm định dạng; hãy viết {{{placeholder}}}."
                )
    return clean


def _stored(session: Session, title_or_kind: str) -> CertificateTemplateRecord | None:
    return session.exec(
        select(CertificateTemplateRecord).where(
            CertificateTemplateRecord.key == title_or_kind, col(CertificateTemplateRecord.deleted_at).is_(None)
        )
    ).first()


def _template_of(session: Session, title_or_kind: str) -> CertificateTemplate:
    default = default_template(title_or_kind)
    record = _stored(session, title_or_kind)
    if record is None:
        return default
    saved: dict[str, Any] = json.loads(record.fields)
    # A field the stored template lacks (added by a later version) keeps its default wording.
    changes: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in TEMPLATE_FIELDS
    }
    return replace(default, **changes)


def template(workspace: Workspace, title_or_kind: str) -> CertificateTemplate:
    """The officer's template of this title (or of the giấy khen), else the default wording."""
    with session_scope(workspace.engine) as session:
        return _template_of(session, title_or_kind)


def save_template(workspace: Workspace, title_or_kind: str, template: CertificateTemplate) -> None:
    """Checked first: an unknown placeholder is refused, naming the field and the placeholder."""
    clean = check_template(title_or_kind, template)
    stored = json.dumps(asdict(clean), ensure_ascii=False)
    with record_change(workspace, f"Sửa mẫu {template_label(title_or_kind).lower()}") as change:
        record = _stored(change.session, title_or_kind)
        if record is None:
            change.add(CertificateTemplateRecord(key=title_or_kind, fields=stored))
            return
        change.touch(record)
        record.fields, record.updated_at = stored, utc_now()


# -- recipients -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    id: str  # the recognised subject, or the commendation (honour) record
    title: str  # Title code, or "giay_khen"
    name: str
    detail: str  # hamlet or address, as lists show it
    decision_number: str
    decision_date: str  # ISO
    issued: int  # times printed before


@dataclass(frozen=True)
class _Subject:
    """What a certificate says of its recipient."""

    id: str
    title: str
    name: str
    person: bool  # written "ông (bà) …"
    hamlet: str
    birth_year: int | None
    detail: str
    sort: str
    decision_number: str
    decision_date: str
    issuer: str  # who decided, when the record names it (a commendation's issuer)
    content: str


_RECOGNISED_SQL = """
WITH s AS ({subjects})
SELECT s.id, s.name, s.detail, s.hamlet_id, s.hamlet_name, s.sort_key, s.label, d.number, d.signed_on,
       (SELECT c.birth_year FROM citizen c WHERE c.id = s.id)
FROM evaluation e
JOIN decision d ON d.id = e.decision_id AND d.deleted_at IS NULL
JOIN s ON s.id = e.subject_id AND s.deleted_at IS NULL
WHERE e.deleted_at IS NULL AND e.title = :title AND e.year = :year AND (:decision IS NULL OR d.id = :decision)
"""
_CLAN_WORDS = ("dòng họ ", "họ ")


def _clan_family(name: str) -> str:
    """ "Họ Nguyễn Văn" → "Nguyễn Văn": the template says "Dòng họ" itself."""
    for word in _CLAN_WORDS:
        if name.lower().startswith(word) and len(name) > len(word):
            return name[len(word) :]
    return name


def _recognised(session: Session, title: str, year: int, decision_id: str | None) -> list[_Subject]:
    rows = session.execute(
        sql(_RECOGNISED_SQL.format(subjects=subject_sql(title))),
        {"title": title, "year": year, "decision": decision_id},
    ).all()
    result = []
    for row in rows:
        subject = subject_row(title, tuple(row))
        number, signed_on, birth_year = row[7], row[8], row[9]
        detail = " · ".join(dict.fromkeys(filter(None, (subject.detail, subject.hamlet_name))))
        result.append(
            _Subject(
                id=subject.id,
                title=title,
                name=subject.name,
                person=title in (Title.FAMILY, Title.CITIZEN),
                hamlet="" if title == Title.COMMUNITY else subject.hamlet_name,
                birth_year=birth_year,
                detail=detail,
                sort=subject.sort_key,
                decision_number=number,
                decision_date=signed_on,
                issuer="",
                content="",
            )
        )
    return result


def _commended(workspace: Workspace, year: int) -> list[_Subject]:
    return [
        _Subject(
            id=row.id,
            title=COMMENDATION,
            name=row.recipient,
            person=row.recipient_kind == RecipientKind.PERSON,
            hamlet=row.hamlet_name,
            birth_year=None,
            detail=" · ".join(filter(None, (row.recipient_kind_label, row.hamlet_name))),
            sort=row.recipient_sort,
            decision_number=row.decision_no,
            decision_date=row.honoured_on.isoformat(),
            issuer=row.issuer,
            content=row.content,
        )
        for row in honours.list_honours(workspace, year, HonourKind.COMMENDATION)
    ]


def _check_kind(kind: str) -> None:
    if kind not in KIND_LABELS:
        raise UserError(f"Không có loại giấy «{kind}»: chọn {CertificateKind.RECOGNITION} (giấy công nhận) "
                        f"hoặc {CertificateKind.COMMENDATION} (giấy khen).")  # fmt: skip


def _candidates(
    workspace: Workspace, kind: str, year: int, title: str | None, decision_id: str | None = None
) -> list[_Subject]:
    """In Vietnamese name order; for every title in the titles' order when `title` is None."""
    _check_kind(kind)
    if kind == CertificateKind.COMMENDATION:
        found = _commended(workspace, year)
        return sorted(found, key=lambda s: (s.sort, s.detail))
    titles = list(TITLE_LABELS) if title is None else [title]
    for wanted in titles:
        template_label(wanted)
    result: list[_Subject] = []
    with session_scope(workspace.engine) as session:
        for wanted in titles:
            result.extend(sorted(_recognised(session, wanted, year, decision_id), key=lambda s: (s.sort, s.detail)))
    return result


def _issued_counts(session: Session, kind: str, year: int) -> dict[tuple[str, str], Certificate]:
    found = session.exec(select(Certificate).where(Certificate.kind == kind, Certificate.year == year)).all()
    return {(c.title, c.subject_id): c for c in found}


def recipients(
    workspace: Workspace, kind: str, year: int, title: str | None = None, decision_id: str | None = None
) -> list[Recipient]:
    """The recognised records of the title and year (linked to a live decision; or to `decision_id` only), or
    for a giấy khen the year's commendation records, in Vietnamese name order, each with its printings so far."""
    subjects = _candidates(workspace, kind, year, title, decision_id)
    with session_scope(workspace.engine) as session:
        issued = _issued_counts(session, kind, year)
    return [
        Recipient(
            id=s.id,
            title=s.title,
            name=s.name,
            detail=s.detail,
            decision_number=s.decision_number,
            decision_date=s.decision_date,
            issued=issued[s.title, s.id].prints if (s.title, s.id) in issued else 0,
        )
        for s in subjects
    ]


# -- wording ----------------------------------------------------------------------------------------------------


def _province_text(name: str) -> str:
    """ "tỉnh Tây Ninh", "thành phố Hà Nội": the province list keeps the kind word only for cities."""
    kind, _ = admin_units.split_kind(name)
    return admin_units.in_running_text(name) if kind else f"tỉnh {name}" if name else ""


def _values(issuer: _Issuer, subject: _Subject, year: int, number: int, serial: str) -> dict[str, str]:
    decided = date.fromisoformat(subject.decision_date) if subject.decision_date else None
    profile = issuer.profile
    province_text = _province_text(nfc(profile.province_name))
    title_label = TITLE_LABELS.get(subject.title, KIND_LABELS[CertificateKind.COMMENDATION])
    values = {
        "so": str(number),
        "seri": serial,
        "danh_hieu": title_label,
        "DANH_HIEU": title_label.upper(),
        "nam": str(year),
        "ho_ten": _clan_family(nfc(subject.name)) if subject.title == Title.CLAN else nfc(subject.name),
        "nguoi_nhan": f"ông (bà) {nfc(subject.name)}" if subject.person else nfc(subject.name),
        "nam_sinh": "" if subject.birth_year is None else str(subject.birth_year),
        "ap": nfc(subject.hamlet),
        "xa": issuer.text,
        "ten_xa": issuer.place,
        "XA": issuer.text.upper(),
        "tinh": province_text,
        # dict.fromkeys: a province office's "tỉnh Tây Ninh" is both its place and the province.
        "dia_chi": ", ".join(dict.fromkeys(filter(None, (nfc(subject.hamlet), issuer.text, province_text)))),
        "so_quyet_dinh": nfc(subject.decision_number),
        "ngay_quyet_dinh": format_date(decided),
        "co_quan": nfc(subject.issuer) or nfc(profile.association_name),
        "noi_dung": nfc(subject.content)
        or f"Đã có thành tích xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập năm {year}",
        # Nghị định 30: days under 10, January and February written with a leading zero.
        "ngay": "" if decided is None else f"{decided.day:02d}",
        "thang": "" if decided is None else f"{decided.month:02d}" if decided.month < 3 else str(decided.month),
        "nam_ky": "" if decided is None else str(decided.year),
        "CHUC_VU": nfc(profile.signer_title).upper(),
    }
    return {key: value or EMPTY_VALUE for key, value in values.items()}


def _lines(formats: tuple[str, ...], values: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(line.format_map(values) for line in formats)


def _worded(
    template: CertificateTemplate, kind: str, values: Mapping[str, str], profile: Profile, qr_text: str, reprint: bool
) -> CertificateText:
    return CertificateText(
        serial=values["seri"],
        kind=kind,
        superior_body=template.superior_body.format_map(values),
        issuing_body=template.issuing_body.format_map(values),
        number_line=template.number_format.format_map(values),
        heading=template.heading.format_map(values),
        title_line=template.title_format.format_map(values),
        recipient_lines=_lines(template.recipient_format, values),
        body_lines=_lines(template.body_format, values),
        place_date=template.place_date_format.format_map(values),
        signer_lines=_lines(template.signer_lines, values),
        signer_name=nfc(profile.signer_name),
        qr_text=qr_text,
        reprint=reprint,
    )


@dataclass(frozen=True)
class _Issuer:
    """Who prints: a commune, or a consolidating office for its own units and commendations."""

    profile: Profile
    code: str  # the serial's and the statement's: the commune's five digits, or the office's code
    text: str  # in running text ("xã Phước Vĩnh Tây", "tỉnh Tây Ninh"); upper-cased under "UBND"
    place: str  # of the place-and-date line: the commune's short name, or an office's province


# A code the statement can carry between its "|" and the serial between its "-": a commune's five digits, a
# province office's two, or what a district or cluster office was set up with.
_ISSUER_CODE = r"[0-9A-Za-z][0-9A-Za-z-]{0,19}"


def _office_of(workspace: Workspace) -> office.OfficeInfo | None:
    profile = workspace.profile
    is_office = profile is not None and profile.role == Role.CONSOLIDATING_OFFICE
    return office.office_info(workspace) if is_office else None


def _issuer_code(workspace: Workspace, info: office.OfficeInfo | None) -> str:
    """The consolidating office's code, or the commune's; "" when the folder is neither yet."""
    if info is not None:
        return info.code
    return "" if workspace.profile is None else workspace.profile.commune_code


def _issuer(workspace: Workspace) -> _Issuer:
    profile, info = workspace.profile, _office_of(workspace)
    code = _issuer_code(workspace, info)
    if profile is None or not code:
        raise UserError(
            "Chỉ xã, phường hoặc cơ quan tổng hợp đã thiết lập mới in được giấy công nhận, giấy khen có số sê-ri "
            "và mã QR."
        )
    if info is None:
        commune = nfc(profile.commune_name)
        return _Issuer(profile, code, admin_units.in_running_text(commune), admin_units.short_name(commune))
    if not re.fullmatch(_ISSUER_CODE, code):
        raise UserError(
            f"Mã cơ quan tổng hợp «{code}» không ghi được vào số sê-ri: mã chỉ được gồm chữ không dấu, chữ số và "
            "dấu gạch ngang (tối đa 20 ký tự)."
        )
    province = nfc(profile.province_name)
    # A province office writes under the province's people's committee; a district or cluster under its own name.
    if info.level == office.Level.PROVINCE:
        text = _province_text(province)
    else:
        text = admin_units.in_running_text(nfc(info.name))
    return _Issuer(profile, code, text, admin_units.short_name(province))


# -- the signed statement ---------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _statement_name(name: str) -> str:
    """The recipient as the statement holds it: NFC, one line, no field separator."""
    return " ".join(nfc(name).replace("|", "/").split())


def _unsigned(serial: str, key: str, year: int, recipient: str, commune: str, public: bytes) -> str:
    fields_ = (STATEMENT_PREFIX, serial, ABBREVIATIONS[key], str(year), _statement_name(recipient), commune)
    return "|".join((*fields_, _b64url(public)))


def serial_of(commune: str, year: int, key: str, number: int) -> str:
    return f"{commune}-{year}-{ABBREVIATIONS[key]}-{number:0{SERIAL_DIGITS}d}"


# -- issuing ----------------------------------------------------------------------------------------------------


def _issue_in(
    change: Recorder, workspace: Workspace, issuer: _Issuer, kind: str, year: int, chosen: Sequence[_Subject]
) -> list[CertificateText]:
    """The certificates worded and signed, their log rows added through `change`."""
    session = change.session
    signer = keys.private_key(workspace.data_dir)  # loaded once: thousands of signatures follow
    public = keys.public_raw(workspace.data_dir)
    key_id, now, commune = keys.key_id(public), utc_now(), issuer.code
    issued = _issued_counts(session, kind, year)
    templates: dict[str, CertificateTemplate] = {}
    next_number: dict[str, int] = {}
    result: list[CertificateText] = []
    for subject in chosen:
        if subject.title not in templates:
            templates[subject.title] = _template_of(session, subject.title)
            last = session.execute(
                sql("SELECT max(number) FROM certificate WHERE commune_code = :c AND year = :y AND title = :t"),
                {"c": commune, "y": year, "t": subject.title},
            ).scalar()
            next_number[subject.title] = (last or 0) + 1
        record = issued.get((subject.title, subject.id))
        reprint = record is not None
        if record is None:
            number = next_number[subject.title]
            next_number[subject.title] += 1
            serial = serial_of(commune, year, subject.title, number)
        else:
            number, serial = record.number, record.serial
        unsigned = _unsigned(serial, subject.title, year, subject.name, commune, public)
        statement = f"{unsigned}|{_b64url(signer.sign(unsigned.encode('utf-8')))}"
        if record is None:
            record = Certificate(
                serial=serial, commune_code=commune, kind=kind, title=subject.title, year=year, number=number,
                subject_id=subject.id, recipient=nfc(subject.name), decision_number=subject.decision_number,
                decision_date=subject.decision_date, statement=statement, key_id=key_id, first_printed_at=now,
                last_printed_at=now,
            )  # fmt: skip
            change.add(record)
        else:
            change.touch(record)
            record.prints += 1
            record.recipient, record.statement, record.key_id = nfc(subject.name), statement, key_id
            record.decision_number, record.decision_date = subject.decision_number, subject.decision_date
            record.last_printed_at = record.updated_at = now
        change.add(
            CertificatePrint(certificate_id=record.id, printed_at=now, reprint=reprint, officer=workspace.officer)
        )
        values = _values(issuer, subject, year, number, serial)
        result.append(_worded(templates[subject.title], kind, values, issuer.profile, statement, reprint))
    return result


def issue(
    workspace: Workspace,
    kind: str,
    year: int,
    recipient_ids: Sequence[str],
    title: str | None = None,
    *,
    dry_run: bool = False,
    output: Callable[[list[CertificateText]], object] | None = None,
) -> list[CertificateText]:
    """Word and sign the certificates of these recipients, in Vietnamese name order, in one transaction.

    A recipient printed for the first time takes the next serial; one printed before keeps its serial and is
    returned marked as a reprint. Every printing is logged (certificate_print) and audited; none is undoable,
    so a serial once printed is never handed out again.

    `dry_run`: worded and numbered exactly as printing now would, with nothing logged (the preview).
    `output`: called with the certificates inside the transaction (the PDF writer, the printer); if it raises
    — the officer cancelled, the disk is full — nothing is logged and no serial is spent.
    """
    issuer = _issuer(workspace)
    wanted = set(recipient_ids)
    if not wanted:
        raise UserError("Chưa chọn hồ sơ nào để in giấy.")
    candidates = _candidates(workspace, kind, year, title)
    missing = wanted - {s.id for s in candidates}
    what = KIND_LABELS[kind].lower()
    if missing:
        listed = "công nhận" if kind == CertificateKind.RECOGNITION else "khen"
        raise UserError(
            f"{len(missing)} hồ sơ được chọn không có trong danh sách được {listed} năm {year} "
            f"(quyết định đã bị hủy, hoặc hồ sơ đã bị xóa). Chưa in {what} nào."
        )
    chosen = [s for s in candidates if s.id in wanted]
    if dry_run:
        with session_scope(workspace.engine) as session, cyclic_gc_paused():
            result = _issue_in(Recorder(session, ""), workspace, issuer, kind, year, chosen)
            session.rollback()
        return result
    with record_change(workspace, f"In {what} năm {year}", undoable=False) as change:
        # Thousands of certificates and log rows at once; the output (the PDF writer) runs with the collector on.
        with cyclic_gc_paused():
            result = _issue_in(change, workspace, issuer, kind, year, chosen)
            change.session.flush()
        if output is not None:
            output(result)
        reprints = sum(c.reprint for c in result)
        change.label = f"In {what} năm {year}: {len(result)} giấy" + (f" ({reprints} in lại)" if reprints else "")
    return result


def preview_text(workspace: Workspace, title_or_kind: str, template: CertificateTemplate) -> CertificateText:
    """A sample certificate worded by `template` (checked first), for the editor's preview; its QR text is
    not signed, so it never passes a check."""
    clean = check_template(title_or_kind, template)
    if workspace.profile is None:
        raise UserError("Hãy thiết lập thông tin xã, phường trước khi xem mẫu giấy.")
    issuer = _issuer(workspace)
    hamlets = list_hamlets(workspace)
    hamlet = hamlets[0].name if hamlets else ""
    names: dict[str, str] = {
        Title.CLAN: "Nguyễn",
        Title.COMMUNITY: hamlet,
        Title.UNIT: "Trường Tiểu học Phước Vĩnh Tây",
    }
    year = workspace.working_year
    subject = _Subject(
        id="", title=title_or_kind, name=names.get(title_or_kind, "Nguyễn Văn An"),
        person=title_or_kind in (Title.FAMILY, Title.CITIZEN, COMMENDATION),
        hamlet="" if title_or_kind == Title.COMMUNITY else hamlet, birth_year=1985, detail="", sort="",
        decision_number="01/QĐ-HKH", decision_date=date(year, 12, 15).isoformat(), issuer="", content="",
    )  # fmt: skip
    serial = serial_of(issuer.code, year, title_or_kind, 1)
    kind = CertificateKind.COMMENDATION if title_or_kind == COMMENDATION else CertificateKind.RECOGNITION
    qr_text = f"{STATEMENT_PREFIX}|{serial}|MẪU"
    values = _values(issuer, subject, year, 1, serial)
    return _worded(clean, kind.value, values, issuer.profile, qr_text, reprint=False)


# -- checking ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    genuine: bool
    reason: str  # why genuine or not, in Vietnamese
    serial: str
    title_label: str
    year: int | None
    recipient: str
    commune: str
    issued_at: str | None  # first printed (UTC ISO), when this machine issued it
    prints: int  # 0 when unknown on this machine


_NOT_A_STATEMENT = (
    f"Đây không phải nội dung mã QR của giấy công nhận, giấy khen do phần mềm in: nội dung phải có "
    f"{STATEMENT_PARTS} phần cách nhau bởi dấu «|» và bắt đầu bằng {STATEMENT_PREFIX}."
)


def _commune_name(workspace: Workspace | None, code: str) -> str:
    """The commune of that code; this folder's own association when the code is its office's."""
    if workspace is not None and workspace.profile is not None:
        info = _office_of(workspace)
        if info is not None and info.code == code:
            return nfc(workspace.profile.association_name)
    try:
        return admin_units.commune(code).name
    except ValueError:
        pass
    if workspace is not None:
        with session_scope(workspace.engine) as session:
            found = session.execute(
                sql("SELECT name FROM office_commune WHERE code = :c AND deleted_at IS NULL"), {"c": code}
            ).scalar()
        if found:
            return str(found)
    return f"xã, phường mã {code}"


def _own_key_ids(workspace: Workspace) -> set[str]:
    """The keys this folder signs or signed with: the current one and the archived ones."""
    if not keys.has_key(workspace.data_dir):
        return set()
    found = {keys.key_id(keys.public_raw(workspace.data_dir))}
    prefix = f"{keys.PRIVATE_NAME}."
    for path in keys.keys_dir(workspace.data_dir).glob(f"{keys.PRIVATE_NAME}.*.old"):
        found.add(path.name[len(prefix) : -len(".old")])
    return found


def _parse(statement: str) -> tuple[list[str], int, str, bytes, bytes] | str:
    """The fields, year, title key, public key and signature; or why the text is not a well-formed statement."""
    parts = statement.split("|")
    if len(parts) != STATEMENT_PARTS or parts[0] != STATEMENT_PREFIX:
        return _NOT_A_STATEMENT
    _, serial, code, year_text, recipient, commune, public_text, signature_text = parts
    if code not in _TITLE_OF_CODE:
        return f"Mã danh hiệu «{code}» không có (dùng được: {', '.join(ABBREVIATIONS.values())})."
    if not re.fullmatch(r"\d{4}", year_text):
        return f"Năm «{year_text}» không phải năm bốn chữ số."
    if not re.fullmatch(_ISSUER_CODE, commune):
        return (
            f"Mã xã, phường hoặc cơ quan tổng hợp «{commune}» không đúng: mã chỉ gồm chữ không dấu, chữ số "
            "và dấu gạch ngang."
        )
    if not recipient.strip():
        return "Thiếu tên người, tập thể được cấp giấy."
    pattern = rf"{re.escape(commune)}-{year_text}-{re.escape(code)}-\d{{{SERIAL_DIGITS}}}"
    if not re.fullmatch(pattern, serial):
        return (
            f"Số sê-ri «{serial}» không khớp với mã xã {commune}, năm {year_text} và mã danh hiệu {code} "
            "trong cùng nội dung."
        )
    try:
        public, signature = _unb64url(public_text), _unb64url(signature_text)
    except (binascii.Error, ValueError):
        return "Khóa hoặc chữ ký trong nội dung bị hỏng (không đọc được)."
    if len(public) != keys.PUBLIC_SIZE or len(signature) != keys.SIGNATURE_SIZE:
        return "Khóa hoặc chữ ký trong nội dung bị hỏng (sai độ dài)."
    return parts, int(year_text), _TITLE_OF_CODE[code], public, signature


def _log_entry(workspace: Workspace, serial: str) -> Certificate | None:
    with session_scope(workspace.engine) as session:
        return session.exec(select(Certificate).where(Certificate.serial == serial)).first()


def _trusted_verdict(workspace: Workspace, commune: str, public: bytes) -> tuple[bool, str] | None:
    """The office's word on the key: enrolled for this commune, for another, revoked; None when not enrolled."""
    wanted = keys.key_id(public)
    enrolled = [k for k in trust.keys_of(workspace) if k.key_id == wanted]
    if not enrolled:
        return None
    key = enrolled[0]
    if key.commune_code != commune:
        return False, f"Khóa ký {wanted} đã đăng ký cho xã, phường mã {key.commune_code}, không phải mã {commune}."
    if key.revoked_at is not None:
        return False, f"Khóa ký {wanted} của xã, phường đã bị thu hồi ngày {key.revoked_at[:10]}."
    return True, f"Chữ ký đúng, bằng khóa {wanted} đã đăng ký của xã, phường."


def check(workspace: Workspace | None, text: str) -> CheckResult:
    """Is this QR statement genuine? The signature is verified with the key the statement carries; the key is
    then recognised as this folder's own (the log says how often the serial was printed), as one the office
    enrolled for that commune, or else not confirmed here: compare its fingerprint with the commune's sheet."""
    statement = text.strip()
    parsed = _parse(statement)
    if isinstance(parsed, str):
        parts = statement.split("|")
        serial = parts[1] if len(parts) > 1 and parts[0] == STATEMENT_PREFIX else ""
        return CheckResult(False, parsed, serial, "", None, "", "", None, 0)
    parts, year, key, public, signature = parsed
    serial, recipient, commune_code = parts[1], parts[4], parts[5]
    title_label = TITLE_LABELS.get(key, KIND_LABELS[CertificateKind.COMMENDATION])
    commune = _commune_name(workspace, commune_code)

    def result(genuine: bool, reason: str, issued_at: str | None = None, prints: int = 0) -> CheckResult:
        return CheckResult(genuine, reason, serial, title_label, year, recipient, commune, issued_at, prints)

    message = statement.rsplit("|", 1)[0].encode("utf-8")
    if not keys.verify(public, message, signature):
        return result(
            False,
            "Chữ ký không khớp với nội dung: số sê-ri, danh hiệu, năm, tên người nhận hoặc mã xã đã bị sửa, "
            "hoặc nội dung không do phần mềm ký.",
        )
    wanted = keys.key_id(public)
    if workspace is not None:
        own_code = _issuer_code(workspace, _office_of(workspace))
        if own_code == commune_code and wanted in _own_key_ids(workspace):
            entry = _log_entry(workspace, serial)
            if entry is None:
                return result(True, "Chữ ký đúng, bằng khóa của máy này; số sê-ri không có trong sổ cấp giấy "
                                    "(có thể dữ liệu đã được khôi phục từ bản sao lưu cũ).")  # fmt: skip
            reason = f"Chữ ký đúng, bằng khóa của máy này; giấy đã in {entry.prints} lần."
            if _statement_name(entry.recipient) != recipient:
                reason += f" Sổ cấp giấy nay ghi tên «{entry.recipient}» (đã sửa sau lần in này)."
            return result(True, reason, entry.first_printed_at, entry.prints)
        verdict = _trusted_verdict(workspace, commune_code, public)
        if verdict is not None:
            return result(*verdict)
    return result(
        False,
        f"Chữ ký khớp với nội dung, nhưng khóa ký {wanted} không có trên máy này nên chưa xác nhận được ở đây. "
        f"Hãy so dấu vân tay {keys.fingerprint(public)} với phiếu đăng ký khóa ký của {commune}.",
    )
