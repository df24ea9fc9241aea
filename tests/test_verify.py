"""Every way a package is refused, each its own test, and the data folder untouched by all of them."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys, verify, workbook
from khuyenhoc_desktop.exchange.manifest import FORMAT_VERSION, SIGNATURE_PREFIX, canonical_json
from khuyenhoc_desktop.exchange.verify import PackageRefused
from khuyenhoc_desktop.services import packages
from khuyenhoc_desktop.services.workspace import Workspace


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def package(workspace: Workspace, tmp_path: Path) -> Iterator[Path]:
    """A good package, and afterwards proof that no refusal wrote anything in the data folder."""
    path = packages.export_package(workspace, 2025, tmp_path / "goi.zip").path
    workspace.close(backup=False)
    before = folder_digest(workspace.data_dir)
    yield path
    assert folder_digest(workspace.data_dir) == before


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(path: Path, files: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """Write `files` as the package, names taken literally (even ../x or /x)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = compress
            archive.writestr(info, data)
    return path


def refused(path: Path, data_dir: Path | None = None) -> str:
    with pytest.raises(PackageRefused) as caught:
        packages.verify_package(path, data_dir)
    assert isinstance(caught.value, UserError)
    return str(caught.value)


def test_a_good_package_passes(package: Path) -> None:
    assert packages.verify_package(package).manifest.sequence == 1


def test_one_byte_changed_in_the_workbook_is_refused_naming_its_hash(package: Path) -> None:
    files = entries(package)
    data = bytearray(files["data.xlsx"])
    data[len(data) // 2] ^= 0x01
    files["data.xlsx"] = bytes(data)
    message = refused(rezip(package, files))
    assert "mã băm SHA-256 của tệp data.xlsx không khớp" in message


def test_an_edited_manifest_is_refused_by_its_signature(package: Path) -> None:
    files = entries(package)
    manifest = json.loads(files["manifest.json"])
    manifest["rows"]["Hộ gia đình"] = 9999
    files["manifest.json"] = canonical_json(manifest)
    assert "chữ ký không đúng" in refused(rezip(package, files))


def test_a_signature_from_another_key_is_refused(package: Path) -> None:
    files = entries(package)
    files["manifest.sig"] = Ed25519PrivateKey.generate().sign(SIGNATURE_PREFIX + files["manifest.json"])
    assert "chữ ký không đúng" in refused(rezip(package, files))


def test_a_signature_without_the_prefix_is_refused(package: Path, workspace: Workspace) -> None:
    files = entries(package)
    files["manifest.sig"] = keys.sign(workspace.data_dir, files["manifest.json"])
    assert "chữ ký không đúng" in refused(rezip(package, files))


def test_an_extra_file_is_refused_by_name(package: Path) -> None:
    files = entries(package) | {"ghi-chu.txt": b"xin chao"}
    assert "tệp lạ không thuộc gói: ghi-chu.txt" in refused(rezip(package, files))


def test_a_missing_file_is_refused_by_name(package: Path) -> None:
    files = entries(package)
    del files["manifest.sig"]
    assert "thiếu tệp manifest.sig" in refused(rezip(package, files))


def test_a_duplicated_entry_is_refused(package: Path) -> None:
    files = entries(package)
    with zipfile.ZipFile(package, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("data.xlsx", files["data.xlsx"])
    assert "trùng tên: data.xlsx" in refused(package)


def test_an_entry_climbing_out_with_dotdot_is_refused(package: Path) -> None:
    files = entries(package) | {"../x": b"x"}
    assert "trỏ ra ngoài gói «../x»" in refused(rezip(package, files))


def test_an_absolute_entry_name_is_refused(package: Path) -> None:
    files = entries(package) | {"/etc/x": b"x"}
    assert "đường dẫn tuyệt đối «/etc/x»" in refused(rezip(package, files))


def test_an_oversized_entry_is_refused_before_reading(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify, "MAX_ENTRY_SIZE", 1000)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or real_open(
        self, name, *a, **k))  # fmt: skip
    message = refused(package)
    assert "tệp data.xlsx quá lớn" in message
    assert opened == []  # judged from the central directory alone


def test_a_highly_compressed_entry_is_refused_before_reading(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = entries(package)
    files["data.xlsx"] = bytes(10 * 1024 * 1024)  # 10 MB of zeros deflate to about 10 KB
    rezip(package, files)
    assert package.stat().st_size < 100_000
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name)) or real_open(
        self, name, *a, **k))  # fmt: skip
    assert "tệp data.xlsx bị nén bất thường" in refused(package)
    assert opened == []


