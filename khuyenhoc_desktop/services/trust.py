"""Which signing keys the consolidating office trusts, and for which commune (issue 6).

A commune's public key is enrolled from the file it exported, from the printed registration sheet (the officer
types the fingerprint printed there, which must match the key) or at a key change. A package is accepted only
when its key is enrolled, not revoked, for the commune its manifest names.

A key change is learnt from a package signed by the commune's trusted key that announces the next key: applying
that package enrols the new key (source `doi_khoa`) and retires the old one in the same transaction.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.verify import VerifiedPackage
from khuyenhoc_desktop.services.changes import Recorder, record_change
from khuyenhoc_desktop.services.office import commune_on_list, require_office_role
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import TrustedKeyRecord, utc_now


class KeySource(StrEnum):
    PAPER_SHEET = "phieu_giay"
    KEY_FILE = "tep_khoa"
    KEY_CHANGE = "doi_khoa"


SOURCE_LABELS: dict[str, str] = {
    KeySource.PAPER_SHEET: "Phiếu đăng ký giấy",
    KeySource.KEY_FILE: "Tệp khóa công khai",
    KeySource.KEY_CHANGE: "Đổi khóa",
}


@dataclass(frozen=True)
class TrustedKey:
    commune_code: str
    key_id: str
    fingerprint: str
    public: bytes
    source: str
    enrolled_at: str
    revoked_at: str | None
    note: str = ""  # why it was enrolled or retired, e.g. the key change that replaced it


@dataclass(frozen=True)
class KeyChange:
    """A trusted package's announcement that its commune signs with another key from the next package on."""

    commune_code: str
    old_key_id: str  # the key that signed the announcement, retired when the package is applied
    public: bytes
    key_id: str
    fingerprint: str

    @property
    def label(self) -> str:
        return f"gói này đổi khóa ký sang khóa {self.key_id} (dấu vân tay {self.fingerprint})"


def _trusted(record: TrustedKeyRecord) -> TrustedKey:
    return TrustedKey(
        record.commune_code,
        record.key_id,
        record.fingerprint,
        base64.b64decode(record.public_key),
        record.source,
        record.enrolled_at,
        record.revoked_at,
        record.note,
    )


def _compact(fingerprint: str) -> str:
    return "".join(fingerprint.split()).upper()


def _live(session: Session, key_id: str) -> TrustedKeyRecord | None:
    return session.exec(
        select(TrustedKeyRecord).where(TrustedKeyRecord.key_id == key_id, col(TrustedKeyRecord.deleted_at).is_(None))
    ).first()


def enrol_key(
    workspace: Workspace, commune_code: str, public: bytes, fingerprint_typed: str | None, source: str
) -> TrustedKey:
    """Trust `public` for the commune. A typed fingerprint (from the paper sheet) must match the key, else
    nothing is written."""
    require_office_role(workspace)
    if source not in SOURCE_LABELS:
        raise UserError(f"Nguồn khóa «{source}» không có; hãy chọn {', '.join(SOURCE_LABELS)}.")
    if len(public) != keys.PUBLIC_SIZE:
        raise UserError("Đây không phải khóa công khai của phần mềm (khóa Ed25519 dài 32 byte).")
    fingerprint = keys.fingerprint(public)
    if fingerprint_typed is not None and _compact(fingerprint_typed) != _compact(fingerprint):
        raise UserError(
            f"Dấu vân tay không khớp: khóa trong tệp có dấu vân tay {fingerprint}, phiếu ghi "
            f"{fingerprint_typed.strip()}. Chưa đăng ký khóa; hãy hỏi lại xã, phường."
        )
    commune = commune_on_list(workspace, commune_code)
    key_id = keys.key_id(public)
    with record_change(workspace, f"Đăng ký khóa {key_id} của {commune.name}") as change:
        existing = _live(change.session, key_id)
        if existing is not None:
            if existing.revoked_at is not None:
                raise UserError(f"Khóa {key_id} đã bị thu hồi ngày {existing.revoked_at[:10]}: không đăng ký lại.")
            raise UserError(f"Khóa {key_id} đã được đăng ký cho xã, phường mã {existing.commune_code}.")
        record = _new_record(commune.code, public, source)
        change.add(record)
    return _trusted(record)


def _new_record(commune_code: str, public: bytes, source: str, note: str = "") -> TrustedKeyRecord:
    return TrustedKeyRecord(
        commune_code=commune_code,
        key_id=keys.key_id(public),
        public_key=base64.b64encode(public).decode("ascii"),
        fingerprint=keys.fingerprint(public),
        source=source,
        enrolled_at=utc_now(),
        note=note,
    )


