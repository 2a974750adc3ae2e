/**
 * A simulated bench scale with continuous output over TCP (as a serial-to-Ethernet converter would
 * carry it): every connection gets a frame every 50 ms, `US` for a moment after the load changes,
 * then `ST`. Tests and the demo put a bag on it with `setKg`.
 */
import { createServer, type Socket } from 'node:net';

export interface ScaleSim {
  readonly host: string;
  readonly port: number;
  /** Puts `kg` on the scale (0: empty); it settles after `settleMs`. */
  setKg(kg: number): void;
  close(): Promise<void>;
}

/** `ST,GS,+  12.34kg`: sign, value right-aligned in 7 characters with two decimals. */
export function scaleFrame(kg: number, stable: boolean): string {
  const value = Math.abs(kg) >= 10_000 ? 'OL' : Math.abs(kg).toFixed(2).padStart(7, ' ');
  if (value === 'OL') return 'OL,GS,+9999.99kg';
  return `${stable ? 'ST' : 'US'},GS,${kg < 0 ? '-' : '+'}${value}kg`;
}

export async function startScaleSim(options: { readonly kg?: number; readonly port?: number; readonly host?: string; readonly settleMs?: number; readonly everyMs?: number } = {}): Promise<ScaleSim> {
  let kg = options.kg ?? 0;
  let changedAt = 0;
  const settleMs = options.settleMs ?? 300;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const tick = setInterval(() => socket.write(`${scaleFrame(kg, Date.now() - changedAt >= settleMs)}\r\n`), options.everyMs ?? 50);
    socket.on('close', () => {
      clearInterval(tick);
      sockets.delete(socket);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('scale simulator did not bind a TCP port');
  return {
    host,
    port: address.port,
    setKg(next) {
      kg = next;
      changedAt = Date.now();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