def test_a_newer_format_version_is_refused_even_when_correctly_signed(package: Path, workspace: Workspace) -> None:
    files = entries(package)
    manifest = json.loads(files["manifest.json"])
    manifest["format_version"] = FORMAT_VERSION + 1
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.sig"] = keys.sign(workspace.data_dir, SIGNATURE_PREFIX + files["manifest.json"])
    message = refused(rezip(package, files))
    assert "được tạo bởi phiên bản mới hơn" in message


def test_a_truncated_file_is_refused_as_not_a_package(package: Path) -> None:
    data = package.read_bytes()
    package.write_bytes(data[: len(data) // 2])
    assert "không phải gói số liệu" in refused(package)


def test_a_file_that_is_not_a_zip_is_refused(package: Path) -> None:
    package.write_bytes(b"%PDF-1.7\nday khong phai goi so lieu\n")
    message = refused(package)
    assert "không phải gói số liệu" in message and "goi.zip" in message


def test_an_empty_file_is_refused(package: Path) -> None:
    package.write_bytes(b"")
    assert "không phải gói số liệu" in refused(package)


def test_a_manifest_that_is_not_json_is_refused(package: Path) -> None:
    files = entries(package) | {"manifest.json": b"<xml/>"}
    assert "manifest.json" in refused(rezip(package, files))


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    assert "không tìm thấy tệp" in refused(tmp_path / "khong-co.zip")


def resigned(package: Path, workspace: Workspace, data: bytes) -> Path:
    """The package with `data` as its workbook, hashed and signed again by the commune's own key: everything
    checks out but what the workbook holds."""
    files = entries(package)
    files["data.xlsx"] = data
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["data.xlsx"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.sig"] = keys.sign(workspace.data_dir, SIGNATURE_PREFIX + files["manifest.json"])
    return rezip(package, files)


def rewritten_sheet(workbook: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with the hamlets sheet's XML changed (sheet2: the summary comes first)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/worksheets/sheet2.xml"] = change(parts["xl/worksheets/sheet2.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_signed_workbook_holding_a_formula_is_refused_when_read(package: Path, workspace: Workspace) -> None:
    """A formula's cached value is what the reader would take: the office refuses the workbook, naming the cell."""

    def formula(xml: bytes) -> bytes:
        return re.sub(rb'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>', b'<c r="B2"><f>1+1</f><v>2</v></c>', xml)

    data = rewritten_sheet(entries(package)["data.xlsx"], formula)
    checked = packages.verify_package(resigned(package, workspace, data))  # signature and hashes pass
    with pytest.raises(PackageRefused, match="có công thức ở ô Ấp!B2") as caught:
        checked.read_workbook()
    assert isinstance(caught.value, UserError)


def test_a_bomb_inside_the_signed_workbook_is_refused_before_it_is_read(
    package: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    padding = b"<!--" + b" " * (4 * 1024 * 1024) + b"-->"  # 4 MB of spaces deflate to a few KB
    data = rewritten_sheet(
        entries(package)["data.xlsx"], lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>", 1)
    )
    checked = packages.verify_package(resigned(package, workspace, data))
    read: list[object] = []
    monkeypatch.setattr(workbook, "read_data_workbook", lambda source: read.append(source))
    with pytest.raises(PackageRefused, match=r"sheet2\.xml bị nén bất thường .*\(trong tệp data\.xlsx\)"):
        checked.read_workbook()
    assert read == []
