import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeResponse } from '../../app/core/icao/apdu.ts';
import { chipAuthPlan, cloneVerdict, performChipAuthentication } from '../../app/core/icao/chip-auth.ts';
import { fromHex, hex } from '../../app/core/icao/crypto.ts';
import { mrzInformation } from '../../app/core/icao/mrz.ts';
import { dataGroupsOf, verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { bytesToBigInt } from '../../app/core/icao/pace-groups.ts';
import { readChip } from '../../app/core/icao/reader.ts';
import { SecureChannel, SecureMessaging, type SmKeys } from '../../app/core/icao/secure-messaging.ts';
import type { CardTransport } from '../../app/core/icao/transport.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';

/**
 * Recorded CA sessions with real passports, from gmrtd's chip-authentication tests (Austrian: AES-128
 * with key ID C3; Malaysian: 3DES): exact protected MSE:Set AT and GENERAL AUTHENTICATE APDUs, the
 * chip's answers, and the session keys CA must end with.
 */
const VECTORS = [
  {
    name: 'AES-128, brainpoolP256r1 explicit, key ID C3',
    dg14: '6E82019A31820196300D060804007F00070202020201013012060A04007F0007020204020202010202010D3012060A04007F0007020204060202010202010D3013060A04007F00070202030202020101020200C330820146060904007F000702020102308201333081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7020101034200047036BC5D0BCF31913B59103BB6F2C0C98C99EF4C19B9517340B76BFE4EE2194C76C3F3314E021D4B092DB5A32AB7D6E297F2FBEAE45AA28DEFC4DA750FEAD54E020200C3',
    sm: { alg: 'AES-128', kEnc: 'CC86415F2ED7E8FD663B754265695AE1', kMac: '581E84B8EE06C4D3EEE30461498D7FB3', ssc: '000000000000000000000000000000BA' },
    ephemeral: '84A5145885678EE9307C28C52736896267511203B7B8009C5FE27ABCBAECDCAA',
    exchanges: [
      ['0C2241A41D871101980953D37F67558690045D78A853B18A8E08929767A2CEF172E200', '990290008E08FC873EBB62219C8A9000'],
      ['0C8600006087510161912C367A6322D24AA1D4522DC47A7345369257672DF1D1163D506EB6489395D8083FAD393A394297CE8703C42F22C864C1F4C8E70EE1CF9B497ACF6579190D90F36CF9E16FE2149FF57247285D9E1E9701008E08A1D7A16EFBFD932C00', '87110123E7159AC9B0EF92CE1F6755B89697E3990290008E088972F1595E1508C29000'],
    ],
    after: { alg: 'AES-128', kEnc: 'AF0EEDB52E87B945FC5503B1C6875C1C', kMac: 'CEB85BEDCECFF1DD1E25DFB672C4A5BF' },
  },
  {
    name: '3DES, brainpoolP256r1 explicit, no key ID',
    dg14: '6E82016A3182016630820142060904007F000702020102308201333081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A702010103420004A04F85AFDFC316FB5E9F33F94CA45837D20D9D91AD5002307C3F124B6EF5B92565D018A6B7F69DB73976BFBB4278757405C64E96104D161649E8A94078EAEFCE300F060A04007F00070202030201020101300D060804007F0007020202020101',
    sm: { alg: 'DESede', kEnc: '896de34a942c7076fec207207acb79c2', kMac: 'd6c47ff4677ac8ae91cb49f4ce673432', ssc: '9646c154bfb7be79' },
    ephemeral: '3a31f4e18418312fcb40f3efbe719182c046a9719e1ed8c376197aa9e8ed7465',
    exchanges: [
      ['0C2241A41D8711019D1E70C6F5EE06A7CA1E98FBF5C945C98E087AC379DC78702E6300', '990290008E08643C2C3AC66585E49000'],
      ['0C86000058874901A9C6BF370C62AA43CA1EC9B97071727654822361DEB8BA4E5719AA05D8E86AA36164DFA5E506DBF60DC7418858179FD25DAC5E9E49393DDE37E29652444941B562142AB5F19AEA919701008E085083316637060C4D00', '87090108166157B375BC1E990290008E08FF8A254C50179F519000'],
    ],
    after: { alg: 'DESede', kEnc: '75b95468910849cdf1a1a2ae5452ce9b', kMac: 'cd0bef85d5a82a7ae0fbc12368a41fef' },
  },
] as const;

describe('Chip Authentication against recorded sessions (gmrtd vectors)', () => {
  for (const v of VECTORS) {
    it(v.name, async () => {
      const keys = (k: { alg: string; kEnc: string; kMac: string }): SmKeys => ({ alg: k.alg as SmKeys['alg'], kEnc: fromHex(k.kEnc), kMac: fromHex(k.kMac) });
      const script: string[][] = v.exchanges.map((e) => [...e]);
      const chipAfter = new SecureMessaging(keys(v.after), new Uint8Array(v.after.alg === 'DESede' ? 8 : 16));
      const sent: string[] = [];
      const transport: CardTransport = {
        capabilities: { extendedLength: false, maxResponseLength: 258, interface: 'virtual' },
        close: async () => undefined,
        transmit: async (apdu) => {
          sent.push(hex(apdu));
          const next = script.shift();
          if (next) return fromHex(next[1]!);
          // The confirmation command under the new keys: the chip side opens it (our MAC must verify).
          const plain = chipAfter.openCommand(decodeCommand(apdu));
          expect(plain.ins).toBe(0xa4);
          return encodeResponse(chipAfter.protectResponse({ data: new Uint8Array(0), sw: 0x9000 }));
        },
      };
      const channel = new SecureChannel(transport, new SecureMessaging(keys(v.sm), fromHex(v.sm.ssc)));
      const plan = chipAuthPlan(fromHex(v.dg14))!;
      const next = await performChipAuthentication(channel, plan, { ephemeral: bytesToBigInt(fromHex(v.ephemeral)) }) as SecureChannel;
      expect(sent.slice(0, 2)).toEqual(v.exchanges.map((e) => e[0]));
      expect(hex(next.sm.keys.kEnc)).toBe(v.after.kEnc.toUpperCase());
      expect(hex(next.sm.keys.kMac)).toBe(v.after.kMac.toUpperCase());
      expect(hex(next.sm.ssc)).toBe(v.after.alg === 'DESede' ? '0000000000000002' : '00000000000000000000000000000002');
    });
  }
});

describe('clone verdict', () => {
  it('combines CA and AA outcomes', () => {
    expect(cloneVerdict('passed', 'not-offered').verdict).toBe('CHIP_GENUINE');
    expect(cloneVerdict('not-offered', 'passed').verdict).toBe('CHIP_GENUINE');
    expect(cloneVerdict('passed', 'failed').verdict).toBe('CHIP_CLONE_SUSPECTED');
    expect(cloneVerdict('failed', 'not-offered').verdict).toBe('CHIP_CLONE_SUSPECTED');
    expect(cloneVerdict('not-offered', 'not-offered').verdict).toBe('CHIP_NOT_CHECKED');
  });
});

async function readPersona(persona: string, cloned = false) {
  const { chip, card } = await personaChip(persona, { behaviour: { cloned } });
  const reader = new VirtualCardReader();
  reader.insert(chip);
  const transport = await reader.connect(reader.name);
  const access = card.can ? { kind: 'can', can: card.can } as const : { kind: 'mrz', mrzInformation: mrzInformation(card.bacKey) } as const;
  return { card, r: await readChip(transport, { access }) };
}

describe('CA and AA end to end against the virtual chip', () => {
  it('a genuine CCCD (CA brainpoolP256r1, AA RSA): CHIP_GENUINE, data read under the CA keys', async () => {
    const { card, r } = await readPersona('nguyen-van-an');
    expect(r.chipAuthenticity).toEqual({ verdict: 'CHIP_GENUINE', chipAuthentication: 'passed', activeAuthentication: 'passed', reasons: [] });
    for (const [n, bytes] of card.dataGroups) expect(hex(r.files.get(`DG${n}`)!)).toBe(hex(bytes));
    // EF.SOD first (it says which checks must run), then DG14 and CA, then the rest under CA keys.
    expect(r.perFile.map((f) => f.name).slice(0, 4)).toEqual(['EF.COM', 'EF.SOD', 'DG14', 'DG1']);
  });

  it('a cloned chip (valid SOD, wrong CA/AA keys): CHIP_CLONE_SUSPECTED while PA still says PA_OK', async () => {
    const { card, r } = await readPersona('nguyen-van-an', true);
    expect(r.chipAuthenticity.verdict).toBe('CHIP_CLONE_SUSPECTED');
    expect(r.chipAuthenticity.chipAuthentication).toBe('failed');
    expect(r.chipAuthenticity.activeAuthentication).toBe('failed');
    expect(r.chipAuthenticity.reasons).toEqual(['CA_KEY_MISMATCH', 'AA_SIGNATURE_INVALID']);
    const pa = verifyPassive({ sod: r.files.get('EF.SOD')!, dataGroups: dataGroupsOf(r.files), trust: card.trust, now: new Date(Date.UTC(2026, 0, 1)) });
    expect(pa.verdict).toBe('PA_OK');
  });

  it('a chip offering neither: CHIP_NOT_CHECKED; a passport with EC AA only: CHIP_GENUINE', async () => {
    expect((await readPersona('tran-thi-bich-ngoc')).r.chipAuthenticity.verdict).toBe('CHIP_NOT_CHECKED');
    const passport = await readPersona('le-minh-chau-passport');
    expect(passport.r.chipAuthenticity).toMatchObject({ verdict: 'CHIP_GENUINE', chipAuthentication: 'not-offered', activeAuthentication: 'passed' });
    expect((await readPersona('le-minh-chau-passport', true)).r.chipAuthenticity.verdict).toBe('CHIP_CLONE_SUSPECTED');
  });
});
