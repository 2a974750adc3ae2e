/**
 * The Notifier port's webhook adapter: POSTs the notice as JSON, signed with HMAC-SHA256 of the
 * body (`X-Gate-Signature: sha256=<hex>`), so the receiver (the site's messaging, a Teams or Zalo
 * bridge) can tell it came from the gate. A receiver that does not take it is GATE_NOTIFY_FAILED.
 */
import { createHmac } from 'node:crypto';
import { KioskError } from '../../../core/errors.ts';
import type { AlarmNotice, HostNotice, Notifier } from '../common/ports.ts';

export function webhookNotifier(url: string, secret: string, timeoutMs: number): Notifier {
  return {
    async notify(notice: HostNotice | AlarmNotice) {
      const body = JSON.stringify(notice);
      let status: number;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'x-gate-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        await res.arrayBuffer();
        status = res.status;
      } catch (e) {
        const name = (e as { name?: string }).name;
        throw new KioskError('GATE_NOTIFY_FAILED', name === 'TimeoutError' ? `the webhook did not answer within ${timeoutMs} ms` : 'the webhook is unreachable');
      }
      if (status < 200 || status > 299) throw new KioskError('GATE_NOTIFY_FAILED', `the webhook answered HTTP ${status}`);
    },
  };
}
