import { describe, expect, it } from 'vitest';
import { gatewayBase, serviceMap } from './gateways.ts';
import type { PlatformParts } from './parts.ts';

describe('the platform service map', () => {
  it('names gateways first, then services, then the first chat instance', () => {
    const map = serviceMap(['http://g1', 'http://g2', 'http://g3'], { auth: 'http://a', users: 'http://u' }, ['http://c1', 'http://c2']);
    expect(Object.entries(map)).toEqual([
      ['gateway', 'http://g1'],
      ['gateway-2', 'http://g2'],
      ['gateway-3', 'http://g3'],
      ['auth', 'http://a'],
      ['users', 'http://u'],
      ['chat', 'http://c1'],
    ]);
  });

  it('has no chat entry without chat instances', () => {
    expect(serviceMap(['http://g'], { auth: 'http://a' }, [])).toEqual({ gateway: 'http://g', auth: 'http://a' });
  });
});

describe('what every gateway gets', () => {
  const endpoints = { database: 'd', databaseUrl: 'postgres://b/d', adminDatabaseUrl: 'postgres://p/d', redisUrl: 'redis://r', amqpUrl: 'amqp://q', redisKeyPrefix: 'brink:d:', toxiproxyUrl: 'http://t' };
  const parts = (opts: Partial<PlatformParts['opts']>) => ({ opts: { variant: 'optimized', ...opts } as PlatformParts['opts'], endpoints, jwtSecret: 's' });

  it('tells split services about switch changes, and in-process ones not', () => {
    expect(gatewayBase(parts({ split: true }), {}, { auth: 'http://a', users: 'http://u' }).remoteSwitchUrls).toEqual(['http://a', 'http://u']);
    expect(gatewayBase(parts({}), {}, { auth: 'http://a' }).remoteSwitchUrls).toEqual([]);
  });

  it('passes rate-limit and readiness settings only when given', () => {
    const plain = gatewayBase(parts({}), {}, {});
    expect('rateLimitFailClosed' in plain || 'readyTimeoutMs' in plain).toBe(false);
    const set = gatewayBase(parts({ rateLimitFailClosed: false, readyTimeoutMs: 250 }), {}, {});
    expect([set.rateLimitFailClosed, set.readyTimeoutMs]).toEqual([false, 250]);
    expect([set.databaseUrl, set.adminDatabaseUrl, set.redisKeyPrefix]).toEqual(['postgres://b/d', 'postgres://p/d', 'brink:d:']);
  });
});
