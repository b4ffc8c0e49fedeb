import { describe, expect, it } from 'vitest';
import { Cleanup } from './cleanup.ts';

describe('Cleanup', () => {
  it('undoes last-first, once, and goes on past an undo that fails, returning its error', async () => {
    const done: string[] = [];
    const c = new Cleanup();
    c.add(async () => void done.push('stop stack'));
    c.add(async () => {
      throw new Error('platform would not stop');
    });
    c.add(async () => void done.push('remove toxics'));
    const errors = await c.run();
    expect(done).toEqual(['remove toxics', 'stop stack']);
    expect(errors.map((e) => e.message)).toEqual(['platform would not stop']);
    expect(await c.run()).toEqual([]);
    expect(done).toHaveLength(2);
  });
});
