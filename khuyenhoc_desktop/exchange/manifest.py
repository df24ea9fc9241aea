"""The manifest of a package: what it holds, who made it, and which export of the period it is.

The signature covers the manifest's exact bytes, and the manifest names every file's SHA-256 and size, so
one signature vouches for the whole package. The bytes are canonical (sorted keys, UTF-8, no spaces) so
the same manifest is the same bytes on every machine and in every app version that writes format 1.

`next_public_key` is optional and written only when present: a package that changes no key has the same
canonical bytes as before the field existed, and a reader that predates it still verifies the package (it
just does not learn the new key, which the paper registration sheet can then carry).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

FORMAT = "khuyenhoc-package"
FORMAT_VERSION = 1
PUBLIC_KEY_SIZE = 32  # raw Ed25519
# Prepended to the manifest bytes before signing: a signature made for a package can never be replayed as
# a signature over some other kind of message the same key might sign later (a key backup, a receipt).
SIGNATURE_PREFIX = b"khuyenhoc-package-v1\n"

DATA_NAME = "data.xlsx"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
ENTRY_NAMES = frozenset({DATA_NAME, MANIFEST_NAME, SIGNATURE_NAME})


class ManifestError(ValueError):
    """The manifest is not one this app can read; the message is Vietnamese and names the field."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str  # lower-case hex
    size: int  # bytes


@dataclass(frozen=True)
class Manifest:
    schema_version: int
    app_version: str
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    period: str  # "2025"
    exported_at: str  # UTC ISO, "2025-12-15T08:30:00Z"
    sequence: int  # 1, 2, … per period
    previous_package_sha256: str | None  # the previous package of the same period, None for the first
    key_id: str
    public_key: str  # base64 of the 32 raw Ed25519 bytes: a verifier shows the fingerprint from it
    files: dict[str, FileEntry] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # sheet → row count
    # base64 of the key the commune signs with after this package (a key change vouched for by `public_key`)
    next_public_key: str | None = None
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def next_public(self) -> bytes | None:
        """The announced key's 32 raw bytes (checked when parsed)."""
        return None if self.next_public_key is None else base64.b64decode(self.next_public_key)

    def to_json(self) -> dict[str, Any]:
        value: dict[str, Any] = {
            "format": self.format,
            "format_version": self.format_version,
            "schema_version": self.schema_version,
            "app_version": self.app_version,
            "province_code": self.province_code,
            "province_name": self.province_name,
            "commune_code": self.commune_code,
            "commune_name": self.commune_name,
            "period": self.period,
            "exported_at": self.exported_at,
            "sequence": self.sequence,
            "previous_package_sha256": self.previous_package_sha256,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "files": {name: {"sha256": f.sha256, "size": f.size} for name, f in self.files.items()},
            "rows": dict(self.rows),
        }
        if self.next_public_key is not None:
            value["next_public_key"] = self.next_public_key
        return value

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_json())

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse and type-check; a newer format is refused before anything else is read from it."""
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ManifestError("tệp kê khai (manifest.json) không đọc được") from error
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise ManifestError("tệp kê khai (manifest.json) không phải của gói số liệu khuyến học")
        version = raw.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ManifestError("tệp kê khai có phiên bản định dạng không hợp lệ")
        if version > FORMAT_VERSION:
            raise NewerFormat(version)
        try:
            files = {
                _text(name, "files"): FileEntry(_hex(entry["sha256"], "files"), _count(entry["size"], "files"))
                for name, entry in _mapping(raw["files"], "files").items()
            }
            rows = {_text(name, "rows"): _count(n, "rows") for name, n in _mapping(raw["rows"], "rows").items()}
            previous = raw["previous_package_sha256"]
            announced = _public_key(raw["next_public_key"], "next_public_key") if "next_public_key" in raw else None
            return cls(
                schema_version=_count(raw["schema_version"], "schema_version"),
                app_version=_text(raw["app_version"], "app_version"),
                province_code=_text(raw["province_code"], "province_code"),
                province_name=_text(raw["province_name"], "province_name"),
                commune_code=_text(raw["commune_code"], "commune_code"),
                commune_name=_text(raw["commune_name"], "commune_name"),
                period=_text(raw["period"], "period"),
                exported_at=_text(raw["exported_at"], "exported_at"),
                sequence=_count(raw["sequence"], "sequence"),
                previous_package_sha256=None if previous is None else _hex(previous, "previous_package_sha256"),
                key_id=_text(raw["key_id"], "key_id"),
                public_key=_text(raw["public_key"], "public_key"),
                files=files,
                rows=rows,
                next_public_key=announced,
                format_version=version,
            )
        except KeyError as missing:
            raise ManifestError(f"tệp kê khai thiếu mục «{missing.args[0]}»") from None
        except TypeError:
            raise ManifestError("tệp kê khai có mục «files» không đúng dạng") from None


class NewerFormat(ManifestError):
    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"gói được tạo bởi phiên bản mới hơn của phần mềm (định dạng {version}, phần mềm này đọc đến "
            f"định dạng {FORMAT_VERSION}). Hãy cập nhật phần mềm"
        )


def canonical_json(value: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8 as is (Vietnamese not escaped): one value, one byte string."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _mapping(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ManifestError(f"tệp kê khai có mục «{name}» không đúng dạng")
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ManifestError(f"tệp kê khai có mục «{name}» không phải chữ")
    return value


def _count(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ManifestError(f"tệp kê khai có mục «{name}» không phải số không âm")
    return value


def _public_key(value: object, name: str) -> str:
    text = _text(value, name)
    try:
        size = len(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        size = -1
    if size != PUBLIC_KEY_SIZE:
        raise ManifestError(f"tệp kê khai có mục «{name}» không phải khóa công khai Ed25519 (32 byte, base64)")
    return text


def _hex(value: object, name: str) -> str:
    text = _text(value, name)
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ManifestError(f"tệp kê khai có mục «{name}» không phải mã SHA-256")
    return text
