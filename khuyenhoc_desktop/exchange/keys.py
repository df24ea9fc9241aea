"""The installation's signing key: one Ed25519 key per data folder, so the consolidating office can tell for
certain which commune sent a package and that nothing changed on the way.

The private key lives only in the data folder (`keys/signing.key`, PKCS8 PEM, readable by the owner alone);
it leaves the folder only inside a backup sealed with a passphrase (scrypt + AES-256-GCM), so a new laptop
can carry on signing as the same commune. The public key travels freely: in every package, on the printed
key registration sheet and as a file the office registers.

A key change goes through the office's trust in the old key: the new pair waits beside the current one
(`keys/next.key`, protected the same way) until a package signed by the current key has announced it; then it
becomes the signing key and the old one is archived (`signing.key.<key id>.old`), never to sign again.

A key is named two ways: `key_id` (16 hex characters, short enough for a manifest or a file name) and
`fingerprint` (eight groups of four base32 characters, the form read aloud over the phone and printed on
the sheet; base32 has no 0/1/8/9, so O, I and B are not mistaken for digits).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from khuyenhoc_desktop.domain.errors import UserError

KEYS_DIR = "keys"
PRIVATE_NAME = "signing.key"
PUBLIC_NAME = "signing.pub"
NEXT_NAME = "next.key"
PUBLIC_SIZE = 32
SIGNATURE_SIZE = 64

BACKUP_FORMAT = "khuyenhoc-key-backup"
BACKUP_VERSION = 1
BACKUP_SUFFIX = ".khkey"
PUBLIC_SUFFIX = ".pub"
# scrypt at 2^15 × 8: about a tenth of a second and 32 MB on an office laptop, far too slow to guess a
# passphrase by the million.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 8
_MAX_BACKUP_BYTES = 64 * 1024  # a backup is under 1 KB; anything far bigger is not one
# What the officer can do about a damaged key file: the signing key comes back from its backup; a waiting one
# was never announced, so a new one is as good.
_RESTORE_HINT = "Hãy khôi phục khóa từ bản sao lưu có mật khẩu."
_ROTATE_HINT = "Hãy đổi khóa ký lần nữa để tạo khóa mới."


class DifferentKey(UserError):
    """The folder already signs with another key: replacing it is the officer's decision, asked separately."""

    def __init__(self, current: bytes, offered: bytes) -> None:
        self.current, self.offered = current, offered
        super().__init__(
            f"Thư mục dữ liệu đã có khóa ký khác ({fingerprint(current)}). Khóa hiện tại giữ nguyên; "
            "chỉ thay khi chắc chắn muốn dùng khóa trong bản sao lưu."
        )


def keys_dir(data_dir: Path) -> Path:
    return data_dir / KEYS_DIR


def private_path(data_dir: Path) -> Path:
    return keys_dir(data_dir) / PRIVATE_NAME


def public_path(data_dir: Path) -> Path:
    return keys_dir(data_dir) / PUBLIC_NAME


def next_path(data_dir: Path) -> Path:
    return keys_dir(data_dir) / NEXT_NAME


def archived_path(data_dir: Path, public: bytes) -> Path:
    """Where a key that no longer signs is kept: its packages were signed with it, so it stays on record."""
    return keys_dir(data_dir) / f"{PRIVATE_NAME}.{key_id(public)}.old"


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write_private(path: Path, data: bytes) -> None:
    """Written beside the target with mode 0o600 from the first byte, then renamed over it: no moment where
    the key is readable by others or half written."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)  # in case the umask took bits away; never adds any beyond these
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _write_public(data_dir: Path, raw: bytes) -> None:
    target = public_path(data_dir)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(base64.b64encode(raw).decode("ascii") + "\n", encoding="ascii")
    os.replace(temporary, target)


def _install(data_dir: Path, key: Ed25519PrivateKey) -> None:
    keys_dir(data_dir).mkdir(parents=True, exist_ok=True)
    _write_private(private_path(data_dir), _private_pem(key))
    _write_public(data_dir, _raw(key.public_key()))


def has_key(data_dir: Path) -> bool:
    return private_path(data_dir).is_file()


def ensure_key(data_dir: Path) -> None:
    """Create the folder's key once; later calls keep it (a new key would orphan the registered one). A
    missing public file is written again from the private key."""
    if not has_key(data_dir):
        _install(data_dir, Ed25519PrivateKey.generate())
        return
    if not public_path(data_dir).is_file():
        _write_public(data_dir, _raw(_load_private(private_path(data_dir), _RESTORE_HINT).public_key()))


def _load_private(path: Path, remedy: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise UserError(f"Tệp khóa ký {path} bị hỏng. {remedy}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise UserError(f"Tệp {path} không phải khóa ký của phần mềm.")
    return key


def private_key(data_dir: Path) -> Ed25519PrivateKey:
    """The folder's key, created on first use (a folder set up before keys existed gets one here)."""
    ensure_key(data_dir)
    return _load_private(private_path(data_dir), _RESTORE_HINT)


