"""Certificates through the service: who receives one, serials for good, reprints logged, the wording from the
templates, and the signed statement that a check accepts only untouched and from a known key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from khuyenhoc_desktop.domain.certificates import CertificateKind
from khuyenhoc_desktop.domain.errors import UserError, ValidationError
from khuyenhoc_desktop.domain.honours import HonourInput, HonourKind, HonourLevel, RecipientKind
from khuyenhoc_desktop.domain.titles import Title
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.services import certificates, evaluations, honours, office, trust
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.certificates import CertificateTemplate
from khuyenhoc_desktop.services.evaluations import DecisionInput
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.database import session_scope
from khuyenhoc_desktop.storage.tables import AuditEntry, Certificate, CertificatePrint
from tests.conftest import HAMLETS, commune_profile
from tests.test_evaluations import add_citizen, add_household, full_marks

YEAR = 2025
RECOGNITION = CertificateKind.RECOGNITION.value
COMMENDATION = CertificateKind.COMMENDATION.value
DECISION = DecisionInput("25/QĐ-HKH", date(2025, 12, 15), "Chủ tịch", "Nguyễn Văn Tư")


def recognise(workspace: Workspace, title: str, subject_ids: list[str], decision: DecisionInput = DECISION) -> str:
    registered = evaluations.register(workspace, title, YEAR, subject_ids, date(2025, 3, 10))
    for evaluation_id in registered:
        evaluations.score(workspace, evaluation_id, full_marks(workspace, title))
    return evaluations.recognise(workspace, title, YEAR, registered, decision)


@pytest.fixture
def families(workspace: Workspace) -> dict[str, str]:
    """Three households recognised by decision 25/QĐ-HKH, one by a later decision, one only registered."""
    ids = {
        "Trần Thị Bình": add_household(workspace, "00002", "Trần Thị Bình", 1),
        "Nguyễn Văn An": add_household(workspace, "00001", "Nguyễn Văn An"),
        "Lê Văn Cư": add_household(workspace, "00003", "Lê Văn Cư"),
    }
    recognise(workspace, Title.FAMILY, list(ids.values()))
    ids["Phạm Văn Đức"] = add_household(workspace, "00004", "Phạm Văn Đức", 2)
    recognise(
        workspace,
        Title.FAMILY,
        [ids["Phạm Văn Đức"]],
        DecisionInput("30/QĐ-HKH", date(2025, 12, 20), "Chủ tịch", "Nguyễn Văn Tư"),
    )
    ids["Võ Thị Én"] = add_household(workspace, "00005", "Võ Thị Én")
    evaluations.register(workspace, Title.FAMILY, YEAR, [ids["Võ Thị Én"]], date(2025, 3, 10))
    return ids


def decision_id(workspace: Workspace, number: str) -> str:
    return next(d.id for d in evaluations.list_decisions(workspace, YEAR) if d.number == number)


def issue_family(workspace: Workspace, ids: list[str]) -> list[certificates.CertificateText]:
    return certificates.issue(workspace, RECOGNITION, YEAR, ids, Title.FAMILY)


def test_recipients_are_the_recognised_records_in_vietnamese_name_order(
    workspace: Workspace, families: dict[str, str]
) -> None:
    found = certificates.recipients(workspace, RECOGNITION, YEAR, Title.FAMILY)

    # By given name: An, Bình, Cư, Đức; Én is registered but not recognised.
    assert [r.name for r in found] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cư", "Phạm Văn Đức"]
    assert found[0].id == families["Nguyễn Văn An"]
    assert found[0].detail == f"Hộ 00001 · {HAMLETS[0]}"
    assert (found[0].decision_number, found[0].decision_date, found[0].issued) == ("25/QĐ-HKH", "2025-12-15", 0)
    assert {r.title for r in found} == {Title.FAMILY}
    only_later = certificates.recipients(
        workspace, RECOGNITION, YEAR, Title.FAMILY, decision_id(workspace, "30/QĐ-HKH")
    )
    assert [r.name for r in only_later] == ["Phạm Văn Đức"]


def test_a_revoked_decision_takes_its_records_off_the_list(workspace: Workspace, families: dict[str, str]) -> None:
    evaluations.revoke_decision(workspace, decision_id(workspace, "30/QĐ-HKH"))

    names = [r.name for r in certificates.recipients(workspace, RECOGNITION, YEAR, Title.FAMILY)]

    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cư"]
    with pytest.raises(UserError, match="1 hồ sơ được chọn không có trong danh sách được công nhận năm 2025"):
        issue_family(workspace, [families["Phạm Văn Đức"]])


def test_serials_follow_name_order_and_a_reprint_keeps_its_serial(
    workspace: Workspace, families: dict[str, str]
) -> None:
    first = issue_family(workspace, [families["Lê Văn Cư"], families["Nguyễn Văn An"]])

    assert [c.serial for c in first] == ["28201-2025-GD-000001", "28201-2025-GD-000002"]
    assert [c.recipient_lines[0] for c in first] == ["Gia đình ông (bà): Nguyễn Văn An", "Gia đình ông (bà): Lê Văn Cư"]
    assert [c.number_line for c in first] == ["Số: 1/GCN-HKH", "Số: 2/GCN-HKH"]
    assert not any(c.reprint for c in first)

    again = issue_family(workspace, [families["Trần Thị Bình"], families["Lê Văn Cư"], families["Nguyễn Văn An"]])

    assert [(c.serial, c.reprint) for c in again] == [
        ("28201-2025-GD-000001", True),
        ("28201-2025-GD-000003", False),
        ("28201-2025-GD-000002", True),
    ]
    issued = {r.name: r.issued for r in certificates.recipients(workspace, RECOGNITION, YEAR, Title.FAMILY)}
    assert issued == {"Nguyễn Văn An": 2, "Trần Thị Bình": 1, "Lê Văn Cư": 2, "Phạm Văn Đức": 0}
    with session_scope(workspace.engine) as session:
        an = session.exec(select(Certificate).where(Certificate.subject_id == families["Nguyễn Văn An"])).one()
        printings = session.exec(
            select(CertificatePrint)
            .where(CertificatePrint.certificate_id == an.id)
            .order_by(col(CertificatePrint.printed_at))
        ).all()
    assert an.prints == 2
    assert sorted(p.reprint for p in printings) == [False, True]
    assert all(p.officer == "Lê Thị Hoa" for p in printings)


def test_a_serial_is_never_given_again_after_its_decision_is_revoked(
    workspace: Workspace, families: dict[str, str]
) -> None:
    issue_family(workspace, [families["Phạm Văn Đức"]])
    evaluations.revoke_decision(workspace, decision_id(workspace, "30/QĐ-HKH"))

    (next_one,) = issue_family(workspace, [families["Nguyễn Văn An"]])

    assert next_one.serial == "28201-2025-GD-000002"


def test_each_title_counts_its_own_serials(workspace: Workspace, families: dict[str, str]) -> None:
    citizen = add_citizen(workspace, "Huỳnh Thị Gấm", 1985)
    recognise(
        workspace, Title.CITIZEN, [citizen], DecisionInput("40/QĐ-HKH", date(2025, 12, 15), "Chủ tịch", "Nguyễn Văn Tư")
    )
    issue_family(workspace, [families["Nguyễn Văn An"]])

    (gam,) = certificates.issue(workspace, RECOGNITION, YEAR, [citizen])

    assert gam.serial == "28201-2025-CDN-000001"
    assert gam.title_line == "“CÔNG DÂN HỌC TẬP” NĂM 2025"
    assert gam.recipient_lines == (
        "Ông (bà) Huỳnh Thị Gấm, sinh năm 1985",
        f"{HAMLETS[1]}, xã Phước Vĩnh Tây, tỉnh Tây Ninh",
    )


def test_the_default_family_certificate_reads_as_nghi_dinh_30_wants(
    workspace: Workspace, families: dict[str, str]
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])

    assert text.kind == RECOGNITION
    assert text.superior_body == "UBND XÃ PHƯỚC VĨNH TÂY"
    assert text.issuing_body == "HỘI KHUYẾN HỌC"
    assert text.heading == "GIẤY CÔNG NHẬN"
    assert text.title_line == "“GIA ĐÌNH HỌC TẬP” NĂM 2025"
    assert text.recipient_lines == (
        "Gia đình ông (bà): Nguyễn Văn An",
        f"{HAMLETS[0]}, xã Phước Vĩnh Tây, tỉnh Tây Ninh",
    )
    assert text.body_lines == (
        "Đã đạt danh hiệu “Gia đình học tập” năm 2025",
        "Theo Quyết định số 25/QĐ-HKH ngày 15/12/2025 của Hội Khuyến học xã Phước Vĩnh Tây",
    )
    assert text.place_date == "Phước Vĩnh Tây, ngày 15 tháng 12 năm 2025"
    assert text.signer_lines == ("TM. BAN CHẤP HÀNH", "CHỦ TỊCH")
    assert text.signer_name == "Nguyễn Văn Tư"


def test_the_statement_of_a_certificate_is_genuine_on_its_own_machine(
    workspace: Workspace, families: dict[str, str]
) -> None:
    (first,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    (again,) = issue_family(workspace, [families["Nguyễn Văn An"]])

    result = certificates.check(workspace, first.qr_text)

    assert first.qr_text.startswith("KHCN1|28201-2025-GD-000001|GD|2025|Nguyễn Văn An|28201|")
    assert result.genuine, result.reason
    assert (result.serial, result.title_label, result.year) == ("28201-2025-GD-000001", "Gia đình học tập", 2025)
    assert (result.recipient, result.commune, result.prints) == ("Nguyễn Văn An", "Xã Phước Vĩnh Tây", 2)
    assert result.issued_at is not None
    assert "đã in 2 lần" in result.reason
    assert certificates.check(workspace, again.qr_text).genuine


@pytest.mark.parametrize(
    ("field", "changed"),
    [(1, "28201-2025-GD-000009"), (3, "2024"), (4, "Nguyễn Văn Ân"), (5, "28202"), (6, None), (7, None)],
)
def test_one_changed_character_in_any_field_is_not_genuine(
    workspace: Workspace, families: dict[str, str], field: int, changed: str | None
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    parts = text.qr_text.split("|")
    if changed is None:  # a character of the key or of the signature
        parts[field] = ("B" if parts[field][5] != "B" else "C").join((parts[field][:5], parts[field][6:]))
    else:
        parts[field] = changed

    result = certificates.check(workspace, "|".join(parts))

    assert not result.genuine
    assert result.reason


def test_a_changed_field_is_named_when_it_contradicts_the_serial(
    workspace: Workspace, families: dict[str, str]
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])

    changed = certificates.check(workspace, text.qr_text.replace("|2025|", "|2024|"))
    tampered = certificates.check(workspace, text.qr_text.replace("Nguyễn Văn An", "Nguyễn Văn Ân"))

    assert "không khớp với mã xã 28201, năm 2024" in changed.reason
    assert "Chữ ký không khớp với nội dung" in tampered.reason
    assert tampered.recipient == "Nguyễn Văn Ân"
    assert not certificates.check(workspace, "xin chào").genuine
    assert "bắt đầu bằng KHCN1" in certificates.check(workspace, "xin chào").reason


def test_an_unknown_key_cannot_be_confirmed_and_shows_the_fingerprint(
    workspace: Workspace, families: dict[str, str], tmp_path: Path
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    fingerprint = keys.fingerprint(keys.public_raw(workspace.data_dir))
    other = Workspace.open(tmp_path / "xa-khac")
    try:
        profile_service.set_up(other, commune_profile(commune_code="25480"), ["Ấp Một"])
        results = [certificates.check(None, text.qr_text), certificates.check(other, text.qr_text)]
    finally:
        other.close(backup=False)

    for result in results:
        assert not result.genuine
        assert "chưa xác nhận được ở đây" in result.reason
        assert fingerprint in result.reason
        assert (result.recipient, result.prints, result.issued_at) == ("Nguyễn Văn An", 0, None)


def test_the_office_confirms_a_key_it_enrolled_for_that_commune_until_revoked(
    workspace: Workspace, families: dict[str, str], office_ws: Workspace
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    public = keys.public_raw(workspace.data_dir)

    assert not certificates.check(office_ws, text.qr_text).genuine
    trust.enrol_key(office_ws, "28201", public, None, "tep_khoa")
    right = certificates.check(office_ws, text.qr_text)
    assert right.genuine, right.reason
    assert (right.commune, right.prints) == ("Xã Phước Vĩnh Tây", 0)

    trust.revoke_key(office_ws, keys.key_id(public))
    revoked = certificates.check(office_ws, text.qr_text)
    assert not revoked.genuine
    assert "đã bị thu hồi" in revoked.reason


def test_a_key_the_office_enrolled_for_another_commune_is_not_genuine(
    workspace: Workspace, families: dict[str, str], tmp_path: Path
) -> None:
    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    other_office = Workspace.open(tmp_path / "van-phong-khac")
    try:
        office.init_office(other_office, "tinh", "80")
        trust.enrol_key(other_office, "25480", keys.public_raw(workspace.data_dir), None, "tep_khoa")
        wrong = certificates.check(other_office, text.qr_text)
    finally:
        other_office.close(backup=False)

    assert not wrong.genuine
    assert "đã đăng ký cho xã, phường mã 25480, không phải mã 28201" in wrong.reason


def test_printing_is_audited_and_not_undoable(workspace: Workspace, families: dict[str, str]) -> None:
    before = workspace.history.undo_label
    issue_family(workspace, [families["Nguyễn Văn An"], families["Lê Văn Cư"]])
    issue_family(workspace, [families["Nguyễn Văn An"]])

    with session_scope(workspace.engine) as session:
        entries = session.exec(
            select(AuditEntry).where(col(AuditEntry.table_name).in_(["certificate", "certificate_print"]))
        ).all()
    actions = {(e.action, e.table_name) for e in entries}
    assert ("In giấy công nhận năm 2025: 2 giấy", "certificate") in actions
    assert ("In giấy công nhận năm 2025: 1 giấy (1 in lại)", "certificate_print") in actions
    assert len(entries) == 2 + 2 + 1 + 1
    assert workspace.history.undo_label == before


def test_a_template_with_an_unknown_placeholder_is_refused_naming_it(workspace: Workspace) -> None:
    wrong = CertificateTemplate(
        **{**certificates.default_template(Title.FAMILY).__dict__, "recipient_format": ("Gia đình ông {chu_ho}",)}
    )

    with pytest.raises(ValidationError) as refused:
        certificates.save_template(workspace, Title.FAMILY, wrong)

    assert refused.value.field == "recipient_format"
    assert "{chu_ho}" in str(refused.value)
    assert "Người, tập thể được cấp" in str(refused.value)
    assert certificates.template(workspace, Title.FAMILY) == certificates.default_template(Title.FAMILY)
    with pytest.raises(ValidationError, match="không được để trống"):
        certificates.save_template(workspace, Title.FAMILY, CertificateTemplate(**{**wrong.__dict__, "heading": "  "}))
    with pytest.raises(UserError, match="Không có mẫu giấy «gia-dinh»"):
        certificates.template(workspace, "gia-dinh")


def test_the_officers_template_words_the_next_certificates(workspace: Workspace, families: dict[str, str]) -> None:
    edited = CertificateTemplate(
        **{
            **certificates.default_template(Title.FAMILY).__dict__,
            "issuing_body": "HỘI KHUYẾN HỌC {XA}",
            "recipient_format": ("Hộ gia đình ông (bà) {ho_ten}", " {ap} ", ""),
            "signer_lines": ("TM. BAN CHẤP HÀNH", "PHÓ CHỦ TỊCH"),
        }
    )
    certificates.save_template(workspace, Title.FAMILY, edited)

    (text,) = issue_family(workspace, [families["Nguyễn Văn An"]])
    preview = certificates.preview_text(workspace, Title.FAMILY, edited)

    stored = certificates.template(workspace, Title.FAMILY)
    assert stored.recipient_format == ("Hộ gia đình ông (bà) {ho_ten}", "{ap}")  # trimmed, the empty line dropped
    assert stored.signer_lines == edited.signer_lines
    assert text.issuing_body == "HỘI KHUYẾN HỌC XÃ PHƯỚC VĨNH TÂY"
    assert text.recipient_lines == ("Hộ gia đình ông (bà) Nguyễn Văn An", HAMLETS[0])
    assert text.signer_lines == ("TM. BAN CHẤP HÀNH", "PHÓ CHỦ TỊCH")
    assert preview.recipient_lines == ("Hộ gia đình ông (bà) Nguyễn Văn An", HAMLETS[0])
    assert not certificates.check(workspace, preview.qr_text).genuine
    assert certificates.template(workspace, Title.CLAN) == certificates.default_template(Title.CLAN)


def commendation(workspace: Workspace, recipient: str, kind: str = HonourKind.COMMENDATION, **changes: object) -> str:
    values: dict[str, object] = {
        "kind": kind,
        "recipient_kind": RecipientKind.PERSON,
        "recipient": recipient,
        "level": HonourLevel.COMMUNE,
        "decision_no": "12/QĐ-HKH",
        "honoured_on": date(2025, 11, 20),
        "content": "Đã có thành tích xuất sắc trong công tác khuyến học năm 2025",
    }
    values.update(changes)
    return honours.create_honour(workspace, HonourInput(**values))  # type: ignore[arg-type]


def test_commendations_get_giay_khen_with_their_own_serials(workspace: Workspace) -> None:
    hamlet = profile_service.list_hamlets(workspace)[2]
    person = commendation(workspace, "Đặng Văn Hải", hamlet_id=hamlet.id)
    group = commendation(
        workspace, "Chi hội khuyến học ấp Vĩnh Thạnh", recipient_kind=RecipientKind.COLLECTIVE, content=""
    )
    commendation(workspace, "Mô hình tủ sách", kind=HonourKind.MODEL)
    commendation(workspace, "Khen năm trước", honoured_on=date(2024, 11, 20))

    found = certificates.recipients(workspace, COMMENDATION, YEAR)
    texts = certificates.issue(workspace, COMMENDATION, YEAR, [person, group])

    assert [(r.id, r.title) for r in found] == [(group, COMMENDATION), (person, COMMENDATION)]
    assert [t.serial for t in texts] == ["28201-2025-GK-000001", "28201-2025-GK-000002"]
    assert [t.heading for t in texts] == ["GIẤY KHEN"] * 2
    assert texts[0].number_line == "Số: 1/GK-HKH"
    assert texts[0].recipient_lines == ("Tặng Chi hội khuyến học ấp Vĩnh Thạnh", "xã Phước Vĩnh Tây, tỉnh Tây Ninh")
    assert texts[1].recipient_lines == ("Tặng ông (bà) Đặng Văn Hải", f"{HAMLETS[2]}, xã Phước Vĩnh Tây, tỉnh Tây Ninh")
    assert texts[1].body_lines[0] == "Đã có thành tích xuất sắc trong công tác khuyến học năm 2025"
    assert texts[0].body_lines[0].startswith("Đã có thành tích xuất sắc trong phong trào khuyến học")
    assert texts[1].place_date == "Phước Vĩnh Tây, ngày 20 tháng 11 năm 2025"
    result = certificates.check(workspace, texts[1].qr_text)
    assert result.genuine, result.reason
    assert (result.title_label, result.serial) == ("Giấy khen", "28201-2025-GK-000002")


def test_an_empty_selection_and_an_unknown_kind_are_refused(workspace: Workspace, families: dict[str, str]) -> None:
    with pytest.raises(UserError, match="Chưa chọn hồ sơ nào"):
        issue_family(workspace, [])
    with pytest.raises(UserError, match="Không có loại giấy «bang_khen»"):
        certificates.recipients(workspace, "bang_khen", YEAR)


def test_a_preview_numbers_as_printing_would_and_logs_nothing(workspace: Workspace, families: dict[str, str]) -> None:
    issue_family(workspace, [families["Lê Văn Cư"]])

    preview = certificates.issue(
        workspace, RECOGNITION, YEAR, [families["Nguyễn Văn An"], families["Lê Văn Cư"]], Title.FAMILY, dry_run=True
    )
    printed = issue_family(workspace, [families["Nguyễn Văn An"], families["Lê Văn Cư"]])

    assert [(c.serial, c.reprint) for c in preview] == [("28201-2025-GD-000002", False), ("28201-2025-GD-000001", True)]
    assert [(c.serial, c.reprint) for c in printed] == [(c.serial, c.reprint) for c in preview]


def test_a_failed_output_spends_no_serial_and_logs_nothing(workspace: Workspace, families: dict[str, str]) -> None:
    def cancelled(_texts: list[certificates.CertificateText]) -> None:
        raise UserError("Đã hủy in.")

    with pytest.raises(UserError, match="Đã hủy in"):
        certificates.issue(workspace, RECOGNITION, YEAR, [families["Nguyễn Văn An"]], Title.FAMILY, output=cancelled)
    written: list[int] = []
    (text,) = certificates.issue(
        workspace, RECOGNITION, YEAR, [families["Nguyễn Văn An"]], Title.FAMILY, output=lambda t: written.append(len(t))
    )

    assert (text.serial, text.reprint, written) == ("28201-2025-GD-000001", False, [1])
    with session_scope(workspace.engine) as session:
        assert len(session.exec(select(CertificatePrint)).all()) == 1
