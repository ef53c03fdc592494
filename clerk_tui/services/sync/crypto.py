"""The cryptography of sync, all from libsodium (PyNaCl); nothing of our own.

- **Signatures**: Ed25519 (`nacl.signing`), the scheme of signify/minisign. A station signs
  each bundle's manifest; the centre signs receipts and the files it sends back.
- **Encryption to the centre**: each bundle gets a fresh random key; its data members are
  compressed (zlib: ciphertext does not compress, so it is done first) and encrypted with it by libsodium's `secretstream` (XChaCha20-Poly1305, chunked, with a
  final tag, so a cut-off member is detected), and the key itself is sealed to the
  centre's X25519 public key with a sealed box (`nacl.public.SealedBox`): only the holder
  of the centre's private key can open it, as with ODK Central's encrypted forms.
- **Fingerprints**: the first 80 bits of SHA-256 of a public key, in 16 letters and
  digits a person reads over the phone without confusing them (no 0/O, 1/I/L, U).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator

import nacl.bindings as sodium
import nacl.exceptions
import nacl.public
import nacl.signing

CHUNK = 64 * 1024  # plaintext bytes per encrypted chunk
SEALED_CHUNK = CHUNK + sodium.crypto_secretstream_xchacha20poly1305_ABYTES
HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
SCHEME = "x25519-sealedbox+zlib+xchacha20poly1305-secretstream"
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols; 16 of them carry 78 bits


class CryptoError(Exception):
    """A signature that does not verify, a key that does not fit, data altered or cut."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise CryptoError("not base64 text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoError("not base64") from exc
    if size is not None and len(data) != size:
        raise CryptoError(f"{len(data)} bytes, {size} expected")
    return data


def fingerprint(public_key: bytes) -> str:
    """`K7Q2-9MXD-RT4H-3PZB`: what two people compare over the phone."""
    number = int.from_bytes(hashlib.sha256(public_key).digest()[:10], "big")
    letters = []
    for _ in range(16):
        number, digit = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[digit])
    text = "".join(letters)
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


# --- signatures ----------------------------------------------------------------------


def new_signing_key() -> bytes:
    """A new Ed25519 private key (its 32-byte seed)."""
    return bytes(nacl.signing.SigningKey.generate())


def public_signing_key(secret: bytes) -> bytes:
    return bytes(nacl.signing.SigningKey(secret).verify_key)


def sign(secret: bytes, message: bytes) -> bytes:
    return nacl.signing.SigningKey(secret).sign(message).signature


def verify(public_key: bytes, message: bytes, signature: bytes) -> None:
    """Raises `CryptoError` unless `signature` is the key's signature of `message`."""
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError) as exc:
        raise CryptoError("bad signature") from exc


# --- encryption to the centre ----------------------------------------------------------


def new_box_key() -> bytes:
    """A new X25519 private key."""
    return bytes(nacl.public.PrivateKey.generate())


def public_box_key(secret: bytes) -> bytes:
    return bytes(nacl.public.PrivateKey(secret).public_key)


def new_data_key() -> bytes:
    return sodium.crypto_secretstream_xchacha20poly1305_keygen()


def seal_key(recipient_public: bytes, data_key: bytes) -> bytes:
    return nacl.public.SealedBox(nacl.public.PublicKey(recipient_public)).encrypt(data_key)


def open_key(recipient_secret: bytes, sealed: bytes) -> bytes:
    try:
        return nacl.public.SealedBox(nacl.public.PrivateKey(recipient_secret)).decrypt(sealed)
    except (nacl.exceptions.CryptoError, nacl.exceptions.ValueError, nacl.exceptions.TypeError) as exc:
        raise CryptoError("the bundle's key does not open with this centre's key") from exc


def encrypt_stream(data_key: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The header, then each `CHUNK` of plaintext sealed; the last one carries the final tag."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    yield sodium.crypto_secretstream_xchacha20poly1305_init_push(state, data_key)
    pending = b""
    for chunk in chunks:
        pending += chunk
        while len(pending) > CHUNK:  # keep at least one byte back: the final chunk needs its tag
            piece, pending = pending[:CHUNK], pending[CHUNK:]
            yield sodium.crypto_secretstream_xchacha20poly1305_push(state, piece, None, _TAG_MESSAGE)
    yield sodium.crypto_secretstream_xchacha20poly1305_push(state, pending, None, _TAG_FINAL)


def decrypt_stream(data_key: bytes, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The plaintext of `encrypt_stream`'s output; `CryptoError` if altered or cut short."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    buffer = b""
    started = finished = False
    try:
        for chunk in chunks:
            buffer += chunk
            if not started:
                if len(buffer) < HEADER:
                    continue
                sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, buffer[:HEADER], data_key)
                buffer, started = buffer[HEADER:], True
            while len(buffer) > SEALED_CHUNK:  # more follows: this one is a whole chunk
                piece, buffer = buffer[:SEALED_CHUNK], buffer[SEALED_CHUNK:]
                if finished:
                    raise CryptoError("data after the final chunk")
                plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, piece, None)
                finished = tag == _TAG_FINAL
                yield plain
        if not started:
            raise CryptoError("no header")
        if buffer:
            if finished:
                raise CryptoError("data after the final chunk")
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, buffer, None)
            finished = tag == _TAG_FINAL
            yield plain
    except (nacl.exceptions.RuntimeError, nacl.exceptions.ValueError, nacl.exceptions.CryptoError) as exc:
        raise CryptoError("altered") from exc
    if not finished:
        raise CryptoError("cut short")
