"""Exporting the year as a signed package: round trip, sequence and chaining, atomic writing, history."""

from __future__ import annotations

import base64
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.domain.household import HouseholdInput
from khuyenhoc_desktop.exchange import keys, workbook
from khuyenhoc_desktop.exchange.manifest import (
    FORMAT,
    FORMAT_VERSION,
    SIGNATURE_PREFIX,
    FileEntry,
    Manifest,
    ManifestError,
    NewerFormat,
    canonical_json,
)
from khuyenhoc_desktop.services import households, packages
from khuyenhoc_desktop.services import profile as profile_service
from khuyenhoc_desktop.services.workspace import Workspace
from khuyenhoc_desktop.storage.tables import PackageExport


def add_households(workspace: Workspace) -> dict[str, str]:
    hamlet = profile_service.list_hamlets(workspace)[0].id
    return {
        households.create_household(
            workspace, HouseholdInput("00001", "Nguyễn Văn Đức", hamlet, 1968, address="Số 12, Rạch Kiến")
        ): "00001",
        households.create_household(
            workspace, HouseholdInput("00002", "Trần Thị Mai", hamlet, note='=HYPERLINK("http://x")')
        ): "00002",
    }


def export_rows(workspace: Workspace) -> list[PackageExport]:
    with Session(workspace.engine) as session:
        return list(session.exec(select(PackageExport)).all())


def test_export_then_verify_gives_back_the_records_and_who_signed(workspace: Workspace, tmp_path: Path) -> None:
    ids = add_households(workspace)
    result = packages.export_package(workspace, 2025, tmp_path)

    assert result.path == tmp_path / "khuyenhoc-28201-2025-lan-01.zip"
    assert result.sequence == 1 and result.previous_sha256 is None
    with zipfile.ZipFile(result.path) as archive:
        assert sorted(archive.namelist()) == ["data.xlsx", "manifest.json", "manifest.sig"]

    checked = packages.verify_package(result.path)
    manifest = checked.manifest
    assert (manifest.commune_code, manifest.commune_name, manifest.period, manifest.sequence) == (
        "28201",
        "Xã Phước Vĩnh Tây",
        "2025",
        1,
    )
    assert checked.fingerprint == keys.fingerprint(keys.public_raw(workspace.data_dir)) == result.fingerprint
    assert checked.package_sha256 == result.package_sha256
    assert checked.own_key is None  # no data folder given
    assert manifest.rows["Hộ gia đình"] == 2

    records = checked.read_workbook()
    by_id = {row["id"]: row for row in records["Hộ gia đình"]}
    assert {by_id[i]["code"] for i in ids} == {"00001", "00002"}
    first, second = (next(r for r in by_id.values() if r["code"] == code) for code in ("00001", "00002"))
    assert first["address"] == "Số 12, Rạch Kiến"
    assert second["note"] == '=HYPERLINK("http://x")'  # the same text back, never a formula
    heads = {row["full_name"] for row in records["Thành viên"]}
    assert {"Nguyễn Văn Đức", "Trần Thị Mai"} <= heads


def test_verify_with_the_data_folder_tells_whether_its_own_key_signed(workspace: Workspace, tmp_path: Path) -> None:
    result = packages.export_package(workspace, 2025, tmp_path / "goi.zip")
    assert packages.verify_package(result.path, workspace.data_dir).own_key is True
    other = tmp_path / "may-khac"
    keys.ensure_key(other)
    assert packages.verify_package(result.path, other).own_key is False


def test_same_data_twice_gives_the_same_data_hash_a_new_sequence_and_a_chain(
    workspace: Workspace, tmp_path: Path
) -> None:
    add_households(workspace)
    first = packages.export_package(workspace, 2025, tmp_path)
    assert packages.suggested_file_name(workspace, 2025) == "khuyenhoc-28201-2025-lan-02.zip"
    second = packages.export_package(workspace, 2025, tmp_path)

    assert second.path.name == "khuyenhoc-28201-2025-lan-02.zip" and first.path.exists()
    assert second.data_sha256 == first.data_sha256
    assert second.package_sha256 != first.package_sha256
    assert (second.sequence, second.previous_sha256) == (2, first.package_sha256)
    assert packages.verify_package(second.path).manifest.previous_package_sha256 == first.package_sha256
    # Another period starts its own numbering.
    assert packages.export_package(workspace, 2024, tmp_path).sequence == 1

    history = packages.list_exports(workspace)
    assert {(h.period, h.sequence) for h in history} == {("2025", 1), ("2025", 2), ("2024", 1)}
    assert {h.file_name for h in history} == {
        "khuyenhoc-28201-2025-lan-01.zip",
        "khuyenhoc-28201-2025-lan-02.zip",
        "khuyenhoc-28201-2024-lan-01.zip",
    }
    assert all(h.data_sha256 and h.key_id == keys.key_id(keys.public_raw(workspace.data_dir)) for h in history)


