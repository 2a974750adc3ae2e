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
