import { describe, expect, it, vi } from 'vitest';
import {
  bridgeApi, hardenSession, kioskWindowOptions, lockNavigation, openKioskWindow, IPC_CALL, IPC_EVENT,
  type ElectronLike, type SessionLike, type WebContentsLike,
} from '../../app/shell/electron/main.ts';
import { exposeKioskBridge, BRIDGE_KEY } from '../../app/shell/electron/preload.ts';
import { KioskEventBus } from '../../app/host/events.ts';

const ORIGIN = 'http://127.0.0.1:4567';

function mockSession() {
  const s = { request: undefined as any, check: undefined as any };
  const session: SessionLike = {
    setPermissionRequestHandler: (h) => (s.request = h),
    setPermissionCheckHandler: (h) => (s.check = h),
  };
  return { session, s };
}

function mockWebContents() {
  const listeners: Record<string, ((...a: any[]) => void)[]> = {};
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const wc: WebContentsLike & { emit(name: string, ...a: any[]): void; openHandler(): typeof openHandler } = {
    on: ((name: string, l: (...a: any[]) => void) => (listeners[name] ??= []).push(l)) as WebContentsLike['on'],
    setWindowOpenHandler: (h) => (openHandler = h),
    send: vi.fn(),
    setVisualZoomLevelLimits: vi.fn(),
    reload: vi.fn(),
    isDestroyed: () => false,
    emit: (name, ...a) => listeners[name]?.forEach((l) => l(...a)),
    openHandler: () => openHandler,
  };
  return wc;
}

describe('Electron window settings', () => {
  it('locks the production window down', () => {
    const o = kioskWindowOptions('/app/preload.cjs', false) as { kiosk: boolean; webPreferences: Record<string, unknown> };
    expect(o.kiosk).toBe(true);
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true,
      allowRunningInsecureContent: false, devTools: false,
    });
  });

  it('allows devtools and a normal window only in dev mode', () => {
    const o = kioskWindowOptions('/p', true) as { kiosk: boolean; webPreferences: { devTools: boolean; sandbox: boolean } };
    expect(o.kiosk).toBe(false);
    expect(o.webPreferences.devTools).toBe(true);
    expect(o.webPreferences.sandbox).toBe(true);
  });
});

describe('Electron session permissions', () => {
  it('grants the camera to the kiosk page and nothing else to anyone', () => {
    const { session, s } = mockSession();
    hardenSession(session, ORIGIN);
    const ask = (permission: string, url: string) => {
      let granted: boolean | undefined;
      s.request(null, permission, (g: boolean) => (granted = g), { requestingUrl: url });
      return granted;
    };
    expect(ask('media', `${ORIGIN}/`)).toBe(true);
    expect(ask('media', 'https://evil.example/')).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'midi', 'openExternal', 'hid', 'serial']) expect(ask(p, `${ORIGIN}/`)).toBe(false);
    expect(s.check(null, 'media', ORIGIN)).toBe(true);
    expect(s.check(null, 'geolocation', ORIGIN)).toBe(false);
    expect(s.check(null, 'media', 'http://localhost:4567')).toBe(false);
  });
});

describe('Electron navigation lock', () => {
  it('blocks navigation away from the kiosk origin and every new window', () => {
    const wc = mockWebContents();
    lockNavigation(wc, ORIGIN);
    const nav = (url: string, event = 'will-navigate') => {
      const e = { preventDefault: vi.fn() };
      wc.emit(event, e, url);
      return e.preventDefault.mock.calls.length > 0;
    };
    expect(nav(`${ORIGIN}/maintenance`)).toBe(false);
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('http://127.0.0.1:4567.evil.example/')).toBe(true);
    expect(nav('https://evil.example/', 'will-redirect')).toBe(true);
    expect(wc.openHandler()!({ url: `${ORIGIN}/` })).toEqual({ action: 'deny' });
    expect(wc.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
  });
});