def test_export_is_not_an_undo_step_but_is_audited(workspace: Workspace, tmp_path: Path) -> None:
    label_before = workspace.history.undo_label
    packages.export_package(workspace, 2025, tmp_path)
    assert workspace.history.undo_label == label_before
    assert len(export_rows(workspace)) == 1


def test_a_failure_mid_export_leaves_no_file_and_no_history(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_households(workspace)

    def broken(_ws: Workspace, _year: int, path: Path, progress: object = None) -> dict[str, int]:
        path.write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook, "write_data_workbook", broken)
    out = tmp_path / "ra"
    out.mkdir()
    with pytest.raises(OSError):
        packages.export_package(workspace, 2025, out / "goi.zip")
    assert list(out.iterdir()) == []
    assert export_rows(workspace) == []


def test_cancel_through_progress_leaves_nothing(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Cancelled(Exception):
        pass

    def cancel(_done: int, _total: int) -> None:
        raise Cancelled

    out = tmp_path / "ra"
    out.mkdir()
    with pytest.raises(Cancelled):
        packages.export_package(workspace, 2025, out, progress=cancel)
    assert list(out.iterdir()) == []
    assert export_rows(workspace) == []


def test_a_failed_history_write_takes_the_file_away(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise UserError("ổ đĩa dữ liệu đầy")

    monkeypatch.setattr(packages, "record_change", refuse)
    out = tmp_path / "ra"
    out.mkdir()
    with pytest.raises(UserError):
        packages.export_package(workspace, 2025, out)
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_refused_in_vietnamese(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Không có thư mục"):
        packages.export_package(workspace, 2025, tmp_path / "khong-co" / "goi.zip")
    assert export_rows(workspace) == []


def test_an_out_path_without_the_suffix_gets_zip(workspace: Workspace, tmp_path: Path) -> None:
    assert packages.export_package(workspace, 2025, tmp_path / "goi-2025").path == tmp_path / "goi-2025.zip"


# --- the manifest itself ---


def sample_manifest() -> Manifest:
    return Manifest(
        schema_version=5,
        app_version="0.1.0",
        province_code="80",
        province_name="Tây Ninh",
        commune_code="28201",
        commune_name="Xã Phước Vĩnh Tây",
        period="2025",
        exported_at="2025-12-15T08:30:00Z",
        sequence=3,
        previous_package_sha256="ab" * 32,
        key_id="0123456789abcdef",
        public_key=base64.b64encode(bytes(32)).decode(),
        files={"data.xlsx": FileEntry("cd" * 32, 1234)},
        rows={"Hộ gia đình": 5000, "Ấp": 10},
    )


def test_manifest_bytes_are_canonical_and_round_trip() -> None:
    manifest = sample_manifest()
    data = manifest.to_bytes()
    assert Manifest.from_bytes(data) == manifest
    assert b" " not in data.replace("Tây Ninh".encode(), b"").replace("Xã Phước Vĩnh Tây".encode(), b"").replace(
        "Hộ gia đình".encode(), b""
    )
    assert "Xã Phước Vĩnh Tây".encode() in data  # UTF-8 as is, not \\u escapes
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    assert canonical_json(parsed) == data
    assert (parsed["format"], parsed["format_version"]) == (FORMAT, FORMAT_VERSION)
    assert SIGNATURE_PREFIX == b"khuyenhoc-package-v1\n"


def test_manifest_next_key_round_trips_and_is_absent_when_no_key_changes() -> None:
    plain = sample_manifest()
    assert plain.next_public_key is None and plain.next_public is None
    assert "next_public_key" not in json.loads(plain.to_bytes())  # same bytes as before the field existed
    assert Manifest.from_bytes(plain.to_bytes()).next_public_key is None

    announced = bytes(range(32))
    rotating = replace(plain, next_public_key=base64.b64encode(announced).decode())
    data = rotating.to_bytes()
    assert json.loads(data)["next_public_key"] == base64.b64encode(announced).decode()
    assert canonical_json(json.loads(data)) == data
    parsed = Manifest.from_bytes(data)
    assert parsed == rotating and parsed.next_public == announced


@pytest.mark.parametrize("value", [None, 32, "không phải base64", base64.b64encode(bytes(31)).decode(), ""])
def test_manifest_refuses_a_next_key_that_is_not_one(value: object) -> None:
    raw = sample_manifest().to_json() | {"next_public_key": value}
    with pytest.raises(ManifestError, match="next_public_key"):
        Manifest.from_bytes(canonical_json(raw))


def test_manifest_refuses_missing_fields_and_newer_formats() -> None:
    raw = sample_manifest().to_json()
    del raw["sequence"]
    with pytest.raises(ManifestError, match="sequence"):
        Manifest.from_bytes(canonical_json(raw))
    raw = sample_manifest().to_json() | {"format_version": FORMAT_VERSION + 1, "sequence": "x"}
    with pytest.raises(NewerFormat, match="phiên bản mới hơn"):
        Manifest.from_bytes(canonical_json(raw))
    with pytest.raises(ManifestError, match="không đọc được"):
        Manifest.from_bytes(b"\xff{")