def public_raw(data_dir: Path) -> bytes:
    """The 32 raw bytes of the public key, taken from the private key so the two can never disagree."""
    return _raw(private_key(data_dir).public_key())


def make_next_key(data_dir: Path) -> bytes:
    """Create the key that will sign after the next package and return its public half. A pending one is
    replaced: no package has announced it, so nobody else knows it."""
    ensure_key(data_dir)
    key = Ed25519PrivateKey.generate()
    _write_private(next_path(data_dir), _private_pem(key))
    return _raw(key.public_key())


def next_public_raw(data_dir: Path) -> bytes | None:
    """The pending key's public half, None when no key change is waiting."""
    path = next_path(data_dir)
    return _raw(_load_private(path, _ROTATE_HINT).public_key()) if path.is_file() else None


def promote_next(data_dir: Path, announced: bytes) -> None:
    """After a package announcing `announced` went out: it becomes the signing key and the old one is archived.

    The old key is copied to the archive before the rename, so a crash between the steps leaves either the old
    key signing (with the next one still waiting) or the new one: never a folder without a key.
    """
    if next_public_raw(data_dir) != announced:
        raise UserError(
            f"Khóa mới {key_id(announced)} báo trong gói vừa xuất không còn chờ trong {next_path(data_dir)} "
            "(đã đổi khóa lần nữa trong lúc xuất?). Khóa đang dùng giữ nguyên; hãy đổi khóa và xuất gói lại."
        )
    current = private_path(data_dir)
    _write_private(archived_path(data_dir, public_raw(data_dir)), current.read_bytes())
    os.replace(next_path(data_dir), current)
    _write_public(data_dir, announced)


def key_id(public: bytes) -> str:
    """First 16 hex characters of SHA-256 of the raw key: short, and enough to tell keys apart."""
    return hashlib.sha256(public).hexdigest()[:16]


def fingerprint(public: bytes) -> str:
    """ "ABCD EFGH … " — 8 groups of 4 base32 characters (160 bits of SHA-256), to read aloud and compare."""
    text = base64.b32encode(hashlib.sha256(public).digest()).decode("ascii")[:32]
    return " ".join(text[i : i + 4] for i in range(0, 32, 4))


def sign(data_dir: Path, message: bytes) -> bytes:
    """A 64-byte Ed25519 signature of `message` by the folder's key."""
    return private_key(data_dir).sign(message)


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True only for a good signature by `public`; a malformed key or signature is simply not good."""
    if len(public) != PUBLIC_SIZE or len(signature) != SIGNATURE_SIZE:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _written(path: Path, what: str) -> UserError:
    return UserError(f"Không ghi được {what} vào {path}. Hãy xem thư mục còn đó và được phép ghi, rồi thử lại.")


def export_public(data_dir: Path, path: Path) -> None:
    """The public key as a standard PEM file (what the office registers; OpenSSL reads it too)."""
    pem = (
        private_key(data_dir)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    try:
        path.write_bytes(pem)
    except OSError as error:
        raise _written(path, "khóa công khai") from error


def read_public(path: Path) -> bytes:
    """The raw key from an exported PEM file, a base64 line (signing.pub) or the 32 bytes themselves."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"Không đọc được tệp khóa công khai {path}.") from error
    if len(data) == PUBLIC_SIZE:
        return data
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text)
        except ValueError:
            key = None
        if isinstance(key, Ed25519PublicKey):
            return _raw(key)
    else:
        with contextlib.suppress(binascii.Error, ValueError):
            raw = base64.b64decode(text, validate=True)
            if len(raw) == PUBLIC_SIZE:
                return raw
    raise UserError(f"Tệp {path.name} không phải khóa công khai Ed25519 của phần mềm.")


