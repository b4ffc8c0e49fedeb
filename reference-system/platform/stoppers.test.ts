import { describe, expect, it } from 'vitest';
import { createStoppers } from './stoppers.ts';

describe('platform stoppers', () => {
  it('stop in reverse order, addLast ones after all others, each once, past a failure', async () => {
    const order: string[] = [];
    const failures: string[] = [];
    const s = createStoppers((e, id) => failures.push(`${id}: ${(e as Error).message}`));
    const part = (id: string, fail = false) => async () => {
      order.push(id);
      if (fail) throw new Error('stuck');
    };
    s.add('auth', part('auth'));
    s.add('users', part('users', true));
    s.addLast('hop-auth', part('hop-auth'));
    s.add('gateway-1', part('gateway-1'));
    await s.stopOne('auth');
    await s.stopAll();
    await s.stopAll();
    expect(order).toEqual(['auth', 'gateway-1', 'users', 'hop-auth']);
    expect(failures).toEqual(['users: stuck']);
  });

  it('stopOne names the known ids for an unknown one, and lets a stop error reach its caller', async () => {
    const s = createStoppers(() => undefined);
    s.add('auth', async () => {
      throw new Error('refused');
    });
    await expect(s.stopOne('nope')).rejects.toThrow('no service "nope" on this platform; expected one of: auth');
    await expect(s.stopOne('auth')).rejects.toThrow('refused');
    await s.stopOne('auth');
  });
});
