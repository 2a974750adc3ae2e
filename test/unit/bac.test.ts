import { describe, expect, it } from 'vitest';
import { encodeCommand, type CommandApdu, type ResponseApdu } from '../../app/core/icao/apdu.ts';
import { BacError, bacKeys, openCryptogram, performBac } from '../../app/core/icao/bac.ts';
import { fromHex, hex } from '../../app/core/icao/crypto.ts';

// ICAO 9303-11 Appendix D.3, reference §3.2.
const MRZ_INFO = 'L898902C<369080619406236';
const RND_IC = fromHex('4608F91988702212');
const RND_IFD = fromHex('781723860C06C226');
const K_IFD = fromHex('0B795240CB7049B01C19B33E32804F0B');
const EXT_AUTH = '008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728';
const CARD_ANSWER = fromHex('46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449');

function scriptedCard(answer: ResponseApdu) {
  const sent: string[] = [];
  const send = async (cmd: CommandApdu): Promise<ResponseApdu> => {
    sent.push(hex(encodeCommand(cmd)));
    if (cmd.ins === 0x84) return { data: RND_IC, sw: 0x9000 };
    return answer;
  };
  const random = (n: number) => (n === 8 ? RND_IFD : K_IFD);
  return { sent, send, random };
}

describe('BAC, Appendix D', () => {
  it('derives the document basic access keys', () => {
    const k = bacKeys(MRZ_INFO);
    expect(hex(k.kEnc)).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
    expect(hex(k.kMac)).toBe('7962D9ECE03D1ACD4C76089DCE131543');
  });

  it('sends GET CHALLENGE and the exact EXTERNAL AUTHENTICATE, then derives session keys and SSC', async () => {
    const card = scriptedCard({ data: CARD_ANSWER, sw: 0x9000 });
    const sm = await performBac(card.send, MRZ_INFO, card.random);
    expect(card.sent).toEqual(['0084000008', EXT_AUTH]);
    expect(hex(sm.keys.kEnc)).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
    expect(hex(sm.keys.kMac)).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8');
    expect(hex(sm.ssc)).toBe('887022120C06C226');
  });

  it('decrypts the card answer to RND.IC ‖ RND.IFD ‖ K.IC', () => {
    const r = openCryptogram(bacKeys(MRZ_INFO), CARD_ANSWER);
    expect(hex(r)).toBe('4608F91988702212781723860C06C2260B4F80323EB3191CB04970CB4052790B');
  });

  it('a wrong MRZ refused by the card is ACCESS_DENIED_WRONG_KEY', async () => {
    const card = scriptedCard({ data: new Uint8Array(0), sw: 0x6300 });
    await expect(performBac(card.send, MRZ_INFO, card.random)).rejects.toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY' });
  });

  it('a tampered card answer fails its MAC', async () => {
    const bad = CARD_ANSWER.slice();
    bad[5]! ^= 0x40;
    const card = scriptedCard({ data: bad, sw: 0x9000 });
    await expect(performBac(card.send, MRZ_INFO, card.random)).rejects.toMatchObject({ code: 'BAC_RESPONSE_INVALID' });
  });

  it('an answer for other nonces is refused', async () => {
    const card = scriptedCard({ data: CARD_ANSWER, sw: 0x9000 });
    const otherIfd = fromHex('0000000000000001');
    await expect(performBac(card.send, MRZ_INFO, (n) => (n === 8 ? otherIfd : K_IFD))).rejects.toBeInstanceOf(BacError);
  });

  it('rejects MRZ information that cannot be a key', () => {
    expect(() => bacKeys('abc')).toThrow(BacError);
  });
});
