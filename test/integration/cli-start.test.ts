import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('cccd-kiosk start --shell=none', () => {
  it('answers GET /api/status once started (the launch time is printed; a timed check belongs in a benchmark)', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['app/cli/bin.mjs', 'start', '--shell=none', '--profile', 'demo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /host on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}api/status`);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { profile: string }).profile).toBe('demo');
      console.log(`[cli-start] launch → /api/status answered in ${elapsed} ms`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
    }
  });
});
