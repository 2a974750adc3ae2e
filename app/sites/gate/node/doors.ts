/**
 * The Door port's adapters: a network relay module (one HTTP request pulses the relay) and
 * Hikvision ISAPI remote door control (`PUT /ISAPI/AccessControl/RemoteControl/door/<n>`, HTTP
 * Digest). A door counts as opened when the controller confirmed the command: a relay answering
 * 2xx, an ISAPI terminal answering statusCode 1.
 */
import type { SecretRef } from '../../../core/config/secret-ref.ts';
import { DigestAuthError, DigestClient } from '../../../platform/http/digest.ts';
import type { DoorController } from '../common/config.ts';
import { DoorError, type Door } from '../common/ports.ts';

type ReadSecret = (ref: SecretRef, keyPath: string) => string;

/** Transport failures in the door's words (never the URL, which may carry credentials). */
function transportFault(e: unknown, timeoutMs: number): DoorError {
  if (e instanceof DoorError) return e;
  if (e instanceof DigestAuthError) return new DoorError('DOOR_AUTH_REFUSED', e.message);
  const name = (e as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return new DoorError('DOOR_TIMEOUT', `the door controller did not answer within ${timeoutMs} ms`);
  return new DoorError('DOOR_UNREACHABLE', `the door controller is unreachable (${(e as { cause?: { code?: string } }).cause?.code ?? 'network error'})`);
}

export function relayDoor(c: Extract<DoorController, { adapter: 'relay' }>, readSecret: ReadSecret, keyPath: string): Door {
  const authorization = !c.auth
    ? undefined
    : c.auth.kind === 'bearer'
      ? `Bearer ${readSecret(c.auth.token, `${keyPath}.auth.token`)}`
      : `Basic ${Buffer.from(`${c.auth.username}:${readSecret(c.auth.password, `${keyPath}.auth.password`)}`).toString('base64')}`;
  return {
    async open() {
      let res: Response;
      try {
        res = await fetch(c.url, {
          method: c.method,
          headers: { ...(authorization ? { authorization } : {}), ...(c.body !== undefined ? { 'content-type': c.body.trim().startsWith('{') ? 'application/json' : 'text/plain' } : {}) },
          ...(c.body !== undefined ? { body: c.body } : {}),
          signal: AbortSignal.timeout(c.timeoutMs),
          redirect: 'error',
        });
        await res.arrayBuffer();
      } catch (e) {
        throw transportFault(e, c.timeoutMs);
      }
      if (res.status === 401 || res.status === 403) throw new DoorError('DOOR_AUTH_REFUSED', `the relay module refused the credentials (HTTP ${res.status})`);
      if (res.status < 200 || res.status > 299) throw new DoorError('DOOR_REFUSED', `the relay module answered HTTP ${res.status}`);
    },
  };
}

/** The ISAPI body that opens a door once. */
export const ISAPI_OPEN = '<?xml version="1.0" encoding="UTF-8"?><RemoteControlDoor version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><cmd>open</cmd></RemoteControlDoor>';

/** The `ResponseStatus` of an ISAPI answer: its statusCode (1 = OK) and subStatusCode. */
export function isapiStatus(xml: string): { statusCode: number; subStatusCode: string } | undefined {
  const code = /<statusCode>\s*(\d+)\s*<\/statusCode>/.exec(xml);
  if (!code) return undefined;
  return { statusCode: Number(code[1]), subStatusCode: /<subStatusCode>\s*([^<\s]+)\s*<\/subStatusCode>/.exec(xml)?.[1] ?? '' };
}

export function isapiDoor(c: Extract<DoorController, { adapter: 'isapi' }>, readSecret: ReadSecret, keyPath: string): Door {
  const client = new DigestClient({ username: c.username, password: readSecret(c.password, `${keyPath}.password`) });
  const url = `${c.url.replace(/\/+$/, '')}/ISAPI/AccessControl/RemoteControl/door/${c.doorNo}`;
  return {
    async open() {
      let res: Response;
      let text: string;
      try {
        res = await client.fetch(url, { method: 'PUT', headers: { 'content-type': 'application/xml' }, body: ISAPI_OPEN, signal: AbortSignal.timeout(c.timeoutMs) });
        text = (await res.text()).slice(0, 8192);
      } catch (e) {
        throw transportFault(e, c.timeoutMs);
      }
      const status = isapiStatus(text);
      // Errors come as a ResponseStatus inside HTTP 200 or 4xx alike: statusCode 1 is the only "done".
      if (status?.statusCode === 1 && res.ok) return;
      if (res.status === 401 || res.status === 403) throw new DoorError('DOOR_AUTH_REFUSED', `the terminal refused the credentials (HTTP ${res.status})`);
      if (!status) throw new DoorError('DOOR_BAD_ANSWER', `the terminal answered HTTP ${res.status} without an ISAPI status`);
      throw new DoorError('DOOR_REFUSED', `the terminal refused: status ${status.statusCode} ${status.subStatusCode.slice(0, 40)}`);
    },
  };
}
