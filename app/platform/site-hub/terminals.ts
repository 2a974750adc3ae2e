import { X509Certificate, createHash } from 'node:crypto';
import type pg from 'pg';
import { SiteStoreError } from '../../core/site-store/errors.ts';
import { terminalId as terminalIdSchema, checked } from '../../core/site-store/schemas.ts';

/** A terminal the hub knows: what its enrolled certificate lets it do. */
export interface EnrolledTerminal {
  readonly terminalId: string;
  readonly role: 'kiosk' | 'admin';
}

/**
 * Enrolment of terminal certificates in the site's database (table hub_terminals), shared by every
 * hub process: `cccd-kiosk hub enrol` writes it, each hub reads it on a kiosk's first request.
 */
export async function enrolTerminal(pool: pg.Pool, terminalId: string, certPem: string, role: EnrolledTerminal['role'] = 'kiosk'): Promise<string> {
  checked(terminalIdSchema, terminalId, 'terminalId');
  let der: Buffer;
  try {
    der = new X509Certificate(certPem).raw;
  } catch {
    throw new SiteStoreError('SITE_STORE_INVALID', 'the terminal certificate is not a PEM X.509 certificate', { field: 'cert' });
  }
  const certSha256 = createHash('sha256').update(der).digest('hex');
  await pool.query(
    `INSERT INTO hub_terminals (terminal_id, cert_sha256, role) VALUES ($1, $2, $3)
     ON CONFLICT (terminal_id) DO UPDATE SET cert_sha256 = excluded.cert_sha256, role = excluded.role, enrolled_at = now(), active = true`,
    [terminalId, certSha256, role],
  );
  return certSha256;
}

/** Withdraws a terminal's enrolment; its connections are refused within the identity cache's lifetime. */
export async function withdrawTerminal(pool: pg.Pool, terminalId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE hub_terminals SET active = false WHERE terminal_id = $1 AND active', [terminalId]);
  return (rowCount ?? 0) > 0;
}

export async function terminalForCert(pool: pg.Pool, certSha256: string): Promise<EnrolledTerminal | undefined> {
  const { rows } = await pool.query<{ terminal_id: string; role: EnrolledTerminal['role'] }>(
    'SELECT terminal_id, role FROM hub_terminals WHERE cert_sha256 = $1 AND active',
    [certSha256],
  );
  return rows[0] ? { terminalId: rows[0].terminal_id, role: rows[0].role } : undefined;
}
