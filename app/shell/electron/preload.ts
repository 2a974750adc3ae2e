/**
 * The preload script: the renderer's only door to the host. It exposes exactly two functions —
 * call a kiosk API method, and listen to kiosk events — and nothing of Node or Electron.
 * Bundled to CommonJS (sandboxed preloads cannot load ES modules) by build.mjs.
 */
export interface ContextBridgeLike {
  exposeInMainWorld(key: string, api: unknown): void;
}
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

export const BRIDGE_KEY = 'kioskBridge';

export function exposeKioskBridge(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(BRIDGE_KEY, {
    call: (method: string, input: unknown) => ipcRenderer.invoke('kiosk:call', String(method), input),
    onEvent: (callback: (event: string, data: unknown) => void) => {
      const listener = (_e: unknown, event: unknown, data: unknown) => callback(String(event), data);
      ipcRenderer.on('kiosk:event', listener);
      return () => ipcRenderer.removeListener('kiosk:event', listener);
    },
  });
}
