"""
Makes Debian's python3-virtualsmartcard (vicc) importable and fixes its Python 3 bugs that sit in
module-level helpers. Import this before any `virtualsmartcard` module.

Why each step:
- Debian installs vicc under /usr/lib/python3/site-packages/virtualsmartcard, which is not on
  /usr/bin/python3's sys.path.
- vicc imports PyCrypto as `Crypto`; Debian's python3-pycryptodome installs the same API as
  `Cryptodome` (without it vicc's CryptoUtils falls back to `import sha`, which Python 3 lacks).
- TLVutils.pack ends with b"".join(bytes) (joins ints: TypeError) and writes length 0x7F in long
  form; CryptoUtils.operation_on_string (the BAC key-seed XOR) calls ord() on bytes.
"""
import importlib
import os
import sys

VICC_SITE_DIR = os.environ.get('VICC_SITE_DIR', '/usr/lib/python3/site-packages/virtualsmartcard')


class ViccMissing(RuntimeError):
    """vicc or one of its dependencies is not installed; the message names the Debian package."""


def _alias_pycryptodome():
    try:
        importlib.import_module('Crypto.Cipher.DES3')
        return
    except ImportError:
        pass
    try:
        names = ['', '.Cipher', '.Cipher.DES3', '.Cipher.DES', '.Cipher.AES', '.Cipher.ARC4',
                 '.Hash', '.Hash.HMAC', '.Hash.SHA1', '.Hash.SHA', '.Hash.MD5']
        for n in names:
            sys.modules['Crypto' + n] = importlib.import_module('Cryptodome' + n)
    except ImportError as e:
        raise ViccMissing('python3-pycryptodome is not installed (vicc needs DES/3DES): %s' % e)


def _tlv_pack(tlv_data, recalculate_length=False):
    """BER-TLV encoder with the same input shape as vicc's TLVutils.pack, returning bytes."""
    out = bytearray()
    for item in tlv_data:
        tag, length, value = item[:3]
        if tag in (0x00, 0xFF):  # filler bytes, as in vicc
            out.append(tag)
            continue
        if not isinstance(value, (bytes, bytearray)):
            value = _tlv_pack(value, recalculate_length)
        if recalculate_length:
            length = len(value)
        out += tag.to_bytes((tag.bit_length() + 7) // 8 or 1, 'big')
        if length < 0x80:
            out.append(length)
        else:
            n = (length.bit_length() + 7) // 8
            out += bytes([0x80 | n]) + length.to_bytes(n, 'big')
        out += value
    return bytes(out)


def _xor_bytes(a, b, op=None):
    """Replacement for CryptoUtils.operation_on_string that works on bytes (BAC KSseed = K.IFD xor K.IC)."""
    if len(a) != len(b):
        raise ValueError('operands must be of equal length')
    op = op or (lambda x, y: x ^ y)
    return bytes(op(x, y) for x, y in zip(a, b))


_loaded = False


def load_vicc():
    """Puts vicc on sys.path, aliases pycryptodome and applies the helper fixes (idempotent)."""
    global _loaded
    if _loaded:
        return
    if not os.path.isdir(os.path.join(VICC_SITE_DIR, 'virtualsmartcard')):
        raise ViccMissing('python3-virtualsmartcard is not installed (no %s/virtualsmartcard)' % VICC_SITE_DIR)
    if VICC_SITE_DIR not in sys.path:
        sys.path.insert(0, VICC_SITE_DIR)
    _alias_pycryptodome()
    import virtualsmartcard.TLVutils as tlv
    import virtualsmartcard.SEutils as se
    import virtualsmartcard.CryptoUtils as crypto
    tlv.pack = _tlv_pack
    tlv.bertlv_pack = _tlv_pack
    se.pack = _tlv_pack
    se.bertlv_pack = _tlv_pack
    crypto.operation_on_string = _xor_bytes
    _loaded = True
