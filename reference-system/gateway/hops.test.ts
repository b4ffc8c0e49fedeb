import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../shared/server-timing.ts';
import { HopRecorder, splitHops } from './hops.ts';

describe('parseServerTiming', () => {
  it('reads dur entries, sums repeated names and ignores entries without a duration', () => {
    expect(parseServerTiming('app;dur=12.5, db;dur=3, cache;desc="hit", db;dur=1')).toEqual({ app: 12.5, db: 4 });
    expect(parseServerTiming(['app;dur=2', 'db;dur=1'])).toEqual({ app: 2, db: 1 });
    expect(parseServerTiming(undefined)).toEqual({});
  });
});

describe('splitHops', () => {
  it('splits a request into the gateway, transit, service and database parts that add up to the total', () => {
    const h = splitHops(30, 25, 'app;dur=15, db;dur=6');
    expect(h).toEqual({ requests: 1, totalMs: 30, gatewayMs: 5, transitMs: 10, serviceMs: 9, dbMs: 6 });
    expect(h.gatewayMs + h.transitMs + h.serviceMs + h.dbMs).toBe(h.totalMs);
  });

  it('never lets a service claim more time than the gateway waited for it (clocks of two processes)', () => {
    expect(splitHops(10, 8, 'app;dur=9, db;dur=12')).toEqual({ requests: 1, totalMs: 10, gatewayMs: 2, transitMs: 0, serviceMs: 0, dbMs: 8 });
  });

  it('counts a service without Server-Timing as transit', () => {
    expect(splitHops(10, 8, undefined)).toEqual({ requests: 1, totalMs: 10, gatewayMs: 2, transitMs: 8, serviceMs: 0, dbMs: 0 });
  });
});

describe('HopRecorder without Redis', () => {
  it('answers its own sums per downstream', async () => {
    const r = new HopRecorder(undefined);
    r.record('posts', splitHops(10, 8, 'app;dur=4, db;dur=1'));
    r.record('posts', splitHops(20, 18, 'app;dur=8, db;dur=3'));
    expect(await r.sums(['posts', 'users'])).toEqual({ posts: { requests: 2, totalMs: 30, gatewayMs: 4, transitMs: 14, serviceMs: 8, dbMs: 4 } });
    r.stop();
  });
});
