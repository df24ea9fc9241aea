"""The ORM mapping of the current schema. Migrations create these tables with SQL of their own and never
import this module, so an old database can always be brought up to date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> str:
    """UTC timestamps as ISO text: readable in the file and identical on every machine that merges it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Profile(SQLModel, table=True):
    """The one row that says whose data this folder holds."""

    id: int = Field(default=1, primary_key=True)
    role: str
    province_code: str
    province_name: str
    commune_code: str = ""
    commune_name: str = ""
    association_name: str
    officer_name: str
    signer_title: str
    signer_name: str
    working_year: int
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)


class Hamlet(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    position: int = 0
    leader_name: str = ""  # trưởng ấp / trưởng thôn
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Household(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    code: str
    hamlet_id: str = Field(foreign_key="hamlet.id")
    address: str = ""
    phone: str = ""
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Member(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True)
    household_id: str = Field(foreign_key="household.id")
    full_name: str
    name_key: str = ""
    name_sort: str = ""
    birth_year: int | None = None
    sex: str = "nam"
    relation: str = "con"
    school: str = ""
    learning_status: str = "khong_di_hoc"
    position: int = 0
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(default_factory=utc_now)
    officer: str = ""
    action: str
    table_name: str
    record_id: str
    before_json: str | None = None
    after_json: str | None = None


class Clan(SQLModel, table=True):
    """Dòng họ. Hamlets covered and member households are JSON lists of ids: they travel with the clan."""

    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    representative: str = ""
    hamlet_ids: str = "[]"
    household_ids: str = "[]"
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Unit(SQLModel, table=True):
    """Đơn vị: a school, agency, cooperative or enterprise managed by the commune."""

    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    kind: str
    head_name: str = ""
    staff_count: int = 0
    hamlet_id: str | None = Field(default=None, foreign_key="hamlet.id")
    address: str = ""
    phone: str = ""
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Citizen(SQLModel, table=True):
    """A person evaluated as Công dân học tập: a household member, a unit's staff member, or someone else."""

    id: str = Field(default_factory=new_id, primary_key=True)
    full_name: str
    name_key: str = ""
    name_sort: str = ""
    birth_year: int | None = None
    sex: str = "nam"
    member_id: str | None = Field(default=None, foreign_key="member.id")
    unit_id: str | None = Field(default=None, foreign_key="unit.id")
    hamlet_id: str | None = Field(default=None, foreign_key="hamlet.id")
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class RubricRecord(SQLModel, table=True):
    """A rubric version. Once an evaluation uses it, it is never changed: editing makes a new version."""

    __tablename__ = "rubric"

    id: str = Field(default_factory=new_id, primary_key=True)
    title: str
    name: str
    version: int = 1
    pass_mark: int
    valid_from: int
    valid_to: int | None = None
    basis: str = ""
    criteria: str  # JSON: domain.rubric.criteria_to_json
    preset_key: str = ""  # the shipped preset it started from
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Decision(SQLModel, table=True):
    """Quyết định công nhận: recognises a batch of evaluations of one title and year."""

    id: str = Field(default_factory=new_id, primary_key=True)
    title: str
    year: int
    number: str
    signed_on: str  # ISO date
    signer_title: str
    signer_name: str
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Evaluation(SQLModel, table=True):
    """One record's way through one year's cycle for one title: registered → scored → recognised."""

    id: str = Field(default_factory=new_id, primary_key=True)
    title: str
    year: int
    subject_id: str  # household, clan, hamlet, unit or citizen id, by title
    registered_on: str  # ISO date
    rubric_id: str | None = Field(default=None, foreign_key="rubric.id")
    scores: str = "{}"  # JSON {indicator code: points}
    prefilled: str = "{}"  # JSON {indicator code: points the app suggested}
    total: int | None = None
    passed: bool | None = None
    reasons: str = ""
    decision_id: str | None = Field(default=None, foreign_key="decision.id")
    source: str = ""  # "" typed here; otherwise where the result came from (an imported file)
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class AwardEvent(SQLModel, table=True):
    """A ceremony (lễ trao học bổng) that groups awards; its list is printed for recipients to sign."""

    __tablename__ = "award_event"

    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    held_on: str  # ISO date
    place: str = ""
    sponsor: str = ""  # the default sponsor of its awards
    school_year: str = ""  # "2025-2026"
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Award(SQLModel, table=True):
    """One scholarship or gift to one pupil. Money is whole VND; an in-kind gift carries its value."""

    id: str = Field(default_factory=new_id, primary_key=True)
    event_id: str | None = Field(default=None, foreign_key="award_event.id")
    member_id: str | None = Field(default=None, foreign_key="member.id")
    pupil_name: str
    name_key: str = ""
    name_sort: str = ""
    birth_year: int | None = None
    household_id: str | None = Field(default=None, foreign_key="household.id")
    hamlet_id: str | None = Field(default=None, foreign_key="hamlet.id")
    school: str = ""
    grade: str = ""
    category: str
    kind: str
    value_vnd: int
    sponsor: str = ""
    school_year: str = ""
    awarded_on: str  # ISO date
    recurring: bool = False
    ledger_entry_id: str | None = Field(default=None, foreign_key="ledger_entry.id")
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class LedgerEntry(SQLModel, table=True):
    """A line of the study-promotion fund ledger (sổ quỹ khuyến học): a receipt or a payment."""

    __tablename__ = "ledger_entry"

    id: str = Field(default_factory=new_id, primary_key=True)
    entry_on: str  # ISO date
    direction: str  # "thu" receipt, "chi" payment
    category: str
    voucher_no: str
    counterpart: str = ""  # who paid in or was paid
    amount: int  # whole VND, always positive; the direction gives the sign
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Activity(SQLModel, table=True):
    """A session at the community learning centre, or a training / vocational class."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str  # "sinh_hoat" session, "tap_huan" training class, "day_nghe" vocational class
    name: str  # topic of a session, name of a class
    field: str = ""  # the class's field (trồng trọt, chăn nuôi, tin học…)
    starts_on: str  # ISO date
    ends_on: str | None = None
    place: str = ""
    participants: int = 0  # attendance of a session, participants of a class
    note: str = ""
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class ActivityTarget(SQLModel, table=True):
    """The year's target per kind of activity (number of sessions or classes)."""

    __tablename__ = "activity_target"

    id: str = Field(default_factory=new_id, primary_key=True)
    year: int
    kind: str
    target: int
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Honour(SQLModel, table=True):
    """An exemplary learning model (mô hình học tập tiêu biểu) or a commendation (giấy khen)."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str  # "mo_hinh" exemplary model, "giay_khen" commendation
    recipient_kind: str  # "tap_the" collective, "ca_nhan" person
    recipient: str
    member_id: str | None = Field(default=None, foreign_key="member.id")
    hamlet_id: str | None = Field(default=None, foreign_key="hamlet.id")
    level: str  # who honoured it: "xa", "huyen", "tinh", "trung_uong"
    issuer: str = ""  # e.g. "Hội Khuyến học tỉnh Tây Ninh"
    decision_no: str = ""
    honoured_on: str  # ISO date
    content: str = ""  # what for
    search_key: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class PackageExport(SQLModel, table=True):
    """One signed package this installation wrote: the history of exports, and where sequences continue."""

    __tablename__ = "package_export"

    id: str = Field(default_factory=new_id, primary_key=True)
    period: str  # "2025", or "2025-H1" for a half-year
    sequence: int  # 1, 2, … per period
    exported_at: str  # UTC ISO
    file_name: str
    data_sha256: str  # of the workbook inside: the same when nothing changed
    package_sha256: str  # of the whole file: the next package of the period names it as its previous
    key_id: str
    rows: int = 0
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Office(SQLModel, table=True):
    """The one row of a consolidating office's folder: which level it consolidates, and its name."""

    id: int = Field(default=1, primary_key=True)
    level: str  # "tinh" province, "huyen" legacy district, "cum" cluster
    code: str  # the province's 2-digit code, or the office's own code for a district or cluster
    name: str
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)


class OfficeCommune(SQLModel, table=True):
    """A commune whose packages the office receives; one merged into another keeps its old name."""

    __tablename__ = "office_commune"

    id: str = Field(default_factory=new_id, primary_key=True)
    code: str  # 5-digit commune code (QĐ 19/2025/QĐ-TTg)
    name: str
    merged_into_code: str | None = None
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class TrustedKeyRecord(SQLModel, table=True):
    """A commune's public signing key the office enrolled: packages signed by it are accepted from that commune."""

    __tablename__ = "trusted_key"

    id: str = Field(default_factory=new_id, primary_key=True)
    commune_code: str
    key_id: str
    public_key: str  # base64 of the 32 raw Ed25519 bytes
    fingerprint: str
    source: str  # "phieu_giay" paper sheet, "tep_khoa" key file, "doi_khoa" key change
    enrolled_at: str  # UTC ISO
    revoked_at: str | None = None
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class ReceivedPackage(SQLModel, table=True):
    """A package the office received from a commune: applied, refused, held as a fork, or superseded by a later one."""

    __tablename__ = "received_package"

    id: str = Field(default_factory=new_id, primary_key=True)
    commune_code: str
    period: str
    sequence: int
    package_sha256: str
    previous_sha256: str | None = None
    data_sha256: str = ""
    key_id: str = ""
    exported_at: str = ""
    received_at: str = Field(default_factory=utc_now)
    status: str  # "applied", "refused", "fork_waiting", "superseded"
    warnings: str = ""  # the refusal's reason, or the warnings of an applied package, one per line
    rows: int = 0
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class DuplicateDecision(SQLModel, table=True):
    """The office's decision on a person or household found in two communes: both kept, or one a duplicate.
    The pair is stored in a fixed order (the smaller commune and record first) so it is found again."""

    __tablename__ = "duplicate_decision"

    id: str = Field(default_factory=new_id, primary_key=True)
    sheet: str  # "members" or "households"
    first_commune: str
    first_record: str
    second_commune: str
    second_record: str
    decision: str  # "keep_both" or "duplicate"
    note: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class CertificateTemplateRecord(SQLModel, table=True):
    """The officer's wording of the certificates of one title (or of the commendations), fields as JSON."""

    __tablename__ = "certificate_template"

    id: str = Field(default_factory=new_id, primary_key=True)
    key: str  # Title code, or "giay_khen"
    fields: str  # JSON object: template field → text (lists for the signer's lines)
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class Certificate(SQLModel, table=True):
    """A certificate issued once under its serial; printing it again adds a `CertificatePrint`, never a serial."""

    id: str = Field(default_factory=new_id, primary_key=True)
    serial: str  # "28201-2025-GD-000001"
    commune_code: str
    kind: str  # CertificateKind
    title: str  # Title code, or "giay_khen"
    year: int
    number: int  # the serial's sequence within commune, year and title
    subject_id: str  # the recognised subject, or the commendation (honour) record
    recipient: str  # the name as printed and signed
    decision_number: str = ""
    decision_date: str = ""
    statement: str  # the signed statement of the latest printing (its QR text)
    key_id: str
    first_printed_at: str
    last_printed_at: str
    prints: int = 1
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None


class CertificatePrint(SQLModel, table=True):
    """One printing of a certificate: the first, or a reprint marked as such on the page."""

    __tablename__ = "certificate_print"

    id: str = Field(default_factory=new_id, primary_key=True)
    certificate_id: str = Field(foreign_key="certificate.id")
    printed_at: str
    reprint: bool
    officer: str = ""
    created_at: str = Field(default_factory=utc_now)
    updated_at: str = Field(default_factory=utc_now)
    deleted_at: str | None = None
