import { EventEmitter } from 'node:events';
import type { KioskEventData, KioskEventName } from '../core/api/kiosk-api.ts';

/** Typed fan-out of host events to every connected renderer (WebSocket clients, Electron window). */
export class KioskEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit<E extends KioskEventName>(event: E, data: KioskEventData<E>): void {
    this.emitter.emit('event', event, data);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: KioskEventName, data: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
