"""
An ICAO 9303 eMRTD (passport TD3, CCCD TD1, TD2) on top of vicc's ePass classes, with BAC and
3DES secure messaging that interoperate with a real inspection system.

vicc classes used and what is fixed (details in test/interop/README.md):
- ePass_SE (cards/ePass.py)       -> IcaoSecureMessagingSE: SSC always 8 bytes in the MAC input;
                                      command unwrapping and response wrapping rewritten for bytes
                                      (DO'87/'97/'8E in, DO'87/'99/'8E out, MAC on every response).
- PassportSAM (cards/ePass.py)     -> IcaoBacSAM: key seed from the MRZ of any format (vicc reads a
                                      TD3 MRZ from DG1 through a str path); one BAC try per challenge;
                                      wrong key answers 6300; a failed SM command ends the session.
- Iso7816OS (VirtualSmartcard.py)  -> IcaoCardOS: unexpected exceptions answer 6F00 instead of killing
                                      the emulator; power-up/reset drop the SM session.
- MF / DF / TransparentStructureEF -> used as they are, filled from a directory of LDS files.
"""
import hashlib
import hmac
import logging
import os
import re

from vicc_env import load_vicc

load_vicc()

from virtualsmartcard.SmartcardFilesystem import MF, DF, TransparentStructureEF  # noqa: E402
from virtualsmartcard.SmartcardSAM import SAM  # noqa: E402
from virtualsmartcard.SWutils import SwError, SW  # noqa: E402
from virtualsmartcard.TLVutils import unpack, pack  # noqa: E402
from virtualsmartcard.VirtualSmartcard import Iso7816OS  # noqa: E402
from virtualsmartcard.cards.ePass import ePass_SE, PassportSAM  # noqa: E402
from virtualsmartcard.utils import C_APDU  # noqa: E402
from virtualsmartcard.ConstantDefinitions import MAX_EXTENDED_LE  # noqa: E402
import virtualsmartcard.CryptoUtils as vsCrypto  # noqa: E402

EMRTD_AID = bytes.fromhex('A0000002471001')
EF_CARD_ACCESS = 0x011C
AUTH_FAILED = 0x6300  # what ICAO chips answer to EXTERNAL AUTHENTICATE with a wrong key


def _pad(data):
    return vsCrypto.append_padding(8, data)


def _unpad(data):
    i = data.rstrip(b'\x00')
    if not i.endswith(b'\x80'):
        raise SwError(SW['ERR_SECMESSOBJECTSINCORRECT'])
    return i[:-1]


class IcaoSecureMessagingSE(ePass_SE):
    """3DES secure messaging of ICAO 9303-11 §9.8 (BAC session)."""

    #: Negative control for tests: use vicc's own SSC handling to show the bug is real.
    stock_ssc = False

    def compute_cryptographic_checksum(self, p1, p2, data):
        # vicc prepends inttostring(ssc), which drops leading zero bytes: whenever RND.IC[4] is 0
        # (1 session in 256) the MAC input is 7 bytes short and every command fails.
        if self.stock_ssc:
            return ePass_SE.compute_cryptographic_checksum(self, p1, p2, data)
        if p1 != 0x8E or p2 != 0x80:
            raise SwError(SW['ERR_INCORRECTP1P2'])
        self.ssc = (self.ssc + 1) % (1 << 64)
        return vsCrypto.crypto_checksum('CC', self.cct.key, self.ssc.to_bytes(8, 'big') + data)

    def parse_SM_CAPDU(self, capdu, authenticate_header):
        if self.cct.key is None or self.ct.key is None:
            raise SwError(SW['ERR_SECMESSNOTSUPPORTED'])
        header = bytes([capdu.cla, capdu.ins, capdu.p1, capdu.p2])
        mac_input = _pad(header)
        plain, le, mac = b'', None, None
        for tag, length, value in unpack(capdu.data):
            if tag == 0x8E:
                mac = value
                continue
            if tag & 1:  # odd tags are covered by the MAC
                mac_input += pack([(tag, length, value)])
            if tag == 0x87:
                if value[:1] != b'\x01':
                    raise SwError(SW['ERR_SECMESSOBJECTSINCORRECT'])
                plain = _unpad(vsCrypto.decrypt('DES3-CBC', self.ct.key, value[1:]))
            elif tag == 0x85:  # odd INS: data is BER-TLV, no padding-content indicator
                plain = _unpad(vsCrypto.decrypt('DES3-CBC', self.ct.key, value))
            elif tag == 0x97:
                n = int.from_bytes(value, 'big')
                le = n if n else (MAX_EXTENDED_LE if len(value) > 1 else 0)
            else:
                raise SwError(SW['ERR_SECMESSOBJECTSINCORRECT'])
        if mac is None:
            raise SwError(SW['ERR_SECMESSOBJECTSMISSING'])
        expected = self.compute_cryptographic_checksum(0x8E, 0x80, _pad(mac_input))
        if not hmac.compare_digest(expected, mac):
            raise SwError(SW['ERR_SECMESSOBJECTSINCORRECT'])
        return C_APDU(cla=capdu.cla & ~0x0C, ins=capdu.ins, p1=capdu.p1, p2=capdu.p2, le=le, data=plain)

    def protect_response(self, sw, result):
        body = b''
        if result:
            cryptogram = b'\x01' + vsCrypto.encrypt('DES3-CBC', self.ct.key, _pad(result))
            body += pack([(0x87, len(cryptogram), cryptogram)])
        body += pack([(0x99, 2, sw.to_bytes(2, 'big'))])
        mac = self.compute_cryptographic_checksum(0x8E, 0x80, _pad(body))
        return sw, body + pack([(0x8E, len(mac), mac)])


