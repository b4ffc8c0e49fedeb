import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from './endpoints.ts';
import type { PlatformInfra } from './options.ts';

const infra: PlatformInfra = {
  database: 'brink',
  urls: {
    postgres: 'postgres://postgres@127.0.0.1:5001/brink',
    pgbouncer: 'postgres://postgres@127.0.0.1:5002/brink',
    pgbouncerProxied: 'postgres://postgres@127.0.0.1:5102/brink',
    redis: 'redis://127.0.0.1:5003',
    redisProxied: 'redis://127.0.0.1:5103',
    amqp: 'amqp://guest:guest@127.0.0.1:5004',
    amqpProxied: 'amqp://guest:guest@127.0.0.1:5104',
    toxiproxy: 'http://127.0.0.1:5005',
  },
};

describe('resolveEndpoints', () => {
  it('defaults to the infra: services through PgBouncer, index DDL straight to Postgres, on the given database', () => {
    expect(resolveEndpoints({ infra, database: 'gw_main' })).toEqual({
      database: 'gw_main',
      databaseUrl: 'postgres://postgres@127.0.0.1:5002/gw_main',
      adminDatabaseUrl: 'postgres://postgres@127.0.0.1:5001/gw_main',
      redisUrl: 'redis://127.0.0.1:5003',
      amqpUrl: 'amqp://guest:guest@127.0.0.1:5004',
      redisKeyPrefix: 'brink:gw_main:',
      toxiproxyUrl: 'http://127.0.0.1:5005',
    });
  });

  it('takes the Toxiproxy proxies with proxiedInfra, but never for index DDL', () => {
    const e = resolveEndpoints({ infra, proxiedInfra: true });
    expect(e.database).toBe('brink');
    expect(e.databaseUrl).toBe('postgres://postgres@127.0.0.1:5102/brink');
    expect(e.adminDatabaseUrl).toBe('postgres://postgres@127.0.0.1:5001/brink');
    expect(e.redisUrl).toBe('redis://127.0.0.1:5103');
    expect(e.amqpUrl).toBe('amqp://guest:guest@127.0.0.1:5104');
  });

  it('keeps explicit URLs and key prefix (what a split child is given)', () => {
    const e = resolveEndpoints({ infra, proxiedInfra: true, database: 'x', databaseUrl: 'postgres://a/x', redisUrl: 'redis://r', amqpUrl: 'amqp://q', redisKeyPrefix: 'p:' });
    expect([e.databaseUrl, e.redisUrl, e.amqpUrl, e.redisKeyPrefix]).toEqual(['postgres://a/x', 'redis://r', 'amqp://q', 'p:']);
  });
});
