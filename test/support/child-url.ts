import type { ChildProcess } from 'node:child_process';

/**
 * The URL a child process prints when it listens (`pattern`'s first group). Its output is read
 * only until then: a server that logs a line per request would otherwise make the reader keep and
 * search a text that grows with every request (a benchmark's own cost rising with the run). What
 * it prints later is read and dropped.
 */
export function listeningUrl(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  let out = '';
  return new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening" line within ${timeoutMs} ms: ${out.slice(-2000)}`)), timeoutMs);
    const look = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      child.stdout!.resume();
      ok(m[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited ${code} before listening: ${out.slice(-2000)}`));
    });
  });
}
