/** What a device adapter reports for monitoring (`GET /api/status`) and the UI's status banner. */
export type DeviceHealth = 'ok' | 'missing' | 'error';

export interface DeviceState {
  /** Stable identifier, e.g. `cardReader`, `camera`, `printer`, `scanner`, `verification`. */
  readonly device: string;
  readonly state: DeviceHealth;
  /** Which adapter is in use (`virtual`, `pcsc`, `file`, `tcp`, ...). */
  readonly adapter: string;
  /** Plain-language reason when the state is not ok; never contains personal data. */
  readonly reason?: string;
}

/** Anything the host can ask for its health. */
export interface Monitored {
  status(): DeviceState | Promise<DeviceState>;
}
