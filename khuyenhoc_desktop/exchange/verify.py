"""Reading a package defensively: nothing in it is trusted until the signature and every hash check out.

The order matters. The zip's central directory is checked first (names, sizes, compression ratio) without
decompressing anything, so a hostile file cannot fill the disk or memory; then the manifest is parsed and
its format version checked; then the signature over the exact manifest bytes; then each file's size and
SHA-256. Only a package that passed all of that may have its workbook opened: its own zip entries pass the
same limits, its sheets must hold no formula, then python-calamine reads the cells.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.manifest import (
    DATA_NAME,
    ENTRY_NAMES,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNATURE_PREFIX,
    Manifest,
    ManifestError,
)

# Limits, checked from the central directory before any entry is read. A commune's workbook is a few MB;
# 200 MB is far beyond any real one. An .xlsx is already compressed, so a ratio past 100:1 is a zip bomb.
MAX_ENTRY_SIZE = 200 * 1024 * 1024
MAX_MANIFEST_SIZE = 1024 * 1024
MAX_RATIO = 100
RATIO_FREE_SIZE = 64 * 1024  # entries smaller than this cannot hurt, whatever their ratio
_CHUNK = 1 << 20


class PackageRefused(UserError):
    """The file is not a package this app accepts; the message says which check failed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"Gói số liệu {path.name} bị từ chối: {reason}.")


_Refuse = Callable[[str], PackageRefused]  # reason → the exception to raise


@dataclass(frozen=True)
class VerifiedPackage:
    path: Path
    manifest: Manifest
    manifest_bytes: bytes
    package_sha256: str
    public_key: bytes
    fingerprint: str
    own_key: bool | None  # None: no data folder given (or it has no key); else whether the folder's key signed
    _data: bytes

    @property
    def data_sha256(self) -> str:
        return self.manifest.files[DATA_NAME].sha256

    def read_workbook(self) -> dict[str, list[dict[str, object]]]:
        """The records of the workbook, from the bytes whose hash was checked (not the file again, which may
        have changed on disk since). The workbook is a zip too, and its reader holds a whole sheet in memory, so
        its entries pass the same size and ratio limits first; then it must hold no formula (a formula's
        cached value is not what the commune typed)."""
        from khuyenhoc_desktop.exchange.workbook import formula_cells, read_data_workbook

        def refuse(reason: str) -> PackageRefused:
            return PackageRefused(self.path, f"{reason} (trong tệp {DATA_NAME})")

        try:
            with zipfile.ZipFile(io.BytesIO(self._data)) as workbook:
                for info in workbook.infolist():
                    _check_size(info, refuse)
            formulas = formula_cells(self._data)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as error:
            raise PackageRefused(self.path, f"tệp {DATA_NAME} không phải bảng tính đọc được") from error
        if formulas:
            shown = ", ".join(formulas[:5]) + (f" và {len(formulas) - 5} ô khác" if len(formulas) > 5 else "")
            raise PackageRefused(self.path, f"tệp {DATA_NAME} có công thức ở ô {shown} — số liệu phải là giá trị")
        return read_data_workbook(self._data)


def verify_package(path: Path, data_dir: Path | None = None) -> VerifiedPackage:
    """Check the package at `path`; `PackageRefused` names the first check that failed."""

    def refuse(reason: str) -> PackageRefused:
        return PackageRefused(path, reason)

    if not path.is_file():
        raise refuse("không tìm thấy tệp")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise refuse("không phải gói số liệu (tệp không phải tệp nén zip hoặc đã bị cắt cụt)") from error
    with archive:
        infos = archive.infolist()
        _check_names(infos, refuse)
        entries = {info.filename: info for info in infos}
        for info in infos:
            _check_size(info, refuse)
        manifest_bytes = _read(archive, entries[MANIFEST_NAME], refuse)
        signature = _read(archive, entries[SIGNATURE_NAME], refuse)
        try:
            manifest = Manifest.from_bytes(manifest_bytes)
        except ManifestError as error:
            raise refuse(str(error)) from error
        public = _public_key(manifest, refuse)
        if not keys.verify(public, SIGNATURE_PREFIX + manifest_bytes, signature):
            raise refuse("chữ ký không đúng — tệp kê khai đã bị sửa, hoặc không phải do khóa ghi trong gói ký")
        if set(manifest.files) != {DATA_NAME}:
            raise refuse(f"tệp kê khai phải kê đúng tệp {DATA_NAME}")
        expected = manifest.files[DATA_NAME]
        if entries[DATA_NAME].file_size != expected.size:
            raise refuse(f"tệp {DATA_NAME} có kích thước khác với tệp kê khai")
        data = _read(archive, entries[DATA_NAME], refuse)
        if len(data) != expected.size:
            raise refuse(f"tệp {DATA_NAME} có kích thước khác với tệp kê khai")
        if hashlib.sha256(data).hexdigest() != expected.sha256:
            raise refuse(f"mã băm SHA-256 của tệp {DATA_NAME} không khớp tệp kê khai — số liệu đã bị thay đổi")
    own_key = None
    if data_dir is not None and keys.has_key(data_dir):
        own_key = keys.public_raw(data_dir) == public
    return VerifiedPackage(
        path=path,
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        package_sha256=_file_sha256(path),
        public_key=public,
        fingerprint=keys.fingerprint(public),
        own_key=own_key,
        _data=data,
    )


def _check_names(infos: list[zipfile.ZipInfo], refuse: _Refuse) -> None:
    names = [info.filename for info in infos]
    for name in names:
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise refuse(f"có mục với đường dẫn tuyệt đối «{name}»")
        if ".." in pure.parts:
            raise refuse(f"có mục trỏ ra ngoài gói «{name}»")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise refuse(f"có mục trùng tên: {', '.join(duplicates)}")
    extra = sorted(set(names) - ENTRY_NAMES)
    if extra:
        raise refuse(f"có tệp lạ không thuộc gói: {', '.join(extra)}")
    missing = sorted(ENTRY_NAMES - set(names))
    if missing:
        raise refuse(f"thiếu tệp {', '.join(missing)}")


def _check_size(info: zipfile.ZipInfo, refuse: _Refuse) -> None:
    limit = MAX_MANIFEST_SIZE if info.filename in (MANIFEST_NAME, SIGNATURE_NAME) else MAX_ENTRY_SIZE
    if info.file_size > limit:
        raise refuse(f"tệp {info.filename} quá lớn ({info.file_size:,} byte, tối đa {limit:,})".replace(",", "."))
    if info.file_size > RATIO_FREE_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise refuse(f"tệp {info.filename} bị nén bất thường (hơn {MAX_RATIO} lần) — có thể là tệp phá hoại")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse: _Refuse) -> bytes:
    """At most the declared size is decompressed (zipfile stops there and checks the CRC)."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise refuse(f"tệp {info.filename} trong gói bị hỏng") from error
    if len(data) != info.file_size:
        raise refuse(f"tệp {info.filename} trong gói bị hỏng")
    return data


def _public_key(manifest: Manifest, refuse: _Refuse) -> bytes:
    try:
        public = base64.b64decode(manifest.public_key, validate=True)
    except (binascii.Error, ValueError):
        public = b""
    if len(public) != keys.PUBLIC_SIZE:
        raise refuse("khóa công khai trong tệp kê khai không hợp lệ")
    if keys.key_id(public) != manifest.key_id:
        raise refuse("mã khóa trong tệp kê khai không khớp khóa công khai")
    return public


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