def mrz_information(mrz):
    """MRZ_information (document number + check, DOB + check, DOE + check) of a TD1, TD2 or TD3 MRZ."""
    lines = [l for l in re.split(r'\s+', mrz.strip()) if l]
    if len(lines) == 1 and len(lines[0]) in (90, 72, 88):
        width = {90: 30, 72: 36, 88: 44}[len(lines[0])]
        lines = [lines[0][i:i + width] for i in range(0, len(lines[0]), width)]
    widths = [len(l) for l in lines]
    if widths == [30, 30, 30]:  # TD1 (CCCD): number in line 1, dates in line 2
        number, check, optional = lines[0][5:14], lines[0][14], lines[0][15:30]
        dates = lines[1]
        dob, doe = dates[0:7], dates[8:15]
    elif widths in ([36, 36], [44, 44]):
        l2 = lines[1]
        number, check, optional = l2[0:9], l2[9], (l2[28:35] if widths == [36, 36] else '')
        dob, doe = l2[13:20], l2[21:28]
    else:
        raise ValueError('MRZ must be TD1 (3x30), TD2 (2x36) or TD3 (2x44), got line widths %s' % widths)
    if check == '<' and optional:  # long document number: rest + check digit in the optional data
        rest = optional.split('<', 1)[0]
        number, check = number + rest[:-1], rest[-1:]
    return (number + check + dob + doe).encode('ascii')


class IcaoBacSAM(PassportSAM):
    """BAC with the key derived from the card's printed MRZ (any format)."""

    def __init__(self, mf, mrz, fixed_challenge=None):
        # PassportSAM.__init__ reads a TD3 MRZ out of DG1 via a str path; we derive from the MRZ.
        SAM.__init__(self, None, None, mf, default_se=IcaoSecureMessagingSE)
        self.KSeed = hashlib.sha1(mrz_information(mrz)).digest()[:16]
        self.KEnc = self.derive_key(self.KSeed, 1)
        self.KMac = self.derive_key(self.KSeed, 2)
        self.fixed_challenge = fixed_challenge

    def end_session(self):
        self.current_SE = self.default_se(self.mf, self)
        self.last_challenge = None

    def get_challenge(self, p1, p2, data):
        sw, challenge = SAM.get_challenge(self, p1, p2, data)
        if self.fixed_challenge is not None:  # test hook: e.g. RND.IC[4] = 0 gives an SSC with a leading zero byte
            self.last_challenge = challenge = self.fixed_challenge
        return sw, challenge

    def external_authenticate(self, p1, p2, data):
        if self.last_challenge is None:
            raise SwError(SW['ERR_CONDITIONNOTSATISFIED'])
        if len(data) != 40:
            raise SwError(SW['ERR_WRONGLENGTH'])
        self.current_SE = self.default_se(self.mf, self)  # a new BAC replaces any old session
        try:
            return PassportSAM.external_authenticate(self, p1, p2, data)
        except SwError as e:
            if e.sw == SW['ERR_SECMESSOBJECTSINCORRECT']:  # vicc's answer to a wrong MAC
                raise SwError(AUTH_FAILED)
            raise
        finally:
            self.last_challenge = None  # one attempt per challenge

    def parse_SM_CAPDU(self, capdu, header_authentication):
        try:
            return self.current_SE.parse_SM_CAPDU(capdu, header_authentication)
        except Exception as e:
            # ICAO: an SM error ends the session; the terminal must authenticate again.
            sw = e.sw if isinstance(e, SwError) else SW['ERR_SECMESSOBJECTSINCORRECT']
            self.end_session()
            raise SwError(sw)


class IcaoCardOS(Iso7816OS):
    def execute(self, msg):
        try:
            return Iso7816OS.execute(self, msg)
        except Exception:
            logging.exception('emulator error')  # stock vicc would die here and drop the card
            return b'\x6f\x00'

    def powerUp(self):
        Iso7816OS.powerUp(self)
        self.SAM.end_session()

    def reset(self):
        Iso7816OS.reset(self)
        self.SAM.end_session()


def _sfi(fid):
    low = fid & 0xFF
    return low if (fid >> 8) == 0x01 and 1 <= low <= 30 else 0


def load_lds_card(directory, extended_length=True, fixed_challenge=None):
    """
    Builds the card from `directory`: mrz.txt (the printed MRZ, lines separated by newlines) and one
    <FID>.bin per file (e.g. 011E.bin = EF.COM, 011D.bin = EF.SOD, 0101.bin = DG1). EF.CardAccess
    (011C) goes in the MF, every other file in the eMRTD application. Files are selectable by FID
    and readable by SFI.
    """
    with open(os.path.join(directory, 'mrz.txt'), encoding='ascii') as f:
        mrz = f.read()
    mf = MF()
    app = DF(parent=mf, fid=0x0004, dfname=EMRTD_AID)
    names = sorted(n for n in os.listdir(directory) if re.fullmatch(r'[0-9A-Fa-f]{4}\.bin', n))
    if not names:
        raise ValueError('no <FID>.bin files in %s' % directory)
    for name in names:
        fid = int(name[:4], 16)
        with open(os.path.join(directory, name), 'rb') as f:
            data = f.read()
        parent = mf if fid == EF_CARD_ACCESS else app
        parent.append(TransparentStructureEF(parent=parent, fid=fid, shortfid=_sfi(fid), data=data))
    mf.append(app)
    sam = IcaoBacSAM(mf, mrz, fixed_challenge)
    return IcaoCardOS(mf, sam, extended_length=extended_length)
