/**
 * A man in the middle between the kiosk and a card (a tampered reader, a relay, malware on the
 * USB link): it forwards every APDU to the genuine card but may replace the card's answer. It
 * cannot forge the card's secure-messaging MACs, yet a status word without data travels
 * unprotected, so it can make a file "not found" (6A82) after the card has really selected it.
 *
 * Under secure messaging the FID of a SELECT is encrypted, so the attacker's knowledge of which
 * file a command names is modelled as an oracle (`selectedFile`, e.g. the virtual chip's own
 * state): the worst case, an attacker who knows everything but the keys.
 */
import { encodeResponse, SW } from '../../core/icao/apdu.ts';
import type { CardTransport, TransportCapabilities } from '../../core/icao/transport.ts';

export interface MitmOptions {
  /** FIDs whose SELECT (or READ BINARY by SFI) is answered 6A82 after the card took it. */
  readonly hideFiles: readonly number[];
  /** Which file the card has selected after the command passed through. */
  readonly selectedFile: () => number | undefined;
}

export class MitmTransport implements CardTransport {
  /** Answers replaced so far (a test checks the attack really happened). */
  replaced = 0;

  constructor(private readonly inner: CardTransport, private readonly o: MitmOptions) {}

  get capabilities(): TransportCapabilities {
    return this.inner.capabilities;
  }

  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    const answer = await this.inner.transmit(apdu);
    // INS and P1 travel in clear even under SM: SELECT EF (A4, P1 02) or READ BINARY with an SFI.
    const [, ins = 0, p1 = 0] = apdu;
    const choosesFile = (ins === 0xa4 && p1 === 0x02) || (ins === 0xb0 && (p1 & 0x80) !== 0);
    const file = this.o.selectedFile();
    if (!choosesFile || file === undefined || !this.o.hideFiles.includes(file)) return answer;
    this.replaced++;
    return encodeResponse({ data: new Uint8Array(0), sw: SW.FILE_NOT_FOUND });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
