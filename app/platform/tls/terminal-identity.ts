import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/**
 * Terminal enrolment over mutual TLS, as the verification service and the site hub both do it:
 * the TLS layer proves the kiosk holds the key of a certificate our CA issued, and enrolment maps
 * that exact certificate (SHA-256 of its DER) to one terminal id. A certificate the CA issued but
 * nobody enrolled, or one whose enrolment was withdrawn, is refused.
 *
 * The answer is kept per TLS connection (keep-alive connections carry many requests) for at most
 * `ttlMs`, so a withdrawn enrolment also ends long-lived connections within that time.
 */
export function peerCertificateSha256(socket: TLSSocket): string | undefined {
  const cert = socket.getPeerCertificate?.(false);
  return cert?.raw ? createHash('sha256').update(cert.raw).digest('hex') : undefined;
}

export class TerminalIdentity<T> {
  private readonly bySocket = new WeakMap<object, { value: T | undefined; at: number }>();

  constructor(
    /** The enrolment of a certificate (by hex SHA-256), or undefined when there is none. */
    private readonly lookup: (certSha256: string) => T | undefined | Promise<T | undefined>,
    private readonly ttlMs = 60_000,
    private readonly now = () => Date.now(),
  ) {}

  async of(socket: TLSSocket): Promise<T | undefined> {
    const hit = this.bySocket.get(socket);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const fp = peerCertificateSha256(socket);
    const value = fp ? await this.lookup(fp) : undefined;
    this.bySocket.set(socket, { value, at: this.now() });
    return value;
  }
}