def revoke_key(workspace: Workspace, key_id: str) -> TrustedKey:
    """Stop trusting a key (lost laptop, key changed): its later packages are refused."""
    require_office_role(workspace)
    wanted = key_id.strip().lower()
    with record_change(workspace, f"Thu hồi khóa {wanted}") as change:
        record = _live(change.session, wanted)
        if record is None:
            raise UserError(f"Không có khóa mã {wanted} trong danh sách khóa đã đăng ký.")
        if record.revoked_at is not None:
            raise UserError(f"Khóa {wanted} đã bị thu hồi ngày {record.revoked_at[:10]}.")
        change.touch(record)
        record.revoked_at = record.updated_at = utc_now()
    return _trusted(record)


def keys_of(workspace: Workspace, commune_code: str | None = None) -> list[TrustedKey]:
    """The enrolled keys (of one commune, or all), oldest first, revoked ones included."""
    with session_scope(workspace.engine) as session:
        query = select(TrustedKeyRecord).where(col(TrustedKeyRecord.deleted_at).is_(None))
        if commune_code is not None:
            query = query.where(TrustedKeyRecord.commune_code == commune_code.strip())
        records = session.exec(query.order_by(col(TrustedKeyRecord.enrolled_at), col(TrustedKeyRecord.key_id)))
        return [_trusted(r) for r in records.all()]


def check_signer(workspace: Workspace, package: VerifiedPackage) -> TrustedKey:
    """The enrolled key that signed this package for its commune; refused (with the reason) otherwise."""
    commune = package.manifest.commune_code
    key_id = keys.key_id(package.public_key)
    with session_scope(workspace.engine) as session:
        record = _live(session, key_id)
        trusted = None if record is None else _trusted(record)
    if trusted is None or trusted.public != package.public_key:
        raise UserError(
            f"Gói của xã, phường mã {commune} được ký bằng khóa {key_id} ({package.fingerprint}) chưa được "
            "đăng ký. Hãy đối chiếu dấu vân tay với phiếu đăng ký khóa của xã rồi đăng ký khóa."
        )
    if trusted.commune_code != commune:
        raise UserError(
            f"Khóa {key_id} được đăng ký cho xã, phường mã {trusted.commune_code}, không phải mã {commune} "
            "ghi trong gói: không nhận gói."
        )
    if trusted.revoked_at is not None:
        why = f" ({trusted.note})" if trusted.note else ""
        raise UserError(f"Khóa {key_id} của xã, phường mã {commune} đã bị thu hồi ngày {trusted.revoked_at[:10]}{why}.")
    return trusted


def _checked_change(session: Session, commune_code: str, old_key_id: str, public: bytes) -> KeyChange:
    """The announced key may become the commune's only if no other commune holds it and it was never revoked."""
    change = KeyChange(commune_code, old_key_id, public, keys.key_id(public), keys.fingerprint(public))
    said = f"Gói của xã, phường mã {commune_code} báo đổi sang khóa {change.key_id} ({change.fingerprint})"
    if change.key_id == old_key_id:
        raise UserError(f"{said}, chính là khóa đã ký gói: tệp kê khai sai, không nhận gói.")
    existing = _live(session, change.key_id)
    if existing is not None and existing.commune_code != commune_code:
        raise UserError(
            f"{said}, nhưng khóa này đã được đăng ký cho xã, phường mã {existing.commune_code}: không nhận gói."
        )
    if existing is not None and existing.revoked_at is not None:
        raise UserError(f"{said}, nhưng khóa này đã bị thu hồi ngày {existing.revoked_at[:10]}: không nhận gói.")
    return change


def key_change(workspace: Workspace, package: VerifiedPackage, signer: TrustedKey) -> KeyChange | None:
    """The key change a package signed by `signer` announces, if any; refused (UserError) when the new key cannot
    become that commune's. Writes nothing: the dry-run review shows it, `change_key_in` makes it."""
    announced = package.manifest.next_public
    if announced is None:
        return None
    with session_scope(workspace.engine) as session:
        return _checked_change(session, signer.commune_code, signer.key_id, announced)


def change_key_in(change: Recorder, key_change: KeyChange, period: str, sequence: int) -> None:
    """Inside the transaction that applies the announcing package: trust the new key for the commune (unless
    its paper sheet got there first) and retire the key that signed, so the switch stands or falls with the
    snapshot. Checked again here: the register may have moved since the review."""
    session = change.session
    _checked_change(session, key_change.commune_code, key_change.old_key_id, key_change.public)
    old = _live(session, key_change.old_key_id)
    if old is None or old.revoked_at is not None:
        raise UserError(f"Khóa {key_change.old_key_id} vừa bị thu hồi: không nhận việc đổi khóa nó ký.")
    package = f"gói số liệu năm {period} lần {sequence}"
    if _live(session, key_change.key_id) is None:
        note = f"Khóa mới báo trong {package}, ký bằng khóa {key_change.old_key_id}"
        change.add(_new_record(key_change.commune_code, key_change.public, KeySource.KEY_CHANGE, note))
    change.touch(old)
    old.revoked_at = old.updated_at = utc_now()
    old.note = f"Đã đổi sang khóa {key_change.key_id} qua {package}"
