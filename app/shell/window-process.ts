import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/**
 * The kiosk window's processes (the browser with its helpers, or cage with Xwayland and the browser)
 * in a process group of their own, so that stopping the kiosk takes all of them away: a browser left
 * behind would go on showing "devices ready" for a host that is gone.
 */
export interface WindowProcess {
  readonly child: ChildProcess;
  /** Ends every process of the window: SIGTERM to the group, SIGKILL to what is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export const WINDOW_STOP_GRACE_MS = 3000;

export function spawnWindow(command: string, args: readonly string[], o: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {}): WindowProcess {
  // detached: the child leads a new process group (and session), whose id is its pid.
  const child = spawn(command, args, { stdio: o.stdio ?? 'ignore', env: o.env ?? process.env, detached: true });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* the group is gone already */
    }
  };
  // Whatever way this process ends (an unexpected error included), the window goes with it.
  const onExit = () => signalGroup('SIGTERM');
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    child,
    stop(graceMs = WINDOW_STOP_GRACE_MS) {
      stopping ??= (async () => {
        signalGroup('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
        // Helpers that outlive the leader (renderers, Xwayland) have had their chance.
        signalGroup('SIGKILL');
        process.removeListener('exit', onExit);
      })();
      return stopping;
    },
  };
}