# --- the passphrase-protected backup ---


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UserError(f"Mật khẩu bảo vệ bản sao lưu khóa phải có ít nhất {MIN_PASSPHRASE} ký tự.")


def _kdf(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _header(public: bytes, salt: bytes, nonce: bytes, n: int, r: int, p: int) -> dict[str, object]:
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "key_id": key_id(public),
        "public_key": _b64(public),
        "kdf": {"name": "scrypt", "n": n, "r": r, "p": p, "salt": _b64(salt)},
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce)},
    }


def _associated(header: dict[str, object]) -> bytes:
    """Everything but the ciphertext is bound into the seal: editing the public key or the scrypt cost in
    the file breaks decryption rather than misleading the restore."""
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def export_backup(data_dir: Path, path: Path, passphrase: str) -> None:
    """The private key sealed with `passphrase`, as a small JSON file to keep on a USB stick."""
    _check_passphrase(passphrase)
    key = private_key(data_dir)
    public = _raw(key.public_key())
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = _header(public, salt, nonce, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    secret = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    sealed = AESGCM(_kdf(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(nonce, secret, _associated(header))
    document = {**header, "ciphertext": _b64(sealed)}
    try:
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise _written(path, "bản sao lưu khóa") from error


def _not_a_backup(path: Path) -> UserError:
    return UserError(f"Tệp {path.name} không phải bản sao lưu khóa ký của phần mềm.")


def read_backup(path: Path, passphrase: str) -> Ed25519PrivateKey:
    """Open a backup; a wrong passphrase and a damaged file are told apart only as far as the seal allows."""
    try:
        if path.stat().st_size > _MAX_BACKUP_BYTES:
            raise _not_a_backup(path)
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserError(f"Không đọc được tệp {path}.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _not_a_backup(path) from error
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise _not_a_backup(path)
    version = document.get("version")
    if not isinstance(version, int) or version > BACKUP_VERSION:
        raise UserError(f"Bản sao lưu khóa {path.name} do phiên bản mới hơn của phần mềm tạo; hãy cập nhật phần mềm.")
    try:
        kdf, cipher = document["kdf"], document["cipher"]
        public = base64.b64decode(document["public_key"], validate=True)
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(cipher["nonce"], validate=True)
        sealed = base64.b64decode(document["ciphertext"], validate=True)
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf["name"] != "scrypt" or cipher["name"] != "AES-256-GCM" or n > 2**20 or r > 16 or p > 4:
            raise _not_a_backup(path)
        header = _header(public, salt, nonce, n, r, p)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise _not_a_backup(path) from error
    try:
        secret = AESGCM(_kdf(passphrase, salt, n, r, p)).decrypt(nonce, sealed, _associated(header))
    except InvalidTag as error:
        raise UserError("Mật khẩu không đúng (hoặc tệp sao lưu khóa đã bị sửa). Khóa hiện tại giữ nguyên.") from error
    key = Ed25519PrivateKey.from_private_bytes(secret)
    if _raw(key.public_key()) != public:
        raise _not_a_backup(path)
    return key


def restore_backup(data_dir: Path, path: Path, passphrase: str, replace: bool = False) -> bytes:
    """Install the key of a backup in this folder and return its public key.

    A folder that already has a different key keeps it unless `replace`: packages already sent were signed
    with it and the office has it registered. A replaced key is kept beside (`signing.key.<key id>.old`),
    never deleted.
    """
    key = read_backup(path, passphrase)
    public = _raw(key.public_key())
    if has_key(data_dir):
        current = public_raw(data_dir)
        if current == public:
            return public
        if not replace:
            raise DifferentKey(current, public)
        os.replace(private_path(data_dir), archived_path(data_dir, current))
    _install(data_dir, key)
    return public
