import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logger.ts';
import { PendingPublishes } from './pending-publishes.ts';

const log = createLogger({ name: 'pending-test', level: 'silent' });
const body = Buffer.from('{}');

describe('pending publishes without a channel', () => {
  it('keeps a message until its deadline, then rejects it by name', async () => {
    const q = new PendingPublishes(() => null, 1_000, log);
    const p = q.add('brink.events', 'comment.created', body, {}, 10_000);
    expect(q.size).toBe(1);
    q.sweep(11_000); // at the deadline: still waiting
    expect(q.size).toBe(1);
    q.sweep(11_001);
    await expect(p).rejects.toThrow('event comment.created not confirmed by RabbitMQ within 1000 ms');
    expect(q.size).toBe(0);
  });

  it('fails everything left on request, each with its own error', async () => {
    const q = new PendingPublishes(() => null, 1_000, log);
    const a = q.add('x', 'a.created', body, {});
    const b = q.add('x', 'b.created', body, {});
    const both = Promise.all([expect(a).rejects.toThrow('stopped before a.created'), expect(b).rejects.toThrow('stopped before b.created')]);
    q.failAll((key) => new Error(`stopped before ${key}`));
    await both;
    expect(q.size).toBe(0);
  });
});
