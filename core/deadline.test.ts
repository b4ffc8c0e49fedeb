import { describe, expect, it } from 'vitest';
import { within } from './deadline.ts';

describe('within: work with a time limit', () => {
  it('gives the work its value when it settles in time', async () => {
    await expect(within(Promise.resolve(7), 1_000, () => 'late')).resolves.toBe(7);
  });

  it('gives the late value when the work has not settled, and rejects when onLate throws', async () => {
    const never = new Promise<number>(() => undefined);
    await expect(within(never, 5, () => 'late')).resolves.toBe('late');
    await expect(within(never, 5, () => { throw new Error('probe x did not finish within 0 s'); })).rejects.toThrow('did not finish');
  });

  it('passes the work\'s own rejection through', async () => {
    await expect(within(Promise.reject(new Error('boom')), 1_000, () => 'late')).rejects.toThrow('boom');
  });

  it('clears its timer: a settled race leaves no pending timeout behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await within(Promise.resolve(1), 60_000, () => 0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
  });
});
