import { describe, expect, it } from 'vitest';
import { startedHandle } from './started.ts';

describe('started handle', () => {
  it('stops once, whether by stop() twice or by await using', async () => {
    let stops = 0;
    const h = startedHandle({ url: 'http://127.0.0.1:1' }, async () => void stops++);
    const first = h.stop();
    expect(h.stop()).toBe(first);
    await first;
    {
      await using _h = h;
    }
    expect(stops).toBe(1);
    expect(h.url).toBe('http://127.0.0.1:1');
  });

  it('keeps getters live', () => {
    let n = 1;
    const h = startedHandle({ get connects() { return n; } }, async () => undefined);
    n = 3;
    expect(h.connects).toBe(3);
  });
});
