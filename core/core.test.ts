import { describe, expect, it } from 'vitest';
import { BrinkError, Registry, checkLoadTarget, createHistogram, decode, encode, exitCodeOf, isLoopbackHost, merge, recordMs, trendValues } from './index.ts';

describe('errors', () => {
  it('maps codes to k6 exit codes', () => {
    expect(exitCodeOf(new BrinkError('INVALID_INPUT', 'x'))).toBe(104);
    expect(exitCodeOf(new BrinkError('THRESHOLDS_FAILED', 'x'))).toBe(99);
    expect(exitCodeOf(new BrinkError('ABORTED', 'x'))).toBe(105);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
  it('puts the suggestion on the same line', () => {
    expect(new BrinkError('MISSING_DEPENDENCY', 'missing: k6', { suggestion: 'run "brink setup"' }).toLine()).toBe('missing: k6 (run "brink setup")');
  });
});

describe('registry', () => {
  it('names the valid ids when asked for an unknown one', () => {
    const r = new Registry('scenario', [{ id: 'feed' }, { id: 'chat-burst' }]);
    expect(() => r.get('fed')).toThrow('unknown scenario "fed"; expected one of: feed, chat-burst');
    expect(r.get('feed').id).toBe('feed');
  });
  it('refuses duplicate ids', () => {
    expect(() => new Registry('check', [{ id: 'a' }, { id: 'a' }])).toThrow('duplicate check id "a"');
  });
});

describe('loopback targets', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost only', () => {
    for (const h of ['127.0.0.1', '127.5.6.7', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '192.168.1.1', 'example.invalid', '128.0.0.1', '127.0.0.256']) expect(isLoopbackHost(h), h).toBe(false);
  });
  it('refuses a remote target unless allowed, naming the host', () => {
    expect(() => checkLoadTarget('http://prod.example.invalid/api', false)).toThrow('target host "prod.example.invalid" is not a loopback address');
    expect(checkLoadTarget('http://prod.example.invalid/api', true).hostname).toBe('prod.example.invalid');
    expect(() => checkLoadTarget('not a url', false)).toThrow('target "not a url" is not a URL');
  });
});

describe('histograms', () => {
  it('gives exact-to-0.1% percentiles and merges losslessly through encoding', () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(i <= 500 ? a : b, i);
    const merged = merge(decode(encode(a)), decode(encode(b)));
    const t = trendValues(merged);
    expect(t.count).toBe(1000);
    expect(t.p50).toBeCloseTo(500, -1);
    expect(Math.abs(t.p99 - 990) / 990).toBeLessThan(0.002);
    expect(t.max).toBeCloseTo(1000, -1);
    expect(t.min).toBe(1);
  });
  it('reports zeros for an empty histogram', () => {
    expect(trendValues(createHistogram())).toEqual({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
  });
});
