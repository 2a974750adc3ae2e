/** The rows of the guard's reports, as the node half makes them and the staff screen shows them. */

export interface Who {
  readonly name: string | null;
  readonly employeeNo: string | null;
  readonly department: string | null;
}

export interface HistoryRow extends Who {
  readonly at: string;
  readonly seq: number;
  readonly door: string;
  readonly direction: 'in' | 'out';
  readonly method: string;
  readonly decision: 'opened' | 'refused';
  readonly reason: string | null;
  readonly visitor: boolean;
}

export interface LogbookLine {
  readonly at: string;
  readonly kind: 'access' | 'alarm' | 'acknowledged' | 'visit' | 'enrolment' | 'admin' | 'other';
  readonly door: string | null;
  readonly direction: 'in' | 'out' | null;
  readonly name: string | null;
  /** What happened, as a code: `opened`, a refusal or alarm reason, a visit's status, an admin action. */
  readonly what: string;
  /** A guard's note on an acknowledged alarm, and who wrote it. */
  readonly note: string | null;
  readonly by: string | null;
}
