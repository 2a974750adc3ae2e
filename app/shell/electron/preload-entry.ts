// Entry bundled into dist/shell/electron/preload.cjs. The electron package is optional at install
// time (its binary cannot always be downloaded), so it is loaded untyped; preload.ts holds the logic.
import { exposeKioskBridge, type ContextBridgeLike, type IpcRendererLike } from './preload.ts';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled to CommonJS; electron is external
const { contextBridge, ipcRenderer } = require('electron') as { contextBridge: ContextBridgeLike; ipcRenderer: IpcRendererLike };
exposeKioskBridge(contextBridge, ipcRenderer);
