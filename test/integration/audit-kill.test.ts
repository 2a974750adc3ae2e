import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('audit log under kill -9', () => {
  it('keeps every committed row and no partial row when the writer is killed mid-burst', async () => {
    const dir = tempDir('audit-kill');
    const file = join(dir.path, 'kiosk.db');
    openDatabase(file).close(); // migrate before the race starts
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/audit-writer.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    // Let the burst run, then kill without warning once a few hundred rows are through.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (out.split('\n').length > 400) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', (code) => {
        clearInterval(timer);
        if (code !== null) reject(new Error(`writer exited early with ${code}`));
      });
    });
    await new Promise((r) => child.on('close', r));
    const acknowledged = out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
    const db = openDatabase(file);
    const audit = new AuditLog(db);
    const result = audit.verify();
    const maxId = (db.prepare('SELECT MAX(id) AS m FROM audit_log').get() as { m: number }).m;
    db.close();
    dir.cleanup();
    // The kill comes once 400 lines are through (401 pieces after the split): at least 400 acknowledged.
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    expect(result.ok).toBe(true);
    // Every row the writer saw committed is there; at most the one in flight may also have landed.
    expect(maxId).toBeGreaterThanOrEqual(Math.max(...acknowledged));
    expect(result.rows).toBe(maxId);
  });
});
