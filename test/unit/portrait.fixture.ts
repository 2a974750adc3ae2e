/**
 * A portrait as the platform receives it: inside a DG2 that a test Document Signer signed, passed
 * through passive authentication and `verifiedPortrait`, the only door to the image decoders.
 * `signer: 'forger'` signs with a DSC nobody trusts (a forger's own), which still yields a
 * verified portrait: the hash matches what that signature covers.
 */
import { parseDg2, buildDg2, type ImageFormat } from '../../app/core/icao/lds/dg2.ts';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { verifiedPortrait, type VerifiedPortrait } from '../../app/core/icao/portrait.ts';
import { sodSignedBy } from '../../app/sim/pki/forgeries.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';

export function signedPortrait(format: ImageFormat, image: Uint8Array, o: { signer?: 'test-dsc' | 'forger'; alteredAfterSigning?: boolean } = {}): VerifiedPortrait | undefined {
  const pki = getTestPki('ecdsa-p256');
  const dg2 = buildDg2({ format, width: 0, height: 0, image });
  const sod = sodSignedBy(pki, new Map([[2, dg2]]), o.signer === 'forger' ? pki.rogueDsc : pki.dsc);
  const read = o.alteredAfterSigning ? buildDg2({ format, width: 0, height: 0, image: Uint8Array.of(...image, 0) }) : dg2;
  const passiveAuth = verifyPassive({ sod, dataGroups: new Map([[2, read]]), trust: { anchors: [pki.csca.certificate], crls: [] } });
  const face = parseDg2(read).faces[0]!;
  return verifiedPortrait({ document: { portrait: { format: face.format, width: face.width, height: face.height, bytes: face.image } }, passiveAuth });
}
