// Entry bundled into dist/shell/electron/preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeKioskBridge } from './preload.ts';

exposeKioskBridge(contextBridge, ipcRenderer);
