"""Writing a package: the data workbook, its manifest and the signature over the manifest, in one zip.

The zip is built in a temporary file in the target folder and renamed over the target only once it is
complete and flushed to disk, so a failure, a full USB stick or the officer's Cancel never leaves a half
package that someone could send upward.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from khuyenhoc_desktop import __version__
from khuyenhoc_desktop.domain.errors import UserError
from khuyenhoc_desktop.exchange import keys
from khuyenhoc_desktop.exchange.manifest import (
    DATA_NAME,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNATURE_PREFIX,
    FileEntry,
    Manifest,
)
from khuyenhoc_desktop.storage.migrations import LATEST_VERSION

if TYPE_CHECKING:
    from khuyenhoc_desktop.services.workspace import Workspace

Progress = Callable[[int, int], None]
# A fixed timestamp for every zip entry: the package's own bytes then depend on its content alone.
_ENTRY_TIME = (2020, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class WrittenPackage:
    path: Path
    manifest: Manifest
    package_sha256: str  # of the whole file
    data_sha256: str  # of data.xlsx: the same when nothing changed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def signed_message(manifest_bytes: bytes) -> bytes:
    return SIGNATURE_PREFIX + manifest_bytes


def write_package(
    workspace: Workspace,
    year: int,
    path: Path,
    *,
    sequence: int,
    previous_sha256: str | None,
    exported_at: str,
    next_public: bytes | None = None,
    progress: Progress | None = None,
) -> WrittenPackage:
    """Write the year's package to `path` (replacing it atomically) and return what was written.

    `next_public` is the key the commune signs with from the next package on, announced here under the
    signature of the current key (a key change).

    `progress` gets (done, total) from the workbook writer; raising from it (Cancel) stops the export
    and nothing is left behind.
    """
    # Imported here: the workbook module pulls in openpyxl, which the rest of the command line never needs.
    from khuyenhoc_desktop.exchange.workbook import write_data_workbook

    profile = workspace.profile
    if profile is None:
        raise UserError("Thư mục dữ liệu chưa được thiết lập: chưa có đơn vị để ghi vào gói số liệu.")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"Không có thư mục {folder} để ghi gói số liệu.")
    public = keys.public_raw(workspace.data_dir)
    with tempfile.TemporaryDirectory(prefix="khuyenhoc-goi-") as scratch:
        data_path = Path(scratch) / DATA_NAME
        rows = write_data_workbook(workspace, year, data_path, progress)
        data_sha256 = file_sha256(data_path)
        manifest = Manifest(
            schema_version=LATEST_VERSION,
            app_version=__version__,
            province_code=profile.province_code,
            province_name=profile.province_name,
            commune_code=profile.commune_code,
            commune_name=profile.commune_name,
            period=str(year),
            exported_at=exported_at,
            sequence=sequence,
            previous_package_sha256=previous_sha256,
            key_id=keys.key_id(public),
            public_key=base64.b64encode(public).decode("ascii"),
            files={DATA_NAME: FileEntry(data_sha256, data_path.stat().st_size)},
            rows=dict(rows),
            next_public_key=None if next_public is None else base64.b64encode(next_public).decode("ascii"),
        )
        manifest_bytes = manifest.to_bytes()
        signature = keys.sign(workspace.data_dir, signed_message(manifest_bytes))
        temporary = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            _write_zip(temporary, data_path, manifest_bytes, signature)
            package_sha256 = file_sha256(temporary)
            os.replace(temporary, path)
        except OSError as error:
            raise UserError(
                f"Không ghi được gói số liệu vào {path}: {error.strerror or error}. "
                "Hãy xem thư mục còn đó, còn chỗ trống và được phép ghi."
            ) from error
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
    return WrittenPackage(path, manifest, package_sha256, data_sha256)


def _write_zip(target: Path, data_path: Path, manifest_bytes: bytes, signature: bytes) -> None:
    """The workbook is stored as is (an .xlsx is already compressed); the manifest first, so a person
    opening the zip by hand sees it at the top."""
    with target.open("xb") as stream:
        with zipfile.ZipFile(stream, "w") as archive:
            archive.writestr(_entry(MANIFEST_NAME, zipfile.ZIP_DEFLATED), manifest_bytes)
            archive.writestr(_entry(SIGNATURE_NAME, zipfile.ZIP_STORED), signature)
            with data_path.open("rb") as source, archive.open(_entry(DATA_NAME, zipfile.ZIP_STORED), "w") as sink:
                while chunk := source.read(_CHUNK):
                    sink.write(chunk)
        stream.flush()
        os.fsync(stream.fileno())


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
