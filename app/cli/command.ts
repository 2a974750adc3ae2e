/** One `cccd-kiosk` sub-command. Each lives in `commands/<name>.ts` and is loaded only when used. */
export interface Command {
  readonly name: string;
  /** One line for `cccd-kiosk help`. */
  readonly summary: string;
  /** Full usage text, shown by `cccd-kiosk <name> --help` and on a usage error. */
  readonly usage: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** A mistake in how the command was called: printed with the usage, exit code 64 unless given. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 64) {
    super(message);
  }
}
