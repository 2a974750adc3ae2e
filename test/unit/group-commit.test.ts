import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../app/platform/store/group-commit.ts';

describe('GroupCommit', () => {
  it('commits what arrives together in one commit, and what arrives meanwhile in the next', async () => {
    const commits: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number, string>(async (items) => {
      commits.push([...items]);
      if (commits.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => `ok-${i}`);
    });
    const first = [1, 2, 3].map((i) => group.submit(i));
    await new Promise((r) => setImmediate(r));
    // The first commit is running: these wait and share the next one.
    const second = [4, 5].map((i) => group.submit(i));
    expect(group.waiting).toBe(2);
    release();
    expect(await Promise.all([...first, ...second])).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5']);
    expect(commits).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('answers nobody before their commit, fails only the batch whose commit failed, and keeps batches to maxBatch', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit<number, number>((items) => {
      commits.push([...items]);
      if (items.includes(3)) throw new Error('disk full');
      return items.map((i) => i * 10);
    }, 2);
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => group.submit(i)));
    expect(commits).toEqual([[1, 2], [3, 4], [5]]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([10, 20, 'failed', 'failed', 50]);
  });
});
