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

function httpClient(token: string): KioskClient {
  const listeners = new Set<(event: KioskEventName, data: unknown) => void>();
  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    ws.onmessage = (m) => {
      const { event, data } = JSON.parse(String(m.data)) as { event: KioskEventName; data: unknown };
      listeners.forEach((l) => l(event, data));
    };
    // The host may restart under systemd; keep trying quietly.
    ws.onclose = () => setTimeout(connect, 2000);
  };
  connect();
  return {
    async call(method, input) {
      const res = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
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

/** Picks the transport. The HTTP token arrives in the URL fragment and is removed from the address at once. */
export function createKioskClient(): KioskClient {
  const bridge = (window as unknown as { kioskBridge?: Bridge }).kioskBridge;
  if (bridge) return bridgeClient(bridge);
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('kiosk-token');
  if (!token) throw new ApiError('API_NO_TOKEN', 'no kiosk token in the page address');
  sessionStorage.setItem('kiosk-token', token);
  history.replaceState(null, '', location.pathname);
  return httpClient(token);
}
