"""MS-OVBA §2.4.1 compression ("CompressedContainer") of VBA source and the dir stream.

Written here because the compressor of PyPI ``ms-ovba-compression`` 1.0.1 (which ``ms-ovba``
uses) produces containers that neither its own decompressor nor oletools' ``olevba`` read back
correctly for inputs of about 1000 bytes and more (``tests/test_xlam.py`` checks that this one
round-trips through oletools).  Greedy longest match inside each 4096-byte chunk, as the
specification's pseudocode does (§2.4.1.3.7 "Matching").
"""

from __future__ import annotations

import struct

CHUNK = 4096
MAX_CANDIDATES = 64


def _bit_count(position: int) -> int:
    """§2.4.1.3.19.1 CopyToken Help: bits of the offset for ``position`` bytes into a chunk."""
    return max(4, (position - 1).bit_length())


def compress_chunk(chunk: bytes) -> bytes:
    """The CompressedChunkData of one chunk (at most 4096 bytes)."""
    n = len(chunk)
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = 0

    def remember(p: int) -> None:
        if p + 3 <= n:
            seen.setdefault(chunk[p : p + 3], []).append(p)

    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bits = _bit_count(pos) if pos else 4
            max_length = (0xFFFF >> bits) + 3
            best_len, best_at = 0, 0
            for cand in reversed(seen.get(chunk[pos : pos + 3], [])[-MAX_CANDIDATES:]):
                length = 0
                while (
                    length < max_length
                    and pos + length < n
                    and (chunk[cand + length] == chunk[pos + length])
                ):
                    length += 1
                if length > best_len:
                    best_len, best_at = length, cand
                    if length == max_length:
                        break
            if best_len >= 3:
                offset = pos - best_at
                token = ((offset - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                for p in range(pos, pos + best_len):
                    remember(p)
                pos += best_len
            else:
                out.append(chunk[pos])
                remember(pos)
                pos += 1
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature 0x01, then one chunk per 4096 bytes of ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        body = compress_chunk(chunk)
        if len(body) + 2 <= 4098:
            header = (len(body) + 2 - 3) | (0b011 << 12) | 0x8000
        else:  # incompressible: a raw chunk is always 4096 bytes (§2.4.1.3.10)
            body = chunk.ljust(CHUNK, b"\x00")
            header = (CHUNK + 2 - 3) | (0b011 << 12)
        out += struct.pack("<H", header) + body
    return bytes(out)


class Compressor:
    """Drop-in for ``ms_ovba_compression.ms_ovba.MsOvba`` (its ``compress`` only)."""

    def __init__(self, endian: str = "little") -> None:
        self._endian = endian

    def compress(self, data: bytes) -> bytes:
        return compress(bytes(data))
