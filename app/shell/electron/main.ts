/**
 * The Electron main process, kept thin: it hosts the kiosk (same composition root as every other
 * shell), opens one locked-down window, and relays the kiosk API over IPC. Every Electron object is
 * passed in, so the security settings are unit-tested with a mocked `electron` module.
 */
import type { Dispatcher } from '../../host/api-dispatch.ts';
import type { KioskEventBus } from '../../host/events.ts';

/* Minimal structural types of the Electron APIs we use (the electron package may be absent). */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  send(channel: string, ...args: unknown[]): void;
  setVisualZoomLevelLimits?(min: number, max: number): Promise<void> | void;
  reload(): void;
  isDestroyed(): boolean;
}
export interface BrowserWindowLike {
  webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  on(event: 'closed', listener: () => void): void;
}
export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string, requestingOrigin: string) => boolean): void;
  webRequest?: { onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void): void };
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame?: { url: string } | null }, ...args: unknown[]) => Promise<unknown>): void;
}
export interface ElectronLike {
  app: {
    whenReady(): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): void;
    quit(): void;
    commandLine: { appendSwitch(name: string, value?: string): void };
  };
  BrowserWindow: new (options: Record<string, unknown>) => BrowserWindowLike;
  session: { defaultSession: SessionLike };
  ipcMain: IpcMainLike;
}

export const IPC_CALL = 'kiosk:call';
export const IPC_EVENT = 'kiosk:event';

/** The one window's settings: full-screen kiosk, isolated sandboxed renderer, no Node, no devtools outside dev. */
export function kioskWindowOptions(preloadPath: string, dev: boolean): Record<string, unknown> {
  return {
    kiosk: !dev,
    fullscreen: !dev,
    width: 1080,
    height: 1920,
    autoHideMenuBar: true,
    backgroundColor: '#0b3d6b',
    show: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      devTools: dev,
      spellcheck: false,
    },
  };
}

export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Only the camera, and only for our own page; Electron would otherwise grant every request. */
export function hardenSession(session: SessionLike, origin: string): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(permission === 'media' && sameOrigin(details.requestingUrl ?? '', origin));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission === 'media' && sameOrigin(requestingOrigin, origin));
}

/** The window can never leave the kiosk's origin or open another window. */
export function lockNavigation(webContents: WebContentsLike, origin: string): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!sameOrigin(url, origin)) event.preventDefault();
  };
  webContents.on('will-navigate', guard);
  webContents.on('will-redirect', guard);
  webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void webContents.setVisualZoomLevelLimits?.(1, 1);
}

/** API calls over IPC, accepted only from our own page; events pushed to the window. */
export function bridgeApi(ipcMain: IpcMainLike, dispatch: Dispatcher, origin: string): void {
  ipcMain.handle(IPC_CALL, async (event, method, input) => {
    if (!event.senderFrame || !sameOrigin(event.senderFrame.url, origin)) {
      return { ok: false, error: { code: 'API_FORBIDDEN_SENDER', message: 'calls are accepted only from the kiosk page' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'API_BAD_INPUT', message: 'method must be a string' } };
    return dispatch(method, input);
  });
}

export interface ElectronKioskOptions {
  readonly url: string;
  readonly preloadPath: string;
  readonly dev: boolean;
  readonly dispatch: Dispatcher;
  readonly events: KioskEventBus;
}

/** Opens the kiosk window; reloads it if the renderer dies (a kiosk must come back by itself). */
export async function openKioskWindow(electron: ElectronLike, o: ElectronKioskOptions): Promise<BrowserWindowLike> {
  const origin = new URL(o.url).origin;
  hardenSession(electron.session.defaultSession, origin);
  bridgeApi(electron.ipcMain, o.dispatch, origin);
  const win = new electron.BrowserWindow(kioskWindowOptions(o.preloadPath, o.dev));
  lockNavigation(win.webContents, origin);
  const unsubscribe = o.events.subscribe((event, data) => {
    if (!win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT, event, data);
  });
  win.on('closed', unsubscribe);
  win.webContents.on('render-process-gone', () => win.webContents.reload());
  await win.loadURL(o.url);
  return win;
}