describe('Electron IPC bridge', () => {
  it('relays calls from the kiosk page to the dispatcher and refuses other senders', async () => {
    let handler: any;
    const dispatch = vi.fn(async (method: string) => ({ ok: true as const, result: method }));
    bridgeApi({ handle: (channel, h) => { expect(channel).toBe(IPC_CALL); handler = h; } }, dispatch, ORIGIN);
    await expect(handler({ senderFrame: { url: `${ORIGIN}/` } }, 'status', {})).resolves.toEqual({ ok: true, result: 'status' });
    await expect(handler({ senderFrame: { url: 'https://evil.example/' } }, 'status', {})).resolves.toMatchObject({ ok: false, error: { code: 'API_FORBIDDEN_SENDER' } });
    await expect(handler({ senderFrame: null }, 'status', {})).resolves.toMatchObject({ ok: false });
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('takes camera frames over IPC only from the kiosk page, never from a frame of another origin', async () => {
    let handler: any;
    const dispatch = vi.fn(async () => ({ ok: true as const, result: { accepted: true } }));
    bridgeApi({ handle: (_channel, h) => (handler = h) }, dispatch, ORIGIN);
    const frame = { jpegBase64: '/9j/' };
    for (const url of ['https://evil.example/camera', 'http://127.0.0.1:4568/', 'file:///var/lib/cccd-kiosk/launch/x.html', 'about:blank']) {
      await expect(handler({ senderFrame: { url } }, 'pushCameraFrame', frame), url).resolves.toMatchObject({ ok: false, error: { code: 'API_FORBIDDEN_SENDER' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    await expect(handler({ senderFrame: { url: `${ORIGIN}/` } }, 'pushCameraFrame', frame)).resolves.toEqual({ ok: true, result: { accepted: true } });
    expect(dispatch).toHaveBeenCalledWith('pushCameraFrame', frame);
  });

  it('opens the window with all of the above and forwards host events', async () => {
    const wc = mockWebContents();
    const { session, s } = mockSession();
    let options: any;
    const electron: ElectronLike = {
      app: { whenReady: async () => undefined, on: vi.fn(), quit: vi.fn(), commandLine: { appendSwitch: vi.fn() } },
      BrowserWindow: class {
        webContents = wc;
        constructor(o: Record<string, unknown>) { options = o; }
        async loadURL(url: string) { expect(url).toBe(`${ORIGIN}/`); } // no token or ticket: the page talks over IPC
        on() { /* closed */ }
      },
      session: { defaultSession: session },
      ipcMain: { handle: vi.fn() },
    };
    const events = new KioskEventBus();
    await openKioskWindow(electron, { url: `${ORIGIN}/`, preloadPath: '/p.cjs', dev: false, dispatch: vi.fn(), events });
    expect(options.webPreferences.sandbox).toBe(true);
    expect(s.request).toBeTypeOf('function');
    events.emit('devices', []);
    expect(wc.send).toHaveBeenCalledWith(IPC_EVENT, 'devices', []);
    wc.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(wc.reload).toHaveBeenCalled();
  });
});

describe('preload', () => {
  it('exposes only call and onEvent, over the kiosk channels', async () => {
    let exposed: any;
    const ipc = { invoke: vi.fn(async () => 'r'), on: vi.fn(), removeListener: vi.fn() };
    exposeKioskBridge({ exposeInMainWorld: (k, api) => { expect(k).toBe(BRIDGE_KEY); exposed = api; } }, ipc);
    expect(Object.keys(exposed).sort()).toEqual(['call', 'onEvent']);
    await exposed.call('status', {});
    expect(ipc.invoke).toHaveBeenCalledWith('kiosk:call', 'status', {});
    const cb = vi.fn();
    const off = exposed.onEvent(cb);
    const listener = ipc.on.mock.calls[0]![1];
    listener({ sender: 'not exposed' }, 'devices', [1]);
    expect(cb).toHaveBeenCalledWith('devices', [1]);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith('kiosk:event', listener);
  });
});
