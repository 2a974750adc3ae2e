import { gunzipSync } from 'node:zlib';
import { KioskError } from '../../core/errors.ts';

/**
 * Reads the regular files of a gzip'd ustar archive (an npm package tarball) into memory.
 * Only `wanted` paths are kept, so a 40 MB package does not become 40 MB of buffers.
 */
export function extractTarGz(tgz: Uint8Array, wanted: ReadonlySet<string>): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  let pos = 0;
  let paxPath: string | undefined;
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) => header.subarray(start, start + len).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new KioskError('MODEL_TARBALL_CORRUPT', `bad size field at offset ${pos}`);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(pos + 512, pos + 512 + size);
    if (body.length !== size) throw new KioskError('MODEL_TARBALL_CORRUPT', `entry ${name} is truncated`);
    paxPath = undefined;
    if (type === 'x') {
      // A pax extended header: the only record we honour is a long path for the next entry.
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m?.[1];
    } else if ((type === '0' || type === '7') && wanted.has(name)) {
      files.set(name, Buffer.from(body));
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
