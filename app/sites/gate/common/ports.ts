/**
 * The gate's outside systems, as ports: the door (a relay module, an access terminal's door
 * control, or the simulator) and the host's notification (a webhook, or the simulator).
 */
import { KioskError } from '../../../core/errors.ts';

/** Why a door command failed, as codes the log records and the guard screen shows. */
export type DoorFault = 'DOOR_UNREACHABLE' | 'DOOR_TIMEOUT' | 'DOOR_AUTH_REFUSED' | 'DOOR_REFUSED' | 'DOOR_BAD_ANSWER';

export class DoorError extends KioskError {
  constructor(readonly fault: DoorFault, message: string) {
    super(fault, message);
  }
}

export interface Door {
  /**
   * Opens the door once (a pulse of the relay; the controller closes it again). Resolves when the
   * controller confirmed the command, which is when a passage counts; rejects with a DoorError.
   */
  open(door: string): Promise<void>;
}

/** What a host is told: a visitor has arrived, or asks to be let in (walk-in). */
export interface HostNotice {
  readonly kind: 'visitor-arrived' | 'walk-in-request';
  readonly invitation: string;
  /** The host's person key, and their employee number (how the site's messaging finds them). */
  readonly host: string;
  readonly hostEmployeeNo?: string;
  readonly visitorName: string;
  readonly purpose: string;
  readonly gate: string;
  readonly at: string;
  /** A walk-in: until when the request stands (it expires unanswered then). */
  readonly until?: string;
  /**
   * A walk-in, when the partner API is on: where the host's system answers
   * (`POST` `{"approve": true|false}` with the API's bearer token; docs/gate-integration.md).
   */
  readonly answerUrl?: string;
}

/** What the site's security is told at once: a face on the blocklist was seen at a door (no photo, no ID number). */
export interface AlarmNotice {
  readonly kind: 'blocklist-alarm';
  /** The site store's alert id (the guard acknowledges it by this). */
  readonly alert: number;
  readonly entryName: string;
  readonly door: string;
  readonly gate: string;
  readonly at: string;
}

export interface Notifier {
  /** Delivers the notice; rejects with a KioskError (GATE_NOTIFY_FAILED) when the receiver did not take it. */
  notify(notice: HostNotice | AlarmNotice): Promise<void>;
}
