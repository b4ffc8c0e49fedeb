import { describe, expect, it } from 'vitest';
import { switchesFor } from '../../core/index.ts';
import { realtimeNames, resolveOptions } from './options.ts';

const valid = { databaseUrl: 'postgres://postgres@127.0.0.1:5432/brink_t1', redisUrl: 'redis://127.0.0.1:6379', amqpUrl: 'amqp://guest:guest@127.0.0.1:5672', jwtSecret: 'x'.repeat(32), switches: switchesFor('optimized') };

describe('realtime options', () => {
  it('fills the assessments defaults and keeps the live switches object', () => {
    const o = resolveOptions(valid, 'chat');
    expect(o.tuning.messagesPerMinute).toBe(60);
    expect(o.tuning.presenceFlushIntervalMs).toBe(30_000);
    expect(o.switches).toBe(valid.switches);
    expect(o).toMatchObject({ host: '127.0.0.1', port: 0 });
  });

  it('names the bad option and what was expected', () => {
    expect(() => resolveOptions({ ...valid, amqpUrl: 'http://x' }, 'chat')).toThrow('realtime chat option amqpUrl: a amqp/amqps URL');
    expect(() => resolveOptions({ ...valid, tuning: { messagesPerMinute: 0 } }, 'chat')).toThrow(/tuning\.messagesPerMinute/);
  });

  it('derives Redis keys from the database name so platforms on other databases never share keys', () => {
    expect(realtimeNames(valid.databaseUrl, '')).toEqual({ redisPrefix: 'rt:brink_t1:', socketIoKey: 'rt:brink_t1:socket.io', exchange: 'brink.events' });
    expect(realtimeNames(valid.databaseUrl, 'ns.').exchange).toBe('ns.brink.events');
  });
});
