import type { KioskEventName, KioskMethod, MethodInput, MethodOutput } from '../core/api/kiosk-api.ts';

/** The kiosk API as the renderer sees it: Electron's preload bridge when present, else HTTP + WebSocket. */
export interface KioskClient {
  call<M extends KioskMethod>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  onEvent(listener: (event: KioskEventName, data: unknown) => void): () => void;
}

/** A failure the host reported, by code; screens translate the code. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type CallResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

interface Bridge {
  call(method: string, input: unknown): Promise<CallResult>;
  onEvent(cb: (event: string, data: unknown) => void): () => void;
}

function unwrap<T>(r: CallResult): T {
  if (r.ok) return r.result as T;
  throw new ApiError(r.error.code, r.error.message);
}

function bridgeClient(bridge: Bridge): KioskClient {
  return {
    call: async (method, input) => unwrap(await bridge.call(method, input)),
    onEvent: (listener) => bridge.onEvent((event, data) => listener(event as KioskEventName, data)),
  };
}

/**
 * The page's way in without a token: the launch ticket (or, from a test driving the browser, the
 * token) is traded once for an HttpOnly session cookie, which script cannot read and which rides
 * along with every later call and the event socket.
 */
async function openSession(header: 'x-kiosk-ticket' | 'x-kiosk-token', value: string): Promise<void> {
  const res = await fetch('/api/session', { method: 'POST', headers: { [header]: value } });
  if (!res.ok) unwrap(await res.json());
}

function httpClient(session: Promise<void>): KioskClient {
  const listeners = new Set<(event: KioskEventName, data: unknown) => void>();
  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}/api/events`);
    ws.onmessage = (m) => {
      const { event, data } = JSON.parse(String(m.data)) as { event: KioskEventName; data: unknown };
      listeners.forEach((l) => l(event, data));
    };
    // The host may restart under systemd; keep trying quietly.
    ws.onclose = () => setTimeout(connect, 2000);
  };
  void session.catch(() => undefined).then(connect);
  return {
    async call(method, input) {
      await session;
      const res = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return unwrap(await res.json());
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Picks the transport. Over HTTP the shell opens the page with a one-time `#ticket=` in the address
 * fragment (never sent to a server, never on a command line), which is removed from the address at once.
 */
export function createKioskClient(): KioskClient {
  const bridge = (window as unknown as { kioskBridge?: Bridge }).kioskBridge;
  if (bridge) return bridgeClient(bridge);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const ticket = fragment.get('ticket');
  const token = fragment.get('token');
  if (location.hash) history.replaceState(null, '', location.pathname);
  const session = ticket ? openSession('x-kiosk-ticket', ticket) : token ? openSession('x-kiosk-token', token) : Promise.resolve();
  return httpClient(session);
}
