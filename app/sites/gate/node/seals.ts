/**
 * Sealing for the gate's records: a person's chip fields and every face template are sealed with
 * the site's seal key (AES-256-GCM, app/platform/store/sealing.ts) before they reach the site
 * store, bound to the record they belong to, so a sealed value copied into another record does
 * not open. The store, the hub and their backups only ever hold the sealed text.
 */
import { KioskError } from '../../../core/errors.ts';
import { Sealer } from '../../../platform/store/sealing.ts';
import { sealedPerson, type SealedPerson } from '../common/records.ts';

export class GateSeals {
  private readonly sealer: Sealer;

  constructor(sealKey: Buffer) {
    this.sealer = new Sealer(sealKey);
  }

  private aad(collection: string, key: string): Buffer {
    return Buffer.from(`${collection}\u0000${key}`, 'utf8');
  }

  sealPerson(collection: string, key: string, fields: SealedPerson): string {
    return this.sealer.seal(Buffer.from(JSON.stringify(sealedPerson.parse(fields)), 'utf8'), this.aad(collection, key)).toString('base64');
  }

  openPerson(collection: string, key: string, sealed: string): SealedPerson {
    const plain = this.sealer.open(Buffer.from(sealed, 'base64'), this.aad(collection, key));
    if (!plain) throw new KioskError('GATE_SEAL_BROKEN', 'a person record does not open with this site key (another key, altered, or moved)');
    return sealedPerson.parse(JSON.parse(plain.toString('utf8')));
  }

  sealTemplate(collection: string, key: string, template: Float32Array): string {
    return this.sealer.seal(Buffer.from(template.buffer, template.byteOffset, template.byteLength), this.aad(collection, key)).toString('base64');
  }

  /** A photo (an alarm's live capture, a blocklist entry's picture), sealed like the rest. */
  sealImage(collection: string, key: string, image: Uint8Array): string {
    return this.sealer.seal(Buffer.from(image.buffer, image.byteOffset, image.byteLength), this.aad(collection, key)).toString('base64');
  }

  /** The photo, or undefined when it does not open (another site key, altered, moved). */
  openImage(collection: string, key: string, sealed: string): Uint8Array | undefined {
    const plain = this.sealer.open(Buffer.from(sealed, 'base64'), this.aad(collection, key));
    return plain ? new Uint8Array(plain) : undefined;
  }

  /** The template, or undefined when it does not open (another site key, altered, moved). */
  openTemplate(collection: string, key: string, sealed: string, dim: number): Float32Array | undefined {
    const plain = this.sealer.open(Buffer.from(sealed, 'base64'), this.aad(collection, key));
    if (!plain || plain.length !== dim * 4) return undefined;
    return new Float32Array(plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.length));
  }
}
