import { describe, expect, it } from 'vitest';
import { Backoff, heartbeatUrl, ReadyWaiters } from './reconnect.ts';

describe('reconnect parts', () => {
  it('adds a 5 s heartbeat unless the URL sets one', () => {
    expect(heartbeatUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:guest@127.0.0.1:5672?heartbeat=5');
    expect(heartbeatUrl('amqp://h/vhost?frameMax=8192')).toBe('amqp://h/vhost?frameMax=8192&heartbeat=5');
    expect(heartbeatUrl('amqp://h?heartbeat=30')).toBe('amqp://h?heartbeat=30');
  });

  it('backs off 250, 500, ... up to 5 s, and starts over after reset', () => {
    const b = new Backoff(250, 5_000);
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    b.reset();
    expect(b.next()).toBe(250);
  });

  it('releases every waiter at once', async () => {
    const w = new ReadyWaiters();
    const both = Promise.all([w.wait(1_000, () => new Error('late')), w.wait(1_000, () => new Error('late'))]);
    expect(w.count).toBe(2);
    w.release();
    await both;
    expect(w.count).toBe(0);
  });

  it('rejects a waiter at its timeout with the error of that moment and forgets it', async () => {
    const w = new ReadyWaiters();
    let last = 'first';
    const p = w.wait(10, () => new Error(`not connected: ${last}`));
    last = 'ECONNREFUSED';
    await expect(p).rejects.toThrow('not connected: ECONNREFUSED');
    expect(w.count).toBe(0);
  });
});
