/**
 * Puts a VirtualChip into a real PC/SC stack: connects to vsmartcard's vpcd reader driver (loaded
 * by pcscd) the way a vicc card does. Wire format: 2-byte big-endian length + payload; a 1-byte
 * payload is a control code (0 power off, 1 power on, 2 reset, 4 send ATR), anything longer an APDU.
 * Closing the socket is the card leaving the reader.
 */
import { connect, type Socket } from 'node:net';
import type { VirtualChip } from './chip.ts';

const CTRL_OFF = 0;
const CTRL_ON = 1;
const CTRL_RESET = 2;
const CTRL_ATR = 4;

export interface VpcdCard {
  /** Takes the card out of the reader. */
  remove(): Promise<void>;
  /** Resolves once vpcd has powered the card up (pcscd saw the insertion). */
  readonly poweredOn: Promise<void>;
  /** The card stops answering APDUs but stays in the field (a card at the edge of the antenna). */
  mute(): void;
}

export function insertIntoVpcd(chip: VirtualChip, port = 0x8c7b, host = '127.0.0.1'): Promise<VpcdCard> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host });
    socket.setNoDelay(true); // one APDU per segment: no Nagle delay on the card side
    let buffer = Buffer.alloc(0);
    let muted = false;
    let powered: () => void = () => undefined;
    const poweredOn = new Promise<void>((r) => (powered = r));
    const send = (payload: Uint8Array) => {
      const head = Buffer.alloc(2);
      head.writeUInt16BE(payload.length);
      socket.write(Buffer.concat([head, Buffer.from(payload)]));
    };
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2) {
        const len = buffer.readUInt16BE(0);
        if (buffer.length < 2 + len) break;
        const msg = new Uint8Array(buffer.subarray(2, 2 + len));
        buffer = buffer.subarray(2 + len);
        if (len === 1) {
          const code = msg[0];
          if (code === CTRL_ATR) send(chip.atr);
          else if (code === CTRL_ON || code === CTRL_RESET) {
            chip.reset();
            powered();
          } else if (code === CTRL_OFF) chip.reset();
        } else if (len > 1 && !muted) {
          send(chip.process(msg));
        }
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve({
        poweredOn,
        mute: () => {
          muted = true;
        },
        remove: () => new Promise<void>((r) => {
          if (socket.destroyed) return r();
          socket.once('close', () => r());
          socket.destroy();
        }),
      });
    });
  });
}
