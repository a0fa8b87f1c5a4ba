"""Independent reference implementations the engine is tested against (not engine code)."""

from __future__ import annotations

from fractions import Fraction


def exact_erlang_c(c: int, a: Fraction) -> Fraction:
    """Erlang C from its textbook sum, in exact rationals (no recursion shared with the engine)."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(c):
        total += term
        term = term * a / (k + 1)
    tail = term * Fraction(c) / (c - a)  # a^c/c! · c/(c−a)
    return tail / (total + tail)


def totp_code(secret_b32: str, at: float, *, digits: int = 6, step: int = 30) -> str:
    """RFC 6238's TOTP with HMAC-SHA1, written from the RFC (section 4 and RFC 4226 section
    5.3) with the standard library only, not with pyotp, which the studio uses."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)
